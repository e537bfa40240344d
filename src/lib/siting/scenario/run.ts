/** Running a scenario: evaluating it as it stands, or proposing its new sites, and back to edits. */
import type { ExistingPlace, SitingControl } from '../model';
import { chooseSites } from '../propose-sites';
import { buildResult } from './build-result';
import type { SitingContext } from './dataset';
import {
	NO_EDITS,
	parseSiteToken,
	type ScenarioEdits,
	type ScenarioParams,
	type SiteRef
} from './parameters';
import { invalid, prepareScenario } from './prepare';
import type {
	SimulationOptions,
	SimulationOutcome,
	SimulationResult,
	SimulationSite
} from './result';
import { runCapacity } from './run-capacity';
import { candidatesOf, placePoint, resolveSite, type ResolvedSite } from './territory';

/**
 * What-if: the figures of a scenario as it stands (kept proposed sites, hand-added sites, removed
 * places), without optimising. Fast enough to follow every click (one E2SFCA over the territory and
 * its surroundings).
 * @example evaluateSimulation(context, params, { proposed: [], added: [{ kind: 'commune', code: '02361' }], removed: [] })
 */
export function evaluateSimulation(
	context: SitingContext,
	params: ScenarioParams,
	edits: ScenarioEdits,
	options: SimulationOptions = {}
): SimulationOutcome {
	const prepared = prepareScenario(context, params, edits, options);
	if ('problems' in prepared) return invalid(prepared.problems);
	const removed = new Set(prepared.removedPlaces.map((j) => context.dataset.places.id[j]));
	const candidates = candidatesOf(context, prepared.territory, params.candidates, removed).length;
	return {
		status: 'done',
		result: buildResult(context, params, prepared, options, {
			nothingToPropose: false,
			message: null,
			notices: [],
			diagnostics: null,
			candidates
		})
	};
}

/**
 * Propose up to N new sites for the territory (`chooseSites`), the hand-added sites and the kept
 * places being fixed, then evaluate the whole scenario. Proposed sites in `edits.proposed` are
 * replaced by the new proposal. Progress 0–0.95 is the engine's, the rest the evaluation's.
 * @returns a result, every problem of the request in French, or a cancellation
 * @example runSimulation(context, { territory: { level: 'departement', code: '02' }, n: 11, objective: 'couverture', coverageKm: 10, candidates: { rule: 'toutes', populationMin: null } })
 */
export function runSimulation(
	context: SitingContext,
	params: ScenarioParams,
	edits: ScenarioEdits = NO_EDITS,
	control: SitingControl = {},
	options: SimulationOptions = {}
): SimulationOutcome {
	const prepared = prepareScenario(context, params, { ...edits, proposed: [] }, options);
	if ('problems' in prepared) return invalid(prepared.problems);
	const removed = new Set(prepared.removedPlaces.map((j) => context.dataset.places.id[j]));
	const addedTokens = new Set(prepared.added.map((s) => s.token));
	const candidates = candidatesOf(context, prepared.territory, params.candidates, removed).filter(
		(c) => !addedTokens.has(c.id)
	);
	if (params.objective === 'capacite') {
		return runCapacity(context, params, prepared, candidates, control, options);
	}
	const fixed: ExistingPlace[] = [
		...prepared.kept.map((j) => placePoint(context, j)),
		...prepared.added.map((s) => ({ id: s.token, lon: s.lon, lat: s.lat }))
	];
	const outcome = chooseSites(
		{
			demand: prepared.demand,
			candidates,
			existing: fixed,
			params: { n: params.n, objective: params.objective, coverageKm: params.coverageKm }
		},
		{
			shouldCancel: control.shouldCancel,
			onProgress: (f) => control.onProgress?.(f * 0.95)
		},
		{ solver: options.solver, exactTimeLimitSeconds: options.exactTimeLimitSeconds }
	);
	if (outcome.status === 'cancelled') return outcome;
	if (outcome.status === 'invalid') return invalid(outcome.problems);
	if (control.shouldCancel?.()) return { status: 'cancelled', message: 'Simulation annulée.' };
	// The engine's choice only: its gains are computed once, by `buildResult`, with the hand-added
	// sites first.
	const engine = outcome.choice;
	const proposedRefs: SiteRef[] = engine.sites.map((candidate) =>
		params.candidates.rule === 'france_services_sans_conseiller'
			? { kind: 'lieu', id: candidate.id }
			: { kind: 'commune', code: candidate.code }
	);
	const proposed = proposedRefs.map((ref) => resolveSite(context, ref, 'proposition'));
	const result = buildResult(
		context,
		params,
		{ ...prepared, proposed: proposed.filter((s): s is ResolvedSite => typeof s !== 'string') },
		options,
		{
			nothingToPropose: engine.nothingToPropose,
			message: engine.message,
			notices: engine.notices,
			diagnostics: engine.diagnostics,
			candidates: candidates.length
		}
	);
	control.onProgress?.(1);
	return { status: 'done', result };
}

/** The scenario edits of a result: its proposed and hand-added sites, and its removed places. */
export function editsOfResult(result: SimulationResult): ScenarioEdits {
	const refOf = (s: SimulationSite): SiteRef => parseSiteToken(s.id) ?? { kind: 'lieu', id: s.id };
	return {
		proposed: result.sites.filter((s) => s.origine === 'proposition').map(refOf),
		added: result.sites.filter((s) => s.origine === 'ajout').map(refOf),
		removed: result.lieux_retires.map((p) => p.id),
		conseillers: (result.lieux_corriges ?? []).map((p) => ({
			id: p.id,
			conseillers: p.conseillers_apres
		}))
	};
}
