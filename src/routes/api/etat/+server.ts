/**
 * GET /api/etat — the state of this server process, for operators and `npm run loadtest`: memory
 * (RSS and heap, MiB), uptime, the answers cache (entries, bytes against its cap, hits, misses,
 * evictions) and the task pool (workers, running and waiting tasks, tasks finished; null before
 * it starts). Never cached.
 */
import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { answersCache } from '$lib/server/response-cache';
import { serverTaskStats } from '$lib/server/server-tasks';

const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

export const GET: RequestHandler = async () => {
	const memory = process.memoryUsage();
	const cache = answersCache.stats();
	const pool = await serverTaskStats();
	return json(
		{
			memoire_mio: {
				rss: mib(memory.rss),
				tas: mib(memory.heapUsed),
				externe: mib(memory.external)
			},
			demarre_depuis_s: Math.round(process.uptime()),
			cache_reponses: {
				entrees: cache.entries,
				octets: cache.bytes,
				plafond_octets: cache.maxBytes,
				succes: cache.hits,
				calculs: cache.misses,
				evictions: cache.evictions,
				trop_grandes: cache.tooLarge
			},
			pool_calcul: pool && {
				travailleurs: pool.size,
				en_cours: pool.running,
				en_attente: pool.queued,
				file_max: pool.maxQueue,
				termines: pool.finished,
				remplaces: pool.replaced
			}
		},
		{ headers: { 'cache-control': 'no-store' } }
	);
};
