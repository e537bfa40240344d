/**
 * Turn the per-level TopoJSON artifacts (`static/data/geo/*.topo.json`, one object named after the
 * level) into the GeoJSON a MapLibre source takes.
 */
import type { FeatureCollection, Geometry } from 'geojson';
import { feature, neighbors } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
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
	return readTerritoryTopology(payload, level).collection;
}

/** Codes of the territories sharing a border with each territory, by code (sorted by code). */
export type TerritoryNeighbours = ReadonlyMap<string, readonly string[]>;

/**
 * The features of the TopoJSON object named `level`, and who borders whom: two territories are
 * neighbours when they share an arc (a stretch of border; touching at a single point does not
 * count), which the topology states without any geometric computation. The borders are worked out
 * on the first call of `neighbours()` (about 0.3 s for the 35 000 communes, kept out of the
 * map's loading), from the geometries' arc numbers only: the coordinates are not kept.
 * @throws Error with a French message, as `convertTopologyToFeatures`.
 */
export function readTerritoryTopology(
	payload: unknown,
	level: Level
): { collection: TerritoryCollection; neighbours: () => TerritoryNeighbours } {
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
	const geometries = (object as GeometryCollection).geometries.map((g) => ({
		type: g.type,
		arcs: 'arcs' in g ? g.arcs : []
	})) as GeometryCollection['geometries'];
	const codes = features.map((f) => f.properties!.code as string);
	let computed: Map<string, string[]> | null = null;
	const neighbours = () => {
		if (!computed) {
			computed = new Map();
			neighbors(geometries).forEach((indices, i) => {
				computed!.set(codes[i], indices.map((j) => codes[j]).sort());
			});
		}
		return computed;
	};
	return {
		collection: {
			type: 'FeatureCollection',
			features: features as TerritoryCollection['features']
		},
		neighbours
	};
}
