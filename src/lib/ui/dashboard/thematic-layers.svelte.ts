/**
 * State of the thematic overlays of the map (issue 4) for the lifetime of the page: which layers are
 * on, their opacity, the fibre white-zone threshold, and the values each layer joins to the
 * territories of a level (computed once per level and parameter, kept in plain caches). The QPV list
 * and the optional QPV perimeters are fetched the first time the QPV layer is shown.
 */
import { createContext } from 'svelte';
import { feature } from 'topojson-client';
import type { FeatureCollection, Geometry } from 'geojson';
import type { Topology } from 'topojson-specification';
import {
	categoricalColours,
	describeCategories,
	type CategoricalPaletteId,
	type CategoryLegendItem
} from '$lib/charts/categorical';
import {
	computeCategories,
	computeEligibleShares,
	countQpvByTerritory,
	DEFAULT_WHITE_ZONE_THRESHOLD,
	findCategoricalLayer,
	findWhiteZones,
	FRR_CLASSES,
	groupCommunesByFrr,
	listZrrCommunes,
	ZRR_LABELS,
	type CategoricalLayerId,
	type FibreView
} from '$lib/indicators/thematic-catalog';
import { formatInteger, formatPercent } from '$lib/format/number';
import {
	ARTIFACTS,
	type DatasetSource,
	type QpvByCommune,
	type QpvPerimeterProperties
} from '$lib/territory/artifacts';
import type { Level } from '$lib/territory/commune';
import type { DashboardPage } from './dashboard-page.svelte';
import { collectAttributions } from '../../territory/attribution';
import { fetchArtifact, type ArtifactUrl } from './data-loader';
import type { TerritoryRef } from '$lib/url/map-params';
import { DEFAULT_THEMATIC_PARAMS, type ThematicParams } from '$lib/url/thematic-params';

/** Palette of each categorical layer (density: 7 classes, rurality: 8). */
export const CATEGORY_PALETTE: Record<CategoricalLayerId, CategoricalPaletteId> = {
	densite: 'okabe-ito',
	ruralite: 'tol-muted'
};

/** Dataset id of the optional QPV perimeter file (geodata/pipeline/dataset-sources.ts). */
export const QPV_PERIMETER_DATASET_ID = 'qpv-perimetres';

export type TypologyChoice = 'aucune' | CategoricalLayerId;

export type QpvPerimeterCollection = FeatureCollection<Geometry, QpvPerimeterProperties>;

export class ThematicLayers {
	whiteZonesOn = $state(false);
	fibreView = $state<FibreView>('ftth-2025');
	/** "Moins de X % de locaux éligibles", %. */
	threshold = $state(DEFAULT_WHITE_ZONE_THRESHOLD);

	qpvOn = $state(false);
	typology = $state<TypologyChoice>('aucune');
	/** Opacity of the categorical fill, 0–1. */
	typologyOpacity = $state(0.85);
	frrOn = $state(false);
	zrrOn = $state(false);
	/** Opacity of the FRR hatching, 0–1. */
	zoningOpacity = $state(0.8);

	qpv = $state.raw<QpvByCommune | null>(null);
	/** Official perimeters: undefined until probed, null when the optional artifact is absent. */
	qpvPerimeters = $state.raw<QpvPerimeterCollection | null | undefined>(undefined);
	qpvError = $state<string | null>(null);

	#page: DashboardPage;
	#fetch: typeof fetch;
	#artifactUrl: ArtifactUrl;
	#qpvRequest: Promise<void> | null = null;
	// Plain caches: reading them must not subscribe anything.
	#cache: Record<string, Map<string, number | null>> = {};

	constructor(
		page: DashboardPage,
		fetcher: typeof fetch,
		artifactUrl: ArtifactUrl,
		initial: ThematicParams = DEFAULT_THEMATIC_PARAMS
	) {
		this.#page = page;
		this.#fetch = fetcher;
		this.#artifactUrl = artifactUrl;
		this.applyParams(initial);
	}

	/** Some layer is on: each is computed from the commune table, which the page then fetches. */
	active: boolean = $derived(
		this.whiteZonesOn || this.qpvOn || this.frrOn || this.zrrOn || this.typology !== 'aucune'
	);

	/** Take the layers' state from a URL (`parseDashboardParams`). */
	applyParams(params: ThematicParams): void {
		this.whiteZonesOn = params.whiteZonesOn;
		this.qpvOn = params.qpvOn;
		this.frrOn = params.frrOn;
		this.zrrOn = params.zrrOn;
		this.typology = params.typology;
		this.threshold = params.threshold;
		this.fibreView = params.fibreView;
	}

	/** The layers' part of the page URL (`thematicUrlCodec`). */
	get params(): ThematicParams {
		return {
			whiteZonesOn: this.whiteZonesOn,
			qpvOn: this.qpvOn,
			frrOn: this.frrOn,
			zrrOn: this.zrrOn,
			typology: this.typology,
			threshold: this.threshold,
			fibreView: this.fibreView
		};
	}

	/** Share of premises eligible to the chosen fibre measure, by territory of `level`. */
	eligibleAt(level: Level): Map<string, number | null> | null {
		const communes = this.#page.communes;
		if (!communes) return null;
		const key = `eligible|${this.fibreView}|${level}`;
		return (this.#cache[key] ??= computeEligibleShares(this.fibreView, communes, level));
	}

	/** Territories of the shown level counted as white zones under the threshold. */
	whiteZoneCount: number = $derived.by(() => {
		const values = this.whiteZonesOn ? this.eligibleAt(this.#page.level) : null;
		return values ? findWhiteZones(values, this.threshold).length : 0;
	});

	/** Class index by territory of `level` for the chosen typology. */
	categoriesAt(layer: CategoricalLayerId, level: Level): Map<string, number | null> | null {
		const communes = this.#page.communes;
		if (!communes) return null;
		const key = `category|${layer}|${level}`;
		return (this.#cache[key] ??= computeCategories(findCategoricalLayer(layer), communes, level));
	}

	/** Colours of the chosen typology's classes, in class order. */
	typologyColours: string[] = $derived(
		this.typology === 'aucune'
			? []
			: categoricalColours(
					CATEGORY_PALETTE[this.typology],
					findCategoricalLayer(this.typology).categories.length
				)
	);

	typologyLegend: CategoryLegendItem[] = $derived.by(() => {
		if (this.typology === 'aucune') return [];
		const layer = findCategoricalLayer(this.typology);
		const values = this.categoriesAt(this.typology, this.#page.level);
		if (!values) return [];
		return describeCategories(
			layer.categories.map((c) => c.label),
			CATEGORY_PALETTE[this.typology],
			values.values(),
			layer.missingLabel
		);
	});

	/** Number of distinct QPV 2024 by territory of `level` (null until the QPV list is loaded). */
	qpvCountAt(level: Level): Map<string, number | null> | null {
		const communes = this.#page.communes;
		const qpv = this.qpv;
		if (!communes || !qpv) return null;
		const key = `qpv|${level}`;
		return (this.#cache[key] ??= countQpvByTerritory(communes, qpv, level));
	}

	/** Commune codes by FRR class and the ZRR 2021 communes, fixed for the page. */
	zoning = $derived.by(() => {
		const communes = this.#page.communes;
		if (!communes) return null;
		return { frr: groupCommunesByFrr(communes), zrr: listZrrCommunes(communes) };
	});

	/** Dataset ids (sources.json) of the layers switched on, for the map's attribution. */
	activeSources: string[] = $derived.by(() => {
		const ids: string[] = [];
		if (this.whiteZonesOn)
			ids.push(...(this.fibreView === 'ftth-2025' ? ['arcep-fibre-2025'] : []), 'arcep-mci-2022');
		if (this.qpvOn) ids.push('qpv-2024', ...(this.qpvPerimeters ? [QPV_PERIMETER_DATASET_ID] : []));
		if (this.typology !== 'aucune') ids.push(...findCategoricalLayer(this.typology).sources);
		if (this.frrOn) ids.push('frr-2025');
		if (this.zrrOn) ids.push('zrr-2021');
		return ids;
	});

	/** French tooltip lines of the layers switched on, for the hovered territory. */
	hoverLines(ref: TerritoryRef): string[] {
		const lines: string[] = [];
		if (this.whiteZonesOn) {
			const value = this.eligibleAt(ref.level)?.get(ref.code) ?? null;
			const label =
				this.fibreView === 'ftth-2025' ? 'Locaux raccordables FttH' : 'Locaux ≥ 100 Mbit/s (2022)';
			lines.push(
				value === null
					? `${label} : pas de donnée`
					: `${label} : ${formatPercent(value)}${value < this.threshold ? ' (zone blanche)' : ''}`
			);
		}
		if (this.qpvOn) {
			const counts = this.qpvCountAt(ref.level);
			if (counts) lines.push(`QPV 2024 : ${formatInteger(counts.get(ref.code) ?? 0)}`);
		}
		if (this.typology !== 'aucune') {
			const layer = findCategoricalLayer(this.typology);
			const k = this.categoriesAt(this.typology, ref.level)?.get(ref.code) ?? null;
			lines.push(k === null ? layer.missingLabel : layer.categories[k].label);
		}
		if (ref.level === 'commune' && (this.frrOn || this.zrrOn)) {
			const c = this.#page.lookup?.communes.get(ref.code);
			if (c && this.frrOn) {
				const frrClass = FRR_CLASSES.find((k) => c.frr !== null && k.codes.includes(c.frr));
				lines.push(frrClass ? frrClass.label : 'Hors FRR');
			}
			if (c && this.zrrOn && c.zrr) lines.push(ZRR_LABELS[c.zrr]);
		}
		return lines;
	}

	/** Credit lines ("ARCEP, 2025") of the layers switched on. */
	attributions(datasets: readonly DatasetSource[] | undefined): string[] {
		return collectAttributions(datasets ?? [], this.activeSources).lines;
	}

	/**
	 * Fetch the QPV list and probe the optional perimeters once (later calls return the same
	 * request). A missing perimeter file is normal: the communes hosting QPV are shown instead.
	 */
	ensureQpv(): Promise<void> {
		this.#qpvRequest ??= (async () => {
			try {
				this.qpv = (await fetchArtifact(
					this.#fetch,
					this.#artifactUrl(ARTIFACTS.qpv)
				)) as QpvByCommune;
			} catch (error) {
				this.qpvError = error instanceof Error ? error.message : String(error);
			}
			this.qpvPerimeters = await this.#loadPerimeters();
		})();
		return this.#qpvRequest;
	}

	async #loadPerimeters(): Promise<QpvPerimeterCollection | null> {
		// The pipeline credits the optional perimeters in sources.json only when it wrote them:
		// no entry, no file (and no 404 in the console).
		const listed = this.#page.sources?.datasets.some((d) => d.id === QPV_PERIMETER_DATASET_ID);
		if (!listed) return null;
		let response: Response;
		try {
			response = await this.#fetch(this.#artifactUrl(ARTIFACTS.qpvPerimeters));
		} catch {
			return null;
		}
		if (!response.ok) return null;
		try {
			const topology = (await response.json()) as Topology;
			const object = topology.objects?.qpv;
			if (!object) return null;
			return feature(topology, object) as unknown as QpvPerimeterCollection;
		} catch {
			this.qpvError = `Le fichier ${ARTIFACTS.qpvPerimeters} est illisible : les périmètres des QPV ne sont pas dessinés.`;
			return null;
		}
	}
}

/**
 * `getThematicLayers()`: the thematic layer state of the dashboard page, made available to the
 * components below it by `setThematicLayers(layers)` (which returns it).
 */
export const [getThematicLayers, setThematicLayers] = createContext<ThematicLayers>();
