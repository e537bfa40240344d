import { describe, expect, it } from 'vitest';
import { describeNationalNeed, listViewPriorities } from '../../src/lib/needs/summary';
import type { RemoteLayerPoint } from '../../src/lib/needs/layer';

const point = (code: string, eloignes: number, lon: number, lat: number): RemoteLayerPoint => ({
	code,
	eloignes,
	bas: eloignes * 0.9,
	haut: eloignes * 1.1,
	part: 15,
	fiabilite: 'estime',
	drivers: [],
	lon,
	lat
});

describe('describeNationalNeed', () => {
	it('writes millions with one decimal, the band and the share', () => {
		expect(
			describeNationalNeed({ eloignes: 9_012_345, bas: 8_100_000, haut: 9_349_999, part: 16.04 })
		).toEqual({
			count: '≈ 9,0 millions',
			band: 'entre 8,1 et 9,3 millions',
			share: 'soit 16,0\u00a0% des 15 ans et plus',
			scope: ''
		});
		// Départements left out of the total are named.
		expect(
			describeNationalNeed({
				eloignes: 9_012_345,
				bas: 8_100_000,
				haut: 9_349_999,
				part: 16.04,
				notEstimated: ['Mayotte']
			})?.scope
		).toBe(' (hors Mayotte)');
	});

	it('writes a small total in persons, and says nothing without an estimate', () => {
		expect(
			describeNationalNeed({ eloignes: 12_345, bas: 10_000, haut: 15_000, part: null })
		).toEqual({
			count: '≈ 12\u202f000',
			band: 'entre 10\u202f000 et 15\u202f000',
			share: '',
			scope: ''
		});
		expect(describeNationalNeed(null)).toBeNull();
		// « non estimé » (the needs model marks Mayotte so): no headline rather than a false zero.
		expect(
			describeNationalNeed({
				eloignes: null,
				bas: 0,
				haut: 0,
				part: null
			})
		).toBeNull();
	});
});

describe('listViewPriorities', () => {
	const points = [
		point('59', 320_000, 3.1, 50.5),
		point('13', 270_000, 5.4, 43.5),
		point('62', 210_000, 2.4, 50.5),
		point('69', 210_000, 4.8, 45.8),
		{ ...point('976', 0, 45.1, -12.8), eloignes: null as unknown as number },
		{ ...point('00', 999_999, 0, 0), lon: null, lat: null }
	];

	it('keeps the territories whose centre is in the box, most people first, ties by code', () => {
		expect(listViewPriorities(points, [1, 49, 4, 51]).map((p) => p.code)).toEqual(['59', '62']);
		expect(listViewPriorities(points, null, 3).map((p) => p.code)).toEqual(['59', '13', '62']);
	});

	it('never ranks a territory without an estimate or without a centre', () => {
		const codes = listViewPriorities(points, null, 10).map((p) => p.code);
		expect(codes).not.toContain('976');
		expect(codes).not.toContain('00');
		expect(codes).toHaveLength(4);
	});
});
