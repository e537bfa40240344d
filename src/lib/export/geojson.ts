/**
 * GeoJSON export of a ranked table: a FeatureCollection (RFC 7946) of the ranked territories, the
 * flat columns of the CSV as properties, and the request's `parametres` and `metadonnees` as
 * top-level foreign members (RFC 7946 §6.1), which QGIS ignores and scripts can read.
 * Geometry: the commune centre point for communes (lon/lat of the commune table, near the town
 * hall), the IGN polygons of `static/data/geo/*.topo.json` for EPCI, départements and régions.
 */
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import { convertTopologyToFeatures } from '../territory/geometry';
import type { Level } from '../territory/commune';
import type { RankedRow } from '../ranking/ranked-table';
import {
	EXPORT_CHUNK_ROWS,
	flattenRankedRow,
	rankingMetadata,
	rankingParameters,
	rowsBetween,
	type RankingExport
} from './ranking-export';

/** Decimals kept in exported coordinates: 1e-5° ≈ 1 m, below the topologies' grid (≈ 100 m for EPCI). */
export const COORDINATE_DIGITS = 5;

function roundPosition(p: Position, factor: number): Position {
	return [Math.round(p[0] * factor) / factor, Math.round(p[1] * factor) / factor];
}

/** A geometry with every coordinate rounded to `digits` decimals (degrees). */
export function roundGeometry(geometry: Geometry, digits = COORDINATE_DIGITS): Geometry {
	const f = 10 ** digits;
	switch (geometry.type) {
		case 'Point':
			return { type: 'Point', coordinates: roundPosition(geometry.coordinates, f) };
		case 'MultiPoint':
		case 'LineString':
			return {
				type: geometry.type,
				coordinates: geometry.coordinates.map((p) => roundPosition(p, f))
			} as Geometry;
		case 'MultiLineString':
		case 'Polygon':
			return {
				type: geometry.type,
				coordinates: geometry.coordinates.map((ring) => ring.map((p) => roundPosition(p, f)))
			} as Geometry;
		case 'MultiPolygon':
			return {
				type: 'MultiPolygon',
				coordinates: geometry.coordinates.map((poly) =>
					poly.map((ring) => ring.map((p) => roundPosition(p, f)))
				)
			};
		case 'GeometryCollection':
			return {
				type: 'GeometryCollection',
				geometries: geometry.geometries.map((g) => roundGeometry(g, digits))
			};
	}
}

/**
 * The polygons of a level's TopoJSON artifact by territory code, coordinates rounded
 * (`COORDINATE_DIGITS`). Decoding the EPCI topology takes ~100 ms: callers keep the result.
 * @throws Error (French) when the payload is not the level's topology.
 */
export function decodeTerritoryGeometries(topology: unknown, level: Level): Map<string, Geometry> {
	const geometries = new Map<string, Geometry>();
	for (const f of convertTopologyToFeatures(topology, level).features) {
		if (f.geometry) geometries.set(f.properties.code, roundGeometry(f.geometry));
	}
	return geometries;
}

/** A commune centre as a GeoJSON point, or null when the commune has no centre. */
export function centrePoint(lon: number | null, lat: number | null): Geometry | null {
	if (lon === null || lat === null || !Number.isFinite(lon) || !Number.isFinite(lat)) return null;
	return roundGeometry({ type: 'Point', coordinates: [lon, lat] });
}

export type RankingFeatureCollection = FeatureCollection<Geometry | null> & {
	parametres: ReturnType<typeof rankingParameters>;
	metadonnees: ReturnType<typeof rankingMetadata>;
};

/** The feature of a ranked row: id = code, the flat export columns as properties. */
export function toRankingFeature(
	row: RankedRow,
	geometryOf: (code: string) => Geometry | null
): Feature<Geometry | null> {
	return {
		type: 'Feature',
		id: row.territory.code,
		geometry: geometryOf(row.territory.code),
		properties: flattenRankedRow(row)
	};
}

/**
 * The GeoJSON export as an object. A territory whose geometry is unknown (the few communes
 * without a centre) keeps its feature with `geometry: null`, as RFC 7946 allows, so the row count
 * matches the CSV.
 * @param geometryOf geometry of a territory by code (already rounded), or null
 */
export function buildRankingGeoJson(
	data: RankingExport,
	geometryOf: (code: string) => Geometry | null
): RankingFeatureCollection {
	return {
		type: 'FeatureCollection',
		parametres: rankingParameters(data.query, data.table),
		metadonnees: rankingMetadata(data),
		features: rowsBetween(data, 0, data.positions.length).map((r) =>
			toRankingFeature(r, geometryOf)
		)
	};
}

/**
 * The GeoJSON export as text, in pieces of `rowsPerChunk` features (their concatenation is
 * `JSON.stringify(buildRankingGeoJson(…))`), for streaming.
 */
export function* rankingGeoJsonChunks(
	data: RankingExport,
	geometryOf: (code: string) => Geometry | null,
	rowsPerChunk = EXPORT_CHUNK_ROWS
): Generator<string> {
	const head = JSON.stringify({
		type: 'FeatureCollection',
		parametres: rankingParameters(data.query, data.table),
		metadonnees: rankingMetadata(data)
	});
	yield `${head.slice(0, -1)},"features":[`;
	for (let from = 0; from < data.positions.length; from += rowsPerChunk) {
		const features = rowsBetween(data, from, from + rowsPerChunk).map((r) =>
			JSON.stringify(toRankingFeature(r, geometryOf))
		);
		yield (from > 0 ? ',' : '') + features.join(',');
	}
	yield ']}';
}
