/**
 * Read a user's file of mediation places (the national standard, a plain CSV or GeoJSON points) and
 * validate it row by row, without changing anything: the report says what would be imported, what
 * is rejected and why (line, column, value, reason in French), and what deserves a second look.
 * Pure: runs in the browser worker, in Node tests, in the pipeline and in the benchmarks.
 */
import type { MediatorType } from '../territory/artifacts';
import { MAX_IMPORTED_PLACES, type ImportedPlace } from './imported-place';
import { checkImportSize, decodeText, type TextEncodingName } from './decode-text';
import { readCsvText, readGeoJson } from './place-rows';

export { COMMUNE_DISTANCE_WARNING_KM, DUPLICATE_DISTANCE_KM } from './validate-place-rows';
export {
	countPlacesByType,
	IMPORTED_SOURCE_ID,
	MAX_IMPORTED_PLACES,
	toMediatorFeature,
	type ImportedPlace
} from './imported-place';

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
