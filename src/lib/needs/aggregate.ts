/**
 * The estimate of people "éloignés du numérique" at every level (commune, EPCI, département, région,
 * France): sums of counts and ratios of sums over the communes, never averages of shares. Bands of
 * aggregates are recomputed from the communes' errors (see `combineBand`), so they are narrower, in
 * relative terms, than the communes' bands for the independent part and not for the common part.
 */
import { groupCommunesByLevel, ratioOfSums, sumOf } from '../territory/aggregate';
import type { CommuneRecord, Level } from '../territory/commune';
import type { TerritoryEntry, TerritoryIndex } from '../territory/artifacts';
import { groupBand, type CommuneEstimate, type Fiabilite, type RemoteEstimateSet } from './model';
import {
	addDriverTotals,
	describeAggregateDrivers,
	describeCommuneDrivers,
	driverTotalsOf,
	emptyDriverTotals,
	type Driver
} from './drivers';

/** A level of the estimate: the four map levels plus France as a whole. */
export type EstimateLevel = Level | 'france';

/** The estimate for one territory. Counts in persons, `part` in % of people aged 15+. */
export interface TerritoryEstimate {
	code: string;
	nom: string;
	niveau: EstimateLevel;
	/** Population municipale (INSEE), persons. */
	population: number;
	/** People aged 15+ (estimated unless INSEE's age file was added), persons. */
	pop15: number;
	/** Persons; null when the territory is not estimated (Mayotte: no survey). */
	eloignes: number | null;
	bas: number | null;
	haut: number | null;
	/** eloignes / pop15 × 100, or null when nobody is 15+ or not estimated. */
	part: number | null;
	/**
	 * `estime`, `extrapole` (most of its people live where no figure was published: Guyane) or
	 * `non_estime` (no commune estimated).
	 */
	fiabilite: Fiabilite;
	/** Number of communes summed (estimated or not). */
	communes: number;
	/** The 2–3 factors that matter most (empty unless requested). */
	drivers: Driver[];
}

/** What a map layer needs per territory. */
export interface RemoteLayerValue {
	code: string;
	/** Persons aged 15+ (central estimate), null when not estimated. */
	eloignes: number | null;
	/** Low and high ends of the band, persons, null when not estimated. */
	bas: number | null;
	haut: number | null;
	fiabilite: Fiabilite;
	/** Share of people aged 15+, %, or null. */
	part: number | null;
	/** Plain-French sentences, most important first. */
	drivers: string[];
}

export interface AggregateOptions {
	/** Compute the drivers' sentences (a little slower; not needed by the API). */
	withDrivers?: boolean;
}

/** Index of each commune record in the estimate set (same order as the table it was estimated on). */
function indexOfRecords(communes: readonly CommuneRecord[]): Map<CommuneRecord, number> {
	return new Map(communes.map((c, i) => [c, i]));
}

/**
 * The estimate of any group of communes (sums of counts, ratio of sums, band recomputed).
 * @param indexOf position of each record in the table the set was estimated on
 */
function aggregateGroup(
	set: RemoteEstimateSet,
	group: readonly CommuneRecord[],
	indexOf: ReadonlyMap<CommuneRecord, number>,
	meta: { code: string; nom: string; niveau: EstimateLevel },
	options: AggregateOptions
): TerritoryEstimate {
	const estimates: CommuneEstimate[] = [];
	const indexes: number[] = [];
	let population = 0;
	let pop15All = 0;
	let extrapolatedPop15 = 0;
	for (const c of group) {
		const i = indexOf.get(c);
		if (i === undefined) throw new Error(`Commune ${c.code} absente de l’estimation.`);
		const e = set.communes[i];
		population += e.population;
		pop15All += e.pop15;
		if (e.fiabilite === 'non_estime') continue;
		if (e.fiabilite === 'extrapole') extrapolatedPop15 += e.pop15;
		indexes.push(i);
		estimates.push(e);
	}
	const count = group.length;
	if (estimates.length === 0) {
		return {
			...meta,
			population,
			pop15: pop15All,
			eloignes: null,
			bas: null,
			haut: null,
			part: null,
			fiabilite: 'non_estime',
			communes: count,
			drivers: []
		};
	}
	const band = groupBand(set, indexes);
	const eloignes = band.central;
	const pop15 = sumOf(estimates, (e) => e.pop15);
	const share = ratioOfSums(
		estimates,
		(e) => e.eloignes,
		(e) => e.pop15
	);
	let drivers: Driver[] = [];
	if (options.withDrivers) {
		const totals = emptyDriverTotals();
		for (const e of estimates) addDriverTotals(totals, driverTotalsOf(e, set.model));
		drivers = describeAggregateDrivers(totals, set.model);
	}
	return {
		...meta,
		population,
		// People aged 15+ of the estimated communes: the base of the share.
		pop15,
		eloignes,
		bas: band.bas,
		haut: band.haut,
		part: share === null ? null : share * 100,
		fiabilite: extrapolatedPop15 > pop15 / 2 ? 'extrapole' : 'estime',
		communes: count,
		drivers
	};
}

function territoryEntries(
	territories: TerritoryIndex,
	level: Exclude<Level, 'commune'>
): TerritoryEntry[] {
	return level === 'region'
		? territories.regions
		: level === 'departement'
			? territories.departements
			: territories.epci;
}

/**
 * One estimate per territory of `level`, from the commune estimates in `set`.
 * @param set the estimate of `communes` (`estimateRemotePopulation(communes)`), same order
 * @param communes the full commune table the set was computed on
 * @param territories names of EPCI, départements and régions (`territoires.json`)
 * @returns territories sorted by code; communes without an EPCI are left out at the EPCI level
 */
export function aggregateRemoteEstimates(
	set: RemoteEstimateSet,
	communes: readonly CommuneRecord[],
	level: Level,
	territories: TerritoryIndex,
	options: AggregateOptions = {}
): TerritoryEstimate[] {
	if (set.communes.length !== communes.length) {
		throw new Error(
			'L’estimation ne correspond pas à la table des communes (nombres de communes différents).'
		);
	}
	if (level === 'commune') {
		return communes.map((c, i) => {
			const e = set.communes[i];
			const estimated = e.fiabilite !== 'non_estime';
			return {
				code: c.code,
				nom: c.nom,
				niveau: 'commune' as const,
				population: e.population,
				pop15: e.pop15,
				eloignes: estimated ? e.eloignes : null,
				bas: estimated ? e.bas : null,
				haut: estimated ? e.haut : null,
				part: estimated ? e.part : null,
				fiabilite: e.fiabilite,
				communes: 1,
				drivers: options.withDrivers && estimated ? describeCommuneDrivers(e, set.model) : []
			};
		});
	}
	const names = new Map(territoryEntries(territories, level).map((t) => [t.code, t.nom]));
	const indexOf = indexOfRecords(communes);
	const groups = groupCommunesByLevel(communes, level);
	return [...groups.entries()]
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([code, group]) =>
			aggregateGroup(
				set,
				group,
				indexOf,
				{ code, nom: names.get(code) ?? `${code} (nom inconnu)`, niveau: level },
				options
			)
		);
}

/** The estimate for France (the 101 départements). */
export function estimateFranceTotal(
	set: RemoteEstimateSet,
	communes: readonly CommuneRecord[],
	options: AggregateOptions = {}
): TerritoryEstimate {
	return aggregateGroup(
		set,
		communes,
		indexOfRecords(communes),
		{ code: 'FR', nom: 'France', niveau: 'france' },
		options
	);
}

/**
 * The estimate of the communes of `communes` that pass `keep` (e.g. mainland France), as one
 * territory of level `france`.
 */
export function estimateTotalWhere(
	set: RemoteEstimateSet,
	communes: readonly CommuneRecord[],
	keep: (c: CommuneRecord) => boolean,
	meta: { code: string; nom: string },
	options: AggregateOptions = {}
): TerritoryEstimate {
	return aggregateGroup(
		set,
		communes.filter(keep),
		indexOfRecords(communes),
		{ ...meta, niveau: 'france' },
		options
	);
}

/**
 * What a map layer needs for every territory of a level: `{ code, eloignes, bas, haut, part, drivers }`.
 * @example remoteLayerValues(set, communes, 'departement', territories).find((v) => v.code === '59')
 */
export function remoteLayerValues(
	set: RemoteEstimateSet,
	communes: readonly CommuneRecord[],
	level: Level,
	territories: TerritoryIndex
): RemoteLayerValue[] {
	return aggregateRemoteEstimates(set, communes, level, territories, { withDrivers: true }).map(
		(t) => ({
			code: t.code,
			eloignes: t.eloignes,
			bas: t.bas,
			haut: t.haut,
			part: t.part,
			fiabilite: t.fiabilite,
			drivers: t.drivers.map((d) => d.text)
		})
	);
}
