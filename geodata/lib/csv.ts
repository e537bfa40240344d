import { SourceDataError } from './source-error';

/** One parsed CSV row: values by column name, plus its 1-based line number in the file. */
export interface CsvRow {
	line: number;
	values: Record<string, string>;
}

export interface CsvTable {
	file: string;
	header: string[];
	rows: CsvRow[];
}

/**
 * Parse CSV text (RFC 4180 quoting, `,` or `;` separator detected from the header, UTF-8 BOM
 * removed). Every row must have exactly as many cells as the header, and `requiredColumns` must be
 * present.
 * @throws SourceDataError naming the file, the line and the missing column.
 */
export function parseCsv(
	text: string,
	file: string,
	requiredColumns: readonly string[] = []
): CsvTable {
	if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
	const firstLineEnd = text.indexOf('\n');
	const headerLine = firstLineEnd === -1 ? text : text.slice(0, firstLineEnd);
	const separator = count(headerLine, ';') > count(headerLine, ',') ? ';' : ',';
	const records = splitRecords(text, separator, file);
	if (records.length === 0) throw new SourceDataError('le fichier est vide', { file });
	const header = records[0].cells.map((h) => h.trim());
	for (const column of requiredColumns) {
		if (!header.includes(column)) {
			throw new SourceDataError(`colonne obligatoire absente de l’en-tête`, {
				file,
				line: 1,
				field: column
			});
		}
	}
	const rows: CsvRow[] = [];
	for (let i = 1; i < records.length; i++) {
		const { cells, line } = records[i];
		if (cells.length === 1 && cells[0] === '') continue; // blank line
		if (cells.length !== header.length) {
			const missing = header[cells.length] ?? header[header.length - 1];
			throw new SourceDataError(
				`${cells.length} valeurs pour ${header.length} colonnes (colonne manquante ou en trop)`,
				{ file, line, field: cells.length < header.length ? missing : undefined }
			);
		}
		const values: Record<string, string> = {};
		for (let j = 0; j < header.length; j++) values[header[j]] = cells[j];
		rows.push({ line, values });
	}
	return { file, header, rows };
}

function count(text: string, char: string): number {
	let n = 0;
	for (const c of text) if (c === char) n++;
	return n;
}

function splitRecords(text: string, separator: string, file: string) {
	const records: { cells: string[]; line: number }[] = [];
	let cells: string[] = [];
	let cell = '';
	let inQuotes = false;
	let line = 1;
	let recordLine = 1;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (inQuotes) {
			if (c === '"') {
				if (text[i + 1] === '"') {
					cell += '"';
					i++;
				} else inQuotes = false;
			} else {
				if (c === '\n') line++;
				cell += c;
			}
		} else if (c === '"' && cell === '') {
			inQuotes = true;
		} else if (c === separator) {
			cells.push(cell);
			cell = '';
		} else if (c === '\n' || c === '\r') {
			if (c === '\r' && text[i + 1] === '\n') i++;
			cells.push(cell);
			records.push({ cells, line: recordLine });
			cells = [];
			cell = '';
			line++;
			recordLine = line;
		} else {
			cell += c;
		}
	}
	if (inQuotes)
		throw new SourceDataError('guillemet ouvert jamais fermé', { file, line: recordLine });
	if (cell !== '' || cells.length > 0) {
		cells.push(cell);
		records.push({ cells, line: recordLine });
	}
	return records;
}

/**
 * Read an optional number: empty cell → null. Accepts a French decimal comma. Anything else that is
 * not a finite number is an error naming the file, line and column.
 */
export function readOptionalNumber(row: CsvRow, column: string, file: string): number | null {
	const raw = (row.values[column] ?? '').trim();
	if (raw === '' || raw === 'NA' || raw === 'nd' || raw === 's') return null;
	const value = Number(raw.replace(',', '.').replace(/\s/g, ''));
	if (!Number.isFinite(value)) {
		throw new SourceDataError(`valeur non numérique « ${raw} »`, {
			file,
			line: row.line,
			field: column
		});
	}
	return value;
}

/** Read a required number; an empty cell is an error. */
export function readNumber(row: CsvRow, column: string, file: string): number {
	const value = readOptionalNumber(row, column, file);
	if (value === null) {
		throw new SourceDataError('valeur obligatoire vide', { file, line: row.line, field: column });
	}
	return value;
}

/** Read a share in % that must lie within [0, 100]. */
export function readOptionalPercent(row: CsvRow, column: string, file: string): number | null {
	const value = readOptionalNumber(row, column, file);
	if (value !== null && (value < 0 || value > 100)) {
		throw new SourceDataError(`pourcentage hors de [0, 100] : ${value}`, {
			file,
			line: row.line,
			field: column
		});
	}
	return value;
}

const COMMUNE_CODE = /^(\d{5}|2[AB]\d{3})$/;

/**
 * Normalise an INSEE commune code: trims, restores a lost leading zero (`1001` → `01001`, as
 * spreadsheets do), upper-cases Corsica (`2a004` → `2A004`).
 * @throws SourceDataError when the result is not a valid 5-character code.
 */
export function readCommuneCode(row: CsvRow, column: string, file: string): string {
	let raw = (row.values[column] ?? '').trim().toUpperCase();
	if (/^\d{4}$/.test(raw)) raw = '0' + raw;
	if (!COMMUNE_CODE.test(raw)) {
		throw new SourceDataError(`code commune invalide « ${row.values[column] ?? ''} »`, {
			file,
			line: row.line,
			field: column
		});
	}
	return raw;
}
