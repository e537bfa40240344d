/**
 * The thematic layers of issue 4: fibre and 4G white zones, QPV, and the rural typologies and
 * zonings. The numeric ones are choropleth indicators (re-exported by `catalog.ts`); the categorical
 * ones (INSEE density grid, ANCT rurality typology) and the zonings (FRR 2025, ZRR 2021, QPV) are
 * described here and drawn by their own overlay layers. Aggregates follow the catalogue's rule: sums
 * of counts and ratios of sums (premises- or population-weighted), never means of shares.
 */
import { groupCommunesByLevel, ratioOfSums, sumOf, weightedMean } from '$lib/territory/aggregate';
import type { QpvByCommune } from '$lib/territory/artifacts';
import {
	DENSITY_LABELS,
	type CommuneRecord,
	type DensityLevel,
	type FrrCode,
	type Level,
	type ZrrStatus
} from '$lib/territory/commune';
import type { IndicatorDefinition } from './catalog';

export type ThematicIndicatorId =
	'zones-blanches-fibre' | 'locaux-sans-thd-100-2022' | 'absence-4g-ifn' | 'couverture-4g-arcep';

const population = (c: CommuneRecord): number | null => c.population;
const premises2022 = (c: CommuneRecord): number | null => c.locaux2022;

/** Premises without FttH, % (100 − the share that can be connected), null when unpublished. */
const noFtthPct = (c: CommuneRecord): number | null =>
	c.fibreFtthPct === null ? null : 100 - c.fibreFtthPct;

/** Premises not eligible to ≥ 100 Mbit/s in 2022 (count), null when either count is unknown. */
const premisesWithoutThd100 = (c: CommuneRecord): number | null =>
	c.locaux2022 === null || c.locauxThd100_2022 === null
		? null
		: Math.max(0, c.locaux2022 - c.locauxThd100_2022);

/** Share of premises eligible to ≥ 100 Mbit/s in 2022, %. */
const thd100Pct = (communes: readonly CommuneRecord[]): number | null => {
	const ratio = ratioOfSums(communes, (c) => c.locauxThd100_2022, premises2022);
	return ratio === null ? null : ratio * 100;
};

const mobileGood4g = (c: CommuneRecord): number | null => c.mobile4gGoodPopPctBest ?? null;

export const THEMATIC_INDICATORS: readonly IndicatorDefinition[] = [
	{
		id: 'zones-blanches-fibre',
		label: 'Part des locaux non raccordables à la fibre (FttH), vers 2025',
		shortLabel: 'Locaux sans fibre (FttH)',
		unit: '%',
		digits: 1,
		description:
			'Part des locaux qui ne peuvent pas encore être raccordés à la fibre jusqu’à l’abonné (100 − part raccordable), ARCEP, fin 2025 probablement. Paris, Lyon et Marseille n’ont pas de valeur dans la source.',
		sources: ['arcep-fibre-2025', 'arcep-mci-2022'],
		palette: 'ylorbr',
		aggregation: { kind: 'weighted-mean', weight: 'locaux-2022' },
		aggregationLabel:
			'rapport des sommes : locaux sans fibre ÷ locaux (communes pondérées par leur nombre de locaux, ARCEP 2022 ; communes sans donnée exclues)',
		communeValue: noFtthPct,
		aggregate: (communes) => weightedMean(communes, noFtthPct, premises2022)
	},
	{
		id: 'locaux-sans-thd-100-2022',
		label: 'Locaux non éligibles à un débit ≥ 100 Mbit/s (nombre), 2022',
		shortLabel: 'Locaux sans ≥ 100 Mbit/s (2022)',
		unit: 'locaux',
		digits: 0,
		description:
			'Nombre de locaux (logements et locaux professionnels) sans accès possible à 100 Mbit/s ou plus, toutes technologies, ARCEP « Ma connexion internet », 4e trimestre 2022.',
		sources: ['arcep-mci-2022'],
		palette: 'ylorbr',
		aggregation: { kind: 'sum' },
		aggregationLabel:
			'somme des locaux non éligibles des communes (la part correspondante, rapport des sommes, est l’indicateur « Locaux éligibles ≥ 100 Mbit/s »)',
		communeValue: premisesWithoutThd100,
		aggregate: (communes) =>
			communes.some((c) => premisesWithoutThd100(c) !== null)
				? sumOf(communes, premisesWithoutThd100)
				: null
	},
	{
		id: 'absence-4g-ifn',
		label: 'Absence de couverture 4G (score IFN 2023, 0–10)',
		shortLabel: 'Absence de 4G (score IFN 2023)',
		unit: '',
		digits: 1,
		description:
			'Sous-score « absence de couverture 4G » de l’indice de fragilité numérique (La MedNum et ANCT, 2023), de 0 (bien couvert) à 10 (mal couvert). C’est un score, pas une part de la population couverte.',
		sources: ['ifn-2023'],
		palette: 'purd',
		aggregation: { kind: 'weighted-mean', weight: 'population' },
		aggregationLabel: 'moyenne des scores communaux pondérée par la population',
		communeValue: (c) => c.ifnNo4g,
		aggregate: (communes) => weightedMean(communes, (c) => c.ifnNo4g, population)
	},
	{
		id: 'couverture-4g-arcep',
		label: 'Population en bonne ou très bonne couverture 4G (meilleur opérateur, ARCEP)',
		shortLabel: 'Bonne couverture 4G (ARCEP)',
		unit: '%',
		digits: 1,
		description:
			'Part de la population en bonne ou très bonne couverture 4G chez l’opérateur qui couvre le mieux la commune (ARCEP « Mon réseau mobile », fichier ajouté aux sources) : une borne basse de la part couverte par au moins un opérateur. Sans ce fichier, aucune valeur.',
		sources: ['arcep-mobile-communes'],
		palette: 'ylgnbu',
		aggregation: { kind: 'weighted-mean', weight: 'population' },
		aggregationLabel: 'rapport des sommes : population bien couverte ÷ population',
		communeValue: mobileGood4g,
		aggregate: (communes) => weightedMean(communes, mobileGood4g, population)
	}
];

/**
 * The 4G indicator to show: ARCEP's measured coverage when a user added its per-commune
 * statistics (some commune has `mobile4gGoodPopPctBest`), else the IFN 2023 score.
 */
export function chooseMobileIndicator(
	communes: readonly CommuneRecord[] | null
): 'couverture-4g-arcep' | 'absence-4g-ifn' {
	return communes?.some((c) => mobileGood4g(c) !== null) ? 'couverture-4g-arcep' : 'absence-4g-ifn';
}

/** The quarter of the ARCEP 4G statistics in the data (e.g. "2025 T3"), or null. */
export function findMobileVintage(communes: readonly CommuneRecord[] | null): string | null {
	for (const c of communes ?? []) if (c.mobile4gVintage) return c.mobile4gVintage;
	return null;
}

// ——— Fibre white zones ———

/** Which fibre measure the white-zone threshold applies to. */
export type FibreView = 'ftth-2025' | 'thd100-2022';

export const FIBRE_VIEW_LABELS: Record<FibreView, string> = {
	'ftth-2025': 'Fibre FttH (ARCEP, vers 2025)',
	'thd100-2022': 'Débit ≥ 100 Mbit/s (ARCEP, 2022)'
};

/**
 * Share of premises eligible (%) by territory of `level`: FttH (premises-weighted, premises of
 * 2022 as weights) or ≥ 100 Mbit/s in 2022 (ratio of sums). Null: no published value.
 */
export function computeEligibleShares(
	view: FibreView,
	communes: readonly CommuneRecord[],
	level: Level
): Map<string, number | null> {
	const ofGroup = (group: readonly CommuneRecord[]): number | null =>
		view === 'ftth-2025'
			? weightedMean(group, (c) => c.fibreFtthPct, premises2022)
			: thd100Pct(group);
	const values = new Map<string, number | null>();
	if (level === 'commune') {
		for (const c of communes)
			values.set(c.code, view === 'ftth-2025' ? c.fibreFtthPct : thd100Pct([c]));
		return values;
	}
	for (const [code, group] of groupCommunesByLevel(communes, level))
		values.set(code, ofGroup(group));
	return values;
}

/**
 * The territories counted as fibre white zones: those with a known eligible share strictly below
 * `thresholdPct` (%). Territories without a value are never counted (their status is unknown).
 */
export function findWhiteZones(
	eligible: ReadonlyMap<string, number | null>,
	thresholdPct: number
): string[] {
	const codes: string[] = [];
	for (const [code, value] of eligible)
		if (value !== null && value < thresholdPct) codes.push(code);
	return codes;
}

/** Default white-zone threshold, % of premises eligible. */
export const DEFAULT_WHITE_ZONE_THRESHOLD = 50;

// ——— Categorical layers ———

/** One class of a categorical layer. */
export interface Category {
	/** Stable key (the source's code or label). */
	key: string;
	/** French label. */
	label: string;
}

export type CategoricalLayerId = 'densite' | 'ruralite';

export interface CategoricalLayerDefinition {
	id: CategoricalLayerId;
	label: string;
	description: string;
	sources: string[];
	categories: readonly Category[];
	/** Index in `categories` of a commune's class, or null (not classified). */
	categoryOf(c: CommuneRecord): number | null;
	/** French wording of the aggregation above the commune, shown in the legend. */
	aggregationLabel: string;
	/** Legend label of communes without a class. */
	missingLabel: string;
}

const DENSITY_LEVELS: DensityLevel[] = [1, 2, 3, 4, 5, 6, 7];

/** ANCT typologie des ruralités (2025), as labelled in the source, from the most polarised. */
export const RURALITY_CLASSES: readonly string[] = [
	'Les petites polarités mixtes',
	'Les petites polarités industrielles et artisanales',
	'Les ruralités résidentielles aisées',
	'Les ruralités résidentielles mixtes',
	'Les ruralités productives ouvrières',
	'Les ruralités productives agricoles',
	'Les ruralités touristiques à dominante résidentielle',
	'Les ruralités touristiques spécialisées'
];

const RURALITY_INDEX = new Map(RURALITY_CLASSES.map((label, i) => [label, i]));

export const CATEGORICAL_LAYERS: readonly CategoricalLayerDefinition[] = [
	{
		id: 'densite',
		label: 'Grille communale de densité (INSEE, 7 niveaux)',
		description:
			'Classement des communes selon la répartition de leur population sur une grille de carreaux de 1 km² (INSEE, grille communale de densité).',
		sources: ['grille-densite'],
		categories: DENSITY_LEVELS.map((level) => ({
			key: String(level),
			label: `${level}. ${DENSITY_LABELS[level]}`
		})),
		categoryOf: (c) => (c.densite === null ? null : c.densite - 1),
		aggregationLabel: 'niveau de densité où vit la plus grande part de la population',
		missingLabel: 'Pas de donnée'
	},
	{
		id: 'ruralite',
		label: 'Typologie des ruralités (ANCT, 2025)',
		description:
			'Huit profils de communes rurales (ANCT, Observatoire des territoires). Les communes urbaines, d’outre-mer ou dont le contour a changé n’ont pas de profil.',
		sources: ['typologies-anct'],
		categories: RURALITY_CLASSES.map((label) => ({ key: label, label })),
		categoryOf: (c) => (c.ruralite === null ? null : (RURALITY_INDEX.get(c.ruralite) ?? null)),
		aggregationLabel:
			'profil rural où vit la plus grande part de la population rurale du territoire',
		missingLabel: 'Commune urbaine ou sans profil'
	}
];

/** The categorical layer with this id. */
export function findCategoricalLayer(id: CategoricalLayerId): CategoricalLayerDefinition {
	return CATEGORICAL_LAYERS.find((layer) => layer.id === id)!;
}

/**
 * The class of `communes` that holds the most population (persons), or null when no commune has a
 * class. Ties go to the lower index (the more urban class for the density grid).
 * @example dominantCategory(communesOfAmiensMetropole, (c) => c.densite! - 1) // 0 (grands centres urbains)
 */
export function dominantCategory(
	communes: readonly CommuneRecord[],
	categoryOf: (c: CommuneRecord) => number | null
): number | null {
	const weights = new Map<number, number>();
	for (const c of communes) {
		const k = categoryOf(c);
		if (k === null) continue;
		weights.set(k, (weights.get(k) ?? 0) + c.population);
	}
	let best: number | null = null;
	let bestWeight = -1;
	for (const [k, w] of weights) {
		if (w > bestWeight || (w === bestWeight && best !== null && k < best)) {
			best = k;
			bestWeight = w;
		}
	}
	return best;
}

/**
 * Class index by territory of `level`: the commune's own class, or above the commune the class
 * holding the most population (`dominantCategory`).
 */
export function computeCategories(
	layer: CategoricalLayerDefinition,
	communes: readonly CommuneRecord[],
	level: Level
): Map<string, number | null> {
	const values = new Map<string, number | null>();
	if (level === 'commune') {
		for (const c of communes) values.set(c.code, layer.categoryOf(c));
		return values;
	}
	for (const [code, group] of groupCommunesByLevel(communes, level))
		values.set(code, dominantCategory(group, layer.categoryOf));
	return values;
}

// ——— Zonings: FRR 2025, ZRR 2021 ———

/** FRR classes drawn, with their French labels (PROVENANCE §9: codes 2 and 3 are not labelled). */
export const FRR_CLASSES: readonly { codes: FrrCode[]; key: string; label: string }[] = [
	{ codes: [4], key: 'socle', label: 'FRR socle' },
	{ codes: [5], key: 'plus', label: 'FRR+' },
	{ codes: [1], key: 'transition', label: 'Sortie transitoire (anciennes ZRR)' },
	{ codes: [2, 3], key: 'autre', label: 'Codes 2 et 3 : sans libellé publié — à vérifier' }
];

/** Commune codes of each FRR class (key of `FRR_CLASSES`), communes without geometry included. */
export function groupCommunesByFrr(communes: readonly CommuneRecord[]): Record<string, string[]> {
	const groups: Record<string, string[]> = Object.fromEntries(FRR_CLASSES.map((k) => [k.key, []]));
	for (const c of communes) {
		if (c.frr === null) continue;
		const frrClass = FRR_CLASSES.find((k) => k.codes.includes(c.frr!));
		if (frrClass) groups[frrClass.key].push(c.code);
	}
	return groups;
}

export const ZRR_LABELS: Record<ZrrStatus, string> = {
	C: 'Classée en ZRR (2021)',
	PC: 'Partiellement classée en ZRR (2021)',
	NC: 'Non classée en ZRR (2021)'
};

/** Commune codes classified (wholly or partly) in ZRR 2021. */
export function listZrrCommunes(communes: readonly CommuneRecord[]): {
	classees: string[];
	partiellement: string[];
} {
	const classees: string[] = [];
	const partiellement: string[] = [];
	for (const c of communes) {
		if (c.zrr === 'C') classees.push(c.code);
		else if (c.zrr === 'PC') partiellement.push(c.code);
	}
	return { classees, partiellement };
}

/**
 * Population (persons) living in a commune of the given FRR classes, and its share (%) of the
 * territory's population: how a zoning reads above the commune level.
 */
export function measureZonedPopulation(
	communes: readonly CommuneRecord[],
	isZoned: (c: CommuneRecord) => boolean
): { population: number; sharePct: number | null } {
	const zoned = sumOf(communes, (c) => (isZoned(c) ? c.population : 0));
	const total = sumOf(communes, population);
	return { population: zoned, sharePct: total > 0 ? (zoned / total) * 100 : null };
}

// ——— QPV ———

/**
 * Distinct QPV 2024 by territory of `level` (a QPV spanning two communes of the same département
 * counts once for it). Territories without QPV are absent.
 */
export function countQpvByTerritory(
	communes: readonly CommuneRecord[],
	qpv: QpvByCommune,
	level: Level
): Map<string, number> {
	const sets = new Map<string, Set<string>>();
	for (const c of communes) {
		const list = qpv[c.code];
		if (!list || list.length === 0) continue;
		const code =
			level === 'commune'
				? c.code
				: level === 'epci'
					? c.epci
					: level === 'departement'
						? c.dep
						: c.reg;
		if (code === null) continue;
		let set = sets.get(code);
		if (!set) sets.set(code, (set = new Set()));
		for (const q of list) set.add(q.code);
	}
	return new Map([...sets].map(([code, set]) => [code, set.size]));
}

/** The QPV of a territory's communes, sorted by name, each once. */
export function listQpvOf(
	communes: readonly CommuneRecord[],
	qpv: QpvByCommune
): { code: string; nom: string }[] {
	const byCode = new Map<string, { code: string; nom: string }>();
	for (const c of communes) for (const q of qpv[c.code] ?? []) byCode.set(q.code, q);
	return [...byCode.values()].sort((a, b) => a.nom.localeCompare(b.nom, 'fr'));
}
