/**
 * What a fiche territoire request asks for, read once for the page and its downloads
 * (`/territoire/<niveau>/<code>[/donnees.csv|/donnees.xlsx][?scenario=<id>]`): the level, the
 * code and the saved scenario, checked on the request thread (a lookup), then the fiche's data
 * computed in the task pool (`$lib/server/fiche-data.ts`). One path, so the CSV and XLSX carry
 * the figures the page prints, and the same French 404/503 answers.
 */
import { getScenarioService, SCENARIOS_UNAVAILABLE } from '$lib/server/scenarios/scenarios-service';
import { error } from '@sveltejs/kit';
import { findTerritoryName } from '$lib/report/territory-report';
import { LEVEL_PLURAL, normaliseTerritoryCode, parseReportLevel } from '$lib/report/territory-ref';
import type { Level } from '$lib/territory/commune';
import type { StoredScenario } from '$lib/scenarios/saved-scenario';
import type { FicheTaskPayload } from '$lib/server/fiche-data';
import { runServerTask } from '$lib/server/server-tasks';
import { workerPoolFailure } from '$lib/server/worker-pool';
import { loadReportContext } from '../../lib/server/report-source';

/** A fiche request whose territory exists, with the saved scenario it is to be read in. */
export interface FicheRequest {
	level: Level;
	/** The normalised code (`2a004` → `2A004`). */
	code: string;
	/** The saved scenario of `?scenario=<id>`, or null. */
	scenario: StoredScenario | null;
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
	const scenario = savedId === null ? null : await getScenarioService().get(savedId);
	if (scenario === 'unavailable') {
		error(503, {
			message: SCENARIOS_UNAVAILABLE
		});
	}
	if (savedId !== null && scenario === null) {
		error(404, {
			message: `Aucun scénario enregistré sous l’identifiant « ${savedId.slice(0, 40)} » : vérifiez le lien, ou ouvrez la fiche sans scénario.`
		});
	}
	// A saved scenario changes the places, never the territories: the national context knows them.
	if (findTerritoryName(await loadReportContext(), level, code) === null) {
		error(404, {
			message: `Aucun territoire ne porte le code « ${params.code.slice(0, 40)} » parmi les ${LEVEL_PLURAL[level]} du COG 2026.`
		});
	}
	return { level, code, scenario };
}

/**
 * The fiche's data, computed in the task pool: its page's, or its report only (`part`), the
 * pool's time noted in `locals` (`Server-Timing`). French 404 when the territory has no data, 503
 * when the pool is full, 504 past its time limit.
 */
export async function ficheData<P extends FicheTaskPayload['part']>(
	request: FicheRequest,
	url: URL,
	part: P,
	// Absent when a test calls a handler with only what it reads.
	locals: App.Locals | undefined
) {
	const payload: FicheTaskPayload = { ...request, href: url.href, part };
	const started = performance.now();
	let result;
	try {
		result = await runServerTask('fiche', payload);
		if (locals) locals.poolMs = performance.now() - started;
	} catch (failure) {
		const { status, body } = workerPoolFailure(failure, 'La fiche');
		error(status, { message: body.erreur });
	}
	if (!result.found) {
		error(404, { message: `Pas de données pour ce territoire (${request.code.slice(0, 40)}).` });
	}
	return result;
}

/** The query the fiche's links to its downloads carry: `?scenario=<id>`, or nothing. */
export function ficheDownloadSearch(request: Pick<FicheRequest, 'scenario'>): string {
	return request.scenario ? `?${new URLSearchParams({ scenario: request.scenario.id })}` : '';
}
