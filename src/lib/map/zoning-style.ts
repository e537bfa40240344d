/**
 * How the FRR 2025 classes are drawn: one hatch per class (colour, direction, spacing), so that the
 * classes differ by pattern as well as by colour (readable with colour-vision deficiency and in
 * grey). Shared by the map layer and the legend.
 */

export interface FrrHatch {
	/** Key of the class in `FRR_CLASSES` (thematic-catalog.ts). */
	key: string;
	/** Image id given to `map.addImage`. */
	image: string;
	/** Line colour, CSS and RGB. Okabe & Ito (2008) colours, distinct for colour-blind readers. */
	colour: string;
	rgb: [number, number, number];
	/** 1: lines rising to the right; −1: falling. */
	direction: 1 | -1;
	/** Tile side and line width, pixels. */
	size: number;
	width: number;
}

export const FRR_HATCHES: readonly FrrHatch[] = [
	{
		key: 'socle',
		image: 'hatch-frr-socle',
		colour: '#009e73',
		rgb: [0, 158, 115],
		direction: 1,
		size: 8,
		width: 2
	},
	{
		key: 'plus',
		image: 'hatch-frr-plus',
		colour: '#cc79a7',
		rgb: [204, 121, 167],
		direction: -1,
		size: 6,
		width: 2
	},
	{
		key: 'transition',
		image: 'hatch-frr-transition',
		colour: '#e69f00',
		rgb: [230, 159, 0],
		direction: 1,
		size: 10,
		width: 2
	},
	{
		key: 'autre',
		image: 'hatch-frr-autre',
		colour: '#5a5a5a',
		rgb: [90, 90, 90],
		direction: -1,
		size: 10,
		width: 1
	}
];

/** CSS background drawing the same hatch in a legend swatch. */
export function hatchSwatchStyle(hatch: FrrHatch): string {
	const angle = hatch.direction === 1 ? '-45deg' : '45deg';
	const gap = Math.max(1, hatch.size - hatch.width);
	return `repeating-linear-gradient(${angle}, ${hatch.colour} 0 ${hatch.width}px, transparent ${hatch.width}px ${hatch.width + gap}px)`;
}
