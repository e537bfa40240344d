/**
 * What a fiche territoire request asks for, read once for the page and its downloads
 * (`/territoire/<niveau>/<code>[/donnees.csv|/donnees.xlsx][?scenario=<id>]`): the level, the
 * code, the report context (the saved scenario's, its imported places counted, or the national
 * one) and the report. One path, so the CSV and XLSX carry the figures the page prints, and the
 * same French 404/503 answers.
 */
import { SCENARIOS_UNAVAILABLE } from '$lib/server/scenarios/scenarios-service';
import { error } from '@sveltejs/kit';
import { buildTerritoryReport, findTerritoryName } from '$lib/report/territory-report';
import type { TerritoryReport } from '$lib/report/territory-report';
import type { ReportContext } from '$lib/report/report-context';
import { LEVEL_PLURAL, normaliseTerritoryCode, parseReportLevel } from '$lib/report/territory-ref';
import type { Level } from '$lib/territory/commune';
import {
	loadReportContext,
	loadSavedScenarioReport,
	type SavedScenarioReport
} from './report-source.server';

/** A fiche request whose territory exists, in the context it is to be read in. */
export interface FicheRequest {
	level: Level;
	/** The normalised code (`2a004` → `2A004`). */
	code: string;
	ctx: ReportContext;
	/** The saved scenario of `?scenario=<id>`, or null. */
	saved: SavedScenarioReport | null;
}

/**
 * Read the level, the code and `?scenario=<id>` of a fiche URL; throws SvelteKit's French 404
 * (unknown level, territory or scenario) or 503 (the scenario store cannot be read).
 */
export async function readFicheRequest(
	params: { niveau: string; code: string },
	url: URL
): Promise<FicheRequest> {
	const level = parseReportLevel(params.niveau);
	if (level === null) {
		error(404, {
			message: `Le niveau « ${params.niveau.slice(0, 40)} » n’existe pas : les fiches portent sur une commune, une intercommunalité (epci), un département ou une région.`
		});
	}
	const code = normaliseTerritoryCode(params.code);
	// A saved scenario (`?scenario=<id>`): its imported places count in every figure and on the map.
	const savedId = url.searchParams.get('scenario');
	const saved = savedId === null ? null : await loadSavedScenarioReport(savedId);
	if (saved === 'unavailable') {
		error(503, {
			message: SCENARIOS_UNAVAILABLE
		});
	}
	if (savedId !== null && saved === null) {
		error(404, {
			message: `Aucun scénario enregistré sous l’identifiant « ${savedId.slice(0, 40)} » : vérifiez le lien, ou ouvrez la fiche sans scénario.`
		});
	}
	const ctx = saved ? saved.ctx : await loadReportContext();
	if (findTerritoryName(ctx, level, code) === null) {
		error(404, {
			message: `Aucun territoire ne porte le code « ${params.code.slice(0, 40)} » parmi les ${LEVEL_PLURAL[level]} du COG 2026.`
		});
	}
	return { level, code, ctx, saved };
}

/** The report of a fiche request (French 404 when the territory has no data). */
export function ficheReport(request: FicheRequest): TerritoryReport {
	const report = buildTerritoryReport(request.ctx, request.level, request.code, {
		now: new Date()
	});
	if (report === null) {
		error(404, { message: `Pas de données pour ce territoire (${request.code.slice(0, 40)}).` });
	}
	return report;
}

/** The query the fiche's links to its downloads carry: `?scenario=<id>`, or nothing. */
export function ficheDownloadSearch(request: Pick<FicheRequest, 'saved'>): string {
	return request.saved ? `?${new URLSearchParams({ scenario: request.saved.note.id })}` : '';
}
