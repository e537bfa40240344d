import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeCommuneTable } from '../../src/lib/territory/commune-table';
import {
	readPlacesFile,
	type ImportContext,
	MAX_IMPORTED_PLACES
} from '../../src/lib/places-import/import-places';
import { checkImportSize, decodeText } from '../../src/lib/places-import/decode-text';
import { parseCsv } from '../../src/lib/places-import/csv-table';
import {
	isLambert93,
	lambert93ToWgs84,
	readDecimal
} from '../../src/lib/places-import/coordinates';
import { classifyProgrammes } from '../../src/lib/places-import/lieux-standard';
import {
	compactImportContext,
	expandImportContext
} from '../../src/lib/places-import/import-context';
import {
	realStandardRecords,
	standardCsv,
	STANDARD_HEADER
} from '../fixtures/places-import/standard-rows';

const communes = decodeCommuneTable(
	JSON.parse(readFileSync(new URL('../../static/data/communes.json', import.meta.url), 'utf8'))
);
const context: ImportContext = expandImportContext(compactImportContext(communes, []));
const example = readFileSync(
	new URL('../fixtures/places-import/exemple-valide.csv', import.meta.url)
);
const utf8 = (text: string) => new TextEncoder().encode(text);

describe('the standard « Lieux de médiation numérique »', () => {
	it('reads the valid example, types it from its programmes and flags Reims in Provence', () => {
		const report = readPlacesFile('exemple-valide.csv', example, context);
		expect(report.fileError).toBeNull();
		expect(report.format).toBe('standard');
		expect(report.rejected).toEqual([]);
		expect(report.accepted).toHaveLength(1);
		const [place] = report.accepted;
		expect(place).toMatchObject({
			id: 'import-structure-1',
			nom: 'Anonymal',
			type: 'conseiller-numerique-lieu',
			commune: '51454',
			located: 'address',
			lon: 5.41423,
			lat: 43.52609
		});
		expect(place.programmes).toEqual([
			'Aidants Connect',
			'Conseillers numériques',
			'La Croix Rouge'
		]);
		expect(report.warnings).toHaveLength(1);
		expect(report.warnings[0]).toMatchObject({ line: 2, column: 'code_insee', value: '51454' });
		expect(report.warnings[0].reason).toMatch(/km du centre de Reims/);
	});

	it('types places by their most specific programme', () => {
		expect(classifyProgrammes(['Aidants Connect', 'France Services'])).toBe('france-services');
		expect(classifyProgrammes(['Conseillers numériques'])).toBe('conseiller-numerique-lieu');
		expect(classifyProgrammes(['Aidants Connect'])).toBe('aidants-connect');
		expect(classifyProgrammes(['Certification PIX'])).toBe('autre-lieu-mediation');
		expect(classifyProgrammes([])).toBe('autre-lieu-mediation');
	});

	it('reads the same places whatever the column order and separator', () => {
		const csv = standardCsv(300, ';');
		const table = parseCsv(csv);
		const order = [...table.header.keys()].reverse();
		const reordered = [order.map((i) => table.header[i]).join(';')]
			.concat(
				table.rows.map((r) =>
					order.map((i) => `"${(r.cells[i] ?? '').replace(/"/g, '""')}"`).join(';')
				)
			)
			.join('\n');
		const a = readPlacesFile('a.csv', utf8(csv), context);
		const b = readPlacesFile('b.csv', utf8(reordered), context);
		expect(a.separator).toBe(';');
		expect(a.accepted.length).toBeGreaterThan(250);
		expect(b.accepted).toEqual(a.accepted.map((p) => ({ ...p })));
	});

	it('refuses a file without required columns, naming them', () => {
		const table = parseCsv(standardCsv(5));
		const keep = table.header
			.map((h, i) => [h, i] as const)
			.filter(([h]) => h !== 'pivot' && h !== 'date_maj');
		const csv = [keep.map(([h]) => h).join(',')]
			.concat(
				table.rows.map((r) => keep.map(([, i]) => JSON.stringify(r.cells[i] ?? '')).join(','))
			)
			.join('\n');
		const report = readPlacesFile('manque.csv', utf8(csv), context);
		expect(report.accepted).toEqual([]);
		expect(report.fileError).toMatch(/Colonnes obligatoires.*absentes : pivot, date_maj/);
	});

	it('rejects a row with an empty required field, with its line and column', () => {
		const lines = standardCsv(3).split('\r\n');
		const header = lines[0].split(',');
		const cells = parseCsv(lines[2]).header;
		cells[header.indexOf('date_maj')] = '';
		lines[2] = cells.map((c) => JSON.stringify(c)).join(',');
		const report = readPlacesFile('vide.csv', utf8(lines.join('\n')), context);
		expect(report.accepted).toHaveLength(2);
		expect(report.rejected).toEqual([
			{
				line: 3,
				column: 'date_maj',
				value: null,
				reason: expect.stringMatching(/obligatoire.*date_maj/)
			}
		]);
	});

	it('keeps the first of 10 000 rows sharing an id and says why the others are rejected', () => {
		const record = realStandardRecords()[1];
		const row = STANDARD_HEADER.map((h) => JSON.stringify(record[h] ?? '')).join(',');
		const csv = [STANDARD_HEADER.join(','), ...Array(10_000).fill(row)].join('\n');
		const report = readPlacesFile('doublons.csv', utf8(csv), context);
		expect(report.accepted).toHaveLength(1);
		expect(report.rejected).toHaveLength(9_999);
		expect(report.rejected[0]).toMatchObject({ line: 3, column: 'id', value: record.id });
		expect(report.rejected[0].reason).toMatch(/Identifiant déjà utilisé \(ligne 2\)/);
	});

	it('reads 20 000 real rows and caps an import at the limit', () => {
		const report = readPlacesFile(
			'grand.csv',
			utf8(standardCsv(MAX_IMPORTED_PLACES + 10)),
			context
		);
		expect(report.rowCount).toBe(MAX_IMPORTED_PLACES + 10);
		expect(report.accepted.length).toBeLessThanOrEqual(MAX_IMPORTED_PLACES);
		expect(report.accepted.length).toBeGreaterThan(19_000);
		expect(report.rejected.at(-1)?.reason).toMatch(/Au plus 20\s000 lieux par import/u);
	});
});

describe('bad input', () => {
	it('refuses a 60 MB file by its size, before reading it', () => {
		expect(checkImportSize(60 * 1024 * 1024)).toMatch(
			/trop volumineux : 60,0 Mo \(au plus 50,0 Mo\)/
		);
		const report = readPlacesFile('gros.csv', new Uint8Array(60 * 1024 * 1024), context);
		expect(report.fileError).toMatch(/trop volumineux/);
		expect(report.accepted).toEqual([]);
	});

	it('refuses binary files renamed .csv', () => {
		const gz = readPlacesFile('archive.csv', gzipSync(example), context);
		expect(gz.fileError).toMatch(/n’est pas un fichier texte : c’est une archive gzip/);
		const noise = new Uint8Array(4096);
		for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919) % 256;
		expect(readPlacesFile('bruit.csv', noise, context).fileError).toMatch(/octets binaires/);
	});

	it('reads Windows-1252 accents and says it did', () => {
		const text = 'nom;code_insee\r\nMédiathèque Françoise-Sagan – espace numérique;59350\r\n';
		const bytes = new Uint8Array([...text].map((c) => (c === '–' ? 0x96 : c.charCodeAt(0))));
		const decoded = decodeText(bytes);
		expect(decoded).toMatchObject({ ok: true, encoding: 'windows-1252' });
		const report = readPlacesFile('excel.csv', bytes, context);
		expect(report.accepted[0].nom).toBe('Médiathèque Françoise-Sagan – espace numérique');
		expect(report.notices.join(' ')).toMatch(/Windows-1252/);
		expect(decodeText(new Uint8Array([0x9c, 0x80]))).toMatchObject({ text: 'œ€' });
		expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('nom')]))).toMatchObject({
			encoding: 'utf-8-bom'
		});
	});

	it('rejects coordinates outside France, suggesting swapped columns', () => {
		const csv = 'nom;latitude;longitude\nLieu A;5,41423;43,52609\nLieu B;43,52609;5,41423\n';
		const report = readPlacesFile('inverse.csv', utf8(csv), context);
		expect(report.accepted.map((p) => p.nom)).toEqual(['Lieu B']);
		expect(report.rejected[0]).toMatchObject({ line: 2, column: 'latitude' });
		expect(report.rejected[0].reason).toMatch(/hors de France.*inversées/);
	});

	it('keeps HTML in a name as text and warns', () => {
		const name = '<img src=x onerror="alert(1)">Espace <b>numérique</b>';
		const csv = `nom;latitude;longitude\n"${name.replace(/"/g, '""')}";50,63;3,06\n`;
		const report = readPlacesFile('html.csv', utf8(csv), context);
		expect(report.accepted[0].nom).toBe(name);
		expect(report.warnings[0]).toMatchObject({ column: 'nom', value: name });
		expect(report.warnings[0].reason).toMatch(/affiché tel quel/);
	});

	it('refuses a CSV with no way to place its rows', () => {
		const report = readPlacesFile('x.csv', utf8('nom;adresse\nA;1 rue B\n'), context);
		expect(report.fileError).toMatch(/Ni coordonnées.*ni code INSEE/);
	});
});

describe('plain CSV and GeoJSON', () => {
	it('reads decimal commas, Lambert-93 X/Y and commune-only rows', () => {
		const csv = [
			'Nom;Latitude;Longitude;Code INSEE;X;Y',
			'Décimale;50,6292;3,0573;59350;;',
			'Lambert;;;;704 000;7 059 000',
			'Commune;;;62041;;',
			'Commune inconnue;;;99999;;'
		].join('\n');
		const report = readPlacesFile('simple.csv', utf8(csv), context);
		expect(report.format).toBe('csv');
		const [decimal, lambert, commune] = report.accepted;
		expect(decimal).toMatchObject({
			nom: 'Décimale',
			lat: 50.6292,
			lon: 3.0573,
			located: 'address'
		});
		expect(lambert.lon).toBeCloseTo(3.06, 1);
		expect(lambert.lat).toBeCloseTo(50.63, 1);
		const arras = communes.find((c) => c.code === '62041');
		expect(commune).toMatchObject({ located: 'commune', lon: arras?.lon, lat: arras?.lat });
		expect(report.rejected).toHaveLength(1);
		expect(report.rejected[0]).toMatchObject({ line: 5, column: 'Code INSEE', value: '99999' });
		expect(report.notices.join(' ')).toMatch(/Lambert-93.*détectées d’après leurs valeurs/);
		expect(report.notices.join(' ')).toMatch(/1 lieux sans coordonnées placés au centre/);
	});

	it('projects the Lambert-93 origin to 3° E, 46.5° N', () => {
		const [lon, lat] = lambert93ToWgs84(700_000, 6_600_000);
		expect(lon).toBeCloseTo(3, 6);
		expect(lat).toBeCloseTo(46.5, 6);
		expect(isLambert93(3.06, 50.63)).toBe(false);
		expect(readDecimal('48,8566')).toBe(48.8566);
		expect(readDecimal('abc')).toBeNaN();
	});

	it('reads GeoJSON points in WGS84 and in Lambert-93, and refuses other systems', () => {
		const npdc = realStandardRecords().slice(1, 4);
		const feature = (r: Record<string, string>, coordinates: number[]) => ({
			type: 'Feature',
			geometry: { type: 'Point', coordinates },
			properties: {
				id: r.id,
				nom: r.nom,
				code_insee: r.code_insee,
				dispositif_programmes_nationaux: r.dispositif_programmes_nationaux
			}
		});
		const wgs = {
			type: 'FeatureCollection',
			features: npdc.map((r) => feature(r, [Number(r.longitude), Number(r.latitude)]))
		};
		const a = readPlacesFile('lieux.geojson', utf8(JSON.stringify(wgs)), context);
		expect(a.format).toBe('geojson');
		expect(a.accepted.map((p) => p.nom)).toEqual(npdc.map((r) => r.nom));
		const l93 = {
			type: 'FeatureCollection',
			crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::2154' } },
			features: [feature(npdc[0], [704_000, 7_059_000])]
		};
		const b = readPlacesFile('l93.geojson', utf8(JSON.stringify(l93)), context);
		expect(b.accepted[0].lat).toBeCloseTo(50.63, 1);
		expect(b.notices.join(' ')).toMatch(/Lambert-93.*reprojetées/);
		const mercator = { ...l93, crs: { type: 'name', properties: { name: 'EPSG:3857' } } };
		expect(readPlacesFile('m.geojson', utf8(JSON.stringify(mercator)), context).fileError).toMatch(
			/non pris en charge : EPSG:3857/
		);
		expect(readPlacesFile('x.geojson', utf8('{"type":'), context).fileError).toMatch(
			/GeoJSON illisible/
		);
	});

	it('warns about a probable duplicate of a known place', () => {
		const record = realStandardRecords()[1];
		const known = expandImportContext(
			compactImportContext(communes, [
				{
					id: 'npdc-1',
					nom: record.nom,
					lon: Number(record.longitude),
					lat: Number(record.latitude)
				}
			])
		);
		const csv = `nom;latitude;longitude\n"${record.nom}";${record.latitude};${record.longitude}\n`;
		const report = readPlacesFile('d.csv', utf8(csv), known);
		expect(report.accepted).toHaveLength(1);
		expect(report.warnings.map((w) => w.reason).join(' ')).toMatch(/Doublon probable.*npdc-1/);
	});
});
