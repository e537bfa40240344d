/** French texts of a scenario: candidate rules, existing places, method. */
import { ACCESS_SCORE_UNIT } from '$lib/access/e2sfca';
import { formatDecimal, formatInteger } from '$lib/format/number';
import { CONSEILLER_NEARBY_KM } from './dataset';
import {
	NEW_SITE_SUPPLY,
	OBJECTIVE_LABELS,
	type CandidateRule,
	type CandidateRuleId,
	type ScenarioParams
} from './parameters';
import type { SimulationResult } from './result';

/** A distance in French, km (whole or 1 decimal). */
export const km = (value: number) =>
	`${formatDecimal(value, Number.isInteger(value) ? 0 : 1)}\u00a0km`;

/** French description of a candidate rule. */
export function describeCandidateRule(rule: CandidateRule): string {
	switch (rule.rule) {
		case 'toutes':
			return 'Centres de toutes les communes du territoire.';
		case 'population_min':
			return `Centres des communes du territoire d’au moins ${formatInteger(rule.populationMin)} habitants (population municipale).`;
		case 'france_services_sans_conseiller':
			return `France services du territoire sans conseiller numérique (ni lieu d’activité ni poste) dans la même commune ni à moins de ${km(CONSEILLER_NEARBY_KM)}.`;
	}
}

/** French description of what counts as an existing place under a candidate rule. */
export function describeExistingPlaces(rule: CandidateRuleId): string {
	const all =
		'Tous les lieux de médiation connus (France services, lieux d’activité et postes de conseillers numériques, structures Aidants Connect, autres lieux de médiation), y compris hors du territoire, quelle que soit la règle des candidats';
	return rule === 'france_services_sans_conseiller'
		? `${all}. Avec cette règle, les France services sans conseiller numérique à proximité sont des sites à renforcer : dans « après », elles ne comptent comme lieux (couverture, distance) que si elles sont proposées.`
		: `${all}.`;
}

export function methodTexts(params: ScenarioParams): SimulationResult['methode'] {
	return {
		demande:
			'Personnes de 15 ans ou plus éloignées du numérique (estimation du modèle de besoins), par commune du territoire, placées au centre de la commune. Les personnes hors du territoire ne comptent pas.',
		lieux: describeExistingPlaces(params.candidates.rule),
		distance:
			'Distance à vol d’oiseau entre le centre de la commune et le lieu le plus proche (la distance par la route est environ 1,3 fois plus longue).',
		objectif:
			params.objective === 'capacite'
				? `${OBJECTIVE_LABELS.capacite} : choisir les sites qui portent le plus de personnes éloignées vers un seuil d’accessibilité E2SFCA (maximiser Σ besoin × min(accessibilité, seuil), variante linéaire à seuil du problème d’égalité maximale d’accessibilité de Wang et Tang, 2013). Seuil : l’accessibilité moyenne du territoire si les postes financés étaient répartis exactement selon les besoins. Algorithme glouton paresseux, puis, à l’échelle d’un département ou d’un EPCI, programme linéaire en nombres entiers résolu par HiGHS ; l’écart maximal à l’optimum est prouvé par le solveur ou par la borne sous-modulaire (Nemhauser, Wolsey et Fisher, 1978).`
				: params.objective === 'couverture'
					? `Couverture maximale (Church et ReVelle, 1974) : choisir les sites qui mettent le plus de personnes éloignées à moins de ${km(params.coverageKm)} d’un lieu. Algorithme glouton paresseux puis échanges de sites et redémarrages.`
					: 'Distance moyenne minimale (p-médiane, Hakimi 1964) : choisir les sites qui rapprochent le plus les personnes éloignées de leur lieu le plus proche. Algorithme glouton paresseux puis échanges de sites et redémarrages.',
		accessibilite: `Accessibilité E2SFCA (Luo et Qi, 2009), en ${ACCESS_SCORE_UNIT}, moyenne des communes du territoire pondérée par leurs personnes éloignées ; chaque nouveau site compte pour ${formatInteger(NEW_SITE_SUPPLY)} conseiller.`,
		gains:
			params.objective === 'capacite'
				? 'Le gain d’un site compte, après les sites classés avant lui, les personnes éloignées qui passent au-dessus du seuil et l’accès moyen des personnes sous le seuil qu’il atteint.'
				: 'Le gain d’un site compte les personnes nouvellement à moins de la distance de couverture, après les sites classés avant lui : la somme des gains est le nombre de personnes nouvellement couvertes.'
	};
}
