import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
	computeIndicatorValues,
	countCommunesWithValue,
	DEFAULT_INDICATOR_ID,
	findIndicator,
	INDICATORS,
	type IndicatorId
} from '$lib/indicators/catalog';
import { PALETTE_IDS } from '$lib/charts/colour-scale';
import type { CommuneRecord } from '$lib/territory/commune';

/** The fields of the fixture; everything else of a CommuneRecord is "not joined" (null / 0). */
type FixtureCommune = Pick<
	CommuneRecord,
	| 'code'
	| 'nom'
	| 'population'
	| 'surfaceKm2'
	| 'fibreFtthPct'
	| 'locaux2022'
	| 'locauxThd100_2022'
	| 'ifnTotal'
>;

const fixture = JSON.parse(
	readFileSync(new URL('../fixtures/indicator-catalog/communes-90.json', import.meta.url), 'utf8')
) as { communes: FixtureCommune[] };

function toRecord(c: FixtureCommune): CommuneRecord {
	return {
		dep: '90',
		reg: '27',
		epci: '200069052',
		zone: 'metro',
		hasGeometry: true,
		lon: null,
		lat: null,
		densite: null,
		ruralite: null,
		centralite: null,
		montagne: null,
		frr: null,
		zrr: null,
		ifnNoThd: null,
		ifnNo4g: null,
		ifnPoverty: null,
		ifnOlder65: null,
		ifnNoDiploma: null,
		revenuMedian: null,
		tauxPauvrete: null,
		qpvCount: 0,
		nFranceServices2024: 0,
		nLieuxCnfs2022: 0,
		nStructuresCnfs2023: 0,
		nPostesCnfs2023: 0,
		nStructuresAidantsConnect2024: 0,
		nAidantsConnect2024: 0,
		part60PlusNord2021: null,
		age: null,
		...c
	};
}

const communes = fixture.communes.map(toRecord);
const indicator = (id: IndicatorId) => findIndicator(id)!;

describe('indicator catalogue', () => {
	it('has unique ids, French labels, sources and a known palette for every indicator', () => {
		expect(new Set(INDICATORS.map((i) => i.id)).size).toBe(INDICATORS.length);
		expect(INDICATORS.length).toBeGreaterThanOrEqual(3);
		for (const i of INDICATORS) {
			expect(i.label.length).toBeGreaterThan(10);
			expect(i.sources.length).toBeGreaterThan(0);
			expect(PALETTE_IDS).toContain(i.palette);
			expect(i.aggregationLabel).toMatch(/pondérée|rapport des sommes/);
		}
		expect(findIndicator(DEFAULT_INDICATOR_ID)).toBeDefined();
		expect(findIndicator('inconnu')).toBeUndefined();
	});

	// Expected values computed by hand from the three real communes of the fixture.
	it.each([
		// Σ(share × premises) / Σ premises = (92.6·599 + 98.0·168 + 92.4·30485) / 31252
		['fibre-ftth', 92.4339370280302, 94.33333333333333],
		// Σ eligible / Σ premises = 29160 / 31252 (the mean of the three shares would be 94.49)
		['thd-100-2022', 93.3060284141815, (558 / 599 + 163 / 168 + 28439 / 30485) * (100 / 3)],
		// Σ(score × population) / Σ population
		['ifn-total', 5.358752307085188, (5 + 3.8 + 5.3793115201090655) / 3],
		// Σ population / Σ surface = 47359 / 28.1
		['densite-population', 1685.373665480427, (1093 / 4.19 + 354 / 6.63 + 45912 / 17.28) / 3]
	] as const)(
		'%s aggregates as documented, not as a mean of commune values',
		(id, expected, meanOfValues) => {
			const value = indicator(id).aggregate(communes);
			expect(value).toBeCloseTo(expected, 9);
			expect(Math.abs(value! - meanOfValues)).toBeGreaterThan(0.01);
		}
	);

	it('reads commune values as published', () => {
		const belfort = communes.find((c) => c.code === '90010')!;
		expect(indicator('fibre-ftth').communeValue(belfort)).toBe(92.4);
		expect(indicator('ifn-total').communeValue(belfort)).toBeCloseTo(5.3793, 4);
		expect(indicator('thd-100-2022').communeValue(belfort)).toBeCloseTo((28439 / 30485) * 100, 9);
		expect(indicator('densite-population').communeValue(belfort)).toBeCloseTo(45912 / 17.28, 9);
	});

	it('skips communes without a value instead of counting them as zero', () => {
		const withGap = communes.map((c) => (c.code === '90002' ? { ...c, fibreFtthPct: null } : c));
		const expected = (92.6 * 599 + 92.4 * 30485) / (599 + 30485);
		expect(indicator('fibre-ftth').aggregate(withGap)).toBeCloseTo(expected, 9);
		expect(countCommunesWithValue(indicator('fibre-ftth'), withGap)).toBe(2);
		const none = communes.map((c) => ({ ...c, ifnTotal: null }));
		expect(indicator('ifn-total').aggregate(none)).toBeNull();
		const noSurface = communes.map((c) => ({ ...c, surfaceKm2: 0 }));
		expect(indicator('densite-population').aggregate(noSurface)).toBeNull();
	});

	it('computes one value per territory of the level', () => {
		const byCommune = computeIndicatorValues(indicator('ifn-total'), communes, 'commune');
		expect([...byCommune.keys()]).toEqual(['90001', '90002', '90010']);
		expect(byCommune.get('90002')).toBe(3.8);
		for (const level of ['epci', 'departement', 'region'] as const) {
			const values = computeIndicatorValues(indicator('thd-100-2022'), communes, level);
			expect(values.size).toBe(1);
			expect(
				values.get(level === 'epci' ? '200069052' : level === 'departement' ? '90' : '27')
			).toBeCloseTo(93.3060284141815, 9);
		}
		const island = { ...communes[0], code: '29083', epci: null };
		expect(computeIndicatorValues(indicator('ifn-total'), [island], 'epci').size).toBe(0);
	});
});
