/**
 * The figures of a territory report (`/territoire/<niveau>/<code>`), assembled from the shared
 * analysis: nothing is estimated again here. Plain data (numbers, strings, arrays), so the page, the
 * CSV download and the tests read the same object.
 */
import type { Feature, Point } from 'geojson';
import { weightedMean, ratioOfSums, sumOf } from '../territory/aggregate';
import {
	DENSITY_LABELS,
	type CommuneRecord,
	type FrrCode,
	type Level,
	type ZrrStatus
} from '../territory/commune';
import type { MediatorProperties, MediatorType } from '../territory/artifacts';
import { MEDIATOR_TYPES, MEDIATOR_TYPE_LABELS, EFFECTIF_LABELS } from '../mediation/mediator-types';
import { remoteEstimateOfFrance, remoteEstimatesAt } from '../needs/cache';
import { estimateTotalWhere, type TerritoryEstimate } from '../needs/aggregate';
import { describeCommuneDrivers } from '../needs/drivers';
import type { Fiabilite } from '../needs/benchmarks';
import { DEFAULT_COVERAGE_KM } from '../siting/params';
import { lookupsOf, rowOf, type ReportContext } from './report-context';
import {
	compareFigures,
	NEEDS_MODEL_DATASETS,
	type ComparisonFigure,
	type ScopeTerritory
} from './report-figures';
import {
	prioritiseSubTerritories,
	rankTerritoryInReport,
	REPORT_PRESET,
	type SubTerritoryPriorities,
	type TerritoryRanking
} from './report-ranks';
import {
	describeReportMethod,
	selectReportSources,
	type ReportMethod,
	type ReportSource
} from './report-method';
import { LEVEL_NAMES, territoryReportPath } from './territory-ref';

/** A territory named in the report, with the path of its own report. */
export interface ReportTerritoryRef {
	level: Level;
	code: string;
	nom: string;
	/** « Commune », « Intercommunalité »… */
	levelName: string;
	path: string;
}

export interface ReportEstimate {
	/** People aged 15+ éloignés du numérique (central estimate), persons; null when not estimated. */
	eloignes: number | null;
	/** Band (90 %), persons. */
	bas: number | null;
	haut: number | null;
	/** `estime`, `extrapole` or `non_estime` (Mayotte). */
	fiabilite: Fiabilite;
	/** Share of people aged 15+, %, and its band. */
	part: number | null;
	partBas: number | null;
	partHaut: number | null;
	/** People aged 15+, persons. */
	pop15: number;
	/** The factors that weigh most, in French, most important first. */
	drivers: string[];
	sources: string[];
}

export interface PlaceTypeCount {
	type: MediatorType;
	label: string;
	/** Places of this type in the territory. */
	count: number;
	/** Conseillers or aidants declared by the source for these places, when the type carries one. */
	effectif: number | null;
	/** « conseillers numériques validés », « aidants habilités ». */
	effectifLabel: string | null;
	/** Dataset ids of these places. */
	sources: string[];
}

export interface NearestPlace {
	nom: string;
	type: MediatorType;
	typeLabel: string;
	adresse: string | null;
	/** Name of the commune it is in. */
	commune: string | null;
	/** The point is the place's address, or only its commune's centre. */
	located: 'address' | 'commune';
	source: string;
}

export interface ReportNearest {
	/**
	 * Straight-line distance to the nearest place, km: the commune's own, or above the commune the
	 * mean over its communes weighted by people éloignés.
	 */
	km: number | null;
	/** `commune`: from the commune centre; `moyenne`: weighted mean over the communes. */
	kind: 'commune' | 'moyenne';
	/** The nearest place itself (communes only). */
	place: NearestPlace | null;
	/** Same distance to the nearest place of each type, km (null: none of that type). */
	byType: { type: MediatorType; label: string; km: number | null }[];
	/** Share of the people éloignés living farther than `coverageKm` from any place, %. */
	farShare: number | null;
	/** Coverage distance of the siting tools, km. */
	coverageKm: number;
	sources: string[];
}

export interface ReportRurality {
	/** Commune only: INSEE density level label, ANCT rurality type, FRR class, ZRR, massif. */
	densite: string | null;
	ruralite: string | null;
	frr: string | null;
	zrr: string | null;
	montagne: string | null;
	/** Share of the population in a commune classed FRR or FRR+, %. */
	partFrr: number | null;
	/** Share of the population in a rural commune of the density grid (levels 5–7), %. */
	partRurale: number | null;
	sources: string[];
}

export interface TerritoryReport {
	territory: ReportTerritoryRef & {
		/** Population municipale (INSEE, in force on 1 January 2026), persons. */
		population: number;
		communeCount: number;
		/** EPCI type (CC, CA, CU, METRO). */
		epciType: string | null;
		/** Part of an overseas département, where the needs model has no published rates of its own. */
		overseas: boolean;
	};
	/** Containing territories, finest first (EPCI, département(s), région). */
	parents: ReportTerritoryRef[];
	populationSources: string[];
	estimate: ReportEstimate;
	/** Figures compared with the département, the région and France. */
	figures: ComparisonFigure[];
	/** QPV 2024 touching the territory. */
	qpv: { code: string; nom: string }[];
	qpvSources: string[];
	rurality: ReportRurality;
	places: { byType: PlaceTypeCount[]; total: number };
	nearest: ReportNearest;
	ranking: TerritoryRanking | null;
	/** Sub-territories (the communes of an EPCI…), most in need first; a commune: its EPCI's communes. */
	subTerritories: SubTerritoryPriorities | null;
	/** Every dataset quoted in the report. */
	sources: ReportSource[];
	method: ReportMethod;
	/** When the report and the data were produced (ISO). */
	generatedAt: string;
	dataGeneratedAt: string;
}

/** French labels of the FRR classes (PROVENANCE §9: codes 2 and 3 have no published label). */
export const FRR_LABELS: Record<FrrCode, string> = {
	0: 'non classée',
	1: 'en transition (ancienne ZRR)',
	2: 'classe sans libellé publié',
	3: 'classe sans libellé publié',
	4: 'classée FRR',
	5: 'classée FRR+'
};

export const ZRR_LABELS: Record<ZrrStatus, string> = {
	C: 'classée',
	NC: 'non classée',
	PC: 'partiellement classée'
};

// Estimates of a level by code, per cached list (the cache of remote-population-cache keeps the lists).
const estimateIndex = new WeakMap<readonly TerritoryEstimate[], Map<string, TerritoryEstimate>>();

function estimateOf(ctx: ReportContext, level: Level, code: string): TerritoryEstimate | null {
	const list = remoteEstimatesAt(ctx.communes, level, ctx.territories);
	let index = estimateIndex.get(list);
	if (!index) estimateIndex.set(list, (index = new Map(list.map((t) => [t.code, t]))));
	return index.get(code) ?? null;
}

const shareOf = (part: number | null, of: number) =>
	part !== null && of > 0 ? (100 * part) / of : null;

/** The name of a territory, or null when the code is not in the level. */
export function findTerritoryName(ctx: ReportContext, level: Level, code: string): string | null {
	const { communesOf, entries } = lookupsOf(ctx);
	if (level === 'commune') return communesOf.commune.get(code)?.[0]?.nom ?? null;
	return entries[level].get(code)?.nom ?? null;
}

function refOf(ctx: ReportContext, level: Level, code: string): ReportTerritoryRef | null {
	const nom = findTerritoryName(ctx, level, code);
	return nom === null
		? null
		: { level, code, nom, levelName: LEVEL_NAMES[level], path: territoryReportPath(level, code) };
}

/** The département, région and France scopes of a territory, then itself first. */
function scopesOf(
	ctx: ReportContext,
	level: Level,
	code: string,
	communes: readonly CommuneRecord[]
): ScopeTerritory[] {
	const lookups = lookupsOf(ctx);
	const row = rowOf(ctx, level, code);
	if (!row) return [];
	const scopes: ScopeTerritory[] = [
		{ scope: 'territoire', level, code, nom: row.nom, row, communes }
	];
	const dep = level === 'commune' || level === 'epci' ? row.dep : null;
	const reg = level === 'region' ? null : row.reg;
	for (const [scope, parentLevel, parent] of [
		['departement', 'departement', dep],
		['region', 'region', reg]
	] as const) {
		if (parent === null) continue;
		const parentRow = rowOf(ctx, parentLevel, parent);
		if (!parentRow) continue;
		scopes.push({
			scope,
			level: parentLevel,
			code: parent,
			nom: parentRow.nom,
			row: parentRow,
			communes: lookups.communesOf[parentLevel].get(parent) ?? []
		});
	}
	scopes.push({
		scope: 'france',
		level: 'france',
		code: 'FR',
		nom: 'France',
		row: lookups.franceRow,
		communes: ctx.communes
	});
	return scopes;
}

function placesOf(mediators: readonly Feature<Point, MediatorProperties>[]): {
	byType: PlaceTypeCount[];
	total: number;
} {
	const byType = MEDIATOR_TYPES.map((type): PlaceTypeCount => {
		const places = mediators.filter((m) => m.properties.type === type);
		const effectifLabel = EFFECTIF_LABELS[type];
		const declared = places.filter((m) => m.properties.effectif !== null);
		return {
			type,
			label: MEDIATOR_TYPE_LABELS[type],
			count: places.length,
			effectif:
				effectifLabel && declared.length > 0 ? sumOf(declared, (m) => m.properties.effectif) : null,
			effectifLabel: effectifLabel ? effectifLabel.many : null,
			sources: [...new Set(places.map((m) => m.properties.source))].sort()
		};
	});
	return { byType, total: mediators.length };
}

function nearestOf(
	ctx: ReportContext,
	level: Level,
	communes: readonly CommuneRecord[],
	mediatorSources: readonly string[]
): ReportNearest {
	const { access, estimateByCode } = ctx.analysis;
	const lookups = lookupsOf(ctx);
	const eloignes = (c: CommuneRecord) => estimateByCode.get(c.code)?.eloignes ?? null;
	const finite = (v: number | null | undefined) =>
		v === null || v === undefined || !Number.isFinite(v) ? null : v;
	const sources = [...mediatorSources, 'communes-centres'];
	const farShare = ratioOfSums(
		communes,
		(c) => {
			const km = finite(access.get(c.code)?.nearestKm);
			const e = eloignes(c);
			return km === null || e === null ? null : km > DEFAULT_COVERAGE_KM ? e : 0;
		},
		(c) => (finite(access.get(c.code)?.nearestKm) === null ? null : eloignes(c))
	);
	const common = {
		farShare: farShare === null ? null : 100 * farShare,
		coverageKm: DEFAULT_COVERAGE_KM,
		sources
	};
	if (level === 'commune') {
		const detail = access.get(communes[0]?.code ?? '');
		const feature = detail?.nearestPlaceId ? lookups.mediatorById.get(detail.nearestPlaceId) : null;
		const p = feature?.properties;
		return {
			km: finite(detail?.nearestKm),
			kind: 'commune',
			place: p
				? {
						nom: p.nom,
						type: p.type,
						typeLabel: MEDIATOR_TYPE_LABELS[p.type],
						adresse: p.adresse,
						commune: p.commune
							? (lookups.communesOf.commune.get(p.commune)?.[0]?.nom ?? null)
							: null,
						located: p.located,
						source: p.source
					}
				: null,
			byType: MEDIATOR_TYPES.map((type) => ({
				type,
				label: MEDIATOR_TYPE_LABELS[type],
				km: finite(detail?.nearestByTypeKm[type])
			})),
			...common
		};
	}
	return {
		km: weightedMean(communes, (c) => finite(access.get(c.code)?.nearestKm), eloignes),
		kind: 'moyenne',
		place: null,
		byType: MEDIATOR_TYPES.map((type) => ({
			type,
			label: MEDIATOR_TYPE_LABELS[type],
			km: weightedMean(communes, (c) => finite(access.get(c.code)?.nearestByTypeKm[type]), eloignes)
		})),
		...common
	};
}

function ruralityOf(
	level: Level,
	communes: readonly CommuneRecord[],
	figures: readonly ComparisonFigure[]
): ReportRurality {
	const own = (id: string) => figures.find((f) => f.id === id)?.values[0]?.value ?? null;
	const c = level === 'commune' ? communes[0] : null;
	return {
		densite: c?.densite ? `${DENSITY_LABELS[c.densite]} (niveau ${c.densite} sur 7)` : null,
		ruralite: c?.ruralite ?? null,
		frr: c && c.frr !== null ? FRR_LABELS[c.frr] : null,
		zrr: c && c.zrr !== null ? ZRR_LABELS[c.zrr] : null,
		montagne: c?.montagne ?? null,
		partFrr: own('rural'),
		partRurale: own('densite'),
		sources: ['frr-2025', 'grille-densite', 'typologies-anct', ...(c ? ['zrr-2021'] : [])]
	};
}

export interface ReportOptions {
	/** When the report is produced (the page prints it). */
	now: Date;
}

/**
 * The report of one territory, or null when `code` is not a territory of `level`.
 * @example buildTerritoryReport(ctx, 'epci', '200093201', { now: new Date() })?.estimate.eloignes
 */
export function buildTerritoryReport(
	ctx: ReportContext,
	level: Level,
	code: string,
	options: ReportOptions
): TerritoryReport | null {
	const lookups = lookupsOf(ctx);
	const communes = lookups.communesOf[level].get(code);
	const self = refOf(ctx, level, code);
	const row = rowOf(ctx, level, code);
	const estimate = estimateOf(ctx, level, code);
	if (!communes || communes.length === 0 || !self || !row || !estimate) return null;

	const set = ctx.analysis.estimates;
	const drivers =
		estimate.fiabilite === 'non_estime'
			? []
			: level === 'commune'
				? describeCommuneDrivers(ctx.analysis.estimateByCode.get(code)!, set.model)
				: estimateTotalWhere(
						set,
						ctx.communes,
						(c) => (level === 'epci' ? c.epci : level === 'departement' ? c.dep : c.reg) === code,
						{ code, nom: self.nom },
						{ withDrivers: true }
					).drivers;

	const mediators = communes.flatMap((c) => lookups.mediatorsByCommune.get(c.code) ?? []);
	const allMediatorSources = [...new Set(ctx.mediators.map((m) => m.properties.source))].sort();
	const scopes = scopesOf(ctx, level, code, communes);
	const figures = compareFigures(scopes, allMediatorSources);
	// The band of the share, for the territory and each parent (France: the national total).
	const part = figures.find((f) => f.id === 'part');
	if (part) {
		for (const v of part.values) {
			const e =
				v.level === 'france'
					? remoteEstimateOfFrance(ctx.communes)
					: estimateOf(ctx, v.level, v.code);
			if (e) {
				v.low = shareOf(e.bas, e.pop15);
				v.high = shareOf(e.haut, e.pop15);
			}
		}
	}

	const parents: ReportTerritoryRef[] = [];
	const first = communes[0];
	if (level === 'commune' && first.epci) {
		const epci = refOf(ctx, 'epci', first.epci);
		if (epci) parents.push(epci);
	}
	if (level === 'commune' || level === 'epci') {
		const deps = level === 'epci' ? [...new Set(communes.map((c) => c.dep))].sort() : [first.dep];
		for (const dep of deps) {
			const ref = refOf(ctx, 'departement', dep);
			if (ref) parents.push(ref);
		}
	}
	if (level !== 'region') {
		const regs = [...new Set(communes.map((c) => c.reg))].sort();
		for (const reg of regs) {
			const ref = refOf(ctx, 'region', reg);
			if (ref) parents.push(ref);
		}
	}

	const qpv = new Map<string, string>();
	for (const c of communes) for (const q of ctx.qpv[c.code] ?? []) qpv.set(q.code, q.nom);

	const places = placesOf(mediators);
	const nearest = nearestOf(ctx, level, communes, allMediatorSources);
	const rurality = ruralityOf(level, communes, figures);
	const estimateSources = [...NEEDS_MODEL_DATASETS];
	const usedSources = [
		'cog-2026',
		'admin-express-2018',
		...estimateSources,
		...figures.flatMap((f) => f.sources),
		'qpv-2024',
		...rurality.sources,
		...allMediatorSources,
		...nearest.sources
	];

	return {
		territory: {
			...self,
			population: sumOf(communes, (c) => c.population),
			communeCount: communes.length,
			epciType: level === 'epci' ? (lookups.entries.epci.get(code)?.type ?? null) : null,
			overseas: communes.some((c) => c.zone === 'drom')
		},
		parents,
		populationSources: ['cog-2026'],
		estimate: {
			eloignes: estimate.eloignes,
			bas: estimate.bas,
			haut: estimate.haut,
			fiabilite: estimate.fiabilite,
			part: estimate.part,
			partBas: shareOf(estimate.bas, estimate.pop15),
			partHaut: shareOf(estimate.haut, estimate.pop15),
			pop15: estimate.pop15,
			drivers: drivers.map((d) => d.text),
			sources: estimateSources
		},
		figures,
		qpv: [...qpv]
			.map(([qpvCode, nom]) => ({ code: qpvCode, nom }))
			.sort((a, b) => a.nom.localeCompare(b.nom, 'fr')),
		qpvSources: ['qpv-2024'],
		rurality,
		places,
		nearest,
		ranking: rankTerritoryInReport(ctx, level, code),
		subTerritories: prioritiseSubTerritories(ctx, level, code),
		sources: selectReportSources(usedSources, lookups.sourceById),
		method: describeReportMethod(set.model, REPORT_PRESET),
		generatedAt: options.now.toISOString(),
		dataGeneratedAt: ctx.dataGenerated
	};
}

/** The mediation places of a territory's communes (for the map). */
export function mediatorsOfCommunes(
	ctx: ReportContext,
	codes: Iterable<string>
): Feature<Point, MediatorProperties>[] {
	const { mediatorsByCommune } = lookupsOf(ctx);
	const out: Feature<Point, MediatorProperties>[] = [];
	for (const code of codes) out.push(...(mediatorsByCommune.get(code) ?? []));
	return out;
}
