/**
 * The two inputs of the accessibility measures, decoupled from the app's records so the same code runs
 * on the national table, on a test fixture or on a user's "what if" places.
 */
import type { Feature, Point } from 'geojson';
import type { CommuneRecord } from '../territory/commune';
import type { MediatorProperties, MediatorType } from '../territory/artifacts';
import { DEFAULT_SUPPLY_RULES, supplyOfPlace, type SupplyRule } from './parameters';

/**
 * Where the need is: one commune. The point is the commune "centre" published by geo.api.gouv.fr
 * (close to the town hall), **not** a population-weighted centre: in a large commune with scattered
 * hamlets, distances are measured from the town hall.
 */
export interface DemandPoint {
	/** INSEE commune code. */
	code: string;
	/** WGS84 degrees. */
	lon: number;
	lat: number;
	/** Estimated people éloignés du numérique, persons (≥ 0). */
	demand: number;
}

/** Where the help is: one mediation place. */
export interface SupplyPoint {
	id: string;
	type: MediatorType;
	/** WGS84 degrees. */
	lon: number;
	lat: number;
	/** Équivalents conseiller this place stands for (≥ 0), see `DEFAULT_SUPPLY_RULES`. */
	supply: number;
}

/**
 * Demand points from the commune table. Communes without a centre cannot be placed and are returned
 * in `withoutCentre`; a commune whose estimate is unknown (`demandOf` gives null) is kept with a
 * demand of 0 and listed in `unknownDemand`, so it still gets a distance to the nearest place.
 * @param demandOf estimated people éloignés of a commune, persons
 */
export function buildDemandPoints(
	communes: readonly CommuneRecord[],
	demandOf: (commune: CommuneRecord) => number | null
): { points: DemandPoint[]; withoutCentre: string[]; unknownDemand: string[] } {
	const points: DemandPoint[] = [];
	const withoutCentre: string[] = [];
	const unknownDemand: string[] = [];
	for (const c of communes) {
		if (c.lon === null || c.lat === null) {
			withoutCentre.push(c.code);
			continue;
		}
		const demand = demandOf(c);
		if (demand === null || !Number.isFinite(demand)) unknownDemand.push(c.code);
		points.push({ code: c.code, lon: c.lon, lat: c.lat, demand: demand ?? 0 });
	}
	return { points, withoutCentre, unknownDemand };
}

/**
 * Supply points from the mediator GeoJSON features (`static/data/mediateurs.geojson`), each with
 * its supply under `rules`. Points placed at their commune's centre (`located: 'commune'`) are kept:
 * at the scale of a 20 km catchment the commune centre is a fair location.
 */
export function buildSupplyPoints(
	features: readonly Feature<Point, MediatorProperties>[],
	rules: Readonly<Record<MediatorType, SupplyRule>> = DEFAULT_SUPPLY_RULES
): SupplyPoint[] {
	return features.map((f) => ({
		id: f.properties.id,
		type: f.properties.type,
		lon: f.geometry.coordinates[0],
		lat: f.geometry.coordinates[1],
		supply: supplyOfPlace(f.properties.type, f.properties.effectif, rules)
	}));
}

/** Throw a French error when a point has coordinates or amounts the measures cannot use. */
export function assertUsablePoints(
	demand: readonly DemandPoint[],
	supply: readonly SupplyPoint[]
): void {
	for (const d of demand) {
		if (!Number.isFinite(d.lon) || !Number.isFinite(d.lat) || Math.abs(d.lat) > 90) {
			throw new RangeError(`Commune ${d.code} : coordonnées invalides (${d.lon}, ${d.lat}).`);
		}
		if (!Number.isFinite(d.demand) || d.demand < 0) {
			throw new RangeError(
				`Commune ${d.code} : demande invalide (${d.demand}), un nombre ≥ 0 est attendu.`
			);
		}
	}
	for (const s of supply) {
		if (!Number.isFinite(s.lon) || !Number.isFinite(s.lat) || Math.abs(s.lat) > 90) {
			throw new RangeError(`Lieu ${s.id} : coordonnées invalides (${s.lon}, ${s.lat}).`);
		}
		if (!Number.isFinite(s.supply) || s.supply < 0) {
			throw new RangeError(
				`Lieu ${s.id} : offre invalide (${s.supply}), un nombre ≥ 0 est attendu.`
			);
		}
	}
}
