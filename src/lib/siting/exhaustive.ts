/**
 * Reference solver: the exact optimum of a small siting instance by enumerating every set of N
 * candidates on a dense distance matrix. Independent of the sparse model and of the heuristics, so
 * tests can measure how close `proposeSites` gets. Cost grows as C(candidates, N) × demand points:
 * keep it for ≤ 25 candidates and small N.
 */
import type { CandidateSite, DemandPoint, ExistingPlace, SitingObjective } from './model';
import { distanceKm } from './nearest';

/** Refuse instances with more subsets than this (a few seconds of work). */
export const MAX_EXHAUSTIVE_SUBSETS = 2_000_000;

export interface ExactSolution {
	/** Indices into the candidate list, increasing. */
	chosen: number[];
	/** Persons within the coverage distance (couverture), or Σ persons × km to the nearest place (distance). */
	value: number;
	/** Subsets examined. */
	subsets: number;
}

function binomial(n: number, k: number): number {
	let r = 1;
	for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
	return Math.round(r);
}

/**
 * The best set of exactly `n` candidates (ties: the first in lexicographic order of indices).
 * For `couverture` the value is the covered persons (maximised); for `distance` it is Σ weight × km
 * to the nearest place (minimised).
 * @throws Error when there are more than `MAX_EXHAUSTIVE_SUBSETS` subsets
 */
export function solveExhaustively(
	demand: readonly DemandPoint[],
	candidates: readonly CandidateSite[],
	existing: readonly ExistingPlace[],
	n: number,
	objective: SitingObjective,
	coverageKm: number
): ExactSolution {
	const C = candidates.length;
	const D = demand.length;
	if (n < 1 || n > C) throw new Error(`n = ${n} hors de [1, ${C}]`);
	const count = binomial(C, n);
	if (count > MAX_EXHAUSTIVE_SUBSETS)
		throw new Error(`${count} sous-ensembles : instance trop grande pour la recherche exhaustive`);

	const base = demand.map((d) =>
		existing.reduce((best, e) => Math.min(best, distanceKm(d.lon, d.lat, e.lon, e.lat)), Infinity)
	);
	const dist = candidates.map((c) => demand.map((d) => distanceKm(d.lon, d.lat, c.lon, c.lat)));
	// levels[k][i]: distance of demand i to the nearest place once the first k picks are made.
	const levels = Array.from({ length: n + 1 }, (_, k) =>
		k === 0 ? Float64Array.from(base) : new Float64Array(D)
	);
	const pick = new Array<number>(n);
	const maximise = objective === 'couverture';
	let best: ExactSolution = { chosen: [], value: maximise ? -Infinity : Infinity, subsets: 0 };
	let subsets = 0;

	const valueOf = (near: Float64Array): number => {
		let v = 0;
		for (let i = 0; i < D; i++) {
			if (maximise) {
				if (near[i] <= coverageKm) v += demand[i].weight;
			} else v += demand[i].weight * near[i];
		}
		return v;
	};
	const visit = (k: number, start: number): void => {
		if (k === n) {
			subsets++;
			const v = valueOf(levels[n]);
			if (maximise ? v > best.value : v < best.value)
				best = { chosen: [...pick], value: v, subsets: 0 };
			return;
		}
		for (let j = start; j <= C - (n - k); j++) {
			const prev = levels[k];
			const next = levels[k + 1];
			const row = dist[j];
			for (let i = 0; i < D; i++) next[i] = row[i] < prev[i] ? row[i] : prev[i];
			pick[k] = j;
			visit(k + 1, j + 1);
		}
	};
	visit(0, 0);
	return { ...best, subsets };
}
