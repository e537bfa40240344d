/**
 * Tests of the geometry step on a real extract of `admin/france-admin-2026.topojson`
 * (tests/fixtures/geometry/in/france-admin-extract.topojson): 6 communes (Ajaccio 2A004 and Alata
 * 2A006 of the CA du Pays Ajaccien; Guérande 44069 and Pénestin 56155 of Cap Atlantique, which spans
 * Loire-Atlantique and Morbihan, hence two régions; L'Île-d'Yeu 85113, which has no EPCI; Mamoudzou
 * 97611 in Mayotte), their 3 EPCI, 5 départements and 4 régions. It was cut with topojson-client
 * `feature` on the selected geometries of each object and topojson-server `topology(…, 1e5)`.
 *
 * Golden outputs are in tests/fixtures/geometry/out/; regenerate them with
 * `REGEN=1 npx vitest run --project unit tests/unit/geometry.test.ts` and review the diff.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { feature } from 'topojson-client';
import { topology } from 'topojson-server';
import type { Feature, FeatureCollection } from 'geojson';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { buildGeometry } from '../../geodata/pipeline/geometry';
import { ARTIFACTS } from '../../src/lib/territory/artifacts';
import { SourceDataError } from '../../geodata/lib/source-error';

const FIXTURES = join(import.meta.dirname, '../fixtures/geometry');
const FILE = 'france-admin-extract.topojson';
const sourceText = readFileSync(join(FIXTURES, 'in', FILE), 'utf8');
const build = buildGeometry(sourceText, FILE);

type SourceObjects = Record<'communes' | 'epci' | 'departements' | 'regions', GeometryCollection>;
function sourceCopy(): Topology<SourceObjects> {
	return JSON.parse(sourceText);
}

function decode(text: string, object: string): FeatureCollection {
	const topo = JSON.parse(text) as Topology;
	return feature(topo, topo.objects[object] as GeometryCollection);
}

/** All vertices of a feature as "lon,lat" strings (6 decimals), to compare shapes whatever the ring start. */
function vertices(f: Feature): Set<string> {
	const out = new Set<string>();
	const walk = (c: unknown): void => {
		if (typeof (c as number[])[0] === 'number') {
			const [x, y] = c as number[];
			out.add(`${x.toFixed(6)},${y.toFixed(6)}`);
		} else (c as unknown[]).forEach(walk);
	};
	walk((f.geometry as { coordinates: unknown }).coordinates);
	return out;
}

const LEVELS = [
	{
		level: 'region',
		source: 'regions',
		sourceCode: 'reg',
		expected: [
			{ code: '06', nom: 'Mayotte' },
			{ code: '52', nom: 'Pays de la Loire' },
			{ code: '53', nom: 'Bretagne' },
			{ code: '94', nom: 'Corse' }
		]
	},
	{
		level: 'departement',
		source: 'departements',
		sourceCode: 'dep',
		expected: [
			{ code: '2A', nom: 'Corse-du-Sud', reg: '94' },
			{ code: '44', nom: 'Loire-Atlantique', reg: '52' },
			{ code: '56', nom: 'Morbihan', reg: '53' },
			{ code: '85', nom: 'Vendée', reg: '52' },
			{ code: '976', nom: 'Mayotte', reg: '06' }
		]
	},
	{
		level: 'epci',
		source: 'epci',
		sourceCode: 'epci',
		expected: [
			{ code: '200060457', nom: 'CA de Dembeni / Mamoudzou', type: 'CA' },
			{ code: '242010056', nom: 'CA du Pays Ajaccien', type: 'CA' },
			{
				code: '244400610',
				nom: "CA de la Presqu'île de Guérande Atlantique (Cap Atlantique)",
				type: 'CA'
			}
		]
	},
	{
		level: 'commune',
		source: 'communes',
		sourceCode: 'code',
		expected: [
			{ code: '2A004', nom: 'Ajaccio', dep: '2A', reg: '94', epci: '242010056' },
			{ code: '2A006', nom: 'Alata', dep: '2A', reg: '94', epci: '242010056' },
			{ code: '44069', nom: 'Guérande', dep: '44', reg: '52', epci: '244400610' },
			{ code: '56155', nom: 'Pénestin', dep: '56', reg: '53', epci: '244400610' },
			{ code: '85113', nom: "L'Île-d'Yeu", dep: '85', reg: '52', epci: null },
			{ code: '97611', nom: 'Mamoudzou', dep: '976', reg: '06', epci: '200060457' }
		]
	}
] as const;

describe('buildGeometry: one TopoJSON per level', () => {
	it('writes exactly the four ARTIFACTS.geometry files', () => {
		expect(Object.keys(build.files).sort()).toEqual(Object.values(ARTIFACTS.geometry).sort());
	});

	it.each(LEVELS)(
		'$level: one object named after the level, sorted codes, names and parents',
		(c) => {
			const topo = JSON.parse(build.files[ARTIFACTS.geometry[c.level]]) as Topology;
			expect(topo.type).toBe('Topology');
			expect(Object.keys(topo.objects)).toEqual([c.level]);
			expect(
				decode(build.files[ARTIFACTS.geometry[c.level]], c.level).features.map((f) => f.properties)
			).toEqual(c.expected);
		}
	);

	it.each(LEVELS)('$level: keeps every vertex of the source geometry', (c) => {
		const source = new Map(
			decode(sourceText, c.source).features.map((f) => [f.properties![c.sourceCode], f])
		);
		const output = decode(build.files[ARTIFACTS.geometry[c.level]], c.level).features;
		expect(output).toHaveLength(source.size);
		for (const f of output) {
			expect(vertices(f), f.properties!.code).toEqual(vertices(source.get(f.properties!.code)!));
			expect(f.geometry.type).toBe(source.get(f.properties!.code)!.geometry.type);
		}
	});

	it('reports the communes with a polygon and the features read per object', () => {
		expect([...build.communesWithGeometry].sort()).toEqual(LEVELS[3].expected.map((c) => c.code));
		expect(build.rows).toEqual({
			[`${FILE} (regions)`]: 4,
			[`${FILE} (departements)`]: 5,
			[`${FILE} (epci)`]: 3,
			[`${FILE} (communes)`]: 6
		});
	});

	it('keeps a commune without polygon in the file but not in communesWithGeometry', () => {
		const topo = sourceCopy();
		const yeu = topo.objects.communes.geometries.find(
			(g) => (g.properties as { code?: string }).code === '85113'
		)!;
		Object.assign(yeu, { type: null, arcs: undefined });
		const rebuilt = buildGeometry(JSON.stringify(topo), FILE);
		expect(rebuilt.communesWithGeometry.has('85113')).toBe(false);
		expect(rebuilt.communesWithGeometry.size).toBe(5);
		const yeuOut = decode(rebuilt.files[ARTIFACTS.geometry.commune], 'commune').features.find(
			(f) => f.properties!.code === '85113'
		)!;
		expect(yeuOut.geometry).toBeNull();
		// Territory populations still count it: they come from the properties, not the polygons.
		expect(rebuilt.territories.departements.find((d) => d.code === '85')!.population).toBe(4883);
	});

	it('accepts an unquantised topology and quantises it at 1e5 (vertices move < 1 grid step)', () => {
		const unquantised = topology(
			Object.fromEntries(
				(['communes', 'epci', 'departements', 'regions'] as const).map((o) => [
					o,
					decode(sourceText, o)
				])
			)
		);
		expect(unquantised.transform).toBeUndefined();
		const rebuilt = buildGeometry(JSON.stringify(unquantised), FILE);
		const topo = JSON.parse(rebuilt.files[ARTIFACTS.geometry.region]) as Topology;
		const [w, s, e, n] = topo.bbox!;
		expect(topo.transform!.scale[0]).toBeCloseTo((e - w) / (1e5 - 1), 12);
		expect(topo.transform!.scale[1]).toBeCloseTo((n - s) / (1e5 - 1), 12);
		expect(rebuilt.territories).toEqual(build.territories);
	});
});

describe('buildGeometry: territory index', () => {
	// Populations: sums of the fixture communes' `population` (Ajaccio 76 320, Alata 3 681,
	// Guérande 16 804, Pénestin 2 085, L'Île-d'Yeu 4 883, Mamoudzou 71 437).
	it.each([
		[
			'regions',
			[
				['06', 'Mayotte', undefined, 71437],
				['52', 'Pays de la Loire', undefined, 16804 + 4883],
				['53', 'Bretagne', undefined, 2085],
				['94', 'Corse', undefined, 76320 + 3681]
			]
		],
		[
			'departements',
			[
				['2A', 'Corse-du-Sud', '94', 76320 + 3681],
				['44', 'Loire-Atlantique', '52', 16804],
				['56', 'Morbihan', '53', 2085],
				['85', 'Vendée', '52', 4883],
				['976', 'Mayotte', '06', 71437]
			]
		]
	] as const)('%s: codes, names, région, population', (key, rows) => {
		expect(build.territories[key].map((t) => [t.code, t.nom, t.reg, t.population])).toEqual(rows);
		expect(
			build.territories[key].every(
				(t) => t.level === (key === 'regions' ? 'region' : 'departement')
			)
		).toBe(true);
	});

	it('EPCI: départements by decreasing population, main région, type and population', () => {
		expect(build.territories.epci.map((e) => ({ ...e, bbox: undefined }))).toEqual([
			{
				code: '200060457',
				nom: 'CA de Dembeni / Mamoudzou',
				level: 'epci',
				reg: '06',
				deps: ['976'],
				population: 71437,
				type: 'CA'
			},
			{
				code: '242010056',
				nom: 'CA du Pays Ajaccien',
				level: 'epci',
				reg: '94',
				deps: ['2A'],
				population: 80001,
				type: 'CA'
			},
			{
				code: '244400610',
				nom: "CA de la Presqu'île de Guérande Atlantique (Cap Atlantique)",
				level: 'epci',
				// Guérande (Loire-Atlantique, Pays de la Loire) outweighs Pénestin (Morbihan, Bretagne).
				reg: '52',
				deps: ['44', '56'],
				population: 18889,
				type: 'CA'
			}
		]);
	});

	const entries = () => [
		...build.territories.regions.map((t) => ['region', 'regions', 'reg', t] as const),
		...build.territories.departements.map(
			(t) => ['departement', 'departements', 'dep', t] as const
		),
		...build.territories.epci.map((t) => ['epci', 'epci', 'epci', t] as const)
	];

	it('bbox: [w, s, e, n] with at most 4 decimals, containing the shape and within 1e-4° of it', () => {
		for (const [, object, codeKey, entry] of entries()) {
			const shape = decode(sourceText, object).features.find(
				(f) => f.properties![codeKey] === entry.code
			)!;
			const xs = [...vertices(shape)].map((v) => Number(v.split(',')[0]));
			const ys = [...vertices(shape)].map((v) => Number(v.split(',')[1]));
			const [w, s, e, n] = entry.bbox!;
			for (const value of entry.bbox!) expect(Math.round(value * 1e4) / 1e4).toBe(value);
			const extent = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
			expect(w).toBeLessThanOrEqual(extent[0]);
			expect(s).toBeLessThanOrEqual(extent[1]);
			expect(e).toBeGreaterThanOrEqual(extent[2]);
			expect(n).toBeGreaterThanOrEqual(extent[3]);
			[w, s, e, n].forEach((v, i) => expect(Math.abs(v - extent[i])).toBeLessThan(1.0001e-4));
		}
	});

	it('bbox of Mayotte and Corse-du-Sud lie where they are on the map', () => {
		const mayotte = build.territories.regions.find((r) => r.code === '06')!.bbox!;
		expect(mayotte[0]).toBeGreaterThan(44.9);
		expect(mayotte[2]).toBeLessThan(45.4);
		expect(mayotte[1]).toBeGreaterThan(-13.1);
		expect(mayotte[3]).toBeLessThan(-12.5);
		const corseDuSud = build.territories.departements.find((d) => d.code === '2A')!.bbox!;
		expect(corseDuSud[1]).toBeGreaterThan(41.3);
		expect(corseDuSud[3]).toBeLessThan(42.5);
	});
});

describe('buildGeometry: deterministic output', () => {
	it('gives byte-identical files for the same input', () => {
		const again = buildGeometry(sourceText, FILE);
		expect(again.files).toEqual(build.files);
		expect(JSON.stringify(again.territories)).toBe(JSON.stringify(build.territories));
	});

	it('does not depend on the order of the source features', () => {
		const shuffled = sourceCopy();
		for (const object of Object.values(shuffled.objects)) object.geometries.reverse();
		const rebuilt = buildGeometry(JSON.stringify(shuffled), FILE);
		expect(rebuilt.files).toEqual(build.files);
		expect(JSON.stringify(rebuilt.territories)).toBe(JSON.stringify(build.territories));
	});

	it('matches the reviewed golden files (REGEN=1 rewrites them)', () => {
		const golden = {
			...Object.fromEntries(Object.entries(build.files)),
			[ARTIFACTS.territories]: JSON.stringify(build.territories, null, '\t') + '\n'
		};
		for (const [path, content] of Object.entries(golden)) {
			const target = join(FIXTURES, 'out', path);
			if (process.env.REGEN) {
				mkdirSync(dirname(target), { recursive: true });
				writeFileSync(target, content);
			}
			expect(content, path).toBe(readFileSync(target, 'utf8'));
		}
	});
});

/** Build from `text`, or from a copy of the fixture changed by `mutate`; return the error thrown. */
function errorOf(
	mutate?: (topo: Topology<SourceObjects>) => unknown,
	text?: string
): SourceDataError {
	const topo = sourceCopy();
	mutate?.(topo);
	try {
		buildGeometry(text ?? JSON.stringify(topo), FILE);
	} catch (error) {
		if (error instanceof SourceDataError) return error;
		throw error;
	}
	throw new Error('buildGeometry did not throw');
}

const props = (topo: Topology<SourceObjects>, object: keyof SourceObjects, index: number) =>
	topo.objects[object].geometries[index].properties as Record<string, unknown>;

/** Index of a feature by code in the fixture's source object (the fixture is not sorted). */
const indexOf = (object: keyof SourceObjects, key: string, code: string) =>
	sourceCopy().objects[object].geometries.findIndex(
		(g) => (g.properties as Record<string, unknown>)[key] === code
	);

describe('buildGeometry: invalid sources fail with a French message naming file, feature and field', () => {
	const ajaccio = indexOf('communes', 'code', '2A004');
	const alata = indexOf('communes', 'code', '2A006');

	it.each<{
		name: string;
		/** Either a change to a copy of the fixture (its return value is ignored) or a whole text. */
		mutate?: (t: Topology<SourceObjects>) => unknown;
		text?: string;
		feature?: number;
		field?: string;
		message: RegExp[];
	}>([
		{
			name: 'text that is not JSON',
			text: '{"type": "Topology",',
			message: [/^fichier « france-admin-extract\.topojson » : JSON illisible/]
		},
		{
			name: 'a GeoJSON instead of a Topology',
			text: JSON.stringify({ type: 'FeatureCollection', features: [] }),
			message: [/une Topology TopoJSON/]
		},
		{
			name: 'a missing object',
			mutate: (t) => delete (t.objects as Partial<SourceObjects>).epci,
			field: 'objects.epci',
			message: [/objet « epci » absent/, /objets attendus : regions, departements, epci, communes/]
		},
		{
			name: 'a missing property',
			mutate: (t) => delete props(t, 'communes', ajaccio).nom,
			feature: ajaccio,
			field: 'nom',
			message: [/objet « communes », propriété absente/]
		},
		{
			name: 'a missing EPCI type',
			mutate: (t) => delete props(t, 'epci', 1).type,
			feature: 1,
			field: 'type',
			message: [/objet « epci », propriété absente/]
		},
		{
			name: 'a duplicated commune code',
			mutate: (t) => (props(t, 'communes', alata).code = '2A004'),
			feature: alata,
			field: 'code',
			message: [/code « 2A004 » en double \(déjà porté par l’entité n° \d\)/]
		},
		{
			name: 'a duplicated département code',
			mutate: (t) => (props(t, 'departements', 1).dep = props(t, 'departements', 0).dep),
			feature: 1,
			field: 'dep',
			message: [/objet « departements », code « .+ » en double/]
		},
		{
			name: 'a commune code that lost its leading zero',
			mutate: (t) => (props(t, 'communes', ajaccio).code = 2004),
			feature: ajaccio,
			field: 'code',
			message: [/valeur 2004 invalide : code commune INSEE attendu/]
		},
		{
			name: 'a badly formed SIREN',
			mutate: (t) => (props(t, 'communes', ajaccio).epci = '24201005'),
			feature: ajaccio,
			field: 'epci',
			message: [/valeur "24201005" invalide : SIREN d’EPCI attendu/]
		},
		{
			name: 'an unknown EPCI type',
			mutate: (t) => (props(t, 'epci', 0).type = 'SIVU'),
			feature: 0,
			field: 'type',
			message: [/type d’EPCI attendu \(CC, CA, CU, METRO, MET69\)/]
		},
		{
			name: 'a population written as text',
			mutate: (t) => (props(t, 'communes', ajaccio).population = '76320'),
			feature: ajaccio,
			field: 'population',
			message: [/valeur "76320" invalide : entier positif ou nul attendu/]
		},
		{
			name: 'a commune of a département missing from the file',
			mutate: (t) => {
				props(t, 'communes', ajaccio).dep = '2B';
				props(t, 'communes', ajaccio).code = '2B004';
			},
			feature: ajaccio,
			field: 'dep',
			message: [/commune « 2B004 » : département « 2B » absent de l’objet « departements »/]
		},
		{
			name: 'a commune whose code does not start with its département',
			mutate: (t) => (props(t, 'communes', ajaccio).dep = '44'),
			feature: ajaccio,
			field: 'code',
			message: [/le code ne commence pas par celui de son département « 44 »/]
		},
		{
			name: 'a commune whose région is not its département’s',
			mutate: (t) => (props(t, 'communes', ajaccio).reg = '93'),
			feature: ajaccio,
			field: 'reg',
			message: [/région « 93 » différente de celle de son département \(« 94 »\)/]
		},
		{
			name: 'a commune of an EPCI missing from the file',
			mutate: (t) => (props(t, 'communes', ajaccio).epci = '200040350'),
			feature: ajaccio,
			field: 'epci',
			message: [/EPCI « 200040350 » absent de l’objet « epci »/]
		},
		{
			name: 'a territory without member communes',
			mutate: (t) => (props(t, 'communes', indexOf('communes', 'code', '97611')).epci = ''),
			feature: indexOf('epci', 'epci', '200060457'),
			field: 'epci',
			message: [/objet « epci », « 200060457 » n’a aucune commune membre/]
		},
		{
			name: 'a line instead of a polygon',
			mutate: (t) => (t.objects.communes.geometries[ajaccio].type = 'LineString'),
			feature: ajaccio,
			field: 'type',
			message: [/géométrie de type « LineString » : Polygon ou MultiPolygon attendu/]
		},
		{
			// Decoded coordinates become metres around (600 000, 6 100 000), as in a Lambert-93 export.
			name: 'Lambert-93 coordinates',
			mutate: (t) => (t.transform = { scale: [1, 1], translate: [600_000, 6_100_000] }),
			feature: 0,
			field: 'coordinates',
			message: [
				/objet « regions »/,
				/coordonnées en Lambert-93 \(mètres\) : il faut des degrés WGS84 \(EPSG:4326\)/,
				/code « \d\d », nom « .+ »/
			]
		},
		{
			name: 'coordinates outside France',
			mutate: (t) =>
				(t.transform!.translate = [t.transform!.translate[0] + 40, t.transform!.translate[1]]),
			feature: 0,
			field: 'coordinates',
			message: [/coordonnées hors de France \(métropole, Corse et les 5 DROM\), point \[/]
		},
		{
			name: 'latitude and longitude swapped',
			mutate: (t) => {
				const { scale, translate } = t.transform!;
				t.transform = { scale: [scale[1], scale[0]], translate: [translate[1], translate[0]] };
				t.arcs = t.arcs.map((arc) => arc.map(([x, y]) => [y, x]));
			},
			feature: 0,
			field: 'coordinates',
			message: [/coordonnées hors de France/, /la latitude et la longitude semblent inversées/]
		}
	])('$name', ({ mutate, text, feature: featureIndex, field, message }) => {
		const error = errorOf(mutate, text);
		expect(error.message).toMatch(/^fichier « france-admin-extract\.topojson »/);
		expect(error.feature).toBe(featureIndex);
		expect(error.field).toBe(field);
		if (featureIndex !== undefined) expect(error.message).toContain(`entité n° ${featureIndex}`);
		if (field !== undefined) expect(error.message).toContain(`champ « ${field} »`);
		for (const pattern of message) expect(error.message).toMatch(pattern);
	});
});
