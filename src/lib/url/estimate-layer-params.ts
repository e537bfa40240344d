/**
 * URL state of the estimate layer's number view: `symboles=eloignes` shows the proportional circles,
 * `opacite_cercles=60` sets their opacity in %. (The share view is the choropleth indicator
 * `indicateur=eloignes-part`, in the map's own parameters.) Parsing never throws: a bad value falls
 * back to the default with a French notice. One part of `parseDashboardParams`
 * (`$lib/url/dashboard-params`).
 */
import { paramName, quoteParamValue as quote, type UrlCodec } from '$lib/url/codec';

export interface RemoteLayerParams {
	/** Proportional circles of the estimated persons shown. */
	symbols: boolean;
	/** Circle fill opacity, 0.1–1. */
	opacity: number;
}

export const DEFAULT_REMOTE_LAYER_PARAMS: Readonly<RemoteLayerParams> = Object.freeze({
	symbols: false,
	opacity: 0.6
});

export const REMOTE_LAYER_PARAM = { symbols: 'symboles', opacity: 'opacite_cercles' } as const;

/** The only symbol layer so far: the estimated persons « éloignés du numérique ». */
const SYMBOLS_VALUE = 'eloignes';

/** The estimate layer's parameters; unknown values fall back with a French notice. */
export const remoteLayerUrlCodec: UrlCodec<RemoteLayerParams> = {
	keys: Object.values(REMOTE_LAYER_PARAM),

	parse(search, notices) {
		const params: RemoteLayerParams = { ...DEFAULT_REMOTE_LAYER_PARAMS };
		const symbols = search.get(REMOTE_LAYER_PARAM.symbols);
		if (symbols !== null) {
			if (symbols === SYMBOLS_VALUE) params.symbols = true;
			else
				notices.push(
					`Symboles ${quote(symbols)} inconnus (${paramName(REMOTE_LAYER_PARAM.symbols)}, valeur possible : ${SYMBOLS_VALUE}) : pas de cercles proportionnels.`
				);
		}
		const opacity = search.get(REMOTE_LAYER_PARAM.opacity);
		if (opacity !== null) {
			const percent = Number(opacity);
			if (opacity.trim() !== '' && Number.isInteger(percent) && percent >= 10 && percent <= 100)
				params.opacity = percent / 100;
			else
				notices.push(
					`Opacité des cercles ${quote(opacity)} invalide (${paramName(REMOTE_LAYER_PARAM.opacity)}, attendu : un entier de 10 à 100) : ${DEFAULT_REMOTE_LAYER_PARAMS.opacity * 100} %.`
				);
		}
		return params;
	},

	serialize(params) {
		const entries: [string, string][] = [];
		if (params.symbols) entries.push([REMOTE_LAYER_PARAM.symbols, SYMBOLS_VALUE]);
		const percent = Math.round(params.opacity * 100);
		if (percent !== Math.round(DEFAULT_REMOTE_LAYER_PARAMS.opacity * 100))
			entries.push([REMOTE_LAYER_PARAM.opacity, String(percent)]);
		return entries;
	}
};
