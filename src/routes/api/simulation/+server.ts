/**
 * POST /api/simulation — "I can fund N posts: where do they help the most people?"
 * Body (JSON): `{ niveau, code, n, objectif?, distance_km?, candidats?: { regle, population_min? },
 * ajouts?, retraits?, detail_communes? }` (see `src/lib/siting/scenario-request.ts`). Answers the
 * same result as the simulation panel (`SimulationResult`) plus sources and timing. Bad bodies get
 * a 400 (413 when too large) with `{ erreur, details }` in French, never a 500. Answers are kept
 * in the answers cache by normalised request (`X-Cache: HIT` when served from it; `duree_ms` is
 * then the time of the run that computed it).
 */
import { json } from '@sveltejs/kit';
import { apiSourceOf } from '$lib/territory/attribution';
import type { RequestHandler } from './$types';
import { loadServerAnalysis } from '$lib/server/analysis';
import { readJsonBody } from '$lib/server/json-body';
import { MODEL_VERSION } from '$lib/needs/constants';
import { parseSimulationRequest, type SimulationRequest } from '$lib/siting/scenario-request';
import type { SimulationOutcome } from '$lib/siting/scenario';
import { poolFailureResponse, runServerTask } from '$lib/server/server-tasks';
import { answersCache } from '$lib/server/response-cache';
import type { SourcesArtifact } from '$lib/territory/artifacts';

/**
 * Largest body accepted, bytes: 64 kB holds the longest valid request (500 hand-added points and
 * 500 removed places) with room to spare; the handler enforces it itself, whatever the server's
 * `BODY_SIZE_LIMIT`.
 */
const MAX_BODY_BYTES = 64 * 1024;

/** Datasets the simulation uses (ids of `sources.json`). */
const SIMULATION_DATASETS = [
	'cog-2026',
	'communes-centres',
	'grille-densite',
	'ifn-2023',
	'filosofi-2021',
	'rp2021-nord',
	'illectronisme-insee',
	'france-services-2024',
	'cnfs-lieux-2022',
	'cnfs-postes-2023',
	'aidants-connect-2024',
	'lieux-npdc-2023',
	// In place of the five lists above when the pipeline read a Cartographie nationale export.
	'cartographie-nationale'
];

export const POST: RequestHandler = async ({ request }) => {
	const started = performance.now();
	const body = await readJsonBody(request, MAX_BODY_BYTES);
	if (!body.ok) {
		return json({ erreur: body.erreur, details: body.details }, { status: body.status });
	}
	const { dataset } = await loadServerAnalysis();
	const parsed = parseSimulationRequest(body.value, dataset.territories);
	if (!parsed.ok) return json({ erreur: parsed.erreur, details: parsed.details }, { status: 400 });

	// A simulation is a pure function of its normalised request and of the data loaded at start:
	// the same request asked again (a shared link, a reload) is answered from the answers cache,
	// and identical requests arriving together share one run.
	const key = `POST /api/simulation ${JSON.stringify(parsed.value)}`;
	return answersCache.respond(request, key, 'no-store', () =>
		simulate(parsed.value, dataset.sources.datasets, started)
	);
};

async function simulate(
	params: SimulationRequest,
	datasets: SourcesArtifact['datasets'],
	started: number
): Promise<Response> {
	// The run happens in a worker thread: this thread keeps answering other requests meanwhile.
	let outcome: SimulationOutcome;
	try {
		outcome = await runServerTask('simulate', params);
	} catch (error) {
		return poolFailureResponse(error, 'La simulation');
	}
	if (outcome.status === 'invalid') {
		return json({ erreur: outcome.erreur, details: outcome.details }, { status: 400 });
	}
	if (outcome.status === 'cancelled') {
		// Nothing cancels a server run; kept so every outcome has an answer.
		return json({ erreur: outcome.message, details: [outcome.message] }, { status: 503 });
	}
	const sources = datasets.filter((d) => SIMULATION_DATASETS.includes(d.id)).map(apiSourceOf);
	return json({
		...outcome.result,
		modele_besoins: { version: MODEL_VERSION, methode: '/sources' },
		attribution: `Simulation Atlas de l’inclusion numérique d’après ${sources.map((s) => s.attribution).join(', ')}`,
		sources,
		duree_ms: Math.round(performance.now() - started)
	});
}

/** Anything but POST: a French 405 that says how to call the endpoint. */
export const fallback: RequestHandler = ({ request }) =>
	json(
		{
			erreur: `Méthode ${request.method} non acceptée : utilisez POST avec un corps JSON { niveau, code, n, objectif, distance_km, candidats }.`,
			details: [`méthode ${request.method} non acceptée`]
		},
		{ status: 405, headers: { allow: 'POST' } }
	);
