/** Accessibility (E2SFCA) of a scenario's territory, and the capacity objective's model of it. */
import { computeAccessibility } from '$lib/access/e2sfca';
import { catchmentRadiusKm, decayWeight, DEFAULT_ACCESS_PARAMETERS } from '$lib/access/parameters';
import type { DemandPoint as AccessDemand, SupplyPoint } from '$lib/access/points';
import { equalShareTarget, type CapacityModel } from '../capacity';
import type { CandidateSite } from '../model';
import { collectWithinKm, indexPoints } from '../nearest';
import type { SitingContext } from './dataset';
import { NEW_SITE_SUPPLY } from './parameters';
import type { ResolvedSite, ResolvedTerritory } from './territory';

/** Box around the territory's commune centres widened by `marginKm`, WGS84 degrees. */
function widenedBox(
	lon: Float64Array,
	lat: Float64Array,
	indices: readonly number[],
	marginKm: number
): [number, number, number, number] {
	let west = Infinity;
	let south = Infinity;
	let east = -Infinity;
	let north = -Infinity;
	for (const i of indices) {
		west = Math.min(west, lon[i]);
		east = Math.max(east, lon[i]);
		south = Math.min(south, lat[i]);
		north = Math.max(north, lat[i]);
	}
	const kmPerDegree = (2 * Math.PI * 6371) / 360;
	const dLat = marginKm / kmPerDegree;
	const maxAbsLat = Math.min(89, Math.max(Math.abs(south), Math.abs(north)) + dLat);
	const dLon = marginKm / (kmPerDegree * Math.cos((maxAbsLat * Math.PI) / 180));
	return [west - dLon, south - dLat, east + dLon, north + dLat];
}

const inBox = (box: [number, number, number, number], lon: number, lat: number) =>
	lon >= box[0] && lon <= box[2] && lat >= box[1] && lat <= box[3];

/**
 * E2SFCA scores of the territory's communes with `supplyPlaces` plus the new sites. Exact for the
 * territory with a local computation: a commune's score uses the places within the catchment radius
 * d0 of it, whose ratios use the communes within d0 of them, so places within d0 and communes within
 * 2·d0 of the territory (a box, with 1 km to spare) are all that matter.
 */
export function accessAfter(
	context: SitingContext,
	territory: ResolvedTerritory,
	supplyPlaces: readonly number[],
	sites: readonly ResolvedSite[],
	supplyOverride: ReadonlyMap<number, number> = new Map()
): Float64Array {
	const { communes, places } = context.dataset;
	const radius = catchmentRadiusKm(DEFAULT_ACCESS_PARAMETERS.bands);
	const demandBox = widenedBox(communes.lon, communes.lat, territory.withCentre, 2 * radius + 1);
	const supplyBox = widenedBox(communes.lon, communes.lat, territory.withCentre, radius + 1);
	const demand: AccessDemand[] = [];
	const position = new Int32Array(communes.code.length).fill(-1);
	for (let i = 0; i < communes.code.length; i++) {
		const lon = communes.lon[i];
		const lat = communes.lat[i];
		if (!Number.isFinite(lon) || !Number.isFinite(lat) || !inBox(demandBox, lon, lat)) continue;
		position[i] = demand.length;
		const e = communes.eloignes[i];
		demand.push({ code: communes.code[i], lon, lat, demand: Number.isFinite(e) ? e : 0 });
	}
	const supply: SupplyPoint[] = [];
	for (const j of supplyPlaces) {
		if (!inBox(supplyBox, places.lon[j], places.lat[j])) continue;
		supply.push({
			id: places.id[j],
			type: places.type[j],
			lon: places.lon[j],
			lat: places.lat[j],
			supply: supplyOverride.get(j) ?? places.supply[j]
		});
	}
	for (const s of sites) {
		// A new conseiller: typed as a post, with the supply of one conseiller.
		supply.push({
			id: s.token,
			type: 'conseiller-numerique-poste',
			lon: s.lon,
			lat: s.lat,
			supply: NEW_SITE_SUPPLY
		});
	}
	const { score } = computeAccessibility(demand, supply, DEFAULT_ACCESS_PARAMETERS);
	return Float64Array.from(territory.withCentre, (i) => score[position[i]]);
}

/**
 * The capacity model of a run (see `capacity.ts`): each candidate's accessibility gain aᵢc for the
 * territory's communes, from the E2SFCA catchment of a new conseiller at the candidate (communes of
 * any territory within d0 count in the catchment, as in the ranking), and the accessibility before
 * the proposal (`base`, with the kept places and the hand-added sites).
 */
export function capacityModelOf(
	context: SitingContext,
	territory: ResolvedTerritory,
	weight: Float64Array,
	base: Float64Array,
	candidates: readonly CandidateSite[],
	n: number
): CapacityModel {
	const { communes } = context.dataset;
	const bands = DEFAULT_ACCESS_PARAMETERS.bands;
	const radius = catchmentRadiusKm(bands);
	const box = widenedBox(communes.lon, communes.lat, territory.withCentre, radius + 1);
	const boxCommunes: number[] = [];
	for (let i = 0; i < communes.code.length; i++) {
		if (Number.isFinite(communes.lon[i]) && inBox(box, communes.lon[i], communes.lat[i]))
			boxCommunes.push(i);
	}
	const index = indexPoints(
		boxCommunes.map((i) => ({ lon: communes.lon[i], lat: communes.lat[i] }))
	);
	const territoryPosition = new Int32Array(communes.code.length).fill(-1);
	territory.withCentre.forEach((i, k) => (territoryPosition[i] = k));
	const boxDemand = Float64Array.from(boxCommunes, (i) =>
		Number.isFinite(communes.eloignes[i]) ? communes.eloignes[i] : 0
	);
	const boxTerritory = Int32Array.from(boxCommunes, (i) => territoryPosition[i]);
	const start = new Int32Array(candidates.length + 1);
	// Growable typed buffers: France holds a few million pairs.
	let demandIds = new Int32Array(1 << 16);
	let gains = new Float64Array(1 << 16);
	let length = 0;
	const ids: number[] = [];
	const kms: number[] = [];
	const ws: number[] = [];
	candidates.forEach((c, j) => {
		ids.length = 0;
		kms.length = 0;
		collectWithinKm(index, c.lon, c.lat, radius, ids, kms);
		let catchment = 0;
		ws.length = ids.length;
		for (let t = 0; t < ids.length; t++) {
			ws[t] = decayWeight(kms[t], bands);
			catchment += ws[t] * boxDemand[ids[t]];
		}
		if (catchment > 0) {
			if (length + ids.length > demandIds.length) {
				const size = Math.max(demandIds.length * 2, length + ids.length);
				const nextIds = new Int32Array(size);
				nextIds.set(demandIds);
				demandIds = nextIds;
				const nextGains = new Float64Array(size);
				nextGains.set(gains);
				gains = nextGains;
			}
			const scale = (10_000 * NEW_SITE_SUPPLY) / catchment;
			for (let t = 0; t < ids.length; t++) {
				const k = boxTerritory[ids[t]];
				if (k < 0 || ws[t] <= 0) continue;
				demandIds[length] = k;
				gains[length] = scale * ws[t];
				length++;
			}
		}
		start[j + 1] = length;
	});
	return {
		weight,
		base,
		target: equalShareTarget(weight, base, n),
		candidateStart: start,
		candidateDemand: demandIds.slice(0, length),
		candidateGain: gains.slice(0, length)
	};
}

/** People below the target and the need-weighted shortfall (équivalents conseiller), for `level`. */
export function shortfall(
	model: CapacityModel,
	level: Float64Array
): { people: number; missing: number } {
	let people = 0;
	let missing = 0;
	for (let i = 0; i < level.length; i++) {
		const a = Number.isFinite(level[i]) ? level[i] : 0;
		if (a < model.target && model.weight[i] > 0) {
			people += model.weight[i];
			missing += (model.weight[i] * (model.target - a)) / 10_000;
		}
	}
	return { people, missing };
}

/** Σ score × people éloignés / Σ people éloignés over the territory's communes with a score. */
export function weightedAccess(
	context: SitingContext,
	territory: ResolvedTerritory,
	score: (k: number) => number
): number | null {
	const { communes } = context.dataset;
	let weighted = 0;
	let total = 0;
	territory.withCentre.forEach((i, k) => {
		const s = score(k);
		const w = communes.eloignes[i];
		if (!Number.isFinite(s) || !Number.isFinite(w)) return;
		weighted += s * w;
		total += w;
	});
	return total > 0 ? weighted / total : null;
}
