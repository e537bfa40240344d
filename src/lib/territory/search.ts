/**
 * Search of communes, EPCI, départements and régions by name or code, insensitive to accents, case,
 * hyphens and apostrophes, with the usual abbreviations (« St » = Saint, « Ste » = Sainte), and of
 * communes by La Poste postcode once the postcode table is attached (`withPostcodes`). Pure: the
 * server's search page and the map's territory picker build the same index from the same data.
 *
 * Codes: a 5-character query is compared with the INSEE codes and, being digits, with the
 * postcodes; both kinds of hit are kept and told apart (`describeSearchCode`: « code INSEE 01400 »,
 * « code postal 01400 »), the INSEE code first (it names one commune, a postcode several).
 * Two to four digits suggest the communes whose postcode starts with them, after every other hit.
 */
import type { PostcodeTable, TerritoryEntry, TerritoryIndex } from './artifacts';
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
	/** The communes by postcode; null until `withPostcodes` attaches the table. */
	postcodes: PostcodeSearchIndex | null;
}

/** The postcode table as the search reads it. */
export interface PostcodeSearchIndex {
	/** Distinct postcodes, sorted (a prefix is a contiguous run). */
	codes: readonly string[];
	/** Entry indexes (into `TerritorySearchIndex.entries`) of the communes of each postcode. */
	communes: readonly (readonly number[])[];
	/** Postcode → name of the arrondissement municipal it stands for (Paris, Lyon, Marseille). */
	arrondissements: ReadonlyMap<string, string>;
}

/**
 * How a result matched, best first: INSEE (or SIREN) code, postcode, same name, name starting with
 * the query, every word starting a word of the name, name containing it, postcode starting with it.
 */
export type SearchMatch =
	'code' | 'postcode' | 'name' | 'start' | 'words' | 'contains' | 'postcode-start';

export interface SearchHit extends SearchEntry {
	match: SearchMatch;
	/**
	 * The commune's postcodes that matched the query (sorted; one for a full postcode, possibly
	 * several for a prefix), also set on an INSEE-code hit whose code is one of its own postcodes.
	 */
	postcodes?: string[];
	/** For one postcode of an arrondissement of Paris, Lyon or Marseille: that arrondissement's name. */
	arrondissement?: string;
}

const MATCH_ORDER: Record<SearchMatch, number> = {
	code: 0,
	postcode: 1,
	name: 2,
	start: 3,
	words: 4,
	contains: 5,
	'postcode-start': 6
};

/** A full postcode: 5 digits (Corsica's too: 20000 is Ajaccio's, whose INSEE code is 2A004). */
const POSTCODE = /^\d{5}$/;
/** The start of a postcode that suggests communes: 2 to 4 digits. */
const POSTCODE_START = /^\d{2,4}$/;

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
		codes: entries.map((e) => e.code.toUpperCase()),
		postcodes: null
	};
}

/**
 * The index with the communes' postcodes attached (`codes-postaux.json`), so that a postcode or
 * its first digits find communes. Communes of the table absent from the index are left out.
 * @example searchTerritories(withPostcodes(index, table), '23000')[0] // Guéret, match 'postcode'
 */
export function withPostcodes(
	index: TerritorySearchIndex,
	table: PostcodeTable
): TerritorySearchIndex {
	const communeEntry = new Map<string, number>();
	index.entries.forEach((e, i) => {
		if (e.level === 'commune') communeEntry.set(e.code, i);
	});
	const codes = Object.keys(table.communes)
		.filter((p) => POSTCODE.test(p))
		.sort();
	const communes = codes.map((p) =>
		table.communes[p].map((code) => communeEntry.get(code)).filter((i) => i !== undefined)
	);
	return {
		...index,
		postcodes: {
			codes,
			communes,
			arrondissements: new Map(Object.entries(table.arrondissements ?? {}))
		}
	};
}

/**
 * Check the shape of a parsed `codes-postaux.json` (an object `communes` of string lists, an object
 * `arrondissements`), so a damaged file gives a French message instead of a broken search.
 * @throws Error (French) naming the file
 */
export function readPostcodeTable(payload: unknown, file = 'codes-postaux.json'): PostcodeTable {
	const table = payload as Partial<PostcodeTable> | null;
	const isObject = (value: unknown): value is Record<string, unknown> =>
		typeof value === 'object' && value !== null && !Array.isArray(value);
	if (
		!isObject(table) ||
		!isObject(table.communes) ||
		!isObject(table.arrondissements) ||
		!Object.values(table.communes).every(
			(list) => Array.isArray(list) && list.every((code) => typeof code === 'string')
		)
	) {
		throw new Error(
			`Le fichier ${file} n’a pas le format attendu (codes postaux et leurs communes).`
		);
	}
	return table as PostcodeTable;
}

/** First position in the sorted `codes` not below `value`. */
function lowerBound(codes: readonly string[], value: string): number {
	let low = 0;
	let high = codes.length;
	while (low < high) {
		const mid = (low + high) >> 1;
		if (codes[mid] < value) low = mid + 1;
		else high = mid;
	}
	return low;
}

/** Entry index → the postcodes of `query` (a full postcode or its first digits) it has, sorted. */
function postcodeMatches(postcodes: PostcodeSearchIndex, query: string): Map<number, string[]> {
	const found = new Map<number, string[]>();
	for (let p = lowerBound(postcodes.codes, query); p < postcodes.codes.length; p++) {
		const postcode = postcodes.codes[p];
		if (!postcode.startsWith(query)) break;
		for (const i of postcodes.communes[p]) {
			const list = found.get(i);
			if (list) list.push(postcode);
			else found.set(i, [postcode]);
		}
	}
	return found;
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
 * The territories whose code is the query, or whose name matches it, best first: INSEE (or SIREN)
 * code, postcode, same name, name starting with the query, every word of the query starting a word
 * of the name, name containing the query, postcode starting with the query (2 to 4 digits); within
 * each kind, the most populated first (then by name). The communes of a full postcode are never cut
 * by the limit: a postcode serving 46 communes lists the 46.
 * @param limit largest number of results (1 to `MAX_SEARCH_RESULTS`), exact code and postcode
 *   matches excepted
 * @example searchTerritories(index, 'st etienne', 5)[0] // { level: 'commune', code: '42218', nom: 'Saint-Étienne', … }
 * @example searchTerritories(index, '59', 5)[0] // { level: 'departement', code: '59', nom: 'Nord', … }
 * @example searchTerritories(indexWithPostcodes, '62500', 5)[0] // Saint-Omer, match 'postcode', postcodes ['62500']
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
	const byPostcode =
		index.postcodes && (POSTCODE.test(code) || POSTCODE_START.test(code))
			? postcodeMatches(index.postcodes, code)
			: new Map<number, string[]>();
	const postcodeMatch: SearchMatch = POSTCODE.test(code) ? 'postcode' : 'postcode-start';
	const hits: { i: number; match: SearchMatch; postcodes?: string[] }[] = [];
	for (let i = 0; i < index.entries.length; i++) {
		const match = matchOf(index, i, code, normalised, queryWords);
		const postcodes = byPostcode.get(i);
		// A commune found by name or code and by postcode: the better match, with its postcodes
		// kept only when the postcode match is the full one (an INSEE code that is also its postcode).
		if (match && (!postcodes || MATCH_ORDER[match] < MATCH_ORDER[postcodeMatch])) {
			hits.push(postcodes && postcodeMatch === 'postcode' ? { i, match, postcodes } : { i, match });
		} else if (postcodes) hits.push({ i, match: postcodeMatch, postcodes });
	}
	hits.sort(
		(a, b) =>
			MATCH_ORDER[a.match] - MATCH_ORDER[b.match] ||
			index.entries[b.i].population - index.entries[a.i].population ||
			index.entries[a.i].nom.localeCompare(index.entries[b.i].nom, 'fr')
	);
	const exact = hits.filter((h) => h.match === 'code' || h.match === 'postcode').length;
	return hits.slice(0, Math.max(max, exact)).map(({ i, match, postcodes }) => {
		const hit: SearchHit = { ...index.entries[i], match };
		if (postcodes) {
			hit.postcodes = postcodes;
			const arrondissement =
				postcodes.length === 1 ? index.postcodes?.arrondissements.get(postcodes[0]) : undefined;
			if (arrondissement) hit.arrondissement = arrondissement;
		}
		return hit;
	});
}

/** Postcodes written out before « et N autres » in a hit's description. */
const POSTCODES_SHOWN = 3;

/**
 * The title of a hit in a result list: its name, followed by the postcode that matched.
 * @example searchHitTitle({ nom: 'Guéret', postcodes: ['23000'], … }) // 'Guéret — 23000'
 */
export function searchHitTitle(hit: SearchHit): string {
	return hit.postcodes && hit.postcodes.length > 0 ? `${hit.nom} — ${hit.postcodes[0]}` : hit.nom;
}

/**
 * Which code of a hit is shown, labelled so that an INSEE code and a postcode of the same digits
 * cannot be confused: « code INSEE 23096 », « code postal 23000 », « codes postaux 75001, 75002,
 * 75003 et 18 autres », « code postal 75011 (Paris 11e Arrondissement) », « SIREN 200093201 »,
 * « code 59 » (département, région).
 */
export function describeSearchCode(hit: SearchHit): string {
	const postcodes = hit.postcodes ?? [];
	const listed =
		postcodes.slice(0, POSTCODES_SHOWN).join(', ') +
		(postcodes.length > POSTCODES_SHOWN ? ` et ${postcodes.length - POSTCODES_SHOWN} autres` : '');
	const arrondissement = hit.arrondissement ? ` (${hit.arrondissement})` : '';
	if (hit.match === 'postcode' || hit.match === 'postcode-start') {
		return `${postcodes.length > 1 ? 'codes postaux' : 'code postal'} ${listed}${arrondissement}`;
	}
	if (hit.level === 'commune') {
		return postcodes.length > 0
			? `code INSEE et code postal ${hit.code}`
			: `code INSEE ${hit.code}`;
	}
	return hit.level === 'epci' ? `SIREN ${hit.code}` : `code ${hit.code}`;
}

/**
 * The French sentence for a full postcode (5 digits) that no commune of the index has, or null
 * (not 5 digits, postcodes not attached, or a commune has it).
 * @example describeUnknownPostcode(index, '99999') // 'Aucune commune n’a le code postal 99999.'
 */
export function describeUnknownPostcode(index: TerritorySearchIndex, query: string): string | null {
	const code = query.trim();
	if (!index.postcodes || !POSTCODE.test(code)) return null;
	const at = lowerBound(index.postcodes.codes, code);
	if (index.postcodes.codes[at] === code) return null;
	if (code === '98000') {
		return 'Le code postal 98000 est celui de Monaco, hors de France : l’Atlas n’en a aucune donnée.';
	}
	const collectivite = OVERSEAS_COLLECTIVITIES.find(([pattern]) => pattern.test(code))?.[1];
	return collectivite
		? `Le code postal ${code} est celui d’une collectivité d’outre-mer (${collectivite}) : l’Atlas couvre la métropole et les cinq départements d’outre-mer, pas les collectivités d’outre-mer, dont les sources nationales de l’Atlas ne donnent ni la population par âge ni les lieux de médiation.`
		: `Aucune commune n’a le code postal ${code}.`;
}

/**
 * Postcodes of the collectivités d'outre-mer (La Poste), outside the Atlas's communes: a search
 * for one says why it finds nothing instead of "unknown".
 */
const OVERSEAS_COLLECTIVITIES: readonly [RegExp, string][] = [
	[/^975/, 'Saint-Pierre-et-Miquelon'],
	[/^97133$/, 'Saint-Barthélemy'],
	[/^97150$/, 'Saint-Martin'],
	[/^984/, 'Terres australes et antarctiques françaises'],
	[/^986/, 'Wallis-et-Futuna'],
	[/^987/, 'Polynésie française'],
	[/^988/, 'Nouvelle-Calédonie']
];

/** Whether a query could be a postcode or its start (2 to 5 digits): worth loading the table for. */
export function looksLikePostcode(query: string): boolean {
	const code = query.trim();
	return POSTCODE.test(code) || POSTCODE_START.test(code);
}
