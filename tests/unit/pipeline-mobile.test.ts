import { cpSync, existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../geodata/pipeline/build';
import { findMobileFiles, parseMobileCoverage } from '../../geodata/pipeline/mobile-coverage';
import { OPTIONAL_DATASET_IDS } from '../../geodata/pipeline/dataset-sources';
import { ARTIFACTS, type SourcesArtifact } from '../../src/lib/territory/artifacts';
import { decodeCommuneTable } from '../../src/lib/territory/commune-table';
import type { CommuneRecord } from '../../src/lib/territory/commune';
import { SourceDataError } from '../../geodata/lib/source-error';
import { tempDir } from './temp-dirs';

const FIXTURE = fileURLToPath(new URL('../fixtures/pipeline/sources', import.meta.url));
/** Layout fixture (hand-made values, not ARCEP data): see its README. */
const MOBILE = fileURLToPath(new URL('../fixtures/pipeline/arcep-mobile', import.meta.url));
const COVERAGE = 'connectivity/2025T3_op_communes.csv';
const SITES = 'connectivity/2025_T3_sites_Metropole.csv';
const GENERATED = '2026-11-28T00:00:00.000Z';

/** The fixture sources plus the ARCEP files (all, or those listed), each optionally edited. */
function sourcesWithMobile(
	files: readonly string[] = [COVERAGE, SITES],
	edits: Record<string, (text: string) => string> = {}
): string {
	const dir = tempDir('sources-mobile-');
	cpSync(FIXTURE, dir, { recursive: true });
	for (const file of files) {
		const text = readFileSync(join(MOBILE, file), 'utf8');
		writeFileSync(join(dir, file), (edits[file] ?? ((t) => t))(text));
	}
	return dir;
}

async function build(sourcesDir: string) {
	const out = tempDir('out-mobile-');
	const lines: string[] = [];
	await runPipeline({ sourcesDir, outDir: out, log: (l) => lines.push(l), generated: GENERATED });
	const read = (file: string) => JSON.parse(readFileSync(join(out, file), 'utf8'));
	const communes = new Map<string, CommuneRecord>(
		decodeCommuneTable(read(ARTIFACTS.communes)).map((c) => [c.code, c])
	);
	return { communes, sources: read(ARTIFACTS.sources) as SourcesArtifact, lines };
}

const MOBILE_FIELDS = [
	'mobile4gGoodPopPctBest',
	'mobile4gGoodPopPctWorst',
	'mobile4gVintage',
	'mobileSites4g',
	'mobileSitesZoneBlanche',
	'mobileSitesCouvertureCiblee',
	'mobileSitesVintage'
] as const;

describe('runPipeline with ARCEP "Mon réseau mobile" files added to the sources', () => {
	let result: Awaited<ReturnType<typeof build>>;
	beforeAll(async () => {
		result = await build(sourcesWithMobile());
	});

	it.each([
		// code, best, worst: max / min over operators of pop_bc + pop_tbc in 4G
		['01053', 99.5, 90], // four operators; the 2G and 5G rows are ignored
		['01187', 60, 40], // own row wins over its former code 01330 (95 %)
		['12218', 70.8, 40], // only under its former code 12076 (50.5 + 20.25)
		['13055', 92.1, 90], // arrondissements 13201 (100 %) and 13202 (80 %), weighted 37,599 / 24,378
		['2A004', 100, 95],
		['75056', 100, 100],
		['97101', 95, 80],
		['15031', null, null],
		['59002', null, null]
	])('4G good coverage of %s: best %s, worst %s', (code, best, worst) => {
		const c = result.communes.get(code) as CommuneRecord;
		expect([c.mobile4gGoodPopPctBest, c.mobile4gGoodPopPctWorst]).toEqual([best, worst]);
		expect(c.mobile4gVintage).toBe(best === null ? null : '2025 T3');
	});

	it.each([
		// code, 4G sites, zones blanches, couverture ciblée
		['01053', 2, 0, 0], // three 4G rows, two of them one shared site
		['01187', 2, 1, 1], // a ZB site shared by four operators + a DCC site under 01330
		['2A004', 1, 0, 1],
		['75056', 2, 0, 0], // from its arrondissement 75101
		['15031', 0, 0, 0], // mainland commune without a site
		['97101', null, null, null] // no …_sites_Outremer.csv
	])('sites of %s: 4G %s, ZB %s, DCC %s', (code, sites4g, zb, dcc) => {
		const c = result.communes.get(code) as CommuneRecord;
		expect([c.mobileSites4g, c.mobileSitesZoneBlanche, c.mobileSitesCouvertureCiblee]).toEqual([
			sites4g,
			zb,
			dcc
		]);
		expect(c.mobileSitesVintage).toBe(sites4g === null ? null : '2025 T3');
	});

	it('adds the two ARCEP datasets to sources.json with the quarter and the files read', () => {
		const byId = new Map(result.sources.datasets.map((d) => [d.id, d]));
		const coverage = byId.get(OPTIONAL_DATASET_IDS.mobileCoverage);
		expect(coverage?.vintage).toBe('2025 T3');
		expect(coverage?.files).toEqual([COVERAGE]);
		expect(coverage?.caveat).toMatch(/borne basse/);
		expect(byId.get(OPTIONAL_DATASET_IDS.mobileSites)?.files).toEqual([SITES]);
		expect(byId.has(OPTIONAL_DATASET_IDS.qpvPerimeters)).toBe(false);
	});

	it('reports COM, unknown, converted and ignored codes, and rows without a commune', () => {
		const { unmatched, coverage, rows } = result.sources.report;
		expect(unmatched[`${COVERAGE} : collectivités d’outre-mer, hors champ`]).toEqual(['97701']);
		expect(unmatched[`${COVERAGE} : codes inconnus du COG 2026, ignorés`]).toEqual(['01999']);
		expect(
			unmatched[
				`${COVERAGE} : anciens codes ou arrondissements ignorés : la commune de 2026 a sa propre ligne (une part ne s’additionne pas)`
			]
		).toEqual(['01330→01187']);
		expect(unmatched[`${SITES} : codes inconnus du COG 2026, ignorés`]).toEqual(['01999']);
		expect(unmatched[`${SITES} : sites sans code commune, ignorés (numéros de ligne)`]).toEqual([
			'15'
		]);
		expect(coverage['couverture 4G ARCEP 2025 T3']).toEqual({ matched: 7, total: 10 });
		expect(rows[COVERAGE]).toBe(21);
		expect(rows[SITES]).toBe(15);
	});

	it('says in the printed report which optional files were read', () => {
		expect(result.lines).toContain(
			`  couverture 4G ARCEP : ${COVERAGE} (2025 T3), préférée au score IFN 2023`
		);
		expect(result.lines).toContain('  couverture 4G ARCEP 2025 T3 : 7 / 10 communes');
	});
});

describe('runPipeline without the ARCEP files', () => {
	it('writes every mobile field as null and no ARCEP mobile dataset', async () => {
		const { communes, sources, lines } = await build(FIXTURE);
		for (const c of communes.values()) {
			for (const field of MOBILE_FIELDS) expect(c[field], `${c.code} ${field}`).toBeNull();
		}
		const ids = sources.datasets.map((d) => d.id);
		expect(ids).not.toContain(OPTIONAL_DATASET_IDS.mobileCoverage);
		expect(ids).not.toContain(OPTIONAL_DATASET_IDS.mobileSites);
		expect(lines.some((l) => l.includes('la 4G reste le score IFN 2023'))).toBe(true);
	});

	it('keeps the IFN 4G score, which the app uses then', async () => {
		const { communes } = await build(sourcesWithMobile([SITES]));
		const bourg = communes.get('01053') as CommuneRecord;
		expect(bourg.mobile4gGoodPopPctBest).toBeNull();
		expect(bourg.ifnNo4g).not.toBeNull();
		expect(bourg.mobileSites4g).toBe(2);
	});

	it('finds nothing in the embedded geodata/sources', () => {
		const embedded = fileURLToPath(new URL('../../geodata/sources', import.meta.url));
		expect(findMobileFiles(embedded)).toEqual({ coverage: null, sites: null });
	});
});

/** Replace the `n`-th data line (1 = first row after the header). */
const editRow = (n: number, edit: (line: string) => string) => (text: string) => {
	const lines = text.split('\n');
	lines[n] = edit(lines[n]);
	return lines.join('\n');
};

describe('ARCEP mobile files: French errors naming file, line and field', () => {
	async function expectFailure(sourcesDir: string, message: string | RegExp) {
		const out = tempDir('out-mobile-ko-');
		const run = runPipeline({ sourcesDir, outDir: out, log: () => {} });
		await expect(run).rejects.toBeInstanceOf(SourceDataError);
		await expect(run).rejects.toThrow(message);
		expect(existsSync(join(out, ARTIFACTS.communes))).toBe(false);
	}

	it('a missing column', async () => {
		const dir = sourcesWithMobile([COVERAGE], {
			[COVERAGE]: (t) => t.replace(';"pop_tbc"', ';"pop_tres_bonne"')
		});
		await expectFailure(
			dir,
			`fichier « ${COVERAGE} », ligne 1, champ « pop_tbc » : colonne obligatoire absente de l’en-tête`
		);
	});

	it('a non-numeric share', async () => {
		const dir = sourcesWithMobile([COVERAGE], {
			[COVERAGE]: editRow(2, (l) => l.replace(/;89\.50$/, ';beaucoup'))
		});
		await expectFailure(
			dir,
			`fichier « ${COVERAGE} », ligne 3, champ « pop_tbc » : valeur non numérique « beaucoup »`
		);
	});

	it('a share outside [0, 100], even in a column the pipeline does not use', async () => {
		const dir = sourcesWithMobile([COVERAGE], {
			[COVERAGE]: editRow(2, (l) => l.replace('"01053";0.00;', '"01053";140.00;'))
		});
		await expectFailure(dir, /ligne 3, champ « couv_nc » : pourcentage hors de \[0, 100\]/);
	});

	it('good and very good coverage adding up to more than 100 %', async () => {
		const dir = sourcesWithMobile([COVERAGE], {
			[COVERAGE]: editRow(2, (l) => l.replace(/10\.00;89\.50$/, '60.00;89.50'))
		});
		await expectFailure(
			dir,
			`fichier « ${COVERAGE} », ligne 3, champ « pop_tbc » : pop_bc + pop_tbc = 149.5 % : plus de 100 % de la population`
		);
	});

	it('an invalid operator code', async () => {
		const dir = sourcesWithMobile([COVERAGE], {
			[COVERAGE]: editRow(2, (l) => l.replace('20801', 'Orange'))
		});
		await expectFailure(dir, /ligne 3, champ « mcc_mnc » : code opérateur MCC-MNC invalide/);
	});

	it('a (commune, operator) pair listed twice in 4G', async () => {
		const dir = sourcesWithMobile([COVERAGE], {
			[COVERAGE]: (t) => t.trimEnd() + '\n' + t.split('\n')[2] + '\n'
		});
		await expectFailure(
			dir,
			/ligne 23, champ « commune » : commune « 01053 » en double pour l’opérateur 20801 en 4G \(déjà ligne 3\)/
		);
	});

	it('an invalid commune code (an unknown one is only reported)', async () => {
		const dir = sourcesWithMobile([COVERAGE], {
			[COVERAGE]: editRow(2, (l) => l.replace('"01053"', '"Bourg"'))
		});
		await expectFailure(dir, /ligne 3, champ « commune » : code commune invalide « Bourg »/);
	});

	it('a sites flag other than 0 or 1', async () => {
		const dir = sourcesWithMobile([SITES], {
			[SITES]: editRow(1, (l) => l.replace(';1;1;1;1;0;0;0;0;1;', ';1;1;oui;1;0;0;0;0;1;'))
		});
		await expectFailure(
			dir,
			`fichier « ${SITES} », ligne 2, champ « site_4g » : valeur « oui » invalide : 0 ou 1 attendu`
		);
	});

	it('a sites file without the site_DCC column', async () => {
		const dir = sourcesWithMobile([SITES], { [SITES]: (t) => t.replace(';site_DCC;', ';dcc;') });
		await expectFailure(dir, /ligne 1, champ « site_DCC » : colonne obligatoire absente/);
	});

	it('an operator site listed twice', async () => {
		const dir = sourcesWithMobile([SITES], {
			[SITES]: (t) => t.trimEnd() + '\n' + t.split('\n')[1] + '\n'
		});
		await expectFailure(
			dir,
			/ligne 17, champ « num_site » : site « FIX-OR-001 » de l’opérateur 20801 en double \(déjà ligne 2\)/
		);
	});

	it('two coverage files, or sites files of two quarters', async () => {
		const two = sourcesWithMobile([COVERAGE]);
		cpSync(join(two, COVERAGE), join(two, 'connectivity/2025T2_op_communes.csv'));
		await expectFailure(two, /plusieurs fichiers ARCEP de couverture par commune trouvés/);
		const quarters = sourcesWithMobile([SITES]);
		cpSync(join(MOBILE, SITES), join(quarters, 'connectivity/2025_T2_sites_Outremer.csv'));
		await expectFailure(quarters, /fichiers ARCEP de sites mobiles de trimestres différents/);
		unlinkSync(join(quarters, 'connectivity/2025_T2_sites_Outremer.csv'));
		expect(findMobileFiles(quarters).sites?.vintage).toBe('2025 T3');
	});
});

describe('parseMobileCoverage', () => {
	it('keeps 4G only and adds good and very good coverage of the population per operator', () => {
		const text = readFileSync(join(MOBILE, COVERAGE), 'utf8');
		const { byCode, rows } = parseMobileCoverage(text, COVERAGE);
		expect(rows).toBe(21);
		expect(Object.fromEntries(byCode.get('01053') ?? [])).toEqual({
			'20801': 99.5,
			'20810': 98,
			'20815': 90,
			'20820': 99
		});
		expect(byCode.get('12076')?.get('20801')).toBeCloseTo(70.75, 10);
	});
});
