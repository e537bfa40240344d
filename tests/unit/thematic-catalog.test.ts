import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeIndicatorValues, findIndicator, INDICATORS } from '$lib/indicators/catalog';
import {
	chooseMobileIndicator,
	computeCategories,
	computeEligibleShares,
	countQpvByTerritory,
	dominantCategory,
	findCategoricalLayer,
	findMobileVintage,
	findWhiteZones,
	FRR_CLASSES,
	groupCommunesByFrr,
	listQpvOf,
	listZrrCommunes,
	measureZonedPopulation,
	THEMATIC_INDICATORS
} from '$lib/indicators/thematic-catalog';
import { groupCommunesByLevel } from '$lib/territory/aggregate';
import type { QpvByCommune } from '$lib/territory/artifacts';
import { decodeCommuneTable } from '$lib/territory/commune-table';
import type { CommuneRecord } from '$lib/territory/commune';

const readJson = (file: string) =>
	JSON.parse(readFileSync(new URL(`../../static/data/${file}`, import.meta.url), 'utf8'));

let communes: CommuneRecord[];
let byCode: Map<string, CommuneRecord>;
let qpv: QpvByCommune;

beforeAll(() => {
	communes = decodeCommuneTable(readJson('communes.json'));
	byCode = new Map(communes.map((c) => [c.code, c]));
	qpv = readJson('qpv.json') as QpvByCommune;
});

/** Σ value × weight / Σ weight over the communes where both are known, computed by hand. */
function handWeighted(
	group: readonly CommuneRecord[],
	value: (c: CommuneRecord) => number | null,
	weight: (c: CommuneRecord) => number | null
): number | null {
	let num = 0;
	let den = 0;
	for (const c of group) {
		const v = value(c);
		const w = weight(c);
		if (v === null || w === null) continue;
		num += v * w;
		den += w;
	}
	return den > 0 ? num / den : null;
}

describe('thematic indicators in the catalogue', () => {
	it('are listed by the catalogue with unique ids', () => {
		for (const indicator of THEMATIC_INDICATORS) {
			expect(findIndicator(indicator.id)).toBe(indicator);
		}
		expect(new Set(INDICATORS.map((i) => i.id)).size).toBe(INDICATORS.length);
	});

	it('give the share of premises without FttH, weighted by premises, Paris/Lyon/Marseille missing', () => {
		const indicator = findIndicator('zones-blanches-fibre')!;
		const atCommune = computeIndicatorValues(indicator, communes, 'commune');
		expect(atCommune.get('80021')).toBe(100 - byCode.get('80021')!.fibreFtthPct!);
		for (const code of ['75056', '69123', '13055']) expect(atCommune.get(code)).toBeNull();
		const atDep = computeIndicatorValues(indicator, communes, 'departement');
		expect(atDep.get('75')).toBeNull();
		const somme = groupCommunesByLevel(communes, 'departement').get('80')!;
		const expected = handWeighted(
			somme,
			(c) => (c.fibreFtthPct === null ? null : 100 - c.fibreFtthPct),
			(c) => c.locaux2022
		)!;
		expect(atDep.get('80')).toBeCloseTo(expected, 9);
		// Complement of the FttH share at every level (same weights).
		const ftth = computeIndicatorValues(findIndicator('fibre-ftth')!, communes, 'region');
		const noFtth = computeIndicatorValues(indicator, communes, 'region');
		for (const [code, value] of ftth) {
			if (value === null) expect(noFtth.get(code)).toBeNull();
			else expect(noFtth.get(code)).toBeCloseTo(100 - value, 9);
		}
	});

	it('count premises without ≥ 100 Mbit/s in 2022 as a sum of counts', () => {
		const indicator = findIndicator('locaux-sans-thd-100-2022')!;
		const amiens = byCode.get('80021')!;
		expect(computeIndicatorValues(indicator, communes, 'commune').get('80021')).toBe(
			amiens.locaux2022! - amiens.locauxThd100_2022!
		);
		const nord = groupCommunesByLevel(communes, 'departement').get('59')!;
		let sum = 0;
		for (const c of nord)
			if (c.locaux2022 !== null && c.locauxThd100_2022 !== null)
				sum += c.locaux2022 - c.locauxThd100_2022;
		expect(computeIndicatorValues(indicator, communes, 'departement').get('59')).toBe(sum);
		expect(sum).toBeGreaterThan(0);
	});

	it('show the IFN 4G score weighted by population, and prefer ARCEP coverage when present', () => {
		const indicator = findIndicator('absence-4g-ifn')!;
		const values = computeIndicatorValues(indicator, communes, 'epci');
		const epci = groupCommunesByLevel(communes, 'epci').get('248000531')!; // Amiens Métropole
		expect(values.get('248000531')).toBeCloseTo(
			handWeighted(
				epci,
				(c) => c.ifnNo4g,
				(c) => c.population
			)!,
			9
		);
		for (const v of values.values()) if (v !== null) expect(v).toBeGreaterThanOrEqual(0);
		expect(chooseMobileIndicator(communes)).toBe('absence-4g-ifn');
		expect(findMobileVintage(communes)).toBeNull();
		const withArcep = communes.slice(0, 3).map((c, i) => ({
			...c,
			mobile4gGoodPopPctBest: i === 1 ? 97.5 : null,
			mobile4gVintage: i === 1 ? '2025 T3' : null
		}));
		expect(chooseMobileIndicator(withArcep)).toBe('couverture-4g-arcep');
		expect(findMobileVintage(withArcep)).toBe('2025 T3');
		const arcep = computeIndicatorValues(
			findIndicator('couverture-4g-arcep')!,
			withArcep,
			'commune'
		);
		expect([...arcep.values()]).toEqual([null, 97.5, null]);
	});
});

describe('fibre white zones', () => {
	it('flag the territories strictly under the threshold, never those without data', () => {
		const shares = computeEligibleShares('ftth-2025', communes, 'commune');
		const at50 = findWhiteZones(shares, 50);
		const at80 = new Set(findWhiteZones(shares, 80));
		expect(at50.length).toBeGreaterThan(0);
		for (const code of at50) {
			expect(at80.has(code)).toBe(true);
			expect(byCode.get(code)!.fibreFtthPct!).toBeLessThan(50);
		}
		expect(at80.has('75056')).toBe(false);
		expect(findWhiteZones(shares, 0)).toEqual([]);
		expect(
			findWhiteZones(
				new Map([
					['a', 50],
					['b', 49.9],
					['c', null]
				]),
				50
			)
		).toEqual(['b']);
	});

	it('use premises-weighted FttH or the 2022 ratio of sums above the commune', () => {
		const ftth = computeEligibleShares('ftth-2025', communes, 'departement');
		const ftthIndicator = computeIndicatorValues(
			findIndicator('fibre-ftth')!,
			communes,
			'departement'
		);
		expect(ftth.get('02')).toBeCloseTo(ftthIndicator.get('02')!, 9);
		const thd = computeEligibleShares('thd100-2022', communes, 'departement');
		const thdIndicator = computeIndicatorValues(
			findIndicator('thd-100-2022')!,
			communes,
			'departement'
		);
		expect(thd.get('02')).toBeCloseTo(thdIndicator.get('02')!, 9);
		expect(thd.size).toBe(101);
	});
});

describe('categorical layers', () => {
	it('dominantCategory picks the class holding the most population, ties to the lower class', () => {
		const make = (population: number, densite: 1 | 5 | 7) =>
			({ ...communes[0], population, densite }) as CommuneRecord;
		const density = findCategoricalLayer('densite');
		expect(dominantCategory([make(10, 7), make(10, 7), make(15, 1)], density.categoryOf)).toBe(6);
		expect(dominantCategory([make(10, 7), make(10, 5)], density.categoryOf)).toBe(4);
		expect(dominantCategory([], density.categoryOf)).toBeNull();
	});

	it('gives the density grid of communes and the dominant level of territories', () => {
		const density = findCategoricalLayer('densite');
		expect(density.categories).toHaveLength(7);
		const atCommune = computeCategories(density, communes, 'commune');
		expect(atCommune.get('80021')).toBe(0); // Amiens: grand centre urbain
		const atRegion = computeCategories(density, communes, 'region');
		expect(atRegion.get('11')).toBe(0); // Île-de-France: most people in grands centres urbains
		expect(atRegion.size).toBe(18);
	});

	it('maps every rurality label of the data to a class, urban communes to none', () => {
		const rurality = findCategoricalLayer('ruralite');
		expect(rurality.categories).toHaveLength(8);
		for (const c of communes) {
			const k = rurality.categoryOf(c);
			if (c.ruralite === null) expect(k).toBeNull();
			else expect(rurality.categories[k!].label).toBe(c.ruralite);
		}
		expect(rurality.categoryOf(byCode.get('80021')!)).toBeNull();
	});
});

describe('zonings and QPV', () => {
	it('groups the FRR classes with codes 2 and 3 apart, and lists ZRR communes', () => {
		const groups = groupCommunesByFrr(communes);
		const count = (codes: number[]) => communes.filter((c) => codes.includes(c.frr ?? -1)).length;
		for (const k of FRR_CLASSES) expect(groups[k.key]).toHaveLength(count(k.codes));
		expect(groups.socle.length).toBeGreaterThan(10_000);
		expect(FRR_CLASSES.find((k) => k.key === 'autre')!.label).toContain('à vérifier');
		const zrr = listZrrCommunes(communes);
		expect(zrr.classees.length).toBe(communes.filter((c) => c.zrr === 'C').length);
		expect(zrr.partiellement.length).toBe(communes.filter((c) => c.zrr === 'PC').length);
	});

	it('measures the zoned population of a territory', () => {
		const dep = groupCommunesByLevel(communes, 'departement').get('23')!; // Creuse
		const frr = measureZonedPopulation(dep, (c) => (c.frr ?? 0) > 0);
		const total = dep.reduce((s, c) => s + c.population, 0);
		expect(frr.sharePct).toBeCloseTo((frr.population / total) * 100, 9);
		expect(frr.sharePct!).toBeGreaterThan(50);
		expect(measureZonedPopulation([], () => true).sharePct).toBeNull();
	});

	it('counts distinct QPV by territory and lists their names and codes', () => {
		const atCommune = countQpvByTerritory(communes, qpv, 'commune');
		expect(atCommune.get('80021')).toBe(byCode.get('80021')!.qpvCount);
		expect(atCommune.get('59512')).toBeGreaterThan(0); // Roubaix
		const distinct = new Set(Object.values(qpv).flatMap((list) => list.map((q) => q.code)));
		const atRegion = countQpvByTerritory(communes, qpv, 'region');
		let sum = 0;
		for (const n of atRegion.values()) sum += n;
		expect(sum).toBe(distinct.size);
		const amiensQpv = listQpvOf([byCode.get('80021')!], qpv);
		expect(amiensQpv).toHaveLength(byCode.get('80021')!.qpvCount);
		for (const q of amiensQpv) expect(q.code).toMatch(/^QN\d+/);
	});
});
