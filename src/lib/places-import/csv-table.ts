/**
 * A small RFC 4180 CSV reader: quoted fields (with `""` and line breaks inside), `;` or `,` chosen
 * from the header line, CRLF or LF. Rows keep their physical line number for the report.
 */

export interface CsvTable {
	separator: ';' | ',';
	header: string[];
	/** Data rows, each with the 1-based line where it starts in the file (the header is line 1). */
	rows: { line: number; cells: string[] }[];
}

/** Count `char` outside quotes in the first line of `text`. */
function countOutsideQuotes(line: string, char: string): number {
	let count = 0;
	let quoted = false;
	for (const c of line) {
		if (c === '"') quoted = !quoted;
		else if (c === char && !quoted) count++;
	}
	return count;
}

/** The separator of a CSV: the one of `;` and `,` that splits the header into more columns. */
export function detectSeparator(text: string): ';' | ',' {
	const end = text.indexOf('\n');
	const first = end === -1 ? text : text.slice(0, end);
	return countOutsideQuotes(first, ';') >= countOutsideQuotes(first, ',') &&
		countOutsideQuotes(first, ';') > 0
		? ';'
		: ',';
}

/**
 * Parse CSV text (BOM already removed by the decoder). Blank lines are skipped.
 * @example parseCsv('nom;lat\n"A; B";48,1').rows[0].cells // ['A; B', '48,1']
 */
export function parseCsv(text: string): CsvTable {
	const separator = detectSeparator(text);
	const sepCode = separator.charCodeAt(0);
	const records: { line: number; cells: string[] }[] = [];
	let cells: string[] = [];
	let field = '';
	let line = 1;
	let recordLine = 1;
	let i = 0;
	const n = text.length;
	let fieldStart = true;
	while (i < n) {
		const c = text.charCodeAt(i);
		if (fieldStart && c === 34 /* " */) {
			// Quoted field: read to the closing quote.
			i++;
			let start = i;
			let value = '';
			for (;;) {
				const q = text.indexOf('"', i);
				if (q === -1) {
					value += text.slice(start);
					i = n;
					break;
				}
				if (text.charCodeAt(q + 1) === 34) {
					value += text.slice(start, q + 1);
					i = q + 2;
					start = i;
					continue;
				}
				value += text.slice(start, q);
				i = q + 1;
				break;
			}
			for (let k = 0; k < value.length; k++) if (value.charCodeAt(k) === 10) line++;
			field += value;
			fieldStart = false;
			continue;
		}
		if (c === sepCode) {
			cells.push(field);
			field = '';
			fieldStart = true;
			i++;
		} else if (c === 10 || c === 13) {
			cells.push(field);
			if (!(cells.length === 1 && cells[0] === '')) records.push({ line: recordLine, cells });
			cells = [];
			field = '';
			fieldStart = true;
			if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
			i++;
			line++;
			recordLine = line;
		} else {
			// Unquoted run up to the next separator or line end.
			let j = i;
			while (j < n) {
				const d = text.charCodeAt(j);
				if (d === sepCode || d === 10 || d === 13) break;
				j++;
			}
			field += text.slice(i, j);
			fieldStart = false;
			i = j;
		}
	}
	if (field !== '' || cells.length > 0) {
		cells.push(field);
		if (!(cells.length === 1 && cells[0] === '')) records.push({ line: recordLine, cells });
	}
	const [head, ...rows] = records;
	return { separator, header: (head?.cells ?? []).map((h) => h.trim()), rows };
}
