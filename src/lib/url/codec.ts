/**
 * The shape every group of dashboard URL parameters follows (the map's, the ranking's, the
 * simulation's…): the names it owns, a parser that never throws, a serializer that leaves the
 * defaults out. `dashboard-params.ts` composes them; each feature keeps its codec next to its
 * domain. Pure: no Svelte, no DOM.
 */
import { quoteParam } from '../territory/territory-filter-params';

/** One feature's parameters in the URL. */
export interface UrlCodec<T> {
	/** The parameter names this codec reads and writes; no other codec may own one of them. */
	readonly keys: readonly string[];
	/**
	 * Read the feature's value. A bad value falls back to its default and pushes one French notice
	 * onto `notices` that names the parameter and says what was expected. Other parameters are
	 * ignored. Never throws.
	 */
	parse(params: URLSearchParams, notices: string[]): T;
	/** The parameters of `value`, in the order the URL shows them; defaults are left out. */
	serialize(value: T): [name: string, value: string][];
}

/** A user value quoted in a French notice: shortened when absurdly long, `(vide)` when empty. */
export function quoteParamValue(value: string): string {
	return value.trim() === '' ? '« (vide) »' : quoteParam(value);
}

/**
 * `(paramètre « niveau »)`: how a notice names the parameter it is about, so the reader can find
 * it in the link.
 */
export function paramName(name: string): string {
	return `paramètre « ${name} »`;
}

/**
 * A query string without its `?`, with commas and colons left readable (`vue=2.5,46.6,5.2`,
 * `poids=eloignes:2`) rather than `%2C`/`%3A`: both are allowed in a query (RFC 3986 §3.4).
 */
export function formatQuery(params: URLSearchParams | [string, string][]): string {
	return new URLSearchParams(params).toString().replaceAll('%2C', ',').replaceAll('%3A', ':');
}

/**
 * Parse with one codec alone (a feature's own tests, or a page that reads only that feature).
 * @example parseWith(thematicUrlCodec, new URLSearchParams('seuil=30')).value.threshold // 30
 */
export function parseWith<T>(
	codec: UrlCodec<T>,
	params: URLSearchParams
): { value: T; notices: string[] } {
	const notices: string[] = [];
	return { value: codec.parse(params, notices), notices };
}
