/**
 * Checks that geographic coordinates are WGS84 degrees inside France (mainland, Corsica and the 5
 * DROM), so that a source delivered in Lambert-93 metres, with swapped axes or for the wrong country
 * is rejected by the pipeline with a French message instead of drawing nothing on the map.
 */
import { SourceDataError } from './source-error';

/** A bounding box [west, south, east, north], WGS84 degrees. */
export type Extent = readonly [west: number, south: number, east: number, north: number];

/**
 * Bounding boxes of the parts of France covered by the dashboard, WGS84 degrees.
 *
 * Source: the extent of each zone in `admin/france-admin-2026.topojson` (IGN ADMIN EXPRESS COG 2018
 * communes, PROVENANCE §1), e.g. mainland + Corsica −5.134 (Ouessant) … 9.560 E, 41.363 (south of
 * Bonifacio) … 51.088 N (Bray-Dunes), widened by about 0.15–0.2° (15–20 km) so that
 * points geocoded on the shore or an islet still pass. Boxes are deliberately coarse: they catch
 * projected, swapped or foreign coordinates, not a point a few kilometres over a border. The
 * collectivités d'outre-mer (Saint-Martin, Saint-Barthélemy, Saint-Pierre-et-Miquelon…) are not
 * included: the dashboard covers the 101 départements only.
 */
export const FRANCE_EXTENTS = {
	/** Data extent −5.134, 41.363, 9.560, 51.088. */
	metropole: [-5.35, 41.2, 9.75, 51.3],
	/** Data extent −61.806, 15.840, −61.003, 16.511 (Basse-Terre, Grande-Terre, Marie-Galante, La Désirade, Les Saintes). */
	guadeloupe: [-62.0, 15.65, -60.8, 16.7],
	/** Data extent −61.230, 14.395, −60.811, 14.879. */
	martinique: [-61.4, 14.2, -60.6, 15.05],
	/** Data extent −54.602, 2.118, −51.626, 5.748. */
	guyane: [-54.8, 1.95, -51.4, 6.0],
	/** Data extent 55.217, −21.389, 55.835, −20.872. */
	reunion: [55.05, -21.55, 56.0, -20.7],
	/** Data extent 45.020, −13.000, 45.297, −12.637. */
	mayotte: [44.85, -13.15, 45.45, -12.45]
} as const satisfies Record<string, Extent>;

export type FranceZone = keyof typeof FRANCE_EXTENTS;

const extents = Object.entries(FRANCE_EXTENTS) as [FranceZone, Extent][];

/**
 * The zone of France whose bounding box contains the point, or null.
 * @param lon longitude, WGS84 degrees
 * @param lat latitude, WGS84 degrees
 */
export function locateInFrance(lon: number, lat: number): FranceZone | null {
	for (const [zone, [w, s, e, n]] of extents) {
		if (lon >= w && lon <= e && lat >= s && lat <= n) return zone;
	}
	return null;
}

/**
 * Whether [lon, lat] (WGS84 degrees) falls in one of the `FRANCE_EXTENTS` boxes.
 * @example isInFrance(2.3522, 48.8566) // true (Paris); isInFrance(48.8566, 2.3522) // false (swapped)
 */
export function isInFrance(lon: number, lat: number): boolean {
	return locateInFrance(lon, lat) !== null;
}

/**
 * Whether (x, y) looks like Lambert-93 (EPSG:2154) metres rather than degrees. Lambert-93 puts
 * mainland France and Corsica at about x 100 000–1 250 000 m, y 6 040 000–7 120 000 m (false
 * easting 700 000, false northing 6 600 000 at 3° E, 46.5° N); the ranges below add a margin.
 * Degrees never reach these values, so the test cannot mistake a WGS84 point for Lambert-93.
 */
export function looksLikeLambert93(x: number, y: number): boolean {
	return x >= 100_000 && x <= 1_300_000 && y >= 6_000_000 && y <= 7_200_000;
}

/** Why a position is not acceptable, or null when it is a finite WGS84 point in France. */
export type PositionProblem = 'not-a-position' | 'lambert93' | 'outside-france';

/** Classify one position ([lon, lat, …]); extra ordinates (altitude) are ignored. */
export function checkPosition(position: unknown): PositionProblem | null {
	if (!Array.isArray(position) || position.length < 2) return 'not-a-position';
	const [x, y] = position;
	if (
		typeof x !== 'number' ||
		typeof y !== 'number' ||
		!Number.isFinite(x) ||
		!Number.isFinite(y)
	) {
		return 'not-a-position';
	}
	if (looksLikeLambert93(x, y)) return 'lambert93';
	return isInFrance(x, y) ? null : 'outside-france';
}

/**
 * The French sentence describing a position problem, with the offending point. Shared by
 * `assertFeatureCollectionInFrance` and the TopoJSON checks of the pipeline so messages agree.
 */
export function describePositionProblem(problem: PositionProblem, position: unknown): string {
	const shown = JSON.stringify(position);
	switch (problem) {
		case 'not-a-position':
			return `coordonnée invalide ${shown} : il faut une paire de nombres finis [longitude, latitude]`;
		case 'lambert93':
			return `coordonnées en Lambert-93 (mètres) : il faut des degrés WGS84 (EPSG:4326), point ${shown}`;
		case 'outside-france': {
			const [x, y] = position as number[];
			const swapped = isInFrance(y, x)
				? ' ; la latitude et la longitude semblent inversées (l’ordre attendu est [longitude, latitude])'
				: '';
			return `coordonnées hors de France (métropole, Corse et les 5 DROM), point ${shown}${swapped}`;
		}
	}
}

const POSITION_DEPTH: Record<string, number> = {
	Point: 0,
	MultiPoint: 1,
	LineString: 1,
	MultiLineString: 2,
	Polygon: 2,
	MultiPolygon: 3
};

/** The first bad position of a GeoJSON geometry, or a description of its structural problem. */
function findBadPosition(
	geometry: unknown
): { problem: PositionProblem; position: unknown } | { structure: string } | null {
	if (geometry === null || typeof geometry !== 'object') return { structure: 'géométrie absente' };
	const g = geometry as { type?: unknown; coordinates?: unknown; geometries?: unknown };
	if (g.type === 'GeometryCollection') {
		if (!Array.isArray(g.geometries))
			return { structure: 'GeometryCollection sans « geometries »' };
		for (const child of g.geometries) {
			const bad = findBadPosition(child);
			if (bad) return bad;
		}
		return null;
	}
	const depth = typeof g.type === 'string' ? POSITION_DEPTH[g.type] : undefined;
	if (depth === undefined) return { structure: `type de géométrie inconnu « ${String(g.type)} »` };
	return walkPositions(g.coordinates, depth);
}

function walkPositions(
	coordinates: unknown,
	depth: number
): { problem: PositionProblem; position: unknown } | { structure: string } | null {
	if (depth === 0) {
		const problem = checkPosition(coordinates);
		return problem ? { problem, position: coordinates } : null;
	}
	if (!Array.isArray(coordinates)) return { structure: 'tableau de coordonnées attendu' };
	for (const child of coordinates) {
		const bad = walkPositions(child, depth - 1);
		if (bad) return bad;
	}
	return null;
}

/** ` (id « x », code « y », nom « z »)` from a feature's id and properties, to find it in the file. */
function describeFeature(feature: { id?: unknown; properties?: unknown }): string {
	const props = (feature.properties ?? {}) as Record<string, unknown>;
	const parts: string[] = [];
	const id = feature.id ?? props.id;
	if (typeof id === 'string' || typeof id === 'number') parts.push(`id « ${id} »`);
	for (const key of ['code', 'nom'] as const) {
		const value = props[key];
		if (typeof value === 'string' || typeof value === 'number') parts.push(`${key} « ${value} »`);
	}
	return parts.length ? ` (${parts.join(', ')})` : '';
}

/**
 * Check that a GeoJSON FeatureCollection only has WGS84 [lon, lat] coordinates in France (any
 * geometry type, including GeometryCollection). Stops at the first problem.
 * @param collection parsed GeoJSON
 * @param file file name used in the error message
 * @throws SourceDataError (French) naming the file, the feature index (0-based), its id/code/nom and
 *   the problem: not a FeatureCollection, missing geometry, non-numeric coordinate, Lambert-93
 *   metres, or a point outside France.
 */
export function assertFeatureCollectionInFrance(collection: unknown, file: string): void {
	const fc = collection as { type?: unknown; features?: unknown } | null;
	if (
		!fc ||
		typeof fc !== 'object' ||
		fc.type !== 'FeatureCollection' ||
		!Array.isArray(fc.features)
	) {
		throw new SourceDataError('une FeatureCollection GeoJSON est attendue', { file });
	}
	fc.features.forEach((feature: unknown, index: number) => {
		const f = (feature ?? {}) as { id?: unknown; properties?: unknown; geometry?: unknown };
		const bad = findBadPosition(f.geometry);
		if (!bad) return;
		const problem =
			'structure' in bad ? bad.structure : describePositionProblem(bad.problem, bad.position);
		throw new SourceDataError(`${problem}${describeFeature(f)}`, {
			file,
			feature: index,
			field: 'geometry'
		});
	});
}
