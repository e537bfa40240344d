/**
 * Exports of a ranked table (see ranking/ranked-table.ts): JSON, CSV and the flat properties the
 * GeoJSON export carries, with the request's parameters and the method written in every file so an
 * export found in a folder months later still says how it was made. Column names are French
 * snake_case, like the rest of the public API.
 *
 * CSV layout (RFC 4180): the header row first, then one row per territory, CRLF. By default `;`,
 * decimal comma and a UTF-8 BOM for French Excel; with `,` (`sep=,`) decimal points and no BOM, for
 * scripts (`pandas.read_csv(f)`, `d3.csvParse`, QGIS). The parameters, method and sources, which
 * used to be `#` comment lines that tools read as the header, are in the companion
 * (`rankingCompanion`, `format=metadonnees`) and in the response headers.
 */
import { toCsv, UTF8_BOM, type CsvColumn } from './csv';
import { CRITERIA, CRITERION_IDS, type CriterionId } from '../ranking/criteria';
import { serializeRankingQuery, type RankingQuery } from '../ranking/query';
import type { RankedRow, RankedTable } from '../ranking/ranked-table';
import { serializeWeights, WEIGHT_PRESETS } from '../ranking/weights';
import { LEVEL_LABELS } from '../territory/commune';
import { formatInteger } from '../format/number';
import type { DatasetSource } from '../territory/artifacts';
import { IMPORTED_SOURCE_ID } from '../places-import/import-places';

/** Version of the export layout (columns and metadata); bump when a column changes. */
export const RANKING_EXPORT_VERSION = '1';

/** The path of the API that serves rankings. */
export const RANKING_API_PATH = '/api/classement';

/** Column name and decimals of each criterion's raw value in the flat exports. */
export const CRITERION_COLUMNS: Readonly<Record<CriterionId, { column: string; digits: number }>> =
	{
		eloignes: { column: 'eloignes', digits: 0 },
		part: { column: 'part_eloignes_pct', digits: 1 },
		acces: { column: 'acces_equivalents_conseiller_pour_10000', digits: 2 },
		distance: { column: 'distance_lieu_plus_proche_km', digits: 1 },
		fibre: { column: 'locaux_sans_fibre_pct', digits: 1 },
		mobile: { column: 'score_ifn_absence_4g', digits: 2 },
		qpv: { column: 'qpv', digits: 0 },
		rural: { column: 'population_en_frr_pct', digits: 1 },
		pauvrete: { column: 'score_ifn_pauvrete', digits: 2 }
	};

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

/** A column of the flat exports (CSV header and GeoJSON property). */
export interface RankingColumn extends CsvColumn<RankedRow> {
	/** French description with unit, for the JSON metadata. */
	description: string;
}

const missingCriteria = (row: RankedRow) =>
	CRITERION_IDS.filter((id) => row.criterionWeight(id) > 0 && row.criterionMissing(id)).join(', ');

/** The columns of the CSV and of the GeoJSON properties, in order. */
export const RANKING_COLUMNS: readonly RankingColumn[] = [
	{
		header: 'position',
		value: (r) => r.position,
		digits: 0,
		description: 'Place dans le tableau par score décroissant (1 à n, sans ex æquo).'
	},
	{
		header: 'rang',
		value: (r) => r.rank,
		digits: 0,
		description:
			'Rang dans le groupe (1 = le plus prioritaire) ; deux scores égaux partagent un rang.'
	},
	{
		header: 'rang_sur',
		value: (r) => r.groupSize,
		digits: 0,
		description: 'Nombre de territoires classés dans le groupe.'
	},
	{
		header: 'code',
		value: (r) => r.territory.code,
		description: 'Code officiel (COG 2026, SIREN pour les EPCI).'
	},
	{ header: 'nom', value: (r) => r.territory.nom, description: 'Nom du territoire.' },
	{
		header: 'niveau',
		value: (r) => r.territory.level,
		description: 'Niveau : commune, epci, departement ou region.'
	},
	{
		header: 'departement',
		value: (r) => (r.territory.level === 'departement' ? r.territory.code : r.territory.dep),
		description: 'Code du département (pour un EPCI : celui qui regroupe le plus d’habitants).'
	},
	{
		header: 'region',
		value: (r) => (r.territory.level === 'region' ? r.territory.code : r.territory.reg),
		description: 'Code de la région (pour un EPCI : celle qui regroupe le plus d’habitants).'
	},
	{
		header: 'population',
		value: (r) => r.territory.population,
		digits: 0,
		description:
			'Population municipale (INSEE, populations légales en vigueur au 1er janvier 2026), habitants.'
	},
	{
		header: 'score',
		value: (r) => r.score,
		digits: 2,
		description:
			'Score de priorité, 0 à 100 : moyenne pondérée des besoins normalisés des critères.'
	},
	...CRITERION_IDS.map((id): RankingColumn => ({
		header: CRITERION_COLUMNS[id].column,
		value: (r) => r.criterionValue(id),
		digits: CRITERION_COLUMNS[id].digits,
		description: `${CRITERIA[id].label} (${CRITERIA[id].unit}). Vide si inconnu.`
	})),
	...CRITERION_IDS.map((id): RankingColumn => ({
		header: `contribution_${id}`,
		value: (r) => r.criterionContribution(id),
		digits: 2,
		description: `Points de score apportés par « ${CRITERIA[id].label} » (0 si son poids est nul) ; les contributions s’additionnent en score.`
	})),
	{
		header: 'donnees_manquantes',
		value: missingCriteria,
		description:
			'Critères pondérés dont la valeur est inconnue (la médiane du classement les remplace).'
	},
	{
		header: 'explication',
		value: (r) => r.explanation,
		description:
			'Une phrase : le rang et les critères qui pèsent le plus, avec les valeurs du tableau.'
	}
];

/** A number rounded to a column's decimals (the JSON and GeoJSON carry what the CSV shows). */
function rounded(value: number | null, digits: number | undefined): number | null {
	if (value === null || !Number.isFinite(value)) return null;
	if (digits === undefined) return value;
	const factor = 10 ** digits;
	return Math.round(value * factor) / factor + 0; // + 0: no −0
}

/** The flat record of a row: one property per column, numbers rounded like the CSV. */
export function flattenRankedRow(row: RankedRow): Record<string, string | number | null> {
	const record: Record<string, string | number | null> = {};
	for (const c of RANKING_COLUMNS) {
		const v = c.value(row);
		record[c.header] =
			typeof v === 'number'
				? rounded(v, c.digits)
				: v === undefined || v === ''
					? null
					: (v as string | null);
	}
	return record;
}

/** One criterion of a JSON row. */
export interface RankingJsonCriterion {
	/** Raw value in the criterion's unit, rounded like the CSV; null when unknown. */
	valeur: number | null;
	/** Table text, French formatting (quoted by the explanation). */
	texte: string;
	poids: number;
	/** Normalised need, 0–1 (1 = most in need of the normalisation set). */
	besoin: number;
	/** Points of the 0–100 score. */
	contribution: number;
	manquant: boolean;
}

export interface RankingJsonRow {
	position: number;
	rang: number;
	rang_sur: number;
	code: string;
	nom: string;
	niveau: string;
	departement: string | null;
	region: string | null;
	population: number;
	score: number;
	criteres: Record<CriterionId, RankingJsonCriterion>;
	explication: string;
}

/** A row of the JSON export: identity, rank, score, every criterion nested, the explanation. */
export function toRankingJsonRow(row: RankedRow): RankingJsonRow {
	const flat = flattenRankedRow(row);
	const criteres = {} as Record<CriterionId, RankingJsonCriterion>;
	for (const id of CRITERION_IDS) {
		const c = row.criteria[id];
		criteres[id] = {
			valeur: rounded(c.value, CRITERION_COLUMNS[id].digits),
			texte: c.text,
			poids: c.weight,
			besoin: rounded(c.need, 4) as number,
			contribution: rounded(c.contribution, 2) as number,
			manquant: c.missing
		};
	}
	return {
		position: row.position,
		rang: row.rank,
		rang_sur: row.groupSize,
		code: row.territory.code,
		nom: row.territory.nom,
		niveau: row.territory.level,
		departement: flat.departement as string | null,
		region: flat.region as string | null,
		population: row.territory.population,
		score: flat.score as number,
		criteres,
		explication: row.explanation
	};
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
		.map((d) => ({
			id: d.id,
			producteur: d.producer,
			titre: d.title,
			millesime: d.vintage,
			licence: d.licence,
			url: d.url,
			attribution: d.attribution
		}));
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

/** Rows per chunk of the streamed exports: ~50 ms of work, so a server can serve others between chunks. */
export const EXPORT_CHUNK_ROWS = 2000;

/** The rows of `positions[from…to)`. */
export function rowsBetween(data: RankingExport, from: number, to: number): RankedRow[] {
	const end = Math.min(to, data.positions.length);
	const rows: RankedRow[] = new Array(Math.max(0, end - from));
	for (let k = from; k < end; k++) rows[k - from] = data.table.rowAt(data.positions[k]);
	return rows;
}

/** The JSON export as an object: `{ parametres, metadonnees, lignes }`. */
export function buildRankingJson(data: RankingExport) {
	return {
		parametres: rankingParameters(data.query, data.table),
		metadonnees: rankingMetadata(data),
		lignes: rowsBetween(data, 0, data.positions.length).map(toRankingJsonRow)
	};
}

/**
 * The JSON export as text, in pieces of `rowsPerChunk` rows (their concatenation is
 * `JSON.stringify(buildRankingJson(data))`), so a server can stream 34,875 rows.
 */
export function* rankingJsonChunks(
	data: RankingExport,
	rowsPerChunk = EXPORT_CHUNK_ROWS
): Generator<string> {
	const head = JSON.stringify({
		parametres: rankingParameters(data.query, data.table),
		metadonnees: rankingMetadata(data)
	});
	yield `${head.slice(0, -1)},"lignes":[`;
	for (let from = 0; from < data.positions.length; from += rowsPerChunk) {
		const rows = rowsBetween(data, from, from + rowsPerChunk).map((r) =>
			JSON.stringify(toRankingJsonRow(r))
		);
		yield (from > 0 ? ',' : '') + rows.join(',');
	}
	yield ']}';
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
 * The CSV export in pieces (see the module comment for the layout): BOM and the header row, then
 * `rowsPerChunk` rows per piece. Missing values are empty cells, never 0.
 */
export function* rankingCsvChunks(
	data: RankingExport,
	rowsPerChunk = EXPORT_CHUNK_ROWS
): Generator<string> {
	const separator = data.query.separateur;
	const header = toCsv([], RANKING_COLUMNS, { separator, bom: false });
	yield `${data.query.separateur === ';' ? UTF8_BOM : ''}${header}`;
	for (let from = 0; from < data.positions.length; from += rowsPerChunk) {
		const text = toCsv(rowsBetween(data, from, from + rowsPerChunk), RANKING_COLUMNS, {
			separator,
			bom: false
		});
		// toCsv writes the header line first (it never holds a line break): keep the rows only.
		yield text.slice(text.indexOf('\r\n') + 2);
	}
}

/** The whole CSV export as one string. */
export function writeRankingCsv(data: RankingExport): string {
	return [...rankingCsvChunks(data)].join('');
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
