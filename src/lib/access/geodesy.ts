/**
 * Great-circle distances on a spherical Earth, and the bounding box of a search circle for the
 * kdbush index. Straight-line ("à vol d'oiseau") distances are what we can compute for every commune
 * offline; road distances would need a routing graph we do not ship.
 */
import type KDBush from 'kdbush';

/**
 * Mean Earth radius, km (IUGG mean radius R1 = 6,371.0088 km, rounded). The same value as geokdbush,
 * so our distances agree with the index's own.
 */
export const EARTH_RADIUS_KM = 6371;

const RADIANS_PER_DEGREE = Math.PI / 180;
const DEGREES_PER_RADIAN = 180 / Math.PI;

/**
 * Haversine distance, km, from latitudes and longitudes already in radians and the cosines of the
 * latitudes: the form used in loops over many pairs, where each point's trigonometry is computed once.
 */
export function haversineKmRadians(
	latA: number,
	lonA: number,
	cosLatA: number,
	latB: number,
	lonB: number,
	cosLatB: number
): number {
	return kmFromHaversineTerm(haversineTerm(latA, lonA, cosLatA, latB, lonB, cosLatB));
}

/**
 * The haversine term h = sin²(Δφ/2) + cos φA · cos φB · sin²(Δλ/2) (radians), which grows with the
 * distance: comparing h values or thresholds avoids the square root and arcsine in hot loops.
 */
export function haversineTerm(
	latA: number,
	lonA: number,
	cosLatA: number,
	latB: number,
	lonB: number,
	cosLatB: number
): number {
	const sinHalfDLat = Math.sin((latB - latA) / 2);
	const sinHalfDLon = Math.sin((lonB - lonA) / 2);
	return sinHalfDLat * sinHalfDLat + cosLatA * cosLatB * sinHalfDLon * sinHalfDLon;
}

/** Distance, km, of a haversine term. */
export function kmFromHaversineTerm(h: number): number {
	// min() guards against h creeping above 1 by rounding for antipodal points.
	return 2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(Math.min(1, h)));
}

/** The haversine term of a distance, km: a threshold to compare `haversineTerm` values with. */
export function haversineTermOfKm(km: number): number {
	const s = Math.sin(Math.min(Math.PI / 2, km / (2 * EARTH_RADIUS_KM)));
	return s * s;
}

/**
 * Haversine great-circle distance between two WGS84 points, km. The spherical model errs by at most
 * about 0.5 % against the ellipsoid, far below the gap between a straight line and a road.
 * @example haversineKm(2.3522, 48.8566, 4.8357, 45.764) // Paris → Lyon ≈ 392 km
 */
export function haversineKm(lon1: number, lat1: number, lon2: number, lat2: number): number {
	const latA = lat1 * RADIANS_PER_DEGREE;
	const latB = lat2 * RADIANS_PER_DEGREE;
	return haversineKmRadians(
		latA,
		lon1 * RADIANS_PER_DEGREE,
		Math.cos(latA),
		latB,
		lon2 * RADIANS_PER_DEGREE,
		Math.cos(latB)
	);
}

/** Latitudes, longitudes (radians) and cosines of the latitudes of a list of points. */
export interface RadianCoordinates {
	lat: Float64Array;
	lon: Float64Array;
	cosLat: Float64Array;
}

/** Precompute the trigonometry of every point once, for `haversineKmRadians`. */
export function toRadianCoordinates(
	points: readonly { lon: number; lat: number }[]
): RadianCoordinates {
	const n = points.length;
	const lat = new Float64Array(n);
	const lon = new Float64Array(n);
	const cosLat = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		lat[i] = points[i].lat * RADIANS_PER_DEGREE;
		lon[i] = points[i].lon * RADIANS_PER_DEGREE;
		cosLat[i] = Math.cos(lat[i]);
	}
	return { lat, lon, cosLat };
}

/**
 * The longitude–latitude boxes (one, or two across the ±180° meridian) that contain the whole circle
 * of `radiusKm` around (lon, lat), as [west, south, east, north] degrees.
 */
export function circleBoxes(
	lon: number,
	lat: number,
	radiusKm: number
): [number, number, number, number][] {
	// 1.000001: a margin over the exact box so rounding never cuts a point on the circle.
	const dLat = (radiusKm / EARTH_RADIUS_KM) * DEGREES_PER_RADIAN * 1.000001;
	const farLat = Math.abs(lat) + dLat;
	const south = Math.max(-90, lat - dLat);
	const north = Math.min(90, lat + dLat);
	// Near a pole (or for a huge radius) the circle may span every longitude.
	if (farLat >= 89 || dLat >= 90) return [[-180, south, 180, north]];
	// A circle of angular radius δ spans asin(sin δ / cos φ) of longitude, at most δ / cos(|φ| + δ).
	const dLon = dLat / Math.cos(farLat * RADIANS_PER_DEGREE);
	if (dLon >= 180) return [[-180, south, 180, north]];
	const boxes: [number, number, number, number][] = [
		[Math.max(-180, lon - dLon), south, Math.min(180, lon + dLon), north]
	];
	if (lon - dLon < -180) boxes.push([lon - dLon + 360, south, 180, north]);
	if (lon + dLon > 180) boxes.push([-180, south, lon + dLon - 360, north]);
	return boxes;
}

/**
 * Ids of the indexed points (WGS84 degrees) that may lie within `radiusKm` of (lon, lat): a superset
 * (the points of `circleBoxes`); the caller keeps those whose haversine distance is within the radius.
 * Faster than geokdbush's sorted `around` when every point of the circle is wanted, in no order.
 */
export function pointsInCircleBox(
	index: KDBush,
	lon: number,
	lat: number,
	radiusKm: number
): number[] {
	const ids: number[] = [];
	for (const [west, south, east, north] of circleBoxes(lon, lat, radiusKm)) {
		ids.push(...index.range(west, south, east, north));
	}
	return ids;
}

/**
 * The same query as `pointsInCircleBox`, writing into one reusable buffer instead of allocating an
 * array per query: the E2SFCA runs one query per place (≈ 15,000), and garbage collection of the
 * result arrays cost as much as the search. It walks kdbush's public sorted arrays (`ids`,
 * `coords`, `nodeSize`) exactly as `KDBush.range` does.
 */
export class CircleBoxSearch {
	/** Ids found by the last `search`, in `ids[0 … count − 1]`. */
	ids = new Uint32Array(256);
	count = 0;
	private stack = new Uint32Array(192);

	constructor(private readonly index: KDBush) {}

	/** Find the points in the boxes around the circle; returns how many (also in `count`). */
	search(lon: number, lat: number, radiusKm: number): number {
		this.count = 0;
		for (const [west, south, east, north] of circleBoxes(lon, lat, radiusKm)) {
			this.range(west, south, east, north);
		}
		return this.count;
	}

	private push(id: number): void {
		if (this.count === this.ids.length) {
			const grown = new Uint32Array(this.ids.length * 2);
			grown.set(this.ids);
			this.ids = grown;
		}
		this.ids[this.count++] = id;
	}

	private range(minX: number, minY: number, maxX: number, maxY: number): void {
		const { ids, coords, nodeSize } = this.index;
		if (ids.length === 0) return;
		let stack = this.stack;
		stack[0] = 0;
		stack[1] = ids.length - 1;
		stack[2] = 0;
		let sp = 3;
		while (sp > 0) {
			const axis = stack[--sp];
			const right = stack[--sp];
			const left = stack[--sp];
			if (right - left <= nodeSize) {
				for (let i = left; i <= right; i++) {
					const x = coords[2 * i];
					const y = coords[2 * i + 1];
					if (x >= minX && x <= maxX && y >= minY && y <= maxY) this.push(ids[i]);
				}
				continue;
			}
			const m = (left + right) >> 1;
			const x = coords[2 * m];
			const y = coords[2 * m + 1];
			if (x >= minX && x <= maxX && y >= minY && y <= maxY) this.push(ids[m]);
			if (sp + 6 > stack.length) {
				const grown = new Uint32Array(stack.length * 2);
				grown.set(stack);
				this.stack = stack = grown;
			}
			if (axis === 0 ? minX <= x : minY <= y) {
				stack[sp++] = left;
				stack[sp++] = m - 1;
				stack[sp++] = 1 - axis;
			}
			if (axis === 0 ? maxX >= x : maxY >= y) {
				stack[sp++] = m + 1;
				stack[sp++] = right;
				stack[sp++] = 1 - axis;
			}
		}
	}
}
