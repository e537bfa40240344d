/**
 * Which mediation points the map shows: a filter by type and by source list, its URL form
 * (`lieux=france-services,aidants-connect`, `lieux_sources=france-services-2024`), and the
 * French descriptions the details panel prints for one point.
 */
import type { DatasetSource, MediatorProperties, MediatorType } from '../territory/artifacts';
import { EFFECTIF_LABELS, MEDIATOR_TYPE_LABELS, MEDIATOR_TYPES } from './mediator-types';
import { IMPORTED_SOURCE_ID } from '../places-import/imported-place';
import { paramName, quoteParamValue as quote, type UrlCodec } from '$lib/url/codec';

/**
 * Dataset id (sources.json) of the places of a Cartographie nationale export, when the pipeline
 * was given one (`GEODATA_SOURCES`, geodata/pipeline/places-export.ts): it then replaces the five
 * dated lists.
 */
export const CARTOGRAPHIE_SOURCE_ID = 'cartographie-nationale';

/**
 * Dataset ids (sources.json) of the lists behind `mediateurs.geojson`, in the order the filters
 * list them: the five dated lists of the embedded build (geodata/pipeline/mediators.ts writes
 * exactly these in `source`), or the Cartographie nationale export that replaces them. A list
 * without points in the artifact has no dataset in sources.json and is not offered.
 */
export const MEDIATOR_SOURCE_IDS = [
	'france-services-2024',
	'cnfs-lieux-2022',
	'cnfs-postes-2023',
	'aidants-connect-2024',
	'lieux-npdc-2023',
	CARTOGRAPHIE_SOURCE_ID
] as const;
export type MediatorSourceId = (typeof MEDIATOR_SOURCE_IDS)[number];

/**
 * The lists this build has (a dataset in sources.json), in `MEDIATOR_SOURCE_IDS` order: the five
 * dated lists, or the Cartographie nationale export that replaced them. Before sources.json is
 * loaded, the dated lists of the embedded build.
 * @example listedMediatorSources([{ id: 'cartographie-nationale', … }]) // ['cartographie-nationale']
 */
export function listedMediatorSources(
	datasets: readonly Pick<DatasetSource, 'id'>[]
): MediatorSourceId[] {
	const present = MEDIATOR_SOURCE_IDS.filter((id) => datasets.some((d) => d.id === id));
	return present.length > 0
		? present
		: MEDIATOR_SOURCE_IDS.filter((id) => id !== CARTOGRAPHIE_SOURCE_ID);
}

/** The points shown: those whose type AND source are both ticked. */
export interface MediatorFilter {
	/** Types shown, in `MEDIATOR_TYPES` order; empty: the layer is off. */
	types: MediatorType[];
	/** Source lists shown, in `MEDIATOR_SOURCE_IDS` order. */
	sources: MediatorSourceId[];
}

/**
 * Every place is shown at first (issue 15): where help already exists is half of the first
 * screen's answer. `lieux=aucun` turns the layer off.
 */
export const DEFAULT_MEDIATOR_FILTER: Readonly<MediatorFilter> = Object.freeze({
	types: [...MEDIATOR_TYPES],
	sources: [...MEDIATOR_SOURCE_IDS]
});

/** URL parameter names. */
export const MEDIATOR_PARAM = { types: 'lieux', sources: 'lieux_sources' } as const;
/** URL words for "every value" and "no value" of the two parameters. */
const ALL_TYPES = 'tous';
const NO_TYPE = 'aucun';
const NO_SOURCE = 'aucune';

/** The known values of `text` (comma-separated) in `order`, and the unknown ones. */
function readList<T extends string>(
	text: string,
	order: readonly T[]
): { values: T[]; unknown: string[] } {
	const parts = text
		.split(',')
		.map((p) => p.trim())
		.filter((p) => p !== '');
	const unknown = parts.filter((p) => !(order as readonly string[]).includes(p));
	return { values: order.filter((v) => parts.includes(v)), unknown };
}

/**
 * The mediator filter's parameters. Unknown values are dropped with one French notice per
 * parameter; an absent parameter keeps its default (every type, every source); default values
 * are left out of the URL, so the default view stays `/`.
 * @example parseWith(mediatorUrlCodec, new URLSearchParams('lieux=france-services')).value.types
 * // ['france-services']
 */
export const mediatorUrlCodec: UrlCodec<MediatorFilter> = {
	keys: Object.values(MEDIATOR_PARAM),

	parse(params, notices) {
		const filter: MediatorFilter = {
			types: [...DEFAULT_MEDIATOR_FILTER.types],
			sources: [...DEFAULT_MEDIATOR_FILTER.sources]
		};
		const types = params.get(MEDIATOR_PARAM.types);
		if (types === NO_TYPE) filter.types = [];
		else if (types !== null) {
			if (types === ALL_TYPES) filter.types = [...MEDIATOR_TYPES];
			else {
				const { values, unknown } = readList(types, MEDIATOR_TYPES);
				filter.types = values;
				if (unknown.length > 0)
					notices.push(
						`Type de lieu ${unknown.map(quote).join(', ')} inconnu (${paramName(MEDIATOR_PARAM.types)} ; types possibles : ${ALL_TYPES}, ${NO_TYPE}, ${MEDIATOR_TYPES.join(', ')}) : ignoré.`
					);
			}
		}

		const sources = params.get(MEDIATOR_PARAM.sources);
		if (sources !== null) {
			if (sources === NO_SOURCE) filter.sources = [];
			else {
				const { values, unknown } = readList(sources, MEDIATOR_SOURCE_IDS);
				if (unknown.length > 0)
					notices.push(
						`Source de lieux ${unknown.map(quote).join(', ')} inconnue (${paramName(MEDIATOR_PARAM.sources)} ; sources possibles : ${MEDIATOR_SOURCE_IDS.join(', ')}) : ignorée.`
					);
				// Nothing readable: every source rather than an empty layer the user did not ask for.
				filter.sources = values.length > 0 ? values : [...MEDIATOR_SOURCE_IDS];
			}
		}
		return filter;
	},

	serialize(filter) {
		const entries: [string, string][] = [];
		const types = MEDIATOR_TYPES.filter((t) => filter.types.includes(t));
		// Every type is the default, left out; none is written so that « off » survives a reload.
		if (types.length === 0) entries.push([MEDIATOR_PARAM.types, NO_TYPE]);
		else if (types.length < MEDIATOR_TYPES.length)
			entries.push([MEDIATOR_PARAM.types, types.join(',')]);
		const sources = MEDIATOR_SOURCE_IDS.filter((s) => filter.sources.includes(s));
		if (sources.length === 0) entries.push([MEDIATOR_PARAM.sources, NO_SOURCE]);
		else if (sources.length < MEDIATOR_SOURCE_IDS.length)
			entries.push([MEDIATOR_PARAM.sources, sources.join(',')]);
		return entries;
	}
};

/** Whether the filter shows any point at all. */
export function isMediatorFilterActive(filter: MediatorFilter): boolean {
	return filter.types.length > 0 && filter.sources.length > 0;
}

/** Whether the filter lets every point through (no need to copy the collection). */
export function isMediatorFilterComplete(filter: MediatorFilter): boolean {
	return (
		filter.types.length === MEDIATOR_TYPES.length &&
		filter.sources.length === MEDIATOR_SOURCE_IDS.length
	);
}

/**
 * The points the filter lets through, in their original order. The input array is returned as is
 * when nothing is filtered out.
 */
export function filterMediators<
	F extends { properties: Pick<MediatorProperties, 'type' | 'source'> }
>(features: readonly F[], filter: MediatorFilter): readonly F[] {
	if (isMediatorFilterComplete(filter)) return features;
	const types = new Set<string>(filter.types);
	const sources = new Set<string>(filter.sources);
	return features.filter((f) => types.has(f.properties.type) && sources.has(f.properties.source));
}

/** Number of points per type and per source, and per type those placed at their commune's centre. */
export function countMediators(
	features: readonly { properties: Pick<MediatorProperties, 'type' | 'source' | 'located'> }[]
): {
	byType: Record<MediatorType, number>;
	bySource: Record<string, number>;
	atCommuneCentre: Record<MediatorType, number>;
} {
	const zeros = () =>
		Object.fromEntries(MEDIATOR_TYPES.map((t) => [t, 0])) as Record<MediatorType, number>;
	const byType = zeros();
	const atCommuneCentre = zeros();
	const bySource: Record<string, number> = {};
	for (const { properties } of features) {
		byType[properties.type] = (byType[properties.type] ?? 0) + 1;
		bySource[properties.source] = (bySource[properties.source] ?? 0) + 1;
		if (properties.located === 'commune')
			atCommuneCentre[properties.type] = (atCommuneCentre[properties.type] ?? 0) + 1;
	}
	return { byType, bySource, atCommuneCentre };
}

/**
 * What the `date` of a record means in each list (geodata/pipeline/mediators.ts): France services
 * give the label date, the conseiller numérique structures their (latest) validation by the
 * selection committee, the LaMednum exports the record's last update. Aidants Connect has none.
 */
const DATE_MEANING: Record<string, string> = {
	'france-services-2024': 'Labellisée le',
	'cnfs-postes-2023': 'Validée en comité de sélection le',
	'cnfs-lieux-2022': 'Fiche mise à jour le',
	'lieux-npdc-2023': 'Fiche mise à jour le',
	[CARTOGRAPHIE_SOURCE_ID]: 'Fiche mise à jour le'
};

const MONTHS = [
	'janvier',
	'février',
	'mars',
	'avril',
	'mai',
	'juin',
	'juillet',
	'août',
	'septembre',
	'octobre',
	'novembre',
	'décembre'
];

/**
 * A record date (`yyyy-mm-dd` or `yyyy-mm`) in French words; the text as is when unreadable.
 * @example formatRecordDate('2021-01-05') // '5 janvier 2021'
 */
export function formatRecordDate(date: string): string {
	const match = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(date);
	const month = match ? MONTHS[Number(match[2]) - 1] : undefined;
	if (!match || !month) return date;
	if (!match[3]) return `${month} ${match[1]}`;
	const day = Number(match[3]);
	return `${day === 1 ? '1er' : day} ${month} ${match[1]}`;
}

/** OSM `opening_hours` day codes and their French short names (CLDR, as in opening-hours.ts). */
const OSM_DAYS: Record<string, string> = {
	Mo: 'lun.',
	Tu: 'mar.',
	We: 'mer.',
	Th: 'jeu.',
	Fr: 'ven.',
	Sa: 'sam.',
	Su: 'dim.',
	PH: 'jours fériés'
};

/** The subset of the OSM `opening_hours` syntax the LaMednum exports use (days, times, `off`). */
const SIMPLE_OSM_HOURS = /^(?:\s|Mo|Tu|We|Th|Fr|Sa|Su|PH|off|\d{2}:\d{2}|[-,;])+$/;

/**
 * Opening hours in French: the OSM `opening_hours` strings of the conseiller numérique and
 * Nord–Pas-de-Calais lists (`Mo-Fr 09:00-12:00,14:00-18:00`) become
 * `lun. à ven. 09:00 - 12:00 / 14:00 - 18:00`, in the layout of the France services hours.
 * Anything beyond the simple syntax (and the French France services text) is kept as published.
 * @example translateOpeningHours('Mo,We 09:30-12:00; Sa off') // 'lun., mer. 09:30 - 12:00 ; sam. fermé'
 */
export function translateOpeningHours(text: string): string {
	if (!SIMPLE_OSM_HOURS.test(text) || !/\b(Mo|Tu|We|Th|Fr|Sa|Su)\b/.test(text)) return text;
	return text
		.split(';')
		.map((rule) =>
			rule
				.trim()
				.replace(/(\d{2}:\d{2})\s*-\s*(\d{2}:\d{2})/g, '$1 - $2')
				.replace(/(\d{2}:\d{2})\s*,\s*(?=\d{2}:\d{2})/g, '$1 / ')
				.replace(
					/\b(Mo|Tu|We|Th|Fr|Sa|Su|PH)\b\s*-\s*\b(Mo|Tu|We|Th|Fr|Sa|Su)\b/g,
					(_, a, b) => `${OSM_DAYS[a]} à ${OSM_DAYS[b]}`
				)
				.replace(/\b(Mo|Tu|We|Th|Fr|Sa|Su|PH)\b/g, (day) => OSM_DAYS[day])
				.replace(/\s*,\s*(?=[a-zé])/g, ', ')
				.replace(/\boff\b/g, 'fermé')
		)
		.filter((rule) => rule !== '')
		.join(' ; ');
}

/** One point as the details panel prints it: every line in French, nothing left to format. */
export interface MediatorDescription {
	id: string;
	type: MediatorType;
	title: string;
	typeLabel: string;
	address: string | null;
	/** Said for points placed at their commune's centre; null for the source's own coordinates. */
	placement: string | null;
	/** « Liste des structures France services (ANCT, 1er août 2024) ». */
	source: string;
	/** « Labellisée le 5 janvier 2021 », or null without a date. */
	date: string | null;
	hours: string | null;
	/** « 3 conseillers numériques validés », or null. */
	effectif: string | null;
	/** The other lists that describe the same place. */
	alsoIn: string[];
}

/** Wording of a point placed at its commune's centre (the list gives no usable coordinates). */
export const COMMUNE_PLACEMENT_TEXT =
	'Placé au centre de la commune (adresse exacte non géolocalisée).';

/** « Title (producer, vintage) » of a dataset, or its id when sources.json lacks it. */
export function describeMediatorSource(id: string, datasets: readonly DatasetSource[]): string {
	if (id === IMPORTED_SOURCE_ID) return 'Données importées (fichier de l’utilisateur)';
	const dataset = datasets.find((d) => d.id === id);
	return dataset ? `${dataset.title} (${dataset.producer}, ${dataset.vintage})` : id;
}

/**
 * The French lines of one point's details.
 * @param datasets sources.json datasets, for the list titles and vintages
 */
export function describeMediator(
	properties: MediatorProperties,
	datasets: readonly DatasetSource[]
): MediatorDescription {
	const effectifLabel = EFFECTIF_LABELS[properties.type];
	const effectif =
		properties.effectif !== null && properties.effectif !== undefined && effectifLabel
			? `${properties.effectif.toLocaleString('fr-FR')} ${properties.effectif > 1 ? effectifLabel.many : effectifLabel.one}`
			: null;
	const meaning = DATE_MEANING[properties.source] ?? 'Date :';
	return {
		id: properties.id,
		type: properties.type,
		title: properties.nom,
		typeLabel: MEDIATOR_TYPE_LABELS[properties.type] ?? properties.type,
		// `?? null`: properties read back from the map lose their null values.
		address: properties.adresse ?? null,
		placement: properties.located === 'commune' ? COMMUNE_PLACEMENT_TEXT : null,
		source: describeMediatorSource(properties.source, datasets),
		date: properties.date ? `${meaning} ${formatRecordDate(properties.date)}` : null,
		hours: properties.horaires ? translateOpeningHours(properties.horaires) : null,
		effectif,
		alsoIn: (properties.alsoIn ?? []).map((id) => describeMediatorSource(id, datasets))
	};
}

/**
 * Types of point each list yields (geodata/pipeline/mediators.ts: the NPdC compilation classifies
 * its records with `classifyNpdcSource`), so that the attribution names only the lists drawn.
 */
export const MEDIATOR_SOURCE_TYPES: Record<MediatorSourceId, readonly MediatorType[]> = {
	'france-services-2024': ['france-services'],
	'cnfs-lieux-2022': ['conseiller-numerique-lieu'],
	'cnfs-postes-2023': ['conseiller-numerique-poste'],
	'aidants-connect-2024': ['aidants-connect'],
	'lieux-npdc-2023': ['france-services', 'conseiller-numerique-lieu', 'autre-lieu-mediation'],
	// `classifyProgrammes` (places-import/lieux-standard.ts): the standard has no post count.
	[CARTOGRAPHIE_SOURCE_ID]: [
		'france-services',
		'conseiller-numerique-lieu',
		'aidants-connect',
		'autre-lieu-mediation'
	]
};

/**
 * The attribution lines (`DatasetSource.attribution`, producer and year) of the lists whose
 * points the filter shows; none when the layer is off. A list absent from `datasets` has no point
 * in this build (the dated lists after a Cartographie nationale refresh, or the reverse).
 */
export function collectMediatorAttributions(
	filter: MediatorFilter,
	datasets: readonly DatasetSource[]
): string[] {
	if (!isMediatorFilterActive(filter)) return [];
	const lines: string[] = [];
	for (const id of MEDIATOR_SOURCE_IDS) {
		if (!filter.sources.includes(id)) continue;
		if (!MEDIATOR_SOURCE_TYPES[id].some((t) => filter.types.includes(t))) continue;
		const line = datasets.find((d) => d.id === id)?.attribution;
		if (line !== undefined && !lines.includes(line)) lines.push(line);
	}
	return lines;
}
