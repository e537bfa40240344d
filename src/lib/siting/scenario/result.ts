/**
 * The result of a simulation: the JSON of the API and of the panel (French snake_case like the other
 * endpoints), and the options of a run.
 */
import type { Refusal } from '$lib/format/problems';
import type { MediatorType } from '$lib/territory/artifacts';
import type { MilpSolver } from '../exact';
import type { ScenarioObjective, SitingDiagnostics } from '../model';
import type { CandidateRuleId, ScenarioLevel } from './parameters';

/** Accessibility figures of the territory with one set of places. */
export interface SimulationFigures {
	/** Places located in the territory's communes (existing kept + new sites). */
	lieux: number;
	/** Communes of the territory with a centre (demand points). */
	communes: number;
	/** Estimated people éloignés of those communes, persons (1 decimal). */
	eloignes: number;
	/** People éloignés whose commune centre is within the coverage distance of a place, persons. */
	eloignes_couverts: number;
	/** eloignes_couverts / eloignes, % (2 decimals); null when eloignes is 0. */
	part_couverte_pct: number | null;
	/** People-weighted mean distance to the nearest place, km (3 decimals); null without any place. */
	distance_moyenne_km: number | null;
	/** Communes farther than the coverage distance from every place. */
	communes_non_couvertes: number;
	/** People éloignés living in them, persons. */
	eloignes_non_couverts: number;
	/** E2SFCA score weighted by the people éloignés of the communes (équivalents conseiller pour 10 000 personnes éloignées), 3 decimals. */
	accessibilite: number | null;
}

/** A new site of the scenario with what it brings. */
export interface SimulationSite {
	/** 1-based: hand-added sites first, then the proposed ones in greedy order. */
	rang: number;
	origine: 'proposition' | 'ajout';
	/** Site token (see `siteToken`), stable for the URL and the map. */
	id: string;
	/** Commune of the site (for a clicked point: the commune whose centre is nearest). */
	code_commune: string;
	nom: string;
	/** The existing place the site is at (France services candidates), else null. */
	lieu: { id: string; nom: string; type: MediatorType } | null;
	lon: number;
	lat: number;
	/** People éloignés newly within the coverage distance thanks to this site (after the sites ranked before), persons. */
	gain: number;
	/** Reduction of the territory's people-weighted mean distance to the nearest place, km. */
	gain_distance_moyenne_km: number;
	/** Reduction of Σ persons × km to the nearest place. */
	gain_personnes_km: number;
	/**
	 * Why here, in the ranking's words: the commune's people éloignés and mediation offer (E2SFCA,
	 * before the scenario) and its standing among the territory's communes; null for a point with
	 * no commune.
	 */
	pourquoi: string | null;
	/** Capacity objective only: what this post brings to people below the target (after the posts ranked before). */
	gain_capacite?: {
		/** Équivalents conseiller of the post that reach people below the target (≤ 1). */
		equivalents_conseiller: number;
		/** People éloignés whose accessibility reaches the target thanks to this post. */
		personnes_au_dessus_seuil: number;
		/** People éloignés below the target who gain accessibility. */
		personnes_aidees: number;
		/** Their need-weighted mean accessibility before and after (équivalents conseiller pour 10 000). */
		acces_moyen_avant: number;
		acces_moyen_apres: number;
		/** The gain in French words. */
		texte: string;
	};
}

/** Per-commune detail (map and ranking updates). */
export interface SimulationCommune {
	code: string;
	eloignes: number;
	distance_avant_km: number | null;
	distance_apres_km: number | null;
	accessibilite_avant: number | null;
	accessibilite_apres: number | null;
}

export interface SimulationResult {
	parametres: {
		niveau: ScenarioLevel;
		code: string | null;
		n: number;
		objectif: ScenarioObjective;
		distance_km: number;
		candidats: { regle: CandidateRuleId; population_min: number | null };
	};
	territoire: {
		niveau: ScenarioLevel;
		code: string | null;
		nom: string;
		/** Communes of the territory, with or without a centre. */
		communes: number;
		population: number;
		eloignes: number;
	};
	sites: SimulationSite[];
	lieux_retires: { id: string; nom: string; type: MediatorType; code_commune: string | null }[];
	/** Places whose number of conseillers was corrected (what-if), with the supply before and after. */
	lieux_corriges: {
		id: string;
		nom: string;
		type: MediatorType;
		code_commune: string | null;
		conseillers_avant: number;
		conseillers_apres: number;
	}[];
	/** Existing places (the real situation, for the rule's definition of a place). */
	avant: SimulationFigures;
	/** Existing places kept + new sites. */
	apres: SimulationFigures;
	/** True when the engine found no site that brings anything (`message` says why). */
	rien_a_proposer: boolean;
	/** French sentence when the proposal is empty or shorter than N, else null. */
	message: string | null;
	notices: string[];
	candidats: { regle: CandidateRuleId; description: string; nombre: number };
	lieux_existants: { description: string; nombre: number };
	methode: {
		demande: string;
		lieux: string;
		distance: string;
		objectif: string;
		accessibilite: string;
		gains: string;
	};
	/** How the optimiser worked; null when the scenario was only evaluated. */
	diagnostics: SitingDiagnostics | null;
	/**
	 * How far from the optimum the proposal can be: `prouvee` when proved optimal, else the largest
	 * gap (%) between its value and the best bound proved; null when the scenario was only evaluated.
	 */
	optimalite: { prouvee: boolean; ecart_max_pct: number; methode: string } | null;
	/** Capacity objective only: the target and the people below it before and after. */
	capacite?: {
		/** Target T, équivalents conseiller pour 10 000 personnes éloignées. */
		seuil: number;
		description: string;
		/** People éloignés of the territory below the target, before and after. */
		personnes_sous_seuil_avant: number;
		personnes_sous_seuil_apres: number;
		/** Need-weighted shortfall Σ D·max(0, T − A) / 10 000 (équivalents conseiller manquants), before and after. */
		manque_avant: number;
		manque_apres: number;
	};
	/** Per-commune detail, when asked for. */
	communes?: SimulationCommune[];
}

/** Outcome of a simulation: a result, refused parameters (every problem, in French), or cancelled. */
export type SimulationOutcome =
	| { status: 'done'; result: SimulationResult }
	| ({ status: 'invalid' } & Refusal)
	| { status: 'cancelled'; message: string };

export interface SimulationOptions {
	/** Add the per-commune detail (`communes`) to the result (default false). */
	detailCommunes?: boolean;
	/**
	 * What to do with a hand edit naming an unknown commune or place: `refuse` (the API: the request
	 * is invalid) or `ignore` (a shared link after a data update: drop it with a notice). Default refuse.
	 */
	unknownEdits?: 'refuse' | 'ignore';
	/** A loaded MILP solver (HiGHS, see `exact.ts`): coverage and distance runs are then certified. */
	solver?: MilpSolver;
	/** Time limit of the exact solve, seconds (default 2). */
	exactTimeLimitSeconds?: number;
}
