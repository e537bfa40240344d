/**
 * Search of communes, EPCI, départements and régions by name or code, insensitive to accents, case,
 * hyphens and apostrophes, with the usual abbreviations (« St » = Saint, « Ste » = Sainte). Pure: the
 * server's search page and the map's territory picker build the same index from the same data.
 */
import type { TerritoryEntry, TerritoryIndex } from './artifacts';
import type { CommuneRecord, Level } from './commune';

/** What the index needs of a commune (the full `CommuneRecord` fits). */
export type SearchableCommune = Pick<CommuneRecord, 'code' | 'nom' | 'dep' | 'population'>;

/** One territory that can be found. */
export interface SearchEntry {
	level: Level;
	code: string;
	nom: string;
	/** Where it is, in French, to tell namesakes apart: « Nord (59) », « Hauts-de-France »; null for a région. */
	context: string | null;
	/** Population municipale, persons (namesakes are listed from the most populated). */
	population: number;
}

/** The searchable entries with their normalised names, built once by `buildSearchIndex`. */
export interface TerritorySearchIndex {
	entries: readonly SearchEntry[];
	/** `normaliseSearchText(entry.nom)`, same order as `entries`. */
	names: readonly string[];
	/** The words of each normalised name. */
	words: readonly (readonly string[])[];
	/** Upper-case code of each entry. */
	codes: readonly string[];
}

/** How a result matched, best first. */
export type SearchMatch = 'code' | 'name' | 'start' | 'words' | 'contains';

export interface SearchHit extends SearchEntry {
	match: SearchMatch;
}

const MATCH_ORDER: Record<SearchMatch, number> = {
	code: 0,
	name: 1,
	start: 2,
	words: 3,
	contains: 4
};

/** Abbreviations written out before comparing (French place names: « St-Omer », « Ste-Maxime »). */
const ABBREVIATIONS: ReadonlyMap<string, string> = new Map([
	['st', 'saint'],
	['ste', 'sainte'],
	['sts', 'saints'],
	['stes', 'saintes']
]);

/** Largest number of results one call returns. */
export const MAX_SEARCH_RESULTS = 100;

/** Longest query read, characters (longer input is cut: no place name is that long). */
export const MAX_QUERY_LENGTH = 100;

/**
 * Lower-case words without accents or punctuation, abbreviations written out.
 * @example normaliseSearchText('St-Étienne-du-Rouvray') // 'saint etienne du rouvray'
 * @example normaliseSearchText('L’Haÿ-les-Roses') // 'l hay les roses'
 */
export function normaliseSearchText(text: string): string {
	return text
		.slice(0, MAX_QUERY_LENGTH)
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/œ/g, 'oe')
		.replace(/æ/g, 'ae')
		.replace(/[^a-z0-9]+/g, ' ')
		.trim()
		.split(' ')
		.filter((word) => word !== '')
		.map((word) => ABBREVIATIONS.get(word) ?? word)
		.join(' ');
}

/**
 * The index of every commune, EPCI, département and région.
 * @param communes the commune table (code, name, département, population)
 * @param territories `territoires.json`
 */
export function buildSearchIndex(
	communes: readonly SearchableCommune[],
	territories: TerritoryIndex
): TerritorySearchIndex {
	const departementNames = new Map(territories.departements.map((d) => [d.code, d.nom]));
	const regionNames = new Map(territories.regions.map((r) => [r.code, r.nom]));
	const departementLabel = (code: string) =>
		departementNames.has(code) ? `${departementNames.get(code)} (${code})` : code;
	const entries: SearchEntry[] = [];
	const add = (entry: TerritoryEntry, context: string | null) =>
		entries.push({
			level: entry.level,
			code: entry.code,
			nom: entry.nom,
			context,
			population: entry.population
		});
	for (const r of territories.regions) add(r, null);
	for (const d of territories.departements) add(d, d.reg ? (regionNames.get(d.reg) ?? null) : null);
	for (const e of territories.epci) {
		add(e, e.deps && e.deps.length > 0 ? e.deps.map(departementLabel).join(', ') : null);
	}
	for (const c of communes) {
		entries.push({
			level: 'commune',
			code: c.code,
			nom: c.nom,
			context: departementLabel(c.dep),
			population: c.population
		});
	}
	const names = entries.map((e) => normaliseSearchText(e.nom));
	return {
		entries,
		names,
		words: names.map((name) => name.split(' ')),
		codes: entries.map((e) => e.code.toUpperCase())
	};
}

/** How entry `i` matches the query, or null. */
function matchOf(
	index: TerritorySearchIndex,
	i: number,
	code: string,
	query: string,
	queryWords: readonly string[]
): SearchMatch | null {
	if (index.codes[i] === code) return 'code';
	if (query === '') return null;
	const name = index.names[i];
	if (name === query) return 'name';
	if (name.startsWith(query)) return 'start';
	const words = index.words[i];
	if (queryWords.every((q) => words.some((w) => w.startsWith(q)))) return 'words';
	if (name.includes(query)) return 'contains';
	return null;
}

/**
 * The territories whose code is the query, or whose name matches it, best first: code, same name,
 * name starting with the query, every word of the query starting a word of the name, name containing
 * the query; within each kind, the most populated first (then by name).
 * @param limit largest number of results (1 to `MAX_SEARCH_RESULTS`)
 * @example searchTerritories(index, 'st etienne', 5)[0] // { level: 'commune', code: '42218', nom: 'Saint-Étienne', … }
 * @example searchTerritories(index, '59', 5)[0] // { level: 'departement', code: '59', nom: 'Nord', … }
 */
export function searchTerritories(
	index: TerritorySearchIndex,
	query: string,
	limit = 10
): SearchHit[] {
	const max = Math.max(1, Math.min(MAX_SEARCH_RESULTS, Math.floor(limit) || 1));
	const code = query.trim().slice(0, MAX_QUERY_LENGTH).toUpperCase();
	const normalised = normaliseSearchText(query);
	if (code === '' && normalised === '') return [];
	const queryWords = normalised === '' ? [] : normalised.split(' ');
	const hits: { i: number; match: SearchMatch }[] = [];
	for (let i = 0; i < index.entries.length; i++) {
		const match = matchOf(index, i, code, normalised, queryWords);
		if (match) hits.push({ i, match });
	}
	hits.sort(
		(a, b) =>
			MATCH_ORDER[a.match] - MATCH_ORDER[b.match] ||
			index.entries[b.i].population - index.entries[a.i].population ||
			index.entries[a.i].nom.localeCompare(index.entries[b.i].nom, 'fr')
	);
	return hits.slice(0, max).map(({ i, match }) => ({ ...index.entries[i], match }));
}
