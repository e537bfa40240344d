import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeCommuneTable } from '$lib/territory/commune-table';
import type { CommuneRecord } from '$lib/territory/commune';
import type { TerritoryIndex } from '$lib/territory/artifacts';
import { dataDirectory } from '$lib/server/dataset';
import { estimateRemotePopulation, type RemoteEstimateSet } from '$lib/needs/model';
import {
	aggregateRemoteEstimates,
	estimateFranceTotal,
	estimateTotalWhere,
	remoteLayerValues,
	type TerritoryEstimate
} from '$lib/needs/aggregate';

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
	// The model and its leave-one-out refits take a few seconds on a loaded 2-core machine.
}, 120_000);

const total = (rows: readonly TerritoryEstimate[], key: 'eloignes' | 'pop15' | 'population') =>
	rows.reduce((t, r) => t + (r[key] ?? 0), 0);
/** A commune's persons, 0 when it is not estimated (Mayotte). */
const personsOf = (i: number) =>
	set.communes[i].fiabilite === 'non_estime' ? 0 : set.communes[i].eloignes;

describe('aggregation: sums of counts', () => {
	it('the communes of each département add up to the département figure', () => {
		expect(byLevel.departement).toHaveLength(101);
		const sums = new Map<string, { eloignes: number; pop15: number }>();
		communes.forEach((c, i) => {
			const s = sums.get(c.dep) ?? { eloignes: 0, pop15: 0 };
			s.eloignes += personsOf(i);
			s.pop15 += set.communes[i].pop15;
			sums.set(c.dep, s);
		});
		for (const d of byLevel.departement) {
			if (d.code === '976') {
				// Mayotte: no survey, no figure (never a made-up number).
				expect(d.fiabilite).toBe('non_estime');
				expect([d.eloignes, d.bas, d.haut, d.part]).toEqual([null, null, null, null]);
				continue;
			}
			expect(d.eloignes, d.code).toBeCloseTo(sums.get(d.code)?.eloignes ?? NaN, 6);
			expect(d.pop15, d.code).toBeCloseTo(sums.get(d.code)?.pop15 ?? NaN, 6);
		}
	});

	it('communes, départements and régions add up to the same national figure', () => {
		expect(byLevel.region).toHaveLength(18);
		for (const level of ['commune', 'departement', 'region'] as const) {
			expect(total(byLevel[level], 'eloignes') / (france.eloignes ?? NaN), level).toBeCloseTo(
				1,
				10
			);
			expect(total(byLevel[level], 'population'), level).toBe(france.population);
		}
		// Each région is the sum of its départements.
		for (const r of byLevel.region) {
			const deps = territories.departements.filter((d) => d.reg === r.code).map((d) => d.code);
			if (r.code === '06') continue;
			const sum = byLevel.departement
				.filter((d) => deps.includes(d.code))
				.reduce((t, d) => t + (d.eloignes ?? 0), 0);
			expect(sum / (r.eloignes ?? NaN), r.code).toBeCloseTo(1, 10);
		}
	});

	it('EPCI plus the communes without an EPCI add up to France', () => {
		const outside = communes.reduce((t, c, i) => t + (c.epci === null ? personsOf(i) : 0), 0);
		expect((total(byLevel.epci, 'eloignes') + outside) / (france.eloignes ?? NaN)).toBeCloseTo(
			1,
			10
		);
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
	const halfWidth = (t: TerritoryEstimate) => ((t.haut ?? 0) - (t.bas ?? 0)) / 2;

	it('do not shrink when communes are summed: a région is wider than independent communes would give', () => {
		// If the communes' errors were independent, the half-widths would add in quadrature.
		for (const r of byLevel.region.filter((x) => x.fiabilite !== 'non_estime')) {
			const communesOf = byLevel.commune.filter(
				(c, i) => communes[i].reg === r.code && c.eloignes !== null
			);
			const independent = Math.sqrt(communesOf.reduce((t, c) => t + halfWidth(c) ** 2, 0));
			expect(halfWidth(r), r.code).toBeGreaterThan(independent);
		}
	});

	it('are narrower, relatively, for a région without a figure than for one of its small communes, but not vanishing', () => {
		const creuse = byLevel.departement.find((d) => d.code === '23')!;
		const widths = byLevel.commune
			.filter((c) => c.code.startsWith('23') && (c.eloignes ?? 0) > 0)
			.map((c) => halfWidth(c) / (c.eloignes ?? 1))
			.sort((a, b) => a - b);
		const relative = halfWidth(creuse) / (creuse.eloignes ?? 1);
		expect(relative).toBeLessThan(widths[Math.floor(widths.length / 2)]);
		// The département effect is shared by its communes: at least ± 10 % at 90 %.
		expect(relative).toBeGreaterThan(0.1);
	});

	it('a benchmarked région has a narrower band than one without a published figure', () => {
		const rel = (code: string) => {
			const r = byLevel.region.find((x) => x.code === code)!;
			return halfWidth(r) / (r.eloignes ?? 1);
		};
		// Hauts-de-France (published) vs Grand Est (pooled effect).
		expect(rel('32')).toBeLessThan(rel('44'));
	});

	it('a subset total (mainland France) holds its central value and stays at INSEE’s 16 % within the rounding', () => {
		const mainland = estimateTotalWhere(set, communes, (c) => c.zone === 'metro', {
			code: 'FM',
			nom: 'France métropolitaine'
		});
		expect(mainland.bas).toBeLessThan(mainland.eloignes ?? 0);
		expect(mainland.haut).toBeGreaterThan(mainland.eloignes ?? 0);
		expect(mainland.part).toBeGreaterThan(15.5);
		expect(mainland.part).toBeLessThan(16.5);
	});
});

describe('map layer values', () => {
	it('give { code, eloignes, bas, haut, part, drivers } for every territory of a level', () => {
		const values = remoteLayerValues(set, communes, 'departement', territories);
		expect(values).toHaveLength(101);
		for (const v of values) {
			expect(Object.keys(v).sort()).toEqual([
				'bas',
				'code',
				'drivers',
				'eloignes',
				'fiabilite',
				'haut',
				'part'
			]);
			if (v.code === '976') {
				expect(v.fiabilite).toBe('non_estime');
				expect(v.eloignes).toBeNull();
				expect(v.drivers).toEqual([]);
				continue;
			}
			expect(v.bas).toBeLessThanOrEqual(v.eloignes ?? NaN);
			expect(v.haut).toBeGreaterThanOrEqual(v.eloignes ?? NaN);
			expect(v.drivers.length).toBeGreaterThanOrEqual(2);
			expect(v.drivers.length).toBeLessThanOrEqual(3);
		}
		const creuse = values.find((v) => v.code === '23');
		expect(creuse?.drivers[0]).toMatch(
			/^Forte part de personnes âgées\u00a0: ≈ \d+,\d\u00a0% d’habitants de 60 ans et plus/
		);
	});
});
