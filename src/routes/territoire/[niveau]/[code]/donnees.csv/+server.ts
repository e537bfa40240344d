/**
 * GET /territoire/<niveau>/<code>/donnees.csv[?separateur=virgule][&scenario=<id>]
 * The figures of the territory report as CSV (same object as the page, read the same way:
 * `fiche-request.server.ts`). French spreadsheet format by default (`;`, decimal comma, BOM);
 * `separateur=virgule` writes `,` and decimal points. With `scenario=<id>`, the figures of the saved
 * scenario's fiche (its imported places counted), said on the first line and in the sources.
 */
import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { reportCsv, reportCsvFileName } from '$lib/report/report-csv';
import { ficheData, readFicheRequest } from '../../../fiche-request.server';

export const GET: RequestHandler = async ({ params, url, locals }) => {
	const separator = url.searchParams.get('separateur');
	if (separator !== null && separator !== 'virgule' && separator !== 'point-virgule') {
		error(400, {
			message: `Séparateur « ${separator.slice(0, 40)} » inconnu : valeurs acceptées virgule ou point-virgule.`
		});
	}
	const request = await readFicheRequest(params, url);
	const { report, note } = await ficheData(request, url, 'report', locals);
	// The `,` variant is for scripts: no BOM (pandas would read it into the first column's name).
	const comma = separator === 'virgule';
	const csv = reportCsv(report, {
		separator: comma ? ',' : ';',
		bom: !comma,
		saved: note
	});
	return new Response(csv, {
		headers: {
			'content-type': 'text/csv; charset=utf-8; header=present',
			'content-disposition': `attachment; filename="${reportCsvFileName(request.level, request.code, 'csv', note?.id)}"`
		}
	});
};
