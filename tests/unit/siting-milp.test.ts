/**
 * Certified answers (issue 11): HiGHS solves coverage and distance exactly on small real instances
 * (the EPCI fixtures of siting-exact.test.ts), equal to exhaustive search, and every reported bound
 * is at least the true optimum, so the reported gap bounds the true gap.
 */
import loadHighs from 'highs';
import { beforeAll, describe, expect, it } from 'vitest';
import { solveExhaustively } from '$lib/siting/exhaustive';
import type { MilpSolver } from '$lib/siting/exact';
import type { ExistingPlace, SitingObjective } from '$lib/siting/model';
import { proposeSites } from '$lib/siting/propose-sites';
import { loadSitingInstances, type SitingInstance } from './siting-instances';

const instances = loadSitingInstances();

let solver: MilpSolver;
beforeAll(async () => {
	solver = (await loadHighs()) as unknown as MilpSolver;
});

const SETTINGS: { objective: SitingObjective; coverageKm: number }[] = [
	{ objective: 'couverture', coverageKm: 5 },
	{ objective: 'distance', coverageKm: 10 }
];

/** The exhaustive optimum (people covered, or Σ persons × km). */
function optimalSaving(
	inst: SitingInstance,
	existing: ExistingPlace[],
	n: number,
	objective: SitingObjective,
	coverageKm: number
) {
	return {
		best: solveExhaustively(inst.demand, inst.candidates, existing, n, objective, coverageKm)
	};
}

describe('HiGHS on real EPCI instances', () => {
	const cases = instances
		.slice(0, 5)
		.flatMap((inst) => SETTINGS.flatMap((s) => [2, 4].map((n) => ({ inst, n, ...s }))));
	it.each(cases)(
		'$inst.nom, $objective, N = $n: optimum proved, equal to exhaustive search',
		({ inst, n, objective, coverageKm }) => {
			const existing = inst.existing.filter((_, i) => i % 2 === 0);
			const outcome = proposeSites(
				{
					demand: inst.demand,
					candidates: inst.candidates,
					existing,
					params: { n, objective, coverageKm }
				},
				{},
				{ solver, improve: false }
			);
			expect(outcome.status).toBe('done');
			if (outcome.status !== 'done') return;
			const result = outcome.result;
			const { best } = optimalSaving(inst, existing, n, objective, coverageKm);
			if (objective === 'couverture') {
				expect(result.after.coveredDemand).toBeCloseTo(best.value, 6);
			} else {
				const total = result.after.totalDemand * (result.after.meanDistanceKm ?? 0);
				expect(total).toBeCloseTo(best.value, 3);
			}
			expect(result.diagnostics.proved).toBe(true);
		}
	);

	it.each(cases)(
		'$inst.nom, $objective, N = $n: the greedy bound is never below the optimum',
		({ inst, n, objective, coverageKm }) => {
			const existing = inst.existing.filter((_, i) => i % 2 === 0);
			const outcome = proposeSites(
				{
					demand: inst.demand,
					candidates: inst.candidates,
					existing,
					params: { n, objective, coverageKm }
				},
				{},
				{ improve: false }
			);
			if (outcome.status !== 'done') throw new Error(outcome.status);
			const result = outcome.result;
			const { best } = optimalSaving(inst, existing, n, objective, coverageKm);
			const optimum =
				objective === 'couverture'
					? best.value - result.before.coveredDemand
					: result.before.totalDemand * (result.before.meanDistanceKm ?? 0) - best.value;
			expect(result.diagnostics.upperBound).toBeGreaterThanOrEqual(
				optimum - 1e-6 * Math.max(1, optimum)
			);
			expect(result.diagnostics.finalValue).toBeLessThanOrEqual(
				optimum + 1e-6 * Math.max(1, optimum)
			);
		}
	);
});
