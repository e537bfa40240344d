/**
 * Spatial queries of the siting engine on WGS84 points: a kd-tree (kdbush) over lon/lat, great-circle
 * distances, nearest place and points within a radius. Distances are as the crow flies on a sphere of
 * radius 6,371 km (the mean Earth radius used by geokdbush, so the tree's cut-offs and our distances
 * agree); road distances are longer (see DEFAULT_COVERAGE_KM).
 */
import KDBush from 'kdbush';
import { around, distance } from 'geokdbush';
import { NO_PLACE_KM } from '../access/nearest';

/** A point in WGS84 degrees. */
export interface LonLat {
	lon: number;
	lat: number;
}

/** Kilometres per degree of latitude on the 6,371 km sphere (2π·6371/360). */
const KM_PER_DEGREE = (2 * Math.PI * 6371) / 360;

/**
 * Great-circle distance between two WGS84 points, km (haversine, sphere of radius 6,371 km).
 * @example distanceKm(2.3522, 48.8566, 3.0573, 50.6292) // Paris–Lille ≈ 204 km
 */
export function distanceKm(lon1: number, lat1: number, lon2: number, lat2: number): number {
	return distance(lon1, lat1, lon2, lat2);
}

/** A kd-tree over points, ids are the positions in the input array. */
export interface PointIndex {
	tree: KDBush;
	lon: Float64Array;
	lat: Float64Array;
}

/** Build the kd-tree of `points` (may be empty). */
export function indexPoints(points: readonly LonLat[]): PointIndex {
	const tree = new KDBush(Math.max(points.length, 1), 64, Float64Array);
	const lon = new Float64Array(points.length);
	const lat = new Float64Array(points.length);
	points.forEach((p, i) => {
		lon[i] = p.lon;
		lat[i] = p.lat;
		tree.add(p.lon, p.lat);
	});
	// kdbush refuses a tree of 0 items: an empty list gets one dummy point that queries skip.
	if (points.length === 0) tree.add(0, 0);
	tree.finish();
	return { tree, lon, lat };
}

function size(index: PointIndex): number {
	return index.lon.length;
}

/**
 * Distance from each point of `from` to the nearest point of `index`, km; `NO_PLACE_KM` (Infinity,
 * as in `access/nearest.ts`) when the index is empty.
 */
export function nearestDistancesKm(from: readonly LonLat[], index: PointIndex): Float64Array {
	const out = new Float64Array(from.length).fill(NO_PLACE_KM);
	if (size(index) === 0) return out;
	for (let i = 0; i < from.length; i++) {
		const p = from[i];
		const [j] = around(index.tree, p.lon, p.lat, 1);
		out[i] = distanceKm(p.lon, p.lat, index.lon[j], index.lat[j]);
	}
	return out;
}

/**
 * Ids of the points of `index` within `radiusKm` (inclusive) of (lon, lat), with their distances,
 * in no particular order. A bounding-box query in degrees, then an exact great-circle filter.
 * @param out ids are pushed here; @param outKm distances (km) are pushed here
 */
export function collectWithinKm(
	index: PointIndex,
	lon: number,
	lat: number,
	radiusKm: number,
	out: number[],
	outKm: number[]
): void {
	if (size(index) === 0) return;
	const dLat = radiusKm / KM_PER_DEGREE;
	const maxAbsLat = Math.min(89.9, Math.abs(lat) + dLat);
	const dLon = Math.min(180, radiusKm / (KM_PER_DEGREE * Math.cos((maxAbsLat * Math.PI) / 180)));
	const ids = index.tree.range(lon - dLon, lat - dLat, lon + dLon, lat + dLat);
	for (const id of ids) {
		const d = distanceKm(lon, lat, index.lon[id], index.lat[id]);
		if (d <= radiusKm) {
			out.push(id);
			outKm.push(d);
		}
	}
}

/**
 * Ids of the `limit` points of `index` nearest to (lon, lat) that are strictly closer than
 * `belowKm`, sorted by increasing distance, with their distances (km).
 */
export function collectNearest(
	index: PointIndex,
	lon: number,
	lat: number,
	limit: number,
	belowKm: number,
	out: number[],
	outKm: number[]
): void {
	if (size(index) === 0 || limit <= 0) return;
	const ids = around(index.tree, lon, lat, limit, Number.isFinite(belowKm) ? belowKm : Infinity);
	for (const id of ids) {
		const d = distanceKm(lon, lat, index.lon[id], index.lat[id]);
		if (d < belowKm) {
			out.push(id);
			outKm.push(d);
		}
	}
}
