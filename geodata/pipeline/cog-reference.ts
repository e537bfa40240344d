/**
 * The COG 2026 reference of the geodata pipeline: every commune of the 101 départements with its
 * former codes, arrondissements municipaux and collectivités d'outre-mer, and how a source's code
 * matches a COG 2026 commune.
 */
import { SourceDataError } from '../lib/source-error';
import { readSourceJson, SOURCE_FILES } from './sources-dir';

/** One commune of the 101 départements as listed by the COG 2026. */
export interface CogCommune {
	code: string;
	nom: string;
	dep: string;
	reg: string;
	zone: 'metro' | 'drom';
	/** Population municipale, persons. */
	population: number;
	/** La Poste postcodes serving the commune (5 digits), as the COG file lists them. */
	postcodes: string[];
}

/** The COG 2026 as the pipeline needs it to recognise any commune code found in a source. */
export interface CogReference {
	/** The 34,875 communes of the 101 départements, in the COG's order. */
	communes: Map<string, CogCommune>;
	/** The 94 communes of the collectivités d'outre-mer: listed by the COG, out of the dashboard's scope. */
	com: Map<string, string>;
	/** Arrondissements municipaux of Paris, Lyon and Marseille → their commune, population, name and postcodes. */
	arrondissements: Map<
		string,
		{ parent: string; population: number | null; nom: string; postcodes: string[] }
	>;
	/** Former codes → the COG 2026 commune(s) they belong to today (two for an ambiguous code). */
	formerCodes: Map<string, string[]>;
	/** Entries read from the COG file (all types), for the data report. */
	entriesRead: number;
}

interface RawCogEntry {
	code?: unknown;
	nom?: unknown;
	type?: unknown;
	zone?: unknown;
	departement?: unknown;
	region?: unknown;
	population?: unknown;
	anciensCodes?: unknown;
	chefLieu?: unknown;
	commune?: unknown;
	codesPostaux?: unknown;
}

const CODE_PATTERN = /^(\d{5}|2[AB]\d{3})$/;
/** A French postcode: 5 digits (Corsica's are 20xxx, never 2A/2B). */
const POSTCODE_PATTERN = /^\d{5}$/;

/**
 * Read the COG 2026 commune list (`communes.json.gz` of `@etalab/decoupage-administratif` 6.0.0).
 * @throws SourceDataError (French, entity index and field) on a malformed or duplicated entry.
 */
export function readCogReference(sourcesDir: string): CogReference {
	const file = SOURCE_FILES.cogCommunes;
	const entries = readSourceJson(sourcesDir, file);
	if (!Array.isArray(entries))
		throw new SourceDataError('un tableau JSON de communes est attendu', { file });
	const communes = new Map<string, CogCommune>();
	const com = new Map<string, string>();
	const arrondissements: CogReference['arrondissements'] = new Map();
	// Explicit links (délégué/associé → chef-lieu) win over `anciensCodes`, which only fill the
	// rest: the same priority as src/lib/mediation/commune-codes.ts, so both steps agree.
	const linked = new Map<string, Set<string>>();
	const listed = new Map<string, Set<string>>();
	const addFormer = (into: Map<string, Set<string>>, oldCode: string, current: string) => {
		const set = into.get(oldCode) ?? new Set<string>();
		set.add(current);
		into.set(oldCode, set);
	};
	entries.forEach((raw: RawCogEntry, index: number) => {
		const fail = (problem: string, field: string): never => {
			throw new SourceDataError(problem, { file, feature: index, field });
		};
		const code = typeof raw?.code === 'string' && CODE_PATTERN.test(raw.code) ? raw.code : null;
		if (code === null) return fail(`code commune invalide « ${String(raw?.code)} »`, 'code');
		const text = (field: keyof RawCogEntry): string => {
			const value = raw[field];
			return typeof value === 'string' && value !== '' ? value : fail('texte attendu', field);
		};
		/** `codesPostaux`: absent or a list of 5-digit strings (deduplicated, sorted). */
		const postcodes = (): string[] => {
			const value = raw.codesPostaux;
			if (value === undefined) return [];
			if (!Array.isArray(value)) return fail('liste de codes postaux attendue', 'codesPostaux');
			for (const p of value) {
				if (typeof p !== 'string' || !POSTCODE_PATTERN.test(p))
					fail(`code postal invalide « ${String(p)} » (5 chiffres attendus)`, 'codesPostaux');
			}
			return [...new Set(value as string[])].sort();
		};
		switch (raw.type) {
			case 'commune-actuelle': {
				if (communes.has(code) || com.has(code)) fail(`code commune « ${code} » en double`, 'code');
				if (raw.zone === 'com') {
					com.set(code, text('nom'));
					break;
				}
				if (raw.zone !== 'metro' && raw.zone !== 'drom')
					fail(`zone inconnue « ${String(raw.zone)} »`, 'zone');
				const population = raw.population;
				if (typeof population !== 'number' || !Number.isInteger(population) || population < 0) {
					fail(`population municipale invalide « ${String(population)} »`, 'population');
				}
				communes.set(code, {
					code,
					nom: text('nom'),
					dep: text('departement'),
					reg: text('region'),
					zone: raw.zone as 'metro' | 'drom',
					population: population as number,
					postcodes: postcodes()
				});
				if (Array.isArray(raw.anciensCodes)) {
					for (const old of raw.anciensCodes)
						if (typeof old === 'string') addFormer(listed, old, code);
				}
				break;
			}
			case 'commune-deleguee':
			case 'commune-associee':
				addFormer(linked, code, text('chefLieu'));
				break;
			case 'arrondissement-municipal':
				arrondissements.set(code, {
					parent: text('commune'),
					population: typeof raw.population === 'number' ? raw.population : null,
					nom: text('nom'),
					postcodes: postcodes()
				});
				break;
			default:
				fail(`type d’entité inconnu « ${String(raw.type)} »`, 'type');
		}
	});
	const formerCodes = new Map<string, string[]>();
	for (const [old, currents] of [...listed, ...linked]) {
		// A code still in use designates the current commune, never a former one.
		if (communes.has(old) || com.has(old)) continue;
		const inScope = [...currents].filter((c) => communes.has(c)).sort();
		if (inScope.length > 0) formerCodes.set(old, inScope);
	}
	return { communes, com, arrondissements, formerCodes, entriesRead: entries.length };
}

/** How a code found in a source relates to the COG 2026. */
export type CodeMatch =
	| { kind: 'commune'; code: string }
	| { kind: 'former'; code: string }
	| { kind: 'arrondissement'; code: string }
	| { kind: 'com' }
	| { kind: 'ambiguous'; candidates: string[] }
	| { kind: 'unknown' };

/**
 * Classify a commune code against the COG 2026: a commune of the 101 départements, a former code
 * (converted), an arrondissement municipal (its commune), a COM commune, or unknown.
 */
export function matchCommuneCode(cog: CogReference, code: string): CodeMatch {
	if (cog.communes.has(code)) return { kind: 'commune', code };
	if (cog.com.has(code)) return { kind: 'com' };
	const arrondissement = cog.arrondissements.get(code);
	if (arrondissement) return { kind: 'arrondissement', code: arrondissement.parent };
	const currents = cog.formerCodes.get(code);
	if (currents?.length === 1) return { kind: 'former', code: currents[0] };
	if (currents) return { kind: 'ambiguous', candidates: currents };
	return { kind: 'unknown' };
}
