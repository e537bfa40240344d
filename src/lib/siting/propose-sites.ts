/**
 * "I can fund N posts: where do they help the most people?" The entry point of the siting engine,
 * shared by the Web Worker of the simulation panel and `POST /api/simulation`.
 */
import { formatDecimal, formatInteger } from '$lib/format/number';
import { ProgressReporter, SitingCancelled } from './control';
import { evaluateScenario, summariseAccess } from './figures';
import { chooseGreedily, searchSites } from './local-search';
import type {
	CandidateSite,
	DemandPoint,
	ExistingPlace,
	SitingControl,
	SitingDiagnostics,
	ScenarioEvaluation,
	SitingFigures,
	SitingOutcome,
	SitingParams,
	SitingResult
} from './model';
import { indexPoints, nearestDistancesKm } from './nearest';
import { describeSitingProblems, validateSitingParams, validateSitingPoints } from './params';
import { buildSparseModel, SitingTooLarge } from './sparse-model';
import { gapPercent, sparseLagrangianBound, sparseOnlineBound } from './bounds';
import { solveExactly, solveRelaxation, type MilpSolver } from './exact';

export interface SitingInput {
	/** Where the people to serve live (persons per commune centre). */
	demand: readonly DemandPoint[];
	/** Where a new post may open (already filtered by territory and candidate rule). */
	candidates: readonly CandidateSite[];
	/** Places that exist and stay (may be empty). */
	existing: readonly ExistingPlace[];
	params: SitingParams;
}

/** Tuning knobs; the defaults suit the whole of France. */
export interface SitingOptions {
	/** Bound on stored (demand, candidate) pairs, see `DEFAULT_MAX_PAIRS`. */
	maxPairs?: number;
	/** Candidates kept per demand point for the distance objective (default: pair budget / points). */
	neighbourLimit?: number;
	/** Bound on improving swaps (default 5·N + 50; each swap is a full O(pairs) pass). */
	maxSwaps?: number;
	/** Extra greedy + swap starts, each from another first site (default `DEFAULT_RESTARTS`). */
	restarts?: number;
	/** Pairs visited after which no restart begins (default `DEFAULT_WORK_BUDGET`). */
	workBudget?: number;
	/** Run swaps and restarts (default true; false gives the plain lazy greedy, for comparisons). */
	improve?: boolean;
	/**
	 * A loaded MILP solver (HiGHS): small models are then solved exactly (optimum proved) or bounded
	 * by the LP relaxation, within `exactTimeLimitSeconds` (default 2 s).
	 */
	solver?: MilpSolver;
	exactTimeLimitSeconds?: number;
}

/**
 * Above this proved gap (%), the Lagrangian bound is computed to tighten it: below, the answer is
 * already as good as proved and the extra passes would only cost time.
 */
export const LAGRANGIAN_FROM_GAP_PCT = 0.01;

/**
 * Above this proved gap (%) after the Lagrangian bound, the LP relaxation is solved too (when the
 * model fits the solver): it costs up to the solver's time limit again, so only where it matters.
 */
export const LP_FROM_GAP_PCT = 0.5;

/** Restarts of the search from other first sites: 16 reached the exact optimum on every test instance. */
export const DEFAULT_RESTARTS = 16;

/**
 * Work (pairs visited) after which no swap pass or restart begins: about a second or two of
 * computing on a laptop, so small territories get every restart and France the greedy, swaps and a
 * few restarts.
 */
export const DEFAULT_WORK_BUDGET = 150_000_000;

const PEOPLE = (value: number) =>
	`${formatInteger(value)} personne${Math.round(value) > 1 ? 's' : ''}`;

/**
 * The sites chosen by `chooseSites`, in the order of their gains, with what the run found; the
 * gains themselves are computed once, by whoever evaluates the scenario (`proposeSites` here, the
 * scenario layer with its hand-added sites first).
 */
export interface SiteChoice {
	/** The chosen candidates, each ranked after the ones that bring more before it. */
	sites: CandidateSite[];
	/** Figures with the existing places only. */
	before: SitingFigures;
	/** Distance of each demand point to its nearest existing place, km. */
	existingKm: Float64Array;
	nothingToPropose: boolean;
	message: string | null;
	notices: string[];
	diagnostics: SitingDiagnostics;
}

/** Outcome of `chooseSites`: the choice, refused parameters (every problem listed), or a cancellation. */
export type SiteChoiceOutcome =
	{ status: 'done'; choice: SiteChoice } | Exclude<SitingOutcome, { status: 'done' }>;

/**
 * Choose up to `params.n` new sites among `candidates`: maximal coverage (`couverture`) or minimal
 * people-weighted distance (`distance`), with a lazy greedy start and 1-swap improvement, ranked
 * so each site comes after the ones that bring more. Never proposes a site that brings nothing:
 * when nothing helps the choice has no site, `nothingToPropose` and a French
 * `message`. For `couverture` that is when all demand is already within the coverage distance of an
 * existing place, or no candidate is within it of the rest; for `distance`, when no candidate is
 * closer to any demand point than its nearest existing place (all demand within the coverage
 * distance only adds a notice: shortening distances still helps).
 *
 * Pure and synchronous; `control.onProgress` gets fractions 0–1 and `control.shouldCancel` is polled
 * between steps (every few thousand points, every greedy step, every swap pass).
 * @returns `{ status: 'done' }`, `{ status: 'invalid' }` with every problem in French, or `{ status: 'cancelled' }`
 * @example chooseSites({ demand, candidates, existing, params: { n: 11, objective: 'couverture', coverageKm: 10 } })
 */
export function chooseSites(
	input: SitingInput,
	control: SitingControl = {},
	options: SitingOptions = {}
): SiteChoiceOutcome {
	const problems = [
		...validateSitingParams(input?.params),
		...validateSitingPoints(input?.demand, input?.candidates, input?.existing)
	];
	if (problems.length > 0)
		return { status: 'invalid', message: describeSitingProblems(problems), problems };

	const { demand, candidates, existing, params } = input;
	const progress = new ProgressReporter(control);
	try {
		progress.checkpoint(0, 0.05, 0);
		const existingKm = nearestDistancesKm(demand, indexPoints(existing));
		const before = summariseAccess(demand, existingKm, existing.length, params.coverageKm);
		progress.checkpoint(0, 0.05, 1);

		const notices: string[] = [];
		let n = params.n;
		if (n > candidates.length) {
			notices.push(
				`${formatInteger(n)} sites demandés mais seulement ${formatInteger(candidates.length)} sites candidats : au plus ${formatInteger(candidates.length)} seront proposés.`
			);
			n = candidates.length;
		}
		const km = `${formatDecimal(params.coverageKm, params.coverageKm % 1 === 0 ? 0 : 1)}\u00a0km`;
		const empty = (message: string): SiteChoiceOutcome => {
			progress.checkpoint(0, 1, 1);
			return {
				status: 'done',
				choice: emptyChoice(before, existingKm, notices, candidates.length, message)
			};
		};

		if (before.totalDemand <= 0) {
			return empty(
				'Rien à proposer : la demande totale du territoire est nulle (aucune personne à desservir).'
			);
		}
		if (before.uncoveredDemand <= 0 && params.objective === 'distance') {
			notices.push(
				`Toute la demande est déjà à moins de ${km} d’un lieu existant : les sites proposés ne font que rapprocher l’offre (aucune personne nouvellement couverte).`
			);
		} else if (before.uncoveredDemand <= 0) {
			return empty(
				`Rien d’utile à proposer : toute la demande du territoire (${PEOPLE(before.totalDemand)}, ${formatInteger(before.demandPoints)} communes) est déjà à moins de ${km} d’un lieu existant. Un nouveau site n’y couvrirait personne de plus ; réduisez la distance de couverture pour chercher où rapprocher encore l’offre.`
			);
		}

		const model = buildSparseModel(demand, candidates, {
			objective: params.objective,
			coverageKm: params.coverageKm,
			existingKm,
			maxPairs: options.maxPairs,
			neighbourLimit: options.neighbourLimit,
			progress,
			progressSpan: [0.05, 0.3]
		});
		const search = searchSites(
			model,
			n,
			{
				maxSwaps: options.improve === false ? 0 : (options.maxSwaps ?? 5 * n + 50),
				restarts: options.improve === false ? 0 : (options.restarts ?? DEFAULT_RESTARTS),
				workBudget: options.workBudget ?? DEFAULT_WORK_BUDGET
			},
			progress,
			[0.3, 0.95]
		);
		let exactProved = false;
		let exactTried = false;
		if (options.solver) {
			const exact = solveExactly(options.solver, model, n, options.exactTimeLimitSeconds ?? 2);
			if (exact) {
				exactTried = true;
				if (exact.value > search.value + model.epsilon && exact.chosen.length > 0) {
					search.chosen = exact.chosen;
					search.value = exact.value;
				}
				exactProved = exact.proved && search.value >= exact.upperBound - model.epsilon;
			}
		}
		if (search.chosen.length === 0) {
			return empty(
				params.objective === 'couverture'
					? `Rien d’utile à proposer : aucun site candidat n’est à moins de ${km} des communes encore non couvertes (${PEOPLE(before.uncoveredDemand)}). Élargissez la règle de choix des candidats ou la distance de couverture.`
					: 'Rien d’utile à proposer : aucun site candidat n’est plus proche des communes que les lieux existants.'
			);
		}
		// Rank the final set greedily so each site's gain reads "after the ones above it".
		const ranked = chooseGreedily(
			model,
			search.chosen.length,
			progress,
			[0.95, 0.97],
			search.chosen
		);
		const order = ranked.order;
		if (search.stoppedEarly) {
			notices.push(
				'L’amélioration par échanges a été arrêtée avant la fin (limite de calcul) : le résultat est bon mais peut-être pas optimal localement.'
			);
		}
		if (model.truncated > 0 && existing.length === 0) {
			notices.push(
				`Approximation : sans lieu existant, chaque commune n’est rapprochée que de ses ${formatInteger(model.neighbourLimit ?? 0)} sites candidats les plus proches ; avec peu de sites sur un grand territoire, la distance moyenne obtenue peut être loin de la meilleure possible.`
			);
		}
		progress.checkpoint(0.97, 1, 0);

		// The tightest proved bound, from the cheapest proof that reaches it: the solver's optimum, the
		// submodular bound (one pass), the Lagrangian bound (a few hundred passes), the LP relaxation.
		let upperBound = exactProved
			? search.value
			: Math.max(search.value, sparseOnlineBound(model, search.chosen, search.value, n));
		let boundNote = exactProved
			? 'programme linéaire en nombres entiers résolu par HiGHS (optimum prouvé)'
			: 'borne sous-modulaire (Nemhauser, Wolsey et Fisher 1978)';
		if (!exactProved && gapPercent(search.value, upperBound) > LAGRANGIAN_FROM_GAP_PCT) {
			const lagrangian = sparseLagrangianBound(
				model,
				search.chosen,
				search.value,
				n,
				undefined,
				(fraction) => progress.checkpoint(0.97, 1, 0.5 * fraction)
			);
			if (lagrangian.bound < upperBound) {
				upperBound = lagrangian.bound;
				boundNote = `relaxation lagrangienne (Cornuéjols, Fisher et Nemhauser 1977), ${formatInteger(lagrangian.iterations)} itérations de sous-gradient`;
			}
		}
		if (exactTried && !exactProved && gapPercent(search.value, upperBound) > LP_FROM_GAP_PCT) {
			progress.checkpoint(0.97, 1, 0.5);
			const lp = solveRelaxation(options.solver!, model, n, options.exactTimeLimitSeconds ?? 2);
			if (lp !== null && lp < upperBound) {
				upperBound = Math.max(search.value, lp);
				boundNote =
					'relaxation linéaire résolue par HiGHS (limite de temps atteinte pour l’optimum entier)';
			}
		}
		const diagnostics: SitingDiagnostics = {
			candidates: candidates.length,
			pairs: model.candidateDemand.length,
			truncatedDemandPoints: model.truncated,
			neighbourLimit: model.neighbourLimit,
			greedyValue: search.greedyValue,
			finalValue: search.value,
			swaps: search.swaps,
			restarts: search.restartsRun,
			gainEvaluations: search.greedy.evaluations,
			upperBound,
			proved: exactProved || search.value >= upperBound - model.epsilon,
			boundMethod: `${boundNote}${model.truncated > 0 ? ', sur le modèle aux listes de sites candidats par commune tronquées' : ''}`
		};
		const message =
			order.length < params.n
				? `${order.length === 1 ? 'Un seul' : `Seuls ${formatInteger(order.length)}`} des ${formatInteger(params.n)} sites demandés ${order.length === 1 ? 'apporte' : 'apportent'} un gain : au-delà, ${
						params.objective === 'couverture'
							? `aucun site candidat ne couvre de personne de plus à moins de ${km}.`
							: 'aucun site candidat ne rapproche plus personne d’un lieu.'
					}`
				: null;
		progress.checkpoint(0.97, 1, 1);
		return {
			status: 'done',
			choice: {
				sites: order.map((j) => candidates[j]),
				before,
				existingKm,
				nothingToPropose: false,
				message,
				notices,
				diagnostics
			}
		};
	} catch (error) {
		if (error instanceof SitingCancelled) return { status: 'cancelled', message: error.message };
		if (error instanceof SitingTooLarge) {
			return {
				status: 'invalid',
				message: describeSitingProblems([error.message]),
				problems: [error.message]
			};
		}
		throw error;
	}
}

/**
 * `chooseSites`, then the exact before/after figures and each site's gain in the order chosen
 * (`evaluateScenario`).
 * @example proposeSites({ demand, candidates, existing, params: { n: 11, objective: 'couverture', coverageKm: 10 } })
 */
export function proposeSites(
	input: SitingInput,
	control: SitingControl = {},
	options: SitingOptions = {}
): SitingOutcome {
	const outcome = chooseSites(input, control, options);
	if (outcome.status !== 'done') return outcome;
	const { choice } = outcome;
	const { params } = input;
	const evaluation: ScenarioEvaluation = choice.nothingToPropose
		? { coverageKm: params.coverageKm, before: choice.before, after: choice.before, sites: [] }
		: evaluateScenario(
				input.demand,
				input.existing,
				choice.sites,
				params.coverageKm,
				choice.existingKm
			);
	const result: SitingResult = {
		...evaluation,
		params,
		nothingToPropose: choice.nothingToPropose,
		message: choice.message,
		notices: choice.notices,
		diagnostics: choice.diagnostics
	};
	return { status: 'done', result };
}

function emptyChoice(
	before: SitingFigures,
	existingKm: Float64Array,
	notices: string[],
	candidates: number,
	message: string
): SiteChoice {
	return {
		sites: [],
		before,
		existingKm,
		nothingToPropose: true,
		message,
		notices,
		diagnostics: {
			candidates,
			pairs: 0,
			truncatedDemandPoints: 0,
			neighbourLimit: null,
			greedyValue: 0,
			finalValue: 0,
			swaps: 0,
			restarts: 0,
			gainEvaluations: 0,
			upperBound: 0,
			proved: true,
			boundMethod: 'aucun site ne peut rien apporter'
		}
	};
}
