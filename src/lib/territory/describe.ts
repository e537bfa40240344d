/**
 * What the details panel and the tooltip say about one territory: its name, level, parents,
 * population and the shown indicator's value, computed from the commune table.
 */
import { countCommunesWithValue, type IndicatorDefinition } from '$lib/indicators/catalog';
import { formatDecimal, formatPercent, formatWithUnit } from '$lib/format/number';
import type { TerritoryEntry, TerritoryIndex } from '$lib/territory/artifacts';
import { parentCode, type CommuneRecord, type Level } from '$lib/territory/commune';
import type { TerritoryRef } from '$lib/url/map-params';
import { CRITERIA } from '$lib/ranking/criteria';
import { describeImportedSupply } from '$lib/places-import/imported-supply';
import type { TerritoryAccess } from '$lib/workers/analysis/ranking-handler';

/** Singular French names of the levels. */
export const LEVEL_NAME: Record<Level, string> = {
	commune: 'Commune',
	epci: 'Intercommunalité (EPCI)',
	departement: 'Département',
	region: 'Région'
};

/** The value with its unit, French format (`92,4 %`, `6,1` for a score, `118 hab./km²`). */
export function formatIndicatorValue(indicator: IndicatorDefinition, value: number | null): string {
	if (indicator.unit === '%') return formatPercent(value, indicator.digits);
	if (indicator.unit === '') return formatDecimal(value, indicator.digits);
	return formatWithUnit(value, indicator.unit, indicator.digits);
}

/** Look-ups built once from the loaded data. */
export interface TerritoryLookup {
	communes: ReadonlyMap<string, CommuneRecord>;
	entries: Record<Exclude<Level, 'commune'>, ReadonlyMap<string, TerritoryEntry>>;
}

/** Index the communes and the territory entries by code, once per page. */
export function buildTerritoryLookup(
	communes: readonly CommuneRecord[],
	index: TerritoryIndex
): TerritoryLookup {
	const byCode = (list: readonly TerritoryEntry[]) => new Map(list.map((e) => [e.code, e]));
	return {
		communes: new Map(communes.map((c) => [c.code, c])),
		entries: {
			region: byCode(index.regions),
			departement: byCode(index.departements),
			epci: byCode(index.epci)
		}
	};
}

/** The French name of a territory, or null when the code is unknown. */
export function findTerritoryName(lookup: TerritoryLookup, ref: TerritoryRef): string | null {
	if (ref.level === 'commune') return lookup.communes.get(ref.code)?.nom ?? null;
	return lookup.entries[ref.level].get(ref.code)?.nom ?? null;
}

export interface TerritoryDetails {
	ref: TerritoryRef;
	nom: string;
	levelName: string;
	/** Containing territories, coarsest last (EPCI, département, région). */
	parents: { level: Exclude<Level, 'commune'>; levelName: string; code: string; nom: string }[];
	/** Population municipale, persons (sum over member communes). */
	population: number;
	/** Member communes, and how many have a value for the indicator. */
	communeCount: number;
	/** Members with a commune value; null for indicators computed elsewhere (e.g. the needs estimate worker). */
	communesWithValue: number | null;
	value: number | null;
	valueText: string;
}

/**
 * Describe a territory for the details panel, or return null when its code is not in the data.
 * @param values the indicator's values at the territory's level (from `computeIndicatorValues`).
 */
export function describeTerritory(
	ref: TerritoryRef,
	lookup: TerritoryLookup,
	communes: readonly CommuneRecord[],
	indicator: IndicatorDefinition,
	values: ReadonlyMap<string, number | null>
): TerritoryDetails | null {
	const nom = findTerritoryName(lookup, ref);
	if (nom === null) return null;
	const members = communes.filter((c) => parentCode(c, ref.level) === ref.code);
	const parents: TerritoryDetails['parents'] = [];
	const first = members[0];
	if (first) {
		const parentLevels: Exclude<Level, 'commune'>[] =
			ref.level === 'commune'
				? ['epci', 'departement', 'region']
				: ref.level === 'epci'
					? ['departement', 'region']
					: ref.level === 'departement'
						? ['region']
						: [];
		for (const level of parentLevels) {
			const code = parentCode(first, level);
			// An EPCI may span several départements: name the one of its first commune only when
			// all members share it.
			if (code === null || members.some((c) => parentCode(c, level) !== code)) continue;
			const entry = lookup.entries[level].get(code);
			if (entry) parents.push({ level, levelName: LEVEL_NAME[level], code, nom: entry.nom });
		}
	}
	let population = 0;
	for (const c of members) population += c.population;
	const value = values.get(ref.code) ?? null;
	return {
		ref,
		nom,
		levelName: LEVEL_NAME[ref.level],
		parents,
		population,
		communeCount: members.length,
		communesWithValue: indicator.provided ? null : countCommunesWithValue(indicator, members),
		value,
		valueText: formatIndicatorValue(indicator, value)
	};
}

/** Half-size of the box around a commune centre, degrees (≈ 4 km): a commune-level zoom. */
const COMMUNE_BOX_DEG = 0.04;
/** Largest zoom when framing a commune: it fills the screen and the polygons stay sharp. */
const COMMUNE_MAX_ZOOM = 11;
/** Largest zoom when framing a larger territory. */
const TERRITORY_MAX_ZOOM = 10;

/**
 * Where the map goes to show a territory: a commune's centre with a few km around it, or the box
 * of an EPCI, département or région; null when the data has neither.
 * @returns bounds [west, south, east, north] in WGS84 degrees and the zoom not to exceed
 */
export function frameTerritory(
	lookup: TerritoryLookup,
	ref: TerritoryRef
): { bounds: [number, number, number, number]; maxZoom: number } | null {
	if (ref.level === 'commune') {
		const c = lookup.communes.get(ref.code);
		if (!c || c.lon === null || c.lat === null) return null;
		return {
			bounds: [
				c.lon - COMMUNE_BOX_DEG,
				c.lat - COMMUNE_BOX_DEG,
				c.lon + COMMUNE_BOX_DEG,
				c.lat + COMMUNE_BOX_DEG
			],
			maxZoom: COMMUNE_MAX_ZOOM
		};
	}
	const entry = lookup.entries[ref.level].get(ref.code);
	return entry?.bbox ? { bounds: entry.bbox, maxZoom: TERRITORY_MAX_ZOOM } : null;
}

/** What the details panel says of a territory's accessibility with the imported places. */
export interface ImportedAccessText {
	/** « 3,4 équivalents conseiller pour 10 000 personnes éloignées ». */
	withImported: string;
	/** « 2,1 sans eux (lieux nationaux) ». */
	national: string;
	/** « 1 lieu importé (données importées) ». */
	counted: string;
	/** Whether the imported places change the figure (at the table's decimal). */
	changed: boolean;
}

/**
 * The accessibility (E2SFCA) of the selected territory with the imported places, beside the
 * national figure, worded and rounded as the ranking's « Accès » column.
 * @example describeImportedAccess(access).withImported // '3,4 équivalents conseiller pour 10 000 personnes éloignées'
 */
export function describeImportedAccess(access: TerritoryAccess): ImportedAccessText {
	const { unit } = CRITERIA.acces;
	// One decimal, as the ranking's « Accès » column (`CRITERIA.acces.format`).
	const text = (v: number | null) => (v === null ? 'non calculée' : formatDecimal(v, 1));
	const withImported = access.withScenario.accessScore;
	const national = access.national.accessScore;
	return {
		withImported: withImported === null ? 'non calculée' : `${text(withImported)} ${unit}`,
		national: `${text(national)} sans eux (lieux nationaux seulement)`,
		counted: describeImportedSupply(access.summary),
		changed: text(withImported) !== text(national)
	};
}
