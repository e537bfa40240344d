/**
 * The map's part of the dashboard URL, so every view is a shareable link:
 * `/?indicateur=ifn-total&niveau=commune&classes=jenks&territoire=departement-59&vue=3.1,50.5,8`.
 * Parsing never throws: a bad value falls back to its default and adds a French notice the page
 * shows. The whole URL (every feature's parameters) is `$lib/url/dashboard-params`.
 */
import { CLASSIFICATION_LABELS, type ClassificationMethod } from '$lib/charts/colour-scale';
import { DEFAULT_INDICATOR_ID, findIndicator, type IndicatorId } from '$lib/indicators/catalog';
import { LEVELS, type Level } from '$lib/territory/commune';
import { formatQuery, paramName, quoteParamValue as quote, type UrlCodec } from '$lib/url/codec';

/** `auto`: the level follows the zoom (see `levelForZoom`). */
export type LevelMode = 'auto' | Level;

/** A territory of a given level (codes alone are ambiguous: région 11 and département 11). */
export interface TerritoryRef {
	level: Level;
	code: string;
}

/** Map camera: centre in WGS84 degrees and MapLibre zoom. */
export interface MapView {
	lon: number;
	lat: number;
	zoom: number;
}

/** The side panel's tabs: the map's layers, the ranking table, the deployment simulation. */
export const PANEL_TABS = ['carte', 'classement', 'simulation'] as const;
export type PanelTab = (typeof PANEL_TABS)[number];

export interface DashboardState {
	/** The side panel's open tab. */
	tab: PanelTab;
	level: LevelMode;
	indicator: IndicatorId;
	classification: ClassificationMethod;
	selection: TerritoryRef | null;
	/** null: fit mainland France. */
	view: MapView | null;
}

export const DEFAULT_DASHBOARD_STATE: Readonly<DashboardState> = Object.freeze({
	tab: 'carte',
	level: 'auto',
	indicator: DEFAULT_INDICATOR_ID,
	classification: 'quantile',
	selection: null,
	view: null
});

/** URL parameter names (French, like the rest of the public interface). */
export const PARAM = {
	tab: 'onglet',
	level: 'niveau',
	indicator: 'indicateur',
	classification: 'classes',
	selection: 'territoire',
	view: 'vue'
} as const;

const CLASSIFICATION_PARAM: Record<ClassificationMethod, string> = {
	quantile: 'quantiles',
	jenks: 'jenks'
};

/**
 * Shapes of territory codes by level (COG 2026): région 2 digits; département 2 digits, 2A/2B or
 * 971–974 and 976 (975 is a COM); EPCI a 9-digit SIREN; commune 5 characters (2A/2B for Corsica).
 */
const CODE_PATTERN: Record<Level, RegExp> = {
	region: /^\d{2}$/,
	departement: /^(\d{2}|2[AB]|97[1-46])$/,
	epci: /^\d{9}$/,
	commune: /^(\d{5}|2[AB]\d{3})$/
};

/** Zoom from which the automatic level shows communes instead of départements. */
export const COMMUNE_ZOOM = 7;

/**
 * The level drawn when the level follows the zoom: départements for France as a whole, communes
 * from zoom 7 (about three départements across a laptop screen, where communes are a few pixels
 * wide at least).
 */
export function levelForZoom(zoom: number): Level {
	return zoom >= COMMUNE_ZOOM ? 'commune' : 'departement';
}

/** Whether a string is a well-formed territory code for `level` (not whether it exists). */
export function isTerritoryCode(level: Level, code: string): boolean {
	return CODE_PATTERN[level].test(code);
}

function parseView(text: string): MapView | null {
	const parts = text.split(',');
	if (parts.length !== 3 || parts.some((p) => p.trim() === '')) return null;
	const [lon, lat, zoom] = parts.map(Number);
	if (![lon, lat, zoom].every(Number.isFinite)) return null;
	if (lon < -180 || lon > 180 || lat < -85 || lat > 85 || zoom < 0 || zoom > 22) return null;
	return { lon, lat, zoom };
}

/**
 * The map's parameters (`onglet`, `indicateur`, `niveau`, `classes`, `territoire`, `vue`), one
 * part of `parseDashboardParams` (`$lib/url/dashboard-params`). Coordinates are written to 4
 * decimals (about 10 m) and the zoom to 2.
 */
export const mapUrlCodec: UrlCodec<DashboardState> = {
	keys: Object.values(PARAM),

	parse(params, notices) {
		const state: DashboardState = { ...DEFAULT_DASHBOARD_STATE };
		const tab = params.get(PARAM.tab);
		if (tab !== null) {
			if ((PANEL_TABS as readonly string[]).includes(tab)) state.tab = tab as PanelTab;
			else
				notices.push(
					`Onglet ${quote(tab)} inconnu (${paramName(PARAM.tab)} ; onglets possibles : ${PANEL_TABS.join(', ')}) : onglet « carte ».`
				);
		}

		const level = params.get(PARAM.level);
		if (level !== null) {
			if (level === 'auto' || (LEVELS as readonly string[]).includes(level)) {
				state.level = level as LevelMode;
			} else {
				notices.push(
					`Niveau ${quote(level)} inconnu (${paramName(PARAM.level)} ; niveaux possibles : auto, region, departement, epci, commune) : le niveau suit le zoom.`
				);
			}
		}

		const indicator = params.get(PARAM.indicator);
		if (indicator !== null) {
			const found = findIndicator(indicator);
			if (found) state.indicator = found.id;
			else
				notices.push(
					`Indicateur ${quote(indicator)} inconnu (${paramName(PARAM.indicator)}, attendu : un identifiant d’indicateur de l’Atlas) : affichage de « ${findIndicator(DEFAULT_INDICATOR_ID)!.label} ».`
				);
		}

		const classification = params.get(PARAM.classification);
		if (classification !== null) {
			const method = (Object.keys(CLASSIFICATION_PARAM) as ClassificationMethod[]).find(
				(m) => CLASSIFICATION_PARAM[m] === classification
			);
			if (method) state.classification = method;
			else
				notices.push(
					`Méthode de classes ${quote(classification)} inconnue (${paramName(PARAM.classification)}, attendu : quantiles ou jenks) : ${CLASSIFICATION_LABELS.quantile.toLowerCase()}.`
				);
		}

		const selection = params.get(PARAM.selection);
		if (selection !== null) {
			const dash = selection.indexOf('-');
			const selLevel = selection.slice(0, dash) as Level;
			const code = selection.slice(dash + 1).toUpperCase();
			if (
				dash > 0 &&
				(LEVELS as readonly string[]).includes(selLevel) &&
				isTerritoryCode(selLevel, code)
			) {
				state.selection = { level: selLevel, code };
			} else {
				notices.push(
					`Territoire ${quote(selection)} non reconnu (${paramName(PARAM.selection)}, attendu : niveau-code, par exemple departement-59 ou commune-2A004) : aucun territoire sélectionné.`
				);
			}
		}

		const view = params.get(PARAM.view);
		if (view !== null) {
			const parsed = parseView(view);
			if (parsed) state.view = parsed;
			else
				notices.push(
					`Vue de carte ${quote(view)} invalide (${paramName(PARAM.view)}, attendu : longitude,latitude,zoom) : la carte montre la France métropolitaine.`
				);
		}
		return state;
	},

	serialize(state) {
		const entries: [string, string][] = [];
		if (state.tab !== DEFAULT_DASHBOARD_STATE.tab) entries.push([PARAM.tab, state.tab]);
		if (state.indicator !== DEFAULT_DASHBOARD_STATE.indicator)
			entries.push([PARAM.indicator, state.indicator]);
		if (state.level !== DEFAULT_DASHBOARD_STATE.level) entries.push([PARAM.level, state.level]);
		if (state.classification !== DEFAULT_DASHBOARD_STATE.classification)
			entries.push([PARAM.classification, CLASSIFICATION_PARAM[state.classification]]);
		if (state.selection)
			entries.push([PARAM.selection, `${state.selection.level}-${state.selection.code}`]);
		if (state.view) {
			const { lon, lat, zoom } = state.view;
			entries.push([PARAM.view, `${round(lon, 4)},${round(lat, 4)},${round(zoom, 2)}`]);
		}
		return entries;
	}
};

function round(value: number, digits: number): number {
	const factor = 10 ** digits;
	// `+ 0` turns -0 into 0 so that the URL never shows "-0".
	return Math.round(value * factor) / factor + 0;
}

/**
 * The query string (`?…`, or `''` for the defaults) of the map's parameters alone, for links from
 * other pages to a view of the map (the fiche territoire's « Voir sur la carte »).
 */
export function formatDashboardSearch(state: DashboardState): string {
	const text = formatQuery(mapUrlCodec.serialize(state));
	return text ? `?${text}` : '';
}
