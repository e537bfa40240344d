/**
 * The thematic layers in the URL, so a view with its layers is a shareable link:
 * `couches=zones-blanches,qpv,frr,zrr`, `typologie=densite|ruralite`, `seuil=50` (% of premises
 * eligible), `mesure_fibre=ftth|thd100`. Bad values fall back to the defaults with a French notice.
 * One part of `parseDashboardParams` (`$lib/url/dashboard-params`).
 */
import { DEFAULT_WHITE_ZONE_THRESHOLD, type FibreView } from '$lib/indicators/thematic-catalog';
import { paramName, quoteParamValue as quote, type UrlCodec } from '$lib/url/codec';

export const THEMATIC_PARAM = {
	layers: 'couches',
	typology: 'typologie',
	threshold: 'seuil',
	fibreView: 'mesure_fibre'
} as const;

/** Layer names of `couches=`. */
export const THEMATIC_LAYER_NAMES = ['zones-blanches', 'qpv', 'frr', 'zrr'] as const;
export type ThematicLayerName = (typeof THEMATIC_LAYER_NAMES)[number];

const FIBRE_VIEWS: Record<string, FibreView> = { ftth: 'ftth-2025', thd100: 'thd100-2022' };

export interface ThematicParams {
	whiteZonesOn: boolean;
	qpvOn: boolean;
	frrOn: boolean;
	zrrOn: boolean;
	typology: 'aucune' | 'densite' | 'ruralite';
	/** White-zone threshold, % of premises eligible (0–100). */
	threshold: number;
	fibreView: FibreView;
}

export const DEFAULT_THEMATIC_PARAMS: ThematicParams = {
	whiteZonesOn: false,
	qpvOn: false,
	frrOn: false,
	zrrOn: false,
	typology: 'aucune',
	threshold: DEFAULT_WHITE_ZONE_THRESHOLD,
	fibreView: 'ftth-2025'
};

/**
 * The thematic layers' parameters; unknown values are dropped with a French notice.
 * @example parseWith(thematicUrlCodec, new URLSearchParams('couches=qpv&seuil=30')).value.threshold // 30
 */
export const thematicUrlCodec: UrlCodec<ThematicParams> = {
	keys: Object.values(THEMATIC_PARAM),

	parse(search, notices) {
		const params = { ...DEFAULT_THEMATIC_PARAMS };
		const layers = search.get(THEMATIC_PARAM.layers);
		if (layers !== null) {
			const unknown: string[] = [];
			for (const name of layers.split(',').filter((n) => n !== '')) {
				if (name === 'zones-blanches') params.whiteZonesOn = true;
				else if (name === 'qpv') params.qpvOn = true;
				else if (name === 'frr') params.frrOn = true;
				else if (name === 'zrr') params.zrrOn = true;
				else unknown.push(name);
			}
			if (unknown.length > 0)
				notices.push(
					`Couche ${unknown.map(quote).join(', ')} inconnue (${paramName(THEMATIC_PARAM.layers)} ; couches possibles : ${THEMATIC_LAYER_NAMES.join(', ')}) : ignorée.`
				);
		}
		const typology = search.get(THEMATIC_PARAM.typology);
		if (typology !== null) {
			if (typology === 'densite' || typology === 'ruralite') params.typology = typology;
			else
				notices.push(
					`Typologie ${quote(typology)} inconnue (${paramName(THEMATIC_PARAM.typology)}, attendu : densite ou ruralite) : aucune typologie affichée.`
				);
		}
		const threshold = search.get(THEMATIC_PARAM.threshold);
		if (threshold !== null) {
			const value = Number(threshold.replace(',', '.'));
			if (threshold.trim() !== '' && Number.isFinite(value) && value >= 0 && value <= 100)
				params.threshold = Math.round(value);
			else
				notices.push(
					`Seuil de zone blanche ${quote(threshold)} invalide (${paramName(THEMATIC_PARAM.threshold)}, attendu : un pourcentage de 0 à 100) : ${DEFAULT_WHITE_ZONE_THRESHOLD} % retenu.`
				);
		}
		const view = search.get(THEMATIC_PARAM.fibreView);
		if (view !== null) {
			if (view in FIBRE_VIEWS) params.fibreView = FIBRE_VIEWS[view];
			else
				notices.push(
					`Mesure fibre ${quote(view)} inconnue (${paramName(THEMATIC_PARAM.fibreView)}, attendu : ftth ou thd100) : fibre FttH retenue.`
				);
		}
		return params;
	},

	serialize(state) {
		const entries: [string, string][] = [];
		const layers: ThematicLayerName[] = [];
		if (state.whiteZonesOn) layers.push('zones-blanches');
		if (state.qpvOn) layers.push('qpv');
		if (state.frrOn) layers.push('frr');
		if (state.zrrOn) layers.push('zrr');
		if (layers.length > 0) entries.push([THEMATIC_PARAM.layers, layers.join(',')]);
		if (state.typology !== 'aucune') entries.push([THEMATIC_PARAM.typology, state.typology]);
		if (state.threshold !== DEFAULT_WHITE_ZONE_THRESHOLD)
			entries.push([THEMATIC_PARAM.threshold, String(state.threshold)]);
		if (state.fibreView !== DEFAULT_THEMATIC_PARAMS.fibreView)
			entries.push([
				THEMATIC_PARAM.fibreView,
				state.fibreView === 'thd100-2022' ? 'thd100' : 'ftth'
			]);
		return entries;
	}
};
