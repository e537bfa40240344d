/**
 * State of the mediators layer for the lifetime of the page: the filter (in the URL), the points
 * (fetched once, the first time the layer is switched on, kept in `$state.raw`), the points the
 * filter lets through, and the places the user clicked. Created by `+page.svelte`, handed to the
 * layer, its controls and its details through a Symbol-keyed context.
 */
import { createContext } from 'svelte';
import type { Feature, FeatureCollection, Point } from 'geojson';
import {
	ARTIFACTS,
	type DatasetSource,
	type MediatorProperties,
	type MediatorType
} from '$lib/territory/artifacts';
import { MEDIATOR_TYPES } from '$lib/mediation/mediator-types';
import {
	collectMediatorAttributions,
	countMediators,
	filterMediators,
	isMediatorFilterActive,
	MEDIATOR_SOURCE_IDS,
	type MediatorFilter,
	type MediatorSourceId
} from '$lib/mediation/mediator-filters';
import { fetchArtifact, type ArtifactUrl } from './data-loader';
import {
	IMPORTED_SOURCE_ID,
	toMediatorFeature,
	type ImportedPlace
} from '$lib/places-import/imported-place';

export type MediatorFeature = Feature<Point, MediatorProperties>;

/** Source id of imported places in the layer's points. */
export const IMPORTED_POINTS_SOURCE = IMPORTED_SOURCE_ID;

/** What the details card shows: the places under the click (or a cluster's first leaves). */
export interface MediatorSelection {
	places: MediatorProperties[];
	/** How many places are there in all (a cluster may hold more than the card lists). */
	total: number;
}

export class MediatorLayer {
	filter = $state<MediatorFilter>({ types: [], sources: [...MEDIATOR_SOURCE_IDS] });
	/** Every point of `mediateurs.geojson`, once fetched. */
	features = $state.raw<readonly MediatorFeature[] | null>(null);
	loading = $state(false);
	loadError = $state<string | null>(null);
	selection = $state.raw<MediatorSelection | null>(null);

	#fetch: typeof fetch;
	#artifactUrl: ArtifactUrl;
	/** The one request for the file (plain field: reading it subscribes nothing). */
	#request: Promise<void> | null = null;

	constructor(filter: MediatorFilter, fetcher: typeof fetch, artifactUrl: ArtifactUrl) {
		this.filter = filter;
		this.#fetch = fetcher;
		this.#artifactUrl = artifactUrl;
	}

	/** Whether any point is to be drawn. */
	active: boolean = $derived(isMediatorFilterActive(this.filter));

	/** Places the user imported from a file (issue 12); they never leave the browser unless saved. */
	imported = $state.raw<readonly ImportedPlace[]>([]);
	/** The imported places before the last import or removal, for « Annuler ». */
	previousImported = $state.raw<readonly ImportedPlace[] | null>(null);
	/**
	 * Where the imported places come from, in French: « fichier « lieux.csv » », or « scénario
	 * « nom » » when a saved scenario brought them; the downloads that count them say it. Null
	 * without places.
	 */
	importedOrigin = $state<string | null>(null);
	#previousOrigin: string | null = null;
	/** Whether the imported places are drawn (their own filter box). */
	showImported = $state(true);

	/** Imported places as points of the layer (source `donnees-importees`). */
	importedFeatures: readonly MediatorFeature[] = $derived(this.imported.map(toMediatorFeature));

	/** The points the filter lets through (the same array when nothing is filtered out or imported). */
	shown: readonly MediatorFeature[] | null = $derived.by(() => {
		if (!this.features) return null;
		const base = filterMediators(this.features, this.filter);
		if (!this.showImported || this.importedFeatures.length === 0) return base;
		const types = this.filter.types;
		return [...base, ...this.importedFeatures.filter((f) => types.includes(f.properties.type))];
	});

	/** Points per type and per source, before filtering (imported places not included). */
	counts = $derived(this.features ? countMediators(this.features) : null);

	/** Attribution lines (producer, year) of the lists drawn, and « données importées » for imports. */
	attributions(datasets: readonly DatasetSource[] | undefined): string[] {
		const lines = collectMediatorAttributions(this.filter, datasets ?? []);
		return this.showImported && this.imported.length > 0 && this.active
			? [...lines, 'données importées']
			: lines;
	}

	/** Replace the imported places (an import, or opening a saved scenario); the previous ones can be restored. */
	setImported(places: readonly ImportedPlace[], origin: string | null = null): void {
		this.previousImported = this.imported;
		this.#previousOrigin = this.importedOrigin;
		this.imported = places;
		this.importedOrigin = places.length > 0 ? origin : null;
		this.showImported = true;
		// Imported places are drawn with the layer: switch it on if it was off.
		if (places.length > 0 && this.filter.types.length === 0) this.setAllTypes(true);
	}

	/** Undo the last import or removal in one click. */
	undoImport(): void {
		if (this.previousImported === null) return;
		this.imported = this.previousImported;
		this.importedOrigin = this.#previousOrigin;
		this.previousImported = null;
	}

	/** Fetch the points once; later calls return the same request. */
	ensureLoaded(): Promise<void> {
		this.#request ??= this.#load();
		return this.#request;
	}

	async #load(): Promise<void> {
		this.loading = true;
		const url = this.#artifactUrl(ARTIFACTS.mediators);
		try {
			const collection = (await fetchArtifact(this.#fetch, url)) as Partial<
				FeatureCollection<Point, MediatorProperties>
			> | null;
			if (!collection || !Array.isArray(collection.features)) {
				throw new Error(
					`Le fichier ${ARTIFACTS.mediators} n’a pas le format attendu (FeatureCollection de points).`
				);
			}
			this.features = collection.features;
			performance.mark('atlas:mediators-ready');
		} catch (error) {
			this.loadError = error instanceof Error ? error.message : String(error);
		} finally {
			this.loading = false;
		}
	}

	setType(type: MediatorType, shown: boolean): void {
		const types = MEDIATOR_TYPES.filter((t) =>
			t === type ? shown : this.filter.types.includes(t)
		);
		this.filter = { ...this.filter, types };
	}

	/** Every type on, or the layer off. */
	setAllTypes(shown: boolean): void {
		this.filter = { ...this.filter, types: shown ? [...MEDIATOR_TYPES] : [] };
		if (!shown) this.selection = null;
	}

	setSource(source: MediatorSourceId, shown: boolean): void {
		const sources = MEDIATOR_SOURCE_IDS.filter((s) =>
			s === source ? shown : this.filter.sources.includes(s)
		);
		this.filter = { ...this.filter, sources };
	}
}

/**
 * `getMediatorLayer()`: the mediators layer state of the dashboard page, made available to the
 * components below it by `setMediatorLayer(layer)` (which returns it).
 */
export const [getMediatorLayer, setMediatorLayer] = createContext<MediatorLayer>();
