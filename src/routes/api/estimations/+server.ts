/**
 * GET /api/estimations?niveau=commune|epci|departement|region[&region=..][&departement=..][&format=json|csv]
 * One row per territory: estimated people aged 15+ "éloignés du numérique" with its band.
 */
import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { loadServerDataset } from '$lib/server/dataset';
import { knownTerritoriesOf, parseTerritoryQuery } from '$lib/server/query-params';
import { parentCode } from '$lib/territory/commune';
import { toCsv, type CsvColumn } from '$lib/export/csv';
import { remoteEstimatesAt, remoteEstimatesOf } from '$lib/indicators/remote-population-cache';
import {
	MODEL_VERSION,
	TARGET_HDF_PERSONS,
	TARGET_MAINLAND_SHARE_2019
} from '$lib/indicators/remote-population-constants';
import type { TerritoryEstimate } from '$lib/indicators/estimates';

/** Datasets the estimate is built from (ids of `sources.json`). */
const MODEL_DATASETS = [
	'cog-2026',
	'grille-densite',
	'ifn-2023',
	'filosofi-2021',
	'rp2021-nord',
	'illectronisme-insee'
];

/** One output row, with the field names of the public API (French, snake_case). */
interface EstimateRow {
	code: string;
	nom: string;
	niveau: string;
	population: number;
	population_15_ans_et_plus: number;
	eloignes: number;
	eloignes_bas: number;
	eloignes_haut: number;
	/** % of people aged 15+, one decimal. */
	part_eloignes: number | null;
}

function toRow(t: TerritoryEstimate): EstimateRow {
	return {
		code: t.code,
		nom: t.nom,
		niveau: t.niveau,
		population: t.population,
		population_15_ans_et_plus: Math.round(t.pop15),
		eloignes: Math.round(t.eloignes),
		eloignes_bas: Math.round(t.bas),
		eloignes_haut: Math.round(t.haut),
		part_eloignes: t.part === null ? null : Math.round(t.part * 10) / 10
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
	{ header: 'part_eloignes', value: (r) => r.part_eloignes, digits: 1 }
];

export const GET: RequestHandler = async ({ url }) => {
	const dataset = await loadServerDataset();
	const query = parseTerritoryQuery(url.searchParams, knownTerritoriesOf(dataset.territories));
	if (!query.ok) return json({ erreur: query.erreur, details: query.details }, { status: 400 });
	const { niveau, region, departement, format } = query.value;

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
	if (format === 'csv') {
		return new Response(toCsv(rows, CSV_COLUMNS), {
			headers: {
				'content-type': 'text/csv; charset=utf-8',
				'content-disposition': `attachment; filename="estimations-${filterName}.csv"`
			}
		});
	}

	const model = remoteEstimatesOf(dataset.communes).model;
	const sources = dataset.sources.datasets
		.filter((d) => MODEL_DATASETS.includes(d.id))
		.map((d) => ({
			id: d.id,
			producteur: d.producer,
			titre: d.title,
			millesime: d.vintage,
			licence: d.licence,
			url: d.url,
			attribution: d.attribution
		}));
	return json({
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
				eloignes_bas: 'bas de la fourchette (≈ 90 %)',
				eloignes_haut: 'haut de la fourchette (≈ 90 %)',
				part_eloignes: '% des 15 ans et plus'
			},
			calibrage: {
				cibles: `France métropolitaine : ${TARGET_MAINLAND_SHARE_2019 * 100} % des 15 ans et plus (INSEE 2019) ; Hauts-de-France : ${TARGET_HDF_PERSONS.toLocaleString('fr-FR')} personnes (INSEE 2019)`,
				facteur_echelle: Number(model.scale.toFixed(4)),
				gamma_social: Number(model.gamma.toFixed(4)),
				part_france_pct: Number((model.calibration.franceShare * 100).toFixed(2)),
				hauts_de_france: Math.round(model.calibration.hdfPersons)
			},
			methode: '/sources'
		},
		attribution: `Estimation Atlas de l’inclusion numérique (modèle ${MODEL_VERSION}) d’après ${sources.map((s) => s.attribution).join(', ') || 'INSEE, La MedNum'}`,
		sources,
		nombre: rows.length,
		territoires: rows
	});
};
