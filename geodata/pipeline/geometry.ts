/**
 * Pipeline step: from the national administrative TopoJSON (`admin/france-admin-2026.topojson`,
 * PROVENANCE §1: objects `communes`, `epci`, `departements`, `regions` sharing arcs) to one TopoJSON
 * artifact per level and the territory index (`territoires.json`).
 *
 * One file per level so that the first screen (régions + départements) never downloads or parses
 * the commune geometry, which is most of the bytes.
 */
import { feature, quantize } from 'topojson-client';
import { topology } from 'topojson-server';
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import type {
	GeometryObject as TopoGeometry,
	Objects,
	Topology,
	Transform
} from 'topojson-specification';
import {
	ARTIFACTS,
	type TerritoryEntry,
	type TerritoryIndex
} from '../../src/lib/territory/artifacts';
import type { Level } from '../../src/lib/territory/commune';
import { SourceDataError } from '../lib/source-error';
import { checkPosition, describePositionProblem, type PositionProblem } from '../lib/coordinates';

export interface GeometryBuild {
	/** artifact path relative to static/data (ARTIFACTS.geometry.*) → file content */
	files: Record<string, string>;
	territories: TerritoryIndex;
	/** commune codes that have a polygon */
	communesWithGeometry: Set<string>;
	/** features read per object, for the data report (key: `<file> (<object>)`) */
	rows: Record<string, number>;
}

/**
 * Quantisation used only when the source is not quantised itself (PROVENANCE §1 says it is, 1e5):
 * otherwise each artifact is quantised with the source's own transform, so every vertex stays on
 * the source's integer grid and no vertex moves, whatever the extent of the level.
 */
const QUANTIZATION = 1e5;

/** EPCI à fiscalité propre legal forms (DGCL): communauté de communes, d'agglomération, urbaine, métropoles. */
const EPCI_TYPES = ['CC', 'CA', 'CU', 'METRO', 'MET69'];

type FieldReader = (value: unknown) => { value: string | number | null } | { problem: string };

const text =
	(pattern: RegExp, expected: string): FieldReader =>
	(value) =>
		typeof value === 'string' && pattern.test(value)
			? { value }
			: { problem: `valeur ${JSON.stringify(value)} invalide : ${expected}` };

const readers = {
	commune: text(
		/^(?:\d{5}|2[AB]\d{3})$/,
		'code commune INSEE attendu (5 caractères, ex. « 01001 », « 2A004 »)'
	),
	dep: text(/^(?:\d{2}|2[AB]|97[1-6])$/, 'code département attendu (ex. « 01 », « 2A », « 971 »)'),
	reg: text(/^\d{2}$/, 'code région attendu (2 chiffres, ex. « 84 », « 01 »)'),
	siren: text(/^\d{9}$/, 'SIREN d’EPCI attendu (9 chiffres)'),
	nom: text(/\S/, 'nom non vide attendu'),
	epciType: text(
		new RegExp(`^(?:${EPCI_TYPES.join('|')})$`),
		`type d’EPCI attendu (${EPCI_TYPES.join(', ')})`
	),
	/** Empty string or null: the commune belongs to no EPCI (the 4 single-commune islands). */
	optionalSiren: ((value) =>
		value === '' || value === null
			? { value: null }
			: text(
					/^\d{9}$/,
					'SIREN d’EPCI attendu (9 chiffres), ou vide pour une commune sans EPCI'
				)(value)) as FieldReader,
	count: ((value) =>
		typeof value === 'number' && Number.isInteger(value) && value >= 0
			? { value }
			: {
					problem: `valeur ${JSON.stringify(value)} invalide : entier positif ou nul attendu`
				}) as FieldReader
} satisfies Record<string, FieldReader>;

/** The 4 source objects: the property holding the code, and the expected properties. */
const SOURCE_OBJECTS = {
	regions: { code: 'reg', fields: { reg: readers.reg, nom: readers.nom } },
	departements: {
		code: 'dep',
		fields: { dep: readers.dep, nom: readers.nom, reg: readers.reg }
	},
	epci: {
		code: 'epci',
		fields: {
			epci: readers.siren,
			nom: readers.nom,
			type: readers.epciType,
			population: readers.count
		}
	},
	communes: {
		code: 'code',
		fields: {
			code: readers.commune,
			nom: readers.nom,
			dep: readers.dep,
			reg: readers.reg,
			epci: readers.optionalSiren,
			population: readers.count
		}
	}
} as const satisfies Record<string, { code: string; fields: Record<string, FieldReader> }>;

type ObjectName = keyof typeof SOURCE_OBJECTS;
const OBJECT_NAMES = Object.keys(SOURCE_OBJECTS) as ObjectName[];

type Props<O extends ObjectName> = {
	[K in keyof (typeof SOURCE_OBJECTS)[O]['fields']]: K extends 'population'
		? number
		: K extends 'epci'
			? O extends 'communes'
				? string | null
				: string
			: string;
};

/** One validated source feature. */
interface SourceFeature<O extends ObjectName> {
	index: number;
	code: string;
	props: Props<O>;
	geometry: Geometry | null;
}

/**
 * Build the per-level geometry artifacts and the territory index from the national TopoJSON.
 *
 * Checks, each failing with a French `SourceDataError` naming the file, the object, the feature
 * index (0-based, within its object) and the field: a Topology with the 4 objects; the expected
 * properties and their code formats; unique codes; communes whose code starts with their
 * département's and whose département, région and EPCI exist (with the département's région);
 * Polygon/MultiPolygon geometries; and every vertex in France in WGS84 degrees (not Lambert-93).
 *
 * Output: `ARTIFACTS.geometry.<level>`, each a TopoJSON with one object named after the level and
 * features sorted by code, properties `code`, `nom` and parents (`reg` for départements; `dep`,
 * `reg`, `epci` (null without EPCI) for communes; `type` for EPCI). Same input → same bytes.
 *
 * Territory index: populations (persons) are sums of the member communes' `population` in this
 * same file (PROVENANCE §1), so they leave out the 7 communes restored after 2018, which have no
 * polygon. An EPCI's `deps` are its members' départements, by decreasing population; its `reg` is
 * the région holding most of its population (26 EPCI of 2026 span two régions). `bbox` is the
 * feature's extent [w, s, e, n] in degrees, rounded outward to 4 decimals (≈ 10 m).
 *
 * @param topologyText the TopoJSON text
 * @param file file name for error messages and the `rows` keys
 */
export function buildGeometry(topologyText: string, file: string): GeometryBuild {
	const topo = parseTopology(topologyText, file);
	const arcProblems = findArcProblems(topo, file);

	const regions = readObject(topo, 'regions', file, arcProblems);
	const departements = readObject(topo, 'departements', file, arcProblems);
	const epci = readObject(topo, 'epci', file, arcProblems);
	const communes = readObject(topo, 'communes', file, arcProblems);
	checkReferences(file, regions, departements, epci, communes);

	const files: Record<string, string> = {
		[ARTIFACTS.geometry.region]: writeLevel(topo.transform, 'region', regions, (f) => ({
			code: f.code,
			nom: f.props.nom
		})),
		[ARTIFACTS.geometry.departement]: writeLevel(
			topo.transform,
			'departement',
			departements,
			(f) => ({
				code: f.code,
				nom: f.props.nom,
				reg: f.props.reg
			})
		),
		[ARTIFACTS.geometry.epci]: writeLevel(topo.transform, 'epci', epci, (f) => ({
			code: f.code,
			nom: f.props.nom,
			type: f.props.type
		})),
		[ARTIFACTS.geometry.commune]: writeLevel(topo.transform, 'commune', communes, (f) => ({
			code: f.code,
			nom: f.props.nom,
			dep: f.props.dep,
			reg: f.props.reg,
			epci: f.props.epci
		}))
	};

	return {
		files,
		territories: indexTerritories(regions, departements, epci, communes),
		communesWithGeometry: new Set(communes.filter((c) => c.geometry !== null).map((c) => c.code)),
		rows: Object.fromEntries(
			OBJECT_NAMES.map((name) => [`${file} (${name})`, topo.objects[name].geometries.length])
		)
	};
}

type SourceTopology = Topology & {
	objects: Record<ObjectName, { type: 'GeometryCollection'; geometries: TopoGeometry[] }>;
};

function parseTopology(topologyText: string, file: string): SourceTopology {
	let parsed: unknown;
	try {
		parsed = JSON.parse(topologyText);
	} catch (error) {
		throw new SourceDataError(`JSON illisible (${(error as Error).message})`, { file });
	}
	const topo = parsed as Partial<Topology> | null;
	if (!topo || typeof topo !== 'object' || topo.type !== 'Topology' || !Array.isArray(topo.arcs)) {
		throw new SourceDataError('une Topology TopoJSON (type « Topology », « arcs ») est attendue', {
			file
		});
	}
	if (topo.transform !== undefined && !isTransform(topo.transform)) {
		throw new SourceDataError(
			'« transform » invalide : « scale » et « translate » numériques attendus',
			{
				file,
				field: 'transform'
			}
		);
	}
	for (const name of OBJECT_NAMES) {
		const object = topo.objects?.[name] as { type?: unknown; geometries?: unknown } | undefined;
		if (!object || object.type !== 'GeometryCollection' || !Array.isArray(object.geometries)) {
			throw new SourceDataError(
				`objet « ${name} » absent ou qui n’est pas une GeometryCollection (objets attendus : ${OBJECT_NAMES.join(', ')})`,
				{ file, field: `objects.${name}` }
			);
		}
	}
	return topo as SourceTopology;
}

function isTransform(t: unknown): t is Transform {
	const { scale, translate } = (t ?? {}) as Partial<Transform>;
	return [scale, translate].every(
		(pair) => Array.isArray(pair) && pair.length === 2 && pair.every((v) => Number.isFinite(v))
	);
}

interface PositionFailure {
	problem: PositionProblem;
	position: Position;
}

/**
 * Decode every arc once and record, per arc, its first position that is not a WGS84 point in
 * France (undefined when the arc is fine). Checking arcs rather than features visits each shared
 * vertex once.
 */
function findArcProblems(topo: Topology, file: string): (PositionFailure | undefined)[] {
	const [sx, sy] = topo.transform?.scale ?? [1, 1];
	const [tx, ty] = topo.transform?.translate ?? [0, 0];
	const delta = topo.transform !== undefined;
	return topo.arcs.map((arc, arcIndex) => {
		if (!Array.isArray(arc)) {
			throw new SourceDataError(`arc n° ${arcIndex} invalide : tableau de positions attendu`, {
				file,
				field: 'arcs'
			});
		}
		let x = 0;
		let y = 0;
		for (const point of arc) {
			let position: Position;
			if (!Array.isArray(point) || point.length < 2) {
				position = point;
			} else if (delta) {
				x += point[0];
				y += point[1];
				position = [x * sx + tx, y * sy + ty];
			} else {
				position = point;
			}
			const problem = checkPosition(position);
			if (problem) return { problem, position };
		}
		return undefined;
	});
}

function readObject<O extends ObjectName>(
	topo: SourceTopology,
	name: O,
	file: string,
	arcProblems: (PositionFailure | undefined)[]
): SourceFeature<O>[] {
	const spec = SOURCE_OBJECTS[name];
	const seen = new Map<string, number>();
	return topo.objects[name].geometries.map((geometryObject, index) => {
		const fail = (problem: string, field?: string): never => {
			throw new SourceDataError(`objet « ${name} », ${problem}`, { file, feature: index, field });
		};
		const properties = (geometryObject.properties ?? {}) as Record<string, unknown>;
		const props: Record<string, string | number | null> = {};
		for (const [field, read] of Object.entries(spec.fields) as [string, FieldReader][]) {
			if (!(field in properties)) fail('propriété absente', field);
			const result = read(properties[field]);
			if ('problem' in result) fail(result.problem, field);
			else props[field] = result.value;
		}
		const code = props[spec.code] as string;
		const previous = seen.get(code);
		if (previous !== undefined) {
			fail(`code « ${code} » en double (déjà porté par l’entité n° ${previous})`, spec.code);
		}
		seen.set(code, index);

		const type = geometryObject.type as string | null;
		if (type !== 'Polygon' && type !== 'MultiPolygon' && type !== null) {
			fail(`géométrie de type « ${type} » : Polygon ou MultiPolygon attendu`, 'type');
		}
		const arcIndexes =
			type === null ? [] : flattenArcIndexes((geometryObject as { arcs?: unknown }).arcs);
		for (const arcRef of arcIndexes) {
			// A negative reference ~i means arc i reversed (TopoJSON specification §2.2.1).
			const arcIndex = typeof arcRef === 'number' && arcRef < 0 ? ~arcRef : arcRef;
			if (
				typeof arcIndex !== 'number' ||
				!Number.isInteger(arcIndex) ||
				arcIndex >= arcProblems.length
			) {
				return fail(`référence d’arc ${JSON.stringify(arcRef)} invalide`, 'arcs');
			}
			const failure = arcProblems[arcIndex];
			if (failure) {
				fail(
					`${describePositionProblem(failure.problem, failure.position)} (code « ${code} », nom « ${props.nom} »)`,
					'coordinates'
				);
			}
		}
		const geometry = type === null ? null : (feature(topo, geometryObject) as Feature).geometry;
		return { index, code, props: props as Props<O>, geometry };
	});
}

function flattenArcIndexes(arcs: unknown): unknown[] {
	if (!Array.isArray(arcs)) return [arcs];
	return arcs.flatMap((a) => (Array.isArray(a) ? flattenArcIndexes(a) : [a]));
}

/** Communes must point to an existing département (with the same région) and EPCI. */
function checkReferences(
	file: string,
	regions: SourceFeature<'regions'>[],
	departements: SourceFeature<'departements'>[],
	epci: SourceFeature<'epci'>[],
	communes: SourceFeature<'communes'>[]
): void {
	const regionCodes = new Set(regions.map((r) => r.code));
	const depRegion = new Map(departements.map((d) => [d.code, d.props.reg]));
	const epciCodes = new Set(epci.map((e) => e.code));
	for (const d of departements) {
		if (!regionCodes.has(d.props.reg)) {
			throw new SourceDataError(
				`objet « departements », région « ${d.props.reg} » absente de l’objet « regions »`,
				{ file, feature: d.index, field: 'reg' }
			);
		}
	}
	for (const c of communes) {
		const where = (field: string) => ({ file, feature: c.index, field });
		const prefix = `objet « communes », commune « ${c.code} »`;
		const depRegionCode = depRegion.get(c.props.dep);
		if (depRegionCode === undefined) {
			throw new SourceDataError(
				`${prefix} : département « ${c.props.dep} » absent de l’objet « departements »`,
				where('dep')
			);
		}
		if (!c.code.startsWith(c.props.dep)) {
			throw new SourceDataError(
				`${prefix} : le code ne commence pas par celui de son département « ${c.props.dep} »`,
				where('code')
			);
		}
		if (depRegionCode !== c.props.reg) {
			throw new SourceDataError(
				`${prefix} : région « ${c.props.reg} » différente de celle de son département (« ${depRegionCode} »)`,
				where('reg')
			);
		}
		if (c.props.epci !== null && !epciCodes.has(c.props.epci)) {
			throw new SourceDataError(
				`${prefix} : EPCI « ${c.props.epci} » absent de l’objet « epci »`,
				where('epci')
			);
		}
	}
	// A territory without member communes would get a population of 0 and no parent: refuse it.
	const members = {
		regions: new Set(communes.map((c) => c.props.reg)),
		departements: new Set(communes.map((c) => c.props.dep)),
		epci: new Set(communes.map((c) => c.props.epci))
	};
	for (const [name, features] of [
		['regions', regions],
		['departements', departements],
		['epci', epci]
	] as const) {
		const empty = features.find((f) => !members[name].has(f.code));
		if (empty) {
			throw new SourceDataError(
				`objet « ${name} », « ${empty.code} » n’a aucune commune membre dans l’objet « communes »`,
				{ file, feature: empty.index, field: SOURCE_OBJECTS[name].code }
			);
		}
	}
}

/** One level's TopoJSON text: features sorted by code, quantised on the source's grid. */
function writeLevel<O extends ObjectName>(
	sourceTransform: Transform | undefined,
	level: Level,
	features: SourceFeature<O>[],
	properties: (f: SourceFeature<O>) => Record<string, string | null>
): string {
	const collection: FeatureCollection = {
		type: 'FeatureCollection',
		features: [...features]
			.sort((a, b) => compareCodes(a.code, b.code))
			.map((f) => ({
				type: 'Feature',
				properties: properties(f),
				geometry: f.geometry as Geometry
			}))
	};
	const objects = { [level]: collection };
	// Unquantised topology first: arcs are cut on the exact decoded vertices, then put back on the
	// source's grid (topojson-client `quantize` rounds each vertex to the nearest grid point).
	return JSON.stringify(
		sourceTransform
			? quantize(topology(objects) as unknown as Topology<Objects>, sourceTransform)
			: topology(objects, QUANTIZATION)
	);
}

function compareCodes(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

function indexTerritories(
	regions: SourceFeature<'regions'>[],
	departements: SourceFeature<'departements'>[],
	epci: SourceFeature<'epci'>[],
	communes: SourceFeature<'communes'>[]
): TerritoryIndex {
	const populationOf = (key: (c: SourceFeature<'communes'>) => string | null) => {
		const totals = new Map<string, number>();
		for (const c of communes) {
			const code = key(c);
			if (code !== null) totals.set(code, (totals.get(code) ?? 0) + c.props.population);
		}
		return totals;
	};
	const regionPopulation = populationOf((c) => c.props.reg);
	const depPopulation = populationOf((c) => c.props.dep);
	const epciPopulation = populationOf((c) => c.props.epci);
	// Population of each EPCI per département and per région, to order `deps` and pick `reg`.
	const epciDeps = populationOf((c) =>
		c.props.epci === null ? null : `${c.props.epci}|${c.props.dep}`
	);
	const epciRegs = populationOf((c) =>
		c.props.epci === null ? null : `${c.props.epci}|${c.props.reg}`
	);
	const sharesOf = (totals: Map<string, number>) => {
		const byEpci = new Map<string, [string, number][]>();
		for (const [key, population] of totals) {
			const [code, part] = key.split('|');
			const list = byEpci.get(code) ?? [];
			list.push([part, population]);
			byEpci.set(code, list);
		}
		for (const list of byEpci.values())
			list.sort((a, b) => b[1] - a[1] || compareCodes(a[0], b[0]));
		return byEpci;
	};
	const depShares = sharesOf(epciDeps);
	const regShares = sharesOf(epciRegs);

	const sorted = <T extends { code: string }>(items: T[]) =>
		[...items].sort((a, b) => compareCodes(a.code, b.code));
	return {
		regions: sorted(regions).map((r): TerritoryEntry => ({
			code: r.code,
			nom: r.props.nom,
			level: 'region',
			population: regionPopulation.get(r.code) ?? 0,
			bbox: boundsOf(r.geometry)
		})),
		departements: sorted(departements).map((d): TerritoryEntry => ({
			code: d.code,
			nom: d.props.nom,
			level: 'departement',
			reg: d.props.reg,
			population: depPopulation.get(d.code) ?? 0,
			bbox: boundsOf(d.geometry)
		})),
		epci: sorted(epci).map((e): TerritoryEntry => ({
			code: e.code,
			nom: e.props.nom,
			level: 'epci',
			// Every EPCI has member communes (checkReferences), so both lists are non-empty.
			reg: regShares.get(e.code)![0][0],
			deps: depShares.get(e.code)!.map(([dep]) => dep),
			population: epciPopulation.get(e.code) ?? 0,
			type: e.props.type,
			bbox: boundsOf(e.geometry)
		}))
	};
}

/** [w, s, e, n] in degrees, rounded outward to 4 decimals so the box still contains the shape. */
function boundsOf(geometry: Geometry | null): [number, number, number, number] | null {
	if (geometry === null) return null;
	let w = Infinity;
	let s = Infinity;
	let e = -Infinity;
	let n = -Infinity;
	const visit = (coordinates: unknown): void => {
		if (typeof (coordinates as number[])[0] === 'number') {
			const [x, y] = coordinates as number[];
			if (x < w) w = x;
			if (x > e) e = x;
			if (y < s) s = y;
			if (y > n) n = y;
		} else for (const child of coordinates as unknown[]) visit(child);
	};
	visit((geometry as { coordinates: unknown }).coordinates);
	if (!Number.isFinite(w)) return null;
	return [
		Math.floor(w * 1e4) / 1e4,
		Math.floor(s * 1e4) / 1e4,
		Math.ceil(e * 1e4) / 1e4,
		Math.ceil(n * 1e4) / 1e4
	];
}
