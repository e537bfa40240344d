/**
 * Turn the per-level TopoJSON artifacts (`static/data/geo/*.topo.json`, one object named after the
 * level) into the GeoJSON a MapLibre source takes.
 */
import type { FeatureCollection, Geometry } from 'geojson';
import { feature } from 'topojson-client';
import type { Topology } from 'topojson-specification';
import { LEVEL_LABELS, type Level } from '$lib/territory/commune';

/** Properties every territory feature carries (parents vary by level). */
export interface TerritoryFeatureProperties {
	code: string;
	nom: string;
	[key: string]: unknown;
}

export type TerritoryCollection = FeatureCollection<Geometry, TerritoryFeatureProperties>;

/**
 * The features of the TopoJSON object named `level`.
 * @throws Error with a French message when the payload is not a topology with that object, or a
 *   feature has no `code`.
 */
export function convertTopologyToFeatures(payload: unknown, level: Level): TerritoryCollection {
	const topology = payload as Partial<Topology> | null;
	const object = topology?.type === 'Topology' ? topology.objects?.[level] : undefined;
	if (!object) {
		throw new Error(
			`Géométrie « ${LEVEL_LABELS[level]} » illisible : objet TopoJSON « ${level} » absent.`
		);
	}
	if (object.type !== 'GeometryCollection') {
		throw new Error(
			`Géométrie « ${LEVEL_LABELS[level]} » illisible : l’objet « ${level} » n’est pas une collection.`
		);
	}
	const collection = feature(topology as Topology, object) as FeatureCollection<
		Geometry,
		Partial<TerritoryFeatureProperties> | null
	>;
	const features = collection.features;
	features.forEach((f, i) => {
		if (typeof f.properties?.code !== 'string') {
			throw new Error(
				`Géométrie « ${LEVEL_LABELS[level]} » illisible : l’entité ${i + 1} n’a pas de propriété « code ».`
			);
		}
	});
	return { type: 'FeatureCollection', features: features as TerritoryCollection['features'] };
}
