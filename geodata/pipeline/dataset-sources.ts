/**
 * Attribution and provenance of every dataset the dashboard uses, written to `sources.json` and shown
 * on the Sources page. Everything here is taken from `geodata/sources/PROVENANCE.md`: producer,
 * vintage, licence as stated by the producer ("non précisée" where PROVENANCE says none is stated),
 * the official page to refresh from (the source repository when PROVENANCE names no official page),
 * and the main caveat. The ids are the ones `MediatorProperties.source` and the indicators refer to.
 */
import type { DatasetSource } from '../../src/lib/territory/artifacts';

const LO2 = 'Licence Ouverte 2.0';

/** The datasets, in the order of the Sources page: reference, territory, connectivity, needs, offer. */
export const DATASET_SOURCES: readonly DatasetSource[] = [
	{
		id: 'cog-2026',
		producer: 'INSEE, DGCL',
		title: 'Code officiel géographique 2026, populations légales et intercommunalités',
		vintage: 'COG 2026',
		licence: LO2,
		url: 'https://www.insee.fr/fr/information/2560452',
		caveat:
			'Via le paquet @etalab/decoupage-administratif 6.0.0. Populations municipales en vigueur au 1er janvier 2026 (recensement 2023 à confirmer ; Mayotte : recensement 2017). Les 94 communes des collectivités d’outre-mer sont hors champ.',
		attribution: 'INSEE, COG 2026 ; DGCL, EPCI 2026'
	},
	{
		id: 'laposte-codes-postaux',
		producer: 'La Poste',
		title: 'Base officielle des codes postaux (recherche par code postal)',
		vintage: '2026 (paquet mis à jour le 2 mars 2026)',
		licence: LO2,
		url: 'https://www.data.gouv.fr/fr/datasets/base-officielle-des-codes-postaux/',
		caveat:
			'Via le paquet @etalab/decoupage-administratif 6.0.0 (codes postaux de chaque commune du COG 2026). Sert seulement à la recherche : un code postal dessert souvent plusieurs communes, toutes proposées. Paris, Lyon et Marseille restent une commune chacune : le code postal d’un arrondissement mène à la commune entière. La Poste diffusait cette base sous licence ODbL avant la Licence Ouverte.',
		attribution: 'La Poste, codes postaux 2026'
	},
	{
		id: 'admin-express-2018',
		producer: 'IGN',
		title: 'Contours des communes ADMIN EXPRESS COG 2018, recodés au COG 2026',
		vintage: '2018 (recodé COG 2026)',
		licence: LO2,
		url: 'https://geoservices.ign.fr/adminexpress',
		caveat:
			'Contours de 2018 généralisés (100 à 300 m) ; les communes fusionnées depuis sont exactes, mais 7 communes rétablies après 2018 n’ont pas de polygone et restent dessinées dans leur ancienne commune.',
		attribution: 'IGN, ADMIN EXPRESS COG 2018'
	},
	{
		id: 'communes-centres',
		producer: 'IGN, INSEE via geo.api.gouv.fr (Etalab)',
		title: 'Centres et surfaces des communes',
		vintage: 'COG 2025 (extraction de février 2026)',
		licence: LO2,
		url: 'https://geo.api.gouv.fr/decoupage-administratif/communes',
		caveat:
			'Extraction secondaire (projet vivrea) ; le centre est proche de la mairie, ce n’est pas le centroïde.',
		attribution: 'geo.api.gouv.fr (IGN, INSEE), 2026'
	},
	{
		id: 'grille-densite',
		producer: 'INSEE',
		title: 'Grille communale de densité à 7 niveaux',
		vintage: '2025 (édition probable)',
		licence: LO2,
		url: 'https://www.insee.fr/fr/information/8571524',
		caveat:
			'Export de l’ANCT (Observatoire des territoires) ; le millésime 2025 reste à confirmer.',
		attribution: 'INSEE, grille communale de densité 2025'
	},
	{
		id: 'typologies-anct',
		producer: 'ANCT (Observatoire des territoires)',
		title: 'Typologies des ruralités, des centralités et communes de montagne',
		vintage: 'COG 2025',
		licence: LO2,
		url: 'https://www.observatoire-des-territoires.gouv.fr',
		caveat:
			'Ruralités : communes urbaines et DROM hors champ, 74 communes au périmètre modifié non classées. Centralités : 129 communes sans niveau.',
		attribution: 'ANCT, Observatoire des territoires, 2025'
	},
	{
		id: 'frr-2025',
		producer: 'ANCT (Observatoire des territoires), d’après la DGCL',
		title: 'Communes classées France Ruralités Revitalisation (FRR et FRR+)',
		vintage: '2025 (arrêtés de juin 2024, avril et juillet 2025)',
		licence: 'non précisée (présumée Licence Ouverte 2.0, à vérifier)',
		url: 'https://www.observatoire-des-territoires.gouv.fr/frr-france-ruralites-revitalisation',
		caveat:
			'Copie tierce reconstituée (widget grist-qpv-widget) : à rafraîchir depuis l’Observatoire avant tout usage officiel. Les codes 2 et 3 n’ont pas de libellé publié ; le code 1 (ancienne ZRR sous mesure transitoire) n’est pas un classement FRR.',
		attribution: 'Observatoire des territoires (ANCT), d’après la DGCL, extraction du 28/09/2026'
	},
	{
		id: 'zrr-2021',
		producer: 'DGCL, ANCT',
		title: 'Classement des communes en zone de revitalisation rurale (ZRR)',
		vintage: '2021',
		licence: LO2,
		url: 'https://github.com/gip-inclusion/les-emplois',
		caveat:
			'Dernière liste des ZRR, remplacées par FRR le 1er juillet 2024 ; copiée du dépôt des emplois de l’inclusion (pas de page officielle retrouvée). Communes fusionnées : statut le plus favorable (C > PC > NC).',
		attribution: 'DGCL/ANCT, ZRR 2021'
	},
	{
		id: 'arcep-fibre-2025',
		producer: 'ARCEP',
		title: 'Part des locaux raccordables à la fibre (FttH) par commune',
		vintage: '2025 (T3 probable)',
		licence: LO2,
		url: 'https://www.data.gouv.fr/fr/datasets/le-marche-du-haut-et-tres-haut-debit-fixe-deploiements/',
		caveat:
			'Extraction secondaire (projet vivrea), trimestre exact non enregistré ; FttH seulement. Paris, Lyon et Marseille n’ont pas de valeur.',
		attribution: 'ARCEP, 2025 (T3 probable)'
	},
	{
		id: 'arcep-mci-2022',
		producer: 'ARCEP',
		title: 'Ma connexion internet : locaux éligibles par débit et par commune',
		vintage: '2022 T4',
		licence: LO2,
		url: 'https://www.data.gouv.fr/fr/datasets/ma-connexion-internet/',
		caveat:
			'Toutes technologies, satellite et 4G fixe compris : les seuils de 8 et 30 Mbit/s ne discriminent presque pas ; 100 Mbit/s et plus correspond en pratique au filaire. Communes fusionnées : locaux additionnés.',
		attribution: 'ARCEP, Ma connexion internet, 2022 T4'
	},
	{
		id: 'ifn-2023',
		producer: 'La MedNum, ANCT',
		title: 'Indice de fragilité numérique (IFN) par commune',
		vintage: '2023',
		licence: 'non précisée',
		url: 'https://fragilite-numerique.fr',
		caveat:
			'Scores de 0 à 10 (plus haut = plus fragile), pas des taux ; non pondérés par la population. Paris, Lyon et Marseille : moyenne des arrondissements pondérée par la population.',
		attribution: 'La MedNum / ANCT, IFN 2023'
	},
	{
		id: 'filosofi-2021',
		producer: 'INSEE, DGFiP',
		title: 'Filosofi : revenu médian par unité de consommation et taux de pauvreté',
		vintage: '2021 (COG 2025)',
		licence: LO2,
		url: 'https://www.insee.fr/fr/statistiques/7756729',
		caveat:
			'Extraction secondaire (projet vivrea) ; taux de pauvreté publié pour environ 4 350 communes seulement (secret statistique).',
		attribution: 'INSEE-DGFiP, Filosofi 2021'
	},
	{
		id: 'qpv-2024',
		producer: 'ANCT',
		title: 'Quartiers prioritaires de la politique de la ville 2024, par commune',
		vintage: 'Liste 2024',
		licence: LO2,
		url: 'https://www.data.gouv.fr/fr/datasets/quartiers-prioritaires-de-la-politique-de-la-ville-qpv/',
		caveat:
			'Liste des QPV par commune, sans contours ni population ; environ 91 QPV d’outre-mer manquent par rapport au fichier national (1 584 QPV).',
		attribution: 'ANCT, QPV 2024'
	},
	{
		id: 'qpv-2015-occitanie',
		producer: 'CGET/ANCT, INSEE',
		title: 'Contours et indicateurs des QPV 2015 en Occitanie',
		vintage: '2015 (Occitanie)',
		licence: LO2,
		url: 'https://www.insee.fr/fr/statistiques/5359592',
		caveat:
			'Géographie 2015, Occitanie seulement : les codes et périmètres diffèrent de la liste 2024.',
		attribution: 'ANCT / INSEE, QPV 2015'
	},
	{
		id: 'rp2021-nord',
		producer: 'INSEE',
		title: 'Recensement 2021 : part des 60 ans et plus, communes du Nord',
		vintage: 'RP 2021',
		licence: LO2,
		url: 'https://www.insee.fr/fr/statistiques/5359146',
		caveat:
			'Nord (59) seulement, calculé par le projet REPERE depuis le dossier complet INSEE ; sert à calibrer l’estimation de la part des seniors.',
		attribution: 'INSEE, RP 2021'
	},
	{
		id: 'france-services-2024',
		producer: 'ANCT',
		title: 'Liste des structures France services',
		vintage: '1er août 2024',
		licence: LO2,
		url: 'https://www.data.gouv.fr/fr/datasets/liste-des-structures-france-services/',
		caveat: '2 845 sites (2 721 principaux et 124 antennes) au 1er août 2024.',
		attribution: 'ANCT, France services, août 2024'
	},
	{
		id: 'cnfs-lieux-2022',
		producer: 'ANCT (Conseiller numérique)',
		title: 'Lieux d’activité des conseillers numériques France Services',
		vintage: 'juillet 2022',
		licence: LO2,
		url: 'https://www.data.gouv.fr/fr/datasets/lieux-de-mediation-numerique-sur-le-territoire-national-fournis-par-conseiller-numerique-1/',
		caveat:
			'Export de juillet 2022 (2 733 lieux), ancien : des permanences ont fermé ou ouvert depuis.',
		attribution: 'ANCT, Conseiller numérique, 2022'
	},
	{
		id: 'cnfs-postes-2023',
		producer: 'ANCT (Conseiller numérique)',
		title: 'Structures et postes de conseillers numériques validés en comité de sélection',
		vintage: '5 avril 2023',
		licence: LO2,
		url: 'https://www.data.gouv.fr/fr/datasets/conseiller-numerique-liste-des-structures-validees-par-le-comite-de-selection/',
		caveat:
			'Postes validés (3 925), pas nécessairement pourvus ; placés au centre de la commune de la structure.',
		attribution: 'ANCT, Conseiller numérique, avril 2023'
	},
	{
		id: 'aidants-connect-2024',
		producer: 'ANCT (Aidants Connect)',
		title: 'Structures habilitées Aidants Connect',
		vintage: 'février 2024',
		licence: 'non précisée',
		url: 'https://aidantsconnect.beta.gouv.fr',
		caveat:
			'Export du métabase Aidants Connect (licence non précisée, à confirmer avec l’équipe) ; 225 structures sans code commune.',
		attribution: 'ANCT, Aidants Connect, février 2024'
	},
	{
		id: 'lieux-npdc-2023',
		producer: 'Les Assembleurs',
		title: 'Lieux de médiation numérique du Nord et du Pas-de-Calais',
		vintage: '2017–2023 (mai 2023)',
		licence: 'non précisée',
		url: 'https://github.com/Assembleurs/portrea',
		caveat:
			'Nord et Pas-de-Calais seulement ; recoupe en partie les lieux Conseiller numérique et France services. Licence non précisée : à confirmer avec Les Assembleurs.',
		attribution: 'Les Assembleurs, 2023'
	},
	{
		id: 'offre-mediation-2026',
		producer: 'Atlas de l’inclusion numérique, d’après l’ANCT',
		title: 'Offre de médiation numérique par commune (COG 2026)',
		vintage: 'millésimes 2022 à 2024, COG 2026',
		licence: LO2,
		url: 'https://cartographie.societenumerique.gouv.fr',
		caveat:
			'Table dérivée : France services 2024, lieux Conseiller numérique 2022, postes 2023 et Aidants Connect 2024 comptés par commune ; les millésimes diffèrent.',
		attribution: 'ANCT (France services, Conseiller numérique, Aidants Connect), 2022–2024'
	},
	{
		id: 'illectronisme-insee',
		producer: 'INSEE',
		title:
			'Taux d’illectronisme publiés (enquête TIC-ménages, repères régionaux, enquête outre-mer)',
		vintage: '2017, 2019 et 2021',
		licence: LO2,
		url: 'https://www.insee.fr/fr/statistiques/7633654',
		caveat:
			'Taux nationaux par âge, diplôme et revenu (INSEE Première 1780 et 1953, Insee Analyses 85), chiffres régionaux 2019 (Hauts-de-France, Île-de-France, Nouvelle-Aquitaine, Centre-Val de Loire, Corse) et enquête outre-mer 2017 ; certains chiffres sont lus dans des sources secondaires, à vérifier avant publication.',
		attribution: 'INSEE, enquêtes TIC-ménages 2017 (outre-mer), 2019 et 2021'
	}
];

// ---------------------------------------------------------------------------------------------
// Optional official files a user may add to the sources folder (geodata/README.md). Their
// entries are only written to sources.json when the file was read, with the vintage found in
// the file's name and the file itself in `files`.

/** The dataset ids of the optional files, next to the shared ids of `DATASET_SOURCES`. */
export const OPTIONAL_DATASET_IDS = {
	mobileCoverage: 'arcep-mobile-communes',
	mobileSites: 'arcep-sites-mobiles',
	qpvPerimeters: 'qpv-perimetres'
} as const;

const ARCEP_MOBILE_URL = 'https://www.data.gouv.fr/fr/datasets/mon-reseau-mobile/';

/**
 * sources.json entry of ARCEP's "Mon réseau mobile" per-commune statistics.
 * @param vintage quarter read from the file name, e.g. "2025 T3"
 * @param files paths of the file(s) read, relative to the sources folder
 */
export function describeMobileCoverage(vintage: string, files: string[]): DatasetSource {
	return {
		id: OPTIONAL_DATASET_IDS.mobileCoverage,
		producer: 'ARCEP',
		title: 'Mon réseau mobile : couverture 4G par commune et par opérateur',
		vintage,
		licence: LO2,
		url: ARCEP_MOBILE_URL,
		caveat:
			'Couverture théorique publiée par les opérateurs et vérifiée par l’ARCEP. Part de la population en bonne ou très bonne couverture 4G : le meilleur opérateur de la commune, borne basse de la part couverte par au moins un opérateur ; le moins bon opérateur est aussi donné.',
		attribution: `ARCEP, Mon réseau mobile, ${vintage}`,
		files
	};
}

/**
 * sources.json entry of ARCEP's mobile sites file(s).
 * @param vintage quarter read from the file name, e.g. "2025 T3"
 * @param files paths of the file(s) read (`…_sites_Metropole.csv`, `…_sites_Outremer.csv`)
 */
export function describeMobileSites(vintage: string, files: string[]): DatasetSource {
	const zones = files.some((f) => /outremer/i.test(f))
		? files.some((f) => /metropole/i.test(f))
			? 'métropole et outre-mer'
			: 'outre-mer seulement'
		: 'métropole seulement';
	return {
		id: OPTIONAL_DATASET_IDS.mobileSites,
		producer: 'ARCEP',
		title: 'Sites mobiles : 4G, zones blanches centres-bourgs et couverture ciblée',
		vintage,
		licence: LO2,
		url: ARCEP_MOBILE_URL,
		caveat: `Sites comptés une fois quand plusieurs opérateurs les partagent (identifiant de site partagé) ; ${zones}.`,
		attribution: `ARCEP, sites mobiles, ${vintage}`,
		files
	};
}

/**
 * sources.json entry of the QPV perimeter file the user added.
 * @param millesimes lists found in the file (2015: codes `QP…`, 2024: codes `QN…`)
 * @param departements départements with at least one perimeter in the file
 * @param missingDepartements départements hosting a QPV of the 2024 list by commune but no
 *   perimeter of the file: a regional extract, which a national map must say
 * @param file path of the file read, relative to the sources folder
 */
export function describeQpvPerimeters(
	millesimes: readonly (2015 | 2024)[],
	departements: readonly string[],
	missingDepartements: readonly string[],
	file: string
): DatasetSource {
	const vintage = millesimes.length ? millesimes.join(' et ') : 'inconnu';
	const producer = millesimes.includes(2015) ? 'CGET/ANCT (SIG Ville)' : 'ANCT (SIG Ville)';
	const caveats: string[] = [];
	if (millesimes.includes(2015)) {
		caveats.push(
			'Périmètres de la liste 2015 : codes (QP…) et contours différents de la liste 2024 par commune.'
		);
	}
	if (missingDepartements.length > 0) {
		caveats.push(
			`Fichier partiel : périmètres pour ${departements.length} département(s) (${departements.join(', ')}), aucun pour ${missingDepartements.length} département(s) ayant des QPV 2024.`
		);
	}
	return {
		id: OPTIONAL_DATASET_IDS.qpvPerimeters,
		producer,
		title: 'Périmètres des quartiers prioritaires de la politique de la ville',
		vintage: `QPV ${vintage}`,
		licence: LO2,
		url: 'https://www.data.gouv.fr/fr/datasets/quartiers-prioritaires-de-la-politique-de-la-ville-qpv/',
		caveat: caveats.length ? caveats.join(' ') : 'Contours officiels de la liste 2024.',
		attribution: `${producer}, périmètres des QPV ${vintage}`,
		files: [file]
	};
}
