/** The communes reduced to the numbers the needs model's fit loops over. */
import { fitLinear } from '../stats/least-squares';
import type { AgeBand } from './constants';
import {
	ageRateOf,
	estimateAgeBands,
	logit,
	share60Of15,
	socialIndexOf,
	socialPartsOf,
	sumBands,
	type CommuneInputs,
	type ModelAssumptions,
	type Standardisation
} from './inputs';

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

export function standardise(
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

export function prepare(
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

/** Σ pop15 per région index. */
export function pop15ByRegion(p: Prepared): Float64Array {
	const out = new Float64Array(p.regions.length);
	for (let k = 0; k < p.n; k++) out[p.region[k]] += p.pop15[k];
	return out;
}
