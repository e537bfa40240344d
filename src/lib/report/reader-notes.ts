/**
 * Source notes written for the reader of a fiche (an elected official, a funder): what the data
 * covers and what it does not, in plain French. The `caveat` of sources.json is the project's own
 * provenance record (how a file was obtained, what remains to be checked, which third-party copy it
 * came from): right for the maintainers, wrong on a page handed to a funder.
 */
import type { MediatorType } from '../territory/artifacts';

/** The reader's note of each dataset of sources.json, by id. */
export const READER_NOTES: Readonly<Record<string, string>> = {
	'cog-2026':
		'Populations municipales en vigueur au 1er janvier 2026 ; Mayotte : recensement de 2017. Les collectivités d’outre-mer (Saint-Martin, Polynésie…) ne sont pas couvertes.',
	'admin-express-2018':
		'Contours simplifiés (précision de 100 à 300 m) ; 7 communes rétablies après 2018 sont dessinées dans leur ancienne commune.',
	'communes-centres':
		'Le centre d’une commune est proche de sa mairie ; les distances sont mesurées à vol d’oiseau depuis ce point.',
	'grille-densite':
		'Classement de chaque commune en 7 niveaux, du grand centre urbain au rural très peu dense.',
	'typologies-anct':
		'Les communes urbaines et les départements d’outre-mer ne sont pas classés dans la typologie des ruralités.',
	'frr-2025':
		'Communes classées France Ruralités Revitalisation ; seul le classement officiel publié par l’État fait foi.',
	'zrr-2021':
		'Dernier classement ZRR, remplacé par France Ruralités Revitalisation le 1er juillet 2024.',
	'arcep-fibre-2025':
		'Fibre jusqu’à l’abonné (FttH) seulement ; Paris, Lyon et Marseille n’ont pas de valeur dans ce fichier.',
	'arcep-mci-2022':
		'Toutes technologies, satellite et 4G fixe compris : le seuil de 100 Mbit/s correspond en pratique au raccordement filaire.',
	'ifn-2023': 'Scores de 0 à 10 (plus haut = plus fragile), pas des parts de la population.',
	'filosofi-2021':
		'Le taux de pauvreté n’est publié que pour environ 4 350 communes (secret statistique).',
	'qpv-2024':
		'Liste des quartiers par commune, sans leur population : le nombre d’habitants des quartiers n’est pas disponible ici.',
	'qpv-2015-occitanie':
		'Quartiers de 2015, en Occitanie seulement ; leurs périmètres diffèrent de la liste de 2024.',
	'rp2021-nord':
		'Département du Nord seulement ; sert à caler la part des personnes âgées dans l’estimation.',
	'france-services-2024': '2 845 sites (2 721 principaux et 124 antennes) au 1er août 2024.',
	'cnfs-lieux-2022':
		'Lieux d’activité déclarés en juillet 2022 : des permanences ont pu fermer ou ouvrir depuis.',
	'cnfs-postes-2023':
		'Postes validés, pas nécessairement pourvus ; placés au centre de la commune de la structure.',
	'aidants-connect-2024':
		'Structures habilitées en février 2024 ; certaines n’ont pas de commune renseignée et ne sont pas sur la carte.',
	'lieux-npdc-2023':
		'Recensement des lieux du Nord et du Pas-de-Calais seulement ; il recoupe en partie les lieux Conseiller numérique et France services.',
	'cartographie-nationale':
		'Lieux déclarés sur la Cartographie nationale à la date de l’export ; le nombre de conseillers par lieu n’y figure pas.',
	'offre-mediation-2026':
		'France services, conseillers numériques et Aidants Connect comptés par commune ; les dates des listes diffèrent (2022 à 2024).',
	'laposte-codes-postaux':
		'Sert seulement à la recherche : un code postal dessert souvent plusieurs communes, toutes proposées ; à Paris, Lyon et Marseille, le code d’un arrondissement mène à la ville entière.',
	'illectronisme-insee':
		'Taux nationaux d’illectronisme par âge, diplôme et revenu publiés par l’INSEE (enquêtes TIC-ménages 2019 et 2021).'
};

/**
 * The note to print for a dataset: the reader's note, or nothing (never the internal caveat).
 * @example readerNoteOf('qpv-2024') // 'Liste des quartiers par commune, sans leur population : …'
 */
export function readerNoteOf(datasetId: string): string | null {
	return READER_NOTES[datasetId] ?? null;
}

/**
 * Place types whose list covers only part of France: a distance or a count of them means
 * nothing outside (the nearest « other place » of a Creuse commune is 400 km away in the Nord).
 * Départements by INSEE code.
 */
export const PARTIAL_MEDIATOR_COVERAGE: Readonly<
	Partial<Record<MediatorType, { departements: readonly string[]; text: string }>>
> = {
	'autre-lieu-mediation': {
		departements: ['59', '62'],
		text: 'données disponibles seulement pour le Nord et le Pas-de-Calais'
	}
};

/**
 * Why a figure about places of `type` cannot be given for a territory lying in `departements`
 * (all of them must be covered), or null when it can.
 */
export function describeMissingCoverage(
	type: MediatorType,
	departements: readonly string[]
): string | null {
	const coverage = PARTIAL_MEDIATOR_COVERAGE[type];
	if (!coverage) return null;
	return departements.length > 0 && departements.every((d) => coverage.departements.includes(d))
		? null
		: coverage.text;
}
