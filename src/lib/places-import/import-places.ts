/**
 * Read a user's file of mediation places (the national standard, a plain CSV or GeoJSON points) and
 * validate it row by row, without changing anything: the report says what would be imported, what
 * is rejected and why (line, column, value, reason in French), and what deserves a second look.
 * Pure: runs in the browser worker, in Node tests, in the pipeline and in the benchmarks.
 */
import type { Feature, Point } from 'geojson';
import type { MediatorProperties, MediatorType } from '../territory/artifacts';
import { haversineKm } from '../access/geodesy';
import {
	comparePlaceNameParts,
	SAME_PLACE_NAME_SCORE,
	splitPlaceName,
	type PlaceNameParts
} from '../mediation/place-names';
import { parseCsv } from './csv-table';
import { checkImportSize, decodeText, type TextEncodingName } from './decode-text';
import { isInFrance, isLambert93, lambert93ToWgs84, readDecimal } from './coordinates';
import {
	classifyProgrammes,
	looksLikeStandard,
	splitList,
	STANDARD_FIELDS,
	STANDARD_REQUIRED,
	STANDARD_VERSION
} from './lieux-standard';

/** Dataset id of imported places in attributions and in the mediator filter. */
export const IMPORTED_SOURCE_ID = 'donnees-importees';

/** Most places one import (and one saved scenario) holds: France counts ≈ 20 000 mediation places. */
export const MAX_IMPORTED_PLACES = 20_000;

/** A place accepted from the file. */
export interface ImportedPlace {
	/** Id in the Atlas: `import-` + the file's id (or its line when the file has none). */
	id: string;
	nom: string;
	type: MediatorType;
	/** National programmes as written in the file. */
	programmes: string[];
	/** WGS84 degrees. */
	lon: number;
	lat: number;
	/** INSEE commune code, when the file gives one. */
	commune: string | null;
	/** `commune`: the file gave no coordinates, the place sits at its commune's centre. */
	located: 'address' | 'commune';
	adresse: string | null;
	horaires: string | null;
	/** `date_maj` of the standard, when given (yyyy-mm-dd). */
	date: string | null;
	/** Line (CSV) or feature number (GeoJSON) in the file. */
	line: number;
	/**
	 * Id of the known place of the same type this place duplicates (same name, within
	 * `DUPLICATE_DISTANCE_KM`): the analysis counts the imported place instead of it (see
	 * `imported-supply.ts`). Absent or null: a place of its own. Absent in scenarios saved before it.
	 */
	duplicateOf?: string | null;
}

/** One problem of one row. */
export interface RowIssue {
	line: number;
	/** Column (CSV) or property (GeoJSON) concerned, when one is. */
	column: string | null;
	value: string | null;
	/** French. */
	reason: string;
}

export type ImportFormat = 'standard' | 'csv' | 'geojson';

export interface ImportReport {
	fileName: string;
	/** null when the whole file is refused (see `fileError`). */
	format: ImportFormat | null;
	/** Why the whole file is refused (French); null when rows were read. */
	fileError: string | null;
	encoding: TextEncodingName | null;
	separator: ';' | ',' | null;
	/** What the reader decided, in French ("Coordonnées en Lambert-93 détectées…"). */
	notices: string[];
	/** `ligne` for CSV, `objet` for GeoJSON features. */
	unit: 'ligne' | 'objet';
	rowCount: number;
	accepted: ImportedPlace[];
	rejected: RowIssue[];
	warnings: RowIssue[];
	/**
	 * Rows left out because their commune is outside what the reader covers (`ImportContext.
	 * outOfScope`): neither accepted nor rejected. Empty in the browser.
	 */
	skipped: RowIssue[];
}

/** What the validation compares the rows with. */
export interface ImportContext {
	/** Commune centres (COG 2026): code → centre and name. */
	communes: ReadonlyMap<string, { nom: string; lon: number; lat: number }>;
	/**
	 * Places already on the map, for the duplicate warning; with their type, a duplicate of the
	 * same type is recorded in `duplicateOf` (the place it replaces in the analysis).
	 */
	knownPlaces?: readonly {
		id: string;
		nom: string;
		lon: number;
		lat: number;
		type?: MediatorType;
	}[];
	/**
	 * Why a commune code is outside the reader's scope (French), or null. The pipeline leaves out
	 * the places of the collectivités d'outre-mer this way, as it does for the national lists.
	 */
	outOfScope?: (code: string) => string | null;
}

/**
 * Limits of one read. The browser keeps the defaults (`MAX_IMPORT_BYTES`, `MAX_IMPORTED_PLACES`);
 * the geodata pipeline raises them for the whole Cartographie nationale export.
 */
export interface ImportLimits {
	/** Largest file read, bytes. */
	maxBytes?: number;
	/** Most places accepted; the rows beyond are rejected with one message. */
	maxPlaces?: number;
}

/** Distance from the stated commune's centre beyond which a place is flagged, km (issue 12). */
export const COMMUNE_DISTANCE_WARNING_KM = 20;
/** Distance under which a known place with a similar name is flagged as a duplicate, km. */
export const DUPLICATE_DISTANCE_KM = 0.2;

const INSEE_PATTERN = /^([013-9]\d|2[AB1-9])\d{3}$/;
const HTML_PATTERN = /<\/?[a-z!][^>]*>/i;

/** Header names of a plain CSV or GeoJSON properties, to the standard's field names. */
const ALIASES: Record<string, string> = {
	name: 'nom',
	nom_lieu: 'nom',
	nom_du_lieu: 'nom',
	libelle: 'nom',
	nom_structure: 'nom',
	structure: 'nom',
	identifiant: 'id',
	lat: 'latitude',
	y_wgs84: 'latitude',
	lon: 'longitude',
	lng: 'longitude',
	long: 'longitude',
	x_wgs84: 'longitude',
	insee: 'code_insee',
	code_commune: 'code_insee',
	code_commune_insee: 'code_insee',
	codgeo: 'code_insee',
	com: 'code_insee',
	type: 'dispositif_programmes_nationaux',
	dispositif: 'dispositif_programmes_nationaux',
	programme: 'dispositif_programmes_nationaux',
	programmes: 'dispositif_programmes_nationaux',
	x_l93: 'x',
	coord_x: 'x',
	coordonnee_x: 'x',
	x_lambert93: 'x',
	y_l93: 'y',
	coord_y: 'y',
	coordonnee_y: 'y',
	y_lambert93: 'y',
	adresse_postale: 'adresse',
	nom_commune: 'commune',
	libelle_commune: 'commune'
};

const STANDARD_NAMES = new Set(STANDARD_FIELDS.map((f) => f.name));

/** `Code INSEE` → `code_insee`, then its alias. */
function canonicalName(header: string, standard: boolean): string {
	if (standard && STANDARD_NAMES.has(header)) return header;
	const plain = header
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.trim()
		.replace(/[^a-z0-9]+/g, '_')
		.replace(/^_|_$/g, '');
	return standard ? plain : (ALIASES[plain] ?? plain);
}

/** One row in a format-free form: field name → text, and for GeoJSON its geometry. */
interface RawRow {
	line: number;
	get(field: string): string | undefined;
	/** Original column name of a field, for the report. */
	columnOf(field: string): string;
	point?: [number, number] | null;
}

/** A CSV row read through the header's index (one shared index, no closure per row). */
class CsvRow implements RawRow {
	constructor(
		readonly line: number,
		private readonly cells: string[],
		private readonly index: ReadonlyMap<string, number>,
		private readonly original: ReadonlyMap<string, string>
	) {}
	get(field: string): string | undefined {
		const i = this.index.get(field);
		return i === undefined ? undefined : this.cells[i];
	}
	columnOf(field: string): string {
		return this.original.get(field) ?? field;
	}
}

function emptyReport(fileName: string): ImportReport {
	return {
		fileName,
		format: null,
		fileError: null,
		encoding: null,
		separator: null,
		notices: [],
		unit: 'ligne',
		rowCount: 0,
		accepted: [],
		rejected: [],
		warnings: [],
		skipped: []
	};
}

/**
 * Read and validate a file of places. Never throws: a file that cannot be read comes back with a
 * French `fileError` and no rows.
 * @param bytes the file's content (`File.arrayBuffer()` in the browser)
 */
export function readPlacesFile(
	fileName: string,
	bytes: Uint8Array,
	context: ImportContext,
	limits: ImportLimits = {}
): ImportReport {
	const report = emptyReport(fileName);
	const sizeError = checkImportSize(bytes.length, limits.maxBytes);
	if (sizeError) return { ...report, fileError: sizeError };
	const decoded = decodeText(bytes);
	if (!decoded.ok) return { ...report, fileError: decoded.message };
	report.encoding = decoded.encoding;
	if (decoded.encoding === 'windows-1252') {
		report.notices.push(
			'Le fichier n’est pas en UTF-8 : il a été lu comme du Windows-1252 (enregistrement CSV d’Excel). Vérifiez les accents dans l’aperçu.'
		);
	}
	const maxPlaces = limits.maxPlaces ?? MAX_IMPORTED_PLACES;
	const text = decoded.text.charCodeAt(0) === 0xfeff ? decoded.text.slice(1) : decoded.text;
	const start = text.trimStart().charAt(0);
	if (start === '{' || start === '[' || /\.(geo)?json$/i.test(fileName)) {
		return readGeoJson(text, report, context, maxPlaces);
	}
	return readCsvText(text, report, context, maxPlaces);
}

function readCsvText(
	text: string,
	report: ImportReport,
	context: ImportContext,
	maxPlaces: number
): ImportReport {
	const table = parseCsv(text);
	report.separator = table.separator;
	if (table.header.length < 2) {
		return {
			...report,
			fileError:
				'Aucune colonne reconnue : la première ligne doit nommer les colonnes, séparées par « ; » ou « , ».'
		};
	}
	const standard = looksLikeStandard(table.header);
	report.format = standard ? 'standard' : 'csv';
	const index = new Map<string, number>();
	const original = new Map<string, string>();
	table.header.forEach((h, i) => {
		const name = canonicalName(h, standard);
		if (!index.has(name)) {
			index.set(name, i);
			original.set(name, h);
		}
	});
	if (standard) {
		const missing = STANDARD_REQUIRED.filter((n) => !index.has(n));
		if (missing.length > 0) {
			return {
				...report,
				fileError: `Colonnes obligatoires du standard « Lieux de médiation numérique » ${STANDARD_VERSION} absentes : ${missing.join(', ')}.`
			};
		}
		report.notices.push(
			`Format reconnu : standard national « Lieux de médiation numérique » ${STANDARD_VERSION}.`
		);
	} else if (!index.has('nom')) {
		return {
			...report,
			fileError:
				'Colonne du nom du lieu introuvable : la première ligne doit contenir « nom » (ou « name », « libelle »).'
		};
	} else {
		report.notices.push('Format reconnu : CSV simple (nom, coordonnées ou code INSEE).');
	}
	report.rowCount = table.rows.length;
	const rows: RawRow[] = table.rows.map(
		({ line, cells }) => new CsvRow(line, cells, index, original)
	);
	if (!standard) {
		const hasLatLon = index.has('latitude') && index.has('longitude');
		const hasXY = index.has('x') && index.has('y');
		if (!hasLatLon && !hasXY && !index.has('code_insee')) {
			return {
				...report,
				fileError:
					'Ni coordonnées (latitude et longitude, ou X et Y en Lambert-93) ni code INSEE : impossible de placer les lieux.'
			};
		}
	}
	validateRows(rows, report, context, standard, maxPlaces);
	return report;
}

function readGeoJson(
	text: string,
	report: ImportReport,
	context: ImportContext,
	maxPlaces: number
): ImportReport {
	report.format = 'geojson';
	report.unit = 'objet';
	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch (error) {
		return {
			...report,
			fileError: `GeoJSON illisible : ${error instanceof Error ? error.message : String(error)}.`
		};
	}
	const collection = data as {
		type?: unknown;
		features?: unknown;
		crs?: { properties?: { name?: unknown } };
	};
	if (collection?.type !== 'FeatureCollection' || !Array.isArray(collection.features)) {
		return {
			...report,
			fileError: 'Le GeoJSON doit être une FeatureCollection (« type »: « FeatureCollection »).'
		};
	}
	const crsName = String(collection.crs?.properties?.name ?? '');
	let lambert = /2154/.test(crsName);
	if (crsName && !lambert && !/4326|CRS84/i.test(crsName)) {
		return {
			...report,
			fileError: `Système de coordonnées non pris en charge : ${crsName}. Exportez en WGS84 (EPSG:4326) ou en Lambert-93 (EPSG:2154).`
		};
	}
	const features = collection.features as {
		geometry?: { type?: unknown; coordinates?: unknown } | null;
		properties?: Record<string, unknown> | null;
	}[];
	if (!lambert) {
		const first = features.find((f) => f?.geometry?.type === 'Point');
		const c = first?.geometry?.coordinates;
		if (Array.isArray(c) && isLambert93(Number(c[0]), Number(c[1]))) lambert = true;
	}
	if (lambert) {
		report.notices.push(
			'Coordonnées en Lambert-93 (EPSG:2154) détectées : elles ont été reprojetées en WGS84.'
		);
	}
	report.rowCount = features.length;
	const rows: RawRow[] = [];
	features.forEach((feature, i) => {
		const line = i + 1;
		const properties = feature?.properties ?? {};
		const values = new Map<string, string>();
		const original = new Map<string, string>();
		for (const [key, value] of Object.entries(properties)) {
			const name = canonicalName(key, false);
			const standardName = STANDARD_NAMES.has(key) ? key : name;
			if (value === null || value === undefined || values.has(standardName)) continue;
			values.set(standardName, Array.isArray(value) ? value.join('|') : String(value));
			original.set(standardName, key);
		}
		let point: [number, number] | null = null;
		const geometry = feature?.geometry;
		if (geometry && geometry.type !== 'Point') {
			report.rejected.push({
				line,
				column: 'geometry',
				value: String(geometry.type),
				reason: 'Seuls les points sont acceptés (pas de lignes ni de polygones).'
			});
			return;
		}
		if (geometry && Array.isArray(geometry.coordinates)) {
			const [x, y] = geometry.coordinates.map(Number);
			if (lambert) point = isLambert93(x, y) ? lambert93ToWgs84(x, y) : [Number.NaN, Number.NaN];
			else point = [x, y];
		}
		rows.push({
			line,
			get: (field) => values.get(field),
			columnOf: (field) => original.get(field) ?? field,
			point
		});
	});
	report.notices.push('Format reconnu : GeoJSON de points.');
	validateRows(rows, report, context, false, maxPlaces);
	return report;
}

/** Places on a 0.01° grid (≈ 1 km), for the duplicate search. */
function gridOf(
	places: ImportContext['knownPlaces']
): Map<string, NonNullable<typeof places>[number][]> {
	const grid = new Map<string, NonNullable<typeof places>[number][]>();
	for (const p of places ?? []) {
		const key = `${Math.floor(p.lon * 100)}:${Math.floor(p.lat * 100)}`;
		const cell = grid.get(key);
		if (cell) cell.push(p);
		else grid.set(key, [p]);
	}
	return grid;
}

function validateRows(
	rows: readonly RawRow[],
	report: ImportReport,
	context: ImportContext,
	standard: boolean,
	maxPlaces: number
): void {
	const seenIds = new Map<string, number>();
	const grid = gridOf(context.knownPlaces);
	const knownIds = new Set((context.knownPlaces ?? []).map((p) => p.id));
	let lambertRows = 0;
	let communeRows = 0;
	let tooMany = 0;
	// Known places' names are split once, the first time a row lies near them.
	const knownParts = new Map<string, PlaceNameParts>();
	const partsOf = (place: { id: string; nom: string }) => {
		let parts = knownParts.get(place.id);
		if (!parts) {
			parts = splitPlaceName(place.nom);
			knownParts.set(place.id, parts);
		}
		return parts;
	};
	const issue = (row: RawRow, field: string | null, value: string | null, reason: string) => ({
		line: row.line,
		column: field === null ? null : row.columnOf(field),
		value,
		reason
	});
	for (const row of rows) {
		const reject = (field: string | null, value: string | null, reason: string) => {
			report.rejected.push(issue(row, field, value, reason));
		};
		const warn = (field: string | null, value: string | null, reason: string) => {
			report.warnings.push(issue(row, field, value, reason));
		};
		const value = (field: string) => (row.get(field) ?? '').trim();

		// Fields of the standard: required ones reject the row, optional ones only warn.
		let invalid = false;
		if (standard) {
			for (const field of STANDARD_FIELDS) {
				const text = value(field.name);
				if (text === '') {
					if (field.required) {
						reject(field.name, null, `Champ obligatoire du standard vide : « ${field.name} ».`);
						invalid = true;
						break;
					}
					continue;
				}
				let problem: string | null = null;
				if (field.pattern && !field.pattern.test(text))
					problem = 'valeur hors du format du standard';
				else if (field.maxLength !== null && text.length > field.maxLength)
					problem = `plus de ${field.maxLength} caractères`;
				else if (field.type === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(text))
					problem = 'date attendue au format AAAA-MM-JJ';
				if (problem) {
					if (field.required || field.name === 'code_insee') {
						reject(field.name, text, `« ${field.name} » : ${problem}.`);
						invalid = true;
						break;
					}
					warn(field.name, text, `« ${field.name} » : ${problem} (valeur ignorée).`);
				}
			}
			if (invalid) continue;
		}

		const nom = value('nom');
		if (nom === '') {
			reject('nom', null, 'Nom du lieu vide.');
			continue;
		}
		const fileId = value('id') || `ligne-${row.line}`;
		const firstLine = seenIds.get(fileId);
		if (firstLine !== undefined) {
			reject(
				'id',
				fileId,
				`Identifiant déjà utilisé (${report.unit} ${firstLine}) : seul le premier est gardé.`
			);
			continue;
		}

		let code: string | null = value('code_insee') || null;
		if (code && /^\d{4}$/.test(code)) code = `0${code}`; // Excel drops the leading zero of 01…09.
		if (code && !INSEE_PATTERN.test(code)) {
			reject('code_insee', code, 'Code INSEE invalide (5 caractères, ex. 59350 ou 2A004).');
			continue;
		}
		const outside = code && context.outOfScope ? context.outOfScope(code) : null;
		if (outside) {
			report.skipped.push(issue(row, 'code_insee', code, outside));
			continue;
		}
		const commune = code ? context.communes.get(code) : undefined;
		if (code && !commune) {
			warn('code_insee', code, 'Code INSEE absent du COG 2026 (commune fusionnée ou code erroné).');
		}

		// Coordinates: the GeoJSON geometry, else latitude/longitude, else X/Y, else the commune centre.
		let lon: number | null = null;
		let lat: number | null = null;
		let located: ImportedPlace['located'] = 'address';
		if (row.point !== undefined && row.point !== null) {
			[lon, lat] = row.point;
			if (!Number.isFinite(lon) || !Number.isFinite(lat)) {
				reject('geometry', null, 'Coordonnées illisibles ou hors de l’emprise du Lambert-93.');
				continue;
			}
		} else {
			const latText = row.get('latitude');
			const lonText = row.get('longitude');
			const xText = row.get('x');
			const yText = row.get('y');
			const a = readDecimal(latText);
			const b = readDecimal(lonText);
			if (a !== null || b !== null) {
				if (a === null || b === null || Number.isNaN(a) || Number.isNaN(b)) {
					const bad = a === null || Number.isNaN(a) ? 'latitude' : 'longitude';
					reject(
						bad,
						row.get(bad) ?? null,
						'Coordonnée illisible (un nombre est attendu, ex. 48,8566).'
					);
					continue;
				}
				if (isLambert93(b, a) || isLambert93(a, b)) {
					// Lambert-93 metres written in latitude/longitude columns.
					[lon, lat] = isLambert93(b, a) ? lambert93ToWgs84(b, a) : lambert93ToWgs84(a, b);
					lambertRows++;
				} else {
					lat = a;
					lon = b;
				}
			} else if (xText !== undefined && yText !== undefined && (xText.trim() || yText.trim())) {
				const x = readDecimal(xText);
				const y = readDecimal(yText);
				if (x === null || y === null || Number.isNaN(x) || Number.isNaN(y) || !isLambert93(x, y)) {
					reject(
						'x',
						`${xText} ; ${yText}`,
						'X/Y hors de l’emprise du Lambert-93 (EPSG:2154) de la métropole.'
					);
					continue;
				}
				[lon, lat] = lambert93ToWgs84(x, y);
				lambertRows++;
			}
		}
		if (lon === null || lat === null) {
			if (!commune) {
				reject(
					code ? 'code_insee' : 'latitude',
					code,
					code
						? 'Ni coordonnées ni commune connue : le lieu ne peut pas être placé.'
						: 'Ni coordonnées ni code INSEE : le lieu ne peut pas être placé.'
				);
				continue;
			}
			lon = commune.lon;
			lat = commune.lat;
			located = 'commune';
			communeRows++;
		} else if (!isInFrance(lon, lat)) {
			reject(
				'latitude',
				`${formatCoordinate(lat)} ; ${formatCoordinate(lon)}`,
				'Coordonnées hors de France (métropole et DROM) : latitude et longitude inversées ?'
			);
			continue;
		} else if (commune) {
			const km = haversineKm(lon, lat, commune.lon, commune.lat);
			if (km > COMMUNE_DISTANCE_WARNING_KM) {
				warn(
					'code_insee',
					code,
					`Le lieu est à ${Math.round(km).toLocaleString('fr-FR')} km du centre de ${commune.nom} (${code}), commune indiquée : coordonnées ou commune à vérifier.`
				);
			}
		}

		if (report.accepted.length >= maxPlaces) {
			tooMany++;
			continue;
		}
		seenIds.set(fileId, row.line);
		if (HTML_PATTERN.test(nom)) {
			warn(
				'nom',
				nom,
				'Le nom contient du balisage HTML : il sera affiché tel quel, comme du texte.'
			);
		}
		const id = `import-${fileId}`;
		if (knownIds.has(id)) warn('id', fileId, 'Ce lieu importé est déjà sur la carte.');
		const programmes = splitList(row.get('dispositif_programmes_nationaux'));
		const type = classifyProgrammes(programmes);
		const near = grid.get(`${Math.floor(lon * 100)}:${Math.floor(lat * 100)}`);
		let twin: (typeof near & object)[number] | undefined;
		if (near) {
			let ownParts: PlaceNameParts | null = null;
			for (const p of near) {
				if (haversineKm(lon, lat, p.lon, p.lat) > DUPLICATE_DISTANCE_KM) continue;
				ownParts ??= splitPlaceName(nom);
				if (comparePlaceNameParts(partsOf(p), ownParts) >= SAME_PLACE_NAME_SCORE) {
					// A twin of the same type is the one the place replaces; keep looking for it.
					if (!twin || (twin.type !== type && p.type === type)) twin = p;
					if (twin.type === type) break;
				}
			}
		}
		if (twin) {
			warn(
				'nom',
				nom,
				twin.type === type
					? `Doublon probable d’un lieu déjà connu : « ${twin.nom} » (${twin.id}), à moins de 200 m : le lieu importé le remplace dans les calculs (compté une fois).`
					: `Doublon probable d’un lieu déjà connu : « ${twin.nom} » (${twin.id}), à moins de 200 m, d’un autre dispositif : les deux sont comptés, comme deux dispositifs à une même adresse.`
			);
		}
		report.accepted.push({
			id,
			nom,
			type,
			programmes,
			lon: round6(lon),
			lat: round6(lat),
			commune: commune ? code : null,
			located,
			adresse:
				[value('adresse'), value('code_postal'), value('commune')].filter(Boolean).join(' ') ||
				null,
			horaires: value('horaires') || null,
			date: value('date_maj') || null,
			line: row.line,
			duplicateOf: twin && twin.type === type ? twin.id : null
		});
	}
	if (lambertRows > 0 && report.format !== 'geojson') {
		report.notices.push(
			`Coordonnées en Lambert-93 (EPSG:2154) détectées d’après leurs valeurs (${lambertRows.toLocaleString('fr-FR')} lieux) : reprojetées en WGS84.`
		);
	}
	if (communeRows > 0) {
		report.notices.push(
			`${communeRows.toLocaleString('fr-FR')} lieux sans coordonnées placés au centre de leur commune (code INSEE).`
		);
	}
	if (tooMany > 0) {
		report.rejected.push({
			line: rows[rows.length - 1]?.line ?? 0,
			column: null,
			value: null,
			reason: `Au plus ${maxPlaces.toLocaleString('fr-FR')} lieux par import : ${tooMany.toLocaleString('fr-FR')} lieux de plus n’ont pas été lus.`
		});
	}
}

function round6(x: number): number {
	return Math.round(x * 1e6) / 1e6;
}

function formatCoordinate(x: number): string {
	return x.toLocaleString('fr-FR', { maximumFractionDigits: 5 });
}

/** An imported place as a point of the mediators layer (source `donnees-importees`). */
export function toMediatorFeature(place: ImportedPlace): Feature<Point, MediatorProperties> {
	return {
		type: 'Feature',
		geometry: { type: 'Point', coordinates: [place.lon, place.lat] },
		properties: {
			id: place.id,
			type: place.type,
			nom: place.nom,
			adresse: place.adresse,
			commune: place.commune,
			located: place.located,
			source: IMPORTED_SOURCE_ID,
			date: place.date,
			horaires: place.horaires,
			effectif: null
		}
	};
}

/** Number of places per type, in the order types first appear. */
export function countPlacesByType(
	places: readonly Pick<ImportedPlace, 'type'>[]
): [MediatorType, number][] {
	const counts = new Map<MediatorType, number>();
	for (const p of places) counts.set(p.type, (counts.get(p.type) ?? 0) + 1);
	return [...counts];
}
