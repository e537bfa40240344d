/**
 * The names written on the map (régions, départements, EPCI, communes) as one GeoJSON point
 * collection built from data the page already has: each commune at its own centre (close to the
 * town hall), each larger territory at the population-weighted centre of its communes, where its
 * name reads best (Lille's side of the Nord). No label file is downloaded.
 */
import { locateWeightedCentres } from '../needs/layer';
import type { TerritoryIndex } from '../territory/artifacts';
import type { CommuneRecord, Level } from '../territory/commune';

/** Properties of one label point. */
export interface PlaceLabelProperties {
	nom: string;
	niveau: Level;
	/** Population municipale (INSEE), persons: larger places win label collisions. */
	population: number;
}

export type PlaceLabelCollection = GeoJSON.FeatureCollection<GeoJSON.Point, PlaceLabelProperties>;

/**
 * Territories with their population-weighted centres already worked out (the estimate layer's
 * points, `locateWeightedCentres`): the first screen labels régions and départements with them,
 * before the commune table is there.
 */
export interface LocatedTerritories {
	points: readonly { code: string; lon: number | null; lat: number | null }[];
}

/**
 * One point per named territory of every level, larger places first: MapLibre places labels in
 * source order, so a larger place keeps its name when two would collide. (A `symbol-sort-key`
 * would say the same per feature, but it splits placement into one part per distinct key, and
 * MapLibre spends at most 2 ms of each frame on placement: with 35,000 communes the map took
 * minutes to settle on a slow device, and never fired `idle` meanwhile.)
 * @param knownCentres levels whose centres are known: used instead of the communes'
 * @example buildPlaceLabels(communes, territories).features.filter((f) => f.properties.niveau === 'region').length // 18
 */
export function buildPlaceLabels(
	communes: readonly CommuneRecord[],
	territories: TerritoryIndex,
	knownCentres: Partial<Record<Exclude<Level, 'commune'>, LocatedTerritories>> = {}
): PlaceLabelCollection {
	const features: PlaceLabelCollection['features'] = [];
	const add = (nom: string, niveau: Level, population: number, lon: number, lat: number) =>
		features.push({
			type: 'Feature',
			geometry: { type: 'Point', coordinates: [lon, lat] },
			properties: { nom, niveau, population }
		});
	const lists = {
		region: territories.regions,
		departement: territories.departements,
		epci: territories.epci
	} as const;
	for (const level of ['region', 'departement', 'epci'] as const) {
		const known = knownCentres[level];
		const centres = known
			? new Map(
					known.points.flatMap((p) =>
						p.lon === null || p.lat === null ? [] : [[p.code, { lon: p.lon, lat: p.lat }] as const]
					)
				)
			: locateWeightedCentres(communes, level);
		for (const entry of lists[level]) {
			const centre = centres.get(entry.code);
			if (centre) add(entry.nom, level, entry.population, centre.lon, centre.lat);
		}
	}
	for (const c of communes)
		if (c.lon !== null && c.lat !== null) add(c.nom, 'commune', c.population, c.lon, c.lat);
	features.sort((a, b) => b.properties.population - a.properties.population);
	return { type: 'FeatureCollection', features };
}
