/**
 * Proved bounds of the siting model (issue 11): the Lagrangian bound is never below the optimum
 * (exhaustive search over the model's own candidate sets, real EPCI instances), never above the
 * submodular online bound it starts from, and it closes most of that bound's gap. The quickselect
 * that picks the N largest ρ agrees with a sort.
 */
import { describe, expect, it } from 'vitest';
import {
	gapPercent,
	selectLargest,
	sparseLagrangianBound,
	sparseOnlineBound
} from '$lib/siting/bounds';
import { chooseGreedily } from '$lib/siting/local-search';
import type { SitingObjective } from '$lib/siting/model';
import { indexPoints, nearestDistancesKm } from '$lib/siting/nearest';
import { ProgressReporter } from '$lib/siting/control';
import { buildSparseModel, savingOf, type SparseModel } from '$lib/siting/sparse-model';
import { loadSitingInstances } from './siting-instances';

const instances = loadSitingInstances();

/** Best saving of any set of `n` candidates of the model, by enumeration. */
function optimumOf(model: SparseModel, n: number): number {
	let best = 0;
	const chosen: number[] = [];
	const visit = (from: number) => {
		if (chosen.length === n) {
			best = Math.max(best, savingOf(model, chosen));
			return;
		}
		for (let j = from; j < model.candidateCount; j++) {
			chosen.push(j);
			visit(j + 1);
			chosen.pop();
		}
	};
	visit(0);
	return best;
}

const SETTINGS: { objective: SitingObjective; coverageKm: number }[] = [
	{ objective: 'couverture', coverageKm: 5 },
	{ objective: 'distance', coverageKm: 10 }
];

describe('sparseLagrangianBound on real EPCI instances', () => {
	const cases = instances.flatMap((inst) =>
		SETTINGS.flatMap((s) => [2, 3].map((n) => ({ inst, n, ...s })))
	);
	const gaps: { online: number; lagrangian: number }[] = [];

	it.each(cases)(
		'$inst.nom, $objective, N = $n: optimum ≤ Lagrangian bound ≤ online bound',
		({ inst, n, objective, coverageKm }) => {
			// Every other France services only, so that new sites have something to improve.
			const existing = inst.existing.filter((_, i) => i % 2 === 0);
			const model = buildSparseModel(inst.demand, inst.candidates, {
				objective,
				coverageKm,
				existingKm: nearestDistancesKm(inst.demand, indexPoints(existing))
			});
			// The plain greedy (no swaps) leaves a gap for the bounds to measure.
			const greedy = chooseGreedily(model, n, new ProgressReporter(), [0, 1]);
			const value = savingOf(model, greedy.order);
			const optimum = optimumOf(model, n);
			const online = sparseOnlineBound(model, greedy.order, value, n);
			const { bound } = sparseLagrangianBound(model, greedy.order, value, n);
			const tolerance = 1e-9 * Math.max(1, optimum);
			expect(bound).toBeGreaterThanOrEqual(optimum - tolerance);
			expect(bound).toBeLessThanOrEqual(online + tolerance);
			gaps.push({ online: gapPercent(value, online), lagrangian: gapPercent(value, bound) });
		}
	);

	it('closes most of the online bound’s gap', () => {
		const open = gaps.filter((g) => g.online > 0.01);
		expect(open.length).toBeGreaterThan(5);
		const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
		// Measured: the online bound leaves a mean gap of several %, the Lagrangian bound a fraction.
		expect(mean(open.map((g) => g.lagrangian))).toBeLessThan(0.5 * mean(open.map((g) => g.online)));
	});
});

describe('selectLargest', () => {
	it('puts the k largest values first, as a sort would (ties and repeats included)', () => {
		// Deterministic values with many ties (a linear congruential sequence mod 97).
		const value = Float64Array.from({ length: 1000 }, (_, i) => ((i * 7919 + 13) % 97) / 7);
		const sorted = [...value].sort((a, b) => b - a);
		for (const k of [1, 2, 10, 97, 500, 999, 1000]) {
			const ids = Int32Array.from({ length: value.length }, (_, i) => i);
			selectLargest(ids, value, k);
			const top = Array.from(ids.subarray(0, k), (i) => value[i]).sort((a, b) => b - a);
			expect(top).toEqual(sorted.slice(0, k));
			expect(new Set(ids).size).toBe(value.length);
		}
	});
});
