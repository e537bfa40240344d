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
import {
	aggregateRemoteEstimates,
	estimateFranceTotal,
	estimateTotalWhere,
	remoteLayerValues,
	type TerritoryEstimate
} from '$lib/indicators/estimates';

let communes: CommuneRecord[];
let territories: TerritoryIndex;
let set: RemoteEstimateSet;
let byLevel: Record<'commune' | 'epci' | 'departement' | 'region', TerritoryEstimate[]>;
let france: TerritoryEstimate;
beforeAll(() => {
	communes = decodeCommuneTable(
		JSON.parse(readFileSync(join(dataDirectory(), 'communes.json'), 'utf8'))
	);
	territories = JSON.parse(readFileSync(join(dataDirectory(), 'territoires.json'), 'utf8'));
	set = estimateRemotePopulation(communes);
	byLevel = {
		commune: aggregateRemoteEstimates(set, communes, 'commune', territories),
		epci: aggregateRemoteEstimates(set, communes, 'epci', territories),
		departement: aggregateRemoteEstimates(set, communes, 'departement', territories),
		region: aggregateRemoteEstimates(set, communes, 'region', territories)
	};
	france = estimateFranceTotal(set, communes);
});

const total = (rows: readonly TerritoryEstimate[], key: 'eloignes' | 'pop15' | 'population') =>
	rows.reduce((t, r) => t + r[key], 0);

describe('aggregation: sums of counts', () => {
	it('the communes of each département add up to the département figure', () => {
		expect(byLevel.departement).toHaveLength(101);
		const sums = new Map<string, { eloignes: number; pop15: number }>();
		communes.forEach((c, i) => {
			const s = sums.get(c.dep) ?? { eloignes: 0, pop15: 0 };
			s.eloignes += set.communes[i].eloignes;
			s.pop15 += set.communes[i].pop15;
			sums.set(c.dep, s);
		});
		for (const d of byLevel.departement) {
			expect(d.eloignes, d.code).toBeCloseTo(sums.get(d.code)?.eloignes ?? NaN, 6);
			expect(d.pop15, d.code).toBeCloseTo(sums.get(d.code)?.pop15 ?? NaN, 6);
		}
	});

	it('communes, départements and régions add up to the same national figure', () => {
		expect(byLevel.region).toHaveLength(18);
		for (const level of ['commune', 'departement', 'region'] as const) {
			expect(total(byLevel[level], 'eloignes') / france.eloignes, level).toBeCloseTo(1, 10);
			expect(total(byLevel[level], 'population'), level).toBe(france.population);
		}
		// Each région is the sum of its départements.
		for (const r of byLevel.region) {
			const deps = territories.departements.filter((d) => d.reg === r.code).map((d) => d.code);
			const sum = byLevel.departement
				.filter((d) => deps.includes(d.code))
				.reduce((t, d) => t + d.eloignes, 0);
			expect(sum / r.eloignes, r.code).toBeCloseTo(1, 10);
		}
	});

	it('EPCI plus the communes without an EPCI add up to France', () => {
		const outside = communes.reduce(
			(t, c, i) => t + (c.epci === null ? set.communes[i].eloignes : 0),
			0
		);
		expect((total(byLevel.epci, 'eloignes') + outside) / france.eloignes).toBeCloseTo(1, 10);
	});

	it('shares are ratios of sums, not means of shares', () => {
		const creuse = byLevel.departement.find((d) => d.code === '23');
		const rows = communes
			.map((c, i) => ({ c, e: set.communes[i] }))
			.filter(({ c }) => c.dep === '23');
		const ratio =
			(100 * rows.reduce((t, r) => t + r.e.eloignes, 0)) / rows.reduce((t, r) => t + r.e.pop15, 0);
		const meanOfShares = rows.reduce((t, r) => t + (r.e.part ?? 0), 0) / rows.length;
		expect(creuse?.part).toBeCloseTo(ratio, 9);
		expect(Math.abs(ratio - meanOfShares)).toBeGreaterThan(0.01);
	});

	it('names territories from territoires.json', () => {
		expect(byLevel.region.find((r) => r.code === '32')?.nom).toBe('Hauts-de-France');
		expect(byLevel.departement.find((d) => d.code === '2A')?.nom).toBe('Corse-du-Sud');
		expect(byLevel.epci.every((e) => !e.nom.includes('nom inconnu'))).toBe(true);
	});
});

describe('aggregate bands', () => {
	it('are recomputed, not summed: narrower than the sum of the communes’ bands, wider than the common errors alone', () => {
		const sumOfHighs = byLevel.commune.reduce((t, c) => t + (c.haut - c.eloignes), 0);
		expect(france.haut - france.eloignes).toBeLessThan(sumOfHighs);
		// The 2019→2021 level change alone lowers France by 9.4 %: the low end is at least that far.
		expect(france.bas).toBeLessThanOrEqual(france.eloignes * (1 - 0.09));
	});

	it('are relatively narrower for a département than for its median commune', () => {
		const creuse = byLevel.departement.find((d) => d.code === '23');
		const widths = byLevel.commune
			.filter((c) => c.code.startsWith('23') && c.eloignes > 0)
			.map((c) => (c.haut - c.bas) / c.eloignes)
			.sort((a, b) => a - b);
		expect(((creuse?.haut ?? 0) - (creuse?.bas ?? 0)) / (creuse?.eloignes ?? 1)).toBeLessThan(
			widths[Math.floor(widths.length / 2)]
		);
	});

	it('a subset total (mainland France) holds its central value', () => {
		const mainland = estimateTotalWhere(set, communes, (c) => c.zone === 'metro', {
			code: 'FM',
			nom: 'France métropolitaine'
		});
		expect(mainland.bas).toBeLessThan(mainland.eloignes);
		expect(mainland.haut).toBeGreaterThan(mainland.eloignes);
		expect((100 * mainland.eloignes) / mainland.pop15).toBeCloseTo(16, 4);
	});
});

describe('map layer values', () => {
	it('give { code, eloignes, bas, haut, part, drivers } for every territory of a level', () => {
		const values = remoteLayerValues(set, communes, 'departement', territories);
		expect(values).toHaveLength(101);
		for (const v of values) {
			expect(Object.keys(v).sort()).toEqual(['bas', 'code', 'drivers', 'eloignes', 'haut', 'part']);
			expect(v.bas).toBeLessThanOrEqual(v.eloignes);
			expect(v.haut).toBeGreaterThanOrEqual(v.eloignes);
			expect(v.drivers.length).toBeGreaterThanOrEqual(2);
			expect(v.drivers.length).toBeLessThanOrEqual(3);
		}
		const creuse = values.find((v) => v.code === '23');
		expect(creuse?.drivers[0]).toMatch(
			/^Forte part de personnes âgées\u00a0: ≈ \d+,\d\u00a0% d’habitants de 60 ans et plus/
		);
	});
});
