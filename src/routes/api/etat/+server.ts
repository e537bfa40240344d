/**
 * GET /api/etat — the state of this server process, for operators and `npm run loadtest`: memory
 * (RSS and heap, MiB), uptime, and the answers cache (entries, bytes against its cap, hits,
 * misses, evictions). Never cached.
 */
import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { answersCache } from '$lib/server/response-cache';

const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

export const GET: RequestHandler = () => {
	const memory = process.memoryUsage();
	const cache = answersCache.stats();
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
			}
		},
		{ headers: { 'cache-control': 'no-store' } }
	);
};
