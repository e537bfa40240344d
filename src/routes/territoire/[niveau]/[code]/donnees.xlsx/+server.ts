/**
 * GET /territoire/<niveau>/<code>/donnees.xlsx[?scenario=<id>]
 * The figures of the territory report as an XLSX workbook: the CSV's lines and columns (codes as
 * text, so 02049 stays 02049 in Excel) and a « Sources » sheet with every dataset of the report.
 * Read as the page is (`fiche-request.server.ts`): with `scenario=<id>`, the saved scenario's
 * figures, said in the header lines and in the sources (« données importées »).
 */
import type { RequestHandler } from './$types';
import { REPORT_CSV_COLUMNS, reportCsvFileName, reportCsvLines } from '$lib/report/report-csv';
import { XLSX_CONTENT_TYPE } from '$lib/export/xlsx';
import { xlsxInWorker } from '$lib/server/server-tasks';
import { territoryReportPath } from '$lib/report/territory-ref';
import { ficheData, ficheDownloadSearch, readFicheRequest } from '../../../fiche-request.server';

export const GET: RequestHandler = async ({ params, url, locals }) => {
	const request = await readFicheRequest(params, url);
	const { level, code } = request;
	const { report, note } = await ficheData(request, url, 'report', locals);
	const workbook = await xlsxInWorker(
		{ sheet: 'Fiche', columns: REPORT_CSV_COLUMNS, rows: reportCsvLines(report, { saved: note }) },
		{
			title: `Atlas de l’inclusion numérique : fiche ${report.territory.nom} (${report.territory.code})`,
			lines: [
				['Généré le', report.generatedAt],
				['Données construites le', report.dataGeneratedAt],
				...(note ? [['Scénario', note.text] as const] : []),
				['Fiche', `${territoryReportPath(level, code)}${ficheDownloadSearch(request)}`],
				['Méthode', '/sources']
			],
			datasets: report.sources.map((s) => ({ ...s, caveat: s.caveat ?? undefined }))
		}
	);
	if (!workbook.ok) return workbook.response;
	return new Response(workbook.bytes, {
		headers: {
			'content-type': XLSX_CONTENT_TYPE,
			'content-disposition': `attachment; filename="${reportCsvFileName(level, code, 'xlsx', note?.id)}"`
		}
	});
};
