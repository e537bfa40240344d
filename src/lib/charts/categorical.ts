/**
 * Colour-blind-safe palettes for categorical layers (classes without an order of magnitude: density
 * grid levels, rurality profiles) and the legend lines that go with them. Pure: the map turns the
 * colours into a `match` expression, the legend draws the same list.
 */

/**
 * Qualitative palettes designed for colour-vision deficiency.
 * - `okabe-ito`: Okabe & Ito (2008), "Color Universal Design", 7 colours (black left out: a black
 *   fill hides the borders).
 * - `tol-muted`: Paul Tol, "Colour schemes and templates" (2021), muted scheme, 9 colours.
 */
export type CategoricalPaletteId = 'okabe-ito' | 'tol-muted';

const PALETTES: Record<CategoricalPaletteId, readonly string[]> = {
	'okabe-ito': ['#0072b2', '#56b4e9', '#009e73', '#f0e442', '#e69f00', '#d55e00', '#cc79a7'],
	'tol-muted': [
		'#332288',
		'#88ccee',
		'#44aa99',
		'#117733',
		'#999933',
		'#ddcc77',
		'#cc6677',
		'#882255',
		'#aa4499'
	]
};

/** Colour of territories without a class: light grey, lighter than any palette colour. */
export const NO_CATEGORY_COLOUR = '#e3e3e3';

/** Number of colours a palette holds (its largest number of classes). */
export function countPaletteColours(palette: CategoricalPaletteId): number {
	return PALETTES[palette].length;
}

/**
 * The first `count` colours of a palette, as `#rrggbb`.
 * @throws RangeError when the palette has fewer colours than classes (reusing a colour would make
 *   two classes look the same).
 * @example categoricalColours('okabe-ito', 2) // ['#0072b2', '#56b4e9']
 */
export function categoricalColours(palette: CategoricalPaletteId, count: number): string[] {
	const colours = PALETTES[palette];
	if (!Number.isInteger(count) || count < 0 || count > colours.length) {
		throw new RangeError(
			`La palette « ${palette} » a ${colours.length} couleurs : impossible d’en donner ${count}.`
		);
	}
	return colours.slice(0, count);
}

/** One line of a categorical legend. */
export interface CategoryLegendItem {
	/** Class index (the value joined to the map), or null for the "no class" line. */
	index: number | null;
	label: string;
	colour: string;
	/** Territories of the shown level in the class. */
	count: number;
}

/**
 * Legend lines of a categorical layer: one per class that occurs (with its territory count), then
 * the "no class" line when some territory has none.
 * @param values class index by territory (null: no class)
 */
export function describeCategories(
	labels: readonly string[],
	palette: CategoricalPaletteId,
	values: Iterable<number | null>,
	missingLabel: string
): CategoryLegendItem[] {
	const colours = categoricalColours(palette, labels.length);
	const counts = new Array<number>(labels.length).fill(0);
	let missing = 0;
	for (const v of values) {
		if (v === null || v < 0 || v >= labels.length) missing++;
		else counts[v]++;
	}
	const items: CategoryLegendItem[] = labels
		.map((label, index) => ({ index, label, colour: colours[index], count: counts[index] }))
		.filter((item) => item.count > 0);
	if (missing > 0)
		items.push({ index: null, label: missingLabel, colour: NO_CATEGORY_COLOUR, count: missing });
	return items;
}
