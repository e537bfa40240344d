/**
 * What an export says of itself: the request's parameters, the method, the sources behind each
 * criterion, the CSV's companion file, the provenance response headers and the download name, so an
 * export found in a folder months later still says how it was made.
 */
import { CRITERIA, CRITERION_IDS, type CriterionId } from '../ranking/criteria';
import { apiSourceOf } from '$lib/territory/attribution';
import { serializeRankingQuery, type RankingQuery } from '../ranking/query';
import type { RankedTable } from '../ranking/ranked-table';
import { serializeWeights, WEIGHT_PRESETS } from '../ranking/weights';
import { LEVEL_LABELS } from '../territory/commune';
import { formatInteger } from '../format/number';
import type { DatasetSource } from '../territory/artifacts';
import { IMPORTED_SOURCE_ID } from '../places-import/imported-place';
import { CRITERION_COLUMNS, RANKING_COLUMNS, RANKING_EXPORT_VERSION } from './ranking-columns';

/** The path of the API that serves rankings. */
export const RANKING_API_PATH = '/api/classement';

/**
 * Datasets behind each criterion (ids of `sources.json`), for the attribution of an export.
 * People éloignés come from the needs model (its datasets as listed by /api/estimations); access
 * and distance from the commune centres and the mediation places (with « données importées » when
 * an export counts imported places: that dataset line is present only then); fibre above the
 * commune is weighted by the ARCEP 2022 premises.
 */
export const CRITERION_DATASETS: Readonly<Record<CriterionId, readonly string[]>> = {
	eloignes: ['grille-densite', 'ifn-2023', 'filosofi-2021', 'rp2021-nord', 'illectronisme-insee'],
	part: ['grille-densite', 'ifn-2023', 'filosofi-2021', 'rp2021-nord', 'illectronisme-insee'],
	acces: [
		'communes-centres',
		'france-services-2024',
		'cnfs-postes-2023',
		'cnfs-lieux-2022',
		'aidants-connect-2024',
		'lieux-npdc-2023',
		'cartographie-nationale',
		IMPORTED_SOURCE_ID
	],
	distance: [
		'communes-centres',
		'france-services-2024',
		'cnfs-postes-2023',
		'cnfs-lieux-2022',
		'aidants-connect-2024',
		'lieux-npdc-2023',
		'cartographie-nationale',
		IMPORTED_SOURCE_ID
	],
	fibre: ['arcep-fibre-2025', 'arcep-mci-2022'],
	mobile: ['ifn-2023'],
	qpv: ['qpv-2024'],
	rural: ['frr-2025'],
	pauvrete: ['ifn-2023']
};

/**
 * The dataset ids an export relies on: the territories (COG 2026), every criterion's datasets (all
 * values are written, weighted or not) and the geometry when there is one (`points`: commune
 * centres; `polygons`: IGN ADMIN EXPRESS).
 * @param available sources.json datasets of this build: when given, only their ids are kept (the
 *   mediation places come from the five dated lists or from a Cartographie nationale export)
 */
export function rankingDatasetIds(
	geometry: 'none' | 'points' | 'polygons' = 'none',
	available?: readonly Pick<DatasetSource, 'id'>[]
): string[] {
	const ids = new Set<string>(['cog-2026']);
	for (const id of CRITERION_IDS) for (const d of CRITERION_DATASETS[id]) ids.add(d);
	if (geometry === 'points') ids.add('communes-centres');
	if (geometry === 'polygons') ids.add('admin-express-2018');
	return available ? [...ids].filter((id) => available.some((d) => d.id === id)) : [...ids];
}

/** What an export is made of. */
export interface RankingExport {
	query: RankingQuery;
	table: RankedTable;
	/** 0-based table positions to write, in output order (after sorting and paging). */
	positions: ArrayLike<number>;
	/** `sources.json` datasets (the ones used are picked by `rankingDatasetIds`). */
	datasets: readonly DatasetSource[];
	generatedAt: Date;
	/** Geometry of the export (GeoJSON only). */
	geometry?: 'none' | 'points' | 'polygons';
	/**
	 * The places the ranking counts besides the national ones (imported places, simulated posts),
	 * or absent for the national ranking. Its dataset line « données importées » must then be in
	 * `datasets` (see `importedDataset`, `importedFileDataset`).
	 */
	scenario?: RankingExportScenario;
}

/** What an export says of the places it counts besides the national ones. */
export interface RankingExportScenario {
	/** Id of the saved scenario (`/scenario/<id>`), or null for places imported in a browser. */
	id: string | null;
	/** Where the imported places come from: « Scénario « Creuse 2026 » », or the file name. */
	origin: string;
	/** Imported places counted, and how many replace a known place. */
	imported: number;
	replaced: number;
	/** Simulated conseiller numérique posts added and places removed (the simulation tab). */
	added: number;
	removed: number;
	/** One French sentence saying all of it (« … : 3 lieux importés (données importées) »). */
	text: string;
}

/** The `scenario` member of the metadata (written only when the export counts a scenario). */
function scenarioMetadata(scenario: RankingExportScenario) {
	return {
		identifiant: scenario.id,
		origine: scenario.origin,
		lieux_importes: scenario.imported,
		dont_remplacant_un_lieu_connu: scenario.replaced,
		postes_ajoutes: scenario.added,
		lieux_retires: scenario.removed,
		description: scenario.text,
		methode:
			'Les lieux importés (données importées) comptent comme les lieux nationaux, avec leur convention d’effectif, dans l’accessibilité (E2SFCA), la distance au lieu le plus proche, les scores et les rangs ; un doublon probable d’un lieu national du même dispositif le remplace. Les postes d’une simulation comptent chacun pour un conseiller à son emplacement, les lieux qu’elle retire ne comptent plus ; un scénario enregistré rejoue sa simulation avec ses paramètres, comme sa fiche territoire.',
		reproduire:
			scenario.id !== null
				? `${RANKING_API_PATH}?…&scenario=${scenario.id} (scénario enregistré)`
				: `Classement calculé dans le navigateur : enregistrez le scénario (« Enregistrer le scénario ») pour obtenir par l’API, avec « scenario=<identifiant> », le même classement (${[scenario.imported > 0 ? 'lieux importés' : null, scenario.added > 0 || scenario.removed > 0 ? 'postes simulés' : null].filter(Boolean).join(' et ')}).`
	};
}

/** The API path and query string that reproduce the export. */
export function rankingRequestPath(query: RankingQuery): string {
	return `${RANKING_API_PATH}?${serializeRankingQuery(query)}`;
}

/** The `parametres` member: the request as understood, and what the ranking actually applied. */
export function rankingParameters(query: RankingQuery, table: RankedTable) {
	const preset = WEIGHT_PRESETS.find((p) => p.id === query.preset);
	return {
		niveau: query.niveau,
		region: query.region,
		departement: query.departement,
		poids: serializeWeights(query.weights),
		poids_par_critere: Object.fromEntries(CRITERION_IDS.map((id) => [id, query.weights[id]])),
		preset: query.preset,
		preset_libelle: preset?.label ?? null,
		groupe: query.groupe,
		groupe_applique: table.group,
		normalisation: query.normalisation,
		normalisation_appliquee: table.normalisation,
		tri: query.tri,
		ordre: query.ordre,
		limite: query.limite,
		page: query.page,
		format: query.format,
		...(query.format === 'csv' ? { separateur: query.separateur } : {}),
		// Written only when asked for: a national answer stays what it was before the parameter.
		...(query.scenario ? { scenario: query.scenario } : {}),
		requete: rankingRequestPath(query)
	};
}

/** French sentence on the normalisation actually applied. */
function normalisationSentence(table: RankedTable): string {
	const level = LEVEL_LABELS[table.request.level].toLowerCase();
	const { filter } = table.request;
	const filtered = filter.region !== null || filter.departement !== null;
	const base =
		table.normalisation === 'filtre' && filtered
			? `Critères normalisés au sein du filtre (${formatInteger(table.prepared.rows.length)} ${level}) : chaque valeur est comparée aux autres territoires du filtre.`
			: `Critères normalisés sur l’ensemble des ${formatInteger(table.prepared.rows.length)} ${level} de France${filtered ? ', le filtre ne fait que choisir les lignes : rangs et scores sont ceux du classement national' : ''}.`;
	return table.note === null ? base : `${base} ${table.note}`;
}

/** The `metadonnees` member: title, date, counts, method, column units and sources. */
export function rankingMetadata(data: RankingExport) {
	const ids = rankingDatasetIds(data.geometry);
	const sources = ids
		.map((id) => data.datasets.find((d) => d.id === id))
		.filter((d): d is DatasetSource => d !== undefined)
		.map(apiSourceOf);
	return {
		titre:
			'Atlas de l’inclusion numérique : classement des territoires prioritaires pour la médiation numérique',
		version_export: RANKING_EXPORT_VERSION,
		genere_le: data.generatedAt.toISOString(),
		nombre_territoires: data.table.size,
		nombre_lignes: data.positions.length,
		methode: {
			score:
				'Score = Σ poids × besoin normalisé / Σ poids, ramené de 0 à 100 ; un critère de poids nul ne compte pas. La contribution d’un critère est sa part de ce score : les contributions s’additionnent en score.',
			normalisation_par_rang:
				'Chaque critère est normalisé par son rang moyen (ex æquo au rang moyen) ramené entre 0 (le moins prioritaire de l’ensemble) et 1 (le plus prioritaire) : une valeur extrême ne tasse pas les autres.',
			normalisation: normalisationSentence(data.table),
			valeurs_manquantes:
				'Une valeur inconnue reçoit le besoin médian de l’ensemble (ni bonus ni pénalité) et est signalée dans « donnees_manquantes » et dans l’explication.',
			rangs: `Rangs comptés ${data.table.group === 'france' ? (data.table.normalisation === 'filtre' && (data.table.request.filter.region || data.table.request.filter.departement) ? 'dans le filtre' : 'en France') : data.table.group === 'region' ? 'dans la région' : 'dans le département'} ; deux scores égaux (à 2⁻³² près) partagent un rang.`,
			criteres: CRITERION_IDS.map((id) => ({
				id,
				libelle: CRITERIA[id].label,
				unite: CRITERIA[id].unit,
				prioritaire_si: CRITERIA[id].priorityWhen === 'higher' ? 'valeur élevée' : 'valeur faible',
				poids: data.query.weights[id],
				colonne: CRITERION_COLUMNS[id].column,
				description: CRITERIA[id].description
			})),
			documentation: '/sources'
		},
		colonnes: Object.fromEntries(RANKING_COLUMNS.map((c) => [c.header, c.description])),
		attribution: `Atlas de l’inclusion numérique, d’après ${sources.map((s) => s.attribution).join(' ; ')}`,
		...(data.scenario ? { scenario: scenarioMetadata(data.scenario) } : {}),
		sources
	};
}

/**
 * The CSV's companion (`…-metadonnees.json`, `format=metadonnees`): the parameters, method, column
 * units and sources the CSV itself leaves out so that it starts with its header row, plus the
 * addresses of every format of the same ranking (null for places imported in a browser and not
 * saved, which the API cannot count: `metadonnees.scenario.reproduire` says how to).
 */
export function rankingCompanion(data: RankingExport) {
	// The parameters of the ranking itself: the format is the reader's choice (see `fichiers`).
	const parametres = Object.fromEntries(
		Object.entries(rankingParameters({ ...data.query, format: 'json' }, data.table)).filter(
			([name]) => name !== 'format'
		)
	);
	const other = (format: RankingQuery['format'], separateur: ';' | ',' = ';') =>
		rankingRequestPath({ ...data.query, format, separateur });
	// Places imported in a browser are unknown to the API: its addresses would give another ranking.
	const unsaved = data.scenario !== undefined && data.scenario.id === null;
	return {
		parametres,
		metadonnees: rankingMetadata(data),
		fichiers: unsaved
			? null
			: {
					csv: other('csv'),
					csv_virgule: other('csv', ','),
					xlsx: other('xlsx'),
					json: other('json'),
					geojson: other('geojson')
				}
	};
}

/**
 * Response headers that carry an export's provenance where tools look for it: `Link` to the
 * companion (`rel="describedby"`), the dataset ids of `sources.json` and the generation date.
 * Header values stay ASCII (ids, dates, paths).
 */
export function rankingProvenanceHeaders(data: RankingExport): Record<string, string> {
	const companion = rankingRequestPath({ ...data.query, format: 'metadonnees' });
	return {
		link: `<${companion}>; rel="describedby"; type="application/json"`,
		'x-atlas-sources': rankingDatasetIds(data.geometry, data.datasets).join(', '),
		'x-atlas-genere-le': data.generatedAt.toISOString(),
		'x-atlas-methode': '/sources',
		// The scenario's id (ASCII); its name and counts are in the companion.
		...(data.scenario
			? { 'x-atlas-scenario': data.scenario.id ?? 'lieux-importes-navigateur' }
			: {})
	};
}

/**
 * The download name of an export: `classement-commune-departement-59-rural.csv`.
 * The preset id (or `personnalise`) tells two downloads of the same filter apart; a ranking that
 * counts a saved scenario ends with `scenario-<id>`, one written in the browser with what it counts:
 * `avec-lieux-importes`, `avec-simulation` or `avec-lieux-importes-et-simulation`.
 */
export function rankingFileName(
	query: RankingQuery,
	extension: 'csv' | 'geojson' | 'json' | 'xlsx' | 'metadonnees.json',
	scenario?: Pick<RankingExportScenario, 'id' | 'imported' | 'added' | 'removed'>
): string {
	const id = query.scenario ?? scenario?.id ?? null;
	const simulated = scenario !== undefined && (scenario.added > 0 || scenario.removed > 0);
	const browser =
		scenario === undefined
			? null
			: [scenario.imported > 0 ? 'lieux-importes' : null, simulated ? 'simulation' : null]
					.filter(Boolean)
					.join('-et-');
	return `${[
		'classement',
		query.niveau,
		query.region && `region-${query.region}`,
		query.departement && `departement-${query.departement}`,
		query.preset ?? 'personnalise',
		id !== null ? `scenario-${id}` : browser ? `avec-${browser}` : null
	]
		.filter(Boolean)
		.join('-')}${extension === 'metadonnees.json' ? '-' : '.'}${extension}`;
}
