import { parentCode, type CommuneRecord, type Level } from './commune';

/**
 * Group communes by the territory of `level` that contains them. Communes without a parent at that
 * level (no EPCI) are left out of the groups.
 */
export function groupCommunesByLevel(
	communes: readonly CommuneRecord[],
	level: Level
): Map<string, CommuneRecord[]> {
	const groups = new Map<string, CommuneRecord[]>();
	for (const c of communes) {
		const code = parentCode(c, level);
		if (code === null) continue;
		const group = groups.get(code);
		if (group) group.push(c);
		else groups.set(code, [c]);
	}
	return groups;
}

/** Sum of a count over communes; null values are skipped. Returns 0 for an empty list. */
export function sumOf<T>(items: readonly T[], value: (item: T) => number | null): number {
	let total = 0;
	for (const item of items) {
		const v = value(item);
		if (v !== null && Number.isFinite(v)) total += v;
	}
	return total;
}

/**
 * Ratio of sums (never a mean of ratios): Σ numerator / Σ denominator over the items where both are
 * known. Returns null when no item has both values or the denominator sums to 0.
 * @example ratioOfSums(communes, c => c.locauxThd100_2022, c => c.locaux2022) // share of premises
 */
export function ratioOfSums<T>(
	items: readonly T[],
	numerator: (item: T) => number | null,
	denominator: (item: T) => number | null
): number | null {
	let num = 0;
	let den = 0;
	let known = 0;
	for (const item of items) {
		const n = numerator(item);
		const d = denominator(item);
		if (n === null || d === null || !Number.isFinite(n) || !Number.isFinite(d)) continue;
		num += n;
		den += d;
		known++;
	}
	return known === 0 || den === 0 ? null : num / den;
}

/**
 * Weighted mean of a share or score: Σ (value × weight) / Σ weight, over items where both are known
 * (e.g. the FttH share weighted by premises, a 0–10 score weighted by population).
 */
export function weightedMean<T>(
	items: readonly T[],
	value: (item: T) => number | null,
	weight: (item: T) => number | null
): number | null {
	return ratioOfSums(
		items,
		(item) => {
			const v = value(item);
			const w = weight(item);
			return v === null || w === null ? null : v * w;
		},
		(item) => (value(item) === null ? null : weight(item))
	);
}
