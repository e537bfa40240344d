/**
 * Page-lifetime state of the "Simuler un déploiement" panel: the form, the scenario (parameters of
 * the result shown and its hand edits, which go to the URL), the run in the Web Worker (progress,
 * cancellation) and the result. Created by the page, shared through a Symbol-keyed context by the
 * panel (`SitingPanel.svelte`) and the map layers (`SitingLayers.svelte`).
 */
import { createContext } from 'svelte';
import { ARTIFACTS, type MediatorType } from '$lib/territory/artifacts';
import { COVERAGE_KM_LIMITS, DEFAULT_COVERAGE_KM, SITES_LIMITS } from '$lib/siting/params';
import type { ScenarioObjective } from '$lib/siting/model';
import {
	DEFAULT_POPULATION_MIN,
	DEFAULT_SCENARIO_N,
	DEFAULT_SCENARIO_OBJECTIVE,
	NO_EDITS,
	editsOfResult,
	siteToken,
	type CandidateRuleId,
	type ScenarioEdits,
	type ScenarioLevel,
	type ScenarioParams,
	type SimulationResult,
	type SiteRef
} from '$lib/siting/scenario';
import type { ScenarioState } from '$lib/siting/scenario-url';
import type { RunOutcome, SitingRunner } from '$lib/workers/siting/client';
import type { ImportedPlaces } from '$lib/workers/siting/handler';
import type { RpcWorker } from '$lib/workers/rpc';
import type { PageAnalysisClient } from '../dashboard/analysis-worker';
import type { ImportedPlace } from '$lib/places-import/imported-place';
import { importedPlacesKey, type ImportedSupplySummary } from '$lib/places-import/imported-supply';
import { addSite, hasEdits, removePlace, removeSite, restorePlace } from './siting-view';

/** What a click on the map does in the simulation tab. */
export type EditMode = 'aucun' | 'ajouter' | 'retirer' | 'conseillers';

/** The existing mediation places, kept on the main thread to draw them and hit-test clicks. */
export interface PlacesOnMap {
	id: string[];
	nom: string[];
	type: MediatorType[];
	lon: Float64Array;
	lat: Float64Array;
}

export type RunStatus = 'idle' | 'running' | 'evaluating';

type ArtifactUrl = (file: string) => string;

/** What the simulation needs of the page's analysis worker (`ui/dashboard/analysis-worker.ts`). */
export type SitingAnalysis = Pick<PageAnalysisClient, 'sendSitingDataset' | 'countSitingModelRuns'>;

export class SitingScenario {
	// Form (what the user is typing; the URL holds the parameters of the result shown)
	level = $state<ScenarioLevel>('departement');
	/** Territory code; '' until one is chosen (ignored for France). */
	code = $state('');
	n = $state(DEFAULT_SCENARIO_N);
	objective = $state<ScenarioObjective>(DEFAULT_SCENARIO_OBJECTIVE);
	coverageKm = $state(DEFAULT_COVERAGE_KM);
	rule = $state<CandidateRuleId>('toutes');
	populationMin = $state(DEFAULT_POPULATION_MIN);

	/** Parameters of the scenario shown (null: no scenario yet, nothing in the URL). */
	applied = $state.raw<ScenarioParams | null>(null);
	edits = $state.raw<ScenarioEdits>(NO_EDITS);
	result = $state.raw<SimulationResult | null>(null);
	status = $state<RunStatus>('idle');
	/** Fraction 0–1 of the run in progress. */
	progress = $state(0);
	error = $state<string | null>(null);
	notices = $state<string[]>([]);
	mode = $state<EditMode>('aucun');
	/** Last hand edit, said to screen readers and shown under the mode switch. */
	lastAction = $state<string | null>(null);
	places = $state.raw<PlacesOnMap | null>(null);
	/** Incremented by each finished proposal, so the map frames its territory then (not after a hand edit). */
	proposals = $state(0);
	/**
	 * The user's imported places (issue 12), counted as existing places by every run (see
	 * `places-import/imported-supply.ts`); set by the page from the mediators layer.
	 */
	imported = $state.raw<readonly ImportedPlace[]>([]);
	/** How many imported places the result's figures count (null: none). */
	resultImported = $state.raw<ImportedSupplySummary | null>(null);

	#runner: SitingRunner | null = null;
	#runnerLoading: Promise<SitingRunner> | null = null;
	#request = 0;
	/** `formKey()` of the run in progress. */
	#runningKey = '';
	#dataUrl: string;
	#analysis: SitingAnalysis | null;

	/**
	 * @param initial the scenario of the page's URL (`parseDashboardParams`), or null
	 * @param artifactUrl URL of an artifact file under `static/data/`
	 * @param analysis the page's analysis worker, which sends the simulation its dataset (one
	 *   needs-model run per page) and counts its workers' model runs; null: the siting worker
	 *   reads the artifacts itself
	 */
	constructor(
		initial: ScenarioState | null,
		artifactUrl: ArtifactUrl,
		analysis: SitingAnalysis | null = null
	) {
		this.#analysis = analysis;
		const file = ARTIFACTS.communes;
		const url = artifactUrl(file);
		this.#dataUrl = url.endsWith(file) ? url.slice(0, -file.length) : '/data/';
		this.applyUrlState(initial);
	}

	/** Take the scenario of a URL: the first one, or a link to another view of the page. */
	applyUrlState(state: ScenarioState | null): void {
		this.reset();
		if (!state) return;
		this.#fillForm(state.params);
		this.applied = state.params;
		this.edits = state.edits;
	}

	/** The scenario to write in the URL. */
	get urlState(): ScenarioState | null {
		return this.applied ? { params: this.applied, edits: this.edits } : null;
	}

	/** The form's parameters, or a French problem when the territory is missing. */
	formParams(): ScenarioParams | string {
		if (this.level !== 'france' && this.code === '') return 'Choisissez un territoire.';
		return {
			territory:
				this.level === 'france'
					? { level: 'france', code: null }
					: { level: this.level, code: this.code },
			n: Number(this.n),
			objective: this.objective,
			coverageKm: Number(this.coverageKm),
			candidates:
				this.rule === 'population_min'
					? { rule: 'population_min', populationMin: Number(this.populationMin) }
					: { rule: this.rule, populationMin: null }
		};
	}

	/** French problems of the form found before asking the worker (the engine checks them again). */
	formProblems(): string[] {
		const problems: string[] = [];
		const params = this.formParams();
		if (typeof params === 'string') problems.push(params);
		const n = Number(this.n);
		if (!Number.isInteger(n) || n < SITES_LIMITS.min || n > SITES_LIMITS.max)
			problems.push(
				`Le nombre de postes doit être un entier de ${SITES_LIMITS.min} à ${SITES_LIMITS.max}.`
			);
		const km = Number(this.coverageKm);
		if (!Number.isFinite(km) || km <= COVERAGE_KM_LIMITS.above || km > COVERAGE_KM_LIMITS.max)
			problems.push(
				`La distance de couverture doit être comprise entre 0 (exclu) et ${COVERAGE_KM_LIMITS.max} km.`
			);
		if (this.rule === 'population_min') {
			const min = Number(this.populationMin);
			if (!Number.isInteger(min) || min < 1)
				problems.push('Le seuil de population doit être un nombre entier d’habitants (1 ou plus).');
		}
		return problems;
	}

	/**
	 * Propose N sites with the form's parameters. The hand-added sites and removed places are kept
	 * when the territory and the candidate rule have not changed; a run in progress is superseded.
	 */
	async run(): Promise<void> {
		const problems = this.formProblems();
		if (problems.length > 0) {
			this.error = problems.join(' ');
			return;
		}
		const params = this.formParams() as ScenarioParams;
		const previous = this.applied;
		const sameScope =
			previous !== null &&
			previous.territory.level === params.territory.level &&
			previous.territory.code === params.territory.code &&
			previous.candidates.rule === params.candidates.rule;
		const edits: ScenarioEdits = sameScope
			? { proposed: [], added: this.edits.added, removed: this.edits.removed }
			: NO_EDITS;
		const id = ++this.#request;
		this.#runningKey = this.formKey();
		this.status = 'running';
		this.progress = 0;
		this.error = null;
		const runner = await this.#ensureRunner();
		if (id !== this.#request) return;
		const outcome = await runner.propose(
			params,
			edits,
			(fraction) => {
				if (id === this.#request) this.progress = fraction;
			},
			this.#importedPlaces()
		);
		this.#settle(id, outcome, params);
		if (outcome.status === 'done' && id === this.#request) this.proposals++;
	}

	/** Re-evaluate the scenario as it stands (after a hand edit, or a shared link). */
	async evaluate(): Promise<void> {
		const params = this.applied ?? this.formParams();
		if (typeof params === 'string') {
			this.error = params;
			return;
		}
		const id = ++this.#request;
		this.status = 'evaluating';
		this.error = null;
		const runner = await this.#ensureRunner();
		if (id !== this.#request) return;
		const outcome = await runner.evaluate(params, this.edits, this.#importedPlaces());
		this.#settle(id, outcome, params);
	}

	/**
	 * New imported places (an import, its undo, a saved scenario): the result shown is evaluated
	 * again with them, so its figures count them (or, after « Annuler », are those of before).
	 */
	setImported(places: readonly ImportedPlace[]): void {
		if (places === this.imported) return;
		this.imported = places;
		if (this.result !== null && this.applied !== null) void this.evaluate();
	}

	#importedPlaces(): ImportedPlaces | null {
		const places = this.imported;
		return places.length > 0 ? { key: importedPlacesKey(places), places: [...places] } : null;
	}

	/** Stop the run in progress (the result shown stays). */
	cancel(): void {
		this.#request++;
		this.#runner?.cancel();
		this.status = 'idle';
		this.progress = 0;
	}

	/** The form's values as one string, to notice a new input. */
	formKey(): string {
		return JSON.stringify([
			this.level,
			this.code,
			this.n,
			this.objective,
			this.coverageKm,
			this.rule,
			this.populationMin
		]);
	}

	/** A new input during a run cancels it and starts it again with the new values. */
	followInput(): void {
		if (this.status !== 'running' || this.formKey() === this.#runningKey) return;
		if (this.formProblems().length > 0) return;
		void this.run();
	}

	/** What-if: a new post at a commune (or a point), then the figures update. */
	addPost(ref: SiteRef, label: string): void {
		const next = addSite(this.edits, ref);
		if (next === this.edits) {
			this.lastAction = `Un poste est déjà prévu à ${label}.`;
			return;
		}
		this.#edit(next, `Poste ajouté à ${label}.`);
	}

	/** What-if: take a new site (proposed or added) out. */
	removeSite(token: string, label: string): void {
		this.#edit(removeSite(this.edits, token), `Site retiré : ${label}.`);
	}

	/** What-if: close an existing place. */
	removePlace(id: string, label: string): void {
		this.#edit(removePlace(this.edits, id), `Lieu existant retiré : ${label}.`);
	}

	/** The existing place whose number of conseillers the user is correcting (picked on the map). */
	capacityTarget = $state<{ id: string; nom: string } | null>(null);

	/** What-if: pick the place whose number of conseillers to correct. */
	pickPlaceForCapacity(id: string, nom: string): void {
		this.capacityTarget = { id, nom };
		this.lastAction = `Lieu choisi : ${nom}. Indiquez son nombre de conseillers.`;
	}

	/** What-if: set an existing place's number of conseillers (its supply in the accessibility). */
	setConseillers(id: string, label: string, conseillers: number): void {
		const others = (this.edits.conseillers ?? []).filter((e) => e.id !== id);
		this.#edit(
			{ ...this.edits, conseillers: [...others, { id, conseillers }] },
			`${label} : ${String(conseillers).replace('.', ',')} conseiller${conseillers > 1 ? 's' : ''}.`
		);
	}

	/** Undo a place's correction. */
	resetConseillers(id: string, label: string): void {
		this.#edit(
			{ ...this.edits, conseillers: (this.edits.conseillers ?? []).filter((e) => e.id !== id) },
			`Nombre de conseillers rétabli : ${label}.`
		);
	}

	/** Open a closed place again. */
	restorePlace(id: string, label: string): void {
		this.#edit(restorePlace(this.edits, id), `Lieu rétabli : ${label}.`);
	}

	/** Forget the scenario (form kept). */
	reset(): void {
		this.cancel();
		this.applied = null;
		this.edits = NO_EDITS;
		this.result = null;
		this.resultImported = null;
		this.error = null;
		this.lastAction = null;
	}

	/** Whether a new site with this token is in the scenario. */
	hasSite(token: string): boolean {
		return [...this.edits.proposed, ...this.edits.added].some((s) => siteToken(s) === token);
	}

	dismissNotice(index: number): void {
		this.notices = this.notices.filter((_, i) => i !== index);
	}

	/** Stop the worker (page destroyed). */
	dispose(): void {
		this.#request++;
		this.#runner?.dispose();
		this.#runner = null;
		this.#runnerLoading = null;
	}

	#edit(edits: ScenarioEdits, action: string): void {
		this.lastAction = action;
		this.edits = edits;
		if (this.applied === null) {
			const params = this.formParams();
			if (typeof params === 'string') {
				this.error = `${params} (le territoire sert au calcul des chiffres avant / après).`;
				return;
			}
			this.applied = params;
		}
		if (!hasEdits(edits) && this.result === null) return;
		void this.evaluate();
	}

	#settle(id: number, outcome: RunOutcome, params: ScenarioParams): void {
		if (id !== this.#request) return;
		this.status = 'idle';
		this.progress = 0;
		switch (outcome.status) {
			case 'done':
				this.result = outcome.result;
				this.resultImported = outcome.imported ?? null;
				this.applied = params;
				this.edits = editsOfResult(outcome.result);
				this.notices = [
					...this.notices,
					...outcome.result.notices.filter((n) => !this.notices.includes(n))
				];
				return;
			case 'invalid':
				this.error = [outcome.erreur, ...outcome.details.filter((d) => d !== outcome.erreur)].join(
					' '
				);
				return;
			case 'failed':
				this.error = outcome.message;
				return;
			case 'cancelled':
				return;
		}
	}

	#fillForm(params: ScenarioParams): void {
		this.level = params.territory.level;
		this.code = params.territory.code ?? '';
		this.n = params.n;
		this.objective = params.objective;
		this.coverageKm = params.coverageKm;
		this.rule = params.candidates.rule;
		if (params.candidates.populationMin !== null)
			this.populationMin = params.candidates.populationMin;
	}

	/** The runner, created on first use in the browser (the worker module is loaded then). */
	#ensureRunner(): Promise<SitingRunner> {
		if (this.#runner) return Promise.resolve(this.#runner);
		this.#runnerLoading ??= (async () => {
			const [{ createSitingRunner }, { default: SitingWorker }] = await Promise.all([
				import('$lib/workers/siting/client'),
				import('$lib/workers/siting/siting.worker?worker')
			]);
			const analysis = this.#analysis;
			const runner = createSitingRunner({
				dataUrl: this.#dataUrl,
				createWorker: () => new SitingWorker() as unknown as RpcWorker,
				connectAnalysis: analysis ? (port) => analysis.sendSitingDataset(port) : undefined,
				// The first worker's places, to draw and hit-test them.
				onPlaces: (places) => {
					if (!this.places) this.places = places;
				},
				onModelRuns: (runs) => analysis?.countSitingModelRuns(runs)
			});
			this.#runner = runner;
			return runner;
		})();
		return this.#runnerLoading;
	}
}

/** The simulation state, for the panel and the map layers below the page. */
export const [getSitingScenario, setSitingScenario] = createContext<SitingScenario>();
