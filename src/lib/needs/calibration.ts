/** The calibrated needs model: fitted on the whole commune table, with its leave-one-out refits. */
import type { CommuneRecord } from '../territory/commune';
import { MODEL_VERSION } from './constants';
import {
	benchmarkTargets,
	fitSyntheticParameters,
	regionEffectsFor,
	estimateArray,
	type BenchmarkTarget,
	type PoolingSummary,
	type RegionEffect,
	type SyntheticParameters
} from './fit';
import {
	DEFAULT_ASSUMPTIONS,
	describeCommuneInputs,
	fitProxies,
	type CommuneInputs,
	type ModelAssumptions,
	type ProxyFits
} from './inputs';
import { prepare, type Prepared } from './prepare';

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
export function fitModel(
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
