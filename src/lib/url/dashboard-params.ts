/**
 * The whole dashboard state as it lives in the URL, so every view is a shareable link: one parse
 * when the page loads (or follows a link to itself), one serializer for every URL it writes. Each
 * feature owns its parameters through a `UrlCodec` kept next to its domain; this module only
 * composes them, in the order the URL shows them.
 *
 * To add a parameter: add it to its feature's codec (`keys`, `parse` with a French notice for a
 * bad value, `serialize` leaving the default out) and its field to the feature's state; the
 * url-dashboard-params tests then check that no other codec owns the name.
 */
import { DEFAULT_DASHBOARD_STATE, mapUrlCodec, type DashboardState } from './map-params';
import {
	DEFAULT_REMOTE_LAYER_PARAMS,
	remoteLayerUrlCodec,
	type RemoteLayerParams
} from './estimate-layer-params';
import { DEFAULT_THEMATIC_PARAMS, thematicUrlCodec, type ThematicParams } from './thematic-params';
import {
	DEFAULT_MEDIATOR_FILTER,
	mediatorUrlCodec,
	type MediatorFilter
} from '../mediation/mediator-filters';
import { defaultRankingView, rankingUrlCodec, type RankingView } from '$lib/ranking/view-params';
import { simulationUrlCodec, type ScenarioState } from '../siting/scenario-url';
import { formatQuery, type UrlCodec } from './codec';

/** Everything the dashboard URL holds, by feature. */
export interface DashboardParams {
	/** Tab, level, indicator, classes, selected territory, camera. */
	map: DashboardState;
	/** `scenario=<id>`: a saved scenario whose imported places the page opens (issue 12). */
	savedScenario: string | null;
	/** The estimate layer's proportional circles. */
	estimate: RemoteLayerParams;
	/** The deployment simulation (null: none). */
	simulation: ScenarioState | null;
	/** Which mediation places are drawn. */
	mediators: MediatorFilter;
	/** White zones, QPV, FRR, ZRR and the typologies. */
	thematic: ThematicParams;
	/** The ranking tab's view. */
	ranking: RankingView;
}

/** The saved scenario's id, as the scenario page links to the map (`/?…&scenario=<id>`). */
const savedScenarioUrlCodec: UrlCodec<string | null> = {
	keys: ['scenario'],
	// Any id is worth asking the server about: it answers in French when there is no such scenario.
	parse: (params) => params.get('scenario') || null,
	serialize: (id) => (id ? [['scenario', id]] : [])
};

/**
 * The codec of each part, in the order the URL shows them (the map's parameters first, as links
 * written before this module did).
 */
export const DASHBOARD_CODECS: { [K in keyof DashboardParams]: UrlCodec<DashboardParams[K]> } = {
	map: mapUrlCodec,
	savedScenario: savedScenarioUrlCodec,
	estimate: remoteLayerUrlCodec,
	simulation: simulationUrlCodec,
	mediators: mediatorUrlCodec,
	thematic: thematicUrlCodec,
	ranking: rankingUrlCodec
};

/** The state of the bare `/`. */
export function defaultDashboardParams(): DashboardParams {
	return {
		map: { ...DEFAULT_DASHBOARD_STATE },
		savedScenario: null,
		estimate: { ...DEFAULT_REMOTE_LAYER_PARAMS },
		simulation: null,
		mediators: {
			types: [...DEFAULT_MEDIATOR_FILTER.types],
			sources: [...DEFAULT_MEDIATOR_FILTER.sources]
		},
		thematic: { ...DEFAULT_THEMATIC_PARAMS },
		ranking: defaultRankingView()
	};
}

const PARTS = Object.keys(DASHBOARD_CODECS) as (keyof DashboardParams)[];

/** Every parameter name the dashboard reads and writes. */
export const DASHBOARD_PARAM_NAMES: ReadonlySet<string> = new Set(
	PARTS.flatMap((part) => DASHBOARD_CODECS[part].keys)
);

/**
 * Read the dashboard state from a URL's query. Never throws: each bad value falls back to its
 * default with one French notice naming its parameter; unknown parameters are ignored.
 * @example parseDashboardParams(new URLSearchParams('indicateur=ifn-total&lieux=aucun')).state.mediators.types // []
 */
export function parseDashboardParams(search: URLSearchParams): {
	state: DashboardParams;
	notices: string[];
} {
	const notices: string[] = [];
	const state = Object.fromEntries(
		PARTS.map((part) => [part, DASHBOARD_CODECS[part].parse(search, notices)])
	) as unknown as DashboardParams;
	return { state, notices };
}

/** The state as URL parameters, defaults left out (the default view is the bare `/`). */
export function serializeDashboardParams(state: DashboardParams): URLSearchParams {
	const params = new URLSearchParams();
	for (const part of PARTS) {
		for (const [name, value] of serializePart(part, state)) params.append(name, value);
	}
	return params;
}

function serializePart<K extends keyof DashboardParams>(
	part: K,
	state: DashboardParams
): [string, string][] {
	return DASHBOARD_CODECS[part].serialize(state[part]);
}

/**
 * The query string to show for `state` (`?…`, or `''` for the defaults), readable (see
 * `formatQuery`). The parameters of `current` that no codec owns (a campaign tag, a parameter of a
 * later version) are kept, after the dashboard's.
 */
export function formatDashboardQuery(
	state: DashboardParams,
	current: URLSearchParams = new URLSearchParams()
): string {
	const params = serializeDashboardParams(state);
	for (const [name, value] of current) {
		if (!DASHBOARD_PARAM_NAMES.has(name)) params.append(name, value);
	}
	const text = formatQuery(params);
	return text ? `?${text}` : '';
}
