/** The needs model's bands: the uncertainty of one commune or of the sum of a group of communes. */
import { BAND_Z, DEPARTMENT_EFFECT_RATIO } from './constants';
import type { RemoteEstimateSet } from './model';

/** Relative standard deviation (log scale) and band of the sum of a group of communes. */
export interface GroupBand {
	central: number;
	pop15: number;
	/** Variance of the total, persons² (1 sd). */
	variance: number;
	/** sd / central. */
	relativeSd: number;
	bas: number;
	haut: number;
}

/**
 * Band of the sum of the communes `indexes` (non-estimated communes are left out): the régional
 * effects (fully correlated within a région), the département effects (correlated within a
 * département, summing to zero within a région, which the régional effect already carries), the
 * communes' own errors, and the jackknife variance of the calibration. Log-normal, at `BAND_Z`.
 */
export function groupBand(set: RemoteEstimateSet, indexes: readonly number[]): GroupBand {
	const { region, departement, regions } = set.prepared;
	const byRegion = new Map<number, number>();
	const byDep = new Map<number, number>();
	let central = 0;
	let pop15 = 0;
	let independent = 0;
	const jack = new Float64Array(set.jackknife.length);
	for (const k of indexes) {
		const e = set.communes[k];
		if (e.fiabilite === 'non_estime') continue;
		central += e.eloignes;
		pop15 += e.pop15;
		independent += e.variance;
		byRegion.set(region[k], (byRegion.get(region[k]) ?? 0) + e.eloignes);
		byDep.set(departement[k], (byDep.get(departement[k]) ?? 0) + e.eloignes);
		for (let j = 0; j < jack.length; j++) jack[j] += set.jackknife[j][k];
	}
	let variance = independent;
	for (const [r, total] of byRegion) {
		variance += total * total * set.model.regionEffects[regions[r]].variance;
	}
	// Département effects w_d with Σ_d a_d w_d = 0 inside each région: Var(Σ b_d w_d) =
	// σ² (Σ b_d² − (Σ a_d b_d)² / Σ a_d²), where a_d is the whole département and b_d the group's part.
	const depVar = DEPARTMENT_EFFECT_RATIO ** 2 * set.model.pooling.tau2;
	if (depVar > 0) {
		const sumB2 = new Map<number, number>();
		const sumAB = new Map<number, number>();
		for (const [d, b] of byDep) {
			const r = depRegionOf(set, d);
			sumB2.set(r, (sumB2.get(r) ?? 0) + b * b);
			sumAB.set(r, (sumAB.get(r) ?? 0) + set.departementTotals[d] * b);
		}
		for (const [r, b2] of sumB2) {
			const a2 = set.departementSquares[r];
			const ab = sumAB.get(r) ?? 0;
			if (a2 > 0) variance += depVar * Math.max(0, b2 - (ab * ab) / a2);
		}
	}
	const n = jack.length;
	if (n > 1) {
		const mean = jack.reduce((s, v) => s + v, 0) / n;
		variance += ((n - 1) / n) * jack.reduce((s, v) => s + (v - mean) ** 2, 0);
	}
	return bandFromVariance(central, variance, pop15);
}

const depRegionCache = new WeakMap<RemoteEstimateSet, Int32Array>();
function depRegionOf(set: RemoteEstimateSet, d: number): number {
	let map = depRegionCache.get(set);
	if (!map) {
		const m = new Int32Array(set.prepared.departements.length).fill(-1);
		set.prepared.departement.forEach((dep, k) => (m[dep] = set.prepared.region[k]));
		depRegionCache.set(set, m);
		map = m;
	}
	return map[d];
}

/**
 * A log-normal band at `BAND_Z` for a total with the given variance, capped at the people aged 15+.
 * @example bandFromVariance(1000, 100 ** 2, 5000) // relativeSd 0.1, bas ≈ 848, haut ≈ 1179
 */
export function bandFromVariance(central: number, variance: number, ceiling: number): GroupBand {
	const z = BAND_Z;
	if (!(central > 0)) {
		return { central, pop15: ceiling, variance, relativeSd: 0, bas: 0, haut: 0 };
	}
	const relativeSd = Math.sqrt(Math.max(0, variance)) / central;
	return {
		central,
		pop15: ceiling,
		variance,
		relativeSd,
		bas: central * Math.exp(-z * relativeSd),
		haut: Math.max(central, Math.min(ceiling, central * Math.exp(z * relativeSd)))
	};
}
