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
 */
import type { CommuneRecord } from '../territory/commune';
import { fitLinear, predictionSd, predictLinear, type LinearFit } from '../stats/least-squares';
import {
	AGE_PROXY_TOP_DECILE_SD_FACTOR,
	AGE_RATES_2019,
	BAND_Z,
	COMMUNE_EFFECT_RATIO,
	DEPARTMENT_EFFECT_RATIO,
	EXTRAPOLATION_RELATIVE_SD,
	GAMMA_BOUNDS,
	MAINLAND_LEVEL_RELATIVE_SD,
	MAX_RATE,
	MISSING_SCORE_SD,
	MODEL_VERSION,
	OVERSEAS_RELATIVE_SD,
	REGIONAL_SURVEY_REFERENCE_POP15,
	REGIONAL_SURVEY_RELATIVE_SD,
	SHARE_15_PLUS,
	SHARE_15_PLUS_SD,
	SHARE_45_IN_15_59,
	SHARE_45_IN_15_59_SD,
	SHARE_75_IN_60_PLUS,
	SHARE_75_IN_60_PLUS_SD,
	TARGET_MAINLAND_SHARE_2019,
	TERRITORY_RATES_2019,
	THETA_BOUNDS,
	type AgeBand
} from './remote-population-constants';
import {
	EXTRAPOLATED_REGIONS,
	NON_ESTIMATED_REGIONS,
	OVERSEAS_SURVEY_2017,
	REGIONAL_BENCHMARKS_2019,
	benchmarkInterval,
	type Fiabilite,
	type RegionalBenchmark
} from './remote-population-benchmarks';

export { MODEL_VERSION };
export type { Fiabilite };

/** Where a commune's age structure comes from, from the best to the weakest. */
export type AgeSource = 'insee-age-file' | 'rp2021-nord' | 'ifn-proxy' | 'national-mean';
/** Where a commune's poverty rate comes from. */
export type PovertySource = 'filosofi' | 'ifn-proxy' | 'national-mean';

/** The national assumptions of the age split (see `remote-population-constants.ts`). */
export interface ModelAssumptions {
	share15Plus: number;
	share75In60Plus: number;
	share45In15to59: number;
	/** Share of people aged 15+, mainland France; the national calibration target. */
	mainlandTarget: number;
}

export const DEFAULT_ASSUMPTIONS: Readonly<ModelAssumptions> = {
	share15Plus: SHARE_15_PLUS,
	share75In60Plus: SHARE_75_IN_60_PLUS,
	share45In15to59: SHARE_45_IN_15_59,
	mainlandTarget: TARGET_MAINLAND_SHARE_2019
};

/** The two proxies fitted on the data: IFN age score → % aged 60+, IFN poverty score → poverty rate. */
export interface ProxyFits {
	/** x: IFN `older_65_rate` score (0–10); y: % of the population aged 60+ (Nord, RP2021). */
	age: LinearFit;
	/** x: IFN `poverty_rate` score (0–10); y: Filosofi 2021 poverty rate, %. */
	poverty: LinearFit;
}

/** What the model knows about one commune before any rate is applied. */
export interface CommuneInputs {
	code: string;
	/** Population municipale, persons. */
	population: number;
	mainland: boolean;
	reg: string;
	dep: string;
	ageSource: AgeSource;
	/** Real counts by band (INSEE age file only), persons. */
	ageBands: Record<AgeBand, number> | null;
	/** % of the total population aged 60+ (measured or estimated; null with the age file). */
	share60: number | null;
	/** Standard deviation of `share60` when estimated, percentage points (0 when measured). */
	share60Sd: number;
	/** IFN age score when it was used, 0–10. */
	ageScore: number | null;
	povertySource: PovertySource;
	/** Poverty rate, % (measured by Filosofi, or read from the IFN score); never capped. */
	povertyRate: number;
	/** Standard deviation of `povertyRate` when it is read from a score, points. */
	povertyRateSd: number;
	/** IFN no-diploma score, 0–10 (national middle when missing). */
	educationIndex: number;
	educationIndexSd: number;
	educationKnown: boolean;
	densite: number | null;
	/** Density grid as −1 (level 1) … +1 (level 7); 0 when unknown. */
	territoryScore: number;
}

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

/** Calibrated model: everything needed to estimate one commune. */
export interface RemoteModel extends SyntheticParameters {
	version: string;
	assumptions: ModelAssumptions;
	fits: ProxyFits;
	/** Mean and standard deviation (weighted by people aged 15+) of logit(poverty rate). */
	povertyLogitMean: number;
	povertyLogitSd: number;
	/** No-diploma score regressed on the share of 60+ among people aged 15+ (%). */
	educationOnAge: { intercept: number; slope: number };
	educationResidualSd: number;
	/** Population(15+)-weighted mean of the territory score (mainland). */
	territoryMean: number;
	regionEffects: Record<string, RegionEffect>;
	pooling: PoolingSummary;
	/** Age-only rate of mainland France (share of 15+), the reference of the drivers. */
	nationalAgeRate: number;
	calibration: CalibrationCheck;
}

/** Totals of the fitted model, for the report and the Sources page. */
export interface CalibrationCheck {
	/** Estimated share of people aged 15+, mainland France (0–1), after the régional effects. */
	mainlandShare: number;
	/** Estimated share, France without Mayotte. */
	franceShare: number;
	/** Mainland share from the 2019 age rates alone (no adjustment, k = 1). */
	ageOnlyMainlandShare: number;
	/** Estimated people aged 60+ / people aged 15+, France (check of the age proxy). */
	share60In15Plus: number;
	/** Estimated people aged 15+, France. */
	pop15: number;
}

// ---------------------------------------------------------------------------------------------
// Inputs

/**
 * Fit the two proxies on the communes where both sides are known: IFN age score vs measured share
 * of people aged 60+ (Nord, RP2021), IFN poverty score vs Filosofi poverty rate.
 * @throws Error (French) when fewer than 3 communes have both values.
 */
export function fitProxies(communes: readonly CommuneRecord[]): ProxyFits {
	const agePoints = [];
	const povertyPoints = [];
	for (const c of communes) {
		if (c.ifnOlder65 !== null && c.part60PlusNord2021 !== null) {
			agePoints.push({ x: c.ifnOlder65, y: c.part60PlusNord2021 });
		}
		if (c.ifnPoverty !== null && c.tauxPauvrete !== null) {
			povertyPoints.push({ x: c.ifnPoverty, y: c.tauxPauvrete });
		}
	}
	return { age: fitLinear(agePoints), poverty: fitLinear(povertyPoints) };
}

const clamp = (v: number, low: number, high: number) => Math.min(high, Math.max(low, v));

/** Middle of a 0–10 decile score, used when a score is missing. */
const MIDDLE_SCORE = 5.5;
/** Poverty rates are kept inside 0.5–95 % before the logit (a rate of 0 or 100 has no logit). */
const POVERTY_RATE_RANGE: readonly [number, number] = [0.5, 95];

/**
 * Gather what the model uses for one commune, with the source of each input.
 * @param fits the proxies from `fitProxies`
 */
export function describeCommuneInputs(c: CommuneRecord, fits: ProxyFits): CommuneInputs {
	let ageSource: AgeSource;
	let share60: number | null = null;
	let share60Sd = 0;
	let ageScore: number | null = null;
	let ageBands: Record<AgeBand, number> | null = null;
	if (c.age) {
		ageSource = 'insee-age-file';
		ageBands = {
			a15to44: c.age.pop15to44,
			a45to59: c.age.pop45to59,
			a60to74: c.age.pop60to74,
			a75plus: c.age.pop75plus
		};
	} else if (c.part60PlusNord2021 !== null) {
		ageSource = 'rp2021-nord';
		share60 = c.part60PlusNord2021;
	} else if (c.ifnOlder65 !== null) {
		ageSource = 'ifn-proxy';
		ageScore = c.ifnOlder65;
		share60 = clamp(predictLinear(fits.age, ageScore), 0, 100);
		share60Sd =
			predictionSd(fits.age, ageScore) * (ageScore > 9 ? AGE_PROXY_TOP_DECILE_SD_FACTOR : 1);
	} else {
		ageSource = 'national-mean';
		share60 = predictLinear(fits.age, MIDDLE_SCORE);
		share60Sd = Math.hypot(fits.age.residualSd, fits.age.slope * MISSING_SCORE_SD);
	}

	const pov = fits.poverty;
	let povertySource: PovertySource;
	let povertyRate: number;
	let povertyRateSd = 0;
	if (c.tauxPauvrete !== null) {
		povertySource = 'filosofi';
		povertyRate = c.tauxPauvrete;
	} else if (c.ifnPoverty !== null) {
		povertySource = 'ifn-proxy';
		povertyRate = predictLinear(pov, c.ifnPoverty);
		povertyRateSd = predictionSd(pov, c.ifnPoverty);
	} else {
		povertySource = 'national-mean';
		povertyRate = predictLinear(pov, MIDDLE_SCORE);
		povertyRateSd = Math.hypot(pov.residualSd, pov.slope * MISSING_SCORE_SD);
	}

	const educationKnown = c.ifnNoDiploma !== null;
	return {
		code: c.code,
		population: c.population,
		mainland: c.zone === 'metro',
		reg: c.reg,
		dep: c.dep,
		ageSource,
		ageBands,
		share60,
		share60Sd,
		ageScore,
		povertySource,
		povertyRate: clamp(povertyRate, POVERTY_RATE_RANGE[0], POVERTY_RATE_RANGE[1]),
		povertyRateSd,
		educationIndex: c.ifnNoDiploma ?? MIDDLE_SCORE,
		educationIndexSd: educationKnown ? 0 : MISSING_SCORE_SD,
		educationKnown,
		densite: c.densite,
		territoryScore: c.densite === null ? 0 : (c.densite - 4) / 3
	};
}

/** Optional shifts of one commune's inputs, used to measure how much each error moves it. */
export interface InputShift {
	share60?: number;
	share15Plus?: number;
	share75In60Plus?: number;
	share45In15to59?: number;
	povertyRate?: number;
	educationIndex?: number;
}

const NO_SHIFT: Readonly<InputShift> = Object.freeze({});

/** Persons aged 15+ by age band: the INSEE file's counts, or estimated from the 60+ share. */
export function estimateAgeBands(
	inputs: CommuneInputs,
	assumptions: ModelAssumptions,
	shift: Readonly<InputShift> = NO_SHIFT
): Record<AgeBand, number> {
	if (inputs.ageBands) return inputs.ageBands;
	const s15 = clamp(assumptions.share15Plus + (shift.share15Plus ?? 0), 0.5, 1);
	const pop15 = inputs.population * s15;
	const share60 = clamp((inputs.share60 ?? 0) + (shift.share60 ?? 0), 0, 100) / 100;
	// The 60+ are part of the 15+: their share of the 15+ cannot exceed 1.
	const people60 = pop15 * Math.min(share60 / s15, 1);
	const r75 = clamp(assumptions.share75In60Plus + (shift.share75In60Plus ?? 0), 0, 1);
	const r45 = clamp(assumptions.share45In15to59 + (shift.share45In15to59 ?? 0), 0, 1);
	const people15to59 = pop15 - people60;
	return {
		a15to44: people15to59 * (1 - r45),
		a45to59: people15to59 * r45,
		a60to74: people60 * (1 - r75),
		a75plus: people60 * r75
	};
}

function sumBands(b: Record<AgeBand, number>): number {
	return b.a15to44 + b.a45to59 + b.a60to74 + b.a75plus;
}

/** Age-only rate: Σ band × INSEE 2019 rate / people aged 15+ (share 0–1; 0 when nobody is 15+). */
export function ageRateOf(b: Record<AgeBand, number>): number {
	const pop15 = sumBands(b);
	if (pop15 <= 0) return 0;
	const r = AGE_RATES_2019;
	return (
		(b.a15to44 * r.a15to44 +
			b.a45to59 * r.a45to59 +
			b.a60to74 * r.a60to74 +
			b.a75plus * r.a75plus) /
		pop15
	);
}

/** % of people aged 60+ among people aged 15+ (0 when nobody is 15+). */
function share60Of15(b: Record<AgeBand, number>): number {
	const pop15 = sumBands(b);
	return pop15 > 0 ? (100 * (b.a60to74 + b.a75plus)) / pop15 : 0;
}

const logit = (percent: number) => {
	const p = clamp(percent, POVERTY_RATE_RANGE[0], POVERTY_RATE_RANGE[1]) / 100;
	return Math.log(p / (1 - p));
};

/** The two standardised parts of the social index of a commune (mean 0, sd 1 over France). */
export interface SocialParts {
	/** (logit(poverty rate) − mean) / sd. */
	poverty: number;
	/** (no-diploma score − what age predicts) / sd of that residual. */
	education: number;
}

type Standardisation = Pick<
	RemoteModel,
	'povertyLogitMean' | 'povertyLogitSd' | 'educationOnAge' | 'educationResidualSd'
>;

/** Standardised poverty and age-net no-diploma indexes of one commune. */
export function socialPartsOf(
	inputs: CommuneInputs,
	bands: Record<AgeBand, number>,
	s: Standardisation,
	shift: Readonly<InputShift> = NO_SHIFT
): SocialParts {
	const poverty =
		(logit(inputs.povertyRate + (shift.povertyRate ?? 0)) - s.povertyLogitMean) / s.povertyLogitSd;
	const edu = clamp(inputs.educationIndex + (shift.educationIndex ?? 0), 0, 10);
	const predicted = s.educationOnAge.intercept + s.educationOnAge.slope * share60Of15(bands);
	return { poverty, education: (edu - predicted) / s.educationResidualSd };
}

/** Social index: the mean of the two standardised parts. */
export const socialIndexOf = (p: SocialParts) => (p.poverty + p.education) / 2;

// ---------------------------------------------------------------------------------------------
// Preparation: the communes reduced to the numbers the fit loops over

/** Indexes of régions and départements used by the fit and the band. */
export interface Prepared {
	n: number;
	mainland: Uint8Array;
	/** Index into `regions`. */
	region: Uint16Array;
	regions: string[];
	/** Index into `departements`. */
	departement: Uint16Array;
	departements: string[];
	pop15: Float64Array;
	/** pop15 × age-only rate: expected persons from age alone. */
	ageExpected: Float64Array;
	social: Float64Array;
	territory: Float64Array;
	/** Density level 1–7, 0 when unknown. */
	densite: Uint8Array;
	people60: Float64Array;
}

/** The density levels standing for INSEE's two ends of the territory gradient. */
const URBAN_LEVEL = 1;
const RURAL_LEVEL = 7;

function standardise(
	inputs: readonly CommuneInputs[],
	bands: readonly Record<AgeBand, number>[]
): Standardisation & { territoryMean: number } {
	let w = 0;
	let m = 0;
	let m2 = 0;
	let t = 0;
	let wMain = 0;
	const eduPoints: { x: number; y: number }[] = [];
	inputs.forEach((i, k) => {
		const pop15 = sumBands(bands[k]);
		const l = logit(i.povertyRate);
		w += pop15;
		m += pop15 * l;
		m2 += pop15 * l * l;
		if (i.mainland) {
			t += pop15 * i.territoryScore;
			wMain += pop15;
		}
		if (i.educationKnown && pop15 > 0)
			eduPoints.push({ x: share60Of15(bands[k]), y: i.educationIndex });
	});
	const mean = w > 0 ? m / w : 0;
	const sd = w > 0 ? Math.sqrt(Math.max(m2 / w - mean * mean, 1e-9)) : 1;
	const fit = fitLinear(eduPoints);
	return {
		povertyLogitMean: mean,
		povertyLogitSd: sd,
		educationOnAge: { intercept: fit.intercept, slope: fit.slope },
		educationResidualSd: fit.residualSd,
		territoryMean: wMain > 0 ? t / wMain : 0
	};
}

function prepare(
	inputs: readonly CommuneInputs[],
	a: ModelAssumptions
): { p: Prepared; std: Standardisation & { territoryMean: number } } {
	const n = inputs.length;
	const bands = inputs.map((i) => estimateAgeBands(i, a));
	const std = standardise(inputs, bands);
	const regions: string[] = [];
	const departements: string[] = [];
	const regionIndex = new Map<string, number>();
	const depIndex = new Map<string, number>();
	const p: Prepared = {
		n,
		mainland: new Uint8Array(n),
		region: new Uint16Array(n),
		regions,
		departement: new Uint16Array(n),
		departements,
		pop15: new Float64Array(n),
		ageExpected: new Float64Array(n),
		social: new Float64Array(n),
		territory: new Float64Array(n),
		densite: new Uint8Array(n),
		people60: new Float64Array(n)
	};
	for (let k = 0; k < n; k++) {
		const i = inputs[k];
		const b = bands[k];
		if (!regionIndex.has(i.reg)) {
			regionIndex.set(i.reg, regions.length);
			regions.push(i.reg);
		}
		if (!depIndex.has(i.dep)) {
			depIndex.set(i.dep, departements.length);
			departements.push(i.dep);
		}
		p.mainland[k] = i.mainland ? 1 : 0;
		p.region[k] = regionIndex.get(i.reg)!;
		p.departement[k] = depIndex.get(i.dep)!;
		p.pop15[k] = sumBands(b);
		p.ageExpected[k] = p.pop15[k] * ageRateOf(b);
		p.social[k] = socialIndexOf(socialPartsOf(i, b, std));
		p.territory[k] = i.territoryScore - std.territoryMean;
		p.densite[k] = i.densite ?? 0;
		p.people60[k] = b.a60to74 + b.a75plus;
	}
	return { p, std };
}

// ---------------------------------------------------------------------------------------------
// Fit: k to the mainland figure, γ and θ to the régional benchmarks, régional effects

/** A benchmark as the fit uses it: the target share of a région and its relative variance. */
export interface BenchmarkTarget {
	reg: string;
	/** Target share of people aged 15+ (0–1). */
	rate: number;
	/** Relative variance of the figure (rounding + survey error), log scale. */
	variance: number;
	benchmark: RegionalBenchmark;
}

/** Σ pop15 per région index. */
function pop15ByRegion(p: Prepared): Float64Array {
	const out = new Float64Array(p.regions.length);
	for (let k = 0; k < p.n; k++) out[p.region[k]] += p.pop15[k];
	return out;
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
function estimateArray(
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

// ---------------------------------------------------------------------------------------------
// The whole model

/** A fit of the model without one benchmark: its prediction of the région left out. */
export interface LeaveOneOut {
	reg: string;
	params: SyntheticParameters;
	pooling: PoolingSummary;
	/** Predicted share (0–1) of the région, from the other benchmarks only. */
	predictedRate: number;
	/** Relative variance of that prediction (log scale). */
	variance: number;
	/** Predicted persons and people aged 15+ of the région. */
	predicted: number;
	pop15: number;
	/** The figure left out (share 0–1). */
	publishedRate: number;
}

/** Calibrate the full model on a prepared table. */
function fitModel(
	inputs: readonly CommuneInputs[],
	fits: ProxyFits,
	assumptions: ModelAssumptions
): {
	model: RemoteModel;
	p: Prepared;
	targets: BenchmarkTarget[];
} {
	const { p, std } = prepare(inputs, assumptions);
	const targets = benchmarkTargets(p);
	const params = fitSyntheticParameters(p, targets, assumptions.mainlandTarget);
	const { effects, pooling } = regionEffectsFor(p, params, targets, assumptions.mainlandTarget);
	const values = estimateArray(p, params, effects);
	let mainPop = 0;
	let mainEst = 0;
	let pop = 0;
	let est = 0;
	let ageOnly = 0;
	let people60 = 0;
	let pop15All = 0;
	for (let k = 0; k < p.n; k++) {
		pop15All += p.pop15[k];
		people60 += p.people60[k];
		if (Number.isNaN(values[k])) continue;
		pop += p.pop15[k];
		est += values[k];
		if (p.mainland[k]) {
			mainPop += p.pop15[k];
			mainEst += values[k];
			ageOnly += p.ageExpected[k];
		}
	}
	const model: RemoteModel = {
		version: MODEL_VERSION,
		assumptions: { ...assumptions },
		fits,
		...params,
		povertyLogitMean: std.povertyLogitMean,
		povertyLogitSd: std.povertyLogitSd,
		educationOnAge: std.educationOnAge,
		educationResidualSd: std.educationResidualSd,
		territoryMean: std.territoryMean,
		regionEffects: effects,
		pooling,
		nationalAgeRate: mainPop > 0 ? ageOnly / mainPop : 0,
		calibration: {
			mainlandShare: mainPop > 0 ? mainEst / mainPop : 0,
			franceShare: pop > 0 ? est / pop : 0,
			ageOnlyMainlandShare: mainPop > 0 ? ageOnly / mainPop : 0,
			share60In15Plus: pop15All > 0 ? people60 / pop15All : 0,
			pop15: pop15All
		}
	};
	return { model, p, targets };
}

/**
 * Calibrate the model on the commune table (all communes of the 101 départements: the targets are
 * national and régional).
 */
export function calibrateRemoteModel(
	communes: readonly CommuneRecord[],
	assumptions: ModelAssumptions = DEFAULT_ASSUMPTIONS,
	fits: ProxyFits = fitProxies(communes)
): RemoteModel {
	return fitModel(
		communes.map((c) => describeCommuneInputs(c, fits)),
		fits,
		assumptions
	).model;
}

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
