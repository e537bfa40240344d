/**
 * MapLibre paint expressions for the choropleth, built from a `ColourScale`. The value of each
 * territory is joined as feature state (`setFeatureState({ source, id: code }, { value })`), so a new
 * indicator or a new classification only changes feature states and one paint property: the geometry
 * is never uploaded again.
 */
import type { ExpressionSpecification } from 'maplibre-gl';
import { NO_DATA_COLOUR, type ColourScale } from '$lib/charts/colour-scale';

/** Feature-state keys used by the choropleth layers. */
export const FEATURE_STATE = {
	/** The indicator value (number), or null when the territory has none. */
	value: 'value',
	hover: 'hover',
	selected: 'selected'
} as const;

/**
 * The `fill-color` of a choropleth layer: the class colour of the feature-state value (a value on a
 * threshold takes the class above, like `classOf`), the no-data grey when the value is missing
 * (everything grey when there is no scale yet).
 * @example buildFillColourExpression({ breaks: [10], colours: ['#eee', '#111'], … })
 * // ['case', ['==', ['typeof', ['feature-state', 'value']], 'number'],
 * //   ['step', ['number', ['feature-state', 'value'], 0], '#eee', 10, '#111'], '#d9d9d9']
 */
export function buildFillColourExpression(scale: ColourScale | null): ExpressionSpecification {
	const value: ExpressionSpecification = ['feature-state', FEATURE_STATE.value];
	// Always a feature-state expression, even with no scale: MapLibre breaks (`expression.evaluate
	// is not a function` in updatePaintArray) when a fill-color switches between a constant and a
	// data-driven value while tiles built with the other kind are still loading.
	if (!scale || scale.colours.length === 0) {
		return ['case', ['==', ['typeof', value], 'number'], NO_DATA_COLOUR, NO_DATA_COLOUR];
	}
	const stops: (string | number)[] = [scale.colours[0]];
	scale.breaks.forEach((threshold, i) => stops.push(threshold, scale.colours[i + 1]));
	const coloured: ExpressionSpecification | string =
		scale.breaks.length === 0
			? scale.colours[0]
			: (['step', ['number', value, 0], ...stops] as unknown as ExpressionSpecification);
	return ['case', ['==', ['typeof', value], 'number'], coloured, NO_DATA_COLOUR];
}

/**
 * A paint value that switches on a boolean feature state (`hover`, `selected`): the `selected`
 * value wins over `hover`, and `otherwise` applies to every other feature.
 */
export function buildStateSwitch<T extends number | string>(
	selected: T,
	hover: T,
	otherwise: T
): ExpressionSpecification {
	return [
		'case',
		['boolean', ['feature-state', FEATURE_STATE.selected], false],
		selected,
		['boolean', ['feature-state', FEATURE_STATE.hover], false],
		hover,
		otherwise
	];
}
