import { describe, expect, it } from 'vitest';
import { payloadTooLarge, RateLimiter, tooManyRequests } from '$lib/server/rate-limit';

describe('RateLimiter', () => {
	it('laisse passer la rafale, puis refuse avec le délai jusqu’au prochain jeton', () => {
		const limiter = new RateLimiter({ burst: 3, perMinute: 6 });
		const t0 = 1_000_000;
		expect([1, 2, 3].map(() => limiter.take('a', t0).ok)).toEqual([true, true, true]);
		const refused = limiter.take('a', t0);
		expect(refused).toEqual({ ok: false, retryAfterSeconds: 10 }); // 6 a minute: one every 10 s
		expect(limiter.take('a', t0 + 10_000).ok).toBe(true);
		expect(limiter.take('a', t0 + 10_000).ok).toBe(false);
	});

	it('chaque adresse a son propre compte', () => {
		const limiter = new RateLimiter({ burst: 1, perMinute: 1 });
		expect(limiter.take('a', 0).ok).toBe(true);
		expect(limiter.take('a', 0).ok).toBe(false);
		expect(limiter.take('b', 0).ok).toBe(true);
	});

	it('oublie les adresses les plus anciennes au-delà de maxClients (mémoire bornée)', () => {
		const limiter = new RateLimiter({ burst: 1, perMinute: 1, maxClients: 2 });
		limiter.take('a', 0);
		limiter.take('b', 0);
		limiter.take('c', 0); // 'a' is forgotten: it starts again with a full bucket
		expect(limiter.take('a', 0).ok).toBe(true);
		expect(limiter.take('c', 0).ok).toBe(false);
	});

	it('réponses en français : 429 avec Retry-After, 413', async () => {
		const limiter = new RateLimiter({ burst: 20, perMinute: 30 });
		const refused = tooManyRequests(7, limiter);
		expect(refused.status).toBe(429);
		expect(refused.headers.get('retry-after')).toBe('7');
		const body = (await refused.json()) as { erreur: string; details: string[] };
		expect(body.erreur).toContain('réessayez dans 7 s');
		expect(body.details).toHaveLength(1);
		const large = payloadTooLarge(256 * 1024);
		expect(large.status).toBe(413);
		expect(((await large.json()) as { erreur: string }).erreur).toContain('256 ko au plus');
	});
});
