/**
 * Estimated number of people aged 15+ "éloignés du numérique" (in illectronisme, INSEE definition,
 * 2019 level) in every commune, with a 90 % predictive band. Model 2.0.0: a small-area estimate
 * (Rao & Molina 2015) benchmarked on every régional figure INSEE published (Pfeffermann 2013).
 *
 * 1. **Synthetic rate** of commune i: k × age rate × exp(γ × social + θ × territory), where
 *    - the age rate applies INSEE's 2019 rates by age (3 %, 9 %, 27 %, 67 %) to the commune's people
 *      aged 15–44, 45–59, 60–74, 75+ (INSEE age file when added; else the 60+ share measured in the
 *      Nord or read from the IFN age score, split by national ratios);
 *    - social is the mean of two standardised indexes: the poverty rate on the logit scale (Filosofi
 *      where INSEE publishes it, the IFN poverty score read as a rate elsewhere; no cap) and the IFN
 *      no-diploma score net of age (the residual of its regression on the 60+ share, so age is not
 *      counted twice);
 *    - territory is the INSEE density grid as a number from −1 (grands centres urbains) to +1 (rural
 *      à habitat très dispersé): one smooth slope, no cliff between neighbouring levels;
 *    - k puts mainland France at INSEE's 16 % (2019); γ and θ are fitted to the régional benchmarks
 *      (least squares on the log-ratios published / synthetic).
 * 2. **Régional effects** u_r (log scale): the benchmarked régions get exactly their published figure
 *    (ratio benchmarking, the adjustment spread over their communes by the model's own shares); the
 *    other mainland régions get the mean effect of the benchmarked ones shrunk toward zero
 *    (empirical Bayes); Guadeloupe, Martinique and La Réunion get the 2017 overseas survey's ratio to
 *    the mainland; Guyane the same ratio, flagged as an extrapolation; Mayotte is not estimated.
 * 3. **Band** (see `remote-population-band.ts`): régional effect error, département and commune
 *    effects (correlated within their territory, so they do not vanish when communes are summed),
 *    calibration error (jackknife over the benchmarks), the proxies' errors and counting noise.
 *
 * This module estimates every commune and is the model's entry point (it re-exports the rest). The
 * steps live in `remote-population-inputs.ts` (what the model knows of one commune),
 * `-prepare.ts` (the numbers the fit loops over), `-fit.ts` (γ, θ, k and the régional effects),
 * `-calibration.ts` (the calibrated model) and `-band.ts` (uncertainty of one commune or a group).
 */
import type { CommuneRecord } from '../territory/commune';
import {
	COMMUNE_EFFECT_RATIO,
	DEPARTMENT_EFFECT_RATIO,
	MAX_RATE,
	MODEL_VERSION,
	SHARE_15_PLUS_SD,
	SHARE_45_IN_15_59_SD,
	SHARE_75_IN_60_PLUS_SD
} from './constants';
import type { Fiabilite } from './benchmarks';
import { bandFromVariance } from './band';
import { fitModel, type LeaveOneOut, type RemoteModel } from './calibration';
import { estimateArray, fiabiliteOfEffect, fitSyntheticParameters, regionEffectsFor } from './fit';
import {
	ageRateOf,
	DEFAULT_ASSUMPTIONS,
	describeCommuneInputs,
	estimateAgeBands,
	fitProxies,
	NO_SHIFT,
	socialIndexOf,
	socialPartsOf,
	sumBands,
	type CommuneInputs,
	type InputShift,
	type SocialParts
} from './inputs';
import { pop15ByRegion, type Prepared } from './prepare';

export { MODEL_VERSION };
export type { Fiabilite };
export {
	ageRateOf,
	DEFAULT_ASSUMPTIONS,
	describeCommuneInputs,
	estimateAgeBands,
	fitProxies,
	socialIndexOf,
	socialPartsOf,
	type AgeSource,
	type CommuneInputs,
	type InputShift,
	type ModelAssumptions,
	type PovertySource,
	type ProxyFits,
	type SocialParts
} from './inputs';
export type { Prepared } from './prepare';
export {
	benchmarkTargets,
	fiabiliteOfEffect,
	fitSyntheticParameters,
	overseasTargetRate,
	poolLogRatios,
	regionEffectsFor,
	type BenchmarkTarget,
	type PoolingSummary,
	type RegionEffect,
	type RegionEffectKind,
	type SyntheticParameters
} from './fit';
export {
	calibrateRemoteModel,
	type CalibrationCheck,
	type LeaveOneOut,
	type RemoteModel
} from './calibration';
export { bandFromVariance, groupBand, type GroupBand } from './band';

/** Central estimate of one commune under a calibrated model, split into its multiplicative parts. */
export interface CommuneRate {
	/** People aged 15+ (estimated, or from the INSEE age file). */
	pop15: number;
	/** Age-only rate (share of 15+, INSEE 2019 rates by age). */
	ageRate: number;
	/** Social multiplier exp(γ × social index). */
	social: number;
	/** Standardised poverty and age-net diploma indexes. */
	socialParts: SocialParts;
	/** Territory multiplier exp(θ × (score − mean)). */
	territory: number;
	/** Régional multiplier exp(u_r). */
	regional: number;
	/** Final rate (share of 15+, 0–1), capped; NaN when the région is not estimated. */
	rate: number;
	/** Estimated persons aged 15+ in illectronisme (NaN when not estimated). */
	eloignes: number;
}

/**
 * Estimate one commune under a calibrated model (central value, no band, before the final cap
 * correction of benchmarked régions, which moves a total by less than 0.1 %).
 * @example estimateCommuneRate(describeCommuneInputs(c, model.fits), model).eloignes // persons
 */
export function estimateCommuneRate(
	inputs: CommuneInputs,
	model: RemoteModel,
	shift: Readonly<InputShift> = NO_SHIFT
): CommuneRate {
	const bands = estimateAgeBands(inputs, model.assumptions, shift);
	const pop15 = sumBands(bands);
	const ageRate = ageRateOf(bands);
	const socialParts = socialPartsOf(inputs, bands, model, shift);
	const social = Math.exp(model.gamma * socialIndexOf(socialParts));
	const territory = Math.exp(model.theta * (inputs.territoryScore - model.territoryMean));
	const effect = model.regionEffects[inputs.reg];
	if (!effect || effect.kind === 'non-estime') {
		return {
			pop15,
			ageRate,
			social,
			socialParts,
			territory,
			regional: NaN,
			rate: NaN,
			eloignes: NaN
		};
	}
	const regional = Math.exp(effect.u);
	const rate = Math.min(MAX_RATE, model.scale * ageRate * social * territory * regional);
	return { pop15, ageRate, social, socialParts, territory, regional, rate, eloignes: pop15 * rate };
}

/** One commune's estimate with everything needed for its band and for sums. */
export interface CommuneEstimate extends CommuneRate {
	code: string;
	population: number;
	fiabilite: Fiabilite;
	/** Variance of the errors proper to this commune (proxies, counting), persons² (1 sd). */
	variance: number;
	/** Low and high ends of the band (0 when not estimated), persons. */
	bas: number;
	haut: number;
	/** Share of people aged 15+, %, or null when nobody is 15+ or not estimated. */
	part: number | null;
	inputs: CommuneInputs;
}

/** The estimate for every commune, with what the bands of sums need. */
export interface RemoteEstimateSet {
	model: RemoteModel;
	/** In the order of the input communes. */
	communes: CommuneEstimate[];
	/** Région and département index of each commune, and their codes. */
	prepared: Pick<Prepared, 'region' | 'regions' | 'departement' | 'departements'>;
	/** Per-commune estimates refitted without each benchmark in turn (jackknife of γ, θ, k). */
	jackknife: Float64Array[];
	/** The leave-one-région-out predictions of the benchmarks. */
	leaveOneOut: LeaveOneOut[];
	/** Σ over each région of (département total)², persons² (for the département effects). */
	departementSquares: Float64Array;
	/** Total of each département, persons. */
	departementTotals: Float64Array;
}

/** Independent variance of one commune (persons², 1 sd): each input error moved by ±1 sd in turn. */
function proxyVariance(inputs: CommuneInputs, model: RemoteModel): number {
	const shifts: [keyof InputShift, number][] = [];
	if (inputs.share60Sd > 0) shifts.push(['share60', inputs.share60Sd]);
	if (!inputs.ageBands) {
		shifts.push(
			['share15Plus', SHARE_15_PLUS_SD],
			['share75In60Plus', SHARE_75_IN_60_PLUS_SD],
			['share45In15to59', SHARE_45_IN_15_59_SD]
		);
	}
	if (inputs.povertyRateSd > 0) shifts.push(['povertyRate', inputs.povertyRateSd]);
	if (inputs.educationIndexSd > 0) shifts.push(['educationIndex', inputs.educationIndexSd]);
	let variance = 0;
	for (const [key, sd] of shifts) {
		const up = estimateCommuneRate(inputs, model, { [key]: sd }).eloignes;
		const down = estimateCommuneRate(inputs, model, { [key]: -sd }).eloignes;
		variance += ((up - down) / 2) ** 2;
	}
	return variance;
}

/**
 * Name of the `performance` mark set at each run of the model (about a second each), so a page,
 * a worker or a bench can count runs (`performance.getEntriesByName(NEEDS_MODEL_RUN_MARK)`).
 */
export const NEEDS_MODEL_RUN_MARK = 'atlas:needs-model-run';

/** The needs-model runs of this thread so far (its own `performance` timeline: a worker's own). */
export function countModelRuns(): number {
	return performance.getEntriesByName(NEEDS_MODEL_RUN_MARK).length;
}

/**
 * Estimate every commune, with its band. The model is calibrated on `communes`, which must be the
 * whole table (the targets are national and régional).
 * @returns communes in input order; `part` in % of people aged 15+
 */
export function estimateRemotePopulation(communes: readonly CommuneRecord[]): RemoteEstimateSet {
	performance.mark(NEEDS_MODEL_RUN_MARK);
	const fits = fitProxies(communes);
	const inputs = communes.map((c) => describeCommuneInputs(c, fits));
	const { model, p, targets } = fitModel(inputs, fits, DEFAULT_ASSUMPTIONS);
	const mainlandTarget = model.assumptions.mainlandTarget;
	const central = estimateArray(p, model, model.regionEffects);

	// Leave one benchmark out: refit γ, θ, k and the pooling without it. The refits give both the
	// cross-validation (predict the région left out) and the jackknife of the calibration.
	const pops = pop15ByRegion(p);
	const jackknife: Float64Array[] = [];
	const leaveOneOut: LeaveOneOut[] = [];
	for (const left of targets) {
		const others = targets.filter((t) => t !== left);
		const params = fitSyntheticParameters(p, others, mainlandTarget);
		const full = regionEffectsFor(p, params, targets, mainlandTarget);
		jackknife.push(estimateArray(p, params, full.effects));
		const cv = regionEffectsFor(p, params, others, mainlandTarget);
		const r = p.regions.indexOf(left.reg);
		const predicted = estimateArray(p, params, cv.effects).reduce(
			(s, v, k) => (p.region[k] === r ? s + v : s),
			0
		);
		leaveOneOut.push({
			reg: left.reg,
			params,
			pooling: cv.pooling,
			predictedRate: predicted / pops[r],
			variance: cv.effects[left.reg].variance,
			predicted,
			pop15: pops[r],
			publishedRate: left.rate
		});
	}

	const tau2 = model.pooling.tau2;
	const communeEffect = COMMUNE_EFFECT_RATIO ** 2 * tau2;
	const estimates: CommuneEstimate[] = inputs.map((i, k) => {
		const r = estimateCommuneRate(i, model);
		const fiabilite = fiabiliteOfEffect(model.regionEffects[i.reg].kind);
		const eloignes = central[k];
		if (fiabilite === 'non_estime') {
			return {
				...r,
				code: i.code,
				population: i.population,
				fiabilite,
				variance: 0,
				bas: NaN,
				haut: NaN,
				part: null,
				inputs: i
			};
		}
		const rate = r.pop15 > 0 ? eloignes / r.pop15 : 0;
		// Proxy errors, counting noise (binomial) and the commune's own effect.
		const variance =
			proxyVariance(i, model) + eloignes * (1 - rate) + communeEffect * eloignes * eloignes;
		return {
			...r,
			eloignes,
			rate,
			code: i.code,
			population: i.population,
			fiabilite,
			variance,
			bas: eloignes,
			haut: eloignes,
			part: r.pop15 > 0 ? 100 * rate : null,
			inputs: i
		};
	});

	const departementTotals = new Float64Array(p.departements.length);
	estimates.forEach((e, k) => {
		if (e.fiabilite !== 'non_estime') departementTotals[p.departement[k]] += e.eloignes;
	});
	const departementSquares = new Float64Array(p.regions.length);
	const depRegion = new Int32Array(p.departements.length).fill(-1);
	for (let k = 0; k < p.n; k++) depRegion[p.departement[k]] = p.region[k];
	departementTotals.forEach((a, d) => (departementSquares[depRegion[d]] += a * a));

	const set: RemoteEstimateSet = {
		model,
		communes: estimates,
		prepared: {
			region: p.region,
			regions: p.regions,
			departement: p.departement,
			departements: p.departements
		},
		jackknife,
		leaveOneOut,
		departementSquares,
		departementTotals
	};
	// Each commune's band is the band of a group of one (`groupBand` with the sums written out).
	const depVar = DEPARTMENT_EFFECT_RATIO ** 2 * tau2;
	const n = jackknife.length;
	estimates.forEach((e, k) => {
		if (e.fiabilite === 'non_estime') return;
		const y = e.eloignes;
		const a = departementTotals[p.departement[k]];
		const a2 = departementSquares[p.region[k]];
		let variance = e.variance + y * y * model.regionEffects[e.inputs.reg].variance;
		if (a2 > 0) variance += depVar * Math.max(0, y * y - (a * y) ** 2 / a2);
		if (n > 1) {
			let mean = 0;
			for (let j = 0; j < n; j++) mean += jackknife[j][k] / n;
			let ss = 0;
			for (let j = 0; j < n; j++) ss += (jackknife[j][k] - mean) ** 2;
			variance += ((n - 1) / n) * ss;
		}
		const band = bandFromVariance(y, variance, e.pop15);
		e.bas = band.bas;
		e.haut = band.haut;
	});
	return set;
}
