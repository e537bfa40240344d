/**
 * The state of the first screen for the lifetime of the page: what the URL holds (level, indicator,
 * classification, selection, view), the loaded data (kept in `$state.raw`: 35,000 records and
 * polygons must not become deep proxies) and what derives from them (values, colour scale, legend).
 * Created by `+page.svelte` and handed to its components through a Symbol-keyed context.
 */
import { createContext } from 'svelte';
import {
	buildColourScale,
	describeClasses,
	type ClassificationMethod,
	type ColourScale
} from '$lib/charts/colour-scale';
import {
	computeIndicatorValues,
	findIndicator,
	DEFAULT_INDICATOR_ID,
	NEED_INDICATOR_ID,
	INDICATORS,
	type IndicatorDefinition,
	type IndicatorId
} from '$lib/indicators/catalog';
import type { PostcodeTable, SourcesArtifact, TerritoryIndex } from '$lib/territory/artifacts';
import type { CommuneRecord, Level } from '$lib/territory/commune';
import type { TerritoryCollection, TerritoryNeighbours } from '$lib/territory/geometry';
import { collectAttributions, GEOMETRY_SOURCE_IDS } from '../../territory/attribution';
import {
	loadDashboardData,
	loadPostcodeTable,
	loadTerritoryGeometry,
	type ArtifactUrl
} from './data-loader';
import {
	levelForZoom,
	type DashboardState,
	type LevelMode,
	type MapView,
	type PanelTab,
	type TerritoryRef
} from '$lib/url/map-params';
import {
	buildTerritoryLookup,
	describeTerritory,
	findTerritoryName,
	type TerritoryLookup
} from '../../territory/describe';

/** Classes of the choropleth: 6 keeps each colour distinguishable (ColorBrewer advises ≤ 7). */
export const CHOROPLETH_CLASSES = 6;

export interface HoveredTerritory extends TerritoryRef {
	/** Pointer position in the map container, CSS pixels. */
	x: number;
	y: number;
}

/** Values and colours of a choropleth supplied by another tab (see `choroplethOverride`). */
export interface ChoroplethOverride {
	level: Level;
	/** Value by territory code (null: no value, drawn grey). */
	values: Map<string, number | null>;
	scale: ColourScale;
}

/**
 * Where the page gets the decoded commune table and the whole territory index: the page's analysis
 * worker (`AnalysisClient.communeTable`), which downloads, parses and decodes them off the main
 * thread; rejects with a French message naming the file.
 */
export type CommuneTableLoader = () => Promise<{
	communes: CommuneRecord[];
	territories: TerritoryIndex;
}>;

export class DashboardPage {
	// URL state
	tab = $state<PanelTab>('carte');
	levelMode = $state<LevelMode>('auto');
	indicatorId = $state<IndicatorId>(DEFAULT_INDICATOR_ID);
	classification = $state<ClassificationMethod>('quantile');
	selection = $state<TerritoryRef | null>(null);
	/** Last settled camera; null until the user moves the map (mainland France is fitted). */
	view = $state<MapView | null>(null);

	/** Visible box [west, south, east, north] in degrees, after the last move (null before load). */
	bounds = $state.raw<[number, number, number, number] | null>(null);
	/** Live zoom, which drives the level when it follows the zoom. */
	zoom = $state(5);
	notices = $state<string[]>([]);
	hovered = $state<HoveredTerritory | null>(null);

	// Data, never proxied
	/**
	 * The commune table, fetched when something on screen needs it (`ensureCommunes`): not part of
	 * the first screen, whose estimate comes from the pipeline's `estimations/` files (issue 14).
	 */
	communes = $state.raw<CommuneRecord[] | null>(null);
	/**
	 * Régions and départements from the first screen's index, then every level (EPCI included)
	 * once the commune table is there (`territoriesComplete`).
	 */
	territories = $state.raw<TerritoryIndex | null>(null);
	sources = $state.raw<SourcesArtifact | null>(null);
	lookup = $state.raw<TerritoryLookup | null>(null);
	geometry = $state.raw<Partial<Record<Level, TerritoryCollection>>>({});
	/** Who borders whom, by level, worked out on first use (see `neighboursOf`). */
	#neighbours: Partial<Record<Level, () => TerritoryNeighbours>> = {};
	loadError = $state<string | null>(null);
	/** The search's postcode table, fetched on demand (`ensurePostcodes`); null until then. */
	postcodes = $state.raw<PostcodeTable | null>(null);
	/** Why the postcode table could not be loaded (the search by name and code still works). */
	postcodesError = $state<string | null>(null);
	/** Levels whose geometry is being fetched. */
	loadingLevels = $state<Level[]>([]);
	/**
	 * A choropleth supplied by another tab (the ranking's scores), drawn instead of the indicator
	 * at its own level while set. Owned by the ranking tab (ranking-ui/).
	 */
	choroplethOverride = $state.raw<ChoroplethOverride | null>(null);
	/** The tab that owns `choroplethOverride` computes values the map will show. */
	choroplethPending = $state(false);
	/**
	 * Values of `provided` indicators (computed by a Web Worker), by `indicator|level`; set through
	 * `provideValues`. Owned by the estimate layer (estimate-layer.svelte.ts).
	 */
	providedValues = $state.raw<Record<string, Map<string, number | null>>>({});

	#artifactUrl: ArtifactUrl;
	#fetch: typeof fetch;
	#loadCommunes: CommuneTableLoader;
	// Plain (non-reactive) caches: reading them must not subscribe anything.
	/** Geometry requests by level: each level is fetched once for the life of the page. */
	#geometryRequests: Partial<Record<Level, Promise<void>>> = {};
	/** The postcode table request, made once (again after a failure). */
	#postcodesRequest: Promise<void> | null = null;
	/** The commune table request, made once (again after a failure). */
	#communesRequest: Promise<void> | null = null;
	/** Indicator values by `indicator|level`, so going back to a level reuses the same Map. */
	#valueCache: Record<string, Map<string, number | null>> = {};

	constructor(
		initial: DashboardState,
		notices: string[],
		fetcher: typeof fetch,
		artifactUrl: ArtifactUrl,
		loadCommunes: CommuneTableLoader
	) {
		this.tab = initial.tab;
		this.levelMode = initial.level;
		this.indicatorId = initial.indicator;
		this.classification = initial.classification;
		this.selection = initial.selection;
		this.view = initial.view;
		if (initial.view) this.zoom = initial.view.zoom;
		this.notices = notices;
		this.#fetch = fetcher;
		this.#artifactUrl = artifactUrl;
		this.#loadCommunes = loadCommunes;
	}

	/** The level asked for: chosen by the user, or following the zoom. */
	requestedLevel: Level = $derived(
		this.choroplethOverride
			? this.choroplethOverride.level
			: this.levelMode === 'auto'
				? levelForZoom(this.zoom)
				: this.levelMode
	);

	/**
	 * The level drawn now: the requested one once its geometry is there; until then the
	 * départements stay on screen rather than an empty map.
	 */
	level: Level = $derived(
		this.geometry[this.requestedLevel] || !this.geometry.departement
			? this.requestedLevel
			: 'departement'
	);

	indicator: IndicatorDefinition = $derived(findIndicator(this.indicatorId)!);

	/**
	 * The indicators offered: those with at least one of their datasets in sources.json (an option
	 * without data, such as ARCEP's 4G file when it was not added, would paint France grey).
	 * Every indicator until sources.json has loaded.
	 */
	availableIndicators: IndicatorDefinition[] = $derived.by(() => {
		const datasets = this.sources?.datasets;
		if (!datasets) return [...INDICATORS];
		const ids = datasets.map((d) => d.id);
		return INDICATORS.filter((i) => i.sources.some((id) => ids.includes(id)));
	});

	/**
	 * Whether the map part of the state needs the commune table: an indicator computed from it, the
	 * EPCI or commune level (their labels and the commune estimate), a selection (its details), or a
	 * tab other than the map. The page adds the needs of the other features and calls
	 * `ensureCommunes`.
	 */
	communesNeeded: boolean = $derived(
		!this.indicator.provided ||
			this.requestedLevel === 'epci' ||
			this.requestedLevel === 'commune' ||
			this.selection !== null ||
			this.tab !== 'carte'
	);

	/** `territories` holds the EPCI too (it came with the commune table). */
	territoriesComplete: boolean = $derived(this.communes !== null);

	/**
	 * Whether `lookup` can name a territory of `level` now: régions and départements from the first
	 * screen, EPCI and communes once the commune table's index is there.
	 */
	namesLevel(level: Level): boolean {
		return level === 'region' || level === 'departement' || this.territoriesComplete;
	}

	/** Values of the shown indicator at the shown level, by territory code. */
	values: Map<string, number | null> | null = $derived.by(() => {
		const override = this.choroplethOverride;
		if (override) return override.level === this.level ? override.values : null;
		return this.valuesAt(this.level);
	});

	/** Values of the shown indicator at any level (the details panel's neighbours and parents). */
	valuesAt(level: Level): Map<string, number | null> | null {
		const key = `${this.indicator.id}|${level}`;
		if (this.indicator.provided) return this.providedValues[key] ?? null;
		const communes = this.communes;
		if (!communes) return null;
		return (this.#valueCache[key] ??= computeIndicatorValues(this.indicator, communes, level));
	}

	scale: ColourScale | null = $derived(
		this.choroplethOverride && this.values
			? this.choroplethOverride.scale
			: this.values
				? buildColourScale(this.values.values(), {
						method: this.classification,
						classes: CHOROPLETH_CLASSES,
						palette: this.indicator.palette
					})
				: null
	);

	legendClasses = $derived(
		this.scale ? describeClasses(this.scale, this.indicator.unit, this.indicator.digits) : []
	);

	/** Territories of the shown level without a value. */
	missingCount = $derived.by(() => {
		let missing = 0;
		for (const v of this.values?.values() ?? []) if (v === null) missing++;
		return missing;
	});

	/** Credits of the indicator's datasets and of the boundaries, from sources.json. */
	attribution = $derived.by(() => {
		const datasets = this.sources?.datasets ?? [];
		return {
			data: collectAttributions(datasets, this.indicator.sources),
			geometry: collectAttributions(datasets, GEOMETRY_SOURCE_IDS)
		};
	});

	selectionDetails = $derived(
		this.selection && this.lookup && this.communes
			? describeTerritory(
					this.selection,
					this.lookup,
					this.communes,
					this.indicator,
					this.selection.level === this.level && this.values
						? this.values
						: ((this.indicator.provided
								? this.providedValues[`${this.indicator.id}|${this.selection.level}`]
								: undefined) ??
								computeIndicatorValues(this.indicator, this.communes, this.selection.level))
				)
			: null
	);

	/** The map's part of the page URL (`parseDashboardParams`). */
	get urlState(): DashboardState {
		return {
			tab: this.tab,
			level: this.levelMode,
			indicator: this.indicatorId,
			classification: this.classification,
			selection: this.selection,
			view: this.view
		};
	}

	/**
	 * Open a tab at the user's request. The simulation reads on a map of need (issue 15, « one
	 * story »): opening it switches a non-need indicator to the need estimate, and says so. A shared
	 * link keeps the indicator it names (this runs on the user's tab change only).
	 */
	openTab(tab: PanelTab): void {
		this.tab = tab;
		if (tab !== 'simulation' || this.indicatorId === NEED_INDICATOR_ID) return;
		if (!this.availableIndicators.some((i) => i.id === NEED_INDICATOR_ID)) return;
		const previous = this.indicator.shortLabel;
		this.indicatorId = NEED_INDICATOR_ID;
		this.notices = [
			...this.notices,
			`Fond de carte de la simulation : « ${this.indicator.shortLabel} » (le besoin) au lieu de « ${previous} ». L’onglet Carte permet d’en choisir un autre.`
		];
	}

	/** Fetch the territory index and the sources (the geometry is fetched by `ensureGeometry`). */
	async loadInitialData(): Promise<void> {
		try {
			const data = await loadDashboardData(this.#fetch, this.#artifactUrl);
			this.sources = data.sources;
			// Régions and départements by name now; EPCI and communes come with the commune table
			// (unless it came first).
			if (!this.communes) {
				this.territories = data.territories;
				this.lookup = buildTerritoryLookup([], data.territories);
			}
			// Read by the browser tests and `npm run bench`-style measurements in the page.
			performance.mark('atlas:data-ready');
			if (!this.availableIndicators.some((i) => i.id === this.indicatorId)) {
				this.notices = [
					...this.notices,
					`Indicateur « ${this.indicator.shortLabel} » sans données dans cette version de l’Atlas : affichage de « ${findIndicator(DEFAULT_INDICATOR_ID)!.shortLabel} ».`
				];
				this.indicatorId = DEFAULT_INDICATOR_ID;
			}
			// An EPCI or a commune is named by the commune table's index: checked once it is there.
			const selection = this.selection;
			if (selection && !this.namesLevel(selection.level)) await this.ensureCommunes();
			const lookup = this.lookup;
			if (
				this.selection &&
				lookup &&
				this.namesLevel(this.selection.level) &&
				findTerritoryName(lookup, this.selection) === null
			) {
				this.notices = [
					...this.notices,
					`Territoire « ${this.selection.level}-${this.selection.code} » introuvable dans les données : aucun territoire sélectionné.`
				];
				this.selection = null;
			}
		} catch (error) {
			this.loadError = error instanceof Error ? error.message : String(error);
		}
	}

	/**
	 * Get the commune table once (again after a failure, which `loadError` tells). Resolves when
	 * the table is there, or when it failed.
	 */
	ensureCommunes(): Promise<void> {
		this.#communesRequest ??= this.#loadCommunes()
			.then(({ communes, territories }) => {
				// The whole index (EPCI included) replaces the first screen's régions and départements.
				this.territories = territories;
				this.communes = communes;
				this.lookup = buildTerritoryLookup(communes, territories);
				performance.mark('atlas:communes-ready');
			})
			.catch((error: unknown) => {
				this.loadError = error instanceof Error ? error.message : String(error);
				this.#communesRequest = null;
			});
		return this.#communesRequest;
	}

	/**
	 * The territories bordering each territory of `level` (details panel); null until the level's
	 * geometry is loaded. Reading `geometry` makes a caller's `$derived` wait for it.
	 */
	neighboursOf(level: Level): TerritoryNeighbours | null {
		return this.geometry[level] ? (this.#neighbours[level]?.() ?? null) : null;
	}

	/** Fetch the geometry of a level once; later calls return the same request. */
	ensureGeometry(level: Level): Promise<void> {
		let request = this.#geometryRequests[level];
		if (!request) {
			this.loadingLevels = [...this.loadingLevels, level];
			request = loadTerritoryGeometry(this.#fetch, this.#artifactUrl, level)
				.then(({ collection, neighbours }) => {
					this.#neighbours[level] = neighbours;
					this.geometry = { ...this.geometry, [level]: collection };
					// Worked out when the page has nothing else to do, else on the first selection.
					globalThis.requestIdleCallback?.(() => neighbours());
					performance.mark(`atlas:geometry-${level}`);
				})
				.catch((error: unknown) => {
					this.loadError = error instanceof Error ? error.message : String(error);
				})
				.finally(() => {
					this.loadingLevels = this.loadingLevels.filter((l) => l !== level);
				});
			this.#geometryRequests[level] = request;
		}
		return request;
	}

	/**
	 * Fetch the search's postcode table once (kept out of the first screen: the search box asks for
	 * it when it gets the focus). A failure is kept in `postcodesError` and retried on the next call.
	 */
	ensurePostcodes(): Promise<void> {
		this.#postcodesRequest ??= loadPostcodeTable(this.#fetch, this.#artifactUrl)
			.then((table) => {
				this.postcodes = table;
				this.postcodesError = null;
			})
			.catch((error: unknown) => {
				this.postcodesError = error instanceof Error ? error.message : String(error);
				this.#postcodesRequest = null;
			});
		return this.#postcodesRequest;
	}

	/**
	 * Take the state of a new URL (a link to another view of this page), as the constructor does
	 * for the first one. The data already loaded are kept.
	 */
	applyUrlState(state: DashboardState, notices: string[]): void {
		this.tab = state.tab;
		this.levelMode = state.level;
		this.indicatorId = state.indicator;
		this.classification = state.classification;
		this.selection = state.selection;
		this.view = state.view;
		this.notices = notices;
	}

	/** Hand over the values of a `provided` indicator at one level (e.g. from the estimate worker). */
	provideValues(indicatorId: IndicatorId, level: Level, values: Map<string, number | null>): void {
		this.providedValues = { ...this.providedValues, [`${indicatorId}|${level}`]: values };
	}

	dismissNotice(index: number): void {
		this.notices = this.notices.filter((_, i) => i !== index);
	}
}

/** The page state, for the components below the dashboard page. */
export const [getDashboardPage, setDashboardPage] = createContext<DashboardPage>();
