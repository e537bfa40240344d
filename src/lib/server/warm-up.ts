/**
 * The server's warm-up, awaited by the `init` hook so that the server listens only once it can
 * answer every request promptly. The request thread builds its own analysis (needs estimate,
 * accessibility, ranking rows, the fiches' lookups) in synchronous steps of seconds each, during
 * which it could answer nothing, not even a 503: a server listening meanwhile would hold the
 * connections it accepted and reset the kept-alive ones whose idle timer expired. Not listening
 * yet, it refuses them, which clients, proxies and orchestrators all read as « not started ».
 * Meanwhile the task pool's workers load their own copy of the data on the other cores.
 */
import { lookupsOf } from '$lib/report/report-context';
import { loadServerAnalysis, reportContextOf } from './analysis';
import { warmServerTasks } from './server-tasks';

export async function warmServer(): Promise<void> {
	// Started first: the workers load in parallel with this thread's own warm-up.
	const pool = warmServerTasks();
	// Settled here, awaited below: a failure is reported once, with the thread's own.
	pool.catch(() => undefined);
	const national = await loadServerAnalysis();
	void national.analysis.access;
	for (const level of ['commune', 'epci', 'departement', 'region'] as const) {
		national.analysis.preparedAt(level);
	}
	lookupsOf(reportContextOf(national));
	await pool;
}
