import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeCommuneTable } from '$lib/territory/commune-table';
import type { CommuneRecord } from '$lib/territory/commune';
import { dataDirectory } from '$lib/server/dataset';
import {
	bandFromVariance,
	calibrateRemoteModel,
	describeCommuneInputs,
	estimateCommuneRate,
	estimateRemotePopulation,
	DEFAULT_ASSUMPTIONS,
	type RemoteEstimateSet,
	type RemoteModel
} from '$lib/needs/model';
import { describeCommuneDrivers } from '$lib/needs/drivers';
import { AGE_RATES_2019, BAND_Z, MODEL_CONSTANTS } from '$lib/needs/constants';
import { parseAgeStructure } from '../../geodata/pipeline/age-structure';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const sample = decodeCommuneTable(
	JSON.parse(readFileSync(join(FIXTURES, 'remote-population/communes-sample.json'), 'utf8'))
);
const sampleByCode = new Map(sample.map((c) => [c.code, c]));
const record = (code: string): CommuneRecord => {
	const c = sampleByCode.get(code);
	if (!c) throw new Error(`commune ${code} absente de l’extrait`);
	return c;
};

// The committed commune table: the model is calibrated on all communes (national and regional targets).
let communes: CommuneRecord[];
let set: RemoteEstimateSet;
let model: RemoteModel;
beforeAll(() => {
	communes = decodeCommuneTable(
		JSON.parse(readFileSync(join(dataDirectory(), 'communes.json'), 'utf8'))
	);
	set = estimateRemotePopulation(communes);
	model = set.model;
}, 120_000);

/** Every `step`-th commune of the table that passes `keep`: a spread of real communes. */
function spread(keep: (c: CommuneRecord) => boolean, step = 37): CommuneRecord[] {
	return communes.filter(keep).filter((_, i) => i % step === 0);
}

const estimateOf = (c: CommuneRecord, m: RemoteModel = model) =>
	estimateCommuneRate(describeCommuneInputs(c, m.fits), m);

describe('a commune of 0 inhabitants', () => {
	it('gives 0 people, a 0–0 band and no share (Beaumont-en-Verdunois, real record)', () => {
		const empty = record('55039');
		expect(empty.population).toBe(0);
		const i = communes.findIndex((c) => c.code === '55039');
		expect(set.communes[i]).toMatchObject({ eloignes: 0, bas: 0, haut: 0, part: null, pop15: 0 });
		expect(estimateOf(empty).eloignes).toBe(0);
	});
});

describe('inputs come from the best available source', () => {
	it.each([
		{ code: '59350', age: 'rp2021-nord', poverty: 'filosofi' },
		{ code: '02001', age: 'ifn-proxy', poverty: 'ifn-proxy' },
		{ code: '23001', age: 'ifn-proxy', poverty: 'ifn-proxy' }
	])('$code: age $age, poverty $poverty', ({ code, age, poverty }) => {
		const inputs = describeCommuneInputs(record(code), model.fits);
		expect(inputs.ageSource).toBe(age);
		expect(inputs.povertySource).toBe(poverty);
		if (age === 'rp2021-nord') expect(inputs.share60).toBe(record(code).part60PlusNord2021);
		if (poverty === 'filosofi') expect(inputs.povertyRate).toBe(record(code).tauxPauvrete);
	});
});

describe('more elderly or more poverty never lowers the estimate (real communes, model held fixed)', () => {
	const bumps: {
		name: string;
		keep: (c: CommuneRecord) => boolean;
		bump: (c: CommuneRecord) => CommuneRecord;
		step?: number;
	}[] = [
		{
			name: 'IFN age score +1',
			keep: (c) => c.ifnOlder65 !== null && c.part60PlusNord2021 === null && !c.age,
			bump: (c) => ({ ...c, ifnOlder65: Math.min(10, (c.ifnOlder65 ?? 0) + 1) })
		},
		{
			name: 'IFN age score +0.3',
			keep: (c) => c.ifnOlder65 !== null && c.part60PlusNord2021 === null && !c.age,
			bump: (c) => ({ ...c, ifnOlder65: Math.min(10, (c.ifnOlder65 ?? 0) + 0.3) })
		},
		{
			name: 'measured 60+ share (Nord) +5 points',
			keep: (c) => c.part60PlusNord2021 !== null,
			bump: (c) => ({ ...c, part60PlusNord2021: (c.part60PlusNord2021 ?? 0) + 5 }),
			step: 5
		},
		{
			name: 'IFN poverty score +1',
			keep: (c) => c.tauxPauvrete === null && c.ifnPoverty !== null,
			bump: (c) => ({ ...c, ifnPoverty: Math.min(10, (c.ifnPoverty ?? 0) + 1) })
		},
		{
			name: 'Filosofi poverty rate +3 points',
			keep: (c) => c.tauxPauvrete !== null,
			bump: (c) => ({ ...c, tauxPauvrete: (c.tauxPauvrete ?? 0) + 3 })
		},
		{
			name: 'IFN no-diploma score +1',
			keep: (c) => c.ifnNoDiploma !== null,
			bump: (c) => ({ ...c, ifnNoDiploma: Math.min(10, (c.ifnNoDiploma ?? 0) + 1) })
		}
	];

	it.each(bumps)('$name', ({ keep, bump, step }) => {
		// Mayotte is not estimated (no survey): nothing to raise there.
		const tested = spread((c) => keep(c) && c.population > 0 && c.reg !== '06', step);
		expect(tested.length).toBeGreaterThan(50);
		let raised = 0;
		for (const c of tested) {
			const before = estimateOf(c).eloignes;
			const after = estimateOf(bump(c)).eloignes;
			expect(after, c.code).toBeGreaterThanOrEqual(before - 1e-9);
			if (after > before * (1 + 1e-6)) raised++;
		}
		// The property is not vacuous: most bumps do raise the estimate (the others were at a cap).
		expect(raised / tested.length).toBeGreaterThan(0.8);
	});

	it('moving 100 people from 15–44 to 75+ in an INSEE age file raises the estimate', () => {
		for (const c of spread((x) => x.population > 500, 701)) {
			const withAge = {
				...c,
				age: { year: 2021, pop15to44: 400, pop45to59: 200, pop60to74: 150, pop75plus: 50 }
			};
			const older = { ...withAge, age: { ...withAge.age, pop15to44: 300, pop75plus: 150 } };
			expect(estimateOf(older).eloignes).toBeGreaterThan(estimateOf(withAge).eloignes);
		}
	});

	it('still holds when the model is recalibrated with the changed commune (3 communes, one in Hauts-de-France)', () => {
		const changes: ((c: CommuneRecord) => Partial<CommuneRecord>)[] = [
			(c) => ({ ifnOlder65: Math.min(10, (c.ifnOlder65 ?? 0) + 2) }),
			(c) =>
				c.tauxPauvrete !== null
					? { tauxPauvrete: c.tauxPauvrete + 5 }
					: { ifnPoverty: Math.min(10, (c.ifnPoverty ?? 0) + 2) }
		];
		for (const code of ['23001', '48095', '62041']) {
			const i = communes.findIndex((c) => c.code === code);
			const before = set.communes[i].eloignes;
			for (const change of changes) {
				const changed = communes.map((c, k) => (k === i ? { ...c, ...change(c) } : c));
				const m = calibrateRemoteModel(changed);
				expect(
					estimateOf(changed[i], m).eloignes,
					`${code} ${JSON.stringify(change(communes[i]))}`
				).toBeGreaterThan(before);
			}
		}
	});
});

describe('INSEE age-file path', () => {
	// Layout fixture of INSEE's base (hand-written bands, real Nord codes; see its README).
	const ageFile = parseAgeStructure(
		readFileSync(join(FIXTURES, 'pipeline/insee-age/base-cc-evol-struct-pop-2021.csv'), 'utf8'),
		'base-cc-evol-struct-pop-2021.csv'
	);
	const withAge = (code: string): CommuneRecord => ({
		...record(code),
		age: ageFile.get(code) ?? null
	});

	// Hand computation with the INSEE 2019 rates 3 %, 9 %, 27 %, 67 %:
	// 59001: 15–44 = 71 + 84 = 155, 45–59 = 88, 60–74 = 85, 75+ = 40 + 3 = 43 → 15+ = 371
	//        155 × 0.03 + 88 × 0.09 + 85 × 0.27 + 43 × 0.67 = 4.65 + 7.92 + 22.95 + 28.81 = 64.33
	// 59002: 1550, 694, 760, 379 → 3383; 46.5 + 62.46 + 205.2 + 253.93 = 568.09
	// 59006: 195, 124, 110, 60 → 489; 5.85 + 11.16 + 29.7 + 40.2 = 86.91
	const HAND = [
		{ code: '59001', pop15: 371, ageOnly: 64.33 },
		{ code: '59002', pop15: 3383, ageOnly: 568.09 },
		{ code: '59006', pop15: 489, ageOnly: 86.91 }
	];

	it('uses the real bands: with no adjustment (k = 1, γ = 0, no territory) it is the hand computation', () => {
		expect(AGE_RATES_2019).toEqual({ a15to44: 0.03, a45to59: 0.09, a60to74: 0.27, a75plus: 0.67 });
		const neutral: RemoteModel = {
			...model,
			scale: 1,
			gamma: 0,
			theta: 0,
			regionEffects: Object.fromEntries(
				Object.entries(model.regionEffects).map(([reg, e]) => [reg, { ...e, u: 0 }])
			)
		};
		for (const { code, pop15, ageOnly } of HAND) {
			const r = estimateOf(withAge(code), neutral);
			expect(r.pop15).toBeCloseTo(pop15, 9);
			expect(r.eloignes).toBeCloseTo(ageOnly, 9);
		}
	});

	it('applies the calibrated scale, social and territory multipliers to the hand computation', () => {
		for (const { code, ageOnly } of HAND) {
			const c = withAge(code);
			const inputs = describeCommuneInputs(c, model.fits);
			expect(inputs.ageSource).toBe('insee-age-file');
			const r = estimateOf(c);
			const social = (r.socialParts.poverty + r.socialParts.education) / 2;
			const expected =
				model.scale *
				ageOnly *
				Math.exp(model.gamma * social) *
				Math.exp(model.theta * (inputs.territoryScore - model.territoryMean)) *
				Math.exp(model.regionEffects[inputs.reg].u);
			expect(estimateOf(c).eloignes).toBeCloseTo(expected, 9);
		}
	});

	it('narrows the band: no age-proxy or age-split error left', () => {
		for (const { code } of HAND) {
			const c = withAge(code);
			const table = communes.map((x) => (x.code === code ? c : x));
			const withFile = estimateRemotePopulation(table).communes[table.indexOf(c)];
			const without = set.communes[communes.findIndex((x) => x.code === code)];
			// Relative to the estimate: counting noise grows with the count itself.
			expect(withFile.variance / withFile.eloignes ** 2).toBeLessThan(
				without.variance / without.eloignes ** 2
			);
			expect((withFile.haut - withFile.bas) / withFile.eloignes).toBeLessThan(
				(without.haut - without.bas) / without.eloignes
			);
		}
	}, 120_000);
});

describe('bands', () => {
	it('hold the central value, stay within [0, people aged 15+], and are not a fixed ±10 %', () => {
		const widths: number[] = [];
		set.communes.forEach((e) => {
			if (e.fiabilite === 'non_estime') {
				expect([e.bas, e.haut, e.eloignes, e.part]).toEqual([NaN, NaN, NaN, null]);
				return;
			}
			expect(e.bas).toBeLessThanOrEqual(e.eloignes);
			expect(e.haut).toBeGreaterThanOrEqual(e.eloignes);
			expect(e.bas).toBeGreaterThanOrEqual(0);
			expect(e.haut).toBeLessThanOrEqual(e.pop15 + 1e-9);
			if (e.eloignes > 0) widths.push((e.haut - e.bas) / e.eloignes);
		});
		widths.sort((a, b) => a - b);
		const q = (p: number) => widths[Math.floor(p * (widths.length - 1))];
		// Proxy communes are much wider than measured ones: the relative width varies a lot.
		expect(q(0.95) / q(0.05)).toBeGreaterThan(1.5);
	});

	it('an estimated age (IFN proxy) gives a wider band than a measured one (Nord)', () => {
		const rel = (keep: (c: CommuneRecord) => boolean) => {
			const w = communes
				.map((c, i) => ({ c, e: set.communes[i] }))
				.filter(({ c, e }) => keep(c) && e.eloignes > 0 && c.population > 2000)
				.map(({ e }) => (e.haut - e.bas) / e.eloignes)
				.sort((a, b) => a - b);
			return w[Math.floor(w.length / 2)];
		};
		expect(rel((c) => c.part60PlusNord2021 === null && c.zone === 'metro')).toBeGreaterThan(
			rel((c) => c.part60PlusNord2021 !== null)
		);
	});

	it('bandFromVariance is log-normal at 1.645 sd (90 %) and stays within [0, people aged 15+]', () => {
		// sd 100 on 1000 → relative sd 0.1 → [1000 e^−0.1645, 1000 e^0.1645]
		const band = bandFromVariance(1000, 100 ** 2, 5000);
		expect(band.bas).toBeCloseTo(1000 * Math.exp(-BAND_Z * 0.1), 9);
		expect(band.haut).toBeCloseTo(1000 * Math.exp(BAND_Z * 0.1), 9);
		expect(bandFromVariance(10, 1e6, 12).haut).toBe(12);
		expect(bandFromVariance(0, 0, 0)).toMatchObject({ bas: 0, haut: 0 });
	});
});

describe('drivers', () => {
	const driversOf = (code: string) => {
		const i = communes.findIndex((c) => c.code === code);
		return describeCommuneDrivers(set.communes[i], model);
	};

	it('gives 2 or 3 plain-French sentences, strongest first', () => {
		for (const code of ['59350', '23001', '02001', '48095', '97411', '62041', '33063']) {
			const drivers = driversOf(code);
			expect(drivers.length).toBeGreaterThanOrEqual(2);
			expect(drivers.length).toBeLessThanOrEqual(3);
			const strength = drivers.map((d) => Math.abs(Math.log(d.effect)));
			expect(strength).toEqual([...strength].sort((a, b) => b - a));
			for (const d of drivers) expect(d.text).toMatch(/\u00a0: .+→ /);
		}
	});

	it('says what is estimated and what is measured', () => {
		const ahun = driversOf('23001').find((d) => d.id === 'age');
		expect(ahun?.text).toMatch(
			/^Forte part de personnes âgées\u00a0: score d’âge IFN 9\/10 \(≈ \d+,\d\u00a0% d’habitants de 60 ans et plus, estimé\)/
		);
		expect(ahun?.measured).toBe(false);
		const lille = driversOf('59350');
		expect(lille[0].text).toMatch(
			/^Population plutôt jeune\u00a0: 14,4\u00a0% d’habitants de 60 ans et plus \(recensement 2021, mesuré\)/
		);
		expect(lille.find((d) => d.id === 'pauvrete')?.text).toMatch(/Filosofi 2021, mesuré/);
	});
});

describe('constants', () => {
	it('every constant shown on the Sources page names its source and its status', () => {
		for (const c of MODEL_CONSTANTS) {
			expect(c.source.length, c.id).toBeGreaterThan(10);
			expect(c.status).toBeTruthy();
			expect(c.value).not.toMatch(/NaN|undefined/);
		}
		expect(DEFAULT_ASSUMPTIONS.share15Plus).toBeGreaterThan(0.75);
	});
});
