/**
 * Downloads of a simulation: the new sites as CSV (one row per site, with the scenario's parameters
 * and before/after figures repeated on every row so each row stands alone in a spreadsheet) and as
 * GeoJSON (points, with the parameters and figures as a foreign member `simulation`, RFC 7946 §6.1),
 * and the before/after figures alone as a small CSV.
 */
import type { Feature, FeatureCollection, Point } from 'geojson';
import type { SimulationFigures, SimulationResult, SimulationSite } from '$lib/siting/scenario';
import { toCsv, type CsvColumn, type CsvOptions } from './csv';

/** The figures compared before/after, with their French label and unit. */
export const FIGURE_COLUMNS: readonly {
	key: keyof SimulationFigures;
	label: string;
	unit: string;
	digits: number;
}[] = [
	{ key: 'lieux', label: 'Lieux de médiation dans le territoire', unit: 'lieux', digits: 0 },
	{ key: 'communes', label: 'Communes prises en compte', unit: 'communes', digits: 0 },
	{ key: 'eloignes', label: 'Personnes éloignées du numérique', unit: 'personnes', digits: 0 },
	{
		key: 'eloignes_couverts',
		label: 'Personnes éloignées à distance de couverture d’un lieu',
		unit: 'personnes',
		digits: 0
	},
	{
		key: 'part_couverte_pct',
		label: 'Part des personnes éloignées couvertes',
		unit: '%',
		digits: 1
	},
	{
		key: 'distance_moyenne_km',
		label: 'Distance moyenne au lieu le plus proche',
		unit: 'km',
		digits: 2
	},
	{
		key: 'communes_non_couvertes',
		label: 'Communes au-delà de la distance de couverture',
		unit: 'communes',
		digits: 0
	},
	{
		key: 'eloignes_non_couverts',
		label: 'Personnes éloignées au-delà de la distance de couverture',
		unit: 'personnes',
		digits: 0
	},
	{
		key: 'accessibilite',
		label: 'Accessibilité (E2SFCA)',
		unit: 'équivalents conseiller pour 10 000 personnes éloignées',
		digits: 2
	}
];

type SiteRow = { site: SimulationSite; result: SimulationResult };

const parameterColumns: CsvColumn<SiteRow>[] = [
	{ header: 'territoire_niveau', value: (r) => r.result.territoire.niveau },
	{ header: 'territoire_code', value: (r) => r.result.territoire.code },
	{ header: 'territoire_nom', value: (r) => r.result.territoire.nom },
	{ header: 'n_demande', value: (r) => r.result.parametres.n, digits: 0 },
	{ header: 'objectif', value: (r) => r.result.parametres.objectif },
	{ header: 'distance_couverture_km', value: (r) => r.result.parametres.distance_km },
	{ header: 'regle_candidats', value: (r) => r.result.parametres.candidats.regle },
	{
		header: 'population_min',
		value: (r) => r.result.parametres.candidats.population_min,
		digits: 0
	}
];

const figureColumns: CsvColumn<SiteRow>[] = FIGURE_COLUMNS.flatMap(({ key, digits }) => [
	{ header: `${key}_avant`, value: (r: SiteRow) => r.result.avant[key], digits },
	{ header: `${key}_apres`, value: (r: SiteRow) => r.result.apres[key], digits }
]);

const SITE_COLUMNS: CsvColumn<SiteRow>[] = [
	{ header: 'rang', value: (r) => r.site.rang, digits: 0 },
	{ header: 'origine', value: (r) => r.site.origine },
	{ header: 'id', value: (r) => r.site.id },
	{ header: 'code_commune', value: (r) => r.site.code_commune },
	{ header: 'nom', value: (r) => r.site.nom },
	{ header: 'lieu_id', value: (r) => r.site.lieu?.id },
	{ header: 'lieu_nom', value: (r) => r.site.lieu?.nom },
	{ header: 'lon', value: (r) => r.site.lon, digits: 5 },
	{ header: 'lat', value: (r) => r.site.lat, digits: 5 },
	{ header: 'gain_personnes', value: (r) => r.site.gain, digits: 0 },
	{ header: 'gain_distance_moyenne_km', value: (r) => r.site.gain_distance_moyenne_km, digits: 3 },
	...parameterColumns,
	...figureColumns
];

/**
 * The new sites as CSV (`;` and decimal comma by default, see `toCsv`), one row per site with the
 * parameters and the before/after figures. A scenario without any site gives the header only: use
 * `scenarioFiguresToCsv` for its figures.
 * @example scenarioSitesToCsv(result) // 'rang;origine;id;code_commune;nom;…\r\n1;proposition;02361;…'
 */
export function scenarioSitesToCsv(result: SimulationResult, options: CsvOptions = {}): string {
	return toCsv(
		result.sites.map((site) => ({ site, result })),
		SITE_COLUMNS,
		options
	);
}

/** The before/after figures as CSV: one row per figure (`indicateur;avant;apres;unite`). */
export function scenarioFiguresToCsv(result: SimulationResult, options: CsvOptions = {}): string {
	return toCsv(
		FIGURE_COLUMNS.map((f) => ({ ...f, before: result.avant[f.key], after: result.apres[f.key] })),
		[
			{ header: 'indicateur', value: (r) => r.label },
			{ header: 'avant', value: (r) => r.before },
			{ header: 'apres', value: (r) => r.after },
			{ header: 'unite', value: (r) => r.unit }
		],
		options
	);
}

/** Properties of a site in the GeoJSON export. */
export type ScenarioSiteProperties = Omit<SimulationSite, 'lon' | 'lat' | 'lieu'> & {
	lieu_id: string | null;
	lieu_nom: string | null;
	lieu_type: string | null;
};

/** GeoJSON FeatureCollection with the scenario as foreign member `simulation`. */
export type ScenarioGeoJson = FeatureCollection<Point, ScenarioSiteProperties> & {
	simulation: Pick<
		SimulationResult,
		'parametres' | 'territoire' | 'avant' | 'apres' | 'lieux_retires' | 'message' | 'methode'
	> & { generee: string };
};

/**
 * The new sites as GeoJSON points (WGS84), with the parameters, the before/after figures and the
 * removed places under `simulation`.
 * @param generated ISO date-time written in `simulation.generee` (default: now)
 */
export function scenarioToGeoJson(
	result: SimulationResult,
	generated: string = new Date().toISOString()
): ScenarioGeoJson {
	const features: Feature<Point, ScenarioSiteProperties>[] = result.sites.map((site) => {
		const { lon, lat, lieu, ...rest } = site;
		return {
			type: 'Feature',
			geometry: { type: 'Point', coordinates: [lon, lat] },
			properties: {
				...rest,
				lieu_id: lieu?.id ?? null,
				lieu_nom: lieu?.nom ?? null,
				lieu_type: lieu?.type ?? null
			}
		};
	});
	return {
		type: 'FeatureCollection',
		features,
		simulation: {
			parametres: result.parametres,
			territoire: result.territoire,
			avant: result.avant,
			apres: result.apres,
			lieux_retires: result.lieux_retires,
			message: result.message,
			methode: result.methode,
			generee: generated
		}
	};
}

/**
 * File name of an export: `simulation-departement-02-11-postes-couverture.csv`.
 * @param extension without the dot: `csv`, `geojson`
 */
export function scenarioFileName(result: SimulationResult, extension: string, suffix = ''): string {
	const p = result.parametres;
	const territory = p.niveau === 'france' ? 'france' : `${p.niveau}-${p.code}`;
	return `simulation-${territory}-${p.n}-postes-${p.objectif}${suffix ? `-${suffix}` : ''}.${extension}`;
}
