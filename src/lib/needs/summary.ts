/**
 * What the first screen says about need before anything is clicked: the national headline
 * (« ≈ 9,1 millions de personnes… », with its band) and the territories of the current view where
 * the most people are estimated to be éloignés du numérique. Both read the estimate worker's output
 * (`RemoteLayerLevel`); nothing here is a constant.
 */
import { formatDecimal, formatPercent } from '../format/number';
import type { RemoteLayerValue } from './aggregate';
import type { RemoteLayerPoint } from './layer';
import { formatHeadCount } from './layer';

/** The headline's parts, in French. */
export interface NationalHeadline {
	/** « ≈ 9,1 millions » */
	count: string;
	/** « entre 8,2 et 10,0 millions » */
	band: string;
	/** « soit 16,4 % des personnes de 15 ans ou plus » (empty when the share is unknown). */
	share: string;
	/** « (hors Mayotte) » when départements are left out of the total (not estimated), else empty. */
	scope: string;
}

/** Millions with one decimal, French style: 9 123 456 → « 9,1 ». */
function millions(persons: number): string {
	return formatDecimal(Math.round(persons / 100_000) / 10, 1);
}

/**
 * The headline of the first screen from the estimate for France. A total under a million (a partial
 * table, e.g. a test fixture) is written in persons rather than as « 0,1 million ».
 * @param france the worker's national total; null (or a null count: « non estimé ») gives null
 * @example describeNationalNeed({ eloignes: 9.1e6, bas: 8.2e6, haut: 1e7, part: 16.4 }).count // '≈ 9,1 millions'
 */
export function describeNationalNeed(
	france:
		| (Pick<RemoteLayerValue, 'eloignes' | 'bas' | 'haut' | 'part'> & { notEstimated?: string[] })
		| null
): NationalHeadline | null {
	if (!france) return null;
	const { eloignes, bas, haut } = france;
	if (eloignes === null || bas === null || haut === null || !Number.isFinite(eloignes)) return null;
	const share = france.part === null ? '' : `soit ${formatPercent(france.part)} des 15 ans et plus`;
	const left = france.notEstimated ?? [];
	const scope = left.length > 0 ? ` (hors ${left.join(', ')})` : '';
	if (eloignes < 1_000_000) {
		return {
			count: formatHeadCount(eloignes).replace(/^environ /, '≈ '),
			band: `entre ${formatHeadCount(bas).replace(/^environ /, '')} et ${formatHeadCount(haut).replace(/^environ /, '')}`,
			share,
			scope
		};
	}
	return {
		count: `≈ ${millions(eloignes)} millions`,
		band: `entre ${millions(bas)} et ${millions(haut)} millions`,
		share,
		scope
	};
}

/** A box in WGS84 degrees: [west, south, east, north]. */
export type LonLatBox = [number, number, number, number];

/**
 * The territories whose centre lies in `box`, most people éloignés du numérique first (ties: by
 * code). Territories without an estimate (null count, « non estimé ») or without a centre are left
 * out: a list of priorities must not rank what was not estimated.
 * @param limit how many to return
 */
export function listViewPriorities(
	points: readonly RemoteLayerPoint[],
	box: LonLatBox | null,
	limit = 5
): RemoteLayerPoint[] {
	const [west, south, east, north] = box ?? [-180, -90, 180, 90];
	return points
		.filter(
			(p) =>
				p.eloignes !== null &&
				Number.isFinite(p.eloignes) &&
				p.lon !== null &&
				p.lat !== null &&
				p.lon >= west &&
				p.lon <= east &&
				p.lat >= south &&
				p.lat <= north
		)
		.sort((a, b) => b.eloignes! - a.eloignes! || a.code.localeCompare(b.code))
		.slice(0, limit);
}
