import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Geometry } from 'geojson';
import { loadServerAnalysis, type ServerAnalysis } from '$lib/server/analysis';
import { rankTable, sortPositions, type RankedTable } from '$lib/ranking/ranked-table';
import { parseRankingQuery, knownCodesOf, type RankingQuery } from '$lib/ranking/query';
import {
	buildRankingJson,
	CRITERION_COLUMNS,
	flattenRankedRow,
	RANKING_COLUMNS,
	rankingCsvChunks,
	rankingDatasetIds,
	rankingCompanion,
	rankingFileName,
	rankingJsonChunks,
	rankingProvenanceHeaders,
	writeRankingCsv,
	type RankingExport
} from '$lib/export/ranking-export';
import {
	buildRankingGeoJson,
	centrePoint,
	decodeTerritoryGeometries,
	rankingGeoJsonChunks,
	roundGeometry
} from '$lib/export/geojson';
import { UTF8_BOM } from '$lib/export/csv';
import { parseCsv } from '../../geodata/lib/csv';
import { CRITERION_IDS } from '$lib/ranking/criteria';

let server: ServerAnalysis;
beforeAll(async () => {
	server = await loadServerAnalysis();
});

/** An export of the query string `text`, as the API would build it (fixed date). */
function exportOf(text: string): RankingExport {
	const parsed = parseRankingQuery(
		new URLSearchParams(text),
		knownCodesOf(server.dataset.territories)
	);
	if (!parsed.ok) throw new Error(parsed.erreur);
	const query: RankingQuery = parsed.value;
	const table: RankedTable = rankTable(server.analysis, {
		level: query.niveau,
		filter: { region: query.region, departement: query.departement },
		weights: query.weights,
		group: query.groupe,
		normalisation: query.normalisation
	});
	return {
		query,
		table,
		positions: sortPositions(table, query.tri, query.ordre),
		datasets: server.dataset.sources.datasets,
		generatedAt: new Date('2026-03-01T12:00:00Z')
	};
}

/** The header and the data of an exported CSV (RFC 4180: the header row comes first). */
function splitCsv(text: string, bom = true) {
	expect(text.startsWith(UTF8_BOM)).toBe(bom);
	const lines = (bom ? text.slice(1) : text).split('\r\n');
	return { header: lines[0], body: lines.join('\r\n') };
}

describe('CSV export', () => {
	it('Mayotte (17 communes) : BOM, en-tête en première ligne, une ligne par commune', () => {
		const data = exportOf('niveau=commune&departement=976&format=csv');
		const text = writeRankingCsv(data);
		const { header, body } = splitCsv(text);
		expect(text.includes('\r\n#')).toBe(false);
		expect(header).toBe(RANKING_COLUMNS.map((c) => c.header).join(';'));
		const table = parseCsv(body, 'classement.csv', ['code', 'rang', 'score', 'explication']);
		expect(table.rows).toHaveLength(17);
		expect(table.rows.map((r) => r.values.position)).toEqual(
			Array.from({ length: 17 }, (_, p) => String(p + 1))
		);
		const first = data.table.rowAt(0);
		expect(table.rows[0].values.code).toBe(first.territory.code);
		expect(table.rows[0].values.score).toBe(first.score.toFixed(2).replace('.', ','));
		expect(table.rows[0].values.explication).toBe(first.explanation);
		expect(
			table.rows.every((r) => r.values.departement === '976' && r.values.region === '06')
		).toBe(true);
	});

	it('séparateur « , » (sep=,) : point décimal, sans BOM, en-tête en première ligne', () => {
		const data = exportOf('niveau=commune&departement=976&format=csv&sep=,');
		expect(data.query.separateur).toBe(',');
		const { header, body } = splitCsv(writeRankingCsv(data), false);
		expect(header.split(',')).toHaveLength(RANKING_COLUMNS.length);
		const table = parseCsv(body, 'classement.csv', ['score']);
		expect(table.rows[0].values.score).toBe(data.table.rowAt(0).score.toFixed(2));
	});

	it('le compagnon (métadonnées) porte paramètres, méthode et sources ; les en-têtes le lient', () => {
		const data = exportOf('niveau=commune&departement=976&format=csv');
		const companion = rankingCompanion(data);
		expect(companion.parametres.requete).toBe('/api/classement?niveau=commune&departement=976');
		expect(companion.metadonnees.genere_le).toBe('2026-03-01T12:00:00.000Z');
		expect(companion.metadonnees.sources.map((s) => s.id)).toContain('cog-2026');
		expect(companion.fichiers?.csv_virgule).toBe(
			'/api/classement?niveau=commune&departement=976&format=csv&separateur=,'
		);
		expect(companion.fichiers?.xlsx).toBe(
			'/api/classement?niveau=commune&departement=976&format=xlsx'
		);
		const headers = rankingProvenanceHeaders(data);
		expect(headers.link).toBe(
			'</api/classement?niveau=commune&departement=976&format=metadonnees>; rel="describedby"; type="application/json"'
		);
		expect(headers['x-atlas-sources']).toContain('cog-2026');
		for (const value of Object.values(headers)) expect(value).toMatch(/^[\x20-\x7e]*$/);
		expect(rankingFileName(data.query, 'metadonnees.json')).toBe(
			'classement-commune-departement-976-equilibre-metadonnees.json'
		);
	});

	it('les morceaux mis bout à bout font le fichier, quelle que soit leur taille', () => {
		const data = exportOf('niveau=commune&departement=976&format=csv');
		const whole = writeRankingCsv(data);
		expect([...rankingCsvChunks(data, 5)].join('')).toBe(whole);
		expect([...rankingCsvChunks(data, 1)]).toHaveLength(1 + 17);
	});

	it('une valeur inconnue est une cellule vide, jamais 0', () => {
		const data = exportOf('niveau=commune&format=csv');
		const unknown = Array.from(data.positions).find((p) =>
			CRITERION_IDS.some((id) => data.table.rowAt(p).criterionValue(id) === null)
		)!;
		const row = data.table.rowAt(unknown);
		const id = CRITERION_IDS.find((c) => row.criterionValue(c) === null)!;
		expect(flattenRankedRow(row)[CRITERION_COLUMNS[id].column]).toBeNull();
		const csv = writeRankingCsv({ ...data, positions: [unknown] });
		const parsed = parseCsv(splitCsv(csv).body, 'x.csv');
		expect(parsed.rows).toHaveLength(1);
		expect(parsed.rows[0].values[CRITERION_COLUMNS[id].column]).toBe('');
		if (row.criterionWeight(id) > 0) expect(parsed.rows[0].values.donnees_manquantes).toContain(id);
	});
});

describe('JSON export', () => {
	it('parametres, metadonnees (sources, méthode, date), lignes', () => {
		const data = exportOf('niveau=epci&departement=59&poids=rural');
		const body = buildRankingJson(data);
		expect(body.parametres).toMatchObject({
			niveau: 'epci',
			departement: '59',
			region: null,
			preset: 'rural',
			poids: 'eloignes:1,part:2,acces:2,distance:2,fibre:1,mobile:1,rural:3,pauvrete:1',
			groupe: 'france',
			groupe_applique: 'departement',
			normalisation: 'filtre',
			normalisation_appliquee: 'filtre',
			requete: '/api/classement?niveau=epci&departement=59&poids=rural'
		});
		expect(body.metadonnees.genere_le).toBe('2026-03-01T12:00:00.000Z');
		expect(body.metadonnees.nombre_territoires).toBe(17);
		expect(body.metadonnees.methode.normalisation).toMatch(/au sein du filtre \(17/);
		const ids = body.metadonnees.sources.map((s) => s.id);
		expect(ids).toEqual(rankingDatasetIds('none', data.datasets));
		// The embedded build has the dated mediation lists, not a Cartographie nationale export.
		expect(ids).not.toContain('cartographie-nationale');
		expect(ids).toEqual(
			expect.arrayContaining([
				'cog-2026',
				'ifn-2023',
				'france-services-2024',
				'qpv-2024',
				'frr-2025'
			])
		);
		expect(body.metadonnees.attribution).toContain('ARCEP');
		expect(body.lignes).toHaveLength(17);
		const first = body.lignes[0];
		expect(first).toMatchObject({ position: 1, rang: 1, rang_sur: 17, niveau: 'epci' });
		expect(first.criteres.rural.poids).toBe(3);
		expect(first.criteres.qpv.poids).toBe(0);
		expect(first.criteres.qpv.contribution).toBe(0);
		expect(first.explication).toMatch(/^Classée 1re du département : /);
		const sum = CRITERION_IDS.reduce((s, id) => s + first.criteres[id].contribution, 0);
		expect(sum).toBeCloseTo(first.score, 1);
	});

	it('le texte en morceaux est le JSON de l’objet', () => {
		const data = exportOf('niveau=commune&departement=976');
		expect([...rankingJsonChunks(data, 4)].join('')).toBe(JSON.stringify(buildRankingJson(data)));
		const empty = { ...data, positions: [] };
		expect(JSON.parse([...rankingJsonChunks(empty)].join('')).lignes).toEqual([]);
	});
});

describe('GeoJSON export', () => {
	it('décode les polygones des 101 départements, coordonnées arrondies à 5 décimales', () => {
		const topology = JSON.parse(readFileSync('static/data/geo/departements.topo.json', 'utf8'));
		const shapes = decodeTerritoryGeometries(topology, 'departement');
		expect(shapes.size).toBe(101);
		const nord = shapes.get('59')!;
		expect(['Polygon', 'MultiPolygon']).toContain(nord.type);
		const text = JSON.stringify(nord);
		expect(text).not.toMatch(/\.\d{6,}/);
		expect(() => decodeTerritoryGeometries(topology, 'epci')).toThrow(
			/objet TopoJSON « epci » absent/
		);
	});

	it('roundGeometry et centrePoint', () => {
		expect(roundGeometry({ type: 'Point', coordinates: [3.0634567891, 50.6366123456] })).toEqual({
			type: 'Point',
			coordinates: [3.06346, 50.63661]
		});
		expect(centrePoint(null, 50)).toBeNull();
		expect(centrePoint(3.06, 50.63)).toEqual({ type: 'Point', coordinates: [3.06, 50.63] });
	});

	it('une entité par territoire, propriétés à plat, paramètres en membre de premier niveau', () => {
		const data = {
			...exportOf('niveau=departement&region=32&format=geojson'),
			geometry: 'polygons' as const
		};
		const topology = JSON.parse(readFileSync('static/data/geo/departements.topo.json', 'utf8'));
		const shapes = decodeTerritoryGeometries(topology, 'departement');
		const geometryOf = (code: string): Geometry | null => shapes.get(code) ?? null;
		const collection = buildRankingGeoJson(data, geometryOf);
		expect(collection.type).toBe('FeatureCollection');
		expect(collection.features.map((f) => f.id).sort()).toEqual(['02', '59', '60', '62', '80']);
		expect(collection.features.every((f) => f.geometry !== null)).toBe(true);
		expect(collection.parametres.region).toBe('32');
		expect(collection.metadonnees.sources.map((s) => s.id)).toContain('admin-express-2018');
		const props = collection.features[0].properties!;
		expect(Object.keys(props)).toEqual(RANKING_COLUMNS.map((c) => c.header));
		expect(props.rang).toBe(1);
		expect(typeof props.score).toBe('number');
		expect([...rankingGeoJsonChunks(data, geometryOf, 2)].join('')).toBe(
			JSON.stringify(collection)
		);
	});
});

describe('rankingFileName', () => {
	it.each([
		[
			'niveau=commune&departement=59&poids=rural&format=csv',
			'csv',
			'classement-commune-departement-59-rural.csv'
		],
		[
			'niveau=epci&region=32&format=geojson',
			'geojson',
			'classement-epci-region-32-equilibre.geojson'
		],
		[
			'niveau=departement&poids=eloignes:1&format=csv',
			'csv',
			'classement-departement-personnalise.csv'
		]
	] as const)('%s', (query, extension, name) => {
		expect(rankingFileName(exportOf(query).query, extension)).toBe(name);
	});
});
