/**
 * The report's small static map, computed with d3-geo on the server: SVG path strings of the
 * territory and its sub-territories, positions of the mediation places, and one symbol per place
 * type. Svelte only writes the `<path>` elements. Greys and shapes, not colours, so it prints in
 * black and white.
 */
import { geoPath, geoTransverseMercator, geoBounds, geoCentroid, symbol } from 'd3';
import {
	symbolCircle,
	symbolCross,
	symbolDiamond,
	symbolSquare,
	symbolStar,
	symbolTriangle,
	type SymbolType
} from 'd3';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { MediatorType } from '../../territory/artifacts';

/** One sub-territory to draw. */
export interface MapShapeInput {
	code: string;
	nom: string;
	feature: Feature<Geometry>;
	/** 1 (most in need) … `PRIORITY_SHADES.length`; null: not ranked. */
	priorityClass: number | null;
	/** Drawn with a thick outline (the commune of a commune report). */
	highlight: boolean;
	/** Short label written on the shape (the place in the priority list), or null. */
	label: string | null;
}

export interface MapPlaceInput {
	lon: number;
	lat: number;
	type: MediatorType;
	/** A place the user imported (« données importées »): drawn with a ring around its symbol. */
	imported?: boolean;
}

export interface StaticMapInput {
	/** The area the map is fitted and clipped to (the territory, or the EPCI of a commune). */
	frame: Feature<Geometry>;
	shapes: readonly MapShapeInput[];
	places: readonly MapPlaceInput[];
	/** Sites of a deployment scenario, numbered (drawn as stars). */
	markers?: readonly { lon: number; lat: number; label: string }[];
	/** Pixels. */
	width: number;
	height: number;
	/** Margin inside the frame, pixels. */
	padding?: number;
}

export interface MapShape {
	code: string;
	nom: string;
	/** SVG path, pixels. */
	d: string;
	priorityClass: number | null;
	highlight: boolean;
	label: { text: string; x: number; y: number } | null;
}

export interface StaticMap {
	width: number;
	height: number;
	/** Outline of the frame (also the clip path). */
	frame: string;
	shapes: MapShape[];
	/** Place positions, pixels, rounded to 0.1; places outside the frame's box are left out. */
	places: { x: number; y: number; type: MediatorType; imported: boolean }[];
	/** Scenario sites, pixels (all of them: a site may lie just outside the frame). */
	markers: { x: number; y: number; label: string }[];
	/**
	 * Names of the shapes, placed at their centroid, largest shapes first; a name that would overlap
	 * another name or a priority label is left out (the map is printed small).
	 */
	names: { text: string; x: number; y: number }[];
}

/** Approximate box of a name drawn at 9 px: half-width and half-height, pixels. */
const NAME_CHAR_PX = 5;
const NAME_HALF_HEIGHT_PX = 6;
/** Most names on one map: beyond, the map is a cloud of text. */
const MAX_NAMES = 60;

/** Names that fit without overlap, biggest shapes first (greedy: a simple, stable choice). */
function placeNames(
	candidates: { text: string; x: number; y: number; area: number }[],
	taken: { x: number; y: number; hw: number; hh: number }[],
	width: number,
	height: number
): StaticMap['names'] {
	const placed: StaticMap['names'] = [];
	const boxes = [...taken];
	for (const c of [...candidates].sort((a, b) => b.area - a.area)) {
		if (placed.length >= MAX_NAMES) break;
		const hw = (c.text.length * NAME_CHAR_PX) / 2 + 2;
		const hh = NAME_HALF_HEIGHT_PX;
		if (c.x - hw < 0 || c.x + hw > width || c.y - hh < 0 || c.y + hh > height) continue;
		const overlaps = boxes.some(
			(b) => Math.abs(b.x - c.x) < b.hw + hw && Math.abs(b.y - c.y) < b.hh + hh
		);
		if (overlaps) continue;
		boxes.push({ x: c.x, y: c.y, hw, hh });
		placed.push({ text: c.text, x: c.x, y: c.y });
	}
	return placed;
}

/** Symbol of a scenario's new site (not a place type: a star, drawn larger). */
export function siteMarkerPath(area = 110): string {
	return symbol(symbolStar, area)() ?? '';
}

/**
 * Greys of the priority classes, darkest = most in need; light enough at the dark end for black
 * symbols and white-backed labels to stay readable, and distinct when printed in black and white.
 */
export const PRIORITY_SHADES: readonly string[] = [
	'#6b6b6b',
	'#939393',
	'#b8b8b8',
	'#d9d9d9',
	'#f4f4f4'
];

/** Fill of a shape with no rank. */
export const UNRANKED_FILL = '#ffffff';

/** The fill of a priority class. */
export function priorityFill(priorityClass: number | null): string {
	if (priorityClass === null) return UNRANKED_FILL;
	const i = Math.min(PRIORITY_SHADES.length, Math.max(1, Math.round(priorityClass))) - 1;
	return PRIORITY_SHADES[i];
}

/** One d3 symbol per place type, so the legend and the map agree without colour. */
export const PLACE_SYMBOLS: Readonly<Record<MediatorType, SymbolType>> = {
	'france-services': symbolSquare,
	'conseiller-numerique-poste': symbolTriangle,
	'conseiller-numerique-lieu': symbolCircle,
	'aidants-connect': symbolDiamond,
	'autre-lieu-mediation': symbolCross
};

/** Types drawn filled (black); the others are drawn hollow (white with a black outline). */
export const FILLED_PLACE_TYPES: ReadonlySet<MediatorType> = new Set([
	'france-services',
	'conseiller-numerique-poste'
]);

/**
 * SVG path of a place type's symbol centred on (0, 0).
 * @param area symbol area, px²
 * @example placeSymbolPath('france-services', 36) // 'M-3,-3h6v6h-6Z'
 */
export function placeSymbolPath(type: MediatorType, area = 36): string {
	return symbol(PLACE_SYMBOLS[type], area)() ?? '';
}

/**
 * Area of the place symbols, px²: smaller as places get denser, so a région's 2,000 places do not
 * hide its départements (36 px² ≈ a 6 px square).
 */
export function placeSymbolArea(count: number): number {
	return count <= 150 ? 36 : count <= 600 ? 24 : 14;
}

const round1 = (v: number) => Math.round(v * 10) / 10;

/**
 * Fit a transverse Mercator centred on the frame (true shapes at the scale of a région, overseas
 * included) and draw the frame, the shapes and the places.
 */
export function drawStaticMap(input: StaticMapInput): StaticMap {
	const { frame, width, height } = input;
	const padding = input.padding ?? 8;
	const [lon, lat] = geoCentroid(frame);
	const projection = geoTransverseMercator()
		.rotate([-lon, -lat])
		.fitExtent(
			[
				[padding, padding],
				[width - padding, height - padding]
			],
			frame
		);
	const path = geoPath(projection).digits(1);
	const [[west, south], [east, north]] = geoBounds(frame);
	const shapes: MapShape[] = input.shapes.map((s) => {
		let label: MapShape['label'] = null;
		if (s.label !== null) {
			const [x, y] = path.centroid(s.feature);
			if (Number.isFinite(x) && Number.isFinite(y))
				label = { text: s.label, x: round1(x), y: round1(y) };
		}
		return {
			code: s.code,
			nom: s.nom,
			d: path(s.feature) ?? '',
			priorityClass: s.priorityClass,
			highlight: s.highlight,
			label
		};
	});
	const places: StaticMap['places'] = [];
	for (const p of input.places) {
		if (p.lon < west || p.lon > east || p.lat < south || p.lat > north) continue;
		const xy = projection([p.lon, p.lat]);
		if (!xy) continue;
		places.push({
			x: round1(xy[0]),
			y: round1(xy[1]),
			type: p.type,
			imported: p.imported === true
		});
	}
	const markers: StaticMap['markers'] = [];
	for (const m of input.markers ?? []) {
		const xy = projection([m.lon, m.lat]);
		if (xy && Number.isFinite(xy[0]) && Number.isFinite(xy[1])) {
			markers.push({ x: round1(xy[0]), y: round1(xy[1]), label: m.label });
		}
	}
	const candidates = input.shapes.flatMap((s) => {
		const [x, y] = path.centroid(s.feature);
		return Number.isFinite(x) && Number.isFinite(y)
			? [{ text: s.nom, x: round1(x), y: round1(y) + 12, area: path.area(s.feature) }]
			: [];
	});
	// Priority numbers (r = 8.5) and site stars keep their place: names go around them.
	const taken = [
		...shapes.flatMap((s) => (s.label ? [{ x: s.label.x, y: s.label.y, hw: 9, hh: 9 }] : [])),
		...markers.map((m) => ({ x: m.x, y: m.y, hw: 9, hh: 9 }))
	];
	const names = placeNames(candidates, taken, width, height);
	return { width, height, frame: path(frame) ?? '', shapes, places, markers, names };
}

/** A FeatureCollection's features as one feature (for framing several shapes). */
export function mergeForFrame(collection: FeatureCollection<Geometry>): Feature<Geometry> {
	return {
		type: 'Feature',
		properties: {},
		geometry: {
			type: 'GeometryCollection',
			geometries: collection.features.map((f) => f.geometry)
		}
	};
}
