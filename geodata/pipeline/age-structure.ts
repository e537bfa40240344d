/**
 * Optional input: INSEE's communal base "Évolution et structure de la population"
 * (`base-cc-evol-struct-pop-<year>.csv`, https://www.insee.fr/fr/statistiques/ — search the
 * census year). It is not in the embedded snapshot (PROVENANCE "Not found": no public copy under
 * 4 MB); a user who downloads it drops the CSV anywhere in the sources folder and the pipeline fills
 * `CommuneRecord.age` with real age bands instead of leaving it null.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { AgeStructure } from '../../src/lib/territory/commune';
import { parseCsv, readCommuneCode, readNumber } from '../lib/csv';
import { SourceDataError } from '../lib/source-error';

/** File names of INSEE's communal age base, any census year. */
const AGE_FILE_PATTERN = /^base-cc-evol-struct-pop.*\.csv$/i;

/**
 * The INSEE age file in `sourcesDir` or one of its sub-folders, as a path relative to `sourcesDir`
 * (`/`-separated), or null when there is none.
 * @throws SourceDataError (French) when several files match, so the pipeline never picks one silently.
 */
export function findAgeStructureFile(sourcesDir: string): string | null {
	const found: string[] = [];
	const walk = (dir: string) => {
		for (const entry of readdirSync(dir, { withFileTypes: true })) {
			if (entry.isDirectory()) walk(join(dir, entry.name));
			else if (AGE_FILE_PATTERN.test(entry.name)) found.push(join(dir, entry.name));
		}
	};
	walk(sourcesDir);
	const files = found.map((path) => relative(sourcesDir, path).split('\\').join('/')).sort();
	if (files.length > 1) {
		throw new SourceDataError(
			`plusieurs fichiers INSEE de structure par âge trouvés (${files.join(', ')}) : n’en gardez qu’un`,
			{ file: files[0] }
		);
	}
	return files[0] ?? null;
}

/** Census year of a `P<yy>_…` column: `P99` is 1999 (INSEE's last general census), `P21` is 2021. */
function censusYear(column: string): number {
	const yy = Number(column.slice(1, 3));
	return yy >= 60 ? 1900 + yy : 2000 + yy;
}

/**
 * The census year and age-band columns of an INSEE `base-cc-evol-struct-pop` header. INSEE prefixes
 * census columns with `P<yy>_` (`P21_POP6074` for the 2021 census). Recent files split 75+ into
 * `P<yy>_POP7589` and `P<yy>_POP90P`; older ones have `P<yy>_POP75P`.
 * @throws SourceDataError (French) naming the missing column.
 */
function detectAgeColumns(header: readonly string[], file: string) {
	// The base also carries the previous census (`P15_POP` next to `P21_POP`): take the latest one
	// that has age bands.
	const censuses = header
		.filter((h) => /^P\d\d_POP$/.test(h))
		.sort((a, b) => censusYear(b) - censusYear(a));
	const popColumn = censuses.find((c) => header.includes(`${c}1529`)) ?? censuses[0];
	if (!popColumn) {
		throw new SourceDataError('colonne de population « P<aa>_POP » introuvable dans l’en-tête', {
			file,
			line: 1,
			field: 'P<aa>_POP'
		});
	}
	const prefix = popColumn.slice(0, 4); // `P21_`
	const column = (suffix: string) => `${prefix}${suffix}`;
	const required = ['POP1529', 'POP3044', 'POP4559', 'POP6074'].map(column);
	const has75P = header.includes(column('POP75P'));
	if (!has75P) required.push(column('POP7589'), column('POP90P'));
	for (const name of ['CODGEO', ...required]) {
		if (!header.includes(name)) {
			throw new SourceDataError('colonne obligatoire absente de l’en-tête', {
				file,
				line: 1,
				field: name
			});
		}
	}
	return {
		year: censusYear(popColumn),
		pop1529: column('POP1529'),
		pop3044: column('POP3044'),
		pop4559: column('POP4559'),
		pop6074: column('POP6074'),
		pop75: has75P ? [column('POP75P')] : [column('POP7589'), column('POP90P')]
	};
}

/**
 * Parse INSEE's age file text (`;`-separated, one row per commune, `CODGEO` + `P<yy>_POP…` columns)
 * into age bands by commune code, in persons (INSEE's weighted census counts, unrounded). Codes are
 * kept as in the file: joining them to COG 2026 is the commune table's job.
 * @throws SourceDataError (French) naming file, line and column on a non-numeric count, an invalid
 *   or duplicated `CODGEO`, or a missing column.
 */
export function parseAgeStructure(text: string, file: string): Map<string, AgeStructure> {
	const table = parseCsv(text, file);
	const columns = detectAgeColumns(table.header, file);
	const byCode = new Map<string, AgeStructure>();
	const lineOf = new Map<string, number>();
	for (const row of table.rows) {
		const code = readCommuneCode(row, 'CODGEO', file);
		const previous = lineOf.get(code);
		if (previous !== undefined) {
			throw new SourceDataError(`code commune « ${code} » en double (déjà ligne ${previous})`, {
				file,
				line: row.line,
				field: 'CODGEO'
			});
		}
		lineOf.set(code, row.line);
		const count = (column: string) => readNumber(row, column, file);
		byCode.set(code, {
			year: columns.year,
			pop15to44: count(columns.pop1529) + count(columns.pop3044),
			pop45to59: count(columns.pop4559),
			pop60to74: count(columns.pop6074),
			pop75plus: columns.pop75.reduce((sum, column) => sum + count(column), 0)
		});
	}
	return byCode;
}

/**
 * Age bands by commune code from the optional INSEE file found anywhere in `sourcesDir`
 * (`base-cc-evol-struct-pop*.csv`), or null when the user has not added it.
 * @example readAgeStructure('geodata/sources') // null with the embedded snapshot
 */
export function readAgeStructure(sourcesDir: string): Map<string, AgeStructure> | null {
	const file = findAgeStructureFile(sourcesDir);
	if (file === null) return null;
	return parseAgeStructure(readFileSync(join(sourcesDir, file), 'utf8'), file);
}
