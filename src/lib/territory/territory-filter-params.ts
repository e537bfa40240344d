/**
 * The pieces every API query shares: the known région and département codes, French quoting of
 * user values, and the `region` / `departement` filter with its French messages. Pure, so the
 * server endpoints and the browser (ranking exports) check parameters the same way.
 */
import type { TerritoryIndex } from './artifacts';

/** Longest value worth reading for a plain parameter: anything longer is reported, not echoed. */
export const MAX_PARAM_LENGTH = 40;

/** Shape of a région code (COG): two digits. */
export const REGION_CODE = /^\d{2}$/;
/** Shape of a département code a filter accepts: two digits, 2A/2B or 97x (existence is checked apart). */
export const DEPARTEMENT_CODE = /^(\d{2}|2[AB]|97\d)$/;

/** The codes a query may filter on. */
export interface KnownCodes {
	regions: ReadonlySet<string>;
	/** Département code → its région code. */
	departements: ReadonlyMap<string, string>;
}

/** The région and département codes of `territoires.json`. */
export function knownCodesOf(index: TerritoryIndex): KnownCodes {
	return {
		regions: new Set(index.regions.map((r) => r.code)),
		departements: new Map(index.departements.map((d) => [d.code, d.reg ?? '']))
	};
}

/** Lower-case, without accents or surrounding spaces: `Équilibré` → `equilibre`. */
export function normaliseParam(value: string): string {
	return value
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.trim()
		.toLowerCase();
}

/** Quote a user value in a French message, shortened when absurdly long. */
export function quoteParam(value: string): string {
	const shown = value.length > MAX_PARAM_LENGTH ? `${value.slice(0, MAX_PARAM_LENGTH)}…` : value;
	return `« ${shown} »`;
}

/** `a, b ou c`. */
export function listFr(items: readonly string[]): string {
	return items.length <= 1
		? items.join('')
		: `${items.slice(0, -1).join(', ')} ou ${items[items.length - 1]}`;
}

/**
 * A reader of single-valued query parameters: the trimmed value, or null when absent; a repeated,
 * empty or over-long parameter is reported to `details` in French (the limit is named when it is not
 * the default one) and read as null.
 */
export function singleParamReader(
	params: URLSearchParams,
	details: string[]
): (name: string, maxLength?: number) => string | null {
	return (name, maxLength = MAX_PARAM_LENGTH) => {
		const values = params.getAll(name);
		if (values.length === 0) return null;
		if (values.length > 1) {
			details.push(
				`paramètre « ${name} » répété ${values.length} fois : une seule valeur est attendue`
			);
			return null;
		}
		const value = values[0].trim();
		if (value === '') {
			details.push(`paramètre « ${name} » vide`);
			return null;
		}
		if (value.length > maxLength) {
			const limit = maxLength === MAX_PARAM_LENGTH ? '' : `, au plus ${maxLength}`;
			details.push(
				`valeur de « ${name} » trop longue (${value.length} caractères${limit}) : ${quoteParam(value)}`
			);
			return null;
		}
		return value;
	};
}

/**
 * Check the raw `region` and `departement` values (already single and trimmed, or null) against
 * the known codes; each problem is pushed to `details` in French, including a département that is
 * not in the given région.
 */
export function readTerritoryFilter(
	rawRegion: string | null,
	rawDepartement: string | null,
	known: KnownCodes,
	details: string[]
): { region: string | null; departement: string | null } {
	let region: string | null = null;
	if (rawRegion !== null) {
		if (!REGION_CODE.test(rawRegion)) {
			details.push(
				`code région ${quoteParam(rawRegion)} invalide : deux chiffres attendus (par exemple 32)`
			);
		} else if (!known.regions.has(rawRegion)) {
			details.push(`région ${quoteParam(rawRegion)} inconnue (codes de région du COG 2026)`);
		} else region = rawRegion;
	}

	let departement: string | null = null;
	if (rawDepartement !== null) {
		const code = rawDepartement.toUpperCase();
		if (!DEPARTEMENT_CODE.test(code)) {
			details.push(
				`code département ${quoteParam(rawDepartement)} invalide : par exemple 59, 2A ou 971`
			);
		} else if (!known.departements.has(code)) {
			details.push(
				`département ${quoteParam(rawDepartement)} inconnu (codes de département du COG 2026)`
			);
		} else departement = code;
	}

	if (region !== null && departement !== null && known.departements.get(departement) !== region) {
		details.push(
			`le département « ${departement} » n’appartient pas à la région « ${region} » (il est dans la région « ${known.departements.get(departement)} »)`
		);
	}
	return { region, departement };
}
