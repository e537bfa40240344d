/**
 * State of the mediators layer for the lifetime of the page: the filter (in the URL), the points
 * (`mediateurs-points.json`, fetched once, the first time the layer is switched on, kept in
 * `$state.raw`), the points the filter lets through, the places the user clicked, and the places'
 * details (`mediateurs.geojson`, ten times larger, fetched only when a name, an address or the
 * places import needs them: issue 14, the first screen does first-screen work only). Created by
 * `+page.svelte`, handed to the layer, its controls and its details through a Symbol-keyed context.
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
import { decodeMediatorPoints, type MediatorPointFeature } from '$lib/mediation/mediator-points';
import { formatInteger } from '$lib/format/number';
import { fetchArtifact, type ArtifactUrl } from './data-loader';
import {
	IMPORTED_SOURCE_ID,
	toMediatorFeature,
	type ImportedPlace
} from '$lib/places-import/imported-place';

export type MediatorFeature = Feature<Point, MediatorProperties>;

/**
 * A point the map draws: a place of the national lists (its details are feature `index` of
 * `mediateurs.geojson`) or an imported place (which carries all its properties).
 */
export type DrawnMediatorFeature = MediatorPointFeature | MediatorFeature;

/** Source id of imported places in the layer's points. */
export const IMPORTED_POINTS_SOURCE = IMPORTED_SOURCE_ID;

/** One place under a click: its index in `mediateurs.geojson`, or an imported place's properties. */
export type MediatorPlaceRef = number | MediatorProperties;

/** What the details card shows: the places under the click (or a cluster's first leaves). */
export interface MediatorSelection {
	places: MediatorPlaceRef[];
	/** How many places are there in all (a cluster may hold more than the card lists). */
	total: number;
}

export class MediatorLayer {
	filter = $state<MediatorFilter>({ types: [], sources: [...MEDIATOR_SOURCE_IDS] });
	/** Every point of `mediateurs-points.json`, once fetched: what the map draws, filters and counts. */
	points = $state.raw<readonly MediatorPointFeature[] | null>(null);
	/** Whether the points are being fetched. */
	loading = $state(false);
	loadError = $state<string | null>(null);
	/** Every place of `mediateurs.geojson` with its details, once fetched (`ensureLoaded`). */
	features = $state.raw<readonly MediatorFeature[] | null>(null);
	/** Whether the details are being fetched. */
	detailsLoading = $state(false);
	detailsError = $state<string | null>(null);
	selection = $state.raw<MediatorSelection | null>(null);

	#fetch: typeof fetch;
	#artifactUrl: ArtifactUrl;
	/** The one request for each file (plain fields: reading them subscribes nothing). */
	#pointsRequest: Promise<void> | null = null;
	#detailsRequest: Promise<void> | null = null;

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
	shown: readonly DrawnMediatorFeature[] | null = $derived.by(() => {
		if (!this.points) return null;
		const base: readonly DrawnMediatorFeature[] = filterMediators(this.points, this.filter);
		if (!this.showImported || this.importedFeatures.length === 0) return base;
		const types = this.filter.types;
		return [...base, ...this.importedFeatures.filter((f) => types.includes(f.properties.type))];
	});

	/** Points per type and per source, before filtering (imported places not included). */
	counts = $derived(this.points ? countMediators(this.points) : null);

	/**
	 * The places of the selection with their details; null while `mediateurs.geojson` is on its way
	 * (or failed: `detailsError`).
	 */
	selectedPlaces: MediatorProperties[] | null = $derived.by(() => {
		if (!this.selection) return null;
		const places = this.selection.places.map((place) => this.placeOf(place));
		return places.every((p) => p !== null) ? places : null;
	});

	/** A place's details: at once for an imported place, null until `mediateurs.geojson` is here. */
	placeOf(place: MediatorPlaceRef): MediatorProperties | null {
		if (typeof place !== 'number') return place;
		return this.features?.[place]?.properties ?? null;
	}

	/** Show the details of the places under a click; fetches them the first time. */
	select(places: MediatorPlaceRef[], total: number): void {
		this.selection = { places, total };
		if (places.some((place) => typeof place === 'number')) void this.ensureLoaded();
	}

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

	/** Fetch the points the map draws, once; later calls return the same request. */
	ensurePoints(): Promise<void> {
		this.#pointsRequest ??= this.#loadPoints();
		return this.#pointsRequest;
	}

	async #loadPoints(): Promise<void> {
		this.loading = true;
		try {
			const points = decodeMediatorPoints(
				await fetchArtifact(this.#fetch, this.#artifactUrl(ARTIFACTS.mediatorPoints))
			);
			this.#checkSameBuild(points, this.features);
			this.points = points;
			performance.mark('atlas:mediators-ready');
		} catch (error) {
			this.loadError = error instanceof Error ? error.message : String(error);
		} finally {
			this.loading = false;
		}
	}

	/**
	 * Fetch every place with its details (`mediateurs.geojson`), once; later calls return the same
	 * request. The details card and the places import's duplicate check need them, the map does not.
	 */
	ensureLoaded(): Promise<void> {
		this.#detailsRequest ??= this.#loadDetails();
		return this.#detailsRequest;
	}

	async #loadDetails(): Promise<void> {
		this.detailsLoading = true;
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
			this.#checkSameBuild(this.points, collection.features);
			this.features = collection.features;
		} catch (error) {
			this.detailsError = error instanceof Error ? error.message : String(error);
		} finally {
			this.detailsLoading = false;
		}
	}

	/**
	 * Point `i` stands for feature `i`: two files of different builds (one of them cached from an
	 * earlier version) would give a place the details of another.
	 */
	#checkSameBuild(
		points: readonly MediatorPointFeature[] | null,
		features: readonly MediatorFeature[] | null
	): void {
		if (!points || !features || points.length === features.length) return;
		throw new Error(
			`Les fichiers ${ARTIFACTS.mediatorPoints} (${formatInteger(points.length)} lieux) et ${ARTIFACTS.mediators} (${formatInteger(features.length)} lieux) ne viennent pas de la même construction : recharger la page.`
		);
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
