/**
 * The needs model's fit: k to the mainland figure, γ and θ to the régional benchmarks, the régional
 * effects (benchmarked, pooled by empirical Bayes, overseas survey, extrapolated), and the estimate
 * of every commune for given parameters.
 */
import {
	EXTRAPOLATION_RELATIVE_SD,
	GAMMA_BOUNDS,
	MAINLAND_LEVEL_RELATIVE_SD,
	MAX_RATE,
	OVERSEAS_RELATIVE_SD,
	REGIONAL_SURVEY_REFERENCE_POP15,
	REGIONAL_SURVEY_RELATIVE_SD,
	TERRITORY_RATES_2019,
	THETA_BOUNDS
} from './constants';
import {
	EXTRAPOLATED_REGIONS,
	NON_ESTIMATED_REGIONS,
	OVERSEAS_SURVEY_2017,
	REGIONAL_BENCHMARKS_2019,
	benchmarkInterval,
	type Fiabilite,
	type RegionalBenchmark
} from './benchmarks';
import { pop15ByRegion, type Prepared } from './prepare';

/** How a région's effect was obtained. */
export type RegionEffectKind =
	'reference-regionale' | 'mutualise' | 'enquete-outre-mer' | 'extrapole' | 'non-estime';

/** The régional effect u_r (log scale) and its uncertainty. */
export interface RegionEffect {
	reg: string;
	kind: RegionEffectKind;
	/** exp(u) multiplies the synthetic estimate of every commune of the région. */
	u: number;
	/** Relative variance of the région's level (log scale, 1 sd²). */
	variance: number;
	/** Target share of people aged 15+ (0–1) when the région is benchmarked, else null. */
	targetRate: number | null;
}

/** γ, θ and k: the three parameters of the synthetic model. */
export interface SyntheticParameters {
	gamma: number;
	theta: number;
	scale: number;
}

/** Empirical-Bayes summary of the régional log-ratios. */
export interface PoolingSummary {
	/** Variance of the régional effects between régions (moment estimator), log scale. */
	tau2: number;
	/** Precision-weighted mean of the benchmarked régions' log-ratios, and its variance. */
	mean: number;
	meanVariance: number;
	/** Shrinkage of that mean toward zero (0 = all the way, 1 = none). */
	shrinkage: number;
	/** The effect given to the régions without a figure. */
	pooled: number;
	/** log(published / synthetic) of each benchmarked région. */
	logRatios: { reg: string; d: number; variance: number }[];
}

/** The density levels standing for INSEE's two ends of the territory gradient. */
const URBAN_LEVEL = 1;
const RURAL_LEVEL = 7;

/** A benchmark as the fit uses it: the target share of a région and its relative variance. */
export interface BenchmarkTarget {
	reg: string;
	/** Target share of people aged 15+ (0–1). */
	rate: number;
	/** Relative variance of the figure (rounding + survey error), log scale. */
	variance: number;
	benchmark: RegionalBenchmark;
}

/**
 * The benchmarks as shares of people aged 15+: the published rate where there is one (it is what the
 * model estimates), else the published count over the estimated people aged 15+.
 */
export function benchmarkTargets(
	p: Prepared,
	benchmarks: readonly RegionalBenchmark[] = REGIONAL_BENCHMARKS_2019
): BenchmarkTarget[] {
	const pops = pop15ByRegion(p);
	const out: BenchmarkTarget[] = [];
	for (const b of benchmarks) {
		const r = p.regions.indexOf(b.reg);
		if (r < 0 || pops[r] <= 0) continue;
		const interval = benchmarkInterval(b, pops[r]);
		if (!interval) continue;
		const rate = interval.target;
		const rounding = (interval.high - interval.low) / 2 / rate;
		// Sampling variance ∝ 1 / sample size ∝ 1 / population (proportional allocation).
		const sampling = REGIONAL_SURVEY_RELATIVE_SD ** 2 * (REGIONAL_SURVEY_REFERENCE_POP15 / pops[r]);
		out.push({ reg: b.reg, rate, variance: rounding ** 2 / 3 + sampling, benchmark: b });
	}
	return out;
}

/** Σ ageExpected × exp(γ s + θ t) per région index, and the scale k for the mainland target. */
function syntheticSums(
	p: Prepared,
	gamma: number,
	theta: number,
	target: number
): { byRegion: Float64Array; scale: number } {
	const byRegion = new Float64Array(p.regions.length);
	let mainPop = 0;
	let mainExpected = 0;
	for (let k = 0; k < p.n; k++) {
		const e = p.ageExpected[k] * Math.exp(gamma * p.social[k] + theta * p.territory[k]);
		byRegion[p.region[k]] += e;
		if (p.mainland[k]) {
			mainPop += p.pop15[k];
			mainExpected += e;
		}
	}
	return { byRegion, scale: mainExpected > 0 ? (target * mainPop) / mainExpected : 1 };
}

/**
 * θ for a given γ: the slope of the density grid that makes the rate of the most rural communes
 * (level 7, rural à habitat très dispersé, standing for INSEE's "hors attraction des villes") over
 * the rate of the most urban ones (level 1, grands centres urbains, standing for the aires of 700,000+)
 * equal INSEE's published ratio 22 % / 13 %, beyond what age and social situation explain. The
 * score is constant inside a level, so θ has a closed form.
 */
function thetaForGamma(p: Prepared, gammaTerms: Float64Array): number {
	let rural = 0;
	let ruralPop = 0;
	let urban = 0;
	let urbanPop = 0;
	let tRural = 0;
	let tUrban = 0;
	for (let k = 0; k < p.n; k++) {
		if (!p.mainland[k]) continue;
		if (p.densite[k] === RURAL_LEVEL) {
			rural += gammaTerms[k];
			ruralPop += p.pop15[k];
			tRural = p.territory[k];
		} else if (p.densite[k] === URBAN_LEVEL) {
			urban += gammaTerms[k];
			urbanPop += p.pop15[k];
			tUrban = p.territory[k];
		}
	}
	if (rural <= 0 || urban <= 0 || tRural === tUrban) return 0;
	const published = TERRITORY_RATES_2019['hors-attraction'] / TERRITORY_RATES_2019['grandes-aires'];
	const explained = rural / ruralPop / (urban / urbanPop);
	const theta = Math.log(published / explained) / (tRural - tUrban);
	return Math.min(THETA_BOUNDS[1], Math.max(THETA_BOUNDS[0], theta));
}

/**
 * γ fitted to the régional benchmarks `targets`, θ from the published territory gradient, k so that
 * mainland France stays at its target. γ minimises the sum of absolute log-ratios published /
 * synthetic (least absolute deviations): a région no covariate explains (Corse) then goes into its
 * own régional effect instead of bending γ for every commune.
 */
export function fitSyntheticParameters(
	p: Prepared,
	targets: readonly BenchmarkTarget[],
	mainlandTarget: number
): SyntheticParameters {
	const pops = pop15ByRegion(p);
	const idx = targets.map((t) => p.regions.indexOf(t.reg));
	const gammaTerms = new Float64Array(p.n);
	const evaluate = (gamma: number) => {
		for (let k = 0; k < p.n; k++) gammaTerms[k] = p.ageExpected[k] * Math.exp(gamma * p.social[k]);
		const theta = thetaForGamma(p, gammaTerms);
		const byRegion = new Float64Array(p.regions.length);
		let mainPop = 0;
		let mainExpected = 0;
		for (let k = 0; k < p.n; k++) {
			const e = gammaTerms[k] * Math.exp(theta * p.territory[k]);
			byRegion[p.region[k]] += e;
			if (p.mainland[k]) {
				mainPop += p.pop15[k];
				mainExpected += e;
			}
		}
		const scale = mainExpected > 0 ? (mainlandTarget * mainPop) / mainExpected : 1;
		let loss = 0;
		targets.forEach((t, j) => {
			loss += Math.abs(Math.log((t.rate * pops[idx[j]]) / (scale * byRegion[idx[j]])));
		});
		return { gamma, theta, scale, loss };
	};
	// The loss is piecewise smooth in one parameter: a grid, then a golden-section refinement.
	const [low, high] = GAMMA_BOUNDS;
	const steps = 15;
	let best = evaluate(low);
	for (let s = 1; s <= steps; s++) {
		const trial = evaluate(low + ((high - low) * s) / steps);
		if (trial.loss < best.loss) best = trial;
	}
	let a = Math.max(low, best.gamma - (high - low) / steps);
	let b = Math.min(high, best.gamma + (high - low) / steps);
	const ratio = (Math.sqrt(5) - 1) / 2;
	let c = evaluate(b - ratio * (b - a));
	let d = evaluate(a + ratio * (b - a));
	for (let it = 0; it < 22; it++) {
		if (c.loss < d.loss) {
			b = d.gamma;
			d = c;
			c = evaluate(b - ratio * (b - a));
		} else {
			a = c.gamma;
			c = d;
			d = evaluate(a + ratio * (b - a));
		}
	}
	const chosen = [best, c, d].reduce((x, y) => (y.loss < x.loss ? y : x));
	return { gamma: chosen.gamma, theta: chosen.theta, scale: chosen.scale };
}

/**
 * Empirical-Bayes pooling of the régional log-ratios d_r = log(published / synthetic), as in the
 * Fay–Herriot model d_r = μ + u_r + e_r (u_r ~ N(0, τ²), e_r the figure's own error of variance ψ_r):
 * τ² by Fay and Herriot's moment equation Σ (d_r − μ̂)² / (τ² + ψ_r) = n − 1, μ̂ the precision-weighted
 * mean, then μ̂ shrunk toward zero by max(0, 1 − V/μ̂²) (positive-part James–Stein), so a mean no
 * larger than its own error is not trusted. A région with a small, noisy figure (Corse) weighs less.
 */
export function poolLogRatios(
	logRatios: readonly { reg: string; d: number; variance: number }[]
): PoolingSummary {
	const n = logRatios.length;
	if (n === 0) {
		return { tau2: 0, mean: 0, meanVariance: 0, shrinkage: 0, pooled: 0, logRatios: [] };
	}
	const weighted = (tau2: number) => {
		let wSum = 0;
		let wd = 0;
		for (const x of logRatios) {
			const w = 1 / (tau2 + x.variance);
			wSum += w;
			wd += w * x.d;
		}
		const mean = wd / wSum;
		let q = 0;
		for (const x of logRatios) q += (x.d - mean) ** 2 / (tau2 + x.variance);
		return { mean, meanVariance: 1 / wSum, q };
	};
	let tau2 = 0;
	if (n > 1 && weighted(0).q > n - 1) {
		let low = 0;
		let high = 1;
		while (weighted(high).q > n - 1 && high < 1e6) high *= 2;
		for (let it = 0; it < 100; it++) {
			const mid = (low + high) / 2;
			if (weighted(mid).q > n - 1) low = mid;
			else high = mid;
		}
		tau2 = (low + high) / 2;
	}
	const { mean, meanVariance } = weighted(tau2);
	const shrinkage = mean * mean > meanVariance ? 1 - meanVariance / (mean * mean) : 0;
	return {
		tau2,
		mean,
		meanVariance,
		shrinkage,
		pooled: shrinkage * mean,
		logRatios: [...logRatios]
	};
}

/** Share of people aged 15+ the 2017 overseas survey gives at the 2019 mainland level. */
export function overseasTargetRate(mainlandTarget: number): number {
	return (mainlandTarget * OVERSEAS_SURVEY_2017.overseasPct) / OVERSEAS_SURVEY_2017.mainlandPct;
}

/** The effect of every région for given synthetic parameters and benchmarks. */
export function regionEffectsFor(
	p: Prepared,
	params: SyntheticParameters,
	targets: readonly BenchmarkTarget[],
	mainlandTarget: number
): { effects: Record<string, RegionEffect>; pooling: PoolingSummary } {
	const pops = pop15ByRegion(p);
	const { byRegion } = syntheticSums(p, params.gamma, params.theta, mainlandTarget);
	const synthetic = (r: number) => params.scale * byRegion[r];
	const logRatioOf = (r: number, rate: number) =>
		synthetic(r) > 0 ? Math.log((rate * pops[r]) / synthetic(r)) : 0;
	const logRatios = targets.map((t) => ({
		reg: t.reg,
		d: logRatioOf(p.regions.indexOf(t.reg), t.rate),
		variance: t.variance
	}));
	const pooling = poolLogRatios(logRatios);
	const effects: Record<string, RegionEffect> = {};
	const overseasRate = overseasTargetRate(mainlandTarget);
	p.regions.forEach((reg, r) => {
		const benchmarked = targets.find((t) => t.reg === reg);
		if (NON_ESTIMATED_REGIONS.includes(reg)) {
			effects[reg] = { reg, kind: 'non-estime', u: 0, variance: 0, targetRate: null };
		} else if (benchmarked) {
			effects[reg] = {
				reg,
				kind: 'reference-regionale',
				u: logRatioOf(r, benchmarked.rate),
				variance: benchmarked.variance,
				targetRate: benchmarked.rate
			};
		} else if (OVERSEAS_SURVEY_2017.regions.includes(reg)) {
			effects[reg] = {
				reg,
				kind: 'enquete-outre-mer',
				u: logRatioOf(r, overseasRate),
				variance: OVERSEAS_RELATIVE_SD ** 2,
				targetRate: overseasRate
			};
		} else if (EXTRAPOLATED_REGIONS.includes(reg)) {
			effects[reg] = {
				reg,
				kind: 'extrapole',
				u: logRatioOf(r, overseasRate),
				variance: EXTRAPOLATION_RELATIVE_SD ** 2,
				targetRate: overseasRate
			};
		} else {
			effects[reg] = {
				reg,
				kind: 'mutualise',
				u: pooling.pooled,
				variance:
					pooling.tau2 + pooling.shrinkage * pooling.meanVariance + MAINLAND_LEVEL_RELATIVE_SD ** 2,
				targetRate: null
			};
		}
	});
	return { effects, pooling };
}

/** Reliability of the estimate of a région, from how its effect was obtained. */
export function fiabiliteOfEffect(kind: RegionEffectKind): Fiabilite {
	return kind === 'non-estime' ? 'non_estime' : kind === 'extrapole' ? 'extrapole' : 'estime';
}

/**
 * Estimated persons of every commune for given parameters and effects: the synthetic rate times
 * exp(u_r), capped at `MAX_RATE`, then each benchmarked région scaled once more so the cap cannot
 * move its total away from the published figure. Non-estimated communes get NaN.
 */
export function estimateArray(
	p: Prepared,
	params: SyntheticParameters,
	effects: Record<string, RegionEffect>
): Float64Array {
	const out = new Float64Array(p.n);
	const uncapped = new Float64Array(p.regions.length);
	const capped = new Float64Array(p.regions.length);
	const u = p.regions.map((reg) => effects[reg]);
	for (let k = 0; k < p.n; k++) {
		const e = u[p.region[k]];
		if (e.kind === 'non-estime') {
			out[k] = NaN;
			continue;
		}
		const raw =
			params.scale *
			p.ageExpected[k] *
			Math.exp(params.gamma * p.social[k] + params.theta * p.territory[k] + e.u);
		const value = Math.min(raw, MAX_RATE * p.pop15[k]);
		out[k] = value;
		uncapped[p.region[k]] += raw;
		capped[p.region[k]] += value;
	}
	for (let k = 0; k < p.n; k++) {
		const r = p.region[k];
		if (u[r].targetRate !== null && capped[r] > 0) out[k] *= uncapped[r] / capped[r];
	}
	return out;
}
