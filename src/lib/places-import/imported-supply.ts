/**
 * How a user's imported places count in the analysis (accessibility, nearest place, ranking,
 * siting, fiche territoire). One rule, used by every consumer:
 *
 * - an imported place is an existing place like the national ones, with the same supply
 *   convention (`supplyOfPlace` and `DEFAULT_SUPPLY_RULES` in `access/parameters.ts`: France
 *   services 2, conseiller numérique post 1, conseiller numérique place of activity 0 — its
 *   conseiller is counted by their post —, Aidants Connect and other places 0.5);
 * - imported places ADD to the national layer, except a probable duplicate of a known place of the
 *   same type (same name within 200 m, `duplicateOf` set by the import): it REPLACES that place, so
 *   the place is counted once, at the imported position, with the known place's `effectif` (the
 *   file carries no staff numbers, the national source may);
 * - a duplicate of another type (a France services and the Aidants Connect structure it hosts) is
 *   added, as the national layer counts two dispositifs at one address twice;
 * - when several imported places name the same known place, the first replaces it and the others
 *   are added.
 *
 * Pure: the ranking worker, the siting worker and the server's fiche call it.
 */
import type { Feature, Point } from 'geojson';
import { formatInteger } from '../format/number';
import type { DatasetSource, MediatorProperties, MediatorType } from '../territory/artifacts';
import { collectMediatorAttributions, MEDIATOR_SOURCE_IDS } from '../mediation/mediator-filters';
import { MEDIATOR_TYPES } from '../mediation/mediator-types';
import { IMPORTED_SOURCE_ID, toMediatorFeature, type ImportedPlace } from './imported-place';

/** What the rule needs of a known place. */
export interface KnownPlaceRef {
	id: string;
	type: MediatorType;
}

/** Which known places the imports replace. */
export interface ImportPlan {
	/** Ids of the known places replaced by an imported place. */
	replaced: ReadonlySet<string>;
	/** Per imported place (same order): the id of the known place it replaces, or null. */
	replaces: (string | null)[];
}

/** The known places of a list of mediator features, by id. */
export function knownPlacesOf(
	mediators: readonly Feature<Point, MediatorProperties>[]
): Map<string, KnownPlaceRef> {
	const known = new Map<string, KnownPlaceRef>();
	for (const m of mediators)
		known.set(m.properties.id, { id: m.properties.id, type: m.properties.type });
	return known;
}

/**
 * Decide which known places the imported places replace (see the module's rule).
 * @param known the national places by id
 * @example planImportedPlaces(new Map([['fs-1', { id: 'fs-1', type: 'france-services' }]]), [{ …, type: 'france-services', duplicateOf: 'fs-1' }]).replaced // Set { 'fs-1' }
 */
export function planImportedPlaces(
	known: ReadonlyMap<string, KnownPlaceRef>,
	imported: readonly Pick<ImportedPlace, 'type' | 'duplicateOf'>[]
): ImportPlan {
	const replaced = new Set<string>();
	const replaces = imported.map((place) => {
		const id = typeof place.duplicateOf === 'string' ? place.duplicateOf : null;
		if (id === null || replaced.has(id)) return null;
		const twin = known.get(id);
		if (!twin || twin.type !== place.type) return null;
		replaced.add(id);
		return id;
	});
	return { replaced, replaces };
}

/**
 * The mediation places with the imported ones counted: the national features without the places
 * an import replaces, then every imported place as a feature of source `donnees-importees`
 * (carrying the `effectif` of the place it replaces). With no imported place, the same array.
 * @example mergeImportedMediators(features, []) === features // true
 */
export function mergeImportedMediators(
	mediators: readonly Feature<Point, MediatorProperties>[],
	imported: readonly ImportedPlace[]
): readonly Feature<Point, MediatorProperties>[] {
	if (imported.length === 0) return mediators;
	const byId = new Map<string, Feature<Point, MediatorProperties>>();
	for (const m of mediators) byId.set(m.properties.id, m);
	const plan = planImportedPlaces(knownPlacesOf(mediators), imported);
	const kept =
		plan.replaced.size === 0
			? [...mediators]
			: mediators.filter((m) => !plan.replaced.has(m.properties.id));
	imported.forEach((place, i) => {
		const feature = toMediatorFeature(place);
		const twinId = plan.replaces[i];
		if (twinId !== null) {
			feature.properties = {
				...feature.properties,
				effectif: byId.get(twinId)?.properties.effectif ?? null
			};
		}
		kept.push(feature);
	});
	return kept;
}

/** How many imported places count, and how many of them replace a known place. */
export interface ImportedSupplySummary {
	imported: number;
	replaced: number;
}

/**
 * The French note of figures that include imported places.
 * @example describeImportedSupply({ imported: 3, replaced: 1 }) // '3 lieux importés (données importées), dont 1 remplaçant un lieu déjà connu'
 */
export function describeImportedSupply(summary: ImportedSupplySummary): string {
	const n = summary.imported;
	const head = `${formatInteger(n)} ${n > 1 ? 'lieux importés' : 'lieu importé'} (données importées)`;
	if (summary.replaced === 0) return head;
	return `${head}, dont ${formatInteger(summary.replaced)} remplaçant un lieu déjà connu`;
}

/**
 * The source line of figures that count imported places: the producer and year of every national
 * list of places (`sources.json`), then « données importées ».
 * @example importedSourcesLine(datasets) // 'ANCT, France services, 2024 ; … ; données importées'
 */
export function importedSourcesLine(datasets: readonly DatasetSource[]): string {
	return [
		...collectMediatorAttributions(
			{ types: [...MEDIATOR_TYPES], sources: [...MEDIATOR_SOURCE_IDS] },
			datasets
		),
		'données importées'
	].join(' ; ');
}

/**
 * The dataset line of places imported in the browser (the analogue, for a file never sent, of a
 * saved scenario's line `importedDataset`): written in the downloads that count them.
 * @param origin where they come from (« fichier « lieux.csv » », « scénario « nom » »), or null
 * @param date the day of the download, ISO (`2026-12-03`)
 */
export function importedFileDataset(origin: string | null, date: string): DatasetSource {
	return {
		id: IMPORTED_SOURCE_ID,
		producer: 'Lieux importés par l’utilisateur',
		title: `Lieux importés${origin ? ` (${origin})` : ''} : fichier au standard « Lieux de médiation numérique », CSV ou GeoJSON, lu dans le navigateur et non envoyé`,
		vintage: date,
		licence: 'non précisée (données de l’utilisateur)',
		url: '',
		caveat:
			'Lieux fournis par l’utilisateur, non vérifiés par l’Atlas ; un doublon d’un lieu national du même dispositif le remplace (compté une fois).',
		attribution: 'données importées'
	};
}

/**
 * A short key of a list of imported places (same places, same key), so workers cache one analysis
 * per import: ids and positions, FNV-1a over their text.
 */
export function importedPlacesKey(imported: readonly ImportedPlace[]): string {
	if (imported.length === 0) return '';
	let hash = 0x811c9dc5;
	for (const p of imported) {
		const text = `${p.id}|${p.type}|${p.lon}|${p.lat}|${p.duplicateOf ?? ''};`;
		for (let i = 0; i < text.length; i++) {
			hash ^= text.charCodeAt(i);
			hash = Math.imul(hash, 0x01000193) >>> 0;
		}
	}
	return `${imported.length}-${hash.toString(36)}`;
}
