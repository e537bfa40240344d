/**
 * GET /territoire/<niveau>/<code>/donnees.csv[?separateur=virgule]
 * The figures of the territory report as CSV (same object as the page). French spreadsheet format by
 * default (`;`, decimal comma, BOM); `separateur=virgule` writes `,` and decimal points.
 */
import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { buildTerritoryReport } from '$lib/report/territory-report';
import { reportCsv, reportCsvFileName } from '$lib/report/report-csv';
import { LEVEL_PLURAL, normaliseTerritoryCode, parseReportLevel } from '$lib/report/territory-ref';
import { loadReportContext } from '../../../report-source.server';

export const GET: RequestHandler = async ({ params, url }) => {
	const level = parseReportLevel(params.niveau);
	if (level === null) {
		error(404, { message: `Le niveau « ${params.niveau.slice(0, 40)} » n’existe pas.` });
	}
	const code = normaliseTerritoryCode(params.code);
	const separator = url.searchParams.get('separateur');
	if (separator !== null && separator !== 'virgule' && separator !== 'point-virgule') {
		error(400, {
			message: `Séparateur « ${separator.slice(0, 40)} » inconnu : valeurs acceptées virgule ou point-virgule.`
		});
	}
	const ctx = await loadReportContext();
	const report = buildTerritoryReport(ctx, level, code, { now: new Date() });
	if (report === null) {
		error(404, {
			message: `Aucun territoire ne porte le code « ${code.slice(0, 40)} » parmi les ${LEVEL_PLURAL[level]} du COG 2026.`
		});
	}
	// The `,` variant is for scripts: no BOM (pandas would read it into the first column's name).
	const comma = separator === 'virgule';
	return new Response(reportCsv(report, { separator: comma ? ',' : ';', bom: !comma }), {
		headers: {
			'content-type': 'text/csv; charset=utf-8; header=present',
			'content-disposition': `attachment; filename="${reportCsvFileName(level, code)}"`
		}
	});
};
