/**
 * How imported places are told apart on the map and in the legend: a ring around their type's
 * symbol, in a magenta no other layer uses (legible for the common colour-vision deficiencies
 * against the symbols' blues, greens and oranges).
 */

/** Layer id of the ring (kebab-case like the other MapLibre ids). */
export const IMPORTED_HALO_LAYER_ID = 'mediators-imported-ring';

/** Colour of the ring. */
export const IMPORTED_RING_COLOUR = '#b0127a';
