/**
 * Kinds of mediation points: French labels for the map legend and popups, and how the
 * Nord–Pas-de-Calais 2023 compilation's `source` field maps to them.
 */
import type { MediatorType } from '../territory/artifacts';

/** Every mediator type, in legend order. */
export const MEDIATOR_TYPES: readonly MediatorType[] = [
	'france-services',
	'conseiller-numerique-lieu',
	'conseiller-numerique-poste',
	'aidants-connect',
	'autre-lieu-mediation'
];

/** Singular French label of each type (legend, popup title). */
export const MEDIATOR_TYPE_LABELS: Record<MediatorType, string> = {
	'france-services': 'France services',
	'conseiller-numerique-lieu': 'Lieu d’activité de conseiller numérique',
	'conseiller-numerique-poste': 'Structure accueillant des conseillers numériques',
	'aidants-connect': 'Structure Aidants Connect',
	'autre-lieu-mediation': 'Autre lieu de médiation numérique'
};

/** What `effectif` counts for the types that carry one (popup: « 3 conseillers numériques »). */
export const EFFECTIF_LABELS: Partial<Record<MediatorType, { one: string; many: string }>> = {
	'conseiller-numerique-poste': {
		one: 'conseiller numérique validé',
		many: 'conseillers numériques validés'
	},
	'aidants-connect': { one: 'aidant habilité', many: 'aidants habilités' }
};

/**
 * Type of a record of the Nord–Pas-de-Calais 2023 compilation (Les Assembleurs, LaMednum schema)
 * from its `source` field (PROVENANCE §8: assembleurs, conseiller-numerique, france-services,
 * france-tiers-lieux, dora). Lists other than the two national ones are "other mediation places".
 * @example classifyNpdcSource('conseiller-numerique') // 'conseiller-numerique-lieu'
 */
export function classifyNpdcSource(source: string | null | undefined): MediatorType {
	switch ((source ?? '').trim().toLowerCase()) {
		case 'france-services':
			return 'france-services';
		case 'conseiller-numerique':
			return 'conseiller-numerique-lieu';
		default:
			return 'autre-lieu-mediation';
	}
}

/**
 * Specificity of a place type when duplicates merge: a place that one list knows as a France
 * services and another as a generic mediation place is shown as a France services. Lower = more
 * specific. Commune-level types never merge and are not ranked.
 */
const PLACE_TYPE_SPECIFICITY: Partial<Record<MediatorType, number>> = {
	'france-services': 0,
	'conseiller-numerique-lieu': 1,
	'autre-lieu-mediation': 2
};

/** The most specific of several place types (see `PLACE_TYPE_SPECIFICITY`). */
export function pickMostSpecificType(types: readonly MediatorType[]): MediatorType {
	let best = types[0];
	for (const type of types) {
		if ((PLACE_TYPE_SPECIFICITY[type] ?? 9) < (PLACE_TYPE_SPECIFICITY[best] ?? 9)) best = type;
	}
	return best;
}
