import { LAYER_ORDER } from './ids';

/**
 * The id of the layer `layerId` must be inserted before so that the drawing order of `LAYER_ORDER`
 * holds whatever order the layers are added in (undefined: add on top).
 * @param hasLayer whether a layer already exists in the map (`id => map.getLayer(id) !== undefined`).
 */
export function findLayerAbove(
	layerId: string,
	hasLayer: (id: string) => boolean
): string | undefined {
	const index = LAYER_ORDER.indexOf(layerId);
	if (index < 0) return undefined;
	for (let i = index + 1; i < LAYER_ORDER.length; i++)
		if (hasLayer(LAYER_ORDER[i])) return LAYER_ORDER[i];
	return undefined;
}
