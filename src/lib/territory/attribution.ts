import type { DatasetSource } from '$lib/territory/artifacts';

/** Datasets behind the drawn boundaries: IGN geometry recoded to the INSEE COG 2026. */
export const GEOMETRY_SOURCE_IDS: readonly string[] = ['admin-express-2018', 'cog-2026'];

/**
 * The attribution lines (`DatasetSource.attribution`, e.g. "ARCEP, 2025") of the given dataset ids,
 * in order and without repeats. Ids missing from `sources` are returned apart so the page can say
 * that an attribution is missing rather than silently drop it.
 */
export function collectAttributions(
	sources: readonly DatasetSource[],
	ids: readonly string[]
): { lines: string[]; missing: string[] } {
	const byId = new Map(sources.map((s) => [s.id, s]));
	const lines: string[] = [];
	const missing: string[] = [];
	for (const id of ids) {
		const source = byId.get(id);
		if (!source) missing.push(id);
		else if (!lines.includes(source.attribution)) lines.push(source.attribution);
	}
	return { lines, missing };
}

/** A dataset as the API and the exports' metadata name it (French keys, same order everywhere). */
export function apiSourceOf(d: DatasetSource) {
	return {
		id: d.id,
		producteur: d.producer,
		titre: d.title,
		millesime: d.vintage,
		licence: d.licence,
		url: d.url,
		attribution: d.attribution
	};
}

/**
 * The map's attribution as one line (MapLibre reorders separate entries): each group of credits
 * after its French heading (« Données : … ; … »), empty groups left out, then the link to the
 * sources page.
 * @param groups credits by heading, in the order shown
 * @param sourcesHref the URL of « Sources et méthode »
 */
export function composeMapAttribution(
	groups: Record<string, readonly string[]>,
	sourcesHref: string
): string {
	const parts = Object.entries(groups)
		.filter(([, lines]) => lines.length > 0)
		.map(([heading, lines]) => `${heading} : ${lines.join(' ; ')}`);
	parts.push(`<a href="${sourcesHref}">Sources et méthode</a>`);
	return parts.join(' · ');
}
