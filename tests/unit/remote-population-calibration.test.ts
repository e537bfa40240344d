import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeCommuneTable } from '$lib/territory/commune-table';
import type { CommuneRecord } from '$lib/territory/commune';
import type { TerritoryIndex } from '$lib/territory/artifacts';
import { dataDirectory } from '$lib/server/dataset';
import {
	estimateRemotePopulation,
	type RemoteEstimateSet
} from '$lib/indicators/remote-population';
import { aggregateRemoteEstimates, estimateFranceTotal } from '$lib/indicators/estimates';
import {
	HDF_REGION,
	RP2021_FRANCE_15_PLUS,
	TARGET_HDF_PERSONS,
	TARGET_MAINLAND_SHARE_2019
} from '$lib/indicators/remote-population-constants';

// On the committed commune table, as the "done when" asks.
let communes: CommuneRecord[];
let territories: TerritoryIndex;
let set: RemoteEstimateSet;
beforeAll(() => {
	communes = decodeCommuneTable(
		JSON.parse(readFileSync(join(dataDirectory(), 'communes.json'), 'utf8'))
	);
	territories = JSON.parse(readFileSync(join(dataDirectory(), 'territoires.json'), 'utf8'));
	set = estimateRemotePopulation(communes);
});

describe('calibration on the real commune table', () => {
	it('covers the 34,875 communes of the 101 départements', () => {
		expect(communes.length).toBe(34_875);
	});

	it('puts the national share of people aged 15+ within INSEE’s 15–17 %', () => {
		const france = estimateFranceTotal(set, communes);
		expect(france.part).toBeGreaterThanOrEqual(15);
		expect(france.part).toBeLessThanOrEqual(17);
		// The band of the national total also stays near INSEE's figures (15.4 % in 2021, 17 % in 2019).
		expect((100 * france.bas) / france.pop15).toBeGreaterThan(13.5);
		expect((100 * france.haut) / france.pop15).toBeLessThan(18);
	});

	it('hits the mainland target it was calibrated on (16 %)', () => {
		expect(set.model.calibration.mainlandShare).toBeCloseTo(TARGET_MAINLAND_SHARE_2019, 6);
	});

	it('puts Hauts-de-France within ±10 % of INSEE’s 800,000', () => {
		const hdf = aggregateRemoteEstimates(set, communes, 'region', territories).find(
			(r) => r.code === HDF_REGION
		);
		expect(set.model.calibration.hdfReached).toBe(true);
		expect(Math.abs((hdf?.eloignes ?? 0) / TARGET_HDF_PERSONS - 1)).toBeLessThanOrEqual(0.1);
		expect(hdf?.bas).toBeLessThan(TARGET_HDF_PERSONS);
		expect(hdf?.haut).toBeGreaterThan(TARGET_HDF_PERSONS);
	});

	it('keeps the social adjustment non-negative (monotone model) and the scale near 1', () => {
		expect(set.model.gamma).toBeGreaterThanOrEqual(0);
		// The 2019 age rates alone already give about the national level: k stays within ±25 %.
		expect(set.model.scale).toBeGreaterThan(0.75);
		expect(set.model.scale).toBeLessThan(1.25);
	});

	it('estimates about as many people aged 15+ as INSEE counted in 2021 (±5 %)', () => {
		expect(Math.abs(set.model.calibration.pop15 / RP2021_FRANCE_15_PLUS - 1)).toBeLessThan(0.05);
	});
});
