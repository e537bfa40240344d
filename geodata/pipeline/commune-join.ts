/**
 * The generic join of the commune table: a CSV keyed by commune code attached to the COG 2026
 * communes (former codes converted, arrondissements standing in for their commune), the report of
 * what was joined, and the helpers every join step shares.
 */
import { parseCsv, readCommuneCode, readNumber, type CsvRow } from '../lib/csv';
import { SourceDataError } from '../lib/source-error';
import { matchCommuneCode, type CogReference } from './cog-reference';
import { readSourceText } from './sources-dir';

/** Rows, join coverage and unmatched codes, as stored in `sources.json` (`DataReport`). */
export interface TableReport {
	rows: Record<string, number>;
	coverage: Record<string, { matched: number; total: number }>;
	unmatched: Record<string, string[]>;
}

export function addUnmatched(
	report: TableReport,
	file: string,
	reason: string,
	codes: readonly string[]
): void {
	if (codes.length === 0) return;
	const key = `${file} : ${reason}`;
	report.unmatched[key] = [...(report.unmatched[key] ?? []), ...codes];
}

/** One source row attached to a COG 2026 commune. */
export interface Attached<T> {
	/** Code as written in the source. */
	sourceCode: string;
	/** `commune`: the row is the commune itself; `former`: a commune merged into it since; `arrondissement`: a part of it. */
	via: 'commune' | 'former' | 'arrondissement';
	line: number;
	value: T;
}

export interface JoinSpec<T> {
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
export function attachRows<T>(
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
export function pickSingle<T>(
	attached: Attached<T>[] | undefined,
	onConflict: () => void
): T | null {
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
export function summableRows<T>(attached: Attached<T>[] | undefined): Attached<T>[] {
	if (!attached) return [];
	const hasOwn = attached.some((a) => a.via === 'commune');
	return attached.filter((a) => a.via !== 'arrondissement' || !hasOwn);
}

function round(value: number, digits: number): number {
	const factor = 10 ** digits;
	return Math.round(value * factor) / factor;
}

export function roundOrNull(value: number | null, digits: number): number | null {
	return value === null ? null : round(value, digits);
}

export function readInteger(row: CsvRow, column: string, file: string): number {
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

/** What every join step shares: the sources, the COG, the report being filled and its helpers. */
export interface JoinRun {
	sourcesDir: string;
	cog: CogReference;
	report: TableReport;
	/** COG 2026 codes of the communes, in table order. */
	codes: string[];
	/** Record how many communes a source covers. */
	cover: (label: string, has: (code: string) => boolean) => void;
	/** Report the COG communes missing from a source that is meant to list them all. */
	reportMissing: (file: string, has: (code: string) => boolean) => void;
	/** Collect the communes whose several rows cannot be combined, then report them. */
	conflicts: (file: string) => { note: (code: string) => () => void; flush: () => void };
}

/** Start a join over the communes of `cog`, with an empty report. */
export function startJoinRun(sourcesDir: string, cog: CogReference): JoinRun {
	const report: TableReport = { rows: {}, coverage: {}, unmatched: {} };
	const total = cog.communes.size;
	const codes = [...cog.communes.keys()];
	return {
		sourcesDir,
		cog,
		report,
		codes,
		cover: (label, has) => {
			report.coverage[label] = { matched: codes.filter(has).length, total };
		},
		reportMissing: (file, has) =>
			addUnmatched(
				report,
				file,
				'communes du COG 2026 sans ligne',
				codes.filter((c) => !has(c))
			),
		conflicts: (file) => {
			const list: string[] = [];
			return {
				note: (code) => () => list.push(code),
				flush: () =>
					addUnmatched(report, file, 'plusieurs lignes non agrégeables, valeur laissée vide', list)
			};
		}
	};
}

/** The single row of every commune (`pickSingle`), the communes with several reported. */
export function pickSingleByCommune<T>(
	run: JoinRun,
	file: string,
	attached: Map<string, Attached<T>[]>
): Map<string, T | null> {
	const conflict = run.conflicts(file);
	const values = new Map(run.codes.map((c) => [c, pickSingle(attached.get(c), conflict.note(c))]));
	conflict.flush();
	return values;
}
