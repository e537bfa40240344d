/**
 * URL state of the estimate layer's number view: `symboles=eloignes` shows the proportional circles,
 * `opacite_cercles=60` sets their opacity in %. (The share view is the choropleth indicator
 * `indicateur=eloignes-part`, in the map's own parameters.) Parsing never throws: a bad value falls
 * back to the default with a French notice.
 */

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

/** Read the layer's parameters from a URL; unknown values fall back with a French notice. */
export function parseRemoteLayerParams(url: URL | URLSearchParams): {
	params: RemoteLayerParams;
	notices: string[];
} {
	const search = url instanceof URL ? url.searchParams : url;
	const params: RemoteLayerParams = { ...DEFAULT_REMOTE_LAYER_PARAMS };
	const notices: string[] = [];
	const symbols = search.get(REMOTE_LAYER_PARAM.symbols);
	if (symbols !== null) {
		if (symbols === SYMBOLS_VALUE) params.symbols = true;
		else
			notices.push(
				`Symboles « ${symbols.slice(0, 40)} » inconnus (valeur possible : ${SYMBOLS_VALUE}) : pas de cercles proportionnels.`
			);
	}
	const opacity = search.get(REMOTE_LAYER_PARAM.opacity);
	if (opacity !== null) {
		const percent = Number(opacity);
		if (opacity.trim() !== '' && Number.isInteger(percent) && percent >= 10 && percent <= 100)
			params.opacity = percent / 100;
		else
			notices.push(
				`Opacité des cercles « ${opacity.slice(0, 40)} » invalide (attendu : un entier de 10 à 100) : ${DEFAULT_REMOTE_LAYER_PARAMS.opacity * 100} %.`
			);
	}
	return { params, notices };
}

/** The parameters as a query fragment (`symboles=eloignes&opacite_cercles=80`), '' for the defaults. */
export function serializeRemoteLayerParams(params: RemoteLayerParams): string {
	const search = new URLSearchParams();
	if (params.symbols) search.set(REMOTE_LAYER_PARAM.symbols, SYMBOLS_VALUE);
	const percent = Math.round(params.opacity * 100);
	if (percent !== Math.round(DEFAULT_REMOTE_LAYER_PARAMS.opacity * 100))
		search.set(REMOTE_LAYER_PARAM.opacity, String(percent));
	return search.toString();
}
