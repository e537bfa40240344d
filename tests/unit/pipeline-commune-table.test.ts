import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCommuneTable, type CommuneTable } from '../../geodata/pipeline/commune-table';
import {
	matchCommuneCode,
	readCogReference,
	type CogReference
} from '../../geodata/pipeline/cog-reference';
import { buildQpvByCommune } from '../../geodata/pipeline/qpv';
import { buildGeometry } from '../../geodata/pipeline/geometry';
import { parseAgeStructure } from '../../geodata/pipeline/age-structure';
import { SOURCE_FILES } from '../../geodata/pipeline/sources-dir';
import { ratioOfSums } from '../../src/lib/territory/aggregate';
import type { CommuneRecord } from '../../src/lib/territory/commune';

const SOURCES = fileURLToPath(new URL('../fixtures/pipeline/sources', import.meta.url));
const AGE_FIXTURE = fileURLToPath(
	new URL('../fixtures/pipeline/insee-age/base-cc-evol-struct-pop-2021.csv', import.meta.url)
);

/** Every field of CommuneRecord, in declaration order (= column order of communes.json). */
const ALL_FIELDS = [
	'code',
	'nom',
	'dep',
	'reg',
	'epci',
	'zone',
	'hasGeometry',
	'population',
	'surfaceKm2',
	'lon',
	'lat',
	'densite',
	'ruralite',
	'centralite',
	'montagne',
	'frr',
	'zrr',
	'fibreFtthPct',
	'locaux2022',
	'locauxThd100_2022',
	'ifnNoThd',
	'ifnNo4g',
	'ifnPoverty',
	'ifnOlder65',
	'ifnNoDiploma',
	'ifnTotal',
	'revenuMedian',
	'tauxPauvrete',
	'qpvCount',
	'nFranceServices2024',
	'nLieuxCnfs2022',
	'nStructuresCnfs2023',
	'nPostesCnfs2023',
	'nStructuresAidantsConnect2024',
	'nAidantsConnect2024',
	'part60PlusNord2021',
	'age'
];

let cog: CogReference;
let table: CommuneTable;
let byCode: Map<string, CommuneRecord>;

beforeAll(() => {
	cog = readCogReference(SOURCES);
	const geometry = buildGeometry(
		readFileSync(join(SOURCES, SOURCE_FILES.topology), 'utf8'),
		SOURCE_FILES.topology
	);
	const qpv = buildQpvByCommune(SOURCES, cog);
	table = buildCommuneTable(SOURCES, {
		cog,
		communesWithGeometry: geometry.communesWithGeometry,
		qpv: qpv.byCommune
	});
	byCode = new Map(table.records.map((r) => [r.code, r]));
});

const get = (code: string) => {
	const record = byCode.get(code);
	if (!record) throw new Error(`commune ${code} absente`);
	return record;
};

describe('readCogReference / matchCommuneCode', () => {
	it('classifies current, former, arrondissement, COM and unknown codes', () => {
		expect(matchCommuneCode(cog, '2A004')).toEqual({ kind: 'commune', code: '2A004' });
		expect(matchCommuneCode(cog, '01330')).toEqual({ kind: 'former', code: '01187' });
		expect(matchCommuneCode(cog, '12076')).toEqual({ kind: 'former', code: '12218' });
		expect(matchCommuneCode(cog, '75107')).toEqual({ kind: 'arrondissement', code: '75056' });
		expect(matchCommuneCode(cog, '97701')).toEqual({ kind: 'com' });
		expect(matchCommuneCode(cog, '01999')).toEqual({ kind: 'unknown' });
	});
});

describe('buildCommuneTable on the fixture sources', () => {
	it('has one record per commune of the 101 départements, COM left out and reported', () => {
		expect(table.records.map((r) => r.code).sort()).toEqual(
			[
				'01053',
				'01187',
				'12218',
				'13055',
				'15031',
				'2A004',
				'59002',
				'59006',
				'75056',
				'97101'
			].sort()
		);
		const comKey = Object.keys(table.unmatched).find((k) => k.startsWith(SOURCE_FILES.cogCommunes));
		expect(comKey && table.unmatched[comKey]).toEqual(['97701', '97801']);
	});

	it('fills every CommuneRecord field, in declaration order', () => {
		for (const record of table.records) expect(Object.keys(record)).toEqual(ALL_FIELDS);
		for (const record of table.records) {
			for (const [key, value] of Object.entries(record))
				expect(value, `${record.code}.${key}`).not.toBeUndefined();
		}
	});

	it('sums the premises of a merged commune and recomputes the share from the sums', () => {
		const haut = get('01187');
		// ARCEP rows 01187 (845 premises, 104 ≥ 100 Mbit/s) and former 01330 Ruffieu (153, 0).
		expect(haut.locaux2022).toBe(998);
		expect(haut.locauxThd100_2022).toBe(104);
		expect(
			ratioOfSums(
				[haut],
				(c) => c.locauxThd100_2022,
				(c) => c.locaux2022
			)
		).toBeCloseTo(104 / 998, 10);
		// ZRR: 01187 C and 01330 NC → the most favourable.
		expect(haut.zrr).toBe('C');
		expect(
			Object.entries(table.unmatched).find(([k]) => k.includes('statuts différents'))?.[1]
		).toEqual(['01187']);
		// IFN: the commune's own row wins over its former commune's.
		expect(haut.ifnTotal).toBe(6.8);
	});

	it('recomputes the Nord 60+ share of a merged commune, weighted by population', () => {
		// RP 2021 rows 59006 (223 persons, 17.36 %) and 59070 Bermeries (378, 24.4 %).
		expect(get('59006').part60PlusNord2021).toBe(
			Math.round(((223 * 17.36 + 378 * 24.4) / 601) * 10) / 10
		);
		expect(get('59006').part60PlusNord2021).toBe(21.8);
		expect(get('75056').part60PlusNord2021).toBeNull();
	});

	it('keeps Corsican codes as strings', () => {
		const ajaccio = get('2A004');
		expect(ajaccio).toMatchObject({
			dep: '2A',
			reg: '94',
			zone: 'metro',
			montagne: 'Massif de Corse',
			qpvCount: 2
		});
		expect(ajaccio.fibreFtthPct).toBe(97);
	});

	it('leaves the FttH share null (not 0) where ARCEP has none, and reports it', () => {
		expect(get('75056').fibreFtthPct).toBeNull();
		expect(get('13055').fibreFtthPct).toBeNull();
		expect(table.coverage.fibre).toEqual({ matched: 8, total: 10 });
		expect(table.unmatched[`${SOURCE_FILES.fibre} : communes du COG 2026 sans ligne`]).toEqual([
			'13055',
			'75056'
		]);
	});

	it('handles a DROM commune', () => {
		expect(get('97101')).toMatchObject({
			zone: 'drom',
			dep: '971',
			reg: '01',
			ruralite: null,
			densite: 2,
			qpvCount: 7
		});
		expect(get('97101').revenuMedian).toBeNull();
	});

	it('never adds the arrondissements of Paris and Marseille to their commune', () => {
		const paris = get('75056');
		// COG population of the commune itself; its 20 arrondissements are in the COG too.
		expect(paris.population).toBe(2103778);
		expect(cog.arrondissements.size).toBe(36);
		expect(paris.nFranceServices2024).toBe(11);
		// IFN has only arrondissement rows for Paris: population-weighted mean, within their range.
		const totals = readFileSync(join(SOURCES, SOURCE_FILES.ifn), 'utf8')
			.split('\n')
			.filter((l) => l.includes(',city,751'))
			.map((l) => Number(l.split(',').at(-1)));
		expect(totals).toHaveLength(20);
		expect(paris.ifnTotal).toBeGreaterThan(Math.min(...totals));
		expect(paris.ifnTotal).toBeLessThan(Math.max(...totals));
		// Marseille's own IFN row is empty: its arrondissements stand in.
		expect(get('13055').ifnTotal).not.toBeNull();
	});

	it('ignores an arrondissement row when its commune has its own row (counts not doubled)', () => {
		const dir = mkdtempSync(join(tmpdir(), 'arrondissement-'));
		try {
			cpSync(SOURCES, dir, { recursive: true });
			const file = join(dir, SOURCE_FILES.offreMediation);
			writeFileSync(
				file,
				readFileSync(file, 'utf8') + '75107,Paris 7e Arrondissement,75,11,1,2,3,4,5,6\n'
			);
			const withArrondissement = buildCommuneTable(dir, {
				communesWithGeometry: new Set(),
				qpv: {}
			});
			const paris = withArrondissement.records.find((r) => r.code === '75056');
			expect(paris).toMatchObject({ nFranceServices2024: 11, nAidantsConnect2024: 158 });
			expect(
				withArrondissement.unmatched[
					`${SOURCE_FILES.offreMediation} : arrondissements municipaux non ajoutés : la commune a sa propre ligne`
				]
			).toEqual(['75107→75056']);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('takes the IFN scores of a commune from its former code when it has no row of its own', () => {
		expect(get('12218')).toMatchObject({ ifnNoThd: 7, ifnNo4g: 10, ifnTotal: 7 });
		expect(table.unmatched[`${SOURCE_FILES.ifn} : anciens codes convertis au COG 2026`]).toContain(
			'12076→12218'
		);
	});

	it('marks the restored commune without polygon and leaves its missing data null', () => {
		expect(get('15031')).toMatchObject({
			hasGeometry: false,
			zrr: null,
			locaux2022: null,
			ifnTotal: null,
			frr: 4
		});
		expect(get('75056').hasGeometry).toBe(true);
	});

	it('maps labels: density level, typologies without "hors champ", massif without its number', () => {
		expect(get('75056')).toMatchObject({
			densite: 1,
			ruralite: null,
			centralite: "Centre majeur d'équipements et de services"
		});
		expect(get('01187').montagne).toBe('Massif du Jura');
		expect(get('01187').ruralite).toBeNull(); // "périmètre a changé"
		expect(get('97101').centralite).toBeNull(); // "- undefined"
		expect(get('12218').ruralite).toBe('Les ruralités productives agricoles');
	});

	it('leaves age null without the INSEE file, and joins it when given', () => {
		expect(table.records.every((r) => r.age === null)).toBe(true);
		const age = parseAgeStructure(
			readFileSync(AGE_FIXTURE, 'utf8'),
			'base-cc-evol-struct-pop-2021.csv'
		);
		const geometry = new Set(table.records.filter((r) => r.hasGeometry).map((r) => r.code));
		const withAge = buildCommuneTable(SOURCES, {
			cog,
			communesWithGeometry: geometry,
			qpv: {},
			age
		});
		const mormal = withAge.records.find((r) => r.code === '59006');
		expect(mormal?.age).toEqual({
			year: 2021,
			pop15to44: 195,
			pop45to59: 124,
			pop60to74: 110,
			pop75plus: 60
		});
		expect(withAge.records.find((r) => r.code === '59002')?.age?.pop15to44).toBe(1550);
		// 59001 is not a commune of this fixture's COG: reported, not fatal (optional user file).
		expect(
			Object.entries(withAge.unmatched).find(([k]) => k.includes('codes inconnus'))?.[1]
		).toEqual(['59001']);
	});
});
