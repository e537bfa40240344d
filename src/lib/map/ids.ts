/**
 * MapLibre source and layer ids, in one place so that components, tests and `queryRenderedFeatures`
 * calls agree. Kebab-case, English.
 */
import type { Level } from '$lib/territory/commune';

/** One GeoJSON source per level, features keyed by their `code` (`promoteId`). */
export const TERRITORY_SOURCE_ID = {
	region: 'territories-region',
	departement: 'territories-departement',
	epci: 'territories-epci',
	commune: 'territories-commune'
} as const satisfies Record<Level, string>;

/** The choropleth fill of each level. */
export const CHOROPLETH_LAYER_ID = {
	region: 'choropleth-region',
	departement: 'choropleth-departement',
	epci: 'choropleth-epci',
	commune: 'choropleth-commune'
} as const satisfies Record<Level, string>;

/** Thin outlines between the territories of the shown level. */
export const OUTLINE_LAYER_ID = {
	region: 'outline-region',
	departement: 'outline-departement',
	epci: 'outline-epci',
	commune: 'outline-commune'
} as const satisfies Record<Level, string>;

/** Hovered and selected territory outline (feature state `hover` / `selected`). */
export const HIGHLIGHT_LAYER_ID = {
	region: 'highlight-region',
	departement: 'highlight-departement',
	epci: 'highlight-epci',
	commune: 'highlight-commune'
} as const satisfies Record<Level, string>;

/** Basemap drawn from our own geometry: sea, land, and reference borders above the choropleth. */
export const BASEMAP_LAYER_ID = {
	background: 'basemap-background',
	land: 'basemap-land',
	departementBorders: 'basemap-departement-borders',
	regionBorders: 'basemap-region-borders'
} as const;

/**
 * Drawing order, bottom to top. Layers are added as their data arrive (the commune geometry comes
 * late), so each one is inserted before the first layer above it that already exists.
 */
export const LAYER_ORDER: readonly string[] = [
	BASEMAP_LAYER_ID.background,
	BASEMAP_LAYER_ID.land,
	...(['region', 'departement', 'epci', 'commune'] as const).flatMap((level) => [
		CHOROPLETH_LAYER_ID[level],
		OUTLINE_LAYER_ID[level]
	]),
	BASEMAP_LAYER_ID.departementBorders,
	BASEMAP_LAYER_ID.regionBorders,
	...(['region', 'departement', 'epci', 'commune'] as const).map(
		(level) => HIGHLIGHT_LAYER_ID[level]
	)
];
