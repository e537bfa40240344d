import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { feature } from 'topojson-client';
import type { Feature, FeatureCollection, Polygon } from 'geojson';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { runPipeline } from '../../geodata/pipeline/build';
import {
	buildQpvPerimeters,
	detectQpvMillesime,
	findQpvPerimeterFile
} from '../../geodata/pipeline/qpv-perimeters';
import { readCogReference } from '../../geodata/pipeline/cog-reference';
import { DEFAULT_SOURCES_DIR } from '../../geodata/pipeline/sources-dir';
import { OPTIONAL_DATASET_IDS } from '../../geodata/pipeline/dataset-sources';
import {
	ARTIFACTS,
	type QpvByCommune,
	type QpvPerimeterProperties,
	type SourcesArtifact
} from '../../src/lib/territory/artifacts';
import { SourceDataError } from '../../geodata/lib/source-error';
import { tempDir } from './temp-dirs';

const FIXTURE = fileURLToPath(new URL('../fixtures/pipeline/sources', import.meta.url));
/** Ten real features of the Occitanie 2015 perimeters (see the fixture's README). */
const PERIMETERS = fileURLToPath(new URL('../fixtures/pipeline/qpv-perimeters', import.meta.url));
const FILE = 'qpv/qpv-2015-occitanie-contours.geojson';
const GENERATED = '2026-11-28T00:00:00.000Z';

const realPerimeters = (): FeatureCollection<Polygon, Record<string, string>> =>
	JSON.parse(readFileSync(join(PERIMETERS, FILE), 'utf8'));

/** The fixture sources plus a perimeter file (the real cut by default) under `qpv/<name>`. */
function sourcesWithPerimeters(
	content: unknown = realPerimeters(),
	name = 'qpv-2015-occitanie-contours.geojson'
): string {
	const dir = tempDir('sources-qpv-');
	cpSync(FIXTURE, dir, { recursive: true });
	writeFileSync(join(dir, 'qpv', name), JSON.stringify(content));
	return dir;
}

/** Decoded `geo/qpv.topo.json`. */
function readPerimeters(out: string): Feature<Polygon, QpvPerimeterProperties>[] {
	const topo = JSON.parse(readFileSync(join(out, ARTIFACTS.qpvPerimeters), 'utf8')) as Topology<{
		qpv: GeometryCollection<QpvPerimeterProperties>;
	}>;
	return (feature(topo, topo.objects.qpv) as FeatureCollection<Polygon, QpvPerimeterProperties>)
		.features;
}

describe('runPipeline with the real Occitanie 2015 perimeters added to the sources', () => {
	let out: string;
	let lines: string[];
	let sources: SourcesArtifact;
	beforeAll(async () => {
		out = tempDir('out-qpv-');
		lines = [];
		await runPipeline({
			sourcesDir: sourcesWithPerimeters(),
			outDir: out,
			log: (l) => lines.push(l),
			generated: GENERATED
		});
		sources = JSON.parse(readFileSync(join(out, ARTIFACTS.sources), 'utf8'));
	});

	it('writes geo/qpv.topo.json with one polygon per QPV and the 2015 list detected from the codes', () => {
		const drawn = readPerimeters(out);
		expect(drawn.map((f) => f.properties.code).sort()).toEqual(
			realPerimeters()
				.features.map((f) => f.properties.code_qp)
				.sort()
		);
		const toulouse = drawn.find((f) => f.properties.code === 'QP031019');
		expect(toulouse?.properties).toEqual({
			code: 'QP031019',
			nom: realPerimeters().features.find((f) => f.properties.code_qp === 'QP031019')?.properties
				.nom_qp,
			// The fixture's COG has none of these communes: reported, not guessed.
			commune: null,
			millesime: 2015
		});
		expect(drawn.every((f) => f.properties.millesime === 2015)).toBe(true);
	});

	it('keeps every vertex within 1e-5° of the source', () => {
		const source = new Map(realPerimeters().features.map((f) => [f.properties.code_qp, f]));
		for (const drawn of readPerimeters(out)) {
			const ring = drawn.geometry.coordinates[0];
			const original = (source.get(drawn.properties.code) as Feature<Polygon>).geometry
				.coordinates[0];
			expect(ring.length).toBeLessThanOrEqual(original.length);
			for (const [x, y] of ring) {
				const nearest = Math.min(
					...original.map(([ox, oy]) => Math.max(Math.abs(ox - x), Math.abs(oy - y)))
				);
				expect(nearest).toBeLessThan(1e-5);
			}
		}
	});

	it('notes the perimeter file, its list and its partial coverage in sources.json', () => {
		const dataset = sources.datasets.find((d) => d.id === OPTIONAL_DATASET_IDS.qpvPerimeters);
		expect(dataset?.files).toEqual([FILE]);
		expect(dataset?.vintage).toBe('QPV 2015');
		expect(dataset?.caveat).toMatch(/liste 2015/);
		expect(dataset?.caveat).toMatch(
			/Fichier partiel : périmètres pour 9 département\(s\) \(09, 11, 30, 31, 34, 65, 66, 81, 82\), aucun pour 5 département\(s\) ayant des QPV 2024/
		);
		expect(sources.report.rows[FILE]).toBe(10);
		expect(
			sources.report.unmatched[`${FILE} : codes commune inconnus du COG 2026, ignorés (QPV : code)`]
		).toContain('QP031019 : 31555');
		expect(lines).toContain(`  périmètres QPV : ${FILE} (10 de la liste 2015) → geo/qpv.topo.json`);
	});

	it('removes the artifact on a later run without a perimeter file', async () => {
		expect(existsSync(join(out, ARTIFACTS.qpvPerimeters))).toBe(true);
		const again: string[] = [];
		await runPipeline({ sourcesDir: FIXTURE, outDir: out, log: (l) => again.push(l) });
		expect(existsSync(join(out, ARTIFACTS.qpvPerimeters))).toBe(false);
		expect(again.some((l) => l.includes('ancien geo/qpv.topo.json supprimé'))).toBe(true);
		const after = JSON.parse(readFileSync(join(out, ARTIFACTS.sources), 'utf8'));
		expect(after.datasets.map((d: { id: string }) => d.id)).not.toContain('qpv-perimetres');
	});
});

describe('the national build does not use the Occitanie 2015 perimeters by default', () => {
	it('finds no perimeter file in the embedded geodata/sources', () => {
		expect(findQpvPerimeterFile(DEFAULT_SOURCES_DIR)).toBeNull();
	});

	it('finds the file of the full collection under its own name', () => {
		expect(findQpvPerimeterFile(PERIMETERS)).toBe(FILE);
	});
});

describe('buildQpvPerimeters on the real COG 2026', () => {
	let cog: ReturnType<typeof readCogReference>;
	const list: QpvByCommune = JSON.parse(
		readFileSync(fileURLToPath(new URL('../../static/data/qpv.json', import.meta.url)), 'utf8')
	);
	beforeAll(() => {
		cog = readCogReference(DEFAULT_SOURCES_DIR);
	});

	it('attaches each 2015 perimeter to its COG 2026 commune', () => {
		const step = buildQpvPerimeters(PERIMETERS, cog, list);
		const topo = JSON.parse(step?.topology ?? '{}');
		const communes = Object.fromEntries(
			topo.objects.qpv.geometries.map((g: { properties: QpvPerimeterProperties }) => [
				g.properties.code,
				g.properties.commune
			])
		);
		expect(communes).toMatchObject({ QP031019: '31555', QP034011: '34172', QP009001: '09261' });
		expect(step?.dataset.caveat).toMatch(/aucun pour \d+ département\(s\) ayant des QPV 2024/);
		expect(step?.coverage).toEqual({});
	});

	it('reads upper-case shapefile names and a 2024 file, attaching communes from the list', () => {
		const dir = tempDir('sources-qpv-2024-');
		cpSync(PERIMETERS, dir, { recursive: true });
		rmSync(join(dir, FILE));
		// The real Toulouse polygon relabelled as a 2024 QPV of Bourg-en-Bresse: only the property
		// names and codes matter here, not where the polygon lies.
		const [first] = realPerimeters().features;
		const relabelled = {
			type: 'FeatureCollection',
			features: [
				{ ...first, properties: { CODE_QP: 'QN00101M', LIB_QP: 'Grande Reyssouze' } },
				{ ...first, properties: { CODE_QP: 'QN99999Z', LIB_QP: 'Absent de la liste' } }
			]
		};
		writeFileSync(
			join(dir, 'qpv/QP2024_France_Hexagonale_Outre_Mer_WGS84.geojson'),
			JSON.stringify(relabelled)
		);
		const step = buildQpvPerimeters(dir, cog, list);
		const [props] = JSON.parse(step?.topology ?? '{}').objects.qpv.geometries.map(
			(g: { properties: QpvPerimeterProperties }) => g.properties
		);
		expect(props).toEqual({
			code: 'QN00101M',
			nom: 'Grande Reyssouze',
			commune: '01053',
			millesime: 2024
		});
		expect(step?.coverage['QPV 2024 de la liste avec un périmètre']).toEqual({
			matched: 1,
			total: 1493
		});
		expect(
			step?.unmatched[
				'qpv/QP2024_France_Hexagonale_Outre_Mer_WGS84.geojson : QPV 2024 absents de la liste par commune (qpv.json)'
			]
		).toEqual(['QN99999Z']);
	});
});

describe('QPV perimeter file: French errors naming file, feature and field', () => {
	async function expectFailure(content: unknown, message: string | RegExp, name?: string) {
		const out = tempDir('out-qpv-ko-');
		const run = runPipeline({
			sourcesDir: sourcesWithPerimeters(content, name),
			outDir: out,
			log: () => {}
		});
		await expect(run).rejects.toBeInstanceOf(SourceDataError);
		await expect(run).rejects.toThrow(message);
		expect(existsSync(join(out, ARTIFACTS.communes))).toBe(false);
	}
	const edited = (edit: (fc: FeatureCollection<Polygon, Record<string, string>>) => void) => {
		const fc = realPerimeters();
		edit(fc);
		return fc;
	};

	it('Lambert-93 coordinates', async () => {
		await expectFailure(
			edited((fc) => {
				fc.features[3].geometry.coordinates = [
					[
						[574_000, 6_279_000],
						[574_100, 6_279_000],
						[574_100, 6_279_100],
						[574_000, 6_279_000]
					]
				];
			}),
			/fichier « qpv\/qpv-2015-occitanie-contours\.geojson », entité n° 3, champ « geometry » : coordonnées en Lambert-93 \(mètres\) : il faut des degrés WGS84/
		);
	});

	it('coordinates outside France', async () => {
		await expectFailure(
			edited((fc) => {
				fc.features[5].geometry.coordinates[0][1] = [-73.98, 40.74];
			}),
			/entité n° 5, champ « geometry » : coordonnées hors de France/
		);
	});

	it('no known code property', async () => {
		await expectFailure(
			edited((fc) => {
				for (const f of fc.features) {
					f.properties.identifiant = f.properties.code_qp;
					delete f.properties.code_qp;
				}
			}),
			/champ « code_qp » : propriété du code QPV introuvable \(noms reconnus : code_qp, code_qpv, code_quartier/
		);
	});

	it('a code of neither list', async () => {
		await expectFailure(
			edited((fc) => {
				fc.features[2].properties.code_qp = 'ZUS1234';
			}),
			/entité n° 2, champ « code_qp » : code QPV « ZUS1234 » non reconnu/
		);
	});

	it('a duplicated code', async () => {
		await expectFailure(
			edited((fc) => {
				fc.features[4].properties.code_qp = fc.features[1].properties.code_qp;
			}),
			/entité n° 4, champ « code_qp » : code QPV « \w+ » en double \(déjà entité n° 1\)/
		);
	});

	it('a point instead of a polygon', async () => {
		await expectFailure(
			edited((fc) => {
				(fc.features[0] as unknown as Feature).geometry = {
					type: 'Point',
					coordinates: [1.44, 43.6]
				};
			}),
			/entité n° 0, champ « geometry » : polygone attendu \(Polygon ou MultiPolygon\), trouvé « Point »/
		);
	});

	it('two perimeter files', async () => {
		const dir = sourcesWithPerimeters();
		cpSync(join(dir, FILE), join(dir, 'qpv/qpv-perimetres-2024.geojson'));
		const run = runPipeline({ sourcesDir: dir, outDir: tempDir('out-qpv-two-'), log: () => {} });
		await expect(run).rejects.toThrow(/plusieurs fichiers de périmètres QPV trouvés/);
	});
});

describe('QPV of the collectivités d’outre-mer', () => {
	it('are skipped and reported, not checked against the boxes of France', async () => {
		const fc = realPerimeters();
		// A Saint-Martin perimeter (COM 977), outside the dashboard's 101 départements.
		fc.features.push({
			type: 'Feature',
			properties: { code_qp: 'QP977001', nom_qp: 'Quartier d’Orléans', code_commune: '97801' },
			geometry: {
				type: 'Polygon',
				coordinates: [
					[
						[-63.03, 18.08],
						[-63.02, 18.08],
						[-63.02, 18.09],
						[-63.03, 18.08]
					]
				]
			}
		});
		const out = tempDir('out-qpv-com-');
		await runPipeline({ sourcesDir: sourcesWithPerimeters(fc), outDir: out, log: () => {} });
		expect(readPerimeters(out)).toHaveLength(10);
		const sources = JSON.parse(readFileSync(join(out, ARTIFACTS.sources), 'utf8'));
		expect(
			sources.report.unmatched[`${FILE} : QPV des collectivités d’outre-mer, hors champ`]
		).toEqual(['QP977001']);
	});
});

describe('detectQpvMillesime', () => {
	it.each([
		['QP066007', 2015],
		['QP971001', 2015],
		['QN00101M', 2024],
		['QN97101M', 2024],
		['QN0010', null],
		['066007', null]
	])('%s → %s', (code, millesime) => {
		expect(detectQpvMillesime(code)).toBe(millesime);
	});
});
