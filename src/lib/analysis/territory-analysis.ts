/**
 * Everything the ranking, the territory reports and the siting panel derive from the dataset: the
 * needs estimate per commune, the accessibility of mediation per commune, and the ranking rows per
 * level. Pure and lazy (each part is computed on first use, once), so the browser, the server API and
 * the benchmarks share one definition.
 */
import type { Feature, Point } from 'geojson';
import { computeAccessibility } from '../access/e2sfca';
import { findNearestPlaces, type NearestPlaces } from '../access/nearest';
import { DEFAULT_ACCESS_PARAMETERS, type AccessParameters } from '../access/parameters';
import {
	buildDemandPoints,
	buildSupplyPoints,
	type DemandPoint,
	type SupplyPoint
} from '../access/points';
import { remoteEstimatesOf } from '../needs/cache';
import type { CommuneEstimate, RemoteEstimateSet } from '../needs/model';
import { prepareRanking, type PreparedRanking } from '../ranking/rank';
import { buildRankingRows, type CommuneAccess } from '../ranking/rows';
import type { TerritoryRow } from '../ranking/criteria';
import type { MediatorProperties, QpvByCommune, TerritoryIndex } from '../territory/artifacts';
import type { CommuneRecord, Level } from '../territory/commune';

export interface AnalysisInputs {
	communes: readonly CommuneRecord[];
	mediators: readonly Feature<Point, MediatorProperties>[];
	territories: TerritoryIndex;
	qpv: QpvByCommune;
	/** Decay bands and supply rules; defaults documented in access/parameters.ts. */
	accessParameters?: Readonly<AccessParameters>;
}

export interface CommuneAccessDetail extends CommuneAccess {
	/** Distance to the nearest place of each type, km (`NO_PLACE_KM`, Infinity: none of that type). */
	nearestByTypeKm: Record<MediatorProperties['type'], number>;
	/** Id of the nearest place (any type), or null. */
	nearestPlaceId: string | null;
}

export interface TerritoryAnalysis {
	readonly inputs: AnalysisInputs;
	/** Needs estimate (persons aged 15+ in illectronisme) for every commune, in table order. */
	readonly estimates: RemoteEstimateSet;
	readonly estimateByCode: ReadonlyMap<string, CommuneEstimate>;
	readonly demand: readonly DemandPoint[];
	readonly supply: readonly SupplyPoint[];
	readonly nearest: NearestPlaces;
	/** E2SFCA score and nearest distances per commune code. */
	readonly access: ReadonlyMap<string, CommuneAccessDetail>;
	/** Ranking rows of a level (sorted by code), built once. */
	rowsAt(level: Level): readonly TerritoryRow[];
	/** Prepared (normalised) ranking over all rows of a level, built once. */
	preparedAt(level: Level): PreparedRanking;
}

/**
 * Build the lazy analysis of a dataset. Nothing is computed until a property is read.
 * @example analyseTerritories(inputs).rowsAt('epci') // 1,254 rows with eloignes, accessScore…
 */
export function analyseTerritories(inputs: AnalysisInputs): TerritoryAnalysis {
	const parameters = inputs.accessParameters ?? DEFAULT_ACCESS_PARAMETERS;
	const memo = new Map<string, unknown>();
	const once = <T>(key: string, compute: () => T): T => {
		if (!memo.has(key)) memo.set(key, compute());
		return memo.get(key) as T;
	};

	const analysis: TerritoryAnalysis = {
		inputs,
		get estimates() {
			return once('estimates', () => remoteEstimatesOf(inputs.communes));
		},
		get estimateByCode() {
			return once(
				'estimateByCode',
				// Communes that are not estimated (Mayotte) have no entry: their need is unknown, not 0.
				() =>
					new Map(
						analysis.estimates.communes
							.filter((e) => e.fiabilite !== 'non_estime')
							.map((e) => [e.code, e])
					)
			);
		},
		get demand() {
			return once('demand', () => {
				const byCode = analysis.estimateByCode;
				return buildDemandPoints(inputs.communes, (c) => byCode.get(c.code)?.eloignes ?? null)
					.points;
			});
		},
		get supply() {
			return once('supply', () => buildSupplyPoints(inputs.mediators, parameters.supply));
		},
		get nearest() {
			return once('nearest', () => findNearestPlaces(analysis.demand, analysis.supply));
		},
		get access() {
			return once('access', () => {
				const { demand, supply, nearest } = analysis;
				const result = computeAccessibility(demand, supply, parameters);
				const map = new Map<string, CommuneAccessDetail>();
				demand.forEach((d, i) => {
					const km = nearest.overallKm[i];
					const byType = {} as Record<MediatorProperties['type'], number>;
					for (const [type, distances] of Object.entries(nearest.byTypeKm)) {
						byType[type as MediatorProperties['type']] = distances[i];
					}
					const j = nearest.nearestIndex[i];
					map.set(d.code, {
						score: result.score[i],
						nearestKm: Number.isFinite(km) ? km : null,
						nearestByTypeKm: byType,
						nearestPlaceId: j >= 0 ? supply[j].id : null
					});
				});
				return map;
			});
		},
		rowsAt(level) {
			return once(`rows:${level}`, () => {
				const byCode = analysis.estimateByCode;
				return buildRankingRows(inputs.communes, level, {
					need: (c) => {
						const e = byCode.get(c.code);
						return e ? { eloignes: e.eloignes, base: e.pop15 } : null;
					},
					access: analysis.access,
					qpv: inputs.qpv,
					territories: inputs.territories
				});
			});
		},
		preparedAt(level) {
			return once(`prepared:${level}`, () => prepareRanking(analysis.rowsAt(level)));
		}
	};
	return analysis;
}
