import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../geodata/lib/csv';
import { decodeCommuneTable } from '$lib/territory/commune-table';
import type { CommuneRecord } from '$lib/territory/commune';
import type { TerritoryIndex } from '$lib/territory/artifacts';
import { dataDirectory } from '$lib/server/dataset';
import {
	EXTRAPOLATED_REGIONS,
	NON_ESTIMATED_REGIONS,
	OVERSEAS_SURVEY_2017,
	REGIONAL_BENCHMARKS_2019,
	benchmarkInterval,
	personsRoundingHalfWidth
} from '$lib/needs/benchmarks';
import { estimateRemotePopulation, poolLogRatios, type RemoteEstimateSet } from '$lib/needs/model';
import { validateRemoteModel } from '$lib/needs/validation';
import { BAND_Z } from '$lib/needs/constants';
import { buildRemoteReport, formatRemoteReport } from '../../geodata/pipeline/report';

const SOURCES = fileURLToPath(new URL('../../geodata/sources/', import.meta.url));

describe('the régional benchmarks in the code are the file in geodata/sources', () => {
	const text = readFileSync(
		join(SOURCES, 'rates/illectronisme-reperes-regionaux-2019.csv'),
		'utf8'
	);
	const table = parseCsv(text, 'illectronisme-reperes-regionaux-2019.csv', [
		'niveau',
		'code',
		'nom',
		'taux_pct',
		'personnes',
		'annee',
		'source',
		'qualite',
		'note'
	]);
	const rows = table.rows.map((r) => r.values);

	it('same régions, rates, counts, sources and quality for the 2019 figures', () => {
		const regional2019 = rows.filter((r) => r.niveau === 'region' && r.annee === '2019');
		expect(regional2019.map((r) => r.code).sort()).toEqual(
			REGIONAL_BENCHMARKS_2019.map((b) => b.reg).sort()
		);
		for (const b of REGIONAL_BENCHMARKS_2019) {
			const r = regional2019.find((x) => x.code === b.reg)!;
			expect(r.nom).toBe(b.nom);
			expect(r.taux_pct === '' ? null : Number(r.taux_pct), b.nom).toBe(b.ratePct);
			expect(r.personnes === '' ? null : Number(r.personnes), b.nom).toBe(b.persons);
			expect(r.source).toBe(b.source);
			expect(r.qualite).toBe(b.quality);
			if (b.ratePct !== null) {
				expect(b.rateDecimals).toBe(r.taux_pct.includes('.') ? r.taux_pct.split('.')[1].length : 0);
			}
		}
	});

	it('the overseas survey lines, Guyane without a rate and Mayotte without a survey', () => {
		const overseas = rows.filter((r) => r.annee === '2017');
		expect(overseas.map((r) => r.code).sort()).toEqual([...OVERSEAS_SURVEY_2017.regions].sort());
		for (const r of overseas) {
			expect(r.note).toContain(`${OVERSEAS_SURVEY_2017.overseasPct} %`);
			expect(r.note).toContain(`${OVERSEAS_SURVEY_2017.mainlandPct} % en métropole`);
		}
		expect(rows.find((r) => r.code === EXTRAPOLATED_REGIONS[0])?.taux_pct).toBe('');
		expect(rows.find((r) => r.code === NON_ESTIMATED_REGIONS[0])?.note).toMatch(/aucune enquête/);
	});

	it('is listed in MANIFEST.csv with its size and SHA-256', () => {
		const manifest = readFileSync(join(SOURCES, 'MANIFEST.csv'), 'utf8');
		expect(manifest).toContain(
			`rates/illectronisme-reperes-regionaux-2019.csv,${Buffer.byteLength(text)},`
		);
	});
});

describe('rounding of published figures', () => {
	it('reads the unit of a count from its trailing zeros', () => {
		expect(personsRoundingHalfWidth(850_000)).toBe(5_000);
		expect(personsRoundingHalfWidth(800_000)).toBe(50_000);
		expect(personsRoundingHalfWidth(1_300_000)).toBe(50_000);
		expect(personsRoundingHalfWidth(75_000)).toBe(500);
	});

	it('narrows a rate to the count when both agree (Île-de-France), keeps the rate when they do not (Corse)', () => {
		const idf = REGIONAL_BENCHMARKS_2019.find((b) => b.reg === '11')!;
		const i = benchmarkInterval(idf, 10_219_715)!;
		// 12.2 % ± 0.05 and 1,300,000 ± 50,000 over 10.2 million people aged 15+.
		expect(i.low).toBeCloseTo(1_250_000 / 10_219_715, 12);
		expect(i.high).toBeCloseTo(0.1225, 12);
		const corse = REGIONAL_BENCHMARKS_2019.find((b) => b.reg === '94')!;
		expect(benchmarkInterval(corse, 291_499)).toMatchObject({ low: 0.245, high: 0.255 });
		const na = REGIONAL_BENCHMARKS_2019.find((b) => b.reg === '75')!;
		expect(benchmarkInterval(na, 5_000_000)?.target).toBeCloseTo(0.17, 12);
	});
});

describe('partial pooling of the régional effects (Fay–Herriot, shrunk toward zero)', () => {
	const lr = (d: number[], variance = 0.001) =>
		d.map((x, i) => ({ reg: String(i), d: x, variance }));

	it('never moves the pooled effect past the mean, nor across zero (property over many cases)', () => {
		// A deterministic spread of cases: means from −0.5 to 0.5, spreads and noises over decades.
		for (let a = -5; a <= 5; a++) {
			for (const spread of [0, 0.01, 0.1, 0.3]) {
				for (const variance of [1e-4, 1e-3, 1e-2, 0.1]) {
					const mean = a / 10;
					const p = poolLogRatios(
						lr([mean - spread, mean, mean + spread, mean + spread / 2], variance)
					);
					expect(Math.abs(p.pooled)).toBeLessThanOrEqual(Math.abs(p.mean) + 1e-12);
					expect(p.pooled * p.mean).toBeGreaterThanOrEqual(0);
					expect(p.shrinkage).toBeGreaterThanOrEqual(0);
					expect(p.shrinkage).toBeLessThanOrEqual(1);
				}
			}
		}
	});

	it('shrinks more when the figures are noisier', () => {
		const precise = poolLogRatios(lr([0.1, 0.12, 0.08], 1e-4));
		const noisy = poolLogRatios(lr([0.1, 0.12, 0.08], 0.01));
		expect(precise.shrinkage).toBeGreaterThan(noisy.shrinkage);
		expect(precise.pooled).toBeGreaterThan(noisy.pooled);
		// A mean no larger than its own standard error is not trusted at all.
		expect(poolLogRatios(lr([0.05, -0.03, 0.01], 0.01)).pooled).toBe(0);
	});

	it('solves Fay and Herriot’s moment equation for τ², and gives τ² = 0 when the figures agree', () => {
		const d = [0.0, -0.01, -0.05, 0.05, 0.37];
		const v = [0.0017, 0.0007, 0.0013, 0.0034, 0.023];
		const p = poolLogRatios(d.map((x, i) => ({ reg: String(i), d: x, variance: v[i] })));
		const q = d.reduce((t, x, i) => t + (x - p.mean) ** 2 / (p.tau2 + v[i]), 0);
		expect(q).toBeCloseTo(d.length - 1, 6);
		expect(poolLogRatios(lr([0.02, 0.02, 0.02])).tau2).toBe(0);
	});
});

describe('validation on the real table (the figures printed by npm run geodata:report)', () => {
	let communes: CommuneRecord[];
	let territories: TerritoryIndex;
	let set: RemoteEstimateSet;
	beforeAll(() => {
		communes = decodeCommuneTable(
			JSON.parse(readFileSync(join(dataDirectory(), 'communes.json'), 'utf8'))
		);
		territories = JSON.parse(readFileSync(join(dataDirectory(), 'territoires.json'), 'utf8'));
		set = estimateRemotePopulation(communes);
	}, 120_000);

	it('leaves each benchmarked région out in turn and predicts it from the others', () => {
		expect(set.leaveOneOut.map((l) => l.reg).sort()).toEqual(
			REGIONAL_BENCHMARKS_2019.map((b) => b.reg).sort()
		);
		for (const l of set.leaveOneOut) {
			// Predicted without its own figure: not equal to it (unlike the raked estimate).
			expect(Math.abs(l.predictedRate - l.publishedRate), l.reg).toBeGreaterThan(1e-4);
			expect(l.variance).toBeGreaterThan(0);
		}
	});

	it('computes MAE, coverage and width from the rows it shows', () => {
		const v = validateRemoteModel(set, communes, territories);
		const loro = v.rows.filter((r) => r.leaveOneOut).map((r) => r.leaveOneOut!);
		expect(loro).toHaveLength(5);
		expect(v.crossValidation.maePts).toBeCloseTo(
			loro.reduce((t, r) => t + Math.abs(r.errorPts), 0) / 5,
			9
		);
		expect(v.crossValidation.coverage).toBe(loro.filter((r) => r.covered).length / 5);
		for (const r of loro) {
			expect(r.hautPct / r.partPct).toBeCloseTo(r.partPct / r.basPct, 9);
			expect(Math.log(r.hautPct / r.partPct)).toBeGreaterThan(0);
			expect(Math.log(r.hautPct / r.partPct) / BAND_Z).toBeLessThan(1);
		}
		expect(v.rows.filter((r) => r.kind === 'reference-2019').every((r) => r.withinRounding)).toBe(
			true
		);
		expect(v.rows.find((r) => r.reg === '06')?.modelPct).toBeNull();
	});

	it('the report prints the validation table and the checks of the issue', () => {
		const report = buildRemoteReport(communes, territories, null);
		const text = formatRemoteReport(report);
		expect(text).toContain('Validation : chaque chiffre publié, le modèle et sa fourchette à 90 %');
		expect(text).toMatch(/Validation croisée en laissant de côté une région publiée \(5 régions\)/);
		expect(text).toMatch(/Extrapolé : Guyane ; non estimé : Mayotte/);
		expect(report.checks.map((c) => c.label).join('\n')).toMatch(/couverture de la fourchette/);
	});
});
