/**
 * Distance from each commune to the nearest mediation place, overall and by type, through one k-d
 * tree per type (kdbush + geokdbush), so a commune is never compared with every place.
 */
import KDBush from 'kdbush';
import { around } from 'geokdbush';
import type { MediatorType } from '../territory/artifacts';
import {
	CircleBoxSearch,
	haversineKmRadians,
	toRadianCoordinates,
	type RadianCoordinates
} from './geodesy';
import { MEDIATOR_TYPES } from './parameters';
import { assertUsablePoints, type DemandPoint, type SupplyPoint } from './points';

/**
 * Distance to the nearest place when there is no place at all (of any type, or of one type), km:
 * Infinity, in every module that computes one (here and `siting/nearest.ts`). Infinity, not NaN,
 * because it is what a missing place means for a distance: nothing is within any radius
 * (`d <= r` is false), any real place is nearer (`d < Infinity`), and a minimum over places starts
 * from it. Readers that show a distance turn it into null (`Number.isFinite`), as JSON does.
 */
export const NO_PLACE_KM = Infinity;

export interface NearestPlaces {
	/** Straight-line distance to the nearest place of any type, km, per demand point; `NO_PLACE_KM` when there is no place. */
	overallKm: Float64Array;
	/** Index in the supply list of that place, −1 when none. */
	nearestIndex: Int32Array;
	/** Distance to the nearest place of each type, km; `NO_PLACE_KM` when there is no place of that type. */
	byTypeKm: Record<MediatorType, Float64Array>;
}

/** Search radii tried with a plain box query before the best-first search, km. */
const BOX_RADII_KM = [10, 20, 40];

/**
 * Nearest of the places `ids` (indices in `supply`) to each demand point. A box around a circle of
 * radius r holds every place within r, so when the best candidate in it is within r it is the nearest
 * of all: that settles most communes with one cheap query. The others (a type absent from a whole
 * region, an overseas commune) use geokdbush's best-first `around`, which does not scan the boxes
 * between.
 */
function fillNearest(
	demand: readonly DemandPoint[],
	communes: RadianCoordinates,
	supply: readonly SupplyPoint[],
	places: RadianCoordinates,
	ids: readonly number[],
	distances: Float64Array,
	nearest: Int32Array
): void {
	if (ids.length === 0) {
		distances.fill(NO_PLACE_KM);
		nearest.fill(-1);
		return;
	}
	const index = new KDBush(ids.length, 16);
	for (const j of ids) index.add(supply[j].lon, supply[j].lat);
	index.finish();
	const search = new CircleBoxSearch(index);
	for (let i = 0; i < demand.length; i++) {
		const lat = communes.lat[i];
		const lon = communes.lon[i];
		const cos = communes.cosLat[i];
		let best = Infinity;
		let bestPlace = -1;
		const consider = (j: number) => {
			const km = haversineKmRadians(lat, lon, cos, places.lat[j], places.lon[j], places.cosLat[j]);
			// Ties go to the lower place index, as in the naive loop.
			if (km < best || (km === best && j < bestPlace)) {
				best = km;
				bestPlace = j;
			}
		};
		for (const radius of BOX_RADII_KM) {
			const found = search.search(demand[i].lon, demand[i].lat, radius);
			for (let f = 0; f < found; f++) consider(ids[search.ids[f]]);
			if (best <= radius) break;
		}
		if (bestPlace < 0 || best > BOX_RADII_KM[BOX_RADII_KM.length - 1]) {
			consider(ids[around(index, demand[i].lon, demand[i].lat, 1)[0]]);
		}
		distances[i] = best;
		nearest[i] = bestPlace;
	}
}

/**
 * Straight-line distance (km) from each commune centre to its nearest mediation place, overall and for
 * each mediator type, with one spatial index per type: about O(n log m), never all pairs. The overall
 * nearest is the nearest of the per-type nearest places. A place with a supply of 0 still counts: it
 * is somewhere a person can go.
 * @throws RangeError (French message) on invalid coordinates.
 */
export function findNearestPlaces(
	demand: readonly DemandPoint[],
	supply: readonly SupplyPoint[]
): NearestPlaces {
	assertUsablePoints(demand, supply);
	const n = demand.length;
	const communes = toRadianCoordinates(demand);
	const places = toRadianCoordinates(supply);
	const overallKm = new Float64Array(n).fill(NO_PLACE_KM);
	const nearestIndex = new Int32Array(n).fill(-1);
	const byTypeKm = {} as Record<MediatorType, Float64Array>;
	const typeNearest = new Int32Array(n);
	for (const type of MEDIATOR_TYPES) {
		const ids: number[] = [];
		supply.forEach((s, j) => {
			if (s.type === type) ids.push(j);
		});
		const km = new Float64Array(n);
		fillNearest(demand, communes, supply, places, ids, km, typeNearest);
		byTypeKm[type] = km;
		for (let i = 0; i < n; i++) {
			const j = typeNearest[i];
			if (j < 0) continue;
			if (!(km[i] >= overallKm[i]) || (km[i] === overallKm[i] && j < nearestIndex[i])) {
				overallKm[i] = km[i];
				nearestIndex[i] = j;
			}
		}
	}
	return { overallKm, nearestIndex, byTypeKm };
}

/**
 * Reference implementation comparing every commune with every place, O(n × m). For tests and the
 * benchmark only. It compares haversine terms (monotone in distance) and takes the arcsine once per
 * winner, so its distances are bit-identical to `findNearestPlaces`.
 */
export function findNearestPlacesNaive(
	demand: readonly DemandPoint[],
	supply: readonly SupplyPoint[]
): NearestPlaces {
	assertUsablePoints(demand, supply);
	const n = demand.length;
	const communes = toRadianCoordinates(demand);
	const places = toRadianCoordinates(supply);
	const typeOf = new Uint8Array(supply.length);
	supply.forEach((s, j) => (typeOf[j] = MEDIATOR_TYPES.indexOf(s.type as never)));
	const typeCount = MEDIATOR_TYPES.length;
	const bestH = new Float64Array(typeCount);
	const bestPlace = new Int32Array(typeCount);
	const overallKm = new Float64Array(n).fill(NO_PLACE_KM);
	const nearestIndex = new Int32Array(n).fill(-1);
	const byTypeKm = {} as Record<MediatorType, Float64Array>;
	for (const type of MEDIATOR_TYPES) byTypeKm[type] = new Float64Array(n).fill(NO_PLACE_KM);
	for (let i = 0; i < n; i++) {
		const lat = communes.lat[i];
		const lon = communes.lon[i];
		const cos = communes.cosLat[i];
		bestH.fill(Infinity);
		bestPlace.fill(-1);
		for (let j = 0; j < supply.length; j++) {
			const a = Math.sin((places.lat[j] - lat) / 2);
			const b = Math.sin((places.lon[j] - lon) / 2);
			const h = a * a + cos * places.cosLat[j] * b * b;
			const t = typeOf[j];
			if (h < bestH[t]) {
				bestH[t] = h;
				bestPlace[t] = j;
			}
		}
		for (let t = 0; t < typeCount; t++) {
			const j = bestPlace[t];
			if (j < 0) continue;
			const km = haversineKmRadians(lat, lon, cos, places.lat[j], places.lon[j], places.cosLat[j]);
			byTypeKm[MEDIATOR_TYPES[t]][i] = km;
			if (!(km >= overallKm[i]) || (km === overallKm[i] && j < nearestIndex[i])) {
				overallKm[i] = km;
				nearestIndex[i] = j;
			}
		}
	}
	return { overallKm, nearestIndex, byTypeKm };
}
