/**
 * The thematic layers in the URL, so a view with its layers is a shareable link:
 * `couches=zones-blanches,qpv,frr,zrr`, `typologie=densite|ruralite`, `seuil=50` (% of premises
 * eligible), `mesure_fibre=ftth|thd100`. Bad values fall back to the defaults with a French notice.
 */
import { DEFAULT_WHITE_ZONE_THRESHOLD, type FibreView } from '$lib/indicators/thematic-catalog';

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

const quote = (value: string) => `« ${value.slice(0, 40)} »`;

/**
 * Read the thematic layer state from a URL; unknown values are ignored with a French notice.
 * @example parseThematicParams(new URLSearchParams('couches=qpv&seuil=30')).params.threshold // 30
 */
export function parseThematicParams(url: URL | URLSearchParams): {
	params: ThematicParams;
	notices: string[];
} {
	const search = url instanceof URL ? url.searchParams : url;
	const params = { ...DEFAULT_THEMATIC_PARAMS };
	const notices: string[] = [];
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
				`Couche ${unknown.map(quote).join(', ')} inconnue (couches possibles : ${THEMATIC_LAYER_NAMES.join(', ')}) : ignorée.`
			);
	}
	const typology = search.get(THEMATIC_PARAM.typology);
	if (typology !== null) {
		if (typology === 'densite' || typology === 'ruralite') params.typology = typology;
		else
			notices.push(
				`Typologie ${quote(typology)} inconnue (densite ou ruralite) : aucune typologie affichée.`
			);
	}
	const threshold = search.get(THEMATIC_PARAM.threshold);
	if (threshold !== null) {
		const value = Number(threshold.replace(',', '.'));
		if (threshold.trim() !== '' && Number.isFinite(value) && value >= 0 && value <= 100)
			params.threshold = Math.round(value);
		else
			notices.push(
				`Seuil de zone blanche ${quote(threshold)} invalide (un pourcentage de 0 à 100) : ${DEFAULT_WHITE_ZONE_THRESHOLD} % retenu.`
			);
	}
	const view = search.get(THEMATIC_PARAM.fibreView);
	if (view !== null) {
		if (view in FIBRE_VIEWS) params.fibreView = FIBRE_VIEWS[view];
		else
			notices.push(`Mesure fibre ${quote(view)} inconnue (ftth ou thd100) : fibre FttH retenue.`);
	}
	return { params, notices };
}

/**
 * The query string (`couches=qpv,frr&seuil=30`, no `?`) of a state; empty for the defaults, so the
 * first screen's URL stays clean.
 */
export function serializeThematicParams(state: ThematicParams): string {
	const search = new URLSearchParams();
	const layers: ThematicLayerName[] = [];
	if (state.whiteZonesOn) layers.push('zones-blanches');
	if (state.qpvOn) layers.push('qpv');
	if (state.frrOn) layers.push('frr');
	if (state.zrrOn) layers.push('zrr');
	if (layers.length > 0) search.set(THEMATIC_PARAM.layers, layers.join(','));
	if (state.typology !== 'aucune') search.set(THEMATIC_PARAM.typology, state.typology);
	if (state.threshold !== DEFAULT_WHITE_ZONE_THRESHOLD)
		search.set(THEMATIC_PARAM.threshold, String(state.threshold));
	if (state.fibreView !== DEFAULT_THEMATIC_PARAMS.fibreView)
		search.set(THEMATIC_PARAM.fibreView, state.fibreView === 'thd100-2022' ? 'thd100' : 'ftth');
	return search.toString().replaceAll('%2C', ',');
}
