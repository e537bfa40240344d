import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
	etagMatches,
	materialise,
	pickEncoding,
	ResponseCache,
	serverTiming,
	type ResponseCacheStats
} from '$lib/server/response-cache';

const request = (headers: Record<string, string> = {}) =>
	new Request('http://localhost/x', { headers });

/** A JSON answer of about `size` bytes, different for each `seed`. */
const answer =
	(seed: number, size = 4000) =>
	() =>
		Promise.resolve(
			new Response(JSON.stringify({ seed, text: `${seed} `.repeat(size / 6) }), {
				headers: { 'content-type': 'application/json; charset=utf-8' }
			})
		);

describe('ResponseCache', () => {
	it('calcule une fois : la seconde demande est servie de la mémoire, même ETag', async () => {
		const cache = new ResponseCache({ maxBytes: 1 << 20 });
		let runs = 0;
		const produce = () => {
			runs++;
			return answer(1)();
		};
		const first = await cache.respond(request(), 'k', 'no-cache', produce);
		const second = await cache.respond(request(), 'k', 'no-cache', produce);
		expect(runs).toBe(1);
		expect(first.headers.get('x-cache')).toBe('MISS');
		expect(second.headers.get('x-cache')).toBe('HIT');
		expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
		expect(second.headers.get('etag')).toMatch(/^"[\w-]{32}"$/);
		expect(await second.text()).toBe(await first.text());
	});

	it('des demandes identiques simultanées partagent un seul calcul', async () => {
		const cache = new ResponseCache({ maxBytes: 1 << 20 });
		let runs = 0;
		const produce = async () => {
			runs++;
			await new Promise((resolve) => setTimeout(resolve, 20));
			return answer(2)();
		};
		const answers = await Promise.all(
			Array.from({ length: 10 }, () => cache.respond(request(), 'k', 'no-cache', produce))
		);
		expect(runs).toBe(1);
		expect(new Set(await Promise.all(answers.map((a) => a.text()))).size).toBe(1);
	});

	it('If-None-Match : 304 sans corps ; Accept-Encoding : br puis gzip, même contenu', async () => {
		const cache = new ResponseCache({ maxBytes: 1 << 20 });
		const plain = await cache.respond(request(), 'k', 'public, max-age=300', answer(3));
		const text = await plain.text();
		const etag = plain.headers.get('etag')!;
		expect(plain.headers.get('cache-control')).toBe('public, max-age=300');
		expect(plain.headers.get('vary')).toContain('Accept-Encoding');

		const notModified = await cache.respond(
			request({ 'if-none-match': `W/${etag}, "autre"` }),
			'k',
			'public, max-age=300',
			answer(3)
		);
		expect(notModified.status).toBe(304);
		expect(await notModified.text()).toBe('');
		expect(notModified.headers.get('etag')).toBe(etag);

		const br = await cache.respond(
			request({ 'accept-encoding': 'gzip, deflate, br' }),
			'k',
			'x',
			answer(3)
		);
		expect(br.headers.get('content-encoding')).toBe('br');
		const brBytes = Buffer.from(await br.arrayBuffer());
		expect(brBytes.length).toBeLessThan(text.length / 4);
		expect(brotliDecompressSync(brBytes).toString()).toBe(text);

		const gz = await cache.respond(request({ 'accept-encoding': 'gzip' }), 'k', 'x', answer(3));
		expect(gz.headers.get('content-encoding')).toBe('gzip');
		expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(text);
	});

	it('une erreur n’est pas gardée : elle est recalculée', async () => {
		const cache = new ResponseCache({ maxBytes: 1 << 20 });
		let runs = 0;
		const produce = () => {
			runs++;
			return Promise.resolve(new Response('{"erreur":"x"}', { status: 400 }));
		};
		expect((await cache.respond(request(), 'k', 'x', produce)).status).toBe(400);
		expect((await cache.respond(request(), 'k', 'x', produce)).status).toBe(400);
		expect(runs).toBe(2);
		expect(cache.stats().entries).toBe(0);
	});

	it('1 000 requêtes distinctes : la mémoire reste sous le plafond, les plus anciennes partent', async () => {
		const maxBytes = 2 * 1024 * 1024;
		const cache = new ResponseCache({ maxBytes });
		let stats: ResponseCacheStats = cache.stats();
		for (let i = 0; i < 1000; i++) {
			await cache.respond(request(), `k${i}`, 'x', answer(i, 16_000));
			stats = cache.stats();
			expect(stats.bytes).toBeLessThanOrEqual(maxBytes);
		}
		expect(stats.misses).toBe(1000);
		expect(stats.evictions).toBeGreaterThan(0);
		expect(stats.entries + stats.evictions).toBe(1000);
		// The most recent answer is still there, the first one is gone.
		expect(
			(await cache.respond(request(), 'k999', 'x', answer(999, 16_000))).headers.get('x-cache')
		).toBe('HIT');
		expect(
			(await cache.respond(request(), 'k0', 'x', answer(0, 16_000))).headers.get('x-cache')
		).toBe('MISS');
	});

	it('une réponse plus grosse que la part permise est servie sans être gardée', async () => {
		const cache = new ResponseCache({ maxBytes: 40_000, maxEntryBytes: 10_000 });
		const big = await cache.respond(request(), 'big', 'x', answer(1, 200_000));
		expect(big.status).toBe(200);
		expect(cache.stats()).toMatchObject({ entries: 0, tooLarge: 1, bytes: 0 });
	});
});

describe('Server-Timing', () => {
	it('calculé ici, puis servi du cache : miss avec compute/encode, puis hit sans calcul', async () => {
		const cache = new ResponseCache({ maxBytes: 1 << 20 });
		const first = await cache.respond(request(), 'k', 'no-cache', answer(3));
		expect(first.headers.get('server-timing')).toMatch(
			/^cache;desc="miss", compute;dur=[\d.]+;desc="thread", encode;dur=[\d.]+, total;dur=[\d.]+$/
		);
		const again = await cache.respond(request(), 'k', 'no-cache', answer(3));
		expect(again.headers.get('server-timing')).toMatch(/^cache;desc="hit", total;dur=[\d.]+$/);
		const notModified = await cache.respond(
			request({ 'if-none-match': again.headers.get('etag')! }),
			'k',
			'no-cache',
			answer(3)
		);
		expect(notModified.status).toBe(304);
		expect(notModified.headers.get('server-timing')).toMatch(/^cache;desc="hit"/);
	});

	it('une réponse déjà préparée par le pool : son calcul, son encodage et l’attente du pool', async () => {
		const cache = new ResponseCache({ maxBytes: 1 << 20 });
		const prepared = await materialise(await answer(4)());
		prepared.timing = { where: 'pool', computeMs: 120, encodeMs: 30 };
		const response = await cache.respond(request(), 'k', 'no-cache', async () => {
			await new Promise((resolve) => setTimeout(resolve, 200));
			return prepared;
		});
		const header = response.headers.get('server-timing')!;
		expect(header).toMatch(/compute;dur=120\.0;desc="pool", wait;dur=[\d.]+, encode;dur=30\.0/);
		// What the pool did not account for (here the 200 ms the task "took" minus its 150 ms).
		expect(Number(/wait;dur=([\d.]+)/.exec(header)![1])).toBeGreaterThan(40);
		expect(await response.text()).toContain('"seed":4');
	});

	it('des demandes simultanées : la première calcule, les autres attendent son calcul (shared)', async () => {
		const cache = new ResponseCache({ maxBytes: 1 << 20 });
		const answers = await Promise.all(
			[1, 2].map(() => cache.respond(request(), 'k', 'no-cache', answer(5)))
		);
		expect(
			answers.map((a) => /cache;desc="(\w+)"/.exec(a.headers.get('server-timing')!)![1])
		).toEqual(['miss', 'shared']);
	});

	it.each([
		['hit', undefined, 0.26, 'cache;desc="hit", total;dur=0.3'],
		[
			'miss',
			{ where: 'thread', computeMs: 12.04, encodeMs: 3 },
			15.5,
			'cache;desc="miss", compute;dur=12.0;desc="thread", encode;dur=3.0, total;dur=15.5'
		]
	] as const)('%s → %s', (state, timing, total, expected) => {
		expect(serverTiming(state, timing, total)).toBe(expected);
	});
});

describe('négociation', () => {
	it.each([
		['gzip, deflate, br', 'br'],
		['gzip', 'gzip'],
		['br;q=0, gzip;q=0.5', 'gzip'],
		['identity', null],
		['*', 'br'],
		[null, null]
	] as const)('Accept-Encoding %s → %s', (header, expected) => {
		expect(pickEncoding(header)).toBe(expected);
	});

	it('If-None-Match : comparaison faible, liste et *', () => {
		expect(etagMatches('"a"', '"a"')).toBe(true);
		expect(etagMatches('W/"a"', '"a"')).toBe(true);
		expect(etagMatches('"b", "a"', '"a"')).toBe(true);
		expect(etagMatches('*', '"a"')).toBe(true);
		expect(etagMatches('"b"', '"a"')).toBe(false);
		expect(etagMatches(null, '"a"')).toBe(false);
	});
});
