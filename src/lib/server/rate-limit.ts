/**
 * Limits on write requests (POST, PUT, PATCH, DELETE) that any endpoint can adopt: a token bucket
 * per client address (a burst, then a steady rate) and a body size cap, each refused with a French
 * JSON answer that says what and when to retry (429 with `Retry-After`, 413). The hooks apply them
 * to every write under `/api/`; an endpoint with its own needs builds its own `RateLimiter`.
 */

export interface RateLimitOptions {
	/** Requests a client may send at once (bucket size). */
	burst: number;
	/** Steady rate once the burst is spent, requests per minute. */
	perMinute: number;
	/** Clients tracked at most; the least recently seen are forgotten first (memory bound). */
	maxClients?: number;
}

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

interface Bucket {
	tokens: number;
	updated: number;
}

/** A token bucket per client key (its address), bounded in memory. */
export class RateLimiter {
	readonly burst: number;
	readonly perMinute: number;
	readonly maxClients: number;
	/** Map order is recency order: the first key is the least recently seen client. */
	readonly #buckets = new Map<string, Bucket>();

	constructor(options: RateLimitOptions) {
		this.burst = options.burst;
		this.perMinute = options.perMinute;
		this.maxClients = options.maxClients ?? 10_000;
	}

	/**
	 * Spend one token of `key`'s bucket.
	 * @param now time, ms (for tests)
	 * @returns ok, or how many seconds until the next token
	 */
	take(key: string, now = Date.now()): RateDecision {
		const perMs = this.perMinute / 60_000;
		const bucket = this.#buckets.get(key) ?? { tokens: this.burst, updated: now };
		this.#buckets.delete(key);
		bucket.tokens = Math.min(this.burst, bucket.tokens + (now - bucket.updated) * perMs);
		bucket.updated = now;
		this.#buckets.set(key, bucket);
		if (this.#buckets.size > this.maxClients) {
			this.#buckets.delete(this.#buckets.keys().next().value as string);
		}
		if (bucket.tokens >= 1) {
			bucket.tokens -= 1;
			return { ok: true };
		}
		return {
			ok: false,
			retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000))
		};
	}
}

const jsonHeaders = { 'content-type': 'application/json; charset=utf-8' };

/** French 429 with `Retry-After` (seconds). */
export function tooManyRequests(retryAfterSeconds: number, limiter: RateLimiter): Response {
	const detail = `trop de requêtes d’écriture depuis votre adresse : ${limiter.burst} d’affilée puis ${limiter.perMinute} par minute au plus ; réessayez dans ${retryAfterSeconds} s`;
	return new Response(
		JSON.stringify({ erreur: `Requête refusée : ${detail}.`, details: [detail] }),
		{
			status: 429,
			headers: { ...jsonHeaders, 'retry-after': String(retryAfterSeconds) }
		}
	);
}

/**
 * French 413 for a body larger than `maxBytes`. The connection is closed after it: the body was not
 * read, so the connection cannot carry another request.
 */
export function payloadTooLarge(maxBytes: number): Response {
	const detail = `corps trop volumineux : ${Math.round(maxBytes / 1024)} ko au plus sont acceptés`;
	return new Response(
		JSON.stringify({ erreur: `Requête invalide : ${detail}.`, details: [detail] }),
		{
			status: 413,
			headers: { ...jsonHeaders, connection: 'close' }
		}
	);
}

/** Read a positive number from the environment, else `fallback`. */
function envNumber(name: string, fallback: number): number {
	const value = Number(process.env[name]);
	return Number.isFinite(value) && value > 0 ? value : fallback;
}

/**
 * Limits of the writes under `/api/` (the simulation, saved scenarios): 20 at once then 30 a minute
 * per address, which a person using the app never reaches; `ATLAS_POST_BURST`,
 * `ATLAS_POST_PER_MINUTE` and `ATLAS_POST_MAX_KB` change them.
 */
export const apiWriteLimiter = new RateLimiter({
	burst: envNumber('ATLAS_POST_BURST', 20),
	perMinute: envNumber('ATLAS_POST_PER_MINUTE', 30)
});

/** Largest write body the hooks let through, bytes (an endpoint may accept less). */
export const API_WRITE_MAX_BYTES = envNumber('ATLAS_POST_MAX_KB', 256) * 1024;
