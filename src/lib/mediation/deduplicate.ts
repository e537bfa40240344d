/**
 * Finding the places that two mediation lists both describe. The Nord–Pas-de-Calais 2023
 * compilation (Les Assembleurs) repeats records of the national CNFS 2022 and France services lists
 * and lists some places twice under different sub-sources (PROVENANCE §8: « dedupe on pivot (SIRET)
 * or on distance (< 50 m) plus name before counting places »).
 *
 * Candidate pairs come from a kd-tree (kdbush + geokdbush great-circle search), never from all pairs.
 * Pairs are accepted strongest first — an explicit identifier link, then the same SIRET nearby, then
 * distance and name — into groups that hold at most one record of each list, at most one record
 * of a national list (two national records are never merged through a compiled one) and at least
 * one compiled record.
 */
import KDBush from 'kdbush';
import { around, distance } from 'geokdbush';
import { comparePlaceNames, SAME_PLACE_NAME_SCORE } from './place-names';

/** One mediation place as seen by the deduplication. */
export interface PlaceRecord {
	/** List the record comes from, e.g. `france-services-2024`, or `lieux-npdc-2023/assembleurs` for a sub-list of a compilation. */
	origin: string;
	/** True for records of a compilation that repeats other lists; only pairs with at least one are compared. */
	compiled: boolean;
	/** Identifier in its own list. */
	nativeId: string;
	/** The record of another list that this one says it copies (`origin` + `nativeId`), if any. */
	copies: { origin: string; nativeId: string } | null;
	/** SIRET (14 digits), null when absent or a placeholder such as `00000000000000`. */
	siret: string | null;
	nom: string;
	/** WGS84 degrees. */
	lon: number;
	lat: number;
}

/** Why two records were judged the same place. */
export type DuplicateRule = 'identifiant' | 'siret' | 'distance-nom';

/** One accepted pair of records (indices into the input), which joined their two groups. */
export interface DuplicateLink {
	rule: DuplicateRule;
	a: number;
	b: number;
	/** Great-circle distance between the two records, metres. */
	distanceM: number;
}

export interface DeduplicationOptions {
	/** Maximum distance for the distance + name rule, metres. PROVENANCE §8: 50 m. */
	maxDistanceM?: number;
	/**
	 * Maximum distance for two records with the same SIRET, metres. A SIRET is a legal
	 * establishment, but lists reuse a structure's SIRET for all its sites (189 CNFS 2022 places
	 * share a SIRET with another place of the same list), so the same SIRET alone is not enough.
	 */
	maxSiretDistanceM?: number;
	/** Minimum `comparePlaceNames` score for the distance + name rule. */
	minNameScore?: number;
}

export interface DeduplicationResult {
	/** Groups of record indices (sorted) describing the same place; records without duplicates are not listed. */
	groups: number[][];
	/** Accepted pairs, in the order they were accepted. */
	links: DuplicateLink[];
}

const RULE_ORDER: Record<DuplicateRule, number> = { identifiant: 0, siret: 1, 'distance-nom': 2 };

/**
 * Group records that describe the same place. Deterministic: the same input gives the same groups.
 * @param records places with WGS84 coordinates
 */
export function findDuplicatePlaces(
	records: readonly PlaceRecord[],
	options: DeduplicationOptions = {}
): DeduplicationResult {
	const maxDistanceM = options.maxDistanceM ?? 50;
	const maxSiretDistanceM = options.maxSiretDistanceM ?? 1000;
	const minNameScore = options.minNameScore ?? SAME_PLACE_NAME_SCORE;

	type Candidate = { rule: DuplicateRule; a: number; b: number; distanceM: number; score: number };
	const candidates: Candidate[] = [];
	const metres = (a: number, b: number) =>
		distance(records[a].lon, records[a].lat, records[b].lon, records[b].lat) * 1000;

	// Explicit links: the compiled record names the record it copies, whatever the distance
	// (a France services bus is recorded where it was parked).
	const byNativeId = new Map<string, number>();
	records.forEach((r, i) => byNativeId.set(`${r.origin}\u0000${r.nativeId}`, i));
	records.forEach((r, a) => {
		if (!r.copies) return;
		const b = byNativeId.get(`${r.copies.origin}\u0000${r.copies.nativeId}`);
		if (b !== undefined && b !== a)
			candidates.push({ rule: 'identifiant', a, b, distanceM: metres(a, b), score: 1 });
	});

	if (records.length > 0) {
		const index = new KDBush(records.length);
		for (const r of records) index.add(r.lon, r.lat);
		index.finish();
		const radiusKm = Math.max(maxDistanceM, maxSiretDistanceM) / 1000;
		records.forEach((r, a) => {
			if (!r.compiled) return;
			for (const b of around(index, r.lon, r.lat, Infinity, radiusKm)) {
				const other = records[b];
				if (b === a || other.origin === r.origin) continue;
				// Each compiled–compiled pair once.
				if (other.compiled && b < a) continue;
				const d = metres(a, b);
				if (r.siret && r.siret === other.siret && d <= maxSiretDistanceM) {
					candidates.push({ rule: 'siret', a, b, distanceM: d, score: 1 });
				} else if (d < maxDistanceM) {
					const score = comparePlaceNames(r.nom, other.nom);
					if (score >= minNameScore)
						candidates.push({ rule: 'distance-nom', a, b, distanceM: d, score });
				}
			}
		});
	}

	candidates.sort(
		(x, y) =>
			RULE_ORDER[x.rule] - RULE_ORDER[y.rule] ||
			y.score - x.score ||
			x.distanceM - y.distanceM ||
			Math.min(x.a, x.b) - Math.min(y.a, y.b) ||
			Math.max(x.a, x.b) - Math.max(y.a, y.b)
	);

	// Union–find with per-group bookkeeping of the lists present.
	const parent = records.map((_, i) => i);
	const find = (i: number): number => {
		while (parent[i] !== i) i = parent[i] = parent[parent[i]];
		return i;
	};
	const origins = records.map((r) => new Set([r.origin]));
	const nationals = records.map((r) => (r.compiled ? 0 : 1));
	const links: DuplicateLink[] = [];
	for (const c of candidates) {
		const ra = find(c.a);
		const rb = find(c.b);
		if (ra === rb) continue;
		if (nationals[ra] + nationals[rb] > 1) continue;
		if ([...origins[rb]].some((o) => origins[ra].has(o))) continue;
		parent[rb] = ra;
		for (const o of origins[rb]) origins[ra].add(o);
		nationals[ra] += nationals[rb];
		links.push({ rule: c.rule, a: c.a, b: c.b, distanceM: c.distanceM });
	}

	const groups = new Map<number, number[]>();
	records.forEach((_, i) => {
		const root = find(i);
		let group = groups.get(root);
		if (!group) groups.set(root, (group = []));
		group.push(i);
	});
	return {
		groups: [...groups.values()].filter((g) => g.length > 1).sort((x, y) => x[0] - y[0]),
		links
	};
}
