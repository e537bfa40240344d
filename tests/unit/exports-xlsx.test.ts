import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { GET as classement } from '../../src/routes/api/classement/+server';
import { GET as estimations } from '../../src/routes/api/estimations/+server';
import { GET as ficheXlsx } from '../../src/routes/territoire/[niveau]/[code]/donnees.xlsx/+server';
import { RANKING_COLUMNS } from '$lib/export/ranking-export';
import { XLSX_CONTENT_TYPE } from '$lib/export/xlsx';

type Handler = (event: { url: URL; request: Request }) => Promise<Response>;

/** Call a handler as SvelteKit would, with the URL and request it reads. */
async function get(handler: unknown, path: string): Promise<Response> {
	const url = new URL(`http://localhost${path}`);
	return (handler as Handler)({ url, request: new Request(url) });
}

/** Read a downloaded workbook back, as a spreadsheet program would. */
async function readWorkbook(response: Response): Promise<ExcelJS.Workbook> {
	expect(response.status).toBe(200);
	expect(response.headers.get('content-type')).toBe(XLSX_CONTENT_TYPE);
	const workbook = new ExcelJS.Workbook();
	await workbook.xlsx.load(await response.arrayBuffer());
	return workbook;
}

describe('exports XLSX', () => {
	it('estimations des communes de l’Aisne : codes INSEE en texte (02049 reste 02049), nombres en nombres, feuille Sources', async () => {
		const response = await get(
			estimations,
			'/api/estimations?niveau=commune&departement=02&format=xlsx'
		);
		expect(response.headers.get('content-disposition')).toBe(
			'attachment; filename="estimations-commune-departement-02.xlsx"'
		);
		const workbook = await readWorkbook(response);
		const sheet = workbook.getWorksheet('Estimations')!;
		const header = (sheet.getRow(1).values as unknown[]).slice(1);
		expect(header.slice(0, 3)).toEqual(['code', 'nom', 'niveau']);
		const codes: unknown[] = [];
		sheet.eachRow((row, n) => {
			if (n > 1) codes.push(row.getCell(1).value);
		});
		expect(codes.length).toBeGreaterThan(700);
		expect(codes).toContain('02049');
		expect(codes.every((c) => typeof c === 'string' && /^02\d{3}$/.test(c))).toBe(true);
		expect(sheet.getRow(2).getCell(1).numFmt).toBe('@');
		const population = sheet.getRow(2).getCell(header.indexOf('population') + 1).value;
		expect(typeof population).toBe('number');

		const json = (await (
			await get(estimations, '/api/estimations?niveau=commune&departement=02')
		).json()) as { territoires: { code: string; eloignes: number }[] };
		const row = sheet.getRow(2);
		const first = json.territoires.find((t) => t.code === row.getCell(1).value)!;
		expect(row.getCell(header.indexOf('eloignes') + 1).value).toBe(first.eloignes);

		const sources = workbook.getWorksheet('Sources')!;
		const text = JSON.stringify(sources.getSheetValues());
		expect(text).toContain('INSEE');
		expect(text).toContain('Licence');
	});

	it('classement des EPCI de l’Aisne : SIREN en texte, colonnes du CSV, paramètres et sources', async () => {
		const response = await get(
			classement,
			'/api/classement?niveau=epci&departement=02&format=xlsx&poids=rural'
		);
		expect(response.headers.get('link')).toContain('format=metadonnees');
		const workbook = await readWorkbook(response);
		const sheet = workbook.getWorksheet('Classement')!;
		expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(
			RANKING_COLUMNS.map((c) => c.header)
		);
		const code = sheet.getRow(2).getCell(4).value;
		expect(typeof code).toBe('string');
		expect(code).toMatch(/^2\d{8}$/);
		expect(sheet.getRow(2).getCell(1).value).toBe(1); // position, a number
		expect(sheet.getRow(2).getCell(7).value).toMatch(/^\d[\dAB]$/); // département code, text
		const sources = JSON.stringify(workbook.getWorksheet('Sources')!.getSheetValues());
		expect(sources).toContain('/api/classement?niveau=epci&departement=02&poids=rural&format=xlsx');
		expect(sources).toContain('COG');
	});

	it('fiche de la commune 02049 : lignes du CSV, code 02049 en texte, sources de la fiche', async () => {
		const response = await (ficheXlsx as unknown as (e: unknown) => Promise<Response>)({
			params: { niveau: 'commune', code: '02049' },
			url: new URL('http://localhost/territoire/commune/02049/donnees.xlsx')
		});
		expect(response.headers.get('content-disposition')).toBe(
			'attachment; filename="fiche-commune-02049.xlsx"'
		);
		const workbook = await readWorkbook(response);
		const sheet = workbook.getWorksheet('Fiche')!;
		expect((sheet.getRow(1).values as unknown[]).slice(1, 6)).toEqual([
			'rubrique',
			'indicateur',
			'territoire',
			'niveau',
			'code'
		]);
		expect(sheet.getRow(2).getCell(5).value).toBe('02049');
		expect(typeof sheet.getRow(2).getCell(6).value).toBe('number');
		expect(JSON.stringify(workbook.getWorksheet('Sources')!.getSheetValues())).toContain(
			'/territoire/commune/02049'
		);
	});
});
