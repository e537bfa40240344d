/**
 * Page-lifetime state of the map layer « Personnes éloignées du numérique (estimation) »: its two
 * views (the share as the choropleth indicator `eloignes-part`, the number as proportional circles),
 * the circles' opacity, and the estimate of each level, computed by the page's analysis worker on
 * demand and kept.
 * Created by `+page.svelte` next to the `DashboardPage`, handed down through a Symbol-keyed context.
 */
import { createContext, untrack } from 'svelte';
import {
	buildCircleScale,
	MAX_CIRCLE_RADIUS_PX,
	pickReferenceCircles,
	type CircleScale,
	type ReferenceCircle
} from '$lib/charts/circle-scale';
import { REMOTE_ESTIMATE_SOURCES, REMOTE_SHARE_INDICATOR_ID } from '$lib/needs/catalog';
import type { AnalysisClient } from '$lib/workers/analysis/client';
import type { RemoteLayerLevel, RemoteLayerPoint } from '$lib/needs/layer';
import type { Level } from '$lib/territory/commune';
import { collectAttributions } from '../../territory/attribution';
import type { DashboardPage } from './dashboard-page.svelte';
import type { TerritoryRef } from '$lib/url/map-params';
import type { RemoteLayerParams } from '$lib/url/estimate-layer-params';

export class RemoteLayerState {
	/** Number view: proportional circles on. */
	symbols = $state(false);
	/** Circles' fill opacity, 0.1–1. */
	opacity = $state(0.6);
	/** The estimate of each level computed so far (never proxied: 35,000 communes). */
	layers = $state.raw<Partial<Record<Level, RemoteLayerLevel>>>({});
	/** Levels being computed by the worker. */
	pending = $state<Level[]>([]);
	error = $state<string | null>(null);

	#dashboard: DashboardPage;
	#client: Pick<AnalysisClient, 'layerAt'>;
	// Plain caches on purpose (reading them subscribes nothing).
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	#requested = new Set<Level>();
	#byCode: Partial<Record<Level, Map<string, RemoteLayerPoint>>> = {};

	/**
	 * @param initial the layer's URL state (`parseDashboardParams`)
	 * @param client the page's analysis client (owned and disposed by the page)
	 */
	constructor(
		dashboard: DashboardPage,
		initial: RemoteLayerParams,
		client: Pick<AnalysisClient, 'layerAt'>
	) {
		this.#dashboard = dashboard;
		this.#client = client;
		this.applyUrlState(initial);
	}

	/** The share view is the shown choropleth. */
	shareShown = $derived.by(() => this.#dashboard.indicatorId === REMOTE_SHARE_INDICATOR_ID);

	/** Either view is on: the estimate is needed, and the tooltip and details describe it. */
	active = $derived.by(() => this.symbols || this.shareShown);

	/** The estimate for France, sent with every level (null until the first level arrives). */
	france = $derived.by(() => Object.values(this.layers).find(Boolean)?.france ?? null);

	/** The worker is computing the level on screen. */
	computing = $derived.by(() => this.active && this.pending.includes(this.#dashboard.level));

	/** The circle scale at the shown level (same function as the circle layer's). */
	circleScale: CircleScale | null = $derived.by(() => {
		const level = this.#dashboard.level;
		const layer = this.layers[level];
		return layer
			? buildCircleScale(
					layer.points.flatMap((p) => (p.eloignes === null ? [] : [p.eloignes])),
					MAX_CIRCLE_RADIUS_PX[level]
				)
			: null;
	});

	/** The legend's circles, drawn as on the map at the current zoom. */
	referenceCircles: ReferenceCircle[] = $derived.by(() =>
		this.circleScale ? pickReferenceCircles(this.circleScale, this.#dashboard.zoom) : []
	);

	/** Credits of the datasets the model uses, from sources.json. */
	attribution = $derived.by(() =>
		collectAttributions(this.#dashboard.sources?.datasets ?? [], REMOTE_ESTIMATE_SOURCES)
	);

	/** The layer's part of the page URL. */
	get urlState(): RemoteLayerParams {
		return { symbols: this.symbols, opacity: this.opacity };
	}

	/**
	 * Ask the worker for the levels the page needs now (the shown level, and the selected
	 * territory's). Call it from an `$effect` of the page.
	 */
	sync(): void {
		if (!this.active) {
			// The first screen's national headline needs one level (any: each carries France).
			untrack(() => {
				if (this.#requested.size === 0) this.#ensure('region');
			});
			return;
		}
		const level = this.#dashboard.level;
		const selection = this.#dashboard.selection;
		// The requests' own bookkeeping must not re-run the caller's effect.
		untrack(() => {
			this.#ensure(level);
			if (selection) {
				this.#ensure(selection.level);
				// The details compare the selection with its EPCI and département.
				if (selection.level === 'commune') this.#ensure('epci');
				if (selection.level !== 'region') this.#ensure('departement');
			}
		});
	}

	/**
	 * Fetch (or compute) the estimate of `level` even when it is not drawn: the names of the régions
	 * and départements are placed at their estimate's centres until the commune table is there.
	 */
	ensureLevel(level: Level): void {
		untrack(() => this.#ensure(level));
	}

	/** The estimate of one territory, once its level is computed. */
	pointOf(ref: TerritoryRef): RemoteLayerPoint | null {
		if (!this.layers[ref.level]) return null;
		return this.#byCode[ref.level]?.get(ref.code) ?? null;
	}

	/** Take the layer's state from a URL (`parseDashboardParams`). */
	applyUrlState(params: RemoteLayerParams): void {
		this.symbols = params.symbols;
		this.opacity = params.opacity;
	}

	#ensure(level: Level): void {
		if (this.#requested.has(level)) return;
		this.#requested.add(level);
		this.pending = [...this.pending, level];
		this.#client
			.layerAt(level)
			.then((layer) => {
				// eslint-disable-next-line svelte/prefer-svelte-reactivity -- replaced, never mutated
				this.#byCode[level] = new Map(layer.points.map((p) => [p.code, p]));
				this.layers = { ...this.layers, [level]: layer };
				this.#dashboard.provideValues(
					REMOTE_SHARE_INDICATOR_ID,
					level,
					// eslint-disable-next-line svelte/prefer-svelte-reactivity -- replaced, never mutated
					new Map(layer.points.map((p) => [p.code, p.part]))
				);
				performance.mark(`atlas:estimate-${level}`);
			})
			.catch((error: unknown) => {
				// Asked again on the next change rather than never.
				this.#requested.delete(level);
				this.error = error instanceof Error ? error.message : String(error);
			})
			.finally(() => {
				this.pending = this.pending.filter((l) => l !== level);
			});
	}
}

/** The estimate layer’s state, for the components below the dashboard page. */
export const [getRemoteLayer, setRemoteLayer] = createContext<RemoteLayerState>();
