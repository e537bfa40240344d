/**
 * The rows of the ranking at each level, built from the commune table, the needs estimate and the
 * accessibility results. Above the commune, counts are summed and shares are ratios of sums or
 * weighted means (never plain means of shares), as everywhere in the atlas.
 */
import type { QpvByCommune, TerritoryIndex } from '../territory/artifacts';
import { groupCommunesByLevel, ratioOfSums, weightedMean } from '../territory/aggregate';
import type { CommuneRecord, Level } from '../territory/commune';
import type { TerritoryRow } from './criteria';

/** The needs model's estimate for one commune. */
export interface CommuneNeed {
	/** Estimated people éloignés du numérique, persons. */
	eloignes: number;
	/** The population the share is computed on (people aged 15+), persons. */
	base: number;
}

/** The accessibility results of one commune. */
export interface CommuneAccess {
	/** E2SFCA score, équivalents conseiller pour 10 000 personnes éloignées. */
	score: number;
	/** Straight-line distance to the nearest mediation place, km (NaN or null: none). */
	nearestKm: number | null;
}

export interface RankingInputs {
	/** The needs estimate of a commune, null when unknown. */
	need?: (commune: CommuneRecord) => CommuneNeed | null;
	/** Accessibility by commune code. */
	access?: ReadonlyMap<string, CommuneAccess>;
	/** QPV by commune, to count a QPV spanning several communes once above the commune level. */
	qpv?: QpvByCommune;
	/** Names of the EPCI, départements and régions. */
	territories?: TerritoryIndex;
}

/** FRR classes counted as "classée FRR": socle (4) and FRR+ (5); transitional (1) is not (PROVENANCE §9). */
const FRR_CLASSED = new Set([4, 5]);

const finite = (v: number | null | undefined): number | null =>
	v === null || v === undefined || !Number.isFinite(v) ? null : v;

/** The code of the parent holding the most population among `communes` (EPCI → département, région). */
function mainParent(
	communes: readonly CommuneRecord[],
	parent: (c: CommuneRecord) => string
): string | null {
	const population = new Map<string, number>();
	for (const c of communes)
		population.set(parent(c), (population.get(parent(c)) ?? 0) + c.population);
	let best: string | null = null;
	let bestPopulation = -1;
	for (const [code, p] of population) {
		if (p > bestPopulation || (p === bestPopulation && best !== null && code < best)) {
			best = code;
			bestPopulation = p;
		}
	}
	return best;
}

/** A commune's own row: no aggregation (the fast path for 34,875 rows). */
function communeRow(c: CommuneRecord, inputs: RankingInputs): TerritoryRow {
	const need = inputs.need?.(c) ?? null;
	const eloignes = finite(need?.eloignes);
	const base = finite(need?.base);
	const access = inputs.access?.get(c.code) ?? null;
	return {
		code: c.code,
		nom: c.nom,
		level: 'commune',
		dep: c.dep,
		reg: c.reg,
		population: c.population,
		eloignes,
		partEloignes: eloignes !== null && base !== null && base > 0 ? (100 * eloignes) / base : null,
		accessScore: finite(access?.score),
		nearestKm: finite(access?.nearestKm),
		fibreFtthPct: c.fibreFtthPct,
		ifnNo4g: c.ifnNo4g,
		qpvCount: c.qpvCount,
		partFrr: c.frr === null ? null : FRR_CLASSED.has(c.frr) ? 100 : 0,
		frr: c.frr,
		ifnPoverty: c.ifnPoverty
	};
}

/** The row of a territory above the commune: sums, ratios of sums and weighted means. */
function aggregateRow(
	code: string,
	nom: string,
	level: Exclude<Level, 'commune'>,
	communes: readonly CommuneRecord[],
	inputs: RankingInputs
): TerritoryRow {
	const needs = new Map(communes.map((c) => [c.code, inputs.need?.(c) ?? null]));
	const eloignes = (c: CommuneRecord) => finite(needs.get(c.code)?.eloignes);
	const access = (c: CommuneRecord) => inputs.access?.get(c.code) ?? null;
	const known = communes.filter((c) => eloignes(c) !== null);
	const partEloignes = ratioOfSums(communes, eloignes, (c) => finite(needs.get(c.code)?.base));
	let qpvCount: number;
	if (inputs.qpv) {
		const distinct = new Set<string>();
		for (const c of communes) for (const q of inputs.qpv[c.code] ?? []) distinct.add(q.code);
		qpvCount = distinct.size;
	} else qpvCount = communes.reduce((sum, c) => sum + c.qpvCount, 0);
	const partFrr = ratioOfSums(
		communes,
		(c) => (c.frr === null ? null : FRR_CLASSED.has(c.frr) ? c.population : 0),
		(c) => (c.frr === null ? null : c.population)
	);
	return {
		code,
		nom,
		level,
		dep: level === 'region' ? null : mainParent(communes, (c) => c.dep),
		reg: mainParent(communes, (c) => c.reg),
		population: communes.reduce((sum, c) => sum + c.population, 0),
		eloignes:
			known.length === 0 ? null : known.reduce((sum, c) => sum + (eloignes(c) as number), 0),
		partEloignes: partEloignes === null ? null : 100 * partEloignes,
		// Weighted by the people éloignés: the access of the average person who needs help.
		accessScore: weightedMean(communes, (c) => finite(access(c)?.score), eloignes),
		nearestKm: weightedMean(communes, (c) => finite(access(c)?.nearestKm), eloignes),
		fibreFtthPct: weightedMean(
			communes,
			(c) => c.fibreFtthPct,
			(c) => c.locaux2022
		),
		ifnNo4g: weightedMean(
			communes,
			(c) => c.ifnNo4g,
			(c) => c.population
		),
		qpvCount,
		partFrr: partFrr === null ? null : 100 * partFrr,
		frr: null,
		ifnPoverty: weightedMean(
			communes,
			(c) => c.ifnPoverty,
			(c) => c.population
		)
	};
}

/**
 * One ranking row per territory of `level`, in code order. At the commune level values are the
 * commune's own; above it:
 * - people éloignés and QPV (distinct when `inputs.qpv` is given) are summed;
 * - the share of people éloignés is Σ éloignés / Σ base; the share in FRR communes is a ratio of populations;
 * - the E2SFCA score and the nearest distance are means weighted by people éloignés (the situation of
 *   the average person in need), the FttH share is weighted by premises (ARCEP 2022 count), the IFN
 *   scores by population;
 * - an EPCI is ranked in the département (and région) holding most of its population.
 * Communes without an EPCI are left out of the EPCI level.
 */
export function buildRankingRows(
	communes: readonly CommuneRecord[],
	level: Level,
	inputs: RankingInputs = {}
): TerritoryRow[] {
	const names = new Map<string, string>();
	if (inputs.territories) {
		for (const list of [
			inputs.territories.regions,
			inputs.territories.departements,
			inputs.territories.epci
		]) {
			for (const t of list) names.set(`${t.level}:${t.code}`, t.nom);
		}
	}
	const rows: TerritoryRow[] = [];
	if (level === 'commune') {
		for (const c of communes) rows.push(communeRow(c, inputs));
	} else {
		for (const [code, members] of groupCommunesByLevel(communes, level)) {
			rows.push(aggregateRow(code, names.get(`${level}:${code}`) ?? code, level, members, inputs));
		}
	}
	return rows.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}
