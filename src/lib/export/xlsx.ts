/**
 * XLSX writer for downloads, for the people who open exports in Excel: opening a CSV, Excel turns
 * the INSEE code 02049 into the number 2049 whatever the quoting, while an XLSX cell keeps its type.
 * Every text value (codes, SIREN, names) is written as a text cell with the text format `@`, every
 * number as a number with the column's decimals; a "Sources" sheet carries the title, the
 * parameters, the date and the datasets (producer, vintage, licence, address). One writer for every
 * export: it takes the same columns as the CSV writer, so a column added to a CSV reaches the XLSX.
 * Server-side (the library is large for a browser bundle); `exceljs` (MIT) writes the workbook as a
 * stream and downloads nothing.
 */
import ExcelJS from 'exceljs';
import { PassThrough } from 'node:stream';
import type { CsvColumn, CsvValue } from './csv';
import type { DatasetSource } from '../territory/artifacts';

/** MIME type of an XLSX workbook. */
export const XLSX_CONTENT_TYPE =
	'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The provenance written on the "Sources" sheet. */
export interface XlsxProvenance {
	/** Title of the export (first line of the sheet). */
	title: string;
	/** Label / value lines: parameters, request, date, method. */
	lines: readonly (readonly [string, string])[];
	/** Datasets used (from `sources.json`). */
	datasets: readonly DatasetSource[];
}

export interface XlsxTable<T> {
	/** Sheet name, at most 31 characters, none of `[]:*?/\`. */
	sheet: string;
	columns: readonly CsvColumn<T>[];
	rows: readonly T[];
}

/** Excel's number format for a column's decimals (`0`, `0.0`, `0.00`…), or General. */
function numberFormat(digits: number | undefined): string | undefined {
	if (digits === undefined) return undefined;
	return digits === 0 ? '0' : `0.${'0'.repeat(digits)}`;
}

/** A cell value: numbers stay numbers (rounded like the CSV), booleans `oui`/`non`, missing empty. */
function cellValue(value: CsvValue, digits: number | undefined): string | number | null {
	if (value === null || value === undefined) return null;
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) return null;
		return digits === undefined ? value : Number(value.toFixed(digits));
	}
	if (typeof value === 'boolean') return value ? 'oui' : 'non';
	return value;
}

/**
 * Write a table and its "Sources" sheet as an XLSX workbook.
 * @example await writeXlsx({ sheet: 'Estimations', columns, rows }, { title, lines: [], datasets })
 * // Uint8Array of a workbook with sheets « Estimations » and « Sources »
 */
export async function writeXlsx<T>(
	table: XlsxTable<T>,
	provenance: XlsxProvenance
): Promise<Uint8Array<ArrayBuffer>> {
	const stream = new PassThrough();
	const chunks: Buffer[] = [];
	stream.on('data', (chunk: Buffer) => chunks.push(chunk));
	const finished = new Promise<void>((resolve, reject) => {
		stream.on('end', resolve);
		stream.on('error', reject);
	});
	const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
		stream,
		useStyles: true,
		useSharedStrings: false
	});
	workbook.creator = 'Atlas de l’inclusion numérique';

	// A column is text when any of its values is a string: codes keep their leading zeros.
	const textColumn = table.columns.map((c) =>
		table.rows.some((row) => typeof c.value(row) === 'string')
	);
	const sheet = workbook.addWorksheet(table.sheet, {
		views: [{ state: 'frozen', ySplit: 1 }]
	});
	sheet.columns = table.columns.map((c, i) => ({
		header: c.header,
		key: c.header,
		width: Math.min(60, Math.max(10, c.header.length + 2)),
		style: textColumn[i] ? { numFmt: '@' } : { numFmt: numberFormat(c.digits) }
	}));
	sheet.getRow(1).font = { bold: true };
	for (const row of table.rows) {
		sheet
			.addRow(
				table.columns.map((c, i) => {
					const v = cellValue(c.value(row), c.digits);
					return textColumn[i] && typeof v === 'number' ? String(v) : v;
				})
			)
			.commit();
	}
	sheet.commit();

	const sources = workbook.addWorksheet('Sources');
	sources.columns = [
		{ header: '', key: 'a', width: 28 },
		{ header: '', key: 'b', width: 60 },
		{ header: '', key: 'c', width: 14 },
		{ header: '', key: 'd', width: 24 },
		{ header: '', key: 'e', width: 50 },
		{ header: '', key: 'f', width: 60 }
	];
	sources.getRow(1).values = [provenance.title];
	sources.getRow(1).font = { bold: true };
	sources.getRow(1).commit();
	let line = 2;
	for (const [label, value] of provenance.lines) {
		sources.getRow(line++).values = [label, value];
	}
	line++;
	const header = sources.getRow(line++);
	header.values = [
		'Producteur',
		'Jeu de données',
		'Millésime',
		'Licence',
		'Adresse',
		'Attribution'
	];
	header.font = { bold: true };
	for (const d of provenance.datasets) {
		sources.getRow(line++).values = [
			d.producer,
			d.title,
			d.vintage,
			d.licence,
			d.url,
			d.attribution
		];
	}
	sources.commit();
	await workbook.commit();
	await finished;
	return new Uint8Array(Buffer.concat(chunks));
}

/** A table as plain values, to hand to a worker thread (functions do not cross threads). */
export interface XlsxPlainTable {
	sheet: string;
	headers: string[];
	digits: (number | undefined)[];
	rows: CsvValue[][];
}

/** Evaluate every cell of `table` (on the caller's thread) into a structured-clonable table. */
export function plainXlsxTable<T>(table: XlsxTable<T>): XlsxPlainTable {
	return {
		sheet: table.sheet,
		headers: table.columns.map((c) => c.header),
		digits: table.columns.map((c) => c.digits),
		rows: table.rows.map((row) => table.columns.map((c) => c.value(row)))
	};
}

/** `writeXlsx` of a plain table (the worker side of `plainXlsxTable`). */
export function writePlainXlsx(
	table: XlsxPlainTable,
	provenance: XlsxProvenance
): Promise<Uint8Array<ArrayBuffer>> {
	return writeXlsx(
		{
			sheet: table.sheet,
			columns: table.headers.map((header, i) => ({
				header,
				digits: table.digits[i],
				value: (row: CsvValue[]) => row[i]
			})),
			rows: table.rows
		},
		provenance
	);
}
