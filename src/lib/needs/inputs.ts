/**
 * The needs model's inputs: what it knows of one commune (age structure, poverty, diploma, density)
 * with the source of each value, the proxies read from the IFN scores, the age bands and the
 * standardised social index.
 */
import type { CommuneRecord } from '../territory/commune';
import { fitLinear, predictionSd, predictLinear, type LinearFit } from '../stats/least-squares';
import {
	AGE_PROXY_TOP_DECILE_SD_FACTOR,
	AGE_RATES_2019,
	MISSING_SCORE_SD,
	SHARE_15_PLUS,
	SHARE_45_IN_15_59,
	SHARE_75_IN_60_PLUS,
	TARGET_MAINLAND_SHARE_2019,
	type AgeBand
} from './constants';
import type { RemoteModel } from './calibration';

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

export const clamp = (v: number, low: number, high: number) => Math.min(high, Math.max(low, v));

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

export const NO_SHIFT: Readonly<InputShift> = Object.freeze({});

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

export function sumBands(b: Record<AgeBand, number>): number {
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
export function share60Of15(b: Record<AgeBand, number>): number {
	const pop15 = sumBands(b);
	return pop15 > 0 ? (100 * (b.a60to74 + b.a75plus)) / pop15 : 0;
}

export const logit = (percent: number) => {
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

export type Standardisation = Pick<
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
