/**
 * Defaults, limits and validation of a siting run. Every problem is listed in one French message so
 * a user (form, API body, URL) can fix all of them at once.
 */
import { formatDecimal, formatInteger } from '$lib/format/number';
import {
	SITING_OBJECTIVES,
	type CandidateSite,
	type DemandPoint,
	type ExistingPlace,
	type SitingObjective,
	type SitingParams
} from './model';

/**
 * Default coverage distance, km as the crow flies: 10 km.
 *
 * A planning convention, not a norm. 10 km straight is about 12–13 km by road (detour factor ≈ 1.3)
 * and about a quarter of an hour by car in rural areas, which is the upper end of what INSEE measures
 * for everyday services: 95 % of people in metropolitan France live within 9 minutes by road of the
 * "panier de la vie courante" (INSEE Première n° 1579, janvier 2016). It is tighter than the
 * "France services à moins de 30 minutes" commitment because people éloignés du numérique are more
 * often old or without a car. The user can change it (see `COVERAGE_KM_LIMITS`).
 */
export const DEFAULT_COVERAGE_KM = 10;

/** Default objective: maximal coverage, whose gains read directly as "people newly covered". */
export const DEFAULT_OBJECTIVE: SitingObjective = 'couverture';

/** Number of new sites: integer in [min, max]. 500 is above the ≈ 4,000 conseillers numériques spread over 101 départements. */
export const SITES_LIMITS = { min: 1, max: 500 } as const;

/** Coverage distance, km: exclusive minimum, inclusive maximum (200 km spans a large région). */
export const COVERAGE_KM_LIMITS = { above: 0, max: 200 } as const;

/** Problems beyond this many per list (demand, candidates, places) are summarised in one line. */
const MAX_LISTED_POINT_PROBLEMS = 5;

function describeValue(value: unknown): string {
	if (typeof value === 'string') return `« ${value} »`;
	if (typeof value === 'number')
		return Number.isFinite(value) ? formatDecimal(value, 3).replace(/,?0+$/, '') : String(value);
	if (value === undefined) return 'rien';
	try {
		return JSON.stringify(value) ?? String(value);
	} catch {
		return String(value);
	}
}

/**
 * Check the parameters of a run, whatever their origin (form, URL, JSON body).
 * @returns the French problems, empty when `value` is a valid `SitingParams`
 * @example validateSitingParams({ n: 0, objective: 'x', coverageKm: 10 }) // two problems
 */
export function validateSitingParams(value: unknown): string[] {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) {
		return ['Les paramètres doivent être un objet { n, objective, coverageKm }.'];
	}
	const p = value as Record<string, unknown>;
	const problems: string[] = [];
	if (
		typeof p.n !== 'number' ||
		!Number.isInteger(p.n) ||
		p.n < SITES_LIMITS.min ||
		p.n > SITES_LIMITS.max
	) {
		problems.push(
			`Le nombre de nouveaux sites doit être un entier entre ${SITES_LIMITS.min} et ${SITES_LIMITS.max} (reçu : ${describeValue(p.n)}).`
		);
	}
	if (
		typeof p.objective !== 'string' ||
		!(SITING_OBJECTIVES as readonly string[]).includes(p.objective)
	) {
		problems.push(
			`L’objectif doit être « couverture » ou « distance » (reçu : ${describeValue(p.objective)}).`
		);
	}
	if (
		typeof p.coverageKm !== 'number' ||
		!Number.isFinite(p.coverageKm) ||
		p.coverageKm <= COVERAGE_KM_LIMITS.above ||
		p.coverageKm > COVERAGE_KM_LIMITS.max
	) {
		problems.push(
			`La distance de couverture doit être un nombre de kilomètres supérieur à ${COVERAGE_KM_LIMITS.above} et au plus ${COVERAGE_KM_LIMITS.max} (reçu : ${describeValue(p.coverageKm)}).`
		);
	}
	return problems;
}

function isLonLat(lon: unknown, lat: unknown): boolean {
	return (
		typeof lon === 'number' &&
		typeof lat === 'number' &&
		Number.isFinite(lon) &&
		Number.isFinite(lat) &&
		lon >= -180 &&
		lon <= 180 &&
		lat >= -90 &&
		lat <= 90
	);
}

/** Collect per-item problems of one list, listing the first few and counting the rest. */
function checkList<T>(
	items: readonly T[],
	label: string,
	check: (item: T) => string | null,
	name: (item: T, index: number) => string
): string[] {
	const problems: string[] = [];
	let more = 0;
	items.forEach((item, i) => {
		const problem = check(item);
		if (problem === null) return;
		if (problems.length < MAX_LISTED_POINT_PROBLEMS)
			problems.push(`${label} ${name(item, i)} : ${problem}.`);
		else more++;
	});
	if (more > 0)
		problems.push(`… et ${formatInteger(more)} autre(s) ${label.toLowerCase()}(s) invalide(s).`);
	return problems;
}

function describePoint(item: unknown, index: number, key: 'code' | 'id'): string {
	const value =
		item && typeof item === 'object' ? (item as Record<string, unknown>)[key] : undefined;
	return `n° ${index + 1}${typeof value === 'string' ? ` (${key} « ${value} »)` : ''}`;
}

/**
 * Check the points of a run: non-empty demand and candidate lists, WGS84 coordinates, weights ≥ 0
 * (persons), unique candidate ids. Existing places may be an empty list.
 * @returns the French problems, empty when the points can be used
 */
export function validateSitingPoints(
	demand: readonly DemandPoint[],
	candidates: readonly CandidateSite[],
	existing: readonly ExistingPlace[]
): string[] {
	const problems: string[] = [];
	if (!Array.isArray(demand) || demand.length === 0) {
		problems.push('La liste des communes à desservir (demande) est vide : rien à couvrir.');
	} else {
		problems.push(
			...checkList(
				demand,
				'Commune',
				(d) => {
					if (!isLonLat(d?.lon, d?.lat))
						return 'coordonnées absentes ou invalides (degrés WGS84 attendus)';
					if (typeof d.weight !== 'number' || !Number.isFinite(d.weight) || d.weight < 0) {
						return `poids invalide ${describeValue(d.weight)} (nombre de personnes ≥ 0 attendu)`;
					}
					return null;
				},
				(d, i) => describePoint(d, i, 'code')
			)
		);
	}
	if (!Array.isArray(candidates) || candidates.length === 0) {
		problems.push(
			'La liste des sites candidats est vide : aucun lieu où ouvrir un poste (vérifiez le territoire et la règle de sélection des candidats).'
		);
	} else {
		problems.push(
			...checkList(
				candidates,
				'Site candidat',
				(c) =>
					isLonLat(c?.lon, c?.lat)
						? null
						: 'coordonnées absentes ou invalides (degrés WGS84 attendus)',
				(c, i) => describePoint(c, i, 'id')
			)
		);
		const seen = new Set<string>();
		const duplicates = new Set<string>();
		for (const c of candidates) {
			if (seen.has(c?.id)) duplicates.add(c.id);
			seen.add(c?.id);
		}
		if (duplicates.size > 0) {
			const shown = [...duplicates].slice(0, MAX_LISTED_POINT_PROBLEMS).map((id) => `« ${id} »`);
			problems.push(
				`Identifiants de sites candidats en double : ${shown.join(', ')}${duplicates.size > shown.length ? '…' : ''}.`
			);
		}
	}
	if (!Array.isArray(existing)) {
		problems.push('La liste des lieux existants doit être un tableau (éventuellement vide).');
	} else {
		problems.push(
			...checkList(
				existing,
				'Lieu existant',
				(e) =>
					isLonLat(e?.lon, e?.lat)
						? null
						: 'coordonnées absentes ou invalides (degrés WGS84 attendus)',
				(e, i) => describePoint(e, i, 'id')
			)
		);
	}
	return problems;
}

/** The one French message that lists every problem, for a 400 answer or the simulation panel. */
export function describeSitingProblems(problems: readonly string[]): string {
	return problems.length === 1
		? `Simulation impossible : ${problems[0]}`
		: `Simulation impossible (${problems.length} problèmes) : ${problems.map((p, i) => `${i + 1}) ${p}`).join(' ')}`;
}

/** Parameters with the documented defaults for the missing objective and distance (n has no default). */
export function withSitingDefaults(
	params: Partial<SitingParams> & Pick<SitingParams, 'n'>
): SitingParams {
	return {
		n: params.n,
		objective: params.objective ?? DEFAULT_OBJECTIVE,
		coverageKm: params.coverageKm ?? DEFAULT_COVERAGE_KM
	};
}
