/**
 * Paths and shapes of the artifacts written by `npm run geodata:build` into `static/data/` and
 * served at `/data/…`. One module so the pipeline, the browser and the server agree.
 */
import type { Level } from './commune';

/** File names, relative to `static/data/` (and to the URL `/data/`). */
export const ARTIFACTS = {
	/** EncodedCommuneTable (see commune-table.ts). */
	communes: 'communes.json',
	/** TerritoryIndex. */
	territories: 'territoires.json',
	/**
	 * The régions and départements of `territoires.json` (TerritoryIndex without `epci`, a tenth of
	 * its size): what the first screen names, lists and frames; the whole index comes with the
	 * commune table.
	 */
	territoriesFirstScreen: 'territoires-regions-departements.json',
	/** GeoJSON FeatureCollection<Point, MediatorProperties>. */
	mediators: 'mediateurs.geojson',
	/**
	 * MediatorPointsArtifact (mediation/mediator-points.ts): position, type, source and placement
	 * of every place of `mediateurs.geojson`, in the same order, for the map's first screen; the
	 * full file is fetched when a place's details are asked for.
	 */
	mediatorPoints: 'mediateurs-points.json',
	/** QpvByCommune. */
	qpv: 'qpv.json',
	/** DatasetSource[] plus the pipeline's data report. */
	sources: 'sources.json',
	/**
	 * PostcodeTable: La Poste postcodes → communes, for the search only. Kept out of
	 * `communes.json` (which the first screen and three workers download) and fetched by the
	 * dashboard when someone starts typing in its search box.
	 */
	postcodes: 'codes-postaux.json',
	/**
	 * Optional: QPV perimeters (TopoJSON, object `qpv`, properties `QpvPerimeterProperties`),
	 * written only when a user added an official QPV perimeter file to the sources (see
	 * geodata/README.md). When absent, the app shows the communes hosting QPV instead.
	 */
	qpvPerimeters: 'geo/qpv.topo.json',
	/**
	 * EstimateLayerArtifact (needs/layer-artifacts.ts): the needs estimate of every
	 * région, département and EPCI, computed by the pipeline so the first screen runs no model.
	 */
	estimates: {
		region: 'estimations/regions.json',
		departement: 'estimations/departements.json',
		epci: 'estimations/epci.json'
	},
	/** TopoJSON per level, one object named after the level; properties `code`, `nom` (+ parents). */
	geometry: {
		region: 'geo/regions.topo.json',
		departement: 'geo/departements.topo.json',
		epci: 'geo/epci.topo.json',
		commune: 'geo/communes.topo.json'
	} satisfies Record<Level, string>
} as const;

/** One territory above the commune level (région, département, EPCI), for labels and search. */
export interface TerritoryEntry {
	code: string;
	nom: string;
	level: Exclude<Level, 'commune'>;
	/** Parent région (for départements and EPCI) and département(s) (for EPCI, which may span several). */
	reg?: string;
	deps?: string[];
	/** Population municipale summed over member communes (same millésime as the communes). */
	population: number;
	/** EPCI type: CC, CA, CU, METRO, MET69. */
	type?: string;
	/** Bounding box [west, south, east, north], WGS84 degrees (for flying to it). */
	bbox: [number, number, number, number] | null;
}

export interface TerritoryIndex {
	regions: TerritoryEntry[];
	departements: TerritoryEntry[];
	epci: TerritoryEntry[];
}

/**
 * Check a territory index read from `file` (`epci` may be absent: the first screen's has none).
 * @throws Error (French) naming the file when régions or départements are missing
 */
export function readTerritoryIndex(payload: unknown, file: string): TerritoryIndex {
	const index = payload as Partial<TerritoryIndex> | null;
	if (!index || !Array.isArray(index.departements) || !Array.isArray(index.regions)) {
		throw new Error(`Le fichier ${file} n’a pas le format attendu (régions, départements, EPCI).`);
	}
	return { regions: index.regions, departements: index.departements, epci: index.epci ?? [] };
}

/**
 * The postcodes of the communes of the 101 départements (La Poste, through the COG file of
 * `@etalab/decoupage-administratif`), for the search.
 */
export interface PostcodeTable {
	/** 5-digit postcode → COG 2026 codes of the communes it serves, most populated first. */
	communes: Record<string, string[]>;
	/**
	 * Postcode of an arrondissement municipal of Paris, Lyon or Marseille → the arrondissement's COG
	 * name (« Paris 11e Arrondissement »): the Atlas counts these three communes as a whole, so the
	 * postcode leads to the commune and this name says which part of it the postcode stands for.
	 */
	arrondissements: Record<string, string>;
}

/** QPV 2024 hosted by each commune: code → list of { code, nom }. */
export type QpvByCommune = Record<string, { code: string; nom: string }[]>;

/** Properties of one QPV polygon of `geo/qpv.topo.json` (object `qpv`). */
export interface QpvPerimeterProperties {
	/** QPV code as published: `QN…` (2024 list) or `QP…` (2015 list). */
	code: string;
	nom: string;
	/** COG 2026 code of the commune, or codes joined by `,` when the QPV spans several; null when unknown. */
	commune: string | null;
	/** List the perimeter belongs to, read from the code: `QP…` → 2015, `QN…` → 2024. */
	millesime: 2015 | 2024;
}

/** Kind of mediation place, one symbol each on the map. */
export type MediatorType =
	| 'france-services'
	| 'conseiller-numerique-lieu'
	| 'conseiller-numerique-poste'
	| 'aidants-connect'
	| 'autre-lieu-mediation';

export interface MediatorProperties {
	/** Stable id, prefixed by the source (`fs-123`, `cnfs-…`). */
	id: string;
	type: MediatorType;
	nom: string;
	adresse: string | null;
	/** COG 2026 commune code, when known. */
	commune: string | null;
	/** `address`: the source's own coordinates; `commune`: placed at the commune's centre. */
	located: 'address' | 'commune';
	/** Dataset id in sources.json. */
	source: string;
	/** Date of the record (ISO yyyy-mm-dd or yyyy-mm), from the source. */
	date: string | null;
	/** Opening hours as published, when known. */
	horaires: string | null;
	/** Number of conseillers (posts) or aidants this point stands for, when the source says it. */
	effectif: number | null;
	/** Other sources that describe the same place (after deduplication). */
	alsoIn?: string[];
}

/** Attribution and provenance of one dataset. */
export interface DatasetSource {
	id: string;
	/** Producer, e.g. "INSEE", "ARCEP", "ANCT". */
	producer: string;
	title: string;
	/** Vintage shown in attributions, e.g. "2024", "2022 T4", "COG 2026". */
	vintage: string;
	licence: string;
	url: string;
	/** Short French caveat shown on the Sources page. */
	caveat?: string;
	/** Short attribution line, e.g. "ARCEP, 2025". */
	attribution: string;
	/**
	 * For an optional official file a user added to the sources folder: the file(s) the pipeline
	 * read, relative to that folder (e.g. `connectivity/2025T3_op_communes.csv`).
	 */
	files?: string[];
}

export interface DataReport {
	generated: string;
	/** Rows read per input file. */
	rows: Record<string, number>;
	/** Join coverage: communes matched out of 34,875. */
	coverage: Record<string, { matched: number; total: number }>;
	/** Codes present in a source but not in COG 2026 (first ones only). */
	unmatched: Record<string, string[]>;
}

export interface SourcesArtifact {
	datasets: DatasetSource[];
	report: DataReport;
}
