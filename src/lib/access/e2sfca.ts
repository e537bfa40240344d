/**
 * Need-weighted access to digital mediation: the enhanced two-step floating catchment area method
 * (E2SFCA, Luo & Qi 2009, Health & Place 15(4), 1100–1107), the method behind the DREES
 * "accessibilité potentielle localisée" (APL) of doctors, applied to mediators and to the estimated
 * people éloignés du numérique.
 *
 * Step 1, for each place j: R_j = S_j / Σ_{k : d_kj ≤ d0} W(d_kj) · D_k
 * Step 2, for each commune i: A_i = Σ_{j : d_ij ≤ d0} W(d_ij) · R_j
 * where S_j is the place's supply (équivalents conseiller), D_k the commune's demand (people éloignés),
 * d the straight-line distance between commune centre and place, W the decay bands and d0 the outer
 * limit of the last band. A_i × 10 000 reads "équivalents conseiller pour 10 000 personnes éloignées".
 */
import KDBush from 'kdbush';
import { CircleBoxSearch, haversineTerm, haversineTermOfKm, toRadianCoordinates } from './geodesy';
import {
	catchmentRadiusKm,
	DEFAULT_ACCESS_PARAMETERS,
	type AccessParameters,
	type DecayBand
} from './parameters';
import { assertUsablePoints, type DemandPoint, type SupplyPoint } from './points';

/** Scale of the score: "pour 10 000 personnes éloignées". */
export const ACCESS_SCORE_PER = 10_000;

/** Unit label of the score, as shown in the UI and exports. */
export const ACCESS_SCORE_UNIT = 'équivalents conseiller pour 10 000 personnes éloignées';

export interface AccessibilityResult {
	/** A_i × 10 000 per demand point: équivalents conseiller pour 10 000 personnes éloignées. */
	score: Float64Array;
	/**
	 * R_j per place: équivalents conseiller per person éloigné of its weighted catchment. 0 when its
	 * catchment holds no demand (nobody to serve, so it adds nothing anywhere, and never NaN).
	 */
	ratio: Float64Array;
	/** Σ_k W(d_kj) · D_k per place, persons (0 when nobody lives within d0). */
	catchmentDemand: Float64Array;
	/** (place, commune) pairs within the catchment with W > 0: the work actually done. */
	pairs: number;
}

/** Pairs (place j → commune k, weight) in the order places are visited, as flat typed arrays. */
class PairList {
	commune: Int32Array;
	weight: Float64Array;
	length = 0;

	/** @param capacity expected number of pairs: growing copies the arrays, so guess generously */
	constructor(capacity: number) {
		this.commune = new Int32Array(Math.max(1024, capacity));
		this.weight = new Float64Array(Math.max(1024, capacity));
	}

	push(k: number, w: number): void {
		if (this.length === this.commune.length) {
			const commune = new Int32Array(this.length * 2);
			commune.set(this.commune);
			this.commune = commune;
			const weight = new Float64Array(this.length * 2);
			weight.set(this.weight);
			this.weight = weight;
		}
		this.commune[this.length] = k;
		this.weight[this.length] = w;
		this.length++;
	}
}

/**
 * W(d) read from the haversine term h of d: band b holds h ≤ sin²(maxKm_b / 2R). Both
 * implementations use it, so they put every pair in the same band without taking an arcsine.
 */
class BandLookup {
	private readonly limits: Float64Array;
	private readonly weights: Float64Array;
	/** Haversine term of the catchment radius d0: pairs above it are out of reach. */
	readonly outer: number;

	constructor(bands: readonly DecayBand[]) {
		this.limits = Float64Array.from(bands, (b) => haversineTermOfKm(b.maxKm));
		this.weights = Float64Array.from(bands, (b) => b.weight);
		this.outer = this.limits.length > 0 ? this.limits[this.limits.length - 1] : -1;
	}

	weight(h: number): number {
		for (let b = 0; b < this.limits.length; b++) if (h <= this.limits[b]) return this.weights[b];
		return 0;
	}
}

/**
 * Step 2 from the pairs, shared by both implementations so they differ only in how pairs are found.
 * `placeEnd[j]` is the end offset of place j's pairs.
 */
function sumAccess(
	pairs: PairList,
	placeEnd: Int32Array,
	ratio: Float64Array,
	demandCount: number
): Float64Array {
	const access = new Float64Array(demandCount);
	let p = 0;
	for (let j = 0; j < placeEnd.length; j++) {
		const r = ratio[j];
		for (; p < placeEnd[j]; p++) access[pairs.commune[p]] += pairs.weight[p] * r;
	}
	for (let i = 0; i < demandCount; i++) access[i] *= ACCESS_SCORE_PER;
	return access;
}

function finishRatios(supply: readonly SupplyPoint[], catchmentDemand: Float64Array): Float64Array {
	const ratio = new Float64Array(supply.length);
	for (let j = 0; j < supply.length; j++) {
		ratio[j] = catchmentDemand[j] > 0 ? supply[j].supply / catchmentDemand[j] : 0;
	}
	return ratio;
}

/**
 * E2SFCA score of each commune, équivalents conseiller pour 10 000 personnes éloignées, using a k-d
 * tree (kdbush) on the communes: each place only meets the communes in a box around its catchment
 * circle (≈ 100 for 20 km), never all of them. Each pair's weight is computed once (step 1) and
 * reused for step 2.
 * @param demand commune centres with their estimated people éloignés
 * @param supply mediation places with their supply in équivalents conseiller
 * @param parameters decay bands, already checked by `validateAccessParameters` (sorted, weights in
 *   [0, 1]); the supply rules are applied earlier, by `buildSupplyPoints`
 * @throws RangeError (French message) on invalid coordinates or negative amounts.
 * @example computeAccessibility(demand, supply).score[0] // e.g. 3.2 (pour 10 000 personnes éloignées)
 */
export function computeAccessibility(
	demand: readonly DemandPoint[],
	supply: readonly SupplyPoint[],
	parameters: Pick<AccessParameters, 'bands'> = DEFAULT_ACCESS_PARAMETERS
): AccessibilityResult {
	assertUsablePoints(demand, supply);
	const bands: readonly DecayBand[] = parameters.bands;
	const radius = catchmentRadiusKm(bands);
	const catchmentDemand = new Float64Array(supply.length);
	const placeEnd = new Int32Array(supply.length);
	// ≈ 90 communes within 20 km of a place on average in France: start with room for 128.
	const pairs = new PairList(supply.length * 128);
	if (demand.length > 0 && radius > 0) {
		const index = new KDBush(demand.length, 16);
		for (const d of demand) index.add(d.lon, d.lat);
		index.finish();
		const search = new CircleBoxSearch(index);
		const communes = toRadianCoordinates(demand);
		const places = toRadianCoordinates(supply);
		const lookup = new BandLookup(bands);
		const people = Float64Array.from(demand, (d) => d.demand);
		for (let j = 0; j < supply.length; j++) {
			const s = supply[j];
			const sLat = places.lat[j];
			const sLon = places.lon[j];
			const sCos = places.cosLat[j];
			let total = 0;
			const found = search.search(s.lon, s.lat, radius);
			for (let f = 0; f < found; f++) {
				const k = search.ids[f];
				const h = haversineTerm(
					communes.lat[k],
					communes.lon[k],
					communes.cosLat[k],
					sLat,
					sLon,
					sCos
				);
				const w = lookup.weight(h);
				if (w === 0) continue;
				pairs.push(k, w);
				total += w * people[k];
			}
			catchmentDemand[j] = total;
			placeEnd[j] = pairs.length;
		}
	}
	const ratio = finishRatios(supply, catchmentDemand);
	const score = sumAccess(pairs, placeEnd, ratio, demand.length);
	return { score, ratio, catchmentDemand, pairs: pairs.length };
}

/**
 * The same numbers by comparing every place with every commune, O(n × m). Exported for the tests
 * and the benchmark only (it checks the indexed version and measures what the index saves).
 * Every pair's haversine term is computed.
 */
export function computeAccessibilityNaive(
	demand: readonly DemandPoint[],
	supply: readonly SupplyPoint[],
	parameters: Pick<AccessParameters, 'bands'> = DEFAULT_ACCESS_PARAMETERS
): AccessibilityResult {
	assertUsablePoints(demand, supply);
	const bands = parameters.bands;
	const n = demand.length;
	const communes = toRadianCoordinates(demand);
	const places = toRadianCoordinates(supply);
	const lookup = new BandLookup(bands);
	const catchmentDemand = new Float64Array(supply.length);
	const placeEnd = new Int32Array(supply.length);
	const pairs = new PairList(supply.length * 128);
	for (let j = 0; j < supply.length; j++) {
		const sLat = places.lat[j];
		const sLon = places.lon[j];
		const sCos = places.cosLat[j];
		let total = 0;
		for (let k = 0; k < n; k++) {
			const h = haversineTerm(
				communes.lat[k],
				communes.lon[k],
				communes.cosLat[k],
				sLat,
				sLon,
				sCos
			);
			if (h > lookup.outer) continue;
			const w = lookup.weight(h);
			if (w === 0) continue;
			pairs.push(k, w);
			total += w * demand[k].demand;
		}
		catchmentDemand[j] = total;
		placeEnd[j] = pairs.length;
	}
	const ratio = finishRatios(supply, catchmentDemand);
	const score = sumAccess(pairs, placeEnd, ratio, n);
	return { score, ratio, catchmentDemand, pairs: pairs.length };
}
