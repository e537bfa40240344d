/**
 * The answers of `GET /api/estimations` (see the route for the parameters), from a valid query
 * and the dataset: one row per territory, estimated people aged 15+ « éloignés du numérique » with
 * its band, as JSON, CSV (header row first), XLSX or the companion `metadonnees`. One code wherever
 * it runs: on the request thread for a département's communes and the larger levels, in the task
 * pool (`server-tasks.worker.ts`) for more communes and every workbook (`isHeavyEstimationsQuery`).
 */
import { json } from '@sveltejs/kit';
import { apiSourceOf } from '$lib/territory/attribution';
import type { ServerDataset } from './dataset';
import { parentCode } from '$lib/territory/commune';
import { toCsv, type CsvColumn } from '$lib/export/csv';
import { plainXlsxTable, writePlainXlsx, XLSX_CONTENT_TYPE } from '$lib/export/xlsx';
import type { TerritoryQuery } from './query-params';
import { remoteEstimatesAt, remoteEstimatesOf } from '$lib/needs/cache';
import { MODEL_VERSION, TARGET_MAINLAND_SHARE_2019 } from '$lib/needs/constants';
import { FIABILITE_LABELS, REGIONAL_BENCHMARKS_2019 } from '$lib/needs/benchmarks';
import type { TerritoryEstimate } from '$lib/needs/aggregate';

/** Datasets the estimate is built from (ids of `sources.json`). */
const MODEL_DATASETS = [
	'cog-2026',
	'grille-densite',
	'ifn-2023',
	'filosofi-2021',
	'rp2021-nord',
	'illectronisme-insee'
];

/** Rounded persons, or null when the territory is not estimated. */
const persons = (v: number | null) => (v === null ? null : Math.round(v));

/** One output row, with the field names of the public API (French, snake_case). */
interface EstimateRow {
	code: string;
	nom: string;
	niveau: string;
	population: number;
	population_15_ans_et_plus: number;
	/** Persons; null when not estimated (Mayotte), never a made-up number. */
	eloignes: number | null;
	eloignes_bas: number | null;
	eloignes_haut: number | null;
	/** % of people aged 15+, one decimal. */
	part_eloignes: number | null;
	fiabilite: TerritoryEstimate['fiabilite'];
}

function toRow(t: TerritoryEstimate): EstimateRow {
	return {
		code: t.code,
		nom: t.nom,
		niveau: t.niveau,
		population: t.population,
		population_15_ans_et_plus: Math.round(t.pop15),
		eloignes: persons(t.eloignes),
		eloignes_bas: persons(t.bas),
		eloignes_haut: persons(t.haut),
		part_eloignes: t.part === null ? null : Math.round(t.part * 10) / 10,
		fiabilite: t.fiabilite
	};
}

const CSV_COLUMNS: CsvColumn<EstimateRow>[] = [
	{ header: 'code', value: (r) => r.code },
	{ header: 'nom', value: (r) => r.nom },
	{ header: 'niveau', value: (r) => r.niveau },
	{ header: 'population', value: (r) => r.population, digits: 0 },
	{ header: 'population_15_ans_et_plus', value: (r) => r.population_15_ans_et_plus, digits: 0 },
	{ header: 'eloignes', value: (r) => r.eloignes, digits: 0 },
	{ header: 'eloignes_bas', value: (r) => r.eloignes_bas, digits: 0 },
	{ header: 'eloignes_haut', value: (r) => r.eloignes_haut, digits: 0 },
	{ header: 'part_eloignes', value: (r) => r.part_eloignes, digits: 1 },
	{ header: 'fiabilite', value: (r) => r.fiabilite }
];

/** The query string of a valid query, parameters in a fixed order and defaults left out. */
export function canonicalEstimationsQuery(q: TerritoryQuery): string {
	const params = new URLSearchParams({ niveau: q.niveau });
	if (q.region) params.set('region', q.region);
	if (q.departement) params.set('departement', q.departement);
	if (q.format !== 'json') params.set('format', q.format);
	if (q.format === 'csv' && q.separateur === ',') params.set('separateur', ',');
	return params.toString().replaceAll('%2C', ',');
}

/**
 * Whether the answer is computed in the task pool: the communes of more than one département, or
 * a workbook (exceljs takes seconds on 34,875 rows).
 */
export function isHeavyEstimationsQuery(q: TerritoryQuery): boolean {
	return q.format === 'xlsx' || (q.niveau === 'commune' && q.departement === null);
}

/** The answer to a valid query, body in full (on the request thread or in the pool, see above). */
export async function estimationsAnswer(
	q: TerritoryQuery,
	dataset: ServerDataset
): Promise<Response> {
	const { niveau, region, departement, format, separateur } = q;

	// Territories of the level that have at least one commune inside the filter (an EPCI that spans
	// two départements is listed, with its whole figure, under each of them).
	const inFilter = dataset.communes.filter(
		(c) => (region === null || c.reg === region) && (departement === null || c.dep === departement)
	);
	const codes = new Set(inFilter.map((c) => parentCode(c, niveau)));
	const rows = remoteEstimatesAt(dataset.communes, niveau, dataset.territories)
		.filter((t) => codes.has(t.code))
		.map(toRow);

	const filterName = [
		niveau,
		region && `region-${region}`,
		departement && `departement-${departement}`
	]
		.filter(Boolean)
		.join('-');
	const model = remoteEstimatesOf(dataset.communes).model;
	const sources = dataset.sources.datasets
		.filter((d) => MODEL_DATASETS.includes(d.id))
		.map(apiSourceOf);
	const generatedAt = new Date().toISOString();
	const provenance = {
		link: `</api/estimations?${canonicalEstimationsQuery({ ...q, format: 'metadonnees' })}>; rel="describedby"; type="application/json"`,
		'x-atlas-sources': sources.map((s) => s.id).join(', '),
		'x-atlas-genere-le': generatedAt,
		'x-atlas-methode': '/sources'
	};
	const fileName = `estimations-${filterName}`;
	if (format === 'csv') {
		return new Response(
			toCsv(rows, CSV_COLUMNS, { separator: separateur, bom: separateur === ';' }),
			{
				headers: {
					'content-type': 'text/csv; charset=utf-8; header=present',
					'content-disposition': `attachment; filename="${fileName}.csv"`,
					...provenance
				}
			}
		);
	}
	const attribution = `Estimation Atlas de l’inclusion numérique (modèle ${MODEL_VERSION}) d’après ${sources.map((s) => s.attribution).join(', ') || 'INSEE, La MedNum'}`;
	if (format === 'xlsx') {
		// Only ever in the pool (`isHeavyEstimationsQuery`).
		const workbook = await writePlainXlsx(
			plainXlsxTable({ sheet: 'Estimations', columns: CSV_COLUMNS, rows }),
			{
				title: 'Atlas de l’inclusion numérique : personnes éloignées du numérique (estimation)',
				lines: [
					['Généré le', generatedAt],
					['Requête', `/api/estimations?${canonicalEstimationsQuery(q)}`],
					['Modèle', `version ${MODEL_VERSION}`],
					['Attribution', attribution],
					['Méthode', '/sources']
				],
				datasets: dataset.sources.datasets.filter((d) => MODEL_DATASETS.includes(d.id))
			}
		);
		return new Response(workbook, {
			headers: {
				'content-type': XLSX_CONTENT_TYPE,
				'content-disposition': `attachment; filename="${fileName}.xlsx"`,
				...provenance
			}
		});
	}
	const head = {
		niveau,
		filtres: { region, departement },
		modele: {
			nom: 'Personnes éloignées du numérique (estimation)',
			version: MODEL_VERSION,
			definition:
				'Personnes de 15 ans ou plus en situation d’illectronisme au sens de l’INSEE (pas d’usage d’internet dans l’année, ou aucune compétence de base), estimées à partir de l’âge, de la pauvreté, du diplôme et du type de territoire.',
			unites: {
				population: 'habitants (population municipale INSEE)',
				population_15_ans_et_plus: 'personnes (estimation)',
				eloignes: 'personnes de 15 ans ou plus (estimation centrale)',
				eloignes_bas: 'bas de la fourchette prédictive à 90 %',
				eloignes_haut: 'haut de la fourchette prédictive à 90 %',
				part_eloignes: '% des 15 ans et plus',
				fiabilite: `${Object.entries(FIABILITE_LABELS)
					.map(([k, v]) => `${k} : ${v}`)
					.join(' ; ')} (valeurs nulles si non estimé)`
			},
			calibrage: {
				cibles: `France métropolitaine : ${TARGET_MAINLAND_SHARE_2019 * 100} % des 15 ans et plus (INSEE 2019) ; régions publiées par l’INSEE (2019) : ${REGIONAL_BENCHMARKS_2019.map((b) => b.nom).join(', ')} ; outre-mer : enquête INSEE 2017`,
				facteur_echelle: Number(model.scale.toFixed(4)),
				gamma_social: Number(model.gamma.toFixed(4)),
				theta_territoire: Number(model.theta.toFixed(4)),
				part_france_pct: Number((model.calibration.franceShare * 100).toFixed(2)),
				part_metropole_pct: Number((model.calibration.mainlandShare * 100).toFixed(2))
			},
			methode: '/sources'
		},
		attribution,
		sources,
		genere_le: generatedAt
	};
	if (format === 'metadonnees') {
		const other = (format: TerritoryQuery['format'], separateur: ';' | ',' = ';') =>
			`/api/estimations?${canonicalEstimationsQuery({ ...q, format, separateur })}`;
		return json(
			{
				...head,
				nombre: rows.length,
				colonnes: CSV_COLUMNS.map((c) => c.header),
				fichiers: {
					csv: other('csv'),
					csv_virgule: other('csv', ','),
					xlsx: other('xlsx'),
					json: other('json')
				}
			},
			{
				headers: { 'content-disposition': `attachment; filename="${fileName}-metadonnees.json"` }
			}
		);
	}
	return json({ ...head, nombre: rows.length, territoires: rows }, { headers: provenance });
}
