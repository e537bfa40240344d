/**
 * Bringing commune codes and postal addresses of the mediation lists to COG 2026 communes, with the
 * commune list of `@etalab/decoupage-administratif` 6.0.0 (INSEE/DGCL COG 2026, PROVENANCE §1):
 * former codes (`anciensCodes` of a merged commune), communes déléguées / associées (→ `chefLieu`)
 * and the municipal arrondissements of Paris, Lyon and Marseille (→ `commune`).
 */

/** The fields of one entry of `communes.json` (decoupage-administratif) that are used here. */
export interface DecoupageCommune {
	code: string;
	nom: string;
	type: string;
	/** Commune nouvelle that a commune déléguée or associée belongs to. */
	chefLieu?: string;
	/** Commune that a municipal arrondissement belongs to. */
	commune?: string;
	/** Codes of the communes merged into this one since 1943. */
	anciensCodes?: string[];
	codesPostaux?: string[];
}

/** A commune sharing a postal code, with every name a postal address may use for it. */
export interface PostalCandidate {
	code: string;
	/** Normalised names: the commune's own, its communes déléguées/associées and arrondissements. */
	names: string[];
}

export interface CommuneCodeIndex {
	/** Non-current code (former, délégué, associé, arrondissement) → current commune code. */
	successor: Map<string, string>;
	/** Postal code → communes that use it. */
	byPostalCode: Map<string, PostalCandidate[]>;
	/** Normalised name (own, délégué, associé, arrondissement) → current commune codes. */
	byName: Map<string, string[]>;
}

/**
 * Index the decoupage-administratif commune list for `resolveCommuneCode` and
 * `findCommuneByPostalAddress`. A former code claimed by two current communes (a split) is left
 * out rather than guessed (none in version 6.0.0).
 */
export function indexCommuneCodes(entries: readonly DecoupageCommune[]): CommuneCodeIndex {
	const current = new Set(entries.filter((e) => e.type === 'commune-actuelle').map((e) => e.code));
	const successor = new Map<string, string>();
	const ambiguous = new Set<string>();
	const claim = (code: string, target: string) => {
		if (current.has(code) || ambiguous.has(code)) return;
		const previous = successor.get(code);
		if (previous !== undefined && previous !== target) {
			successor.delete(code);
			ambiguous.add(code);
		} else successor.set(code, target);
	};
	// Arrondissements and délégués first: their link is explicit; anciensCodes only fill the rest.
	for (const e of entries) {
		if (e.type === 'arrondissement-municipal' && e.commune) claim(e.code, e.commune);
		else if ((e.type === 'commune-deleguee' || e.type === 'commune-associee') && e.chefLieu) {
			claim(e.code, e.chefLieu);
		}
	}
	for (const e of entries) {
		if (e.type !== 'commune-actuelle') continue;
		for (const old of e.anciensCodes ?? []) if (!successor.has(old)) claim(old, e.code);
	}

	const aliases = new Map<string, Set<string>>();
	const alias = (code: string, name: string) => {
		let names = aliases.get(code);
		if (!names) aliases.set(code, (names = new Set()));
		names.add(normaliseCommuneName(name));
	};
	for (const e of entries) {
		if (e.type === 'commune-actuelle') alias(e.code, e.nom);
		else if (e.type === 'arrondissement-municipal' && e.commune) alias(e.commune, e.nom);
		else if (e.chefLieu) alias(e.chefLieu, e.nom);
	}
	const byPostalCode = new Map<string, PostalCandidate[]>();
	for (const e of entries) {
		const target =
			e.type === 'commune-actuelle'
				? e.code
				: e.type === 'arrondissement-municipal'
					? e.commune
					: undefined;
		if (!target) continue;
		for (const postal of e.codesPostaux ?? []) {
			let list = byPostalCode.get(postal);
			if (!list) byPostalCode.set(postal, (list = []));
			if (!list.some((c) => c.code === target)) {
				list.push({ code: target, names: [...(aliases.get(target) ?? [])] });
			}
		}
	}
	const byName = new Map<string, string[]>();
	for (const [code, names] of aliases) {
		for (const name of names) {
			const list = byName.get(name);
			if (!list) byName.set(name, [code]);
			else if (!list.includes(code)) list.push(code);
		}
	}
	return { successor, byPostalCode, byName };
}

/**
 * The COG 2026 commune of a code: the code itself when `isCurrent` says so, else its successor
 * (merged commune, chef-lieu of a commune déléguée, parent of an arrondissement), else null.
 * @example resolveCommuneCode('75107', (c) => table.has(c), index) // '75056'
 */
export function resolveCommuneCode(
	code: string,
	isCurrent: (code: string) => boolean,
	index: CommuneCodeIndex
): string | null {
	if (isCurrent(code)) return code;
	const next = index.successor.get(code);
	return next !== undefined && isCurrent(next) ? next : null;
}

/** How `findCommuneByPostalAddress` chose the commune. */
export type PostalMatch = 'unique' | 'name' | 'nearest' | 'name-in-departement';

/**
 * The commune of a postal address `postalCode` + `communeName` (the CNFS 2022 places carry no INSEE
 * code, PROVENANCE §4), in this order: the commune using that postal code whose name (or the name
 * of one of its communes déléguées or arrondissements) matches; else the only commune of that name
 * in the département the postal code starts with (CEDEX and mistyped postal codes); else the only
 * commune using the postal code; else, when the point's coordinates are known, the candidate whose
 * centre is nearest (postal codes cover a few neighbouring communes, so the nearest centre is the
 * likely one, not a certain one).
 * @param centreOf WGS84 centre of a commune (degrees), or null
 * @returns null when nothing matches
 */
export function findCommuneByPostalAddress(
	index: CommuneCodeIndex,
	postalCode: string,
	communeName: string,
	point: readonly [lon: number, lat: number] | null,
	centreOf: (code: string) => readonly [number, number] | null
): { code: string; match: PostalMatch } | null {
	const postal = postalCode.trim();
	const name = normaliseCommuneName(communeName);
	const candidates = index.byPostalCode.get(postal.padStart(5, '0')) ?? [];
	const named = candidates.filter((c) => c.names.includes(name));
	if (named.length === 1) return { code: named[0].code, match: 'name' };
	if (named.length === 0) {
		// CEDEX or mistyped postal codes (`46010 CAHORS CEDEX 9`, `380000 Grenoble`, `59170 Roubaix`):
		// the only commune of that name in the département the postal code starts with.
		const departement = /^97/.test(postal)
			? postal.slice(0, 3)
			: /^20/.test(postal)
				? '2'
				: postal.slice(0, 2);
		const inDepartement = /^(\d{2,3}|2)$/.test(departement)
			? (index.byName.get(name) ?? []).filter((code) =>
					departement === '2' ? /^2[AB]/.test(code) : code.startsWith(departement)
				)
			: [];
		if (inDepartement.length === 1) return { code: inDepartement[0], match: 'name-in-departement' };
	}
	if (candidates.length === 1) return { code: candidates[0].code, match: 'unique' };
	if (candidates.length === 0) return null;
	if (!point) return null;
	let best: { code: string; d: number } | null = null;
	for (const c of named.length > 1 ? named : candidates) {
		const centre = centreOf(c.code);
		if (!centre) continue;
		// Squared equirectangular distance: enough to rank communes a few kilometres apart.
		const dx = (centre[0] - point[0]) * Math.cos((point[1] * Math.PI) / 180);
		const dy = centre[1] - point[1];
		const d = dx * dx + dy * dy;
		if (!best || d < best.d || (d === best.d && c.code < best.code)) best = { code: c.code, d };
	}
	return best ? { code: best.code, match: 'nearest' } : null;
}

/**
 * Commune name reduced for comparison: no accents, lower case, `st`/`ste` spelt out, arrondissement
 * suffixes removed (`MARSEILLE 11` and `Marseille 11e Arrondissement` both give `marseille`), words
 * separated by single spaces.
 * @example normaliseCommuneName("ST-AMAND-LES-EAUX") // 'saint amand les eaux'
 */
export function normaliseCommuneName(name: string): string {
	return name
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/œ/g, 'oe')
		.replace(/æ/g, 'ae')
		.replace(/[^a-z0-9]+/g, ' ')
		.replace(/\b(\d+)(e|er|eme)?\b( arrondissement)?/g, ' ')
		.replace(/\bcedex\b/g, ' ')
		.replace(/\bste\b/g, 'sainte')
		.replace(/\bst\b/g, 'saint')
		.replace(/\s+/g, ' ')
		.trim();
}
