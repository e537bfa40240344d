/**
 * The French explanation of the "personnes éloignées du numérique" model for the Sources et méthode
 * page, written for an elected official. The text quotes the calibrated values of the current data,
 * so it always matches what the map and the API show.
 */
import { formatDecimal, formatInteger, formatPercent } from '../format/number';
import type { RemoteModel } from './model';
import {
	AGE_RATES_2019,
	FRANCE_SHARE_2019,
	FRANCE_SHARE_2021,
	MODEL_CONSTANTS,
	MODEL_VERSION,
	TARGET_MAINLAND_SHARE_2019,
	TERRITORY_LABELS,
	TERRITORY_RATES_2019,
	type ModelConstant
} from './constants';
import { withFrenchSpacing } from './text';

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
	const p = model.pooling;
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
			use: 'Donne un taux de pauvreté aux communes où Filosofi ne le publie pas ; l’écart-type entre dans la fourchette.'
		},
		{
			id: 'education-on-age',
			label: 'Score « sans diplôme » IFN expliqué par l’âge',
			value: `score ≈ ${formatDecimal(model.educationOnAge.intercept, 2)} + ${formatDecimal(model.educationOnAge.slope, 3)} × part des 60 ans et plus parmi les 15 ans et plus (%) ; écart-type résiduel ${formatDecimal(model.educationResidualSd, 2)}`,
			status: 'ajusté sur les données',
			source: 'Toutes les communes avec un score IFN',
			use: 'Seul l’écart à cette droite (le diplôme à âge égal) entre dans l’indice social : l’âge n’est pas compté deux fois.'
		},
		{
			id: 'scale',
			label: 'Facteur d’échelle k',
			value: formatDecimal(model.scale, 3),
			status: 'ajusté sur les données',
			source: `France métropolitaine à ${pct(TARGET_MAINLAND_SHARE_2019)} (INSEE 2019)`,
			use: `Avec les seuls taux par âge, la métropole serait à ${pct(model.calibration.ageOnlyMainlandShare, 1)}.`
		},
		{
			id: 'gamma',
			label: 'Force de l’ajustement social γ',
			value: `${formatDecimal(model.gamma, 3)} par écart-type de l’indice social (soit ${pct(Math.exp(model.gamma) - 1, 1)} de plus par écart-type)`,
			status: 'ajusté sur les données',
			source:
				'Régions publiées par l’INSEE, par moindres écarts absolus (une région inexpliquée ne tord pas le modèle)',
			use: 'Relève l’estimation des communes pauvres et peu diplômées, abaisse celle des autres.'
		},
		{
			id: 'theta',
			label: 'Pente territoriale θ',
			value: `${formatDecimal(model.theta, 3)} (× ${formatDecimal(Math.exp(2 * model.theta), 2)} entre les grands centres urbains et le rural à habitat très dispersé, à âge et situation sociale égaux)`,
			status: 'ajusté sur les données',
			source: 'Gradient INSEE 2019 : 22 % hors attraction des villes, 13 % dans les grandes aires',
			use: 'Effet régulier d’un niveau de la grille de densité au suivant, sans saut.'
		},
		{
			id: 'pooling',
			label: 'Effets régionaux (mise en commun bayésienne empirique)',
			value: `τ = ${formatDecimal(Math.sqrt(p.tau2), 3)} (écart-type des effets régionaux, échelle log) ; moyenne des régions publiées ${formatDecimal(p.mean, 3)} ± ${formatDecimal(Math.sqrt(p.meanVariance), 3)}, ramenée à ${formatDecimal(p.pooled, 3)}`,
			status: 'ajusté sur les données',
			source: 'Écarts logarithmiques entre chiffres publiés et modèle (Fay et Herriot, 1979)',
			use: 'Effet donné aux régions sans chiffre publié, et largeur de leur fourchette.'
		}
	];
}

/** The references of the method, for a reader who wants to check it. */
export const METHOD_REFERENCES: readonly string[] = [
	'J. N. K. Rao et I. Molina, Small Area Estimation, 2e éd., Wiley, 2015 (estimateurs synthétiques et composites, modèle de Fay-Herriot, erreur quadratique de prédiction).',
	'R. E. Fay et R. A. Herriot, « Estimates of income for small places: an application of James-Stein procedures to census data », Journal of the American Statistical Association, 74, 1979.',
	'D. Pfeffermann, « New important developments in small area estimation », Statistical Science, 28(1), 2013 (calage des estimations sur des totaux publiés, « benchmarking »).',
	'B. Efron et C. Stein, « Stein’s paradox in statistics », Scientific American, 1977 (réduction vers zéro d’une moyenne mal connue).'
];

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
					`En France, l’INSEE en compte ${pct(FRANCE_SHARE_2019)} en 2019 et ${pct(FRANCE_SHARE_2021, 1)} en 2021 (définition modifiée). Personne ne publie ce chiffre commune par commune : l’atlas l’estime, au niveau de 2019, par une méthode d’estimation sur petits domaines (Rao et Molina, 2015).`
				]
			},
			{
				title: '1. L’âge, premier facteur',
				paragraphs: [
					`L’INSEE mesure, en 2019, ${pct(r.a15to44)} d’illectronisme chez les 15–44 ans, ${pct(r.a45to59)} chez les 45–59 ans, ${pct(r.a60to74)} chez les 60–74 ans et ${pct(r.a75plus)} chez les 75 ans et plus. Une commune âgée compte donc, toutes choses égales par ailleurs, beaucoup plus de personnes concernées.`,
					'L’âge des habitants vient, par ordre de préférence : du fichier INSEE par âge (base « évolution et structure de la population ») si un utilisateur l’ajoute aux sources — c’est alors aussi lui qui donne le nombre de personnes de 15 ans ou plus de chaque commune ; pour le Nord, de la part mesurée des 60 ans et plus (recensement 2021) ; ailleurs, du score d’âge de l’indice de fragilité numérique (IFN), traduit en part de 60 ans et plus grâce aux 647 communes du Nord où l’on connaît les deux.',
					'Les 60 ans et plus sont ensuite répartis entre 60–74 ans et 75 ans et plus, et les 15–59 ans entre 15–44 ans et 45–59 ans, selon les proportions nationales (environ 35 % dans les deux cas) ; sans le fichier INSEE par âge, la part des 15 ans et plus est la moyenne nationale (82 %) : ce sont des ordres de grandeur, dont l’incertitude élargit la fourchette.'
				]
			},
			{
				title: '2. La pauvreté et le diplôme',
				paragraphs: [
					'À âge égal, les personnes pauvres ou sans diplôme sont plus souvent éloignées du numérique (INSEE 2021 : 42 % chez les personnes ayant au plus le certificat d’études, 3 % chez les diplômés de niveau bac+3). L’indice social de l’atlas est la moyenne de deux mesures ramenées à la même échelle (écart à la moyenne nationale, en écarts-types).',
					'La pauvreté : le taux de pauvreté mesuré par l’INSEE (Filosofi 2021) quand il est publié, soit pour environ 4 350 communes qui regroupent la majorité des habitants, sinon le score de pauvreté de l’IFN traduit en taux. Il entre sur une échelle logistique et sans plafond : Roubaix (46 %) ou Grigny (44 %) comptent pour ce qu’ils sont.',
					'Le diplôme : le score « sans diplôme » de l’IFN, corrigé de ce que l’âge des habitants explique déjà (une commune âgée compte mécaniquement plus de personnes sans diplôme) ; seul l’écart à âge égal compte, pour ne pas compter l’âge deux fois.',
					`Chaque écart-type d’indice social au-dessus de la moyenne augmente l’estimation de ${pct(Math.exp(model.gamma) - 1, 1)}. Cette force est ajustée sur les chiffres régionaux publiés par l’INSEE.`
				]
			},
			{
				title: '3. Le type de territoire',
				paragraphs: [
					`L’INSEE observe ${pct(TERRITORY_RATES_2019['hors-attraction'])} d’illectronisme dans les ${TERRITORY_LABELS['hors-attraction']}, ${pct(TERRITORY_RATES_2019['petits-poles'])} dans les ${TERRITORY_LABELS['petits-poles']} et ${pct(TERRITORY_RATES_2019['grandes-aires'])} dans les ${TERRITORY_LABELS['grandes-aires']}, contre ${pct(TARGET_MAINLAND_SHARE_2019)} en moyenne (2019).`,
					`L’atlas utilise la grille communale de densité de l’INSEE (7 niveaux, présente dans les sources) comme une échelle continue : l’estimation augmente régulièrement d’un niveau au suivant (× ${formatDecimal(Math.exp(model.theta / 3), 3)} par niveau), sans saut entre deux classes voisines. La pente est choisie pour que, à âge et situation sociale égaux, le rural à habitat très dispersé et les grands centres urbains retrouvent le rapport 22 / 13 publié.`
				]
			},
			{
				title: '4. Le calage sur les chiffres publiés',
				paragraphs: [
					`Le niveau national est fixé par les ${pct(TARGET_MAINLAND_SHARE_2019)} de la France métropolitaine (2019). Puis chaque région pour laquelle l’INSEE a publié un chiffre avec la même enquête (Hauts-de-France, Île-de-France, Nouvelle-Aquitaine, Centre-Val de Loire, Corse) est recalée sur ce chiffre : toutes ses communes sont multipliées par le même facteur, si bien que le modèle répartit le total publié entre les communes (« benchmarking », Pfeffermann, 2013).`,
					'Les régions sans chiffre publié reçoivent l’écart moyen des régions publiées, ramené vers zéro selon sa précision (estimation bayésienne empirique, modèle de Fay et Herriot, 1979) : jamais un ajustement arbitraire. Les chiffres des petites régions, plus incertains, pèsent moins.',
					'Outre-mer, l’INSEE a mesuré en 2017 environ 30 % d’illectronisme en Guadeloupe, en Martinique et à La Réunion, contre 19 % en métropole. L’atlas applique ce rapport au niveau métropolitain de 2019. La Guyane, sans enquête, reçoit le même rapport : c’est une extrapolation, signalée comme telle, avec une fourchette large. Mayotte n’a jamais été enquêtée : elle n’est pas estimée (valeur vide dans l’API, gris sur la carte).',
					`Résultat : ${pct(c.mainlandShare, 1)} des 15 ans et plus en France métropolitaine après calage régional, ${pct(c.franceShare, 1)} en France hors Mayotte.`
				]
			},
			{
				title: '5. La fourchette à 90 %',
				paragraphs: [
					'Chaque estimation est donnée avec une fourchette prédictive à 90 % : si le modèle est juste, le vrai chiffre se trouve dans la fourchette 9 fois sur 10. Elle réunit plusieurs erreurs, qui ne se comportent pas de la même façon quand on additionne des communes.',
					'L’erreur de la région (écart entre régions mesuré sur les chiffres publiés, ou erreur du chiffre publié lui-même pour une région recalée) est commune à toutes ses communes ; celle du département aussi. Elles ne se compensent donc pas quand on additionne des communes : la fourchette d’une région ou d’un département reste large, au lieu de rétrécir à tort comme si chaque commune se trompait indépendamment.',
					'S’y ajoutent l’incertitude du calage (recalculé en retirant tour à tour chaque chiffre régional, méthode du jackknife), l’erreur des données estimées de chaque commune (âge et pauvreté lus sur un score) et le bruit de comptage des petites communes, où quelques personnes de plus ou de moins changent beaucoup la part.',
					'La fourchette est vérifiée : on refait le modèle sans une région publiée, on prédit cette région, et on regarde si le chiffre INSEE tombe dans la fourchette (validation croisée ; tableau ci-dessous).'
				]
			}
		],
		limits: [
			'C’est une estimation statistique, pas un comptage : elle dit combien de personnes on peut s’attendre à trouver compte tenu de l’âge, de la pauvreté, du diplôme, du type de territoire et de la région, pas qui elles sont.',
			'Cinq chiffres régionaux seulement servent de référence, dont quatre sont cités par des sources secondaires : la validation croisée porte sur cinq points et reste fragile.',
			'La Corse (25 % publié) n’est expliquée par aucun facteur du modèle : sans son chiffre, le modèle la placerait vers 17 %. L’INSEE (Insee Flash Corse n° 77, 2023) attribue ce niveau à la structure de sa population, moins diplômée et vivant plus souvent seule, avec un illectronisme déjà de 8 % chez les 15-44 ans ; les sources de l’atlas ne mesurent ni le diplôme (seulement un rang IFN) ni la composition des ménages par commune, et la base INSEE « dossier complet » qui les donne n’est pas dans ses sources. Une région sans chiffre publié pourrait de même s’écarter fortement du modèle ; sa fourchette en tient compte en moyenne, pas au cas par cas.',
			'Hors du Nord, l’âge des habitants n’est pas mesuré mais déduit d’un score de classement (IFN), qui resserre les écarts entre communes jeunes et âgées. Ajouter le fichier INSEE par âge aux sources le supprime, et donne aussi la vraie part des 15 ans et plus de chaque commune (sans lui : 82 % partout, trop pour la Guyane, jeune).',
			'Outre-mer, le niveau vient d’une enquête de 2017 (« environ 30 % »), reporté en 2019 par le rapport à la métropole ; la Guyane est extrapolée ; Mayotte n’est pas estimée.',
			'Le score « sans diplôme » de l’IFN est un rang, pas un taux : son effet est calé globalement, pas mesuré.',
			'L’estimation est au niveau de 2019 ; l’INSEE mesure un niveau plus bas en 2021 (15,4 %) avec une définition différente.',
			'Les écarts propres aux départements et aux communes ne sont mesurés par aucun chiffre publié : leur ampleur est une hypothèse (la même que celle des régions). Les petites communes ont des fourchettes larges : comparez plutôt des intercommunalités ou des départements.'
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
