import { describe, expect, it } from 'vitest';
import { toCsv, UTF8_BOM, type CsvColumn } from '$lib/export/csv';
import { parseCsv } from '../../geodata/lib/csv';

interface Row {
	code: string;
	nom: string;
	population: number | null;
	part: number | null;
}

const columns: CsvColumn<Row>[] = [
	{ header: 'code', value: (r) => r.code },
	{ header: 'nom', value: (r) => r.nom },
	{ header: 'population', value: (r) => r.population, digits: 0 },
	{ header: 'part', value: (r) => r.part }
];

const rows: Row[] = [
	{ code: '59350', nom: 'Lille', population: 238246, part: 9.8 },
	{ code: '2A004', nom: 'Ajaccio; "cité impériale"', population: null, part: 12.345678 },
	{ code: '01001', nom: 'L’Abergement-Clémenciat', population: 860, part: -0.0000001 }
];

describe('toCsv', () => {
	it('writes a BOM, `;` separators, decimal commas, CRLF and quotes when needed', () => {
		expect(toCsv(rows, columns)).toBe(
			UTF8_BOM +
				'code;nom;population;part\r\n' +
				'59350;Lille;238246;9,8\r\n' +
				'2A004;"Ajaccio; ""cité impériale""";;12,345678\r\n' +
				'01001;L’Abergement-Clémenciat;860;0\r\n'
		);
	});

	it('writes decimal points with the `,` separator, and no BOM on request', () => {
		const text = toCsv(rows.slice(0, 2), columns, { separator: ',', bom: false });
		expect(text.startsWith('code,')).toBe(true);
		expect(text).toContain('59350,Lille,238246,9.8\r\n');
		expect(text).toContain('2A004,"Ajaccio; ""cité impériale""",,12.345678\r\n');
	});

	it('round-trips through the project CSV parser, codes kept as text', () => {
		for (const separator of [';', ','] as const) {
			const table = parseCsv(toCsv(rows, columns, { separator }), 'export.csv', ['code', 'part']);
			expect(table.rows.map((r) => r.values.code)).toEqual(['59350', '2A004', '01001']);
			expect(table.rows[1].values.nom).toBe('Ajaccio; "cité impériale"');
			expect(table.rows[1].values.population).toBe('');
		}
	});

	it('fixes decimals when asked and leaves missing or non-finite values empty', () => {
		const cols: CsvColumn<{ v: number | null | undefined | boolean }>[] = [
			{ header: 'v', value: (r) => r.v, digits: 1 }
		];
		expect(
			toCsv(
				[{ v: 2 }, { v: 2.25 }, { v: null }, { v: undefined }, { v: Infinity }, { v: true }],
				cols,
				{ bom: false }
			)
		).toBe('v\r\n2,0\r\n2,3\r\n\r\n\r\n\r\noui\r\n');
	});
});
