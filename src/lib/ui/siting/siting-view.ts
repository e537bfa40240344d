/**
 * What the simulation panel shows and does, as pure functions: the before/after rows in French,
 * the hand edits of a scenario (add a post, remove a site or a place, restore a place), the map
 * features of the new sites, the click hit-test, and the links (page URL, territory report).
 * No Svelte, no MapLibre: tested in Node (tests/unit/siting-ui.test.ts).
 */
import type { FeatureCollection, Point } from 'geojson';
import { formatDecimal, formatInteger, formatPercent, MISSING_VALUE } from '$lib/format/number';
import {
	siteToken,
	type ScenarioEdits,
	type ScenarioParams,
	type SimulationFigures,
	type SimulationResult,
	type SimulationSite,
	type SiteRef
} from '$lib/siting/scenario';
import { serializeScenarioParams } from '$lib/siting/scenario-url';

/**
 * Sites drawn with an HTML number badge (`maplibregl.Marker`); the others are only a circle of the
 * map's own layer. A few dozen DOM elements follow the camera smoothly; hundreds would not.
 */
export const NUMBERED_MARKER_LIMIT = 50;

/** Tolerance of a click on a site or a place, CSS px (a fingertip is about 10 px in radius). */
export const HIT_TOLERANCE_PX = 10;

// ---------------------------------------------------------------------------------------------
// Figures

/** One line of the before/after table. */
export interface FigureRow {
	key: 'part' | 'couverts' | 'distance' | 'non_couvertes' | 'accessibilite' | 'lieux';
	label: string;
	before: string;
	after: string;
	/** Signed change, French format with its unit; '' when there is none to show. */
	change: string;
	/** Whether the change is an improvement (true), a loss (false) or nothing (null). */
	better: boolean | null;
}

const signed = (text: string, value: number) => (value > 0 ? `+${text}` : text.replace('-', '−'));

function row(
	key: FigureRow['key'],
	label: string,
	before: number | null,
	after: number | null,
	format: (value: number | null) => string,
	higherIsBetter: boolean,
	/** Changes smaller than this count as none (rounding of the shown digits). */
	epsilon: number,
	formatChange: (value: number | null) => string = format
): FigureRow {
	const delta = before !== null && after !== null ? after - before : null;
	const moved = delta !== null && Math.abs(delta) >= epsilon;
	return {
		key,
		label,
		before: format(before),
		after: format(after),
		change: delta === null ? '' : moved ? signed(formatChange(delta), delta) : '=',
		better: moved ? delta! > 0 === higherIsBetter : null
	};
}

/**
 * The before/after rows shown by the panel, French formats (`15,4 %`, `12 345`, `3,2 km`).
 * @param coverageKm the coverage distance of the figures, km (for the labels)
 * @example describeFigures(result.avant, result.apres, 10)[0].label // 'Personnes éloignées à moins de 10 km d’un lieu'
 */
export function describeFigures(
	before: SimulationFigures,
	after: SimulationFigures,
	coverageKm: number
): FigureRow[] {
	const km = `${formatDecimal(coverageKm, Number.isInteger(coverageKm) ? 0 : 1)}\u00a0km`;
	const percent = (v: number | null) => formatPercent(v, 1);
	// The change of a share is in percentage points, not in per cent of the share.
	const points = (v: number | null) =>
		v === null ? MISSING_VALUE : `${formatDecimal(v, 1)}\u00a0point${Math.abs(v) >= 2 ? 's' : ''}`;
	const people = (v: number | null) => formatInteger(v);
	const distance = (v: number | null) =>
		v === null ? MISSING_VALUE : `${formatDecimal(v, 1)}\u00a0km`;
	const score = (v: number | null) => formatDecimal(v, 2);
	return [
		row(
			'part',
			`Part des personnes éloignées à moins de ${km} d’un lieu`,
			before.part_couverte_pct,
			after.part_couverte_pct,
			percent,
			true,
			0.05,
			points
		),
		row(
			'couverts',
			`Personnes éloignées à moins de ${km} d’un lieu`,
			before.eloignes_couverts,
			after.eloignes_couverts,
			people,
			true,
			0.5
		),
		row(
			'distance',
			'Distance moyenne au lieu le plus proche',
			before.distance_moyenne_km,
			after.distance_moyenne_km,
			distance,
			false,
			0.05
		),
		row(
			'non_couvertes',
			`Communes à plus de ${km} de tout lieu`,
			before.communes_non_couvertes,
			after.communes_non_couvertes,
			people,
			false,
			0.5
		),
		row(
			'accessibilite',
			'Accessibilité (équivalents conseiller pour 10\u00a0000 personnes éloignées)',
			before.accessibilite,
			after.accessibilite,
			score,
			true,
			0.005
		),
		row(
			'lieux',
			'Lieux de médiation dans le territoire',
			before.lieux,
			after.lieux,
			people,
			true,
			0.5
		)
	];
}

/** `1 234 personnes` / `1 personne` / `0 personne`. */
export function formatPeople(value: number): string {
	return `${formatInteger(value)}\u00a0personne${Math.round(value) > 1 ? 's' : ''}`;
}

/** Mean distance gained by a site, km, `−0,12 km`, or '' when it brings none. */
export function formatDistanceGain(km: number): string {
	if (!(km > 0)) return '';
	return `−${formatDecimal(km, km < 0.1 ? 3 : 2)}\u00a0km`;
}

/**
 * What one site brings, in a line: `652 personnes couvertes · −0,065 km de distance moyenne`.
 * @example describeSiteGain({ gain: 652, gain_distance_moyenne_km: 0.065 })
 */
export function describeSiteGain(
	site: Pick<SimulationSite, 'gain' | 'gain_distance_moyenne_km' | 'gain_capacite'>
): string {
	if (site.gain_capacite) return site.gain_capacite.texte;
	const people = `${formatPeople(site.gain)} couverte${Math.round(site.gain) > 1 ? 's' : ''}`;
	const distance = formatDistanceGain(site.gain_distance_moyenne_km);
	return distance ? `${people} · ${distance} de distance moyenne` : people;
}

// ---------------------------------------------------------------------------------------------
// Hand edits

/** The edits of a scenario with a post added (nothing changes when the site is already there). */
export function addSite(edits: ScenarioEdits, ref: SiteRef): ScenarioEdits {
	const token = siteToken(ref);
	const present = [...edits.proposed, ...edits.added].some((s) => siteToken(s) === token);
	return present ? edits : { ...edits, added: [...edits.added, ref] };
}

/** The edits with the new site `token` (proposed or added) taken out. */
export function removeSite(edits: ScenarioEdits, token: string): ScenarioEdits {
	return {
		...edits,
		proposed: edits.proposed.filter((s) => siteToken(s) !== token),
		added: edits.added.filter((s) => siteToken(s) !== token)
	};
}

/** The edits with the existing place `id` closed ("what if this place closed"). */
export function removePlace(edits: ScenarioEdits, id: string): ScenarioEdits {
	return edits.removed.includes(id) ? edits : { ...edits, removed: [...edits.removed, id] };
}

/** The edits with the closed place `id` open again. */
export function restorePlace(edits: ScenarioEdits, id: string): ScenarioEdits {
	return { ...edits, removed: edits.removed.filter((r) => r !== id) };
}

/** Whether a scenario has any site or removed place (else there is nothing to evaluate). */
export function hasEdits(edits: ScenarioEdits): boolean {
	return (
		edits.proposed.length +
			edits.added.length +
			edits.removed.length +
			(edits.conseillers?.length ?? 0) >
		0
	);
}

// ---------------------------------------------------------------------------------------------
// Map

/** Properties of a new site on the map. */
export interface SiteFeatureProperties {
	id: string;
	rang: number;
	origine: SimulationSite['origine'];
	nom: string;
	/** Whether an HTML badge carries its number (the circle is then drawn larger under it). */
	numbered: boolean;
}

/** The new sites of a result as GeoJSON points for the map's circle layer. */
export function sitesToFeatures(
	sites: readonly SimulationSite[]
): FeatureCollection<Point, SiteFeatureProperties> {
	return {
		type: 'FeatureCollection',
		features: sites.map((site) => ({
			type: 'Feature',
			id: site.rang,
			geometry: { type: 'Point', coordinates: [site.lon, site.lat] },
			properties: {
				id: site.id,
				rang: site.rang,
				origine: site.origine,
				nom: site.nom,
				numbered: site.rang <= NUMBERED_MARKER_LIMIT
			}
		}))
	};
}

/** A point on screen, CSS px, with what it stands for. */
export interface ScreenPoint<T> {
	x: number;
	y: number;
	item: T;
}

/**
 * The point nearest to a click within `tolerance` px, or null.
 * @example pickNearest({ x: 10, y: 10 }, [{ x: 14, y: 10, item: 'a' }], 10) // 'a'
 */
export function pickNearest<T>(
	click: { x: number; y: number },
	points: Iterable<ScreenPoint<T>>,
	tolerance: number = HIT_TOLERANCE_PX
): T | null {
	let best: T | null = null;
	let bestSq = tolerance * tolerance;
	for (const p of points) {
		const sq = (p.x - click.x) ** 2 + (p.y - click.y) ** 2;
		if (sq <= bestSq) {
			bestSq = sq;
			best = p.item;
		}
	}
	return best;
}

/**
 * Index of the commune whose centre is nearest to a point (plane approximation with the cosine of
 * the latitude, exact enough to name the commune of a click), or -1 when no commune has a centre.
 * @param lon WGS84 degrees
 * @param lat WGS84 degrees
 */
export function findNearestCentre(
	lons: ArrayLike<number | null>,
	lats: ArrayLike<number | null>,
	lon: number,
	lat: number
): number {
	const k = Math.cos((lat * Math.PI) / 180) ** 2;
	let best = -1;
	let bestSq = Infinity;
	for (let i = 0; i < lons.length; i++) {
		const x = lons[i];
		const y = lats[i];
		if (x === null || y === null || !Number.isFinite(x) || !Number.isFinite(y)) continue;
		const sq = (x - lon) ** 2 * k + (y - lat) ** 2;
		if (sq < bestSq) {
			bestSq = sq;
			best = i;
		}
	}
	return best;
}

// ---------------------------------------------------------------------------------------------
// Links

/**
 * Where the territory report of a scenario is, with the scenario in its query (the report reads it
 * from there); null for the whole country, which has no report page.
 */
export function scenarioReportTarget(
	params: ScenarioParams,
	edits: ScenarioEdits
): { niveau: string; code: string; search: string } | null {
	if (params.territory.level === 'france') return null;
	const search = serializeScenarioParams({ params, edits }).toString().replaceAll('%2C', ',');
	return { niveau: params.territory.level, code: params.territory.code, search: `?${search}` };
}

/** Sum of the gains of the new sites, persons (the people newly within the coverage distance). */
export function totalGain(result: SimulationResult): number {
	return result.sites.reduce((sum, s) => sum + s.gain, 0);
}

/** Properties of an existing place on the map. */
export interface PlaceFeatureProperties {
	id: string;
	nom: string;
	type: string;
}

/**
 * The existing mediation places as GeoJSON points (drawn in the simulation tab so a click can
 * remove one). Built once per page: the layer is then filtered, never re-uploaded.
 */
export function placesToFeatures(places: {
	id: readonly string[];
	nom: readonly string[];
	type: readonly string[];
	lon: ArrayLike<number>;
	lat: ArrayLike<number>;
}): FeatureCollection<Point, PlaceFeatureProperties> {
	const features: FeatureCollection<Point, PlaceFeatureProperties>['features'] = [];
	for (let j = 0; j < places.id.length; j++) {
		if (!Number.isFinite(places.lon[j]) || !Number.isFinite(places.lat[j])) continue;
		features.push({
			type: 'Feature',
			geometry: { type: 'Point', coordinates: [places.lon[j], places.lat[j]] },
			properties: { id: places.id[j], nom: places.nom[j], type: places.type[j] }
		});
	}
	return { type: 'FeatureCollection', features };
}
