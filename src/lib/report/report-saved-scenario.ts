/**
 * The fiche territoire of a saved scenario (`/territoire/<niveau>/<code>?scenario=<id>`, issue 12
 * item 4): the report context with the scenario's imported places counted as existing places (the
 * rule of `places-import/imported-supply.ts`), their own dataset line « données importées » in the
 * sources, and the scenario's simulation parameters (its proposals) for `readReportScenario`.
 * A saved scenario never changes, so a context built for it can be kept.
 */
import KDBush from 'kdbush';
import { around } from 'geokdbush';
import { analyseTerritories } from '../analysis/territory-analysis';
import { IMPORTED_SOURCE_ID, type ImportedPlace } from '../places-import/imported-place';
import {
	describeImportedSupply,
	knownPlacesOf,
	mergeImportedMediators,
	planImportedPlaces,
	type ImportedSupplySummary
} from '../places-import/imported-supply';
import type { StoredScenario } from '../scenarios/saved-scenario';
import type { DatasetSource } from '../territory/artifacts';
import type { CommuneRecord } from '../territory/commune';
import type { ReportContext } from './report-context';

/** Farthest a commune centre may be for a place without a commune code to be put in it, km. */
export const IMPORTED_COMMUNE_MAX_KM = 20;

/** What the fiche says of the saved scenario it shows. */
export interface SavedScenarioNote {
	id: string;
	name: string;
	/** Imported places counted, and how many replace a known place. */
	summary: ImportedSupplySummary;
	/** « Scénario « <nom> » : N lieux importés (données importées) », on screen and in print. */
	text: string;
}

/**
 * The commune of each imported place: its own code when the file gave one known to the table,
 * else the commune whose centre is nearest (within `IMPORTED_COMMUNE_MAX_KM`), so the fiche lists
 * and maps it with its territory. The place's position is kept.
 */
export function placeImportedInCommunes(
	places: readonly ImportedPlace[],
	communes: readonly Pick<CommuneRecord, 'code' | 'lon' | 'lat'>[]
): ImportedPlace[] {
	const located = communes.filter((c) => c.lon !== null && c.lat !== null);
	const known = new Set(located.map((c) => c.code));
	const needsLookup = places.some((p) => !p.commune || !known.has(p.commune));
	if (!needsLookup || located.length === 0) return [...places];
	const tree = new KDBush(located.length, 64, Float64Array);
	for (const c of located) tree.add(c.lon as number, c.lat as number);
	tree.finish();
	return places.map((p) => {
		if (p.commune && known.has(p.commune)) return p;
		const [nearest] = around(tree, p.lon, p.lat, 1, IMPORTED_COMMUNE_MAX_KM) as number[];
		return { ...p, commune: nearest === undefined ? null : located[nearest].code };
	});
}

/** The dataset line of a scenario's imported places, shown in every figure that counts them. */
export function importedDataset(
	scenario: Pick<StoredScenario, 'id' | 'name' | 'createdAt'>
): DatasetSource {
	return {
		id: IMPORTED_SOURCE_ID,
		producer: `Scénario « ${scenario.name} »`,
		title:
			'Lieux importés par l’auteur du scénario (fichier au standard « Lieux de médiation numérique », CSV ou GeoJSON)',
		vintage: scenario.createdAt.slice(0, 10),
		licence: 'non précisée (données de l’auteur du scénario)',
		url: `/scenario/${scenario.id}`,
		caveat:
			'Lieux fournis par l’auteur du scénario, non vérifiés par l’Atlas ; un doublon d’un lieu national du même dispositif le remplace (compté une fois).',
		attribution: 'données importées'
	};
}

/**
 * The report context of a saved scenario: the national places with its imported ones (added, or
 * replacing their duplicate), the analysis rebuilt on them (needs estimates are shared, only
 * accessibility and the ranking rows are recomputed, lazily), and « données importées » among the
 * sources. Without imported places, the national context itself.
 */
export function savedScenarioContext(
	ctx: ReportContext,
	scenario: Pick<StoredScenario, 'id' | 'name' | 'createdAt' | 'importedPlaces'>
): { ctx: ReportContext; note: SavedScenarioNote } {
	const places = placeImportedInCommunes(scenario.importedPlaces ?? [], ctx.communes);
	const summary: ImportedSupplySummary = {
		imported: places.length,
		replaced: planImportedPlaces(knownPlacesOf(ctx.mediators), places).replaced.size
	};
	const note: SavedScenarioNote = {
		id: scenario.id,
		name: scenario.name,
		summary,
		text:
			places.length > 0
				? `Scénario « ${scenario.name} » : ${describeImportedSupply(summary)}`
				: `Scénario « ${scenario.name} » : aucun lieu importé`
	};
	if (places.length === 0) return { ctx, note };
	const mediators = mergeImportedMediators(ctx.mediators, places);
	const analysis = analyseTerritories({ ...ctx.analysis.inputs, mediators });
	return {
		ctx: {
			...ctx,
			mediators,
			analysis,
			sources: [
				...ctx.sources.filter((s) => s.id !== IMPORTED_SOURCE_ID),
				importedDataset(scenario)
			]
		},
		note
	};
}

/**
 * The URL the fiche reads its deployment scenario from: the saved scenario's parameters (the
 * dashboard's query when it was saved: `simulation`, `postes`, `proposes`…), under those of the
 * fiche's own URL (which win).
 */
export function savedScenarioUrl(url: URL, parameters: Readonly<Record<string, string>>): URL {
	const out = new URL(url);
	for (const [key, value] of Object.entries(parameters ?? {})) {
		if (!out.searchParams.has(key)) out.searchParams.set(key, value);
	}
	return out;
}
