/**
 * Validation of the query parameters shared by the data API endpoints (`/api/estimations`, and later
 * `/api/classement`): `niveau`, `region`, `departement`, `format`. Every problem is collected, so a
 * 400 answer lists them all at once, in French, and a bad request never becomes a 500.
 */
import { LEVELS, type Level } from '../territory/commune';
import {
	knownCodesOf,
	listFr,
	normaliseParam,
	quoteParam,
	readTerritoryFilter,
	singleParamReader,
	type KnownCodes
} from '../territory/territory-filter-params';

/**
 * Output formats of the data endpoints: `metadonnees` is the CSV's companion (model, units,
 * sources) without rows.
 */
export const FORMATS = ['json', 'csv', 'xlsx', 'metadonnees'] as const;
export type Format = (typeof FORMATS)[number];

/** A valid territorial query. */
export interface TerritoryQuery {
	niveau: Level;
	/** Région code filter (`32`), or null. */
	region: string | null;
	/** Département code filter (`59`, `2A`, `971`), or null. */
	departement: string | null;
	format: Format;
	/** CSV separator: `;` with decimal comma (default) or `,` with decimal point. */
	separateur: ';' | ',';
}

export type QueryResult<T> =
	| { ok: true; value: T }
	| {
			ok: false;
			/** One French sentence that lists every problem. */
			erreur: string;
			/** One French message per problem. */
			details: string[];
	  };

/** The codes a query may filter on (see territory-filter-params.ts). */
export type KnownTerritories = KnownCodes;

/** The région and département codes of `territoires.json`. */
export const knownTerritoriesOf = knownCodesOf;

export interface QueryOptions {
	/** Levels this endpoint serves (default: all four). */
	levels?: readonly Level[];
	/** Whether `niveau` may be omitted, and its default then (default: required). */
	defaultLevel?: Level;
	/** Other parameter names the endpoint accepts (they are not validated here). */
	extraParameters?: readonly string[];
}

const normalise = normaliseParam;

const SEPARATORS: Record<string, ';' | ','> = {
	';': ';',
	',': ',',
	'point-virgule': ';',
	virgule: ','
};
const quote = quoteParam;

/**
 * Read and check `niveau`, `region`, `departement` and `format` from a URL's query string.
 * Reports unknown parameters, repeated parameters, empty or over-long values, unknown levels,
 * formats and codes, and a département outside the requested région.
 * @example parseTerritoryQuery(new URL('http://x/?niveau=epci&region=32').searchParams, known)
 * // { ok: true, value: { niveau: 'epci', region: '32', departement: null, format: 'json', separateur: ';' } }
 */
export function parseTerritoryQuery(
	params: URLSearchParams,
	known: KnownTerritories,
	options: QueryOptions = {}
): QueryResult<TerritoryQuery> {
	const levels = options.levels ?? LEVELS;
	const accepted = [
		'niveau',
		'region',
		'departement',
		'format',
		'separateur',
		'sep',
		...(options.extraParameters ?? [])
	];
	const details: string[] = [];

	const names = [...new Set(params.keys())];
	for (const name of names) {
		if (!accepted.includes(name)) {
			details.push(
				`paramètre inconnu ${quote(name)} (paramètres acceptés : ${accepted.join(', ')})`
			);
		}
	}

	const single = singleParamReader(params, details);

	let niveau: Level | null = null;
	const rawLevel = single('niveau');
	if (rawLevel !== null) {
		const level = levels.find((l) => l === normalise(rawLevel));
		if (level) niveau = level;
		else details.push(`niveau ${quote(rawLevel)} inconnu : valeurs acceptées ${listFr(levels)}`);
	} else if (!params.has('niveau')) {
		if (options.defaultLevel) niveau = options.defaultLevel;
		else details.push(`paramètre « niveau » obligatoire : ${listFr(levels)}`);
	}

	const { region, departement } = readTerritoryFilter(
		single('region'),
		single('departement'),
		known,
		details
	);

	let format: Format = 'json';
	const rawFormat = single('format');
	if (rawFormat !== null) {
		const f = FORMATS.find((x) => x === normalise(rawFormat));
		if (f) format = f;
		else details.push(`format ${quote(rawFormat)} inconnu : valeurs acceptées ${listFr(FORMATS)}`);
	}

	let separateur: ';' | ',' = ';';
	const rawSeparators = [...params.getAll('separateur'), ...params.getAll('sep')];
	if (rawSeparators.length > 1) {
		details.push(
			`paramètre « separateur » (ou « sep ») donné ${rawSeparators.length} fois : une seule valeur est attendue`
		);
	} else if (rawSeparators.length === 1) {
		const raw = rawSeparators[0];
		const found = SEPARATORS[normalise(raw) || raw];
		if (found) separateur = found;
		else {
			details.push(
				`séparateur ${quote(raw)} inconnu : « ; » (point-virgule, virgule décimale) ou « , » (virgule, point décimal)`
			);
		}
	}

	if (niveau === 'region' && departement !== null) {
		details.push(
			'filtre « departement » impossible avec niveau=region : une région contient des départements, pas l’inverse'
		);
	}

	if (details.length > 0 || niveau === null) {
		return {
			ok: false,
			erreur: `Requête invalide (${details.length} problème${details.length > 1 ? 's' : ''}) : ${details.join(' ; ')}.`,
			details
		};
	}
	return { ok: true, value: { niveau, region, departement, format, separateur } };
}
