/** The result of a prepared scenario: exact figures before and after, gains, accessibility. */
import { gapPercent } from '../bounds';
import { evaluateScenario, summariseAccess } from '../figures';
import type { SitingDiagnostics, SitingFigures } from '../model';
import { indexPoints, nearestDistancesKm } from '../nearest';
import { accessStandingOf, describeSiteReason, type AccessStanding } from '../site-reasons';
import { formatInteger } from '$lib/format/number';
import { accessAfter, weightedAccess } from './accessibility';
import type { SitingContext } from './dataset';
import type { ScenarioParams } from './parameters';
import type { Prepared } from './prepare';
import type { SimulationFigures, SimulationOptions, SimulationResult } from './result';
import { describeCandidateRule, describeExistingPlaces, methodTexts } from './texts';
import { placePoint, placesInTerritory } from './territory';

export const round = (value: number, digits: number) => {
	const factor = 10 ** digits;
	return Math.round(value * factor) / factor + 0;
};
const roundOrNull = (value: number | null, digits: number) =>
	value === null || !Number.isFinite(value) ? null : round(value, digits);

function figuresJson(
	figures: SitingFigures,
	places: number,
	access: number | null
): SimulationFigures {
	return {
		lieux: places,
		communes: figures.demandPoints,
		eloignes: round(figures.totalDemand, 1),
		eloignes_couverts: round(figures.coveredDemand, 1),
		part_couverte_pct: figures.coveredShare === null ? null : round(figures.coveredShare * 100, 2),
		distance_moyenne_km: roundOrNull(figures.meanDistanceKm, 3),
		communes_non_couvertes: figures.uncoveredPoints,
		eloignes_non_couverts: round(figures.uncoveredDemand, 1),
		accessibilite: roundOrNull(access, 3)
	};
}

/** Build the result of a prepared scenario (exact figures, gains, accessibility). */
export function buildResult(
	context: SitingContext,
	params: ScenarioParams,
	prepared: Prepared,
	options: SimulationOptions,
	engine: {
		nothingToPropose: boolean;
		message: string | null;
		notices: string[];
		diagnostics: SitingDiagnostics | null;
		candidates: number;
	}
): SimulationResult {
	let standingOfTerritory: AccessStanding | null = null;
	const standing = () =>
		(standingOfTerritory ??= accessStandingOf(
			context.dataset.communes,
			prepared.territory.members
		));
	const { territory, demand, baseline, kept, added, proposed } = prepared;
	const { communes, places } = context.dataset;
	const sites = [...added, ...proposed];
	const baselinePoints = baseline.map((j) => placePoint(context, j));
	const baselineKm = nearestDistancesKm(demand, indexPoints(baselinePoints));
	const keptPoints = kept === baseline ? baselinePoints : kept.map((j) => placePoint(context, j));
	const keptKm =
		kept === baseline ? baselineKm : nearestDistancesKm(demand, indexPoints(keptPoints));
	const before = summariseAccess(demand, baselineKm, baseline.length, params.coverageKm);
	const evaluation = evaluateScenario(
		demand,
		keptPoints,
		sites.map((s) => ({ id: s.token, code: s.code, lon: s.lon, lat: s.lat })),
		params.coverageKm,
		keptKm
	);

	const accessBefore = weightedAccess(
		context,
		territory,
		(k) => communes.accessScore[territory.withCentre[k]]
	);
	const changed =
		sites.length > 0 || prepared.removedPlaces.length > 0 || prepared.supplyOverride.size > 0;
	// E2SFCA counts supply, whatever the candidate rule: every place but the removed ones.
	const removedSet = new Set(prepared.removedPlaces);
	const supplyKept = places.id.map((_, j) => j).filter((j) => !removedSet.has(j));
	const scoresAfter = changed
		? accessAfter(context, territory, supplyKept, sites, prepared.supplyOverride)
		: null;
	const accessAfterValue = scoresAfter
		? weightedAccess(context, territory, (k) => scoresAfter[k])
		: accessBefore;

	const placesBefore = placesInTerritory(context, territory, baseline);
	const placesAfter = placesInTerritory(context, territory, kept) + sites.length;

	const result: SimulationResult = {
		parametres: {
			niveau: params.territory.level,
			code: params.territory.code,
			n: params.n,
			objectif: params.objective,
			distance_km: params.coverageKm,
			candidats: {
				regle: params.candidates.rule,
				population_min:
					params.candidates.rule === 'population_min' ? params.candidates.populationMin : null
			}
		},
		territoire: {
			niveau: territory.level,
			code: territory.code,
			nom: territory.nom,
			communes: territory.members.length,
			population: territory.population,
			eloignes: round(territory.eloignes, 1)
		},
		sites: sites.map((s, t) => {
			const c = evaluation.sites[t];
			const commune = context.communeIndex.get(s.code);
			return {
				rang: t + 1,
				origine: s.origin,
				id: s.token,
				code_commune: s.code,
				nom: s.nom,
				lieu: s.lieu,
				lon: s.lon,
				lat: s.lat,
				gain: round(c.gainPeople, 1),
				gain_distance_moyenne_km: round(c.gainMeanDistanceKm, 3),
				gain_personnes_km: round(c.gainPersonKm, 1),
				pourquoi:
					commune === undefined
						? null
						: describeSiteReason(context.dataset.communes, standing(), commune)
			};
		}),
		lieux_retires: prepared.removedPlaces.map((j) => ({
			id: places.id[j],
			nom: places.nom[j],
			type: places.type[j],
			code_commune: places.commune[j]
		})),
		lieux_corriges: [...prepared.supplyOverride].map(([j, value]) => ({
			id: places.id[j],
			nom: places.nom[j],
			type: places.type[j],
			code_commune: places.commune[j],
			conseillers_avant: places.supply[j],
			conseillers_apres: value
		})),
		avant: figuresJson(before, placesBefore, accessBefore),
		apres: figuresJson(evaluation.after, placesAfter, accessAfterValue),
		rien_a_proposer: engine.nothingToPropose,
		message: engine.message,
		notices: [...prepared.notices, ...engine.notices],
		candidats: {
			regle: params.candidates.rule,
			description: describeCandidateRule(params.candidates),
			nombre: engine.candidates
		},
		lieux_existants: {
			description: describeExistingPlaces(params.candidates.rule),
			nombre: baseline.length
		},
		methode: methodTexts(params),
		diagnostics: engine.diagnostics,
		optimalite: engine.diagnostics
			? {
					prouvee: engine.diagnostics.proved,
					ecart_max_pct: engine.diagnostics.proved
						? 0
						: round(gapPercent(engine.diagnostics.finalValue, engine.diagnostics.upperBound), 2),
					methode: engine.diagnostics.boundMethod
				}
			: null
	};
	if (prepared.removedPlaces.length > 0) {
		result.notices.push(
			`${formatInteger(prepared.removedPlaces.length)} lieu(x) retiré(s) : les figures « avant » décrivent la situation réelle, « après » sans ce(s) lieu(x) ; les gains des sites se comptent par rapport aux lieux conservés.`
		);
	}
	if (options.detailCommunes) {
		const afterKm =
			sites.length > 0
				? nearestDistancesKm(
						demand,
						indexPoints([
							...keptPoints,
							...sites.map((s) => ({ id: s.token, lon: s.lon, lat: s.lat }))
						])
					)
				: keptKm;
		result.communes = territory.withCentre.map((i, k) => ({
			code: communes.code[i],
			eloignes: round(demand[k].weight, 1),
			distance_avant_km: roundOrNull(Number.isFinite(baselineKm[k]) ? baselineKm[k] : null, 3),
			distance_apres_km: roundOrNull(Number.isFinite(afterKm[k]) ? afterKm[k] : null, 3),
			accessibilite_avant: roundOrNull(communes.accessScore[i], 3),
			accessibilite_apres: roundOrNull(scoresAfter ? scoresAfter[k] : communes.accessScore[i], 3)
		}));
	}
	return result;
}
