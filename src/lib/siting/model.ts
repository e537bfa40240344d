/**
 * The inputs and outputs of the siting engine ("where to put N new conseillers numériques"). They are
 * plain, serialisable objects (no class, no Map, no typed array) so the same values travel through a
 * Web Worker `postMessage`, a `POST /api/simulation` JSON body and the URL of a what-if scenario.
 * The engine knows nothing about communes, indicators or the map: the caller turns its data into
 * points.
 */

/** Where people needing help live: one point per commune, at the commune centre. */
export interface DemandPoint {
	/** Commune code (COG), kept to name the points in the outputs. */
	code: string;
	/** WGS84 degrees. */
	lon: number;
	lat: number;
	/** Persons (e.g. estimated people éloignés du numérique); ≥ 0. */
	weight: number;
}

/** A place where a new post may be opened (a commune centre, an existing France services…). */
export interface CandidateSite {
	/** Unique among the candidates. */
	id: string;
	/** Commune code of the site. */
	code: string;
	/** WGS84 degrees. */
	lon: number;
	lat: number;
}

/** A mediation place that already exists and already covers what is near it; never moved. */
export interface ExistingPlace {
	id: string;
	/** WGS84 degrees. */
	lon: number;
	lat: number;
}

/** The two objectives (French values, as in the API and the URL). */
export const SITING_OBJECTIVES = ['couverture', 'distance'] as const;
/**
 * `couverture`: maximal covering location problem (Church & ReVelle 1974), maximise the people
 * newly within the coverage distance of a place. `distance`: p-median (Hakimi 1964), minimise the
 * people-weighted mean distance to the nearest place.
 */
export type SitingObjective = (typeof SITING_OBJECTIVES)[number];

/**
 * Objectives of a simulation: `capacite` (the default, see `capacity.ts`: posts where each
 * conseiller has the most people éloignés to help, E2SFCA-based) plus the two distance objectives.
 */
export const SCENARIO_OBJECTIVES = ['capacite', 'couverture', 'distance'] as const;
export type ScenarioObjective = (typeof SCENARIO_OBJECTIVES)[number];

/** Parameters of a siting run (see `params.ts` for defaults and limits). */
export interface SitingParams {
	/** Number of new sites to open, integer 1–500. */
	n: number;
	objective: SitingObjective;
	/** Coverage distance, km as the crow flies, in (0, 200]. Used by both objectives' figures. */
	coverageKm: number;
}

/** Accessibility figures of one set of places, over the demand points of the run. */
export interface SitingFigures {
	/** Number of places (existing + new). */
	places: number;
	/** Number of demand points (communes). */
	demandPoints: number;
	/** Σ weight, persons. */
	totalDemand: number;
	/** Persons whose point is within the coverage distance of a place. */
	coveredDemand: number;
	/** coveredDemand / totalDemand, 0–1; null when totalDemand is 0. */
	coveredShare: number | null;
	/** People-weighted mean distance to the nearest place, km; null when there is no place or no demand. */
	meanDistanceKm: number | null;
	/** Demand points (communes) farther than the coverage distance from every place. */
	uncoveredPoints: number;
	/** Persons living in those points. */
	uncoveredDemand: number;
}

/** One new site of a scenario, with what it brings in the order the sites were added. */
export interface SiteContribution {
	/** 1-based position in the order of choice (greedy order for proposals, given order for what-if). */
	rank: number;
	id: string;
	code: string;
	lon: number;
	lat: number;
	/** Persons newly within the coverage distance thanks to this site (after the ones ranked before). */
	gainPeople: number;
	/** Reduction of Σ weight × distance to the nearest place, persons·km. */
	gainPersonKm: number;
	/** Reduction of the people-weighted mean distance to the nearest place, km (gainPersonKm / totalDemand). */
	gainMeanDistanceKm: number;
}

/** Evaluation of a set of new sites (what-if, or the figures of a proposal). */
export interface ScenarioEvaluation {
	coverageKm: number;
	/** Existing places only. */
	before: SitingFigures;
	/** Existing places plus the new sites. */
	after: SitingFigures;
	sites: SiteContribution[];
}

/** How the optimiser worked, for the benchmark, tests and the "méthode" note of the UI. */
export interface SitingDiagnostics {
	/** Candidates kept after validation (duplicates of an id are refused, see params). */
	candidates: number;
	/** Stored (demand, candidate) pairs of the sparse model (the memory the run needed). */
	pairs: number;
	/** Demand points whose candidate list was cut at `neighbourLimit` (distance objective only). */
	truncatedDemandPoints: number;
	/** Largest number of candidates kept per demand point (distance objective only; null for couverture). */
	neighbourLimit: number | null;
	/** Optimiser objective after the greedy step and after the swaps (persons covered, or persons·km saved). */
	greedyValue: number;
	finalValue: number;
	/** Improving swaps applied by the vertex substitution step (on the path to the best set). */
	swaps: number;
	/** Restarts from other first sites that were run (within the work budget). */
	restarts: number;
	/** Marginal-gain evaluations of the lazy greedy (CELF). */
	gainEvaluations: number;
	/**
	 * Proved upper bound of the best saving N sites could reach in the model (same unit as
	 * `finalValue`): exact optimum when a solver proved it, else the submodular online bound.
	 */
	upperBound: number;
	/** True when `finalValue` is proved optimal (exact solver, or bound reached). */
	proved: boolean;
	/** How the bound was obtained (French, for the méthode note). */
	boundMethod: string;
}

/** The answer of `proposeSites`. */
export interface SitingResult extends ScenarioEvaluation {
	params: SitingParams;
	/**
	 * True when no candidate brings anything (couverture: all demand already within the coverage
	 * distance of an existing place, or no candidate within it of the rest; distance: no candidate
	 * closer to anyone than the existing places): `sites` is then empty and `message` says why.
	 */
	nothingToPropose: boolean;
	/** French sentence for the user when the proposal is empty or shorter than N, else null. */
	message: string | null;
	/** French notices about the run (N larger than the number of candidates…). */
	notices: string[];
	diagnostics: SitingDiagnostics;
}

/** Outcome of `proposeSites`: a result, refused parameters (every problem listed), or a cancellation. */
export type SitingOutcome =
	| { status: 'done'; result: SitingResult }
	| { status: 'invalid'; message: string; problems: string[] }
	| { status: 'cancelled'; message: string };

/** Progress and cancellation hooks, called between steps (never from inside a tight loop). */
export interface SitingControl {
	/** Fraction done, 0–1, non-decreasing. */
	onProgress?: (fraction: number) => void;
	/** Return true to stop: the run then ends with `{ status: 'cancelled' }`. */
	shouldCancel?: () => boolean;
}
