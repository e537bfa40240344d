/**
 * Step "codes postaux" of the geodata pipeline: the La Poste postcodes of the 34,875 communes of the
 * 101 départements, as listed in the COG file (`codesPostaux` of `@etalab/decoupage-administratif`
 * 6.0.0), turned into `codes-postaux.json` (`PostcodeTable`) for the search.
 *
 * - Only the communes of the commune table: the COM postcodes (975xx, 977xx, 978xx, 98xxx) are out
 *   of scope like their communes.
 * - A postcode serving several communes lists them all, most populated first (then by code), the
 *   order the search shows them in.
 * - Paris, Lyon and Marseille are one commune each in the Atlas: their arrondissements' postcodes
 *   already belong to the commune in the COG file, and the arrondissement's name is kept beside the
 *   postcode so that the search can say which part of the city it stands for.
 * - The postcodes of communes déléguées and associées are all listed on their commune nouvelle in
 *   the COG file (checked on 6.0.0: none missing), so they need no conversion.
 */
import type { PostcodeTable } from '../../src/lib/territory/artifacts';
import type { CogReference } from './cog-reference';

export interface PostcodeStep {
	table: PostcodeTable;
	/** For the data report: pairs (postcode, commune) and distinct postcodes written. */
	rows: Record<string, number>;
	/** Communes with at least one postcode, out of the commune table. */
	coverage: Record<string, { matched: number; total: number }>;
	/** Communes of the table without any postcode in the COG file. */
	unmatched: Record<string, string[]>;
}

/** Report labels, also read by the tests. */
export const POSTCODE_REPORT = {
	pairs: 'codes-postaux.json (couples code postal – commune)',
	distinct: 'codes-postaux.json (codes postaux distincts)',
	coverage: 'codes postaux (La Poste)',
	missing: 'communes du COG 2026 sans code postal'
} as const;

/**
 * Build the postcode table of the communes of `cog` (La Poste postcodes from the COG file).
 * @example buildPostcodeTable(cog).table.communes['23000'][0] // '23096' (Guéret, the most populated)
 */
export function buildPostcodeTable(cog: CogReference): PostcodeStep {
	const byPostcode = new Map<string, string[]>();
	let pairs = 0;
	const missing: string[] = [];
	for (const commune of cog.communes.values()) {
		if (commune.postcodes.length === 0) missing.push(commune.code);
		for (const postcode of commune.postcodes) {
			let list = byPostcode.get(postcode);
			if (!list) byPostcode.set(postcode, (list = []));
			list.push(commune.code);
			pairs++;
		}
	}
	const population = (code: string) => cog.communes.get(code)?.population ?? 0;
	const communes: Record<string, string[]> = {};
	for (const postcode of byPostcode.keys()) {
		communes[postcode] = byPostcode
			.get(postcode)!
			.sort((a, b) => population(b) - population(a) || (a < b ? -1 : a > b ? 1 : 0));
	}
	const arrondissements: Record<string, string> = {};
	for (const arrondissement of cog.arrondissements.values()) {
		for (const postcode of arrondissement.postcodes) {
			// Only where the postcode leads to the arrondissement's own commune, and to it alone.
			const served = communes[postcode];
			if (served?.length === 1 && served[0] === arrondissement.parent) {
				arrondissements[postcode] = arrondissement.nom;
			}
		}
	}
	const total = cog.communes.size;
	return {
		table: { communes, arrondissements },
		rows: {
			[POSTCODE_REPORT.pairs]: pairs,
			[POSTCODE_REPORT.distinct]: byPostcode.size
		},
		coverage: { [POSTCODE_REPORT.coverage]: { matched: total - missing.length, total } },
		unmatched: missing.length > 0 ? { [POSTCODE_REPORT.missing]: missing } : {}
	};
}

/**
 * The table with one postcode per line, in postcode order (small diffs in git; an object's own
 * order would put `12320` before `01000`, integer-like keys first), arrondissement names at the end.
 */
export function serializePostcodeTable(table: PostcodeTable): string {
	const byPostcode = ([a]: [string, unknown], [b]: [string, unknown]) =>
		a < b ? -1 : a > b ? 1 : 0;
	const arrondissements = `{${Object.entries(table.arrondissements)
		.sort(byPostcode)
		.map(([postcode, nom]) => `${JSON.stringify(postcode)}:${JSON.stringify(nom)}`)
		.join(',')}}`;
	const lines = Object.entries(table.communes)
		.sort(byPostcode)
		.map(([postcode, codes]) => `${JSON.stringify(postcode)}:${JSON.stringify(codes)}`);
	return `{"communes":{\n${lines.join(',\n')}\n},\n"arrondissements":${arrondissements}}\n`;
}
