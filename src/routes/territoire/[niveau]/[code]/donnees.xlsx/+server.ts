/**
 * GET /territoire/<niveau>/<code>/donnees.xlsx
 * The figures of the territory report as an XLSX workbook: the CSV's lines and columns (codes as
 * text, so 02049 stays 02049 in Excel) and a « Sources » sheet with every dataset of the report.
 */
import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { buildTerritoryReport } from '$lib/report/territory-report';
import { REPORT_CSV_COLUMNS, reportCsvFileName, reportCsvLines } from '$lib/report/report-csv';
import { XLSX_CONTENT_TYPE } from '$lib/export/xlsx';
import { xlsxInWorker } from '$lib/server/export-tasks';
import {
	LEVEL_PLURAL,
	normaliseTerritoryCode,
	parseReportLevel,
	territoryReportPath
} from '$lib/report/territory-ref';
import { loadReportContext } from '../../../report-source.server';

export const GET: RequestHandler = async ({ params }) => {
	const level = parseReportLevel(params.niveau);
	if (level === null) {
		error(404, { message: `Le niveau « ${params.niveau.slice(0, 40)} » n’existe pas.` });
	}
	const code = normaliseTerritoryCode(params.code);
	const ctx = await loadReportContext();
	const report = buildTerritoryReport(ctx, level, code, { now: new Date() });
	if (report === null) {
		error(404, {
			message: `Aucun territoire ne porte le code « ${code.slice(0, 40)} » parmi les ${LEVEL_PLURAL[level]} du COG 2026.`
		});
	}
	const workbook = await xlsxInWorker(
		{ sheet: 'Fiche', columns: REPORT_CSV_COLUMNS, rows: reportCsvLines(report) },
		{
			title: `Atlas de l’inclusion numérique : fiche ${report.territory.nom} (${report.territory.code})`,
			lines: [
				['Généré le', report.generatedAt],
				['Données construites le', report.dataGeneratedAt],
				['Fiche', territoryReportPath(level, code)],
				['Méthode', '/sources']
			],
			datasets: report.sources.map((s) => ({ ...s, caveat: s.caveat ?? undefined }))
		}
	);
	if (!workbook.ok) return workbook.response;
	return new Response(workbook.bytes, {
		headers: {
			'content-type': XLSX_CONTENT_TYPE,
			'content-disposition': `attachment; filename="${reportCsvFileName(level, code, 'xlsx')}"`
		}
	});
};
