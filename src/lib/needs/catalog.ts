/**
 * The share view of the map layer « Personnes éloignées du numérique (estimation) » as a choropleth
 * indicator (re-exported by `catalog.ts`). Its values are not read from the commune table: the
 * estimate takes 1–2 s for all communes, so the page's analysis worker computes it
 * (`workers/analysis/`) and the page hands the values to the choropleth (`provided: true`).
 */
import type { IndicatorDefinition } from '../indicators/catalog';

/** Datasets the estimate is built from (ids of `sources.json`), as credited by `/api/estimations`. */
export const REMOTE_ESTIMATE_SOURCES: readonly string[] = [
	'cog-2026',
	'grille-densite',
	'ifn-2023',
	'filosofi-2021',
	'rp2021-nord',
	'illectronisme-insee'
];

export type EstimateIndicatorId = 'eloignes-part';

/** Id of the share view, also its URL value (`?indicateur=eloignes-part`). */
export const REMOTE_SHARE_INDICATOR_ID: EstimateIndicatorId = 'eloignes-part';

export const ESTIMATE_INDICATORS: readonly IndicatorDefinition[] = [
	{
		id: REMOTE_SHARE_INDICATOR_ID,
		label: 'Personnes éloignées du numérique (estimation), part des 15 ans et plus',
		shortLabel: 'Éloignés du numérique (estimation)',
		unit: '%',
		digits: 1,
		description:
			'Estimation, par commune, de la part des personnes de 15 ans ou plus en situation d’illectronisme (définition INSEE), à partir de l’âge, de la pauvreté, du diplôme et du type de territoire ; calée sur les taux publiés par l’INSEE (France et Hauts-de-France). Une estimation, pas un comptage.',
		sources: [...REMOTE_ESTIMATE_SOURCES],
		palette: 'ylorbr',
		aggregation: { kind: 'ratio-of-sums' },
		aggregationLabel: 'somme des estimations communales ; part = rapport des sommes',
		provided: true,
		// Computed by the estimate worker, not from a single record.
		communeValue: () => null,
		aggregate: () => null
	}
];
