import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMediators, MEDIATOR_FILES } from '../../geodata/pipeline/mediators';
import { parseCsv } from '../../geodata/lib/csv';
import { SourceDataError } from '../../geodata/lib/source-error';
import type { DecoupageCommune } from '../../src/lib/mediation/commune-codes';
import type { MediatorProperties } from '../../src/lib/territory/artifacts';
import type { CommuneRecord } from '../../src/lib/territory/commune';

const SOURCES = join(
	dirname(fileURLToPath(import.meta.url)),
	'..',
	'fixtures',
	'mediators',
	'sources'
);

/** Commune records of the fixture extract: codes, names and centres are real, indicators left empty. */
function loadFixtureCommunes(dir: string): Map<string, CommuneRecord> {
	const cog = JSON.parse(
		gunzipSync(
			readFileSync(join(dir, 'admin/decoupage-administratif-6.0.0/communes.json.gz'))
		).toString('utf8')
	) as (DecoupageCommune & { departement: string; region: string; population?: number })[];
	const centres = parseCsv(
		readFileSync(join(dir, 'admin/communes-centres-surface.csv'), 'utf8'),
		'centres'
	);
	const byCode = new Map(cog.filter((e) => e.type === 'commune-actuelle').map((e) => [e.code, e]));
	const communes = new Map<string, CommuneRecord>();
	for (const row of centres.rows) {
		const v = row.values;
		const entry = byCode.get(v.code_insee);
		if (!entry) continue;
		communes.set(v.code_insee, {
			code: v.code_insee,
			nom: entry.nom,
			dep: entry.departement,
			reg: entry.region,
			epci: null,
			zone: entry.departement.length === 3 ? 'drom' : 'metro',
			hasGeometry: true,
			population: entry.population ?? 0,
			surfaceKm2: Number(v.surface_km2),
			lon: Number(v.lon),
			lat: Number(v.lat),
			densite: null,
			ruralite: null,
			centralite: null,
			montagne: null,
			frr: null,
			zrr: null,
			fibreFtthPct: null,
			locaux2022: null,
			locauxThd100_2022: null,
			ifnNoThd: null,
			ifnNo4g: null,
			ifnPoverty: null,
			ifnOlder65: null,
			ifnNoDiploma: null,
			ifnTotal: null,
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
			age: null
		});
	}
	return communes;
}

const communes = loadFixtureCommunes(SOURCES);
const build = buildMediators(SOURCES, communes);
const features = build.collection.features;
const byId = new Map(features.map((f) => [f.properties.id, f]));
const props = (id: string): MediatorProperties => {
	const feature = byId.get(id);
	if (!feature) throw new Error(`no point ${id}`);
	return feature.properties;
};

describe('buildMediators on the fixture extracts', () => {
	it('reads every row and counts them per file', () => {
		expect(build.rows).toEqual({
			[MEDIATOR_FILES.franceServices]: 6,
			[MEDIATOR_FILES.cnfsLieux]: 4,
			[MEDIATOR_FILES.npdc]: 7,
			[MEDIATOR_FILES.cnfsPostes]: 6,
			[MEDIATOR_FILES.aidantsConnect]: 5
		});
	});

	it('gives the expected number of points per type and source', () => {
		const counts: Record<string, number> = {};
		for (const f of features) {
			const key = `${f.properties.type} ${f.properties.source}`;
			counts[key] = (counts[key] ?? 0) + 1;
		}
		expect(counts).toEqual({
			// 6 rows − 1 in Saint-Martin (COM)
			'france-services france-services-2024': 5,
			// 4 places − Annay and Laventie, kept as their NPdC 2023 records
			'conseiller-numerique-lieu cnfs-lieux-2022': 2,
			'conseiller-numerique-lieu lieux-npdc-2023': 2,
			// assembleurs (not a duplicate), dora, france-tiers-lieux
			'autre-lieu-mediation lieux-npdc-2023': 3,
			// 5 structures (one validated twice) − 1 in Saint-Martin
			'conseiller-numerique-poste cnfs-postes-2023': 4,
			// 5 rows − inactive − no code − unknown code 80000
			'aidants-connect aidants-connect-2024': 2
		});
	});

	it('merges the NPdC records that repeat a national record, by rule', () => {
		expect(build.dedup).toEqual({ identifiant: 2, siret: 0, 'distance-nom': 2 });
		// Same id: France services 1443 (kept, latest list) and CNFS Annay (NPdC kept, later list).
		expect(props('fs-1443').alsoIn).toEqual(['lieux-npdc-2023']);
		expect(byId.has('npdc-1443-france-services')).toBe(false);
		expect(props('npdc-627a2aeead1bdb06edc48a15-conseiller-numerique').alsoIn).toEqual([
			'cnfs-lieux-2022'
		]);
		expect(byId.has('cnfs-627a2aeead1bdb06edc48a15')).toBe(false);
		// Distance + name: « France Services - Lumbres » (0 m) and the Laventie médiathèque (0 m).
		expect(props('fs-370').alsoIn).toEqual(['lieux-npdc-2023']);
		expect(byId.has('npdc-FS370-assembleurs')).toBe(false);
		expect(props('npdc-635b889a0bc77106f799b49c-conseiller-numerique').alsoIn).toEqual([
			'cnfs-lieux-2022'
		]);
		expect(build.merges.map((m) => [m.rule, m.kept])).toEqual([
			['identifiant', 'fs-1443'],
			['identifiant', 'npdc-627a2aeead1bdb06edc48a15-conseiller-numerique'],
			['distance-nom', 'fs-370'],
			['distance-nom', 'npdc-635b889a0bc77106f799b49c-conseiller-numerique']
		]);
	});

	it('fills a field the kept record lacks from the merged one', () => {
		// The NPdC Annay record has no hours; the CNFS 2022 one has.
		expect(props('npdc-627a2aeead1bdb06edc48a15-conseiller-numerique').horaires).toBe(
			'Mo-Fr 08:30-12:00,13:30-17:00'
		);
	});

	it('places commune-level points at the commune centre and says so', () => {
		const located = features.filter((f) => f.properties.located === 'commune');
		expect(located.map((f) => f.properties.type).sort()).toEqual([
			'aidants-connect',
			'aidants-connect',
			'conseiller-numerique-poste',
			'conseiller-numerique-poste',
			'conseiller-numerique-poste',
			'conseiller-numerique-poste'
		]);
		for (const f of located) {
			const commune = communes.get(f.properties.commune ?? '');
			expect(f.geometry.coordinates).toEqual([commune?.lon, commune?.lat]);
		}
		expect(features.filter((f) => f.properties.located === 'address')).toHaveLength(12);
	});

	it('sums the posts of a structure validated twice and keeps its latest date', () => {
		expect(props('cnfs-poste-82917522300033')).toMatchObject({
			effectif: 3,
			date: '2023-04-05',
			commune: '84031',
			located: 'commune'
		});
		expect(props('ac-1').effectif).toBe(22);
	});

	it('maps arrondissement, former and zero-less codes to COG 2026 communes', () => {
		expect(props('ac-1').commune).toBe('75056'); // 75107 Paris 7e
		expect(props('cnfs-poste-42029405000042').commune).toBe('13055'); // 13201 Marseille 1er
		expect(props('cnfs-poste-25010021100011').commune).toBe('01053'); // « 1053 »
		expect(props('fs-280').commune).toBe('49126'); // 49069 Champtoceaux → Orée d'Anjou
		expect(build.recoded).toEqual({
			[MEDIATOR_FILES.franceServices]: 1,
			[MEDIATOR_FILES.cnfsPostes]: 1,
			[MEDIATOR_FILES.aidantsConnect]: 1
		});
		// CNFS places have only a postal address.
		expect(props('cnfs-62592a1d05457b0790816e6c').commune).toBe('13055'); // 13011 MARSEILLE 11
		expect(props('cnfs-62a87d2d8255a806e299af43').commune).toBe('46042'); // 46010 CAHORS CEDEX 9
	});

	it('reports skipped rows and unknown codes', () => {
		expect(build.skipped).toEqual({
			[MEDIATOR_FILES.franceServices]: { 'collectivité d’outre-mer': 1 },
			[MEDIATOR_FILES.cnfsPostes]: { 'collectivité d’outre-mer': 1 },
			[MEDIATOR_FILES.aidantsConnect]: {
				'structure inactive': 1,
				'code commune absent': 1,
				'code commune inconnu': 1
			}
		});
		expect(build.unmatched).toEqual({ [MEDIATOR_FILES.aidantsConnect]: ['80000'] });
	});

	it('formats France services hours, dates and antenna names', () => {
		expect(props('fs-1')).toMatchObject({
			nom: 'France services de Valserhône',
			adresse: '5-9 Rue des Papetiers, 01200 Valserhône',
			date: '2020-01-01',
			horaires:
				'lun. 13:30 - 17:00 ; mar. 09:00 - 12:00 / 13:30 - 17:00 ; mer. 09:00 - 12:00 / 13:30 - 17:00 ; ' +
				'jeu. 09:00 - 12:00 / 13:30 - 17:00 ; ven. 09:00 - 12:00 / 13:30 - 16:00'
		});
		expect(props('fs-99').nom).toBe('France services Neussargues en Pinatelle (antenne)');
		expect(props('cnfs-62a87d2d8255a806e299af43').horaires).toBe('Mo,Fr 09:15-12:30,13:30-17:00');
	});

	it('types NPdC records by their sub-source', () => {
		expect(props('npdc-b9cf77b6-10b1-4c8c-839c-5cfe57fcedff-dora').type).toBe(
			'autre-lieu-mediation'
		);
		expect(props('npdc-0013-assembleurs').type).toBe('autre-lieu-mediation');
		expect(props('npdc-0013-assembleurs').commune).toBe('62498');
	});

	it('sorts by type then id and rounds coordinates to 6 decimals', () => {
		const keys = features.map((f) => `${f.properties.type} ${f.properties.id}`);
		expect(keys).toEqual([...keys].sort());
		for (const f of features) {
			for (const x of f.geometry.coordinates) expect(Math.round(x * 1e6) / 1e6).toBe(x);
		}
		expect(byId.get('fs-1443')?.geometry.coordinates).toEqual([3.451344, 50.503405]);
		expect(byId.get('fs-1')?.geometry.coordinates).toEqual([5.826008, 46.106071]);
	});

	it('is deterministic', () => {
		expect(JSON.stringify(buildMediators(SOURCES, communes))).toBe(JSON.stringify(build));
	});
});

describe('buildMediators rejects bad inputs', () => {
	let dir: string;
	beforeAll(() => {
		dir = mkdtempSync(join(tmpdir(), 'mediators-'));
	});
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	/** A copy of the fixture folder with one file edited. */
	function withEdited(file: string, edit: (text: string) => string): string {
		const copy = mkdtempSync(join(dir, 'case-'));
		cpSync(SOURCES, copy, { recursive: true });
		const path = join(copy, file);
		const before = readFileSync(path, 'utf8');
		const after = edit(before);
		expect(after).not.toBe(before);
		writeFileSync(path, after);
		return copy;
	}

	function errorOf(sources: string): SourceDataError {
		try {
			buildMediators(sources, communes);
		} catch (error) {
			if (error instanceof SourceDataError) return error;
			throw error;
		}
		throw new Error('no error thrown');
	}

	it('a GeoJSON point in Lambert-93 metres', () => {
		const sources = withEdited(MEDIATOR_FILES.npdc, (text) => {
			const collection = JSON.parse(text);
			// Lille in Lambert-93 (EPSG:2154), metres.
			collection.features[2].geometry.coordinates = [704000, 7059000];
			return JSON.stringify(collection);
		});
		const error = errorOf(sources);
		expect(error.file).toBe(MEDIATOR_FILES.npdc);
		expect(error.feature).toBe(2);
		expect(error.message).toContain('Lambert-93');
	});

	it('a France services row with swapped latitude and longitude', () => {
		const sources = withEdited(MEDIATOR_FILES.franceServices, (text) =>
			text.replace('46.1060711578546,5.8260084241619', '5.8260084241619,46.1060711578546')
		);
		const error = errorOf(sources);
		expect([error.file, error.line, error.field]).toEqual([
			MEDIATOR_FILES.franceServices,
			2,
			'longitude, latitude'
		]);
		expect(error.message).toContain('inversées');
	});

	it('a non-numeric effectif', () => {
		const sources = withEdited(MEDIATOR_FILES.aidantsConnect, (text) =>
			text.replace('false,Paris,22,', 'false,Paris,vingt-deux,')
		);
		const error = errorOf(sources);
		expect([error.file, error.line, error.field]).toEqual([
			MEDIATOR_FILES.aidantsConnect,
			2,
			"Nombre d'aidants"
		]);
		expect(error.message).toContain('« vingt-deux »');
	});

	it('a fractional number of conseillers', () => {
		const sources = withEdited(MEDIATOR_FILES.cnfsPostes, (text) =>
			text.replace(
				"Provence-Alpes-Côte d'Azur;2;16/06/2021",
				"Provence-Alpes-Côte d'Azur;1,5;16/06/2021"
			)
		);
		const error = errorOf(sources);
		expect([error.line, error.field]).toEqual([2, 'Nombre de conseillers validés par le COSELEC']);
	});

	it('a missing column', () => {
		const sources = withEdited(MEDIATOR_FILES.cnfsPostes, (text) =>
			text.replace('Nombre de conseillers validés par le COSELEC', 'Nombre de conseillers')
		);
		const error = errorOf(sources);
		expect([error.file, error.line, error.field]).toEqual([
			MEDIATOR_FILES.cnfsPostes,
			1,
			'Nombre de conseillers validés par le COSELEC'
		]);
	});

	it('a missing source file', () => {
		const copy = mkdtempSync(join(dir, 'case-'));
		cpSync(SOURCES, copy, { recursive: true });
		rmSync(join(copy, MEDIATOR_FILES.cnfsLieux));
		expect(errorOf(copy).file).toBe(MEDIATOR_FILES.cnfsLieux);
	});
});
