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

/** Proportional circles of the estimate of people « éloignés du numérique »: point sources by level. */
export const REMOTE_CIRCLES_SOURCE_ID = {
	region: 'remote-circles-source-region',
	departement: 'remote-circles-source-departement',
	epci: 'remote-circles-source-epci',
	commune: 'remote-circles-source-commune'
} as const satisfies Record<Level, string>;

/** The circle layer of each level (circle area ∝ estimated persons). */
export const REMOTE_CIRCLES_LAYER_ID = {
	region: 'remote-circles-region',
	departement: 'remote-circles-departement',
	epci: 'remote-circles-epci',
	commune: 'remote-circles-commune'
} as const satisfies Record<Level, string>;

/** Issue 4's thematic overlays (drawn above the choropleth, under the reference borders). */
export const THEMATIC_LAYER_ID = {
	/** Categorical fill (density grid or rurality profile) of each level. */
	category: {
		region: 'thematic-category-region',
		departement: 'thematic-category-departement',
		epci: 'thematic-category-epci',
		commune: 'thematic-category-commune'
	},
	/** FRR 2025 hatching and outline, ZRR 2021 outline (commune source). */
	frrHatch: 'thematic-frr-hatch',
	frrOutline: 'thematic-frr-outline',
	zrrOutline: 'thematic-zrr-outline',
	/** Official QPV perimeters, when the optional artifact exists. */
	qpvPerimeterFill: 'thematic-qpv-perimeter-fill',
	qpvPerimeterLine: 'thematic-qpv-perimeter-line',
	/** Territories hosting QPV 2024, outlined. */
	qpv: {
		region: 'thematic-qpv-region',
		departement: 'thematic-qpv-departement',
		epci: 'thematic-qpv-epci',
		commune: 'thematic-qpv-commune'
	},
	/** Fibre white zones under the user's threshold, outlined. */
	whiteZone: {
		region: 'thematic-white-zone-region',
		departement: 'thematic-white-zone-departement',
		epci: 'thematic-white-zone-epci',
		commune: 'thematic-white-zone-commune'
	}
} as const;

/** Source of the optional QPV perimeters (`geo/qpv.topo.json`). */
export const QPV_PERIMETER_SOURCE_ID = 'thematic-qpv-perimeters';

const THEMATIC_LEVELS = ['region', 'departement', 'epci', 'commune'] as const;

/** Mediation places (issue 4 point 5): one clustered point source, clusters and points on top. */
export const MEDIATOR_SOURCE_ID = 'mediators';
export const MEDIATOR_LAYER_ID = {
	clusters: 'mediators-clusters',
	points: 'mediators-points'
} as const;

/** Deployment simulation (issue 6): existing places to click, the places removed, the new sites. */
export const SITING_SOURCE_ID = { places: 'siting-places', sites: 'siting-sites' } as const;
export const SITING_LAYER_ID = {
	places: 'siting-places',
	removedPlaces: 'siting-removed-places',
	sites: 'siting-sites'
} as const;

/**
 * Drawing order, bottom to top. Layers are added as their data arrive (the commune geometry comes
 * late), so each one is inserted before the first layer above it that already exists.
 */
/** Names on the map: one point source, one symbol layer per level (finest on top). */
export const PLACE_LABELS_SOURCE_ID = 'place-labels';
export const PLACE_LABELS_LAYER_ID = {
	region: 'labels-region',
	departement: 'labels-departement',
	epci: 'labels-epci',
	commune: 'labels-commune'
} as const satisfies Record<Level, string>;

export const LAYER_ORDER: readonly string[] = [
	BASEMAP_LAYER_ID.background,
	BASEMAP_LAYER_ID.land,
	...(['region', 'departement', 'epci', 'commune'] as const).flatMap((level) => [
		CHOROPLETH_LAYER_ID[level],
		OUTLINE_LAYER_ID[level]
	]),
	...THEMATIC_LEVELS.map((level) => THEMATIC_LAYER_ID.category[level]),
	THEMATIC_LAYER_ID.frrHatch,
	THEMATIC_LAYER_ID.zrrOutline,
	THEMATIC_LAYER_ID.frrOutline,
	THEMATIC_LAYER_ID.qpvPerimeterFill,
	THEMATIC_LAYER_ID.qpvPerimeterLine,
	...THEMATIC_LEVELS.map((level) => THEMATIC_LAYER_ID.qpv[level]),
	...THEMATIC_LEVELS.map((level) => THEMATIC_LAYER_ID.whiteZone[level]),
	BASEMAP_LAYER_ID.departementBorders,
	BASEMAP_LAYER_ID.regionBorders,
	...(['region', 'departement', 'epci', 'commune'] as const).map(
		(level) => REMOTE_CIRCLES_LAYER_ID[level]
	),
	...(['region', 'departement', 'epci', 'commune'] as const).map(
		(level) => HIGHLIGHT_LAYER_ID[level]
	),
	MEDIATOR_LAYER_ID.clusters,
	MEDIATOR_LAYER_ID.points,
	SITING_LAYER_ID.places,
	SITING_LAYER_ID.removedPlaces,
	SITING_LAYER_ID.sites,
	// Names above everything, so that no fill or point hides them.
	...(['commune', 'epci', 'departement', 'region'] as const).map(
		(level) => PLACE_LABELS_LAYER_ID[level]
	)
];
