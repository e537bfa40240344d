/**
 * The ranking tab's state for the lifetime of the page: the view (level, filter, weights, sort,
 * page: the tab's URL parameters), the page of rows the worker sent back, and the score map the
 * choropleth draws. It outlives the tab's component (the tab panel is re-created each time it
 * opens), so the worker and its prepared rankings are kept: the page creates one and disposes of it.
 */
import { createContext } from 'svelte';
import { buildColourScale, type ColourScale } from '$lib/charts/colour-scale';
import type { DashboardPage } from '$lib/ui/dashboard/dashboard-page.svelte';
import { knownCodesOf } from '$lib/ranking/query';
import type { TerritoryIndex } from '$lib/territory/artifacts';
import type { Level } from '$lib/territory/commune';
import type { AccessOutcome, AnalysisClient, ExportOutcome } from '$lib/workers/analysis/client';
import type { ImportedPlace } from '$lib/places-import/imported-place';
import { rankingScenarioOf, type RankingScenario } from '$lib/ranking/with-scenario';
import type { RankingFileRequest } from '$lib/workers/analysis/ranking-download';
import type { RankedPage } from '$lib/workers/analysis/ranking-handler';
import type { RankingView } from '$lib/ranking/view-params';
import { buildScoreValues, checkRankingCodes, defaultRankingView } from '$lib/ranking/view-params';

/** Classes of the score choropleth (as the indicators': 6 distinguishable colours). */
const SCORE_CLASSES = 6;
/** Least time between two recolourings of the map while a slider moves, ms (setting 35,000 feature states takes tens of ms). */
const MAP_UPDATE_INTERVAL_MS = 200;

export class RankingState {
	/** The tab's view, in the page URL (`rankingUrlCodec`). */
	view = $state<RankingView>(defaultRankingView());
	result = $state.raw<RankedPage | null>(null);
	/** Loading the data and running the analysis (first request), or ranking. */
	busy = $state(true);
	error = $state<string | null>(null);
	/** Colour the map by score while the tab is open. */
	colourMap = $state(true);
	/** Score values of the map and their classes (updated at most every MAP_UPDATE_INTERVAL_MS). */
	mapScores = $state.raw<{
		level: Level;
		values: Map<string, number | null>;
		scale: ColourScale;
	} | null>(null);
	/** A ranking has arrived that the map does not show yet (it waits for the next interval). */
	mapPending = $state(false);
	/** Worker time of the last ranking, ms. */
	rankMs = $state<number | null>(null);
	/** The deployment scenario of the simulation tab, or null when there is none. */
	scenario = $state.raw<RankingScenario | null>(null);
	/** Rank with the scenario's places (when there is one) rather than the real situation. */
	useScenario = $state(true);
	/** A download being written by the worker (its format), or null. */
	exporting = $state<RankingFileRequest['format'] | null>(null);

	/**
	 * Whether the table counts places the server does not know (imported places, simulated posts):
	 * its downloads are then written in the browser from the worker's table, not linked to the API.
	 */
	get exportsInBrowser(): boolean {
		return this.useScenario && this.scenario !== null;
	}

	readonly #client: AnalysisClient;
	#codes: Partial<Record<Level, string[]>> = {};
	#codesChecked = false;
	#pendingMap: RankedPage | null = null;
	#mapTimer: ReturnType<typeof setTimeout> | null = null;
	#lastMapUpdate = 0;
	readonly #dashboard: DashboardPage;

	/**
	 * @param initial the view of the page URL (`parseDashboardParams`)
	 * @param client the page's analysis client (owned and disposed by the page)
	 */
	constructor(dashboard: DashboardPage, initial: RankingView, client: AnalysisClient) {
		this.#dashboard = dashboard;
		this.#client = client;
		this.view = initial;
	}

	/** Check the filter codes against territoires.json once it is loaded. */
	checkCodes(territories: TerritoryIndex): void {
		if (this.#codesChecked) return;
		this.#codesChecked = true;
		const { view, notices } = checkRankingCodes(this.view, knownCodesOf(territories));
		if (view !== this.view) this.view = view;
		if (notices.length > 0) this.#dashboard.notices = [...this.#dashboard.notices, ...notices];
	}

	/** Ask the worker for the current view (started on first use). */
	async refresh(): Promise<void> {
		const view = $state.snapshot(this.view) as RankingView;
		const scenario = this.useScenario ? this.scenario : null;
		this.busy = true;
		const outcome = await this.#client.rank(view, this.#codes[view.level] === undefined, scenario);
		if (outcome.status === 'superseded') return;
		this.busy = false;
		if (outcome.status === 'failed') {
			this.error = outcome.message;
			return;
		}
		this.error = null;
		const result = outcome.result;
		if (result.codes) this.#codes[result.level] = result.codes;
		this.result = result;
		this.rankMs = result.ms;
		if (result.page !== this.view.page && result.level === this.view.level) {
			this.view.page = result.page;
		}
		this.#scheduleMap(result);
		performance.mark('atlas:ranking-ready');
	}

	/**
	 * Write the whole ranking of the current view with its scenario (see ranking-download.ts).
	 * Resolves with the file, or a French failure; null when no scenario is counted.
	 */
	async exportFile(request: RankingFileRequest): Promise<ExportOutcome | null> {
		const scenario = this.exportsInBrowser ? this.scenario : null;
		if (scenario === null) return null;
		this.exporting = request.format;
		try {
			return await this.#client.exportFile(
				$state.snapshot(this.view) as RankingView,
				scenario,
				request
			);
		} finally {
			this.exporting = null;
		}
	}

	/**
	 * The accessibility of one territory with the imported places and without (the territory
	 * details panel), from the same worker and analysis as the ranking; null without places.
	 */
	territoryAccess(
		territory: { level: Level; code: string },
		imported: readonly ImportedPlace[]
	): Promise<AccessOutcome | null> {
		const scenario = rankingScenarioOf(null, imported);
		if (scenario === null) return Promise.resolve(null);
		return this.#client.territoryAccess(territory, scenario);
	}

	/** Recolour the map now, or at the end of the current interval (trailing). */
	#scheduleMap(result: RankedPage): void {
		this.#pendingMap = result;
		this.mapPending = true;
		if (this.#mapTimer !== null) return;
		const wait = Math.max(0, this.#lastMapUpdate + MAP_UPDATE_INTERVAL_MS - performance.now());
		this.#mapTimer = setTimeout(() => {
			this.#mapTimer = null;
			this.#lastMapUpdate = performance.now();
			const pending = this.#pendingMap;
			this.#pendingMap = null;
			this.mapPending = false;
			const codes = pending ? this.#codes[pending.level] : undefined;
			if (!pending || !codes) return;
			const values = buildScoreValues(codes, pending.scores);
			const scale = buildColourScale(values.values(), {
				method: 'quantile',
				classes: SCORE_CLASSES,
				palette: 'ylorbr'
			});
			this.mapScores = scale ? { level: pending.level, values, scale } : null;
		}, wait);
	}

	dispose(): void {
		if (this.#mapTimer !== null) clearTimeout(this.#mapTimer);
	}
}

/**
 * The ranking state below the page: the page creates it (it outlives the tab's component, which is
 * re-created each time the tab opens), sets it with `setRankingState` and disposes of it.
 */
export const [getRankingState, setRankingState] = createContext<RankingState>();
