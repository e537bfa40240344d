import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FeatureCollection, Point } from 'geojson';
import { beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../geodata/pipeline/build';
import {
	buildMediatorsFromExport,
	describeExportValidation,
	exportDateOf,
	findPlacesExport,
	MAX_REJECTED_SHARE,
	PLACES_EXPORT_DIR,
	PlacesExportError
} from '../../geodata/pipeline/places-export';
import {
	DEFAULT_SOURCES_DIR,
	readSourceJson,
	resolveSources,
	SOURCE_FILES,
	UsageError
} from '../../geodata/pipeline/sources-dir';
import {
	ARTIFACTS,
	type MediatorProperties,
	type SourcesArtifact
} from '../../src/lib/territory/artifacts';
import { decodeCommuneTable } from '../../src/lib/territory/commune-table';
import type { CommuneRecord } from '../../src/lib/territory/commune';
import { indexCommuneCodes, type DecoupageCommune } from '../../src/lib/mediation/commune-codes';
import {
	CARTOGRAPHIE_SOURCE_ID,
	collectMediatorAttributions,
	countMediators,
	DEFAULT_MEDIATOR_FILTER,
	listedMediatorSources,
	MEDIATOR_SOURCE_IDS
} from '../../src/lib/mediation/mediator-filters';
import { rankingDatasetIds } from '../../src/lib/export/ranking-export';
import { tempDir, snapshot } from './temp-dirs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURE_SOURCES = fileURLToPath(new URL('../fixtures/pipeline/sources', import.meta.url));
/** The standard's valid example and six real places (tests/fixtures/places-export/cut-fixture.ts). */
const EXPORT = fileURLToPath(
	new URL('../fixtures/places-export/lieux-mediation-numerique-export.csv', import.meta.url)
);
const EXPORT_NAME = 'lieux-mediation-numerique-export.csv';
const EXPORT_LABEL = `${PLACES_EXPORT_DIR}/${EXPORT_NAME}`;
const GENERATED = '2026-11-28T00:00:00.000Z';
const DATED_LISTS = MEDIATOR_SOURCE_IDS.filter((id) => id !== CARTOGRAPHIE_SOURCE_ID);

/** A copy of the pipeline fixture sources with `content` as the Cartographie nationale export. */
function sourcesWithExport(content: string | Buffer, name = EXPORT_NAME): string {
	const dir = tempDir('sources-export-');
	cpSync(FIXTURE_SOURCES, dir, { recursive: true });
	mkdirSync(join(dir, PLACES_EXPORT_DIR), { recursive: true });
	writeFileSync(join(dir, PLACES_EXPORT_DIR, name), content);
	return dir;
}

const exportText = readFileSync(EXPORT, 'utf8');
/** The export with the `n`-th data row (1 = first after the header) edited. */
function exportWithRow(n: number, edit: (line: string) => string): string {
	const lines = exportText.split('\n');
	lines[n] = edit(lines[n]);
	return lines.join('\n');
}

const readJson = <T>(dir: string, file: string) =>
	JSON.parse(readFileSync(join(dir, file), 'utf8')) as T;

describe('GEODATA_SOURCES: a sources folder or a Cartographie nationale export', () => {
	it('reads a folder as the sources and a file as the export over the embedded sources', () => {
		expect(resolveSources(undefined, { GEODATA_SOURCES: FIXTURE_SOURCES })).toEqual({
			dir: FIXTURE_SOURCES,
			placesExport: null
		});
		expect(resolveSources(undefined, { GEODATA_SOURCES: EXPORT })).toEqual({
			dir: DEFAULT_SOURCES_DIR,
			placesExport: EXPORT
		});
		expect(resolveSources(undefined, {})).toEqual({
			dir: DEFAULT_SOURCES_DIR,
			placesExport: null
		});
	});

	it('refuses a path that does not exist, in French, naming it', () => {
		const missing = join(tmpdir(), 'pas-de-fichier', 'export.csv');
		expect(() => resolveSources(undefined, { GEODATA_SOURCES: missing })).toThrow(UsageError);
		expect(() => resolveSources(undefined, { GEODATA_SOURCES: missing })).toThrow(
			`Sources introuvables : « ${missing} »`
		);
	});

	it('finds the one export of mediation/cartographie-nationale/, and never picks among several', () => {
		expect(findPlacesExport(FIXTURE_SOURCES)).toBeNull();
		const dir = sourcesWithExport(exportText);
		expect(findPlacesExport(dir)).toEqual({
			path: join(dir, PLACES_EXPORT_DIR, EXPORT_NAME),
			label: EXPORT_LABEL
		});
		writeFileSync(join(dir, PLACES_EXPORT_DIR, 'autre-export.csv'), exportText);
		expect(() => findPlacesExport(dir)).toThrow(
			`fichier « ${PLACES_EXPORT_DIR} » : plusieurs exports possibles (« autre-export.csv », « ${EXPORT_NAME} »)`
		);
		rmSync(join(dir, PLACES_EXPORT_DIR), { recursive: true });
		mkdirSync(join(dir, PLACES_EXPORT_DIR));
		expect(() => findPlacesExport(dir)).toThrow(PlacesExportError);
	});

	it('dates the export from its file name, else from its latest record', () => {
		expect(exportDateOf('20250312-lieux-de-mediation-numerique.csv', [])).toEqual({
			date: '2025-03-12',
			fromName: true
		});
		expect(exportDateOf('export-2024-11-05.geojson', [])).toEqual({
			date: '2024-11-05',
			fromName: true
		});
		expect(
			exportDateOf('lieux.csv', [{ date: '2023-05-18' }, { date: '2024-04-02' }, { date: null }])
		).toEqual({ date: '2024-04-02', fromName: false });
		expect(exportDateOf('lieux.csv', [{ date: null }])).toBeNull();
	});
});

describe('the export read with the real COG 2026 communes', () => {
	const communes = decodeCommuneTable(
		JSON.parse(readFileSync(join(ROOT, 'static/data/communes.json'), 'utf8'))
	);
	const communeByCode = new Map<string, CommuneRecord>(communes.map((c) => [c.code, c]));
	const codes = indexCommuneCodes(
		readSourceJson(DEFAULT_SOURCES_DIR, SOURCE_FILES.cogCommunes) as DecoupageCommune[]
	);

	it('types the places from their national programmes and flags Reims in Provence', () => {
		const build = buildMediatorsFromExport(
			{ path: EXPORT, label: EXPORT_NAME },
			communeByCode,
			codes
		);
		const features = build.collection.features;
		expect(features).toHaveLength(6);
		expect(countMediators(features).byType).toEqual({
			'france-services': 2,
			'conseiller-numerique-lieu': 2,
			'conseiller-numerique-poste': 0,
			'aidants-connect': 0,
			'autre-lieu-mediation': 2
		});
		const example = features.find((f) => f.properties.id === 'cn-structure-1');
		expect(example?.properties).toMatchObject({
			type: 'conseiller-numerique-lieu',
			nom: 'Anonymal',
			commune: '51454',
			located: 'address',
			source: CARTOGRAPHIE_SOURCE_ID,
			date: '2024-04-02',
			effectif: null
		});
		expect(example?.geometry.coordinates).toEqual([5.41423, 43.52609]);
		expect(build.validation.rejected).toEqual([]);
		expect(build.validation.warnings).toEqual([
			expect.objectContaining({ line: 2, column: 'code_insee', value: '51454' })
		]);
		expect(build.validation.warnings[0].reason).toMatch(/km du centre de Reims/);
		// Sorted by type then id, as the dated lists are.
		const keys = features.map((f) => `${f.properties.type} ${f.properties.id}`);
		expect(keys).toEqual([...keys].sort());
	});

	it('brings an arrondissement code to its commune and leaves the collectivités d’outre-mer out', () => {
		// Data row 5 (Annay) moved to Saint-Martin, a collectivité d'outre-mer.
		const text = exportWithRow(5, (l) =>
			l.replace('"ANNAY","62880","62842"', '"Saint-Martin","97150","97801"')
		);
		const dir = tempDir('export-');
		const path = join(dir, EXPORT_NAME);
		// Paris 7e for the first row: its coordinates are in Provence, so it also warns.
		writeFileSync(path, text.replace('"51100","51454"', '"75007","75107"'));
		const build = buildMediatorsFromExport({ path, label: EXPORT_NAME }, communeByCode, codes);
		expect(build.collection.features).toHaveLength(5);
		expect(build.validation.skipped).toEqual([
			expect.objectContaining({ line: 6, column: 'code_insee', value: '97801' })
		]);
		expect(build.skipped[EXPORT_NAME]).toEqual({
			'collectivité d’outre-mer (hors des 101 départements de l’Atlas)': 1
		});
		const first = build.collection.features.find((f) => f.properties.id === 'cn-structure-1');
		expect(first?.properties.commune).toBe('75056');
		expect(build.recoded[EXPORT_NAME]).toBe(1);
	});

	it('accepts as many places as a national export holds, and reports rows rejected below 1 %', () => {
		const [header, ...rows] = exportText.trimEnd().split('\n');
		const many: string[] = [header];
		for (let i = 0; i < 3_500; i++) {
			for (const row of rows) many.push(row.replace(/^"([^"]*)"/, `"$1-${i}"`));
		}
		// One row without its name: 1 of 21 000, under the threshold.
		many[2] = many[2].replace('"France services Abscon"', '""');
		const dir = tempDir('export-');
		const path = join(dir, EXPORT_NAME);
		writeFileSync(path, many.join('\n'));
		const build = buildMediatorsFromExport({ path, label: EXPORT_NAME }, communeByCode, codes);
		// The browser stops at MAX_IMPORTED_PLACES (20 000); the national layer must not.
		expect(build.collection.features).toHaveLength(20_999);
		expect(build.validation.rejected).toEqual([
			expect.objectContaining({ line: 3, column: 'nom' })
		]);
		expect(build.skipped[EXPORT_NAME]).toEqual({
			'rejetée : Champ obligatoire du standard vide : « nom ».': 1
		});
		const report = describeExportValidation(build);
		expect(report).toContain('  Lignes rejetées (1) :');
		expect(report).toContain(
			'    ligne 3, colonne « nom » : Champ obligatoire du standard vide : « nom ».'
		);
	});
});

describe('runPipeline with a Cartographie nationale export', () => {
	let plain: string;
	let refreshed: string;
	let lines: string[];

	beforeAll(async () => {
		plain = tempDir('out-plain-');
		await runPipeline({
			sourcesDir: FIXTURE_SOURCES,
			outDir: plain,
			log: () => {},
			generated: GENERATED
		});
		refreshed = tempDir('out-export-');
		lines = [];
		await runPipeline({
			sourcesDir: sourcesWithExport(exportText),
			outDir: refreshed,
			log: (l) => lines.push(l),
			generated: GENERATED
		});
	});

	it('replaces the dated lists by the export’s places, typed from their programmes', () => {
		const before = readJson<FeatureCollection<Point, MediatorProperties>>(
			plain,
			ARTIFACTS.mediators
		);
		expect(new Set(before.features.map((f) => f.properties.source))).not.toContain(
			CARTOGRAPHIE_SOURCE_ID
		);
		const after = readJson<FeatureCollection<Point, MediatorProperties>>(
			refreshed,
			ARTIFACTS.mediators
		);
		expect(after.features).toHaveLength(6);
		expect(after.features.every((f) => f.properties.source === CARTOGRAPHIE_SOURCE_ID)).toBe(true);
		expect(countMediators(after.features).byType).toMatchObject({
			'france-services': 2,
			'conseiller-numerique-lieu': 2,
			'autre-lieu-mediation': 2
		});
		// The properties the app reads, no more, no less.
		for (const f of after.features) {
			expect(Object.keys(f.properties).sort()).toEqual(
				[
					'id',
					'type',
					'nom',
					'adresse',
					'commune',
					'located',
					'source',
					'date',
					'horaires',
					'effectif'
				].sort()
			);
		}
		// Abscon is a commune of the fixture; Reims, Annay and Mortagne are not (kept, without commune).
		const abscon = after.features.filter((f) => f.properties.commune === '59002');
		expect(abscon.map((f) => f.properties.id).sort()).toEqual([
			'cn-2125-mediation-numerique-france-services',
			'cn-2195-mediation-numerique-assembleurs',
			'cn-BN8445-mediation-numerique-assembleurs'
		]);
	});

	it('credits the export (producer, file, date) in sources.json instead of the dated lists', () => {
		const { datasets, report } = readJson<SourcesArtifact>(refreshed, ARTIFACTS.sources);
		const ids = datasets.map((d) => d.id);
		for (const id of DATED_LISTS) expect(ids).not.toContain(id);
		const dataset = datasets.find((d) => d.id === CARTOGRAPHIE_SOURCE_ID);
		expect(dataset).toMatchObject({
			producer: 'Cartographie nationale des lieux d’inclusion numérique (ANCT)',
			vintage: 'fiches mises à jour jusqu’au 2 avril 2024',
			files: [EXPORT_LABEL]
		});
		expect(dataset?.attribution).toBe(
			`Cartographie nationale des lieux d’inclusion numérique, ${EXPORT_NAME}, fiches mises à jour jusqu’au 2 avril 2024`
		);
		expect(collectMediatorAttributions(DEFAULT_MEDIATOR_FILTER, datasets)).toEqual([
			dataset?.attribution
		]);
		// The map's « Filtrer par source » offers the lists this build has.
		expect(listedMediatorSources(datasets)).toEqual([CARTOGRAPHIE_SOURCE_ID]);
		const plainDatasets = readJson<SourcesArtifact>(plain, ARTIFACTS.sources).datasets;
		expect(listedMediatorSources(plainDatasets)).toEqual(DATED_LISTS);
		expect(listedMediatorSources([])).toEqual(DATED_LISTS);
		expect(rankingDatasetIds('none', datasets)).toContain(CARTOGRAPHIE_SOURCE_ID);
		expect(rankingDatasetIds('none', datasets)).not.toContain('france-services-2024');
		expect(report.rows[EXPORT_LABEL]).toBe(6);
		// Same place in the list as the dated lists it replaces.
		const plainIds = readJson<SourcesArtifact>(plain, ARTIFACTS.sources).datasets.map((d) => d.id);
		expect(ids.indexOf(CARTOGRAPHIE_SOURCE_ID)).toBe(plainIds.indexOf(DATED_LISTS[0]));
	});

	it('changes no other artifact', () => {
		const a = snapshot(plain);
		const b = snapshot(refreshed);
		expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
		for (const file of Object.keys(a)) {
			// The places, their points for the map (same places) and their credits change; nothing else.
			const changing: string[] = [ARTIFACTS.mediators, ARTIFACTS.mediatorPoints, ARTIFACTS.sources];
			if (changing.includes(file)) continue;
			expect(b[file].content, file).toBe(a[file].content);
		}
	});

	it('prints the validation report: counts, then each warning with line, column and reason', () => {
		const start = lines.findIndex((l) => l.startsWith('Lieux de médiation : export'));
		expect(start).toBeGreaterThan(-1);
		expect(lines[start]).toBe(
			`Lieux de médiation : export de la Cartographie nationale « ${EXPORT_LABEL} » (fiches mises à jour jusqu’au 2 avril 2024)`
		);
		expect(lines[start + 1]).toContain('6 lignes lues, 6 lieux gardés, 0 ligne rejetée');
		const warnings = lines.slice(start).filter((l) => l.startsWith('    ligne '));
		expect(warnings[0]).toMatch(/^ {4}ligne 2, colonne « code_insee », valeur « 51454 » : /);
		// Reims 51454, Annay 62842 and Mortagne-du-Nord 59418 are not in the fixture's COG cut.
		expect(warnings.map((w) => /valeur « (\d+) »/.exec(w)?.[1])).toEqual([
			'51454',
			'62842',
			'59418'
		]);
	});
});

describe('a bad export stops the pipeline and leaves the previous artifacts untouched', () => {
	let out: string;
	let before: ReturnType<typeof snapshot>;

	beforeAll(async () => {
		out = tempDir('out-previous-');
		await runPipeline({
			sourcesDir: FIXTURE_SOURCES,
			outDir: out,
			log: () => {},
			generated: GENERATED
		});
		before = snapshot(out);
	});

	async function expectRefused(
		sourcesDir: string,
		message: string | RegExp,
		placesExport?: string
	) {
		const run = runPipeline({ sourcesDir, placesExport, outDir: out, log: () => {} });
		await expect(run).rejects.toThrow(PlacesExportError);
		await expect(
			runPipeline({ sourcesDir, placesExport, outDir: out, log: () => {} })
		).rejects.toThrow(message);
		expect(snapshot(out)).toEqual(before);
	}

	it('more rejected rows than the threshold: file, line, column and reason of the first', async () => {
		expect(MAX_REJECTED_SHARE).toBe(0.01);
		const noName = exportWithRow(2, (l) => l.replace('"France services Abscon"', '""'));
		await expectRefused(
			sourcesWithExport(noName),
			`fichier « ${EXPORT_LABEL} », ligne 3, champ « nom » : 1 ligne rejetée sur 6 (16,7\u00a0%, au plus 1,0\u00a0% admis) ; première : Champ obligatoire du standard vide : « nom ».`
		);
	});

	it('a duplicated id', async () => {
		const text = exportWithRow(3, (l) =>
			l.replace(
				'"2195-mediation-numerique-assembleurs"',
				'"2125-mediation-numerique-france-services"'
			)
		);
		await expectRefused(sourcesWithExport(text), /ligne 4, champ « id » : 1 ligne rejetée sur 6/);
	});

	it('a file that is not text (a spreadsheet renamed .csv)', async () => {
		const xlsx = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]);
		await expectRefused(
			sourcesWithExport(xlsx),
			`fichier « ${EXPORT_LABEL} » : Ce fichier n’est pas un fichier texte : c’est une archive ZIP ou un classeur Excel`
		);
	});

	it('a CSV that is not in the standard', async () => {
		await expectRefused(
			sourcesWithExport('nom;latitude;longitude\nFrance services Abscon;50,334222;3,299998\n'),
			/n’est pas un export au standard « Lieux de médiation numérique » v1\.0\.2/
		);
	});

	it('an export with no place', async () => {
		await expectRefused(
			sourcesWithExport(exportText.split('\n')[0] + '\n'),
			`fichier « ${EXPORT_LABEL} » : aucun lieu accepté (0 ligne lu`
		);
	});

	it('a missing export file', async () => {
		const missing = join(tempDir('missing-'), 'export.csv');
		await expectRefused(FIXTURE_SOURCES, 'fichier « export.csv » : fichier introuvable', missing);
	});

	it('from the command line: exit code 1, the French message on stderr, nothing written', () => {
		const noName = exportWithRow(2, (l) => l.replace('"France services Abscon"', '""'));
		const result = spawnSync(
			process.execPath,
			['--import', 'tsx', 'geodata/pipeline/build.ts', '--out', out],
			{
				cwd: ROOT,
				env: { ...process.env, GEODATA_SOURCES: sourcesWithExport(noName) },
				encoding: 'utf8'
			}
		);
		expect(result.status).toBe(1);
		expect(result.stderr.trim()).toBe(
			`Erreur dans les données sources : fichier « ${EXPORT_LABEL} », ligne 3, champ « nom » : 1 ligne rejetée sur 6 (16,7\u00a0%, au plus 1,0\u00a0% admis) ; première : Champ obligatoire du standard vide : « nom ».`
		);
		expect(result.stdout).toBe('');
		expect(snapshot(out)).toEqual(before);
	});
});
