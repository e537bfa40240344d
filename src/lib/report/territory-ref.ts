/**
 * The address of a territory report (`/territoire/<niveau>/<code>`), how its parts are read from a
 * URL, and the French names of the levels in a sentence.
 */
import { LEVELS, type Level } from '../territory/commune';

/** Singular French name of each level, capitalised (page titles, table cells). */
export const LEVEL_NAMES: Record<Level, string> = {
	commune: 'Commune',
	epci: 'Intercommunalité',
	departement: 'Département',
	region: 'Région'
};

/** The level's noun with its article, inside a sentence: « la commune », « l’intercommunalité »… */
export const LEVEL_WITH_ARTICLE: Record<Level, string> = {
	commune: 'la commune',
	epci: 'l’intercommunalité',
	departement: 'le département',
	region: 'la région'
};

/** Plural noun of each level inside a sentence: « 12 communes », « 8 intercommunalités ». */
export const LEVEL_PLURAL: Record<Level, string> = {
	commune: 'communes',
	epci: 'intercommunalités',
	departement: 'départements',
	region: 'régions'
};

/** The level just below, whose territories a report lists and maps (none below the commune). */
export const SUB_LEVEL: Record<Level, Level | null> = {
	region: 'departement',
	departement: 'epci',
	epci: 'commune',
	commune: null
};

/** Lower-case, without accents or surrounding spaces. */
function normaliseWord(value: string): string {
	return value
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.trim()
		.toLowerCase();
}

/**
 * The level named in a URL segment, also accepting accents and capitals (`Département` →
 * `departement`) so a hand-typed address still works; null when it names no level.
 */
export function parseReportLevel(segment: string): Level | null {
	const word = normaliseWord(segment);
	return (LEVELS as readonly string[]).includes(word) ? (word as Level) : null;
}

/** A territory code as written in the data: upper case (Corsica's `2A004`), no spaces. */
export function normaliseTerritoryCode(code: string): string {
	return code.trim().toUpperCase();
}

/**
 * Path of a territory's report.
 * @example territoryReportPath('epci', '200093201') // '/territoire/epci/200093201'
 */
export function territoryReportPath(level: Level, code: string): `/territoire/${string}` {
	return `/territoire/${level}/${encodeURIComponent(code)}`;
}

/**
 * Path of the report's CSV download (same figures as the page).
 * @example territoryCsvPath('commune', '59350') // '/territoire/commune/59350/donnees.csv'
 */
export function territoryCsvPath(level: Level, code: string): `/territoire/${string}` {
	return `${territoryReportPath(level, code)}/donnees.csv`;
}
