/**
 * The per-commune record: one row of `static/data/communes.json`, for each of the 34,875 communes of
 * the 101 départements (COG 2026). This is the contract between the `geodata/` pipeline (which writes
 * it), the browser and the server API (which read it). A `null` value always means "not published /
 * not joined", never zero.
 */

/** INSEE grille communale de densité, 7 levels (1 = Grands centres urbains … 7 = Rural à habitat très dispersé). */
export type DensityLevel = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** Labels of the INSEE density grid, indexed by level. Source: INSEE, grille communale de densité (2025 edition). */
export const DENSITY_LABELS: Record<DensityLevel, string> = {
	1: 'Grands centres urbains',
	2: 'Centres urbains intermédiaires',
	3: 'Ceintures urbaines',
	4: 'Petites villes',
	5: 'Bourgs ruraux',
	6: 'Rural à habitat dispersé',
	7: 'Rural à habitat très dispersé'
};

/**
 * France Ruralités Revitalisation class code as published by the Observatoire des territoires
 * (`codefrr`, 2025): 0 not classified, 1 transitional (former ZRR), 4 FRR socle, 5 FRR+;
 * 2 and 3 have no published label (see PROVENANCE §9).
 */
export type FrrCode = 0 | 1 | 2 | 3 | 4 | 5;

/** ZRR 2021 status: C classée, NC non classée, PC partiellement classée. */
export type ZrrStatus = 'C' | 'NC' | 'PC';

/**
 * Population by age band from INSEE's `base-cc-evol-struct-pop` file, present only when a user adds
 * that file to the sources (persons, census year in `year`).
 */
export interface AgeStructure {
	/** Census year of the file, e.g. 2021 for `P21_*` columns. */
	year: number;
	pop15to44: number;
	pop45to59: number;
	pop60to74: number;
	pop75plus: number;
}

export interface CommuneRecord {
	/** INSEE code, COG 2026, always a 5-character string (`2A004`, `01001`). */
	code: string;
	nom: string;
	/** Département code (`01`, `2A`, `971`). */
	dep: string;
	/** Région code (`32`, `84`, `01`…). */
	reg: string;
	/** SIREN of the EPCI à fiscalité propre (2026), null for the 4 single-commune islands. */
	epci: string | null;
	/** `metro` or `drom`. */
	zone: 'metro' | 'drom';
	/** False for the 7 communes restored after 2018 that have no polygon (PROVENANCE §1). */
	hasGeometry: boolean;
	/** Population municipale (INSEE, populations légales in force on 1 January 2026), persons. */
	population: number;
	/** Surface, km² (IGN via geo.api.gouv.fr). */
	surfaceKm2: number | null;
	/** Commune centre (close to the town hall), WGS84 degrees. */
	lon: number | null;
	lat: number | null;

	densite: DensityLevel | null;
	/** ANCT typologie des ruralités label, or null (urban, DROM, changed boundaries). */
	ruralite: string | null;
	/** ANCT/INRAE centrality label. */
	centralite: string | null;
	/** Massif name when the commune is in a zone de montagne, else null. */
	montagne: string | null;
	frr: FrrCode | null;
	zrr: ZrrStatus | null;

	/** % of premises that can be connected to FttH (ARCEP, about 2025 Q3). */
	fibreFtthPct: number | null;
	/** Premises counted by ARCEP "Ma connexion internet", 2022 Q4 (all technologies). */
	locaux2022: number | null;
	/** Premises eligible to ≥ 100 Mbit/s, 2022 Q4. */
	locauxThd100_2022: number | null;

	/** MedNum IFN 2023 sub-scores, 0–10 (higher = more fragile). Scores, not rates. */
	ifnNoThd: number | null;
	ifnNo4g: number | null;
	ifnPoverty: number | null;
	ifnOlder65: number | null;
	ifnNoDiploma: number | null;
	ifnTotal: number | null;

	/** Filosofi 2021 median disposable income per consumption unit, € (INSEE-DGFiP). */
	revenuMedian: number | null;
	/** Filosofi 2021 poverty rate at 60 % of the median, % (published for ~4,350 communes only). */
	tauxPauvrete: number | null;

	/** Number of QPV 2024 whose perimeter touches the commune (ANCT list). */
	qpvCount: number;

	/** Mediation offer counts (see `offre-mediation-par-commune-2026.csv` and the points file). */
	nFranceServices2024: number;
	nLieuxCnfs2022: number;
	nStructuresCnfs2023: number;
	nPostesCnfs2023: number;
	nStructuresAidantsConnect2024: number;
	nAidantsConnect2024: number;

	/** Share of people aged 60+, % (INSEE RP 2021): Nord (59) only, used to calibrate the age proxy. */
	part60PlusNord2021: number | null;
	/** Real age structure when INSEE's per-commune age file was added to the sources. */
	age: AgeStructure | null;

	/**
	 * Share of the population with good or very good 4G coverage (ARCEP "Mon réseau mobile"
	 * `<yyyy>T<q>_op_communes.csv`, `pop_bc + pop_tbc`), %, for the best operator of the commune:
	 * a lower bound of the share covered by at least one operator. Present (non-null) only when a
	 * user added that file to the sources; the app then prefers it to the IFN `ifnNo4g` score.
	 * Optional so records built before this field existed stay valid; the pipeline always writes it.
	 */
	mobile4gGoodPopPctBest?: number | null;
	/** The same share for the commune's worst operator, % (among the operators listed for it). */
	mobile4gGoodPopPctWorst?: number | null;
	/** Quarter of the ARCEP coverage statistics, e.g. "2025 T3" (from the file name). */
	mobile4gVintage?: string | null;
	/**
	 * Mobile sites with 4G in the commune (ARCEP `<yyyy>_T<q>_sites_<Metropole|Outremer>.csv`),
	 * counted as physical sites: rows sharing an `id_site_partage` count once. Null when the
	 * commune's zone (mainland/overseas) has no sites file in the sources.
	 */
	mobileSites4g?: number | null;
	/** Sites of the "zones blanches – centres-bourgs" programme (`site_ZB` = 1), same counting. */
	mobileSitesZoneBlanche?: number | null;
	/** Sites of the New Deal Mobile "dispositif de couverture ciblée" (`site_DCC` = 1), same counting. */
	mobileSitesCouvertureCiblee?: number | null;
	/** Quarter of the ARCEP sites file, e.g. "2025 T3". */
	mobileSitesVintage?: string | null;
}

/**
 * Fields filled only when a user adds an optional official file to the sources. The committed table
 * leaves such a column out when it is empty for every commune (it would add ~1 MB of `null`s).
 */
export const OPTIONAL_COMMUNE_FIELDS: readonly (keyof CommuneRecord)[] = [
	'mobile4gGoodPopPctBest',
	'mobile4gGoodPopPctWorst',
	'mobile4gVintage',
	'mobileSites4g',
	'mobileSitesZoneBlanche',
	'mobileSitesCouvertureCiblee',
	'mobileSitesVintage'
];

/** The administrative levels of the dashboard, from the finest to the coarsest. */
export const LEVELS = ['commune', 'epci', 'departement', 'region'] as const;
export type Level = (typeof LEVELS)[number];

/** French labels of the levels. */
export const LEVEL_LABELS: Record<Level, string> = {
	commune: 'Communes',
	epci: 'Intercommunalités (EPCI)',
	departement: 'Départements',
	region: 'Régions'
};

/** The code of the territory of `level` that contains commune `c` (null: the commune has no EPCI). */
export function parentCode(c: CommuneRecord, level: Level): string | null {
	switch (level) {
		case 'commune':
			return c.code;
		case 'epci':
			return c.epci;
		case 'departement':
			return c.dep;
		case 'region':
			return c.reg;
	}
}
