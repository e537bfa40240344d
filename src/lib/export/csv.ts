/**
 * CSV writer for downloads (API exports, rankings). Defaults suit French spreadsheet software:
 * UTF-8 with a byte-order mark (so Excel detects the encoding), `;` as separator and a decimal
 * comma. The `,` variant writes decimal points, for scripts and international tools.
 */

/** `;` + decimal comma (French spreadsheets, default) or `,` + decimal point. */
export type CsvSeparator = ';' | ',';

export type CsvValue = string | number | boolean | null | undefined;

/** One output column: its header and how to read the value from a row. */
export interface CsvColumn<T> {
	header: string;
	value: (row: T) => CsvValue;
	/** Fixed number of decimals for numbers (default: as many as needed, up to 6). */
	digits?: number;
}

export interface CsvOptions {
	separator?: CsvSeparator;
	/** Prepend the UTF-8 byte-order mark (default true). */
	bom?: boolean;
}

/** The UTF-8 byte-order mark. */
export const UTF8_BOM = '\ufeff';

function formatNumber(value: number, separator: CsvSeparator, digits: number | undefined): string {
	if (!Number.isFinite(value)) return '';
	let text = digits === undefined ? String(Number(value.toFixed(6))) : value.toFixed(digits);
	if (text === '-0' || /^-0\.0*$/.test(text)) text = text.slice(1);
	return separator === ';' ? text.replace('.', ',') : text;
}

/** Quote a cell when it holds the separator, a quote, a line break or leading/trailing spaces. */
function escapeCell(text: string, separator: CsvSeparator): string {
	if (text.includes(separator) || /["\r\n]/.test(text) || text !== text.trim()) {
		return `"${text.replaceAll('"', '""')}"`;
	}
	return text;
}

function formatCell(value: CsvValue, separator: CsvSeparator, digits: number | undefined): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'number') return formatNumber(value, separator, digits);
	if (typeof value === 'boolean') return value ? 'oui' : 'non';
	return escapeCell(value, separator);
}

/**
 * Write rows as CSV text (RFC 4180 quoting, CRLF line ends). Missing values (null, undefined,
 * non-finite numbers) are empty cells, never 0. No thousands separator is written.
 * @example toCsv([{ nom: 'Lille', part: 9.8 }], [{ header: 'nom', value: (r) => r.nom }, { header: 'part', value: (r) => r.part, digits: 1 }])
 * // '\ufeffnom;part\r\nLille;9,8\r\n'
 */
export function toCsv<T>(
	rows: readonly T[],
	columns: readonly CsvColumn<T>[],
	options: CsvOptions = {}
): string {
	const separator = options.separator ?? ';';
	const lines = [columns.map((c) => escapeCell(c.header, separator)).join(separator)];
	for (const row of rows) {
		lines.push(columns.map((c) => formatCell(c.value(row), separator, c.digits)).join(separator));
	}
	return `${options.bom === false ? '' : UTF8_BOM}${lines.join('\r\n')}\r\n`;
}
