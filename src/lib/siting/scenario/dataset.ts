/**
 * The data of the scenarios: the columns of the dataset (from the shared analysis, cloneable to a
 * Web Worker) and the lookups built once per dataset.
 */
import KDBush from 'kdbush';
import { around } from 'geokdbush';
import type { TerritoryAnalysis } from '$lib/analysis/territory-analysis';
import type { MediatorType, TerritoryEntry, TerritoryIndex } from '$lib/territory/artifacts';
import { indexPoints } from '../nearest';

/**
 * The columns of the dataset the scenarios need, one entry per commune / per place, in the order
 * of `communes.json` / `mediateurs.geojson`. Plain arrays and typed arrays only, so one structured
 * clone carries it to a Web Worker (≈ 3 MB) instead of re-reading and re-estimating everything.
 */
export interface SitingDataset {
	communes: {
		code: string[];
		nom: string[];
		dep: string[];
		reg: string[];
		epci: (string | null)[];
		/** Population municipale, persons. */
		population: Float64Array;
		/** Commune centre, WGS84 degrees; NaN when the commune has no centre. */
		lon: Float64Array;
		lat: Float64Array;
		/** Estimated people éloignés du numérique, persons; NaN when the model has no estimate. */
		eloignes: Float64Array;
		/** E2SFCA score with the existing places (équivalents conseiller pour 10 000 personnes éloignées); NaN without a centre. */
		accessScore: Float64Array;
	};
	places: {
		id: string[];
		type: MediatorType[];
		nom: string[];
		/** COG commune code, or null when the source gives none. */
		commune: (string | null)[];
		lon: Float64Array;
		lat: Float64Array;
		/** Équivalents conseiller of the place (access/parameters.ts `DEFAULT_SUPPLY_RULES`). */
		supply: Float64Array;
	};
	territories: TerritoryIndex;
}

/**
 * The dataset of the scenarios, read from the shared analysis (estimates, supply, E2SFCA scores are
 * not recomputed here).
 */
export function buildSitingDataset(analysis: TerritoryAnalysis): SitingDataset {
	const communes = analysis.inputs.communes;
	const estimates = analysis.estimateByCode;
	const access = analysis.access;
	const supply = analysis.supply;
	const mediators = analysis.inputs.mediators;
	const nan = (value: number | null | undefined) =>
		value === null || value === undefined || !Number.isFinite(value) ? NaN : value;
	return {
		communes: {
			code: communes.map((c) => c.code),
			nom: communes.map((c) => c.nom),
			dep: communes.map((c) => c.dep),
			reg: communes.map((c) => c.reg),
			epci: communes.map((c) => c.epci),
			population: Float64Array.from(communes, (c) => c.population),
			lon: Float64Array.from(communes, (c) => nan(c.lon)),
			lat: Float64Array.from(communes, (c) => nan(c.lat)),
			eloignes: Float64Array.from(communes, (c) => nan(estimates.get(c.code)?.eloignes)),
			accessScore: Float64Array.from(communes, (c) => nan(access.get(c.code)?.score))
		},
		places: {
			id: supply.map((s) => s.id),
			type: supply.map((s) => s.type),
			nom: mediators.map((m) => m.properties.nom),
			commune: mediators.map((m) => m.properties.commune),
			lon: Float64Array.from(supply, (s) => s.lon),
			lat: Float64Array.from(supply, (s) => s.lat),
			supply: Float64Array.from(supply, (s) => s.supply)
		},
		territories: analysis.inputs.territories
	};
}

/** Lookups built once per dataset (a few tens of ms) and shared by every scenario. */
export interface SitingContext {
	readonly dataset: SitingDataset;
	readonly communeIndex: ReadonlyMap<string, number>;
	readonly placeIndex: ReadonlyMap<string, number>;
	/** Territory entries by `level:code`. */
	readonly territoryEntries: ReadonlyMap<string, TerritoryEntry>;
	/** kd-tree of the commune centres; ids index `centreCommunes`. */
	readonly communeTree: KDBush;
	readonly centreCommunes: Int32Array;
	/** 1 for the France services with no conseiller numérique nearby (see `CONSEILLER_NEARBY_KM`). */
	readonly withoutConseiller: Uint8Array;
}

/**
 * A France services "has a conseiller" when a conseiller numérique place of activity or post is in
 * the same commune or within this distance, km: 1 km is a short walk (≈ 15 minutes), and covers the
 * places the sources put at a slightly different address for the same building or street.
 */
export const CONSEILLER_NEARBY_KM = 1;

const CONSEILLER_TYPES: readonly MediatorType[] = [
	'conseiller-numerique-lieu',
	'conseiller-numerique-poste'
];

/** Build the lookups of a dataset. */
export function createSitingContext(dataset: SitingDataset): SitingContext {
	const { communes, places } = dataset;
	const centres: number[] = [];
	for (let i = 0; i < communes.code.length; i++) {
		if (Number.isFinite(communes.lon[i]) && Number.isFinite(communes.lat[i])) centres.push(i);
	}
	const communeTree = new KDBush(Math.max(1, centres.length), 64, Float64Array);
	for (const i of centres) communeTree.add(communes.lon[i], communes.lat[i]);
	if (centres.length === 0) communeTree.add(0, 0);
	communeTree.finish();

	const territoryEntries = new Map<string, TerritoryEntry>();
	for (const entry of [
		...dataset.territories.regions,
		...dataset.territories.departements,
		...dataset.territories.epci
	]) {
		territoryEntries.set(`${entry.level}:${entry.code}`, entry);
	}

	// France services with a conseiller numérique place or post in the same commune or within 1 km.
	const conseillers: number[] = [];
	const conseillerCommunes = new Set<string>();
	for (let j = 0; j < places.id.length; j++) {
		if (!CONSEILLER_TYPES.includes(places.type[j])) continue;
		conseillers.push(j);
		const commune = places.commune[j];
		if (commune) conseillerCommunes.add(commune);
	}
	const conseillerIndex = indexPoints(
		conseillers.map((j) => ({ lon: places.lon[j], lat: places.lat[j] }))
	);
	const withoutConseiller = new Uint8Array(places.id.length);
	for (let j = 0; j < places.id.length; j++) {
		if (places.type[j] !== 'france-services') continue;
		const commune = places.commune[j];
		if (commune && conseillerCommunes.has(commune)) continue;
		const near =
			conseillers.length > 0
				? around(conseillerIndex.tree, places.lon[j], places.lat[j], 1, CONSEILLER_NEARBY_KM)
				: [];
		if (near.length === 0) withoutConseiller[j] = 1;
	}

	return {
		dataset,
		communeIndex: new Map(communes.code.map((code, i) => [code, i])),
		placeIndex: new Map(places.id.map((id, j) => [id, j])),
		territoryEntries,
		communeTree,
		centreCommunes: Int32Array.from(centres),
		withoutConseiller
	};
}

// One siting context per analysis, whoever asks first (the fiche's scenario, the API's simulation).
const contexts = new WeakMap<TerritoryAnalysis, SitingContext>();

/** The siting context of an analysis, built on first use (a few tens of ms) and shared after. */
export function sitingContextOf(analysis: TerritoryAnalysis): SitingContext {
	let context = contexts.get(analysis);
	if (!context) {
		context = createSitingContext(buildSitingDataset(analysis));
		contexts.set(analysis, context);
	}
	return context;
}
