/**
 * Step "table des communes" of the geodata pipeline: one `CommuneRecord` for each of the 34,875
 * communes of the 101 départements (COG 2026), joined from every per-commune source file.
 *
 * Join rules (see geodata/README.md § Règles de jointure):
 * - codes are 5-character strings, Corsica included (`2A004`);
 * - a code of a collectivité d'outre-mer is listed in the report as out of scope;
 * - a former code (commune merged since) is converted to its COG 2026 commune through the
 *   `anciensCodes` lists and the délégué/associé → `chefLieu` links of the COG; counts are summed,
 *   shares recomputed from the summed counts, and a value that cannot be combined (a share without
 *   its denominator, a score) is taken from the commune's own row, or left null and reported;
 * - an arrondissement municipal (Paris, Lyon, Marseille) is never added to a commune that has its
 *   own row: it only stands in for its commune when the source has no row for the commune;
 * - a code unknown to the COG 2026 stops the pipeline for the sources published on COG 2025/2026
 *   (`strict`), and is only reported for older or user-supplied files (`tolerant`).
 */
import type {
	AgeStructure,
	CommuneRecord,
	DensityLevel,
	FrrCode,
	ZrrStatus
} from '../../src/lib/territory/commune';
import { DENSITY_LABELS } from '../../src/lib/territory/commune';
import type { QpvByCommune } from '../../src/lib/territory/artifacts';
import {
	parseCsv,
	readCommuneCode,
	readNumber,
	readOptionalNumber,
	readOptionalPercent,
	type CsvRow
} from '../../src/lib/geodata/csv';
import { SourceDataError } from '../../src/lib/geodata/source-error';
import { checkPosition, describePositionProblem } from '../../src/lib/geodata/coordinates';
import { findAgeStructureFile, readAgeStructure } from './age-structure';
import { readSourceJson, readSourceText, SOURCE_FILES } from './sources-dir';

// ---------------------------------------------------------------------------------------------
// COG 2026 reference

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

// ---------------------------------------------------------------------------------------------
// Report

/** Rows, join coverage and unmatched codes, as stored in `sources.json` (`DataReport`). */
export interface TableReport {
	rows: Record<string, number>;
	coverage: Record<string, { matched: number; total: number }>;
	unmatched: Record<string, string[]>;
}

function addUnmatched(
	report: TableReport,
	file: string,
	reason: string,
	codes: readonly string[]
): void {
	if (codes.length === 0) return;
	const key = `${file} : ${reason}`;
	report.unmatched[key] = [...(report.unmatched[key] ?? []), ...codes];
}

// ---------------------------------------------------------------------------------------------
// Generic join of a CSV keyed by commune code

/** One source row attached to a COG 2026 commune. */
interface Attached<T> {
	/** Code as written in the source. */
	sourceCode: string;
	/** `commune`: the row is the commune itself; `former`: a commune merged into it since; `arrondissement`: a part of it. */
	via: 'commune' | 'former' | 'arrondissement';
	line: number;
	value: T;
}

interface JoinSpec<T> {
	file: string;
	/** Column holding the commune code. */
	codeColumn: string;
	/** Columns that must be in the header. */
	columns: readonly string[];
	/** `strict`: an unknown code stops the pipeline; `tolerant`: it is reported. */
	unknownCodes: 'strict' | 'tolerant';
	/** Column whose value must be unique in the file (default: `codeColumn`). */
	uniqueColumn?: string;
	read: (row: CsvRow) => T;
	/** Whether a row carries data (default: always); an empty own row lets parts stand in. */
	hasValue?: (value: T) => boolean;
}

/**
 * Parse a CSV and attach each row to its COG 2026 commune. COM codes and converted former codes are
 * reported; a duplicated code is an error.
 * @throws SourceDataError (French, file/line/field) on a duplicated code, an invalid code, or an
 *   unknown code in a `strict` source.
 */
function attachRows<T>(
	sourcesDir: string,
	cog: CogReference,
	report: TableReport,
	spec: JoinSpec<T>
): Map<string, Attached<T>[]> {
	const { file, codeColumn } = spec;
	const table = parseCsv(readSourceText(sourcesDir, file), file, [codeColumn, ...spec.columns]);
	report.rows[file] = table.rows.length;
	const uniqueColumn = spec.uniqueColumn ?? codeColumn;
	const seen = new Map<string, number>();
	const byCommune = new Map<string, Attached<T>[]>();
	const outOfScope: string[] = [];
	const converted: string[] = [];
	const unknown: string[] = [];
	for (const row of table.rows) {
		const code = readCommuneCode(row, codeColumn, file);
		const key = uniqueColumn === codeColumn ? code : row.values[uniqueColumn].trim();
		const previous = seen.get(key);
		if (previous !== undefined) {
			throw new SourceDataError(`code « ${key} » en double (déjà ligne ${previous})`, {
				file,
				line: row.line,
				field: uniqueColumn
			});
		}
		seen.set(key, row.line);
		const match = matchCommuneCode(cog, code);
		if (match.kind === 'com') {
			outOfScope.push(code);
			continue;
		}
		if (match.kind === 'unknown' || match.kind === 'ambiguous') {
			const problem =
				match.kind === 'unknown'
					? `code commune « ${code} » inconnu du COG 2026 (ni commune actuelle, ni ancienne commune, ni arrondissement municipal)`
					: `ancien code commune « ${code} » ambigu : rattaché à ${match.candidates.join(' et ')} dans le COG 2026`;
			if (spec.unknownCodes === 'strict') {
				throw new SourceDataError(problem, { file, line: row.line, field: codeColumn });
			}
			unknown.push(code);
			continue;
		}
		if (match.kind === 'former') converted.push(`${code}→${match.code}`);
		const value = spec.read(row);
		const list = byCommune.get(match.code) ?? [];
		list.push({ sourceCode: code, via: match.kind, line: row.line, value });
		byCommune.set(match.code, list);
	}
	const ignoredParts: string[] = [];
	const hasValue = spec.hasValue ?? (() => true);
	for (const [commune, attached] of byCommune) {
		if (!attached.some((a) => a.via === 'commune' && hasValue(a.value))) continue;
		for (const a of attached)
			if (a.via === 'arrondissement') ignoredParts.push(`${a.sourceCode}→${commune}`);
	}
	addUnmatched(report, file, 'collectivités d’outre-mer, hors champ', outOfScope);
	addUnmatched(report, file, 'anciens codes convertis au COG 2026', converted);
	addUnmatched(report, file, 'codes inconnus du COG 2026, ignorés', unknown);
	addUnmatched(
		report,
		file,
		'arrondissements municipaux non ajoutés : la commune a sa propre ligne',
		ignoredParts
	);
	return byCommune;
}

/**
 * The row to use for a value that cannot be summed (a label, a share without its denominator): the
 * commune's own row; else its only former commune or arrondissement. Several parts without a row
 * for the commune cannot be combined: null, and the commune is reported.
 */
function pickSingle<T>(attached: Attached<T>[] | undefined, onConflict: () => void): T | null {
	if (!attached) return null;
	const own = attached.find((a) => a.via === 'commune');
	if (own) return own.value;
	if (attached.length === 1) return attached[0].value;
	onConflict();
	return null;
}

/**
 * Rows whose counts add up to the commune: its own row plus its former communes (distinct
 * territories in an older geography). Arrondissements are parts of the commune's own row, so they
 * only count when the commune has no row of its own.
 */
function summableRows<T>(attached: Attached<T>[] | undefined): Attached<T>[] {
	if (!attached) return [];
	const hasOwn = attached.some((a) => a.via === 'commune');
	return attached.filter((a) => a.via !== 'arrondissement' || !hasOwn);
}

function round(value: number, digits: number): number {
	const factor = 10 ** digits;
	return Math.round(value * factor) / factor;
}

function roundOrNull(value: number | null, digits: number): number | null {
	return value === null ? null : round(value, digits);
}

// ---------------------------------------------------------------------------------------------
// Label readers

const DENSITY_BY_LABEL = new Map<string, DensityLevel>(
	(Object.entries(DENSITY_LABELS) as [string, string][]).map(([level, label]) => [
		label.toLowerCase(),
		Number(level) as DensityLevel
	])
);

/**
 * INSEE density level from its label (or its digit 1–7, as in INSEE's own files).
 * @throws SourceDataError on any other label.
 */
function readDensity(row: CsvRow, column: string, file: string): DensityLevel {
	const raw = (row.values[column] ?? '').trim();
	const level = /^[1-7]$/.test(raw)
		? (Number(raw) as DensityLevel)
		: DENSITY_BY_LABEL.get(raw.toLowerCase());
	if (level === undefined) {
		throw new SourceDataError(
			`niveau de densité inconnu « ${raw} » (attendu : un des 7 niveaux de la grille INSEE, « ${DENSITY_LABELS[1]} » … « ${DENSITY_LABELS[7]} »)`,
			{ file, line: row.line, field: column }
		);
	}
	return level;
}

/**
 * ANCT typology label, or null for the cells that say the commune is not classified: "Hors champ :
 * DOM ou commune urbaine", "Commune dont le périmètre a changé depuis la réalisation de la
 * typologie" (ruralités), "- undefined" (centralités), empty.
 */
function readTypologyLabel(row: CsvRow, column: string): string | null {
	const label = (row.values[column] ?? '').trim();
	if (label === '' || label === '- undefined' || /^hors champ/i.test(label)) return null;
	if (/^commune dont le périmètre a changé/i.test(label)) return null;
	return label;
}

const FRR_CODES: readonly FrrCode[] = [0, 1, 2, 3, 4, 5];
const ZRR_STATUSES: readonly ZrrStatus[] = ['C', 'NC', 'PC'];
/** Most favourable first: a commune nouvelle keeps the best status of its former communes. */
const ZRR_PREFERENCE: Record<ZrrStatus, number> = { C: 0, PC: 1, NC: 2 };

function readInteger(row: CsvRow, column: string, file: string): number {
	const value = readNumber(row, column, file);
	if (!Number.isInteger(value) || value < 0) {
		throw new SourceDataError(`entier positif attendu, lu « ${row.values[column]} »`, {
			file,
			line: row.line,
			field: column
		});
	}
	return value;
}

/** IFN 2023 sub-scores are 0–10 (La MedNum methodology). */
function readScore(row: CsvRow, column: string, file: string): number | null {
	const value = readOptionalNumber(row, column, file);
	if (value !== null && (value < 0 || value > 10)) {
		throw new SourceDataError(`score hors de [0, 10] : ${value}`, {
			file,
			line: row.line,
			field: column
		});
	}
	return value;
}

// ---------------------------------------------------------------------------------------------
// The table

export interface CommuneTableOptions {
	/** COG reference already read by the caller (read from `sourcesDir` when absent). */
	cog?: CogReference;
	/** Codes of the communes that have a polygon in the geometry step's output. */
	communesWithGeometry: ReadonlySet<string>;
	/** QPV 2024 by commune (qpv.ts); `qpvCount` is the length of each list. */
	qpv: QpvByCommune;
	/**
	 * Real age structure by source code; default: read INSEE's optional file from `sourcesDir`
	 * (`null` = no such file, `age` stays null).
	 */
	age?: Map<string, AgeStructure> | null;
}

export interface CommuneTable extends TableReport {
	records: CommuneRecord[];
}

const IFN_COLUMNS = {
	ifnNoThd: 'no_thd_coverage_rate',
	ifnNo4g: 'no_4g_coverage_rate',
	ifnPoverty: 'poverty_rate',
	ifnOlder65: 'older_65_rate',
	ifnNoDiploma: 'nscol15p_rate',
	ifnTotal: 'total'
} as const;
type IfnScores = Record<keyof typeof IFN_COLUMNS, number | null>;

const OFFRE_COLUMNS = {
	nFranceServices2024: 'n_france_services_2024',
	nLieuxCnfs2022: 'n_lieux_cnfs_2022',
	nStructuresCnfs2023: 'n_structures_cnfs_coselec_2023',
	nPostesCnfs2023: 'n_postes_cnfs_valides_2023',
	nStructuresAidantsConnect2024: 'n_structures_aidants_connect_2024',
	nAidantsConnect2024: 'n_aidants_connect_2024'
} as const;
type OffreCounts = Record<keyof typeof OFFRE_COLUMNS, number>;

/**
 * Build the commune table: one record per COG 2026 commune of the 101 départements (34,875 with the
 * embedded sources), every field filled (null = not published / not joined). Numbers are rounded
 * for a compact `communes.json`: shares 0.1 %, scores 0.001, coordinates 1e-4° (≈ 10 m), surfaces
 * 0.01 km², incomes 1 €, age bands 1 person.
 * @throws SourceDataError (French, naming file, line and field) on any malformed source cell,
 *   duplicated code, or unknown code in a COG 2025/2026 source.
 */
export function buildCommuneTable(sourcesDir: string, opts: CommuneTableOptions): CommuneTable {
	const cog = opts.cog ?? readCogReference(sourcesDir);
	const report: TableReport = { rows: {}, coverage: {}, unmatched: {} };
	const total = cog.communes.size;
	const codes = [...cog.communes.keys()];
	const cover = (label: string, has: (code: string) => boolean) => {
		report.coverage[label] = { matched: codes.filter(has).length, total };
	};
	/** Report the COG communes missing from a source that is meant to list them all. */
	const reportMissing = (file: string, has: (code: string) => boolean) =>
		addUnmatched(
			report,
			file,
			'communes du COG 2026 sans ligne',
			codes.filter((c) => !has(c))
		);

	report.rows[SOURCE_FILES.cogCommunes] = cog.entriesRead;
	addUnmatched(report, SOURCE_FILES.cogCommunes, 'collectivités d’outre-mer, listées, hors champ', [
		...cog.com.keys()
	]);

	// EPCI membership (DGCL 2026).
	const epciOf = readEpciMembership(sourcesDir, cog, report);
	cover('EPCI', (c) => epciOf.has(c));
	addUnmatched(
		report,
		SOURCE_FILES.cogEpci,
		'communes sans EPCI (îles mono-communales)',
		codes.filter((c) => !epciOf.has(c))
	);

	cover('géométrie', (c) => opts.communesWithGeometry.has(c));
	addUnmatched(
		report,
		SOURCE_FILES.topology,
		'communes sans polygone',
		codes.filter((c) => !opts.communesWithGeometry.has(c))
	);

	const conflicts = (file: string) => {
		const list: string[] = [];
		return {
			note: (code: string) => () => list.push(code),
			flush: () =>
				addUnmatched(report, file, 'plusieurs lignes non agrégeables, valeur laissée vide', list)
		};
	};

	// Centres and surfaces (geo.api.gouv.fr).
	const centresFile = SOURCE_FILES.centres;
	const centres = attachRows(sourcesDir, cog, report, {
		file: centresFile,
		codeColumn: 'code_insee',
		columns: ['lat', 'lon', 'surface_km2'],
		unknownCodes: 'strict',
		read: (row) => {
			const lat = readOptionalNumber(row, 'lat', centresFile);
			const lon = readOptionalNumber(row, 'lon', centresFile);
			if (lat !== null && lon !== null) {
				const problem = checkPosition([lon, lat]);
				if (problem) {
					throw new SourceDataError(describePositionProblem(problem, [lon, lat]), {
						file: centresFile,
						line: row.line,
						field: 'lon'
					});
				}
			}
			const surface = readOptionalNumber(row, 'surface_km2', centresFile);
			return { lat, lon, surface };
		}
	});
	const centresConflicts = conflicts(centresFile);
	const centreOf = new Map(
		codes.map((c) => [c, pickSingle(centres.get(c), centresConflicts.note(c))])
	);
	centresConflicts.flush();
	cover('centres et surfaces', (c) => centreOf.get(c)?.lat != null);
	reportMissing(centresFile, (c) => centres.has(c));

	// Labels: density grid, ruralités, centralités, montagne, FRR.
	const labelSource = <T>(
		file: string,
		column: string,
		read: (row: CsvRow) => T,
		expectsAll: boolean,
		codeColumn = 'insee_com'
	) => {
		const attached = attachRows(sourcesDir, cog, report, {
			file,
			codeColumn,
			columns: [column],
			unknownCodes: 'strict',
			read
		});
		const conflict = conflicts(file);
		const values = new Map(codes.map((c) => [c, pickSingle(attached.get(c), conflict.note(c))]));
		conflict.flush();
		if (expectsAll) reportMissing(file, (c) => attached.has(c));
		return values;
	};
	const densite = labelSource(
		SOURCE_FILES.densite,
		'niveau_densite',
		(row) => readDensity(row, 'niveau_densite', SOURCE_FILES.densite),
		true
	);
	cover('densité', (c) => densite.get(c) != null);
	const ruralite = labelSource(
		SOURCE_FILES.ruralite,
		'niveau_ruralite',
		(row) => readTypologyLabel(row, 'niveau_ruralite'),
		true
	);
	cover('ruralité (classée)', (c) => ruralite.get(c) != null);
	const centralite = labelSource(
		SOURCE_FILES.centralite,
		'niveau_centralite',
		(row) => readTypologyLabel(row, 'niveau_centralite'),
		true
	);
	cover('centralité (classée)', (c) => centralite.get(c) != null);
	// The ANCT export prefixes the massif with its number ("02 - Massif du Jura"): keep the name only.
	const montagne = labelSource(
		SOURCE_FILES.montagne,
		'niveau_montagne',
		(row) => readTypologyLabel(row, 'niveau_montagne')?.replace(/^\d+\s*-\s*/, '') ?? null,
		false
	);
	cover('montagne (communes en zone de montagne)', (c) => montagne.get(c) != null);
	const frr = labelSource(
		SOURCE_FILES.frr,
		'frr_code',
		(row) => {
			const code = readNumber(row, 'frr_code', SOURCE_FILES.frr);
			if (!FRR_CODES.includes(code as FrrCode)) {
				throw new SourceDataError(`code FRR inconnu « ${row.values.frr_code} » (attendu : 0 à 5)`, {
					file: SOURCE_FILES.frr,
					line: row.line,
					field: 'frr_code'
				});
			}
			return code as FrrCode;
		},
		true,
		'code_insee'
	);
	cover('FRR', (c) => frr.get(c) != null);

	// ZRR 2021, by the COG 2026 column; merged communes keep their most favourable status.
	const zrrFile = SOURCE_FILES.zrr;
	const zrrRows = attachRows(sourcesDir, cog, report, {
		file: zrrFile,
		codeColumn: 'code_commune_cog2026',
		uniqueColumn: 'code_insee_source',
		columns: ['code_insee_source', 'statut_zrr'],
		unknownCodes: 'strict',
		read: (row) => {
			const status = row.values.statut_zrr.trim() as ZrrStatus;
			if (!ZRR_STATUSES.includes(status)) {
				throw new SourceDataError(
					`statut ZRR inconnu « ${row.values.statut_zrr} » (attendu : C, NC ou PC)`,
					{
						file: zrrFile,
						line: row.line,
						field: 'statut_zrr'
					}
				);
			}
			return status;
		}
	});
	const zrrMixed: string[] = [];
	const zrr = new Map<string, ZrrStatus | null>();
	for (const code of codes) {
		const statuses = summableRows(zrrRows.get(code)).map((a) => a.value);
		if (statuses.length === 0) {
			zrr.set(code, null);
			continue;
		}
		if (new Set(statuses).size > 1) zrrMixed.push(code);
		zrr.set(code, statuses.sort((a, b) => ZRR_PREFERENCE[a] - ZRR_PREFERENCE[b])[0]);
	}
	addUnmatched(
		report,
		zrrFile,
		'communes fusionnées aux statuts différents (gardé : le plus favorable, C > PC > NC)',
		zrrMixed
	);
	cover('ZRR', (c) => zrr.get(c) != null);
	reportMissing(zrrFile, (c) => zrrRows.has(c));

	// ARCEP FttH share, about 2025.
	const fibreFile = SOURCE_FILES.fibre;
	const fibreRows = attachRows(sourcesDir, cog, report, {
		file: fibreFile,
		codeColumn: 'code_insee',
		columns: ['fibre_pct_locaux_raccordables_ftth'],
		unknownCodes: 'strict',
		read: (row) => readOptionalPercent(row, 'fibre_pct_locaux_raccordables_ftth', fibreFile)
	});
	const fibreConflicts = conflicts(fibreFile);
	const fibre = new Map(
		codes.map((c) => [c, pickSingle(fibreRows.get(c), fibreConflicts.note(c))])
	);
	fibreConflicts.flush();
	cover('fibre', (c) => fibre.get(c) != null);
	reportMissing(fibreFile, (c) => fibreRows.has(c));

	// ARCEP "Ma connexion internet" 2022 T4: counts summed by COG 2026 commune.
	const mciFile = SOURCE_FILES.mci;
	const mciHeader = parseCsv(readSourceText(sourcesDir, mciFile).split('\n', 1)[0], mciFile).header;
	// The snapshot carries a COG 2026 column; ARCEP's own file only has `code_insee` (converted here).
	const mciCodeColumn = mciHeader.includes('code_commune_cog2026')
		? 'code_commune_cog2026'
		: 'code_insee';
	const mciRows = attachRows(sourcesDir, cog, report, {
		file: mciFile,
		codeColumn: mciCodeColumn,
		uniqueColumn: 'code_insee',
		columns: ['code_insee', 'nbr_locaux', 'elig_thd100'],
		unknownCodes: 'strict',
		read: (row) => {
			const locaux = readInteger(row, 'nbr_locaux', mciFile);
			const thd100 = readInteger(row, 'elig_thd100', mciFile);
			if (thd100 > locaux) {
				throw new SourceDataError(
					`plus de locaux éligibles (${thd100}) que de locaux (${locaux})`,
					{
						file: mciFile,
						line: row.line,
						field: 'elig_thd100'
					}
				);
			}
			return { locaux, thd100 };
		}
	});
	const mci = new Map<string, { locaux: number; thd100: number } | null>();
	const mciMerged: string[] = [];
	for (const code of codes) {
		const parts = summableRows(mciRows.get(code));
		if (parts.length > 1) mciMerged.push(code);
		mci.set(
			code,
			parts.length === 0
				? null
				: {
						locaux: parts.reduce((s, p) => s + p.value.locaux, 0),
						thd100: parts.reduce((s, p) => s + p.value.thd100, 0)
					}
		);
	}
	addUnmatched(report, mciFile, 'communes fusionnées dont les locaux sont additionnés', mciMerged);
	cover('ARCEP locaux 2022', (c) => mci.get(c) != null);
	reportMissing(mciFile, (c) => mciRows.has(c));

	// IFN 2023 (COG 2023, third-party export): tolerant of unknown codes.
	const ifnFile = SOURCE_FILES.ifn;
	const ifnRows = attachRows(sourcesDir, cog, report, {
		file: ifnFile,
		codeColumn: 'code',
		columns: Object.values(IFN_COLUMNS),
		unknownCodes: 'tolerant',
		hasValue: hasAnyScore,
		read: (row) => {
			const scores = {} as IfnScores;
			for (const [key, column] of Object.entries(IFN_COLUMNS) as [keyof IfnScores, string][]) {
				scores[key] = readScore(row, column, ifnFile);
			}
			return scores;
		}
	});
	const ifnUnresolved: string[] = [];
	const ifnFromParts: string[] = [];
	const ifnIgnored: string[] = [];
	const ifn = new Map<string, IfnScores | null>();
	for (const code of codes) {
		const attached = ifnRows.get(code) ?? [];
		const scores = resolveIfnScores(attached, cog);
		const ownScored = attached.some((a) => a.via === 'commune' && hasAnyScore(a.value));
		if (scores === 'unresolved') ifnUnresolved.push(code);
		else if (scores !== null && !ownScored) ifnFromParts.push(code);
		if (ownScored) {
			for (const a of attached) if (a.via !== 'commune') ifnIgnored.push(`${a.sourceCode}→${code}`);
		}
		ifn.set(code, scores === 'unresolved' ? null : scores);
	}
	addUnmatched(
		report,
		ifnFile,
		'anciens codes ignorés : la commune de 2026 a sa propre ligne (un score ne s’additionne pas)',
		ifnIgnored
	);
	addUnmatched(
		report,
		ifnFile,
		'communes sans ligne propre, scores repris de leur ancien code ou de leurs arrondissements (moyenne pondérée par la population)',
		ifnFromParts
	);
	addUnmatched(
		report,
		ifnFile,
		'plusieurs anciennes communes sans population connue, scores laissés vides',
		ifnUnresolved
	);
	cover('IFN', (c) => ifn.get(c)?.ifnTotal != null);
	reportMissing(ifnFile, (c) => ifn.get(c) != null);

	// Filosofi 2021.
	const filosofiFile = SOURCE_FILES.filosofi;
	const filosofiRows = attachRows(sourcesDir, cog, report, {
		file: filosofiFile,
		codeColumn: 'code_insee',
		columns: ['revenu_median_uc_euros', 'taux_pauvrete_60_pct'],
		unknownCodes: 'strict',
		read: (row) => ({
			median: readOptionalNumber(row, 'revenu_median_uc_euros', filosofiFile),
			poverty: readOptionalPercent(row, 'taux_pauvrete_60_pct', filosofiFile)
		})
	});
	const filosofiConflicts = conflicts(filosofiFile);
	const filosofi = new Map(
		codes.map((c) => [c, pickSingle(filosofiRows.get(c), filosofiConflicts.note(c))])
	);
	filosofiConflicts.flush();
	cover('Filosofi revenu médian', (c) => filosofi.get(c)?.median != null);
	cover('Filosofi taux de pauvreté', (c) => filosofi.get(c)?.poverty != null);

	// Mediation offer counts by commune (a commune without a row has no offer: 0).
	const offreFile = SOURCE_FILES.offreMediation;
	const offreRows = attachRows(sourcesDir, cog, report, {
		file: offreFile,
		codeColumn: 'code_insee',
		columns: Object.values(OFFRE_COLUMNS),
		unknownCodes: 'strict',
		read: (row) => {
			const counts = {} as OffreCounts;
			for (const [key, column] of Object.entries(OFFRE_COLUMNS) as [keyof OffreCounts, string][]) {
				counts[key] = readInteger(row, column, offreFile);
			}
			return counts;
		}
	});
	const offre = new Map<string, OffreCounts>();
	for (const code of codes) {
		const counts = Object.fromEntries(Object.keys(OFFRE_COLUMNS).map((k) => [k, 0])) as OffreCounts;
		for (const part of summableRows(offreRows.get(code))) {
			for (const key of Object.keys(counts) as (keyof OffreCounts)[])
				counts[key] += part.value[key];
		}
		offre.set(code, counts);
	}
	cover('offre de médiation (communes avec au moins une offre)', (c) => offreRows.has(c));

	// Nord 60+ share, RP 2021: rows of former communes are aggregated, weighted by population.
	const nordFile = SOURCE_FILES.nord60;
	const nordRows = attachRows(sourcesDir, cog, report, {
		file: nordFile,
		codeColumn: 'code_commune_cog2026',
		uniqueColumn: 'code_insee_rp2021',
		columns: ['code_insee_rp2021', 'population_rp2021', 'part_60_ans_et_plus_pct'],
		unknownCodes: 'strict',
		read: (row) => ({
			population: readInteger(row, 'population_rp2021', nordFile),
			share: readOptionalPercent(row, 'part_60_ans_et_plus_pct', nordFile)
		})
	});
	const nord60 = new Map<string, number | null>();
	const nordMerged: string[] = [];
	for (const code of codes) {
		const parts = summableRows(nordRows.get(code)).filter((p) => p.value.share !== null);
		if (parts.length > 1) nordMerged.push(code);
		const population = parts.reduce((s, p) => s + p.value.population, 0);
		const seniors = parts.reduce(
			(s, p) => s + ((p.value.share as number) * p.value.population) / 100,
			0
		);
		nord60.set(code, population > 0 ? (100 * seniors) / population : null);
	}
	addUnmatched(
		report,
		nordFile,
		'communes fusionnées, part recalculée (pondérée par la population)',
		nordMerged
	);
	cover('Nord 60 ans et plus (RP 2021)', (c) => nord60.get(c) != null);

	// Optional INSEE age structure: counts, so parts add up.
	const ageFile = opts.age === undefined ? findAgeStructureFile(sourcesDir) : null;
	const ageByCode = opts.age === undefined ? readAgeStructure(sourcesDir) : opts.age;
	const age = joinAgeStructure(ageByCode, ageFile ?? 'base-cc-evol-struct-pop', cog, report);
	cover('structure par âge INSEE', (c) => age.get(c) != null);

	// QPV 2024.
	cover('QPV (communes avec au moins un QPV)', (c) => (opts.qpv[c]?.length ?? 0) > 0);

	const records = codes.map((code): CommuneRecord => {
		const base = cog.communes.get(code) as CogCommune;
		const centre = centreOf.get(code) ?? null;
		const lines = mci.get(code) ?? null;
		const scores = ifn.get(code) ?? null;
		const income = filosofi.get(code) ?? null;
		const counts = offre.get(code) as OffreCounts;
		const ageBands = age.get(code) ?? null;
		// Key order = column order of communes.json (CommuneRecord's declaration order).
		return {
			code,
			nom: base.nom,
			dep: base.dep,
			reg: base.reg,
			epci: epciOf.get(code) ?? null,
			zone: base.zone,
			hasGeometry: opts.communesWithGeometry.has(code),
			population: base.population,
			surfaceKm2: roundOrNull(centre?.surface ?? null, 2),
			lon: roundOrNull(centre?.lon ?? null, 4),
			lat: roundOrNull(centre?.lat ?? null, 4),
			densite: densite.get(code) ?? null,
			ruralite: ruralite.get(code) ?? null,
			centralite: centralite.get(code) ?? null,
			montagne: montagne.get(code) ?? null,
			frr: frr.get(code) ?? null,
			zrr: zrr.get(code) ?? null,
			fibreFtthPct: roundOrNull(fibre.get(code) ?? null, 1),
			locaux2022: lines?.locaux ?? null,
			locauxThd100_2022: lines?.thd100 ?? null,
			ifnNoThd: roundOrNull(scores?.ifnNoThd ?? null, 3),
			ifnNo4g: roundOrNull(scores?.ifnNo4g ?? null, 3),
			ifnPoverty: roundOrNull(scores?.ifnPoverty ?? null, 3),
			ifnOlder65: roundOrNull(scores?.ifnOlder65 ?? null, 3),
			ifnNoDiploma: roundOrNull(scores?.ifnNoDiploma ?? null, 3),
			ifnTotal: roundOrNull(scores?.ifnTotal ?? null, 3),
			revenuMedian: roundOrNull(income?.median ?? null, 0),
			tauxPauvrete: roundOrNull(income?.poverty ?? null, 1),
			qpvCount: opts.qpv[code]?.length ?? 0,
			nFranceServices2024: counts.nFranceServices2024,
			nLieuxCnfs2022: counts.nLieuxCnfs2022,
			nStructuresCnfs2023: counts.nStructuresCnfs2023,
			nPostesCnfs2023: counts.nPostesCnfs2023,
			nStructuresAidantsConnect2024: counts.nStructuresAidantsConnect2024,
			nAidantsConnect2024: counts.nAidantsConnect2024,
			part60PlusNord2021: roundOrNull(nord60.get(code) ?? null, 1),
			age: ageBands
		};
	});
	return { records, ...report };
}

/**
 * EPCI (SIREN) of each commune from the DGCL 2026 list (`epci.json`, `membres`).
 * @throws SourceDataError when a member is not a COG 2026 commune or belongs to two EPCI.
 */
function readEpciMembership(
	sourcesDir: string,
	cog: CogReference,
	report: TableReport
): Map<string, string> {
	const file = SOURCE_FILES.cogEpci;
	const list = readSourceJson(sourcesDir, file);
	if (!Array.isArray(list))
		throw new SourceDataError('un tableau JSON d’EPCI est attendu', { file });
	report.rows[file] = list.length;
	const epciOf = new Map<string, string>();
	list.forEach((raw: { code?: unknown; membres?: unknown }, index: number) => {
		const siren = raw?.code;
		if (typeof siren !== 'string' || !/^\d{9}$/.test(siren)) {
			throw new SourceDataError(`SIREN d’EPCI invalide « ${String(siren)} »`, {
				file,
				feature: index,
				field: 'code'
			});
		}
		if (!Array.isArray(raw.membres)) {
			throw new SourceDataError('liste « membres » absente', {
				file,
				feature: index,
				field: 'membres'
			});
		}
		for (const member of raw.membres as { code?: unknown }[]) {
			const code = member?.code;
			if (typeof code !== 'string' || !cog.communes.has(code)) {
				throw new SourceDataError(`commune membre « ${String(code)} » inconnue du COG 2026`, {
					file,
					feature: index,
					field: 'membres'
				});
			}
			const other = epciOf.get(code);
			if (other !== undefined) {
				throw new SourceDataError(
					`commune « ${code} » membre de deux EPCI (${other} et ${siren})`,
					{
						file,
						feature: index,
						field: 'membres'
					}
				);
			}
			epciOf.set(code, siren);
		}
	});
	return epciOf;
}

function hasAnyScore(scores: IfnScores): boolean {
	return Object.values(scores).some((v) => v !== null);
}

/**
 * The IFN scores of a COG 2026 commune. Scores cannot be summed: the commune's own row wins when it
 * has any score; else its single former commune's row; else, for Paris, Lyon and Marseille (whose
 * IFN rows are by arrondissement), the population-weighted mean of the arrondissements, the same
 * weighting the dashboard uses for a score above the commune level. Several former communes of
 * unknown population: 'unresolved'.
 */
function resolveIfnScores(
	attached: Attached<IfnScores>[] | undefined,
	cog: CogReference
): IfnScores | null | 'unresolved' {
	if (!attached) return null;
	const own = attached.find((a) => a.via === 'commune');
	if (own && hasAnyScore(own.value)) return own.value;
	const parts = attached.filter((a) => a.via !== 'commune' && hasAnyScore(a.value));
	if (parts.length === 0) return own ? own.value : null;
	if (parts.length === 1) return parts[0].value;
	const weights = parts.map((p) =>
		p.via === 'arrondissement' ? (cog.arrondissements.get(p.sourceCode)?.population ?? null) : null
	);
	if (weights.some((w) => w === null)) return 'unresolved';
	const scores = {} as IfnScores;
	for (const key of Object.keys(IFN_COLUMNS) as (keyof IfnScores)[]) {
		let num = 0;
		let den = 0;
		parts.forEach((p, i) => {
			const v = p.value[key];
			if (v === null) return;
			num += v * (weights[i] as number);
			den += weights[i] as number;
		});
		scores[key] = den > 0 ? num / den : null;
	}
	return scores;
}

/**
 * Join INSEE's age bands (keyed by the file's codes) to COG 2026 communes: former communes are
 * summed into their 2026 commune; arrondissements only when the commune has no row of its own.
 */
function joinAgeStructure(
	byCode: Map<string, AgeStructure> | null,
	file: string,
	cog: CogReference,
	report: TableReport
): Map<string, AgeStructure> {
	const joined = new Map<string, AgeStructure>();
	if (byCode === null) return joined;
	report.rows[file] = byCode.size;
	const parts = new Map<string, Attached<AgeStructure>[]>();
	const outOfScope: string[] = [];
	const unknown: string[] = [];
	const converted: string[] = [];
	for (const [code, value] of byCode) {
		const match = matchCommuneCode(cog, code);
		if (match.kind === 'com') outOfScope.push(code);
		else if (match.kind === 'unknown' || match.kind === 'ambiguous') unknown.push(code);
		else {
			if (match.kind === 'former') converted.push(`${code}→${match.code}`);
			const list = parts.get(match.code) ?? [];
			list.push({ sourceCode: code, via: match.kind, line: 0, value });
			parts.set(match.code, list);
		}
	}
	addUnmatched(report, file, 'collectivités d’outre-mer, hors champ', outOfScope);
	addUnmatched(report, file, 'anciens codes convertis au COG 2026', converted);
	addUnmatched(report, file, 'codes inconnus du COG 2026, ignorés', unknown);
	const ignoredParts: string[] = [];
	for (const [commune, attached] of parts) {
		if (!attached.some((a) => a.via === 'commune')) continue;
		for (const a of attached)
			if (a.via === 'arrondissement') ignoredParts.push(`${a.sourceCode}→${commune}`);
	}
	addUnmatched(
		report,
		file,
		'arrondissements municipaux non ajoutés : la commune a sa propre ligne',
		ignoredParts
	);
	for (const [code, attached] of parts) {
		const rows = summableRows(attached).map((a) => a.value);
		joined.set(code, {
			year: rows[0].year,
			pop15to44: Math.round(rows.reduce((s, r) => s + r.pop15to44, 0)),
			pop45to59: Math.round(rows.reduce((s, r) => s + r.pop45to59, 0)),
			pop60to74: Math.round(rows.reduce((s, r) => s + r.pop60to74, 0)),
			pop75plus: Math.round(rows.reduce((s, r) => s + r.pop75plus, 0))
		});
	}
	return joined;
}
