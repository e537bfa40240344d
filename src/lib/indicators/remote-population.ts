/**
 * Estimated number of people aged 15+ "éloignés du numérique" (in illectronisme, INSEE definition) in
 * every commune, with a low–high band.
 *
 * The model, in the order an elected official would explain it:
 * 1. **Age** (the strongest driver). People aged 15+ are split into 15–44, 45–59, 60–74 and 75+, and
 *    each band gets INSEE's 2019 rate (3 %, 9 %, 27 %, 67 %). The split comes from INSEE's
 *    per-commune age file when a user adds it; otherwise from the measured share of people aged 60+
 *    (Nord, RP2021), otherwise from the IFN age score read as a share of people aged 60+ through a
 *    straight line fitted on the Nord communes, where both are known. National ratios split 60+ and
 *    15–59 further (`remote-population-constants.ts`).
 * 2. **Social situation**: a 0–10 social index, the mean of a poverty index (Filosofi 2021 poverty
 *    rate where INSEE publishes it, the IFN poverty score elsewhere, both on the IFN scale) and the IFN
 *    no-diploma score. The rate is multiplied by exp(γ × (index − national mean)), γ ≥ 0.
 * 3. **Type of territory**: the part of INSEE's 2019 gradient (22 % outside the attraction of cities,
 *    24 % small poles, 13 % largest cities, vs 16 %) that steps 1–2 do not already explain.
 * 4. **Calibration, on two published figures only**: one scale k so that mainland France lands at
 *    16 % (2019), and γ so that Hauts-de-France lands at 800,000 people.
 *
 * The band combines two kinds of error, which aggregate differently (see `combineBand`):
 * - errors common to all communes (2019 vs 2021 level, national age ratios, strength of the social
 *   and territorial adjustments): the model is re-run under low/high assumptions ("scenarios") and
 *   the differences are summed over communes, so they do not shrink when communes are added up;
 * - errors of one commune's inputs (the age proxy's scatter, the poverty proxy's scatter, the local
 *   deviation of the national age ratios): independent between communes, so their variances add up
 *   and they shrink, relatively, for large territories.
 */
import type { CommuneRecord } from '../territory/commune';
import { fitLinear, predictionSd, predictLinear, type LinearFit } from '../stats/least-squares';
import { solveByBisection } from '../stats/bisection';
import {
	AGE_PROXY_TOP_DECILE_SD_FACTOR,
	AGE_RATES_2019,
	BAND_Z,
	DENSITY_TO_TERRITORY,
	HDF_REGION,
	HDF_TARGET_RELATIVE_UNCERTAINTY,
	LEVEL_FACTOR_HIGH,
	LEVEL_FACTOR_LOW,
	MAX_RATE,
	MISSING_SCORE_SD,
	MODEL_VERSION,
	SHARE_15_PLUS,
	SHARE_15_PLUS_SD,
	SHARE_45_IN_15_59,
	SHARE_45_IN_15_59_RANGE,
	SHARE_45_IN_15_59_SD,
	SHARE_75_IN_60_PLUS,
	SHARE_75_IN_60_PLUS_RANGE,
	SHARE_75_IN_60_PLUS_SD,
	SOCIAL_GAMMA_BRACKET,
	TARGET_HDF_PERSONS,
	TARGET_MAINLAND_SHARE_2019,
	TERRITORY_RATES_2019,
	TERRITORY_WEIGHT_LOW,
	DENSITY_TO_TERRITORY_BROAD,
	type AgeBand,
	type TerritoryClass
} from './remote-population-constants';

export { MODEL_VERSION };

/** Where a commune's age structure comes from, from the best to the weakest. */
export type AgeSource = 'insee-age-file' | 'rp2021-nord' | 'ifn-proxy' | 'national-mean';
/** Where a commune's poverty index comes from. */
export type PovertySource = 'filosofi' | 'ifn-proxy' | 'national-mean';

/** The national assumptions the band moves (see `remote-population-constants.ts`). */
export interface ModelAssumptions {
	share15Plus: number;
	share75In60Plus: number;
	share45In15to59: number;
	/** Persons; the Hauts-de-France calibration target. */
	hdfTarget: number;
	/** Share of people aged 15+, mainland France; the national calibration target. */
	mainlandTarget: number;
	/** Exponent of the territorial adjustment (1 = INSEE's gradient in full). */
	territoryWeight: number;
	/** Density level (1–7) → territory class. */
	densityToTerritory: Readonly<Record<number, TerritoryClass>>;
}

export const DEFAULT_ASSUMPTIONS: Readonly<ModelAssumptions> = {
	share15Plus: SHARE_15_PLUS,
	share75In60Plus: SHARE_75_IN_60_PLUS,
	share45In15to59: SHARE_45_IN_15_59,
	hdfTarget: TARGET_HDF_PERSONS,
	mainlandTarget: TARGET_MAINLAND_SHARE_2019,
	territoryWeight: 1,
	densityToTerritory: DENSITY_TO_TERRITORY
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
	/** Poverty rate, % (measured by Filosofi, or read from the IFN score). */
	povertyRate: number;
	/** Poverty on the IFN 0–10 scale (clamped to 0–10). */
	povertyIndex: number;
	/** Standard deviation of `povertyIndex` when it is a proxy, index points. */
	povertyIndexSd: number;
	/** IFN no-diploma score, 0–10 (national middle when missing). */
	educationIndex: number;
	educationIndexSd: number;
	educationKnown: boolean;
	densite: number | null;
	territory: TerritoryClass;
}

/** Calibrated model: everything needed to estimate one commune. */
export interface RemoteModel {
	version: string;
	assumptions: ModelAssumptions;
	fits: ProxyFits;
	/** Scale factor k applied to the age rates (dimensionless, ≈ 1 if the 2019 age rates alone fit). */
	scale: number;
	/** Social parameter γ, per point of the 0–10 social index. */
	gamma: number;
	/** Population(15+)-weighted national mean of the social index. */
	socialMean: number;
	/** National means (weighted by people aged 15+) of the poverty and no-diploma indexes (0–10). */
	povertyMean: number;
	educationMean: number;
	/** National mean of the territory multiplier (weighted by expected persons before it). */
	territoryMean: number;
	/** Multiplier of each territory class (1 for "autre"). */
	territoryFactors: Record<TerritoryClass, number>;
	/** Age-only rate of France (share of 15+), the reference of the drivers. */
	nationalAgeRate: number;
	calibration: CalibrationCheck;
}

/** How well the two targets are met, and what the age rates alone give. */
export interface CalibrationCheck {
	/** Estimated share of people aged 15+, mainland France (0–1). */
	mainlandShare: number;
	/** Estimated share, France (101 départements). */
	franceShare: number;
	/** Estimated persons in Hauts-de-France. */
	hdfPersons: number;
	/** Whether γ could reach the Hauts-de-France target inside its bracket. */
	hdfReached: boolean;
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
	let povertyIndex: number;
	let povertyIndexSd = 0;
	if (c.tauxPauvrete !== null) {
		povertySource = 'filosofi';
		povertyRate = c.tauxPauvrete;
		povertyIndex = (povertyRate - pov.intercept) / pov.slope;
	} else if (c.ifnPoverty !== null) {
		povertySource = 'ifn-proxy';
		povertyIndex = c.ifnPoverty;
		povertyRate = clamp(predictLinear(pov, povertyIndex), 0, 100);
		// The scatter of measured rates around the line, expressed in index points.
		povertyIndexSd = pov.residualSd / pov.slope;
	} else {
		povertySource = 'national-mean';
		povertyIndex = MIDDLE_SCORE;
		povertyRate = predictLinear(pov, MIDDLE_SCORE);
		povertyIndexSd = MISSING_SCORE_SD;
	}

	const educationKnown = c.ifnNoDiploma !== null;
	return {
		code: c.code,
		population: c.population,
		mainland: c.zone === 'metro',
		reg: c.reg,
		ageSource,
		ageBands,
		share60,
		share60Sd,
		ageScore,
		povertySource,
		povertyRate,
		povertyIndex: clamp(povertyIndex, 0, 10),
		povertyIndexSd,
		educationIndex: c.ifnNoDiploma ?? MIDDLE_SCORE,
		educationIndexSd: educationKnown ? 0 : MISSING_SCORE_SD,
		educationKnown,
		densite: c.densite,
		territory: c.densite === null ? 'autre' : (DENSITY_TO_TERRITORY[c.densite] ?? 'autre')
	};
}

/** Optional shifts of one commune's inputs, used to measure how much each error moves it. */
export interface InputShift {
	share60?: number;
	share15Plus?: number;
	share75In60Plus?: number;
	share45In15to59?: number;
	povertyIndex?: number;
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

const RATE_15_44 = AGE_RATES_2019.a15to44;
const RATE_45_59 = AGE_RATES_2019.a45to59;
const RATE_60_74 = AGE_RATES_2019.a60to74;
const RATE_75_PLUS = AGE_RATES_2019.a75plus;

function sumBands(b: Record<AgeBand, number>): number {
	return b.a15to44 + b.a45to59 + b.a60to74 + b.a75plus;
}

/** Age-only rate: Σ band × INSEE 2019 rate / people aged 15+ (share 0–1; 0 when nobody is 15+). */
export function ageRateOf(b: Record<AgeBand, number>): number {
	const pop15 = sumBands(b);
	if (pop15 <= 0) return 0;
	return (
		(b.a15to44 * RATE_15_44 +
			b.a45to59 * RATE_45_59 +
			b.a60to74 * RATE_60_74 +
			b.a75plus * RATE_75_PLUS) /
		pop15
	);
}

/** Social index (0–10): mean of the poverty and no-diploma indexes. */
export function socialIndexOf(
	inputs: CommuneInputs,
	shift: Readonly<InputShift> = NO_SHIFT
): number {
	const pov = clamp(inputs.povertyIndex + (shift.povertyIndex ?? 0), 0, 10);
	const edu = clamp(inputs.educationIndex + (shift.educationIndex ?? 0), 0, 10);
	return (pov + edu) / 2;
}

/** Territory class of a commune under a density mapping. */
export function territoryOf(
	inputs: CommuneInputs,
	mapping: Readonly<Record<number, TerritoryClass>>
): TerritoryClass {
	return inputs.densite === null ? 'autre' : (mapping[inputs.densite] ?? 'autre');
}

// ---------------------------------------------------------------------------------------------
// Calibration

const NEUTRAL_TERRITORY: Readonly<Record<TerritoryClass, number>> = {
	'grandes-aires': 1,
	'petits-poles': 1,
	'hors-attraction': 1,
	autre: 1
};
const PUBLISHED_CLASSES = ['grandes-aires', 'petits-poles', 'hors-attraction'] as const;
const CLASSES: readonly TerritoryClass[] = [...PUBLISHED_CLASSES, 'autre'];

/**
 * Territory multipliers such that, over mainland France, each class with a published INSEE rate
 * reaches its published ratio ρ to the national rate (22/16, 24/16, 13/16), given what age and social
 * situation already explain. Classes without a published rate keep 1. The national level N after
 * adjustment solves N = Σ_published w_c ρ_c N + Σ_other w_c m_c (w: population weights, m: mean rate
 * of the class before adjustment). `weight` < 1 applies only part of the adjustment (T^weight).
 */
function territoryResidualFactors(
	sums: Record<TerritoryClass, { pop15: number; rate: number }>,
	weight: number
): Record<TerritoryClass, number> {
	const factors = { ...NEUTRAL_TERRITORY };
	let total = 0;
	for (const cls of CLASSES) total += sums[cls].pop15;
	if (total === 0) return factors;
	let publishedShare = 0;
	for (const cls of PUBLISHED_CLASSES) {
		publishedShare +=
			(sums[cls].pop15 / total) * (TERRITORY_RATES_2019[cls] / TARGET_MAINLAND_SHARE_2019);
	}
	const otherPart = sums.autre.rate / total;
	if (publishedShare >= 1 || otherPart === 0) return factors;
	const national = otherPart / (1 - publishedShare);
	for (const cls of PUBLISHED_CLASSES) {
		const s = sums[cls];
		if (s.pop15 === 0 || s.rate === 0) continue;
		const ratio = TERRITORY_RATES_2019[cls] / TARGET_MAINLAND_SHARE_2019;
		factors[cls] = ((ratio * national) / (s.rate / s.pop15)) ** weight;
	}
	return factors;
}

/** The communes reduced to the numbers the calibration loops over (one typed array per column). */
interface Prepared {
	n: number;
	mainland: Uint8Array;
	hdf: Uint8Array;
	/** Index into CLASSES. */
	territory: Uint8Array;
	pop15: Float64Array;
	/** pop15 × age-only rate: expected persons from age alone. */
	ageExpected: Float64Array;
	social: Float64Array;
	poverty: Float64Array;
	education: Float64Array;
	people60: Float64Array;
}

function prepare(inputs: readonly CommuneInputs[], a: ModelAssumptions): Prepared {
	const n = inputs.length;
	const p: Prepared = {
		n,
		mainland: new Uint8Array(n),
		hdf: new Uint8Array(n),
		territory: new Uint8Array(n),
		pop15: new Float64Array(n),
		ageExpected: new Float64Array(n),
		social: new Float64Array(n),
		poverty: new Float64Array(n),
		education: new Float64Array(n),
		people60: new Float64Array(n)
	};
	for (let k = 0; k < n; k++) {
		const i = inputs[k];
		const bands = estimateAgeBands(i, a);
		p.mainland[k] = i.mainland ? 1 : 0;
		p.hdf[k] = i.reg === HDF_REGION ? 1 : 0;
		p.territory[k] = CLASSES.indexOf(territoryOf(i, a.densityToTerritory));
		p.pop15[k] = sumBands(bands);
		p.ageExpected[k] = p.pop15[k] * ageRateOf(bands);
		p.social[k] = socialIndexOf(i);
		p.poverty[k] = i.povertyIndex;
		p.education[k] = i.educationIndex;
		p.people60[k] = bands.a60to74 + bands.a75plus;
	}
	return p;
}

interface Fitted {
	scale: number;
	gamma: number;
	socialMean: number;
	territoryFactors: Record<TerritoryClass, number>;
}

function fitForGamma(p: Prepared, gamma: number, socialMean: number, a: ModelAssumptions): Fitted {
	const pop = [0, 0, 0, 0];
	const rate = [0, 0, 0, 0];
	for (let k = 0; k < p.n; k++) {
		if (!p.mainland[k]) continue;
		const t = p.territory[k];
		pop[t] += p.pop15[k];
		rate[t] += p.ageExpected[k] * Math.exp(gamma * (p.social[k] - socialMean));
	}
	const sums = {} as Record<TerritoryClass, { pop15: number; rate: number }>;
	CLASSES.forEach((cls, t) => (sums[cls] = { pop15: pop[t], rate: rate[t] }));
	const territoryFactors = territoryResidualFactors(sums, a.territoryWeight);
	let pop15 = 0;
	let expected = 0;
	CLASSES.forEach((cls, t) => {
		pop15 += pop[t];
		expected += rate[t] * territoryFactors[cls];
	});
	const scale = expected > 0 ? (a.mainlandTarget * pop15) / expected : 1;
	return { scale, gamma, socialMean, territoryFactors };
}

/** Σ expected persons over the communes where `mask` is 1 (all when mask is null). */
function totalOf(p: Prepared, f: Fitted, mask: Uint8Array | null): number {
	const factors = CLASSES.map((cls) => f.territoryFactors[cls]);
	let total = 0;
	for (let k = 0; k < p.n; k++) {
		if (mask && !mask[k]) continue;
		if (p.pop15[k] <= 0) continue;
		const rate =
			(f.scale *
				p.ageExpected[k] *
				Math.exp(f.gamma * (p.social[k] - f.socialMean)) *
				factors[p.territory[k]]) /
			p.pop15[k];
		total += p.pop15[k] * Math.min(MAX_RATE, rate);
	}
	return total;
}

/**
 * Calibrate the model on the two published targets only: the mainland share (scale k) and the
 * Hauts-de-France total (γ, searched in `SOCIAL_GAMMA_BRACKET`; if the target cannot be reached,
 * the nearest end is kept and `calibration.hdfReached` is false).
 * @param communes all communes of the 101 départements (the targets are national and regional)
 */
export function calibrateRemoteModel(
	communes: readonly CommuneRecord[],
	assumptions: ModelAssumptions = DEFAULT_ASSUMPTIONS,
	fits: ProxyFits = fitProxies(communes)
): RemoteModel {
	return calibrateFromInputs(
		communes.map((c) => describeCommuneInputs(c, fits)),
		assumptions,
		fits
	);
}

function calibrateFromInputs(
	inputs: readonly CommuneInputs[],
	assumptions: ModelAssumptions,
	fits: ProxyFits
): RemoteModel {
	const p = prepare(inputs, assumptions);
	let pop15All = 0;
	let socialSum = 0;
	let ageOnly = 0;
	let people60 = 0;
	let mainPop = 0;
	let mainAgeOnly = 0;
	let povertySum = 0;
	let educationSum = 0;
	for (let k = 0; k < p.n; k++) {
		pop15All += p.pop15[k];
		socialSum += p.pop15[k] * p.social[k];
		povertySum += p.pop15[k] * p.poverty[k];
		educationSum += p.pop15[k] * p.education[k];
		ageOnly += p.ageExpected[k];
		people60 += p.people60[k];
		if (p.mainland[k]) {
			mainPop += p.pop15[k];
			mainAgeOnly += p.ageExpected[k];
		}
	}
	const socialMean = pop15All > 0 ? socialSum / pop15All : MIDDLE_SCORE;
	const solved = solveByBisection(
		(gamma) =>
			totalOf(p, fitForGamma(p, gamma, socialMean, assumptions), p.hdf) - assumptions.hdfTarget,
		SOCIAL_GAMMA_BRACKET[0],
		SOCIAL_GAMMA_BRACKET[1],
		1e-6
	);
	const fitted = fitForGamma(p, solved.root, socialMean, assumptions);
	const est = totalOf(p, fitted, null);
	const mainEst = totalOf(p, fitted, p.mainland);
	let beforeTerritory = 0;
	let afterTerritory = 0;
	for (let k = 0; k < p.n; k++) {
		const e = p.ageExpected[k] * Math.exp(fitted.gamma * (p.social[k] - socialMean));
		beforeTerritory += e;
		afterTerritory += e * fitted.territoryFactors[CLASSES[p.territory[k]]];
	}
	return {
		version: MODEL_VERSION,
		assumptions: { ...assumptions },
		fits,
		scale: fitted.scale,
		gamma: fitted.gamma,
		socialMean,
		povertyMean: pop15All > 0 ? povertySum / pop15All : MIDDLE_SCORE,
		educationMean: pop15All > 0 ? educationSum / pop15All : MIDDLE_SCORE,
		territoryMean: beforeTerritory > 0 ? afterTerritory / beforeTerritory : 1,
		territoryFactors: fitted.territoryFactors,
		nationalAgeRate: pop15All > 0 ? ageOnly / pop15All : 0,
		calibration: {
			mainlandShare: mainPop > 0 ? mainEst / mainPop : 0,
			franceShare: pop15All > 0 ? est / pop15All : 0,
			hdfPersons: totalOf(p, fitted, p.hdf),
			hdfReached: solved.bracketed,
			ageOnlyMainlandShare: mainPop > 0 ? mainAgeOnly / mainPop : 0,
			share60In15Plus: pop15All > 0 ? people60 / pop15All : 0,
			pop15: pop15All
		}
	};
}

// ---------------------------------------------------------------------------------------------
// Estimation

/** Central estimate of one commune under a calibrated model, split into its multiplicative parts. */
export interface CommuneRate {
	/** People aged 15+ (estimated, or from the INSEE age file). */
	pop15: number;
	/** Age-only rate (share of 15+, INSEE 2019 rates by age). */
	ageRate: number;
	/** Social multiplier exp(γ × (index − national mean)). */
	social: number;
	/** Territory multiplier. */
	territory: number;
	/** Final rate (share of 15+, 0–1) = k × ageRate × social × territory (capped). */
	rate: number;
	/** Estimated persons aged 15+ in illectronisme. */
	eloignes: number;
}

/**
 * Estimate one commune under a calibrated model (central value, no band).
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
	const social = Math.exp(model.gamma * (socialIndexOf(inputs, shift) - model.socialMean));
	const territory =
		model.territoryFactors[territoryOf(inputs, model.assumptions.densityToTerritory)];
	const rate = Math.min(MAX_RATE, model.scale * ageRate * social * territory);
	return { pop15, ageRate, social, territory, rate, eloignes: pop15 * rate };
}

/** A re-run of the whole model under one changed assumption (an error common to all communes). */
export interface Scenario {
	/** Family of the error: scenarios of one family are alternatives, families are independent. */
	family: 'niveau' | 'ages-60' | 'ages-15-59' | 'social' | 'territoire';
	label: string;
	/** Estimated persons per commune, in the order of the input communes. */
	eloignes: Float64Array;
}

/** One commune's estimate with everything needed for its band and for sums. */
export interface CommuneEstimate extends CommuneRate {
	code: string;
	population: number;
	/** Variance of the errors proper to this commune, persons² (1 standard deviation). */
	variance: number;
	/** Low and high ends of the band, persons. */
	bas: number;
	haut: number;
	/** Share of people aged 15+, %, or null when nobody is 15+. */
	part: number | null;
	inputs: CommuneInputs;
}

/** The estimate for every commune, with the scenario runs used for the bands. */
export interface RemoteEstimateSet {
	model: RemoteModel;
	/** In the order of the input communes. */
	communes: CommuneEstimate[];
	scenarios: Scenario[];
}

/** Low/high of one family of common errors: the most negative and most positive difference (persons). */
export interface FamilyRange {
	low: number;
	high: number;
}

/**
 * The band of a commune or of a sum of communes. Common errors (one range per independent family,
 * already summed over the communes, so they do not shrink with size) are added in quadrature to the
 * independent errors (summed variance × z², which shrink relatively with size). Bounds stay within
 * [0, ceiling].
 * @param central persons
 * @param variance persons², sum of the communes' independent variances (1 sd)
 * @param families ranges of the common errors for the same set of communes
 * @param ceiling persons aged 15+ (the estimate cannot exceed it)
 */
export function combineBand(
	central: number,
	variance: number,
	families: readonly FamilyRange[],
	ceiling: number
): { bas: number; haut: number } {
	let down = BAND_Z ** 2 * variance;
	let up = down;
	for (const f of families) {
		down += Math.min(0, f.low) ** 2;
		up += Math.max(0, f.high) ** 2;
	}
	return {
		bas: Math.max(0, central - Math.sqrt(down)),
		haut: Math.min(Math.max(ceiling, central), central + Math.sqrt(up))
	};
}

/**
 * Ranges of each scenario family for a set of communes (indexes into the estimate set): for each
 * family, the min and max over its scenarios of Σ (scenario − central), 0 included.
 */
export function scenarioRanges(
	set: Pick<RemoteEstimateSet, 'scenarios' | 'communes'>,
	indexes: readonly number[]
): FamilyRange[] {
	const families = new Map<string, FamilyRange>();
	for (const s of set.scenarios) {
		let delta = 0;
		for (const i of indexes) delta += s.eloignes[i] - set.communes[i].eloignes;
		const f = families.get(s.family);
		if (f) {
			f.low = Math.min(f.low, delta);
			f.high = Math.max(f.high, delta);
		} else families.set(s.family, { low: Math.min(0, delta), high: Math.max(0, delta) });
	}
	return [...families.values()];
}

/** Independent variance of one commune (persons², 1 sd): each input error moved by ±1 sd in turn. */
function independentVariance(inputs: CommuneInputs, model: RemoteModel): number {
	const shifts: [keyof InputShift, number][] = [];
	if (inputs.share60Sd > 0) shifts.push(['share60', inputs.share60Sd]);
	if (!inputs.ageBands) {
		shifts.push(
			['share15Plus', SHARE_15_PLUS_SD],
			['share75In60Plus', SHARE_75_IN_60_PLUS_SD],
			['share45In15to59', SHARE_45_IN_15_59_SD]
		);
	}
	if (inputs.povertyIndexSd > 0) shifts.push(['povertyIndex', inputs.povertyIndexSd]);
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
 * Estimate every commune, with its band. The model is calibrated on `communes`, which must be the
 * whole table (the two targets are national and regional).
 * @returns communes in input order; `part` in % of people aged 15+
 */
export function estimateRemotePopulation(communes: readonly CommuneRecord[]): RemoteEstimateSet {
	const fits = fitProxies(communes);
	const inputs = communes.map((c) => describeCommuneInputs(c, fits));
	const model = calibrateFromInputs(inputs, DEFAULT_ASSUMPTIONS, fits);
	const central = inputs.map((i) => estimateCommuneRate(i, model));

	const scenarios: Scenario[] = [
		{
			family: 'niveau',
			label: 'niveau de 2021 (15,4 % au lieu de 17 %)',
			eloignes: Float64Array.from(central, (c) => c.eloignes * LEVEL_FACTOR_LOW)
		},
		{
			family: 'niveau',
			label: 'taux de 2019 arrondi (16,5 % au lieu de 16 %)',
			eloignes: Float64Array.from(central, (c) => c.eloignes * LEVEL_FACTOR_HIGH)
		}
	];
	const rerun = (family: Scenario['family'], label: string, change: Partial<ModelAssumptions>) => {
		const m = calibrateFromInputs(inputs, { ...DEFAULT_ASSUMPTIONS, ...change }, fits);
		scenarios.push({
			family,
			label,
			eloignes: Float64Array.from(inputs, (i) => estimateCommuneRate(i, m).eloignes)
		});
	};
	const percent = (v: number) => `${Math.round(v * 100)} %`;
	for (const v of SHARE_75_IN_60_PLUS_RANGE) {
		rerun('ages-60', `75 ans et plus : ${percent(v)} des 60 ans et plus`, { share75In60Plus: v });
	}
	for (const v of SHARE_45_IN_15_59_RANGE) {
		rerun('ages-15-59', `45–59 ans : ${percent(v)} des 15–59 ans`, { share45In15to59: v });
	}
	for (const sign of [-1, 1]) {
		const target = Math.round(TARGET_HDF_PERSONS * (1 + sign * HDF_TARGET_RELATIVE_UNCERTAINTY));
		rerun('social', `cible Hauts-de-France de ${target.toLocaleString('fr-FR')} personnes`, {
			hdfTarget: target
		});
	}
	rerun('territoire', 'ajustement territorial réduit de moitié', {
		territoryWeight: TERRITORY_WEIGHT_LOW
	});
	rerun('territoire', 'rural à habitat dispersé compté hors attraction des villes', {
		densityToTerritory: DENSITY_TO_TERRITORY_BROAD
	});

	const estimates: CommuneEstimate[] = central.map((r, i) => {
		const variance = independentVariance(inputs[i], model);
		const families = new Map<string, FamilyRange>();
		for (const s of scenarios) {
			const delta = s.eloignes[i] - r.eloignes;
			const f = families.get(s.family) ?? { low: 0, high: 0 };
			f.low = Math.min(f.low, delta);
			f.high = Math.max(f.high, delta);
			families.set(s.family, f);
		}
		const band = combineBand(r.eloignes, variance, [...families.values()], r.pop15);
		return {
			...r,
			code: inputs[i].code,
			population: inputs[i].population,
			variance,
			bas: band.bas,
			haut: band.haut,
			part: r.pop15 > 0 ? (100 * r.eloignes) / r.pop15 : null,
			inputs: inputs[i]
		};
	});
	return { model, communes: estimates, scenarios };
}
