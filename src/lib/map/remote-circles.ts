/**
 * The point GeoJSON of the proportional circles of the estimate: one point per territory at its
 * centre (see `remote-layer.ts` for how centres are chosen), carrying its code and head count.
 */
import type { FeatureCollection, Point } from 'geojson';
import type { RemoteLayerLevel } from '$lib/needs/layer';

/** Fill and outline of the circles (and of the legend's reference circles). */
export const REMOTE_CIRCLE_COLOURS = { fill: '#6a3d9a', stroke: '#ffffff' } as const;

/** Feature property holding the estimated persons (read by the radius expression). */
export const REMOTE_CIRCLE_PROPERTY = 'eloignes';

export interface RemoteCircleProperties {
	code: string;
	eloignes: number;
}

/**
 * One point per territory with a centre and a positive estimate (a circle of radius 0 draws
 * nothing but would still be picked by queries; a territory not estimated gets no circle).
 */
export function buildRemoteCirclePoints(
	layer: RemoteLayerLevel
): FeatureCollection<Point, RemoteCircleProperties> {
	return {
		type: 'FeatureCollection',
		features: layer.points
			.filter((p) => p.lon !== null && p.lat !== null && p.eloignes !== null && p.eloignes > 0)
			.map((p) => ({
				type: 'Feature',
				geometry: { type: 'Point', coordinates: [p.lon!, p.lat!] },
				properties: { code: p.code, eloignes: Math.round(p.eloignes!) }
			}))
	};
}
