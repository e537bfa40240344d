/**
 * The deployment scenario a report may carry in its URL (the simulation panel's parameters,
 * `src/lib/siting/scenario-url.ts`: `?simulation=departement-59&postes=10&proposes=59350,…`): its
 * sites and its before/after figures, computed with the siting engine on the shared analysis.
 * A link with its sites listed is only evaluated (fast); a link with the parameters alone runs the
 * engine within a time budget, past which the report says so and points to the map.
 */
import type { TerritoryAnalysis } from '../analysis/territory-analysis';
import {
	evaluateSimulation,
	runSimulation,
	sitingContextOf,
	type SimulationFigures,
	type SimulationResult
} from '../siting/scenario';
import {
	parseScenarioParams,
	serializeScenarioParams,
	type ScenarioState
} from '../siting/scenario-url';

/** Longest a report waits for the engine to propose sites, ms (the page must stay quick). */
export const SCENARIO_TIME_BUDGET_MS = 4_000;

/** What the report shows of a scenario (the panel's result without its per-commune detail). */
export interface ReportScenarioResult {
	/** The scenario's territory and parameters, in French. */
	territoire: SimulationResult['territoire'];
	parametres: SimulationResult['parametres'];
	sites: SimulationResult['sites'];
	lieuxRetires: SimulationResult['lieux_retires'];
	avant: SimulationFigures;
	apres: SimulationFigures;
	message: string | null;
	methode: SimulationResult['methode'];
	candidats: SimulationResult['candidats'];
	/** `evaluated`: the sites came with the link; `proposed`: the engine chose them for this report. */
	origin: 'evaluated' | 'proposed';
}

export type ReportScenario =
	| { status: 'absent' }
	/** Scenario parameters that could not be used; `notices` say why, in French. */
	| { status: 'unusable'; notices: string[] }
	| {
			status: 'done';
			result: ReportScenarioResult;
			notices: string[];
			/** The scenario's URL parameters, to reopen it on the map. */
			search: string;
	  };

function toReportResult(
	result: SimulationResult,
	origin: ReportScenarioResult['origin']
): ReportScenarioResult {
	return {
		territoire: result.territoire,
		parametres: result.parametres,
		sites: result.sites,
		lieuxRetires: result.lieux_retires,
		avant: result.avant,
		apres: result.apres,
		message: result.message,
		methode: result.methode,
		candidats: result.candidats,
		origin
	};
}

/** The URL search of a scenario state (commas kept readable). */
function searchOf(state: ScenarioState): string {
	return serializeScenarioParams(state).toString().replaceAll('%2C', ',');
}

/**
 * Read the scenario of a report URL and compute it.
 * @param now clock in ms (injected so tests can exhaust the time budget)
 */
export function readReportScenario(
	url: URL,
	analysis: TerritoryAnalysis,
	now: () => number = () => performance.now()
): ReportScenario {
	const { scenario, notices } = parseScenarioParams(url);
	if (scenario === null)
		return notices.length > 0 ? { status: 'unusable', notices } : { status: 'absent' };
	const context = sitingContextOf(analysis);
	const { params, edits } = scenario;
	const hasSites = edits.proposed.length > 0 || edits.added.length > 0;
	if (hasSites) {
		const outcome = evaluateSimulation(context, params, edits, { unknownEdits: 'ignore' });
		if (outcome.status !== 'done') {
			return {
				status: 'unusable',
				notices: [...notices, outcome.status === 'invalid' ? outcome.erreur : outcome.message]
			};
		}
		return {
			status: 'done',
			result: toReportResult(outcome.result, 'evaluated'),
			notices: [...notices, ...outcome.result.notices],
			search: searchOf(scenario)
		};
	}
	const deadline = now() + SCENARIO_TIME_BUDGET_MS;
	const outcome = runSimulation(
		context,
		params,
		edits,
		{ shouldCancel: () => now() > deadline },
		{
			unknownEdits: 'ignore'
		}
	);
	if (outcome.status === 'cancelled') {
		return {
			status: 'unusable',
			notices: [
				...notices,
				`Le calcul des sites de ce scénario dépasse le temps accordé à une fiche (${SCENARIO_TIME_BUDGET_MS / 1000} s) : lancez la simulation depuis la carte, puis rouvrez la fiche avec le lien qu’elle donne (il liste les sites).`
			]
		};
	}
	if (outcome.status === 'invalid')
		return { status: 'unusable', notices: [...notices, outcome.erreur] };
	return {
		status: 'done',
		result: toReportResult(outcome.result, 'proposed'),
		notices: [...notices, ...outcome.result.notices],
		search: searchOf(scenario)
	};
}
