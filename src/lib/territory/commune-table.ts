import { OPTIONAL_COMMUNE_FIELDS, type CommuneRecord } from './commune';

/**
 * The committed, compact form of the commune table: one array of column names and one array of
 * values per commune, so 34,875 records do not repeat 40 key names each (≈ 3× smaller than objects).
 */
export interface EncodedCommuneTable {
	schema: 1;
	/** ISO date-time of the pipeline run that wrote the table. */
	generated: string;
	columns: (keyof CommuneRecord)[];
	rows: unknown[][];
}

/**
 * Encode records column by column, in the key order of the first record. Optional columns
 * (`OPTIONAL_COMMUNE_FIELDS`) that are null for every record are left out; decoding then leaves
 * those fields null.
 */
export function encodeCommuneTable(
	records: readonly CommuneRecord[],
	generated: string
): EncodedCommuneTable {
	if (records.length === 0) return { schema: 1, generated, columns: [], rows: [] };
	const optional = new Set(OPTIONAL_COMMUNE_FIELDS);
	const columns = (Object.keys(records[0]) as (keyof CommuneRecord)[]).filter(
		(k) => !optional.has(k) || records.some((r) => r[k] !== null && r[k] !== undefined)
	);
	return { schema: 1, generated, columns, rows: records.map((r) => columns.map((k) => r[k])) };
}

/**
 * Decode the committed table back into records.
 * @throws Error (French message) when the payload is not a commune table of schema 1.
 */
export function decodeCommuneTable(payload: unknown): CommuneRecord[] {
	const table = payload as Partial<EncodedCommuneTable> | null;
	if (!table || table.schema !== 1 || !Array.isArray(table.columns) || !Array.isArray(table.rows)) {
		throw new Error('Table des communes illisible : format inattendu (schema 1 attendu).');
	}
	const columns = table.columns;
	const absentOptional = OPTIONAL_COMMUNE_FIELDS.filter((k) => !columns.includes(k));
	return table.rows.map((row, i) => {
		if (!Array.isArray(row) || row.length !== columns.length) {
			throw new Error(
				`Table des communes illisible : la ligne ${i + 1} a ${Array.isArray(row) ? row.length : 0} valeurs pour ${columns.length} colonnes.`
			);
		}
		const record: Record<string, unknown> = {};
		for (let j = 0; j < columns.length; j++) record[columns[j]] = row[j];
		for (const k of absentOptional) record[k] = null;
		return record as unknown as CommuneRecord;
	});
}
