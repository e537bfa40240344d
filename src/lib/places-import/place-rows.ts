/**
 * The two shapes a file of places comes in (a CSV table, the national standard or plain; GeoJSON
 * points), read into rows of named fields with the file's own column names kept for the report.
 */
import { parseCsv } from './csv-table';
import { isLambert93, lambert93ToWgs84 } from './coordinates';
import type { ImportContext, ImportReport } from './import-places';
import {
	looksLikeStandard,
	STANDARD_FIELDS,
	STANDARD_REQUIRED,
	STANDARD_VERSION
} from './lieux-standard';
import { validateRows } from './validate-place-rows';

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
export interface RawRow {
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

export function readCsvText(
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

export function readGeoJson(
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
