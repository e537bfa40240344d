/**
 * Optional inputs: ARCEP "Mon réseau mobile" files a user may add to the sources folder (any
 * sub-folder, e.g. `connectivity/`). They are not in the embedded snapshot (PROVENANCE "Not found":
 * every copy found was over 4 MB), so by default the 4G measure stays the IFN 2023 score
 * (`ifnNo4g`).
 *
 * - `<yyyy>T<q>_op_communes.csv` (coverage statistics by commune, technology and operator,
 *   `;`-separated: `techno;mcc_mnc;commune;couv_nc;couv_cl;couv_bc;couv_tbc;pop_nc;pop_cl;pop_bc;pop_tbc`,
 *   % of the commune's area and population with no / limited / good / very good coverage) →
 *   `mobile4gGoodPopPctBest`, `mobile4gGoodPopPctWorst`, `mobile4gVintage`.
 * - `<yyyy>_T<q>_sites_Metropole.csv` and/or `<yyyy>_T<q>_sites_Outremer.csv` (one row per operator
 *   and site: `code_op;nom_op;num_site;id_site_partage;…;insee_com;site_2g;site_3g;site_4g;site_5g;
 *   mes_4g_trim;site_ZB;site_DCC;…`) → `mobileSites4g`, `mobileSitesZoneBlanche`,
 *   `mobileSitesCouvertureCiblee`, `mobileSitesVintage`.
 *
 * Layouts: PROVENANCE "Refresh notes learned in this pass", and the import notes of ARCEP's
 * Mon-Reseau-Mobile-v2 back office.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { CommuneRecord } from '../../src/lib/territory/commune';
import type { DatasetSource } from '../../src/lib/territory/artifacts';
import { parseCsv, readCommuneCode, readOptionalPercent, type CsvRow } from '../lib/csv';
import { SourceDataError } from '../lib/source-error';
import { matchCommuneCode, type CogReference } from './cog-reference';
import { describeMobileCoverage, describeMobileSites } from './dataset-sources';

/** `2025T3_op_communes.csv`: ARCEP's per-commune, per-operator coverage statistics. */
const COVERAGE_FILE = /^(\d{4})T([1-4])_op_communes\.csv$/i;
/** `2025_T3_sites_Metropole.csv`, `2025_T3_sites_Outremer.csv`: ARCEP's mobile sites. */
const SITES_FILE = /^(\d{4})_T([1-4])_sites_(Metropole|Outremer)\.csv$/i;

const COVERAGE_COLUMNS = [
	'techno',
	'mcc_mnc',
	'commune',
	'couv_nc',
	'couv_cl',
	'couv_bc',
	'couv_tbc',
	'pop_nc',
	'pop_cl',
	'pop_bc',
	'pop_tbc'
] as const;

const SITES_COLUMNS = [
	'code_op',
	'num_site',
	'insee_com',
	'site_4g',
	'site_ZB',
	'site_DCC'
] as const;

/**
 * Tolerance on `pop_bc + pop_tbc`, % points: ARCEP rounds each share to 0.01, so two shares
 * can add up to slightly more than 100.
 */
const SUM_TOLERANCE = 0.5;

/** The mobile fields of a `CommuneRecord`, all null when the files are absent. */
export type MobileFields = Required<
	Pick<
		CommuneRecord,
		| 'mobile4gGoodPopPctBest'
		| 'mobile4gGoodPopPctWorst'
		| 'mobile4gVintage'
		| 'mobileSites4g'
		| 'mobileSitesZoneBlanche'
		| 'mobileSitesCouvertureCiblee'
		| 'mobileSitesVintage'
	>
>;

const NO_MOBILE_DATA: MobileFields = {
	mobile4gGoodPopPctBest: null,
	mobile4gGoodPopPctWorst: null,
	mobile4gVintage: null,
	mobileSites4g: null,
	mobileSitesZoneBlanche: null,
	mobileSitesCouvertureCiblee: null,
	mobileSitesVintage: null
};

export interface MobileFiles {
	/** The coverage statistics file (path relative to the sources folder) and its quarter. */
	coverage: { file: string; vintage: string } | null;
	/** The sites files (at most one per zone, same quarter) and their quarter. */
	sites: { files: { file: string; zone: 'metro' | 'drom' }[]; vintage: string } | null;
}

/** Every file of `dir` and its sub-folders, as `/`-separated paths relative to `dir`. */
function listFiles(dir: string, root = dir): string[] {
	const files: string[] = [];
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) files.push(...listFiles(path, root));
		else files.push(relative(root, path).split('\\').join('/'));
	}
	return files.sort();
}

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/**
 * Find ARCEP's optional mobile files anywhere in the sources folder.
 * @throws SourceDataError (French) when two coverage files, two sites files of one zone, or sites
 *   files of different quarters are found, so the pipeline never picks one silently.
 */
export function findMobileFiles(sourcesDir: string): MobileFiles {
	const all = listFiles(sourcesDir);
	const coverageFiles = all.filter((f) => COVERAGE_FILE.test(baseName(f)));
	if (coverageFiles.length > 1) {
		throw new SourceDataError(
			`plusieurs fichiers ARCEP de couverture par commune trouvés (${coverageFiles.join(', ')}) : n’en gardez qu’un`,
			{ file: coverageFiles[0] }
		);
	}
	let coverage: MobileFiles['coverage'] = null;
	if (coverageFiles.length === 1) {
		const [, year, quarter] = COVERAGE_FILE.exec(baseName(coverageFiles[0])) as RegExpExecArray;
		coverage = { file: coverageFiles[0], vintage: `${year} T${quarter}` };
	}

	const siteFiles = all
		.map((file) => ({ file, match: SITES_FILE.exec(baseName(file)) }))
		.filter((s): s is { file: string; match: RegExpExecArray } => s.match !== null)
		.map(({ file, match }) => ({
			file,
			vintage: `${match[1]} T${match[2]}`,
			zone: (match[3].toLowerCase() === 'metropole' ? 'metro' : 'drom') as 'metro' | 'drom'
		}));
	let sites: MobileFiles['sites'] = null;
	if (siteFiles.length > 0) {
		const vintages = [...new Set(siteFiles.map((s) => s.vintage))];
		if (vintages.length > 1) {
			throw new SourceDataError(
				`fichiers ARCEP de sites mobiles de trimestres différents (${siteFiles.map((s) => s.file).join(', ')}) : gardez ceux d’un seul trimestre`,
				{ file: siteFiles[0].file }
			);
		}
		for (const zone of ['metro', 'drom'] as const) {
			const ofZone = siteFiles.filter((s) => s.zone === zone);
			if (ofZone.length > 1) {
				throw new SourceDataError(
					`plusieurs fichiers ARCEP de sites mobiles pour la même zone (${ofZone.map((s) => s.file).join(', ')}) : n’en gardez qu’un`,
					{ file: ofZone[0].file }
				);
			}
		}
		sites = { files: siteFiles.map(({ file, zone }) => ({ file, zone })), vintage: vintages[0] };
	}
	return { coverage, sites };
}

// ---------------------------------------------------------------------------------------------
// Coverage statistics

/** Share of population with good or very good 4G (%), by operator (MCC-MNC), for one commune code. */
export type GoodPopByOperator = Map<string, number>;

/**
 * Parse ARCEP's `<yyyy>T<q>_op_communes.csv` text and keep, for technology `4G`, the share of each
 * commune's population in good or very good coverage (`pop_bc + pop_tbc`, %) per operator. Other
 * technologies are skipped without being read. Codes are kept as in the file.
 * @returns commune code (as written) → operator → share (%), and the line of each commune's first row
 * @throws SourceDataError (French, file/line/field) on a missing column, a share that is not a
 *   number in [0, 100], shares adding up to more than 100 %, an invalid MCC-MNC or commune code,
 *   or a (commune, operator) pair listed twice.
 */
export function parseMobileCoverage(
	text: string,
	file: string
): { byCode: Map<string, GoodPopByOperator>; rows: number } {
	const table = parseCsv(text, file, COVERAGE_COLUMNS);
	const byCode = new Map<string, GoodPopByOperator>();
	const lineOf = new Map<string, number>();
	for (const row of table.rows) {
		if (row.values.techno.trim().toUpperCase() !== '4G') continue;
		const operator = row.values.mcc_mnc.trim();
		if (!/^\d{5,6}$/.test(operator)) {
			throw new SourceDataError(
				`code opérateur MCC-MNC invalide « ${row.values.mcc_mnc} » (attendu : 5 ou 6 chiffres, ex. 20801)`,
				{ file, line: row.line, field: 'mcc_mnc' }
			);
		}
		const code = readCommuneCode(row, 'commune', file);
		const pair = `${code} ${operator}`;
		const previous = lineOf.get(pair);
		if (previous !== undefined) {
			throw new SourceDataError(
				`commune « ${code} » en double pour l’opérateur ${operator} en 4G (déjà ligne ${previous})`,
				{ file, line: row.line, field: 'commune' }
			);
		}
		lineOf.set(pair, row.line);
		// Every share is checked, not only the two used, so a shifted column cannot pass unnoticed.
		const shares = Object.fromEntries(
			COVERAGE_COLUMNS.slice(3).map((c) => [c, readOptionalPercent(row, c, file)])
		);
		if (shares.pop_bc === null && shares.pop_tbc === null) continue;
		const good = (shares.pop_bc ?? 0) + (shares.pop_tbc ?? 0);
		if (good > 100 + SUM_TOLERANCE) {
			throw new SourceDataError(
				`pop_bc + pop_tbc = ${round(good, 2)} % : plus de 100 % de la population`,
				{ file, line: row.line, field: 'pop_tbc' }
			);
		}
		const operators = byCode.get(code) ?? new Map<string, number>();
		operators.set(operator, Math.min(100, good));
		byCode.set(code, operators);
	}
	return { byCode, rows: table.rows.length };
}

function round(value: number, digits: number): number {
	const factor = 10 ** digits;
	return Math.round(value * factor) / factor;
}

/** A source code attached to a COG 2026 commune (as in commune-table.ts). */
interface Part<T> {
	sourceCode: string;
	via: 'commune' | 'former' | 'arrondissement';
	value: T;
}

/** Unmatched codes of one optional file, by French reason (keys of `DataReport.unmatched`). */
type Unmatched = Record<string, string[]>;

function note(unmatched: Unmatched, file: string, reason: string, codes: string[]): void {
	if (codes.length > 0) unmatched[`${file} : ${reason}`] = codes;
}

/**
 * Attach source codes to COG 2026 communes: COM codes are out of scope, unknown or ambiguous codes
 * are reported (these files are on ARCEP's geography of the quarter, not COG 2026), former codes
 * are converted and reported.
 */
function attachCodes<T>(
	byCode: Map<string, T>,
	cog: CogReference,
	file: string,
	unmatched: Unmatched
): Map<string, Part<T>[]> {
	const parts = new Map<string, Part<T>[]>();
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
			list.push({ sourceCode: code, via: match.kind, value });
			parts.set(match.code, list);
		}
	}
	note(unmatched, file, 'collectivités d’outre-mer, hors champ', outOfScope);
	note(unmatched, file, 'anciens codes convertis au COG 2026', converted);
	note(unmatched, file, 'codes inconnus du COG 2026, ignorés', unknown);
	return parts;
}

/**
 * Good-4G share per operator for one COG 2026 commune. A share cannot be summed: the commune's
 * own row wins; else its arrondissements (Paris, Lyon, Marseille) are combined operator by
 * operator, weighted by their COG 2026 population (a ratio of sums of covered persons); else a
 * single former commune's row stands in. Several former communes (their populations are not in
 * the COG) cannot be combined: 'unresolved'.
 */
function resolveOperators(
	parts: Part<GoodPopByOperator>[],
	cog: CogReference
): GoodPopByOperator | 'unresolved' {
	const own = parts.find((p) => p.via === 'commune');
	if (own) return own.value;
	if (parts.length === 1) return parts[0].value;
	if (!parts.every((p) => p.via === 'arrondissement')) return 'unresolved';
	const weights = parts.map((p) => cog.arrondissements.get(p.sourceCode)?.population ?? null);
	if (weights.some((w) => w === null)) return 'unresolved';
	const covered = new Map<string, { persons: number; population: number }>();
	parts.forEach((p, i) => {
		for (const [operator, share] of p.value) {
			const sum = covered.get(operator) ?? { persons: 0, population: 0 };
			sum.persons += (share * (weights[i] as number)) / 100;
			sum.population += weights[i] as number;
			covered.set(operator, sum);
		}
	});
	return new Map(
		[...covered].map(([operator, { persons, population }]) => [
			operator,
			population > 0 ? (100 * persons) / population : 0
		])
	);
}

// ---------------------------------------------------------------------------------------------
// Sites

/** Physical sites of one commune code: distinct keys per flag. */
interface SiteCounts {
	sites4g: Set<string>;
	zoneBlanche: Set<string>;
	couvertureCiblee: Set<string>;
}

/** A 0/1 flag of the sites file. */
function readFlag(row: CsvRow, column: string, file: string): boolean {
	const raw = (row.values[column] ?? '').trim();
	if (raw === '1') return true;
	if (raw === '0') return false;
	throw new SourceDataError(`valeur « ${raw} » invalide : 0 ou 1 attendu`, {
		file,
		line: row.line,
		field: column
	});
}

/**
 * Parse one ARCEP sites file and group its sites by commune code (as written). A site shared by
 * several operators (same `id_site_partage`) counts once; without that column or value, each
 * operator's site counts (`code_op` + `num_site`). Rows without `insee_com` (sites at sea or not
 * attached by ARCEP) are counted in `withoutCommune` and ignored.
 * @throws SourceDataError (French, file/line/field) on a missing column, a flag other than 0/1, an
 *   invalid commune code, or an operator site listed twice.
 */
export function parseMobileSites(
	text: string,
	file: string
): { byCode: Map<string, SiteCounts>; rows: number; withoutCommune: number[] } {
	const table = parseCsv(text, file, SITES_COLUMNS);
	const hasShared = table.header.includes('id_site_partage');
	const byCode = new Map<string, SiteCounts>();
	const lineOf = new Map<string, number>();
	const withoutCommune: number[] = [];
	for (const row of table.rows) {
		const operatorSite = `${row.values.code_op.trim()}:${row.values.num_site.trim()}`;
		const previous = lineOf.get(operatorSite);
		if (previous !== undefined) {
			throw new SourceDataError(
				`site « ${row.values.num_site.trim()} » de l’opérateur ${row.values.code_op.trim()} en double (déjà ligne ${previous})`,
				{ file, line: row.line, field: 'num_site' }
			);
		}
		lineOf.set(operatorSite, row.line);
		const flags = {
			sites4g: readFlag(row, 'site_4g', file),
			zoneBlanche: readFlag(row, 'site_ZB', file),
			couvertureCiblee: readFlag(row, 'site_DCC', file)
		};
		if (row.values.insee_com.trim() === '') {
			withoutCommune.push(row.line);
			continue;
		}
		const code = readCommuneCode(row, 'insee_com', file);
		const shared = hasShared ? row.values.id_site_partage.trim() : '';
		const key = shared !== '' ? `partagé:${shared}` : operatorSite;
		const counts = byCode.get(code) ?? {
			sites4g: new Set<string>(),
			zoneBlanche: new Set<string>(),
			couvertureCiblee: new Set<string>()
		};
		for (const flag of Object.keys(flags) as (keyof SiteCounts)[]) {
			if (flags[flag]) counts[flag].add(key);
		}
		byCode.set(code, counts);
	}
	return { byCode, rows: table.rows.length, withoutCommune };
}

// ---------------------------------------------------------------------------------------------
// Step

export interface MobileStep {
	/** The mobile fields of each commune (all null for a commune the files do not cover). */
	fieldsOf: (code: string) => MobileFields;
	rows: Record<string, number>;
	coverage: Record<string, { matched: number; total: number }>;
	unmatched: Record<string, string[]>;
	/** sources.json entries of the files read (none without the optional files). */
	datasets: DatasetSource[];
	/** The files found, for the data report. */
	files: MobileFiles;
}

/**
 * Read ARCEP's optional mobile files when the user added them and compute the mobile fields of
 * every COG 2026 commune:
 * - `mobile4gGoodPopPctBest` / `…Worst`: max / min over operators of `pop_bc + pop_tbc` (4G), %,
 *   rounded to 0.1. The max is a **lower bound** of the share of the population with good 4G from
 *   at least one operator: ARCEP publishes each operator's coverage, not their union, and the
 *   covered people of two operators overlap by an unknown amount;
 * - site counts (physical sites, see `parseMobileSites`), summed over former communes and
 *   arrondissements; 0 for a commune of a zone whose file was read, null otherwise.
 * @throws SourceDataError (French, file/line/field) on a malformed file (see the parsers).
 */
export function buildMobileCoverage(sourcesDir: string, cog: CogReference): MobileStep {
	const files = findMobileFiles(sourcesDir);
	const rows: Record<string, number> = {};
	const coverage: Record<string, { matched: number; total: number }> = {};
	const unmatched: Unmatched = {};
	const datasets: DatasetSource[] = [];
	const codes = [...cog.communes.keys()];
	const fields = new Map<string, MobileFields>();
	const fieldsOf = (code: string) => fields.get(code) ?? NO_MOBILE_DATA;
	const update = (code: string, values: Partial<MobileFields>) =>
		fields.set(code, { ...fieldsOf(code), ...values });

	if (files.coverage) {
		const { file, vintage } = files.coverage;
		const parsed = parseMobileCoverage(readFileSync(join(sourcesDir, file), 'utf8'), file);
		rows[file] = parsed.rows;
		const parts = attachCodes(parsed.byCode, cog, file, unmatched);
		const unresolved: string[] = [];
		const fromParts: string[] = [];
		const ignored: string[] = [];
		for (const [code, attached] of parts) {
			const operators = resolveOperators(attached, cog);
			const hasOwn = attached.some((p) => p.via === 'commune');
			if (hasOwn) {
				for (const p of attached) if (p.via !== 'commune') ignored.push(`${p.sourceCode}→${code}`);
			} else if (attached.length > 1 && operators !== 'unresolved') fromParts.push(code);
			if (operators === 'unresolved') {
				unresolved.push(code);
				continue;
			}
			const shares = [...operators.values()];
			if (shares.length === 0) continue;
			update(code, {
				mobile4gGoodPopPctBest: round(Math.max(...shares), 1),
				mobile4gGoodPopPctWorst: round(Math.min(...shares), 1),
				mobile4gVintage: vintage
			});
		}
		note(
			unmatched,
			file,
			'anciens codes ou arrondissements ignorés : la commune de 2026 a sa propre ligne (une part ne s’additionne pas)',
			ignored
		);
		note(
			unmatched,
			file,
			'communes sans ligne propre, parts reprises de leurs arrondissements (pondérées par la population)',
			fromParts
		);
		note(
			unmatched,
			file,
			'plusieurs anciennes communes sans population connue, parts laissées vides',
			unresolved
		);
		coverage[`couverture 4G ARCEP ${vintage}`] = {
			matched: codes.filter((c) => fieldsOf(c).mobile4gGoodPopPctBest !== null).length,
			total: codes.length
		};
		datasets.push(describeMobileCoverage(vintage, [file]));
	}

	if (files.sites) {
		const { vintage } = files.sites;
		const zones = new Set(files.sites.files.map((f) => f.zone));
		// A commune of a zone whose file was read has 0 sites until one is found.
		for (const code of codes) {
			if (!zones.has(cog.communes.get(code)?.zone as 'metro' | 'drom')) continue;
			update(code, {
				mobileSites4g: 0,
				mobileSitesZoneBlanche: 0,
				mobileSitesCouvertureCiblee: 0,
				mobileSitesVintage: vintage
			});
		}
		for (const { file } of files.sites.files) {
			const parsed = parseMobileSites(readFileSync(join(sourcesDir, file), 'utf8'), file);
			rows[file] = parsed.rows;
			note(
				unmatched,
				file,
				'sites sans code commune, ignorés (numéros de ligne)',
				parsed.withoutCommune.map(String)
			);
			const parts = attachCodes(parsed.byCode, cog, file, unmatched);
			for (const [code, attached] of parts) {
				// Sites are points: each lies in one place, so every part adds up, arrondissements too.
				const union = (flag: keyof SiteCounts) =>
					new Set(attached.flatMap((p) => [...p.value[flag]])).size;
				const current = fieldsOf(code);
				update(code, {
					mobileSites4g: (current.mobileSites4g ?? 0) + union('sites4g'),
					mobileSitesZoneBlanche: (current.mobileSitesZoneBlanche ?? 0) + union('zoneBlanche'),
					mobileSitesCouvertureCiblee:
						(current.mobileSitesCouvertureCiblee ?? 0) + union('couvertureCiblee'),
					mobileSitesVintage: vintage
				});
			}
		}
		coverage[`sites mobiles ARCEP ${vintage} (communes avec au moins un site 4G)`] = {
			matched: codes.filter((c) => (fieldsOf(c).mobileSites4g ?? 0) > 0).length,
			total: codes.length
		};
		datasets.push(
			describeMobileSites(
				vintage,
				files.sites.files.map((f) => f.file)
			)
		);
	}
	return { fieldsOf, rows, coverage, unmatched, datasets, files };
}
