/**
 * Every published figure and every assumption of the "personnes éloignées du numérique" model, each
 * with its source. The model (`remote-population.ts`) reads the numbers from here and the "Sources et
 * méthode" page prints `MODEL_CONSTANTS`, so the page can never drift from the code.
 *
 * Source notes: the rates were collected in `geodata-sources/rates/illectronisme-taux-publies.md`
 * (primary = read on insee.fr, secondary = quoted by a third party). "Ordre de grandeur" marks a
 * figure we could not read to the decimal: the model widens its band for those.
 */

/** Version of the model, reported by the API and the data report. Bump it when a constant changes. */
export const MODEL_VERSION = '2.0.0';

/** Age bands of the INSEE 2019 illectronisme rates, people aged 15 or more. */
export type AgeBand = 'a15to44' | 'a45to59' | 'a60to74' | 'a75plus';

export const AGE_BAND_LABELS: Record<AgeBand, string> = {
	a15to44: '15–44 ans',
	a45to59: '45–59 ans',
	a60to74: '60–74 ans',
	a75plus: '75 ans et plus'
};

/**
 * Illectronisme rate by age, 2019, mainland France, people aged 15+ (share, 0–1).
 * Source: Insee Analyses n°85 (June 2023, A. Branche-Seigeot), quoted by economiematin.fr
 * (secondary); 67 % at 75+ is also quoted as 67.2 % (telemedaction.org). Same survey, scope and year
 * as the territorial gradient and the Hauts-de-France figure below, which is why the model uses the
 * 2019 series and not 2021.
 */
export const AGE_RATES_2019: Readonly<Record<AgeBand, number>> = {
	a15to44: 0.03,
	a45to59: 0.09,
	a60to74: 0.27,
	a75plus: 0.67
};

/**
 * The same rates in 2021 where INSEE published them (INSEE Première n°1953, June 2023, via
 * causecommune-larevue.fr, boursier.com: secondary): 60–74: 24 %, 75+: 62 % (61.9 %); 15–24: 2 %,
 * 25–39: 4 %. Shown on the Sources page to explain the low end of the band; the 2021 survey has a
 * different definition (3-month window, 5 skill domains), so the two series are not mixed.
 */
export const AGE_RATES_2021_PUBLISHED = { a60to74: 0.24, a75plus: 0.62 } as const;

/**
 * Calibration target 1: illectronisme among people aged 15+ in mainland France, 2019 (share).
 * Source: Insee Analyses n°85 (primary, https://www.insee.fr/fr/statistiques/7636058).
 */
export const TARGET_MAINLAND_SHARE_2019 = 0.16;

/** Calibration target 2: people in illectronisme in Hauts-de-France (persons, 2019). Insee Analyses Hauts-de-France n°118 (Dec. 2020, primary, https://www.insee.fr/fr/statistiques/4986976): "800 000 habitants", 17 % of people aged 15+. */
export const TARGET_HDF_PERSONS = 800_000;
/** Région code of Hauts-de-France (COG). */
export const HDF_REGION = '32';

/** Illectronisme, France excluding Mayotte, 2019, 15+: 17 % (16.5 %). INSEE Première n°1780 (primary). Used as a check, not as a target. */
export const FRANCE_SHARE_2019 = 0.17;
/** Illectronisme, France, 2021, 15+: 15.4 %. INSEE Première n°1953 (primary, https://www.insee.fr/fr/statistiques/7633654). */
export const FRANCE_SHARE_2021 = 0.154;

/**
 * Low end of the level uncertainty: what the estimate becomes if the 2021 level holds instead of
 * 2019 (15.4 % / 17 %, both INSEE France figures above): −9.4 %, applied to every commune at once.
 */
export const LEVEL_FACTOR_LOW = FRANCE_SHARE_2021 / FRANCE_SHARE_2019;
/**
 * High end of the level uncertainty: the 16 % mainland target is published rounded to the point, so
 * it may be up to 16.5 % (+3.1 %); survey sampling error is of the same order (ordre de grandeur).
 */
export const LEVEL_FACTOR_HIGH = 0.165 / TARGET_MAINLAND_SHARE_2019;

/**
 * Relative uncertainty of the Hauts-de-France target (ordre de grandeur): ±1 point on 17 %, i.e.
 * ±6 %, for a regional figure from a national survey ("800 000" is also rounded).
 * It moves the strength of the social adjustment (the parameter calibrated on that target).
 */
export const HDF_TARGET_RELATIVE_UNCERTAINTY = 0.06;

/** The three kinds of territory for which INSEE publishes a 2019 rate, plus "other". */
export type TerritoryClass = 'grandes-aires' | 'petits-poles' | 'hors-attraction' | 'autre';

/**
 * Illectronisme by type of territory, mainland France, 2019 (share). Insee Analyses n°85 (primary):
 * 22 % in communes outside the attraction of cities, 24 % in small urban poles, 13 % in the largest
 * cities (aires of 700,000+ inhabitants, threshold quoted by economiematin.fr).
 */
export const TERRITORY_RATES_2019: Readonly<Record<Exclude<TerritoryClass, 'autre'>, number>> = {
	'hors-attraction': 0.22,
	'petits-poles': 0.24,
	'grandes-aires': 0.13
};

export const TERRITORY_LABELS: Record<TerritoryClass, string> = {
	'grandes-aires': 'grandes villes (aires de 700 000 habitants ou plus)',
	'petits-poles': 'petits pôles urbains',
	'hors-attraction': 'communes hors de l’attraction des villes',
	autre: 'autres territoires (pas de taux INSEE publié)'
};

/**
 * Approximate mapping of the INSEE density grid (7 levels) to INSEE's zoning in aires d'attraction
 * des villes, which we do not have (hypothèse): 1 Grands centres urbains → largest cities,
 * 4 Petites villes → small poles, 7 Rural à habitat très dispersé → outside the attraction of cities.
 * Level 6 (rural à habitat dispersé, 10 million people) is left out: most of it lies in the commuter
 * belts of cities, which INSEE counts inside their aires. Levels 2, 3, 5 have no published rate and
 * get no territorial adjustment.
 */
export const DENSITY_TO_TERRITORY: Readonly<Record<number, TerritoryClass>> = {
	1: 'grandes-aires',
	2: 'autre',
	3: 'autre',
	4: 'petits-poles',
	5: 'autre',
	6: 'autre',
	7: 'hors-attraction'
};

/** The broad variant used for the band: level 6 also counted as outside the attraction of cities. */
export const DENSITY_TO_TERRITORY_BROAD: Readonly<Record<number, TerritoryClass>> = {
	...DENSITY_TO_TERRITORY,
	6: 'hors-attraction'
};

/**
 * Weight of the territorial adjustment in the low-mapping scenario of the band: because the density
 * grid only approximates the aires d'attraction, the band also shows the result with half the
 * adjustment (hypothèse).
 */
export const TERRITORY_WEIGHT_LOW = 0.5;

/**
 * Share of the population aged 15 or more (ordre de grandeur). INSEE RP2021 (POP3, France entière,
 * primary, https://www.insee.fr/fr/statistiques/8200791?geo=FE-1): 55,559,017 people aged 15+, for a
 * population of about 68 million, i.e. ≈ 82 % (about 18 % under 15). Used only when the INSEE age
 * file is absent.
 */
export const SHARE_15_PLUS = 0.82;
/** Commune-level spread of that share (ordre de grandeur: most communes lie between 76 % and 88 %). */
export const SHARE_15_PLUS_SD = 0.03;
/** INSEE RP2021, France entière, people aged 15+ (POP3, primary). A check of the 15+ total. */
export const RP2021_FRANCE_15_PLUS = 55_559_017;

/**
 * Share of people aged 75+ among people aged 60+ (ordre de grandeur). Derived from INSEE RP2021 POP3
 * France entière (65–79: 9.72 M, 80+: 4.10 M, 55–64: 8.54 M, splitting 5-year groups evenly) and
 * consistent with INSEE population estimates for 2021 (Auvergne-Rhône-Alpes 36 %, Pays de la Loire
 * 35 %, Oise 31 %, Cantal 37 %, via handidonnees.fr).
 */
export const SHARE_75_IN_60_PLUS = 0.35;
/** Commune-level spread of that share (ordre de grandeur). */
export const SHARE_75_IN_60_PLUS_SD = 0.05;
/** Low and high values of that share for the band (the département range above, widened). */
export const SHARE_75_IN_60_PLUS_RANGE: readonly [number, number] = [0.31, 0.39];

/**
 * Share of people aged 45–59 among people aged 15–59 (ordre de grandeur). Derived from INSEE RP2021
 * POP3 France entière (15–39: 20.09 M, 40–54: 13.10 M, 55–64: 8.54 M, 5-year groups split evenly).
 */
export const SHARE_45_IN_15_59 = 0.35;
/** Commune-level spread of that share (ordre de grandeur). */
export const SHARE_45_IN_15_59_SD = 0.05;
/** Low and high values for the band. */
export const SHARE_45_IN_15_59_RANGE: readonly [number, number] = [0.31, 0.39];

/**
 * Share of people aged 60+ among people aged 15+, France, 2021 (ordre de grandeur ≈ 32.5 %): INSEE
 * RP2021 POP3 (65+: 13.82 M plus half of 55–64: 4.27 M, out of 55.56 M). A check of the age proxy,
 * printed by the data report; not used in the computation.
 */
export const SHARE_60_IN_15_PLUS_2021 = 0.325;

/**
 * The IFN age score is a decile: 10 is open-ended (communes far older than the Nord communes used to
 * read the score) and the Nord has no commune at 10. The proxy error is doubled there (hypothèse).
 */
export const AGE_PROXY_TOP_DECILE_SD_FACTOR = 2;

/** Spread of a 0–10 decile score over communes (√(100/12) ≈ 2.9): the error when a score is missing. */
export const MISSING_SCORE_SD = Math.sqrt(100 / 12);

/**
 * Bracket searched for the social parameter γ (per point of the 0–10 social index). γ ≥ 0 keeps the
 * model monotone: more poverty or fewer diplomas never lower an estimate.
 */
export const SOCIAL_GAMMA_BRACKET: readonly [number, number] = [0, 0.5];

/** Rates are capped at this share of people aged 15+ (a safety bound, never reached in practice). */
export const MAX_RATE = 0.9;

/** Nominal level of the band: a 90 % predictive interval (checked by leave-one-région-out). */
export const BAND_LEVEL = 0.9;
/** Normal quantile of a two-sided 90 % interval, applied on the log scale (log-normal band). */
export const BAND_Z = 1.645;

/**
 * Survey error of a régional 2019 figure (ordre de grandeur): a régional figure from a national
 * survey is taken to be known within ±6 % at 90 % (±1 point on 17 %) for a région of 5 million
 * people aged 15+, i.e. a relative standard deviation of 0.06 / 1.645. Its rounding is added to it.
 */
export const REGIONAL_SURVEY_RELATIVE_SD = 0.06 / BAND_Z;
/**
 * People aged 15+ of the région for which `REGIONAL_SURVEY_RELATIVE_SD` holds (Hauts-de-France,
 * ≈ 5 million). A survey's sampling variance goes as one over its sample, which goes with the
 * population: a région of 300,000 people aged 15+ (Corse) gets ≈ 4 times the standard deviation.
 */
export const REGIONAL_SURVEY_REFERENCE_POP15 = 5_000_000;

/**
 * Relative standard deviation of the overseas level (hypothèse): "environ 30 %" in 2017 (rounding
 * ±2.5 points) carried to 2019 through the ratio to the mainland, whose change between 2017 and 2019
 * is unknown overseas.
 */
export const OVERSEAS_RELATIVE_SD = 0.12;
/**
 * Relative standard deviation of an extrapolated level (Guyane, hypothèse): no survey, the Antilles
 * and La Réunion ratio is carried over; the band must be wide enough to be honest (±50 % at 90 %).
 */
export const EXTRAPOLATION_RELATIVE_SD = 0.3;

/**
 * Spread of the département effects inside a région, and of the commune effects inside a
 * département, relative to the spread τ of the régional effects (hypothèse: one, nothing finer than
 * the régions being published to measure them).
 */
export const DEPARTMENT_EFFECT_RATIO = 1;
export const COMMUNE_EFFECT_RATIO = 1;

/** Rounding of the 16 % mainland figure (±0.5 point), as a relative standard deviation (uniform). */
export const MAINLAND_LEVEL_RELATIVE_SD = 0.5 / 16 / Math.sqrt(3);

/**
 * Bounds of the searched parameters: γ (social, per standard deviation of the social index) ≥ 0
 * keeps the model monotone (more poverty or fewer diplomas never lower an estimate); θ (territory,
 * per step of the density grid scaled to −1…1) ≥ 0: INSEE finds more illectronisme away from cities.
 */
export const GAMMA_BOUNDS: readonly [number, number] = [0, 1.5];
export const THETA_BOUNDS: readonly [number, number] = [0, 1];

/** How sure we are of a figure, as shown on the Sources page. */
export type ConstantStatus =
	| 'publié (INSEE)'
	| 'cité (source secondaire)'
	| 'ordre de grandeur'
	| 'hypothèse'
	| 'ajusté sur les données';

/** One row of the table of constants on the Sources page. */
export interface ModelConstant {
	id: string;
	/** What the figure is (French). */
	label: string;
	/** Value as shown (French formatting). */
	value: string;
	status: ConstantStatus;
	/** Citation (French). */
	source: string;
	url?: string;
	/** What the model does with it (French). */
	use: string;
}

const pct = (share: number, digits = 0) =>
	`${(share * 100).toLocaleString('fr-FR', { minimumFractionDigits: digits, maximumFractionDigits: digits })}\u00a0%`;

/** The constants table of the Sources page (calibrated values are added by the page from the model). */
export const MODEL_CONSTANTS: readonly ModelConstant[] = [
	{
		id: 'age-rates',
		label: 'Taux d’illectronisme par âge (2019, France métropolitaine)',
		value: `15–44 ans : ${pct(AGE_RATES_2019.a15to44)} · 45–59 ans : ${pct(AGE_RATES_2019.a45to59)} · 60–74 ans : ${pct(AGE_RATES_2019.a60to74)} · 75 ans et plus : ${pct(AGE_RATES_2019.a75plus)}`,
		status: 'cité (source secondaire)',
		source: 'Insee Analyses n°85 (juin 2023), cité par economiematin.fr',
		url: 'https://www.insee.fr/fr/statistiques/7636058',
		use: 'Point de départ : chaque tranche d’âge de la commune reçoit son taux.'
	},
	{
		id: 'age-rates-2021',
		label: 'Mêmes taux en 2021 (nouvelle définition)',
		value: `60–74 ans : ${pct(AGE_RATES_2021_PUBLISHED.a60to74)} · 75 ans et plus : ${pct(AGE_RATES_2021_PUBLISHED.a75plus)}`,
		status: 'cité (source secondaire)',
		source: 'Insee Première n°1953 (juin 2023), cité par causecommune-larevue.fr',
		url: 'https://www.insee.fr/fr/statistiques/7633654',
		use: 'Explique le bas de la fourchette (niveau 2021 plus faible).'
	},
	{
		id: 'target-mainland',
		label: 'Illectronisme en France métropolitaine, 2019 (15 ans et plus)',
		value: pct(TARGET_MAINLAND_SHARE_2019),
		status: 'publié (INSEE)',
		source: 'Insee Analyses n°85 (juin 2023)',
		url: 'https://www.insee.fr/fr/statistiques/7636058',
		use: 'Fixe le niveau national (facteur k) avant les effets régionaux.'
	},

	{
		id: 'regional-benchmarks',
		label: 'Chiffres régionaux publiés par l’INSEE (2019, même enquête)',
		value:
			'Hauts-de-France 17 % (800 000) · Île-de-France 12,2 % (1,3 million) · Nouvelle-Aquitaine 850 000 personnes · Centre-Val de Loire 19 % (plus de 400 000) · Corse 25 % (75 000)',
		status: 'publié (INSEE)',
		source:
			'Insee Analyses Hauts-de-France n°118 (primaire) ; Île-de-France n°170, Nouvelle-Aquitaine n°129, Insee Flash Centre-Val de Loire n°56 et Corse n°77 (cités, secondaires)',
		url: 'https://www.insee.fr/fr/statistiques/4986976',
		use: 'Calage régional : le total de chaque région publiée est égal au chiffre INSEE à l’arrondi près ; leurs écarts au modèle donnent l’effet moyen des autres régions et la largeur de la fourchette.'
	},
	{
		id: 'overseas-2017',
		label: 'Illectronisme outre-mer (enquête INSEE 2017)',
		value:
			'environ 30 % en Guadeloupe, Martinique et à La Réunion, contre 19 % en métropole la même année',
		status: 'cité (source secondaire)',
		source: 'INSEE, enquête TIC-DOM 2017',
		use: 'Niveau des Antilles et de La Réunion : rapport 30/19 appliqué aux 16 % métropolitains de 2019 ; repris pour la Guyane (extrapolation). Mayotte : aucune enquête, pas d’estimation.'
	},
	{
		id: 'regional-survey-error',
		label: 'Erreur d’enquête d’un chiffre régional',
		value: `± 6 % à 90 % pour une région de 5 millions de personnes de 15 ans ou plus, davantage pour une petite région (Corse : ≈ ± 25 %)`,
		status: 'ordre de grandeur',
		source:
			'Un chiffre régional tiré d’une enquête nationale ; variance inversement proportionnelle à la population',
		use: 'Pèse chaque chiffre régional dans la mise en commun (modèle de Fay et Herriot) et dans la fourchette des régions publiées.'
	},
	{
		id: 'overseas-error',
		label: 'Incertitude du niveau outre-mer',
		value: `écart-type relatif ${pct(OVERSEAS_RELATIVE_SD)} (Antilles, La Réunion) · ${pct(EXTRAPOLATION_RELATIVE_SD)} (Guyane, extrapolée)`,
		status: 'hypothèse',
		source:
			'« environ 30 % » en 2017, reporté en 2019 par le rapport à la métropole ; aucun chiffre pour la Guyane',
		use: 'Fourchette des départements d’outre-mer (± 50 % environ pour la Guyane).'
	},
	{
		id: 'local-effects',
		label: 'Écarts propres aux départements et aux communes',
		value: 'même dispersion que les écarts entre régions (τ)',
		status: 'hypothèse',
		source: 'Aucun chiffre infrarégional publié ne permet de la mesurer',
		use: 'Fourchette : l’écart d’un département est commun à toutes ses communes, celui d’une commune lui est propre.'
	},
	{
		id: 'band-level',
		label: 'Niveau de la fourchette',
		value: `${pct(BAND_LEVEL)} (fourchette prédictive, 1,645 écart-type sur l’échelle logarithmique)`,
		status: 'hypothèse',
		source: 'Choix de l’atlas, vérifié par validation croisée (voir le tableau de validation)',
		use: 'Fourchette basse et haute de chaque estimation.'
	},
	{
		id: 'gamma-bounds',
		label: 'Sens des ajustements social et territorial',
		value: 'γ ≥ 0 et θ ≥ 0',
		status: 'hypothèse',
		source:
			'INSEE : l’illectronisme est plus fréquent chez les personnes pauvres et peu diplômées, et loin des villes',
		use: 'Plus de pauvreté, moins de diplômes ou moins de densité ne peuvent jamais faire baisser une estimation.'
	},
	{
		id: 'france-2019',
		label: 'Illectronisme en France (hors Mayotte), 2019',
		value: `${pct(FRANCE_SHARE_2019)} (16,5\u00a0%)`,
		status: 'publié (INSEE)',
		source: 'Insee Première n°1780 (octobre 2019)',
		url: 'https://www.insee.fr/fr/statistiques/4241397',
		use: 'Contrôle du total national.'
	},
	{
		id: 'france-2021',
		label: 'Illectronisme en France, 2021',
		value: pct(FRANCE_SHARE_2021, 1),
		status: 'publié (INSEE)',
		source: 'Insee Première n°1953 (juin 2023)',
		url: 'https://www.insee.fr/fr/statistiques/7633654',
		use: 'Non utilisé : l’estimation est au niveau de 2019 (définition différente en 2021).'
	},
	{
		id: 'level-high',
		label: 'Arrondi du taux métropolitain 2019',
		value: '16\u00a0% publié, jusqu’à 16,5\u00a0%',
		status: 'ordre de grandeur',
		source: 'Insee Analyses n°85 (taux publié au point près)',
		use: 'Incertitude du niveau des régions sans chiffre publié (écart-type relatif ≈ 1,8 %).'
	},
	{
		id: 'territory-rates',
		label: 'Illectronisme selon le type de territoire (2019, métropole)',
		value: `hors attraction des villes : ${pct(TERRITORY_RATES_2019['hors-attraction'])} · petits pôles : ${pct(TERRITORY_RATES_2019['petits-poles'])} · grandes villes : ${pct(TERRITORY_RATES_2019['grandes-aires'])}`,
		status: 'publié (INSEE)',
		source: 'Insee Analyses n°85 (juin 2023)',
		url: 'https://www.insee.fr/fr/statistiques/7636058',
		use: 'Pente territoriale θ : le rapport entre les communes rurales à habitat très dispersé et les grands centres urbains (grille de densité) reproduit 22 / 13 une fois l’âge et la situation sociale pris en compte ; effet régulier d’un niveau de densité au suivant.'
	},

	{
		id: 'share-15-plus',
		label: 'Part des 15 ans et plus dans la population',
		value: `${pct(SHARE_15_PLUS)} (± ${pct(SHARE_15_PLUS_SD)} selon les communes)`,
		status: 'ordre de grandeur',
		source:
			'INSEE, recensement 2021, France entière : 55\u202f559\u202f017 personnes de 15 ans ou plus (tableau POP3)',
		url: 'https://www.insee.fr/fr/statistiques/8200791?geo=FE-1',
		use: 'Passe de la population totale aux 15 ans et plus, sauf si le fichier INSEE par âge est fourni.'
	},
	{
		id: 'share-75-in-60',
		label: 'Part des 75 ans et plus parmi les 60 ans et plus',
		value: `${pct(SHARE_75_IN_60_PLUS)} (± ${pct(SHARE_75_IN_60_PLUS_SD)} selon les communes ; ${pct(SHARE_75_IN_60_PLUS_RANGE[0])} à ${pct(SHARE_75_IN_60_PLUS_RANGE[1])} dans la fourchette)`,
		status: 'ordre de grandeur',
		source:
			'INSEE, recensement 2021 (POP3, France entière) et estimations de population 2021 par département',
		use: 'Découpe les 60 ans et plus estimés en 60–74 ans et 75 ans et plus.'
	},
	{
		id: 'share-45-in-15-59',
		label: 'Part des 45–59 ans parmi les 15–59 ans',
		value: `${pct(SHARE_45_IN_15_59)} (± ${pct(SHARE_45_IN_15_59_SD)} ; ${pct(SHARE_45_IN_15_59_RANGE[0])} à ${pct(SHARE_45_IN_15_59_RANGE[1])} dans la fourchette)`,
		status: 'ordre de grandeur',
		source: 'INSEE, recensement 2021 (POP3, France entière)',
		use: 'Découpe les 15–59 ans en 15–44 ans et 45–59 ans.'
	},
	{
		id: 'share-60-check',
		label: 'Part des 60 ans et plus parmi les 15 ans et plus, France 2021',
		value: `≈ ${pct(SHARE_60_IN_15_PLUS_2021, 1)}`,
		status: 'ordre de grandeur',
		source: 'INSEE, recensement 2021 (POP3, France entière)',
		use: 'Contrôle de la correspondance « score d’âge IFN → part des 60 ans et plus ».'
	},

	{
		id: 'age-top-decile',
		label: 'Erreur de l’âge estimé pour le score d’âge IFN 10',
		value: `× ${AGE_PROXY_TOP_DECILE_SD_FACTOR}`,
		status: 'hypothèse',
		source: 'Le dernier décile est ouvert et absent des communes du Nord',
		use: 'Élargit la fourchette des communes les plus âgées.'
	},

	{
		id: 'missing-score',
		label: 'Score IFN manquant',
		value: `milieu de l’échelle (5,5/10), écart-type ${MISSING_SCORE_SD.toLocaleString('fr-FR', { maximumFractionDigits: 1 })} point`,
		status: 'hypothèse',
		source: 'Écart-type d’un classement en déciles réparti uniformément (√(100/12))',
		use: 'Pour les rares communes sans score IFN : valeur moyenne et fourchette élargie.'
	},

	{
		id: 'max-rate',
		label: 'Plafond du taux estimé',
		value: `${pct(MAX_RATE)} des 15 ans et plus`,
		status: 'hypothèse',
		source: 'Garde-fou de calcul (jamais atteint avec les données actuelles)',
		use: 'Empêche une estimation de dépasser la population.'
	}
];
