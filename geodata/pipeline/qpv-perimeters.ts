/**
 * Optional input: an official QPV perimeter file the user adds to the `qpv/` folder of the
 * sources (GeoJSON in WGS84, or a shapefile converted to it, e.g. with
 * `ogr2ogr -t_srs EPSG:4326 qpv-perimetres-2024.geojson QP2024_….shp`), written to
 * `geo/qpv.topo.json` (object `qpv`, properties `QpvPerimeterProperties`).
 *
 * National 2024 perimeters are not in the embedded snapshot (PROVENANCE "Not found": every copy is
 * over 4 MB). The only perimeters collected, `qpv-2015-occitanie-contours.geojson` (PROVENANCE §8),
 * are deliberately left out of `geodata/sources/`: 2015 geography (codes and contours differ from
 * the 2024 list) and one region, so a national map drawn from them would mislead. The pipeline
 * accepts such a file when a user adds it, labels every polygon with its list (`millesime`) and
 * says in sources.json that the file is partial.
 */
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { topology } from 'topojson-server';
import type {
	DatasetSource,
	QpvByCommune,
	QpvPerimeterProperties
} from '../../src/lib/territory/artifacts';
import { assertFeatureCollectionInFrance } from '../lib/coordinates';
import { SourceDataError } from '../lib/source-error';
import { matchCommuneCode, type CogReference } from './cog-reference';
import { describeQpvPerimeters } from './dataset-sources';
import { readSourceJson } from './sources-dir';

/** Folder of the sources where the perimeter file is looked for. */
export const QPV_PERIMETER_DIR = 'qpv';

/**
 * Names accepted in `qpv/`: `qpv-perimetres*.geojson`, any `*contours*.geojson`, or the official
 * name of the 2024 file (`QP2024_France_Hexagonale_Outre_Mer_WGS84.geojson`, any `QP<yyyy>*`).
 */
const PERIMETER_FILE = /^(?:qpv-perimetres.*|.*contours.*|QP\d{4}.*)\.geojson$/i;

/**
 * Property names of the official files and their usual conversions, compared case-insensitively
 * (shapefiles often upper-case them): 2024 GeoJSON `code_qp`, `lib_qp`, `insee_com`; 2015 shapefile
 * `CODE_QP`, `NOM_QP`, `COMMUNE_QP` (a name there); Hackaviz export `code_qp`, `nom_qp`, `code_commune`.
 */
const CODE_KEYS = ['code_qp', 'code_qpv', 'code_quartier', 'codeqp', 'cod_qp'];
const NAME_KEYS = [
	'lib_qp',
	'nom_qp',
	'libelle_qp',
	'lib_qpv',
	'nom_qpv',
	'nom_quartier',
	'lib_quartier',
	'libelle_quartier'
];
/** A candidate is used only when its values are commune codes (`commune_qp` holds names in 2015). */
const COMMUNE_KEYS = [
	'insee_com',
	'code_commune',
	'code_insee',
	'insee_commune',
	'code_com',
	'codgeo',
	'depcom',
	'commune_qp'
];

/** 2015 list: `QP` + département on 3 characters + 3 digits (`QP066007`, `QP971001`). */
const CODE_2015 = /^QP[0-9AB]{3}\d{3}$/;
/** 2024 list: `QN` + département on 3 characters + number + letter (`QN00101M`), as in qpv.ts. */
const CODE_2024 = /^QN[0-9AB]{2,3}\d{2,3}[A-Z]$/;
/** Départements of the collectivités d'outre-mer in QPV codes: out of the dashboard's scope. */
const COM_DEPARTEMENTS = new Set(['975', '977', '978', '986', '987', '988']);
/** One or several commune codes, separated by commas, semicolons or spaces. */
const COMMUNE_LIST = /^(?:\d{4,5}|2[AB]\d{3})(?:\s*[,;\s]\s*(?:\d{4,5}|2[AB]\d{3}))*$/i;

/**
 * Grid step of the TopoJSON, degrees: 1e-5° ≈ 1 m, finer than any published perimeter (the 2015
 * Occitanie file is rounded to 1e-4°), so quantisation moves no vertex visibly.
 */
const GRID_STEP_DEGREES = 1e-5;

export interface QpvPerimeterStep {
	/** Path of the file read, relative to the sources folder. */
	file: string;
	/** The TopoJSON text of `geo/qpv.topo.json`. */
	topology: string;
	/** Perimeters written, by list. */
	counts: { 2015: number; 2024: number };
	rows: Record<string, number>;
	coverage: Record<string, { matched: number; total: number }>;
	unmatched: Record<string, string[]>;
	dataset: DatasetSource;
}

/**
 * The perimeter file in `qpv/` of the sources folder (path relative to the folder), or null.
 * @throws SourceDataError (French) when several files match, so the pipeline never picks one silently.
 */
export function findQpvPerimeterFile(sourcesDir: string): string | null {
	const dir = join(sourcesDir, QPV_PERIMETER_DIR);
	if (!existsSync(dir)) return null;
	const found = readdirSync(dir, { withFileTypes: true })
		.filter((e) => e.isFile() && PERIMETER_FILE.test(e.name))
		.map((e) => `${QPV_PERIMETER_DIR}/${e.name}`)
		.sort();
	if (found.length > 1) {
		throw new SourceDataError(
			`plusieurs fichiers de périmètres QPV trouvés (${found.join(', ')}) : n’en gardez qu’un`,
			{ file: found[0] }
		);
	}
	return found[0] ?? null;
}

/** The list of a QPV code (2015 `QP…`, 2024 `QN…`), or null for any other code. */
export function detectQpvMillesime(code: string): 2015 | 2024 | null {
	if (CODE_2015.test(code)) return 2015;
	if (CODE_2024.test(code)) return 2024;
	return null;
}

/** `066` → `66`, `02A` → `2A`, `971` → `971`: the département of a QPV code. */
function departementOf(code: string): string {
	const dep = code.slice(2, 5);
	return dep.startsWith('0') ? dep.slice(1) : dep;
}

/**
 * The property holding each role, found among `candidates` (case-insensitive) in the features'
 * properties; for communes, only a property whose non-empty values are all commune codes.
 */
function detectKey(
	features: readonly { properties?: unknown }[],
	candidates: readonly string[],
	accept: (values: unknown[]) => boolean = () => true
): string | null {
	const keys = new Map<string, string>();
	for (const f of features) {
		for (const key of Object.keys((f.properties ?? {}) as object)) {
			if (!keys.has(key.toLowerCase())) keys.set(key.toLowerCase(), key);
		}
	}
	for (const candidate of candidates) {
		const key = keys.get(candidate);
		if (key === undefined) continue;
		const values = features.map((f) => ((f.properties ?? {}) as Record<string, unknown>)[key]);
		if (accept(values)) return key;
	}
	return null;
}

const isCommuneList = (values: unknown[]) =>
	values.some((v) => v !== null && v !== undefined && String(v).trim() !== '') &&
	values.every(
		(v) =>
			v === null ||
			v === undefined ||
			String(v).trim() === '' ||
			COMMUNE_LIST.test(String(v).trim())
	);

/**
 * Check one feature's coordinates with `assertFeatureCollectionInFrance`, reporting the feature's
 * index in the whole file (the check runs feature by feature because COM features are skipped).
 */
function assertFeatureInFrance(feature: unknown, index: number, file: string): void {
	try {
		assertFeatureCollectionInFrance({ type: 'FeatureCollection', features: [feature] }, file);
	} catch (error) {
		if (!(error instanceof SourceDataError)) throw error;
		const prefix = new SourceDataError('', { file, feature: 0, field: 'geometry' }).message;
		const problem = error.message.startsWith(prefix)
			? error.message.slice(prefix.length)
			: error.message;
		throw new SourceDataError(problem, { file, feature: index, field: 'geometry' });
	}
}

/**
 * Read the QPV perimeter file the user added (if any) and build `geo/qpv.topo.json`.
 *
 * Property names are detected (`CODE_KEYS`, `NAME_KEYS`, `COMMUNE_KEYS`); the list of each
 * perimeter comes from its code (`QP…` 2015, `QN…` 2024). Commune codes are converted to COG 2026
 * (former codes, arrondissements → their commune; unknown codes reported and dropped); without a
 * commune property, a 2024 perimeter takes its communes from the 2024 list by commune. Perimeters
 * of the collectivités d'outre-mer are out of scope and reported.
 * @param list the 2024 QPV list by commune (qpv.json), to report 2024 QPV without a perimeter
 * @returns null when no perimeter file is in `qpv/`
 * @throws SourceDataError (French, file/feature/field) when the file is not a FeatureCollection,
 *   has no code or name property, a code of neither list, an empty name, a duplicated code, a
 *   geometry that is not a (Multi)Polygon, or coordinates in Lambert-93 or outside France.
 */
export function buildQpvPerimeters(
	sourcesDir: string,
	cog: CogReference,
	list: QpvByCommune
): QpvPerimeterStep | null {
	const file = findQpvPerimeterFile(sourcesDir);
	if (file === null) return null;
	const collection = readSourceJson(sourcesDir, file) as { type?: unknown; features?: unknown };
	if (collection?.type !== 'FeatureCollection' || !Array.isArray(collection.features)) {
		throw new SourceDataError('une FeatureCollection GeoJSON est attendue', { file });
	}
	const features = collection.features as Feature[];
	const codeKey = detectKey(features, CODE_KEYS);
	if (codeKey === null) {
		throw new SourceDataError(
			`propriété du code QPV introuvable (noms reconnus : ${CODE_KEYS.join(', ')}, en minuscules ou majuscules)`,
			{ file, field: CODE_KEYS[0] }
		);
	}
	const nameKey = detectKey(features, NAME_KEYS);
	if (nameKey === null) {
		throw new SourceDataError(
			`propriété du nom du QPV introuvable (noms reconnus : ${NAME_KEYS.join(', ')}, en minuscules ou majuscules)`,
			{ file, field: NAME_KEYS[0] }
		);
	}
	const communeKey = detectKey(features, COMMUNE_KEYS, isCommuneList);

	const communesOfListedQpv = new Map<string, string[]>();
	for (const [commune, qpvs] of Object.entries(list)) {
		for (const { code } of qpvs) {
			communesOfListedQpv.set(code, [...(communesOfListedQpv.get(code) ?? []), commune]);
		}
	}

	const kept: Feature<Polygon | MultiPolygon, QpvPerimeterProperties>[] = [];
	const seen = new Map<string, number>();
	const outOfScope: string[] = [];
	const unknownCommunes: string[] = [];
	const converted: string[] = [];
	const withoutCommune: string[] = [];
	const departements = new Set<string>();
	features.forEach((feature, index) => {
		const props = (feature?.properties ?? {}) as Record<string, unknown>;
		const fail = (problem: string, field: string): never => {
			throw new SourceDataError(problem, { file, feature: index, field });
		};
		const code = String(props[codeKey] ?? '')
			.trim()
			.toUpperCase();
		const millesime = detectQpvMillesime(code);
		if (millesime === null) {
			fail(
				`code QPV « ${String(props[codeKey] ?? '')} » non reconnu (attendu : QP + 6 caractères pour la liste 2015, ex. QP066007, ou QN… pour la liste 2024, ex. QN00101M)`,
				codeKey
			);
		}
		const previous = seen.get(code);
		if (previous !== undefined) {
			fail(`code QPV « ${code} » en double (déjà entité n° ${previous})`, codeKey);
		}
		seen.set(code, index);
		const nom = typeof props[nameKey] === 'string' ? (props[nameKey] as string).trim() : '';
		if (nom === '') fail('nom de QPV vide', nameKey);
		const type = (feature?.geometry as { type?: unknown } | null)?.type;
		if (type !== 'Polygon' && type !== 'MultiPolygon') {
			fail(`polygone attendu (Polygon ou MultiPolygon), trouvé « ${String(type)} »`, 'geometry');
		}

		const written = communeKey === null ? '' : String(props[communeKey] ?? '').trim();
		const sourceCodes = written === '' ? [] : written.split(/\s*[,;\s]\s*/);
		const isCom =
			COM_DEPARTEMENTS.has(code.slice(2, 5)) ||
			sourceCodes.some((c) => matchCommuneCode(cog, c.padStart(5, '0')).kind === 'com');
		if (isCom) {
			outOfScope.push(code);
			return;
		}
		assertFeatureInFrance(feature, index, file);

		const communes = new Set<string>();
		for (const raw of sourceCodes) {
			const source = raw.toUpperCase().padStart(5, '0');
			const match = matchCommuneCode(cog, source);
			if (match.kind === 'commune' || match.kind === 'arrondissement') communes.add(match.code);
			else if (match.kind === 'former') {
				converted.push(`${source}→${match.code}`);
				communes.add(match.code);
			} else unknownCommunes.push(`${code} : ${source}`);
		}
		if (sourceCodes.length === 0 && millesime === 2024) {
			for (const c of communesOfListedQpv.get(code) ?? []) communes.add(c);
		}
		if (communes.size === 0) withoutCommune.push(code);
		departements.add(departementOf(code));
		kept.push({
			type: 'Feature',
			properties: {
				code,
				nom,
				commune: communes.size ? [...communes].sort().join(',') : null,
				millesime: millesime as 2015 | 2024
			},
			geometry: feature.geometry as Polygon | MultiPolygon
		});
	});

	const counts = {
		2015: kept.filter((f) => f.properties.millesime === 2015).length,
		2024: kept.filter((f) => f.properties.millesime === 2024).length
	};
	const rows: Record<string, number> = { [file]: features.length };
	for (const millesime of [2015, 2024] as const) {
		if (counts[millesime] > 0)
			rows[`${file} (périmètres de la liste ${millesime} gardés)`] = counts[millesime];
	}
	const unmatched: Record<string, string[]> = {};
	const noteCodes = (reason: string, codes: string[]) => {
		if (codes.length) unmatched[`${file} : ${reason}`] = codes;
	};
	noteCodes('QPV des collectivités d’outre-mer, hors champ', outOfScope);
	noteCodes('anciens codes commune convertis au COG 2026', converted);
	noteCodes('codes commune inconnus du COG 2026, ignorés (QPV : code)', unknownCommunes);
	noteCodes('QPV sans commune du COG 2026', withoutCommune);
	const listed = new Set(communesOfListedQpv.keys());
	const drawn2024 = kept
		.filter((f) => f.properties.millesime === 2024)
		.map((f) => f.properties.code);
	noteCodes(
		'QPV 2024 absents de la liste par commune (qpv.json)',
		drawn2024.filter((c) => !listed.has(c))
	);
	const coverage: Record<string, { matched: number; total: number }> = {};
	if (counts[2024] > 0) {
		const drawn = new Set(drawn2024);
		coverage['QPV 2024 de la liste avec un périmètre'] = {
			matched: [...listed].filter((c) => drawn.has(c)).length,
			total: listed.size
		};
	}

	const missingDepartements = [...new Set([...listed].map(departementOf))]
		.filter((d) => !departements.has(d))
		.sort();
	const millesimes = ([2015, 2024] as const).filter((m) => counts[m] > 0);
	return {
		file,
		topology: JSON.stringify(
			topology(
				{ qpv: { type: 'FeatureCollection', features: kept } as FeatureCollection },
				quantizationFor(kept)
			)
		),
		counts,
		rows,
		coverage,
		unmatched,
		dataset: describeQpvPerimeters(millesimes, [...departements].sort(), missingDepartements, file)
	};
}

/**
 * TopoJSON quantisation (grid points per axis) giving a step of at most `GRID_STEP_DEGREES` over
 * the extent of the perimeters; 0 (none) for an empty file.
 */
function quantizationFor(features: FeatureCollection['features']): number {
	let west = Infinity;
	let south = Infinity;
	let east = -Infinity;
	let north = -Infinity;
	const visit = (coordinates: unknown): void => {
		if (typeof (coordinates as unknown[])[0] === 'number') {
			const [x, y] = coordinates as number[];
			west = Math.min(west, x);
			east = Math.max(east, x);
			south = Math.min(south, y);
			north = Math.max(north, y);
		} else for (const child of coordinates as unknown[]) visit(child);
	};
	for (const f of features) visit((f.geometry as Polygon | MultiPolygon).coordinates);
	if (!Number.isFinite(west)) return 0;
	const extent = Math.max(east - west, north - south);
	return Math.max(2, Math.ceil(extent / GRID_STEP_DEGREES) + 1);
}
