/**
 * Exact before/after figures of a set of places, and the what-if evaluation of hand-picked sites.
 * Distances are great-circle km from each demand point to its nearest place (no sparse
 * approximation here, whatever the optimiser used).
 */
import { around } from 'geokdbush';
import type {
	CandidateSite,
	DemandPoint,
	ExistingPlace,
	ScenarioEvaluation,
	SiteContribution,
	SitingFigures
} from './model';
import { distanceKm, indexPoints, nearestDistancesKm } from './nearest';

/**
 * Figures of one set of places from each demand point's distance to its nearest place.
 * @param nearestKm km per demand point, Infinity when there is no place
 * @param places number of places (for display)
 * @param coverageKm coverage distance, km (a point at exactly this distance is covered)
 */
export function summariseAccess(
	demand: readonly DemandPoint[],
	nearestKm: ArrayLike<number>,
	places: number,
	coverageKm: number
): SitingFigures {
	let totalDemand = 0;
	let coveredDemand = 0;
	let personKm = 0;
	let uncoveredPoints = 0;
	let uncoveredDemand = 0;
	let unserved = false;
	for (let i = 0; i < demand.length; i++) {
		const w = demand[i].weight;
		const d = nearestKm[i];
		totalDemand += w;
		if (d <= coverageKm) coveredDemand += w;
		else {
			uncoveredPoints++;
			uncoveredDemand += w;
		}
		if (Number.isFinite(d)) personKm += w * d;
		else unserved = true;
	}
	return {
		places,
		demandPoints: demand.length,
		totalDemand,
		coveredDemand,
		coveredShare: totalDemand > 0 ? coveredDemand / totalDemand : null,
		meanDistanceKm: totalDemand > 0 && !unserved ? personKm / totalDemand : null,
		uncoveredPoints,
		uncoveredDemand
	};
}

/**
 * What-if: the figures before (existing places only) and after adding `sites`, and what each site
 * brings in the given order (a site only gets credit for people not already served by the places
 * and sites before it). To remove an existing place, leave it out of `existing`.
 *
 * A demand point with no place at all before a site gets no distance credit from it (there is no
 * distance to reduce); the "before" mean distance is then null.
 * @param coverageKm coverage distance, km
 * @param existingKm optional precomputed distance of each demand point to its nearest existing place, km
 * @example evaluateScenario(demand, existing, [{ id: 'a', code: '02361', lon: 3.63, lat: 49.90 }], 10)
 */
export function evaluateScenario(
	demand: readonly DemandPoint[],
	existing: readonly ExistingPlace[],
	sites: readonly CandidateSite[],
	coverageKm: number,
	existingKm: Float64Array = nearestDistancesKm(demand, indexPoints(existing))
): ScenarioEvaluation {
	const before = summariseAccess(demand, existingKm, existing.length, coverageKm);
	const gainPeople = new Float64Array(sites.length);
	const gainPersonKm = new Float64Array(sites.length);
	const after = Float64Array.from(existingKm);

	if (sites.length > 0) {
		const index = indexPoints(sites);
		const all = Array.from({ length: sites.length }, (_, t) => t);
		for (let i = 0; i < demand.length; i++) {
			const { lon, lat, weight } = demand[i];
			const base = existingKm[i];
			// Only sites closer than the nearest existing place can change anything for this point.
			const near = Number.isFinite(base)
				? around(index.tree, lon, lat, Infinity, base).sort((a, b) => a - b)
				: all;
			let current = base;
			let covered = base <= coverageKm;
			for (const t of near) {
				const d = distanceKm(lon, lat, index.lon[t], index.lat[t]);
				if (!covered && d <= coverageKm) {
					gainPeople[t] += weight;
					covered = true;
				}
				if (d < current) {
					if (Number.isFinite(current)) gainPersonKm[t] += weight * (current - d);
					current = d;
				}
			}
			after[i] = current;
		}
	}

	const afterFigures = summariseAccess(demand, after, existing.length + sites.length, coverageKm);
	const contributions: SiteContribution[] = sites.map((s, t) => ({
		rank: t + 1,
		id: s.id,
		code: s.code,
		lon: s.lon,
		lat: s.lat,
		gainPeople: gainPeople[t],
		gainPersonKm: gainPersonKm[t],
		gainMeanDistanceKm: before.totalDemand > 0 ? gainPersonKm[t] / before.totalDemand : 0
	}));
	return { coverageKm, before, after: afterFigures, sites: contributions };
}
