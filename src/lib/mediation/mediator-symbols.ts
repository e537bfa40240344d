/**
 * One symbol per mediator type, drawn by us (no sprite to download): a shape and a colour-blind-safe
 * colour each, rasterised into RGBA pixels for `map.addImage` and described as SVG for the legend,
 * from the same outlines. Shapes alone tell the types apart; colours help those who see them.
 */
import type { MediatorType } from '../territory/artifacts';
import { MEDIATOR_TYPES } from './mediator-types';

export type SymbolShape = 'circle' | 'square' | 'triangle' | 'diamond' | 'star';

export interface MediatorSymbol {
	shape: SymbolShape;
	/** Fill colour, `#rrggbb`. */
	colour: string;
}

/**
 * Okabe & Ito (2008) "Color Universal Design" palette, distinguishable with the three common
 * colour-vision deficiencies: blue, orange, bluish green, reddish purple, vermillion.
 */
export const MEDIATOR_SYMBOLS: Record<MediatorType, MediatorSymbol> = {
	'france-services': { shape: 'circle', colour: '#0072b2' },
	'conseiller-numerique-lieu': { shape: 'square', colour: '#e69f00' },
	'conseiller-numerique-poste': { shape: 'triangle', colour: '#009e73' },
	'aidants-connect': { shape: 'diamond', colour: '#cc79a7' },
	'autre-lieu-mediation': { shape: 'star', colour: '#d55e00' }
};

/** Outline of every symbol: dark enough to stand out on the lightest and darkest choropleth classes. */
export const SYMBOL_STROKE = '#1f1f1f';

/** Size of a symbol on the map, CSS pixels (a finger-friendly 16 px box). */
export const SYMBOL_SIZE_PX = 16;

/** Outline width relative to the symbol's half-size (1.5 px of 8). */
const STROKE_FRACTION = 0.19;

/** MapLibre image id of a type's symbol. */
export function symbolImageId(type: MediatorType): string {
	return `mediator-symbol-${type}`;
}

/** Regular polygon of `n` vertices on the unit circle scaled by `radius`, first vertex at `start` radians. */
function regularPolygon(n: number, radius: number, start: number): [number, number][] {
	return Array.from({ length: n }, (_, i) => {
		const angle = start + (i * 2 * Math.PI) / n;
		return [radius * Math.cos(angle), radius * Math.sin(angle)] as [number, number];
	});
}

/**
 * The outline of a shape in a box of half-size 1 centred on (0, 0), y pointing down (screen
 * convention). Sizes are balanced by eye: a square filling its box looks larger than a circle.
 */
export function outlineSymbol(
	shape: SymbolShape
): { kind: 'circle'; radius: number } | { kind: 'polygon'; points: [number, number][] } {
	switch (shape) {
		case 'circle':
			return { kind: 'circle', radius: 0.88 };
		case 'square':
			return {
				kind: 'polygon',
				points: [
					[-0.78, -0.78],
					[0.78, -0.78],
					[0.78, 0.78],
					[-0.78, 0.78]
				]
			};
		case 'triangle':
			// Pointing up, centred on its centroid, lowered a little so it sits in the box.
			return {
				kind: 'polygon',
				points: regularPolygon(3, 1.08, -Math.PI / 2).map(([x, y]) => [x, y + 0.14])
			};
		case 'diamond':
			return { kind: 'polygon', points: regularPolygon(4, 1, -Math.PI / 2) };
		case 'star': {
			const outer = regularPolygon(5, 1.02, -Math.PI / 2);
			const inner = regularPolygon(5, 0.46, -Math.PI / 2 + Math.PI / 5);
			return {
				kind: 'polygon',
				points: outer.flatMap((p, i) => [p, inner[i]]).map(([x, y]) => [x, y + 0.06])
			};
		}
	}
}

/** Even–odd rule, so the concave star works too. */
function isInsidePolygon(x: number, y: number, points: readonly [number, number][]): boolean {
	let inside = false;
	for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
		const [xi, yi] = points[i];
		const [xj, yj] = points[j];
		if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
	}
	return inside;
}

/** Whether (x, y) lies inside the outline shrunk by the factor `scale` (about the centre). */
function isInsideShape(
	outline: ReturnType<typeof outlineSymbol>,
	x: number,
	y: number,
	scale: number
): boolean {
	if (outline.kind === 'circle') return x * x + y * y <= (outline.radius * scale) ** 2;
	return isInsidePolygon(x / scale, y / scale, outline.points);
}

function parseHexColour(hex: string): [number, number, number] {
	const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
	if (!match) throw new Error(`Couleur ${hex} invalide (attendu : #rrggbb).`);
	return [parseInt(match[1], 16), parseInt(match[2], 16), parseInt(match[3], 16)];
}

/** RGBA pixels, non-premultiplied, row by row from the top left (what `map.addImage` takes). */
export interface SymbolImage {
	width: number;
	height: number;
	data: Uint8ClampedArray;
}

/** Samples per pixel side for anti-aliasing (4 × 4 = 16 samples). */
const SUPERSAMPLING = 4;

/**
 * Draw a symbol: the shape filled with `colour`, with a dark outline, anti-aliased by
 * supersampling.
 * @param sizePx side of the square image, CSS pixels
 * @param pixelRatio device pixels per CSS pixel (the image is `sizePx × pixelRatio` wide)
 * @example rasteriseSymbol(MEDIATOR_SYMBOLS['france-services'], 16, 2).width // 32
 */
export function rasteriseSymbol(
	symbol: MediatorSymbol,
	sizePx: number = SYMBOL_SIZE_PX,
	pixelRatio = 1
): SymbolImage {
	const side = Math.max(1, Math.round(sizePx * pixelRatio));
	const data = new Uint8ClampedArray(side * side * 4);
	const outline = outlineSymbol(symbol.shape);
	const fill = parseHexColour(symbol.colour);
	const stroke = parseHexColour(SYMBOL_STROKE);
	const innerScale = 1 - STROKE_FRACTION;
	const samples = SUPERSAMPLING * SUPERSAMPLING;
	for (let py = 0; py < side; py++) {
		for (let px = 0; px < side; px++) {
			let fillHits = 0;
			let strokeHits = 0;
			for (let sy = 0; sy < SUPERSAMPLING; sy++) {
				for (let sx = 0; sx < SUPERSAMPLING; sx++) {
					// Sample position in the [-1, 1] box.
					const x = ((px + (sx + 0.5) / SUPERSAMPLING) / side) * 2 - 1;
					const y = ((py + (sy + 0.5) / SUPERSAMPLING) / side) * 2 - 1;
					if (!isInsideShape(outline, x, y, 1)) continue;
					if (isInsideShape(outline, x, y, innerScale)) fillHits++;
					else strokeHits++;
				}
			}
			const covered = fillHits + strokeHits;
			if (covered === 0) continue;
			const offset = (py * side + px) * 4;
			for (let c = 0; c < 3; c++) {
				data[offset + c] = Math.round((fill[c] * fillHits + stroke[c] * strokeHits) / covered);
			}
			data[offset + 3] = Math.round((255 * covered) / samples);
		}
	}
	return { width: side, height: side, data };
}

/** The SVG element of a symbol in a `viewBox="-1 -1 2 2"`, for the legend. */
export function describeSymbolSvg(
	shape: SymbolShape
): { tag: 'circle'; r: number } | { tag: 'polygon'; points: string } {
	const outline = outlineSymbol(shape);
	if (outline.kind === 'circle') return { tag: 'circle', r: outline.radius };
	return {
		tag: 'polygon',
		points: outline.points.map(([x, y]) => `${+x.toFixed(3)},${+y.toFixed(3)}`).join(' ')
	};
}

/** Name of the cluster property counting the points of a type (`clusterProperties`). */
export function clusterCountProperty(type: MediatorType): string {
	return `count_${type.replaceAll('-', '_')}`;
}

/**
 * `clusterProperties` of the clustered source: one sum per type, so a cluster's tooltip can say
 * what it holds without fetching its leaves.
 */
export function buildClusterProperties(): Record<string, [unknown, unknown]> {
	return Object.fromEntries(
		MEDIATOR_TYPES.map((type) => [
			clusterCountProperty(type),
			['+', ['case', ['==', ['get', 'type'], type], 1, 0]]
		])
	);
}

/** Points per type of a cluster, from its properties (types with no point left out). */
export function readClusterBreakdown(
	properties: Record<string, unknown>
): { type: MediatorType; count: number }[] {
	return MEDIATOR_TYPES.map((type) => ({
		type,
		count: Number(properties[clusterCountProperty(type)] ?? 0)
	})).filter((entry) => entry.count > 0);
}

/**
 * Cluster circle radius (CSS px) by number of points: steps rather than a continuous scale, so
 * that sizes read as classes the legend can name. Upper bounds of each class, then the radius.
 */
export const CLUSTER_RADIUS_STEPS: readonly { below: number; radius: number }[] = [
	{ below: 10, radius: 9 },
	{ below: 50, radius: 12 },
	{ below: 200, radius: 16 },
	{ below: 1000, radius: 21 },
	{ below: Infinity, radius: 26 }
];

/**
 * Cluster circles: a light disc with a dark ring reads on every choropleth class (from pale yellow
 * to dark blue) and does not compete with the coloured symbols of the types.
 */
export const CLUSTER_STYLE = {
	fill: '#fafafa',
	fillOpacity: 0.82,
	stroke: '#262626',
	strokeWidth: 1.5
} as const;

/** `circle-radius` expression of the clusters (a `step` on `point_count`, see CLUSTER_RADIUS_STEPS). */
export function buildClusterRadiusExpression(): unknown[] {
	const expression: unknown[] = ['step', ['get', 'point_count'], CLUSTER_RADIUS_STEPS[0].radius];
	for (let i = 1; i < CLUSTER_RADIUS_STEPS.length; i++) {
		expression.push(CLUSTER_RADIUS_STEPS[i - 1].below, CLUSTER_RADIUS_STEPS[i].radius);
	}
	return expression;
}
