/**
 * The French explanation of the "personnes éloignées du numérique" model for the Sources et méthode
 * page, written for an elected official. The text quotes the calibrated values of the current data,
 * so it always matches what the map and the API show.
 */
import { formatDecimal, formatInteger, formatPercent } from '../format/number';
import type { RemoteModel } from './remote-population';
import {
	AGE_RATES_2019,
	FRANCE_SHARE_2019,
	FRANCE_SHARE_2021,
	MODEL_CONSTANTS,
	MODEL_VERSION,
	TARGET_HDF_PERSONS,
	TARGET_MAINLAND_SHARE_2019,
	TERRITORY_LABELS,
	TERRITORY_RATES_2019,
	type ModelConstant
} from './remote-population-constants';
import { withFrenchSpacing } from './remote-population-text';

export interface MethodSection {
	title: string;
	paragraphs: string[];
}

export interface MethodDescription {
	version: string;
	sections: MethodSection[];
	/** The limits, stated plainly. */
	limits: string[];
	/** Every constant: the published and assumed ones, then those fitted on the data. */
	constants: ModelConstant[];
}

const pct = (share: number, digits = 0) => formatPercent(share * 100, digits);

/** The values fitted or calibrated on the current data, as rows of the constants table. */
function calibratedConstants(model: RemoteModel): ModelConstant[] {
	const { age, poverty } = model.fits;
	const f = model.territoryFactors;
	return [
		{
			id: 'age-proxy',
			label: 'Correspondance score d’âge IFN → part des 60 ans et plus',
			value: `part des 60 ans et plus (%) ≈ ${formatDecimal(age.intercept)} + ${formatDecimal(age.slope, 2)} × score ; écart-type résiduel ${formatDecimal(age.residualSd)} point (${formatInteger(age.n)} communes, R² = ${formatDecimal(age.rSquared, 2)})`,
			status: 'ajusté sur les données',
			source: 'Communes du Nord : INSEE RP2021 (part des 60 ans et plus) et IFN 2023 (score d’âge)',
			use: 'Estime l’âge des communes hors du Nord ; l’écart-type entre dans la fourchette.'
		},
		{
			id: 'poverty-proxy',
			label: 'Correspondance score de pauvreté IFN → taux de pauvreté',
			value: `taux de pauvreté (%) ≈ ${formatDecimal(poverty.intercept)} + ${formatDecimal(poverty.slope, 2)} × score ; écart-type résiduel ${formatDecimal(poverty.residualSd)} points (${formatInteger(poverty.n)} communes)`,
			status: 'ajusté sur les données',
			source: 'Communes où l’INSEE publie le taux de pauvreté (Filosofi 2021) et IFN 2023',
			use: 'Met le taux Filosofi mesuré et le score IFN sur la même échelle ; l’écart-type entre dans la fourchette.'
		},
		{
			id: 'scale',
			label: 'Facteur d’échelle k',
			value: formatDecimal(model.scale, 3),
			status: 'ajusté sur les données',
			source: `Calibrage n°1 : France métropolitaine à ${pct(TARGET_MAINLAND_SHARE_2019)} (INSEE 2019)`,
			use: `Avec les seuls taux par âge, la métropole serait à ${pct(model.calibration.ageOnlyMainlandShare, 1)}.`
		},
		{
			id: 'gamma',
			label: 'Force de l’ajustement social γ',
			value: `${formatDecimal(model.gamma, 3)} par point d’indice social (soit ${pct(Math.exp(model.gamma) - 1, 1)} de plus par point)`,
			status: 'ajusté sur les données',
			source: `Calibrage n°2 : Hauts-de-France à ${formatInteger(TARGET_HDF_PERSONS)} personnes (INSEE 2019)`,
			use: 'Relève l’estimation des communes pauvres et peu diplômées, abaisse celle des autres.'
		},
		{
			id: 'territory-factors',
			label: 'Ajustements territoriaux',
			value: `grandes villes × ${formatDecimal(f['grandes-aires'], 2)} · petits pôles × ${formatDecimal(f['petits-poles'], 2)} · hors attraction des villes × ${formatDecimal(f['hors-attraction'], 2)} · autres × 1`,
			status: 'ajusté sur les données',
			source:
				'Écart entre le gradient publié par l’INSEE (22 %, 24 %, 13 % contre 16 %) et ce que l’âge et la situation sociale expliquent déjà',
			use: 'Reproduit, en moyenne par type de territoire, les écarts publiés par l’INSEE.'
		}
	];
}

/**
 * The method text, its limits and the full table of constants, for the current calibrated model.
 */
export function describeRemotePopulationMethod(model: RemoteModel): MethodDescription {
	const c = model.calibration;
	const r = AGE_RATES_2019;
	const description: MethodDescription = {
		version: MODEL_VERSION,
		sections: [
			{
				title: 'Ce que l’on compte',
				paragraphs: [
					'Les personnes de 15 ans ou plus « éloignées du numérique » au sens de l’INSEE (illectronisme) : elles n’ont pas utilisé internet dans l’année, ou l’utilisent sans savoir faire aucune des opérations de base (chercher une information, communiquer, résoudre un problème simple, utiliser un logiciel).',
					`En France, l’INSEE en compte ${pct(FRANCE_SHARE_2019)} en 2019 et ${pct(FRANCE_SHARE_2021, 1)} en 2021. Personne ne publie ce chiffre commune par commune : l’atlas l’estime.`
				]
			},
			{
				title: '1. L’âge, premier facteur',
				paragraphs: [
					`L’INSEE mesure, en 2019, ${pct(r.a15to44)} d’illectronisme chez les 15–44 ans, ${pct(r.a45to59)} chez les 45–59 ans, ${pct(r.a60to74)} chez les 60–74 ans et ${pct(r.a75plus)} chez les 75 ans et plus. Une commune âgée compte donc, toutes choses égales par ailleurs, beaucoup plus de personnes concernées.`,
					'L’âge des habitants vient, par ordre de préférence : du fichier INSEE par âge si un utilisateur l’ajoute aux sources ; pour le Nord, de la part mesurée des 60 ans et plus (recensement 2021) ; ailleurs, du score d’âge de l’indice de fragilité numérique (IFN), un classement des communes de 0 à 10. Ce score est traduit en part de 60 ans et plus grâce aux 647 communes du Nord où l’on connaît les deux : c’est une estimation, avec une marge d’erreur qui entre dans la fourchette.',
					'Les 60 ans et plus sont ensuite répartis entre 60–74 ans et 75 ans et plus, et les 15–59 ans entre 15–44 ans et 45–59 ans, selon les proportions nationales (environ 35 % dans les deux cas) : ce sont des ordres de grandeur, dont l’incertitude élargit aussi la fourchette.'
				]
			},
			{
				title: '2. La pauvreté et le diplôme',
				paragraphs: [
					'À âge égal, les personnes pauvres ou sans diplôme sont plus souvent éloignées du numérique (INSEE 2021 : 42 % chez les personnes ayant au plus le certificat d’études, 3 % chez les diplômés de niveau bac+3). L’atlas calcule un indice social de 0 à 10, moyenne d’un indice de pauvreté et du score « sans diplôme » de l’IFN.',
					'L’indice de pauvreté utilise le taux de pauvreté mesuré par l’INSEE (Filosofi 2021) quand il est publié, soit pour environ 4 350 communes qui regroupent la majorité des habitants ; ailleurs, le score de pauvreté de l’IFN.',
					`Chaque point d’indice au-dessus de la moyenne nationale augmente l’estimation de ${pct(Math.exp(model.gamma) - 1, 1)} ; chaque point en dessous la diminue d’autant. Cette force n’est publiée nulle part : elle est calée pour que les Hauts-de-France, région plus jeune mais plus pauvre que la moyenne, retrouvent le chiffre de l’INSEE (${formatInteger(TARGET_HDF_PERSONS)} personnes).`
				]
			},
			{
				title: '3. Le type de territoire',
				paragraphs: [
					`L’INSEE observe ${pct(TERRITORY_RATES_2019['hors-attraction'])} d’illectronisme dans les ${TERRITORY_LABELS['hors-attraction']}, ${pct(TERRITORY_RATES_2019['petits-poles'])} dans les ${TERRITORY_LABELS['petits-poles']} et ${pct(TERRITORY_RATES_2019['grandes-aires'])} dans les ${TERRITORY_LABELS['grandes-aires']}, contre ${pct(TARGET_MAINLAND_SHARE_2019)} en moyenne (2019).`,
					'Une partie de ces écarts s’explique déjà par l’âge et la situation sociale. L’atlas n’ajoute que le reste, de sorte que chaque type de territoire retrouve en moyenne le taux publié. Faute du zonage INSEE en aires d’attraction des villes, les types de territoire sont repérés avec la grille communale de densité (grands centres urbains, petites villes, rural à habitat très dispersé) : c’est une approximation.'
				]
			},
			{
				title: '4. Le calage sur deux chiffres publiés, et eux seuls',
				paragraphs: [
					`Deux chiffres de l’INSEE servent à caler le modèle : ${pct(TARGET_MAINLAND_SHARE_2019)} d’illectronisme en France métropolitaine en 2019, et ${formatInteger(TARGET_HDF_PERSONS)} personnes dans les Hauts-de-France. Le premier fixe le niveau général (facteur ${formatDecimal(model.scale, 3)}), le second la force de l’ajustement social. Aucun autre chiffre n’est utilisé pour ajuster le modèle : les autres servent de contrôle.`,
					`Résultat : ${pct(c.franceShare, 1)} des 15 ans et plus en France (101 départements) et ${formatInteger(c.hdfPersons)} personnes dans les Hauts-de-France.${c.hdfReached ? '' : ' Attention : la cible des Hauts-de-France n’a pas pu être atteinte avec un ajustement social positif.'}`
				]
			},
			{
				title: '5. La fourchette',
				paragraphs: [
					'Chaque estimation est donnée avec une fourchette basse et haute (environ 90 %). Elle réunit deux sortes d’incertitude, qui ne se cumulent pas de la même façon quand on additionne des communes.',
					'Les incertitudes communes à toutes les communes ne se compensent pas : niveau de 2021 plutôt que de 2019 (15,4 % au lieu de 17 %), proportions nationales par âge, force de l’ajustement social, correspondance entre densité et type de territoire. Le modèle est recalculé avec des hypothèses basses et hautes, et l’écart est additionné commune par commune.',
					'Les incertitudes propres à chaque commune (âge estimé à partir du score IFN, pauvreté estimée, écart local aux proportions nationales) se compensent en partie quand on additionne des communes : leurs variances s’additionnent. C’est pourquoi la fourchette d’un département est, en proportion, plus étroite que celle d’une petite commune, mais jamais plus étroite que les incertitudes communes.'
				]
			}
		],
		limits: [
			'C’est une estimation statistique, pas un comptage : elle dit combien de personnes on peut s’attendre à trouver compte tenu de l’âge, de la pauvreté, du diplôme et du type de territoire, pas qui elles sont.',
			'Hors du Nord, l’âge des habitants n’est pas mesuré mais déduit d’un score de classement (IFN) : pour une commune donnée, l’écart avec la réalité peut être important. Ajouter le fichier INSEE par âge aux sources le supprime.',
			'Les taux par âge datent de 2019 et portent sur la France métropolitaine ; les populations sont celles en vigueur en 2026. Les départements d’outre-mer sont estimés avec les mêmes taux, faute de chiffres publiés sur le même modèle : leurs estimations sont probablement trop basses (le taux national de l’INSEE, 17 % avec l’outre-mer hors Mayotte, dépasse le taux métropolitain de 16 %, ce qui suppose des taux bien plus élevés outre-mer).',
			'Le score « sans diplôme » de l’IFN est un rang, pas un taux : son effet est calé globalement, pas mesuré.',
			'Le type de territoire est rapproché de la grille de densité, alors que l’INSEE utilise les aires d’attraction des villes.',
			'Les Hauts-de-France servent au calage : leur total n’est donc pas une vérification indépendante. Les petites communes ont des fourchettes larges : comparez plutôt des intercommunalités ou des départements.'
		],
		constants: [...MODEL_CONSTANTS, ...calibratedConstants(model)]
	};
	return {
		...description,
		sections: description.sections.map((s) => ({
			title: withFrenchSpacing(s.title),
			paragraphs: s.paragraphs.map(withFrenchSpacing)
		})),
		limits: description.limits.map(withFrenchSpacing),
		constants: description.constants.map((k) => ({
			...k,
			label: withFrenchSpacing(k.label),
			value: withFrenchSpacing(k.value),
			source: withFrenchSpacing(k.source),
			use: withFrenchSpacing(k.use)
		}))
	};
}
