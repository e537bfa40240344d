/**
 * Answers computed once: the read endpoints (API, fiches, search) are pure functions of their
 * normalised query and of the data loaded at start, so a process keeps each answer it computed,
 * with its brotli and gzip encodings and a content ETag, in an LRU bounded in bytes. The same query
 * asked a second later costs a map lookup; identical queries arriving together share one
 * computation; an `If-None-Match` that matches gets a 304 with no body.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** A materialised answer: status, headers and body, with its compressed encodings. */
export interface CachedAnswer {
	status: number;
	headers: [string, string][];
	identity: Uint8Array;
	br: Uint8Array | null;
	gzip: Uint8Array | null;
	/** Strong validator: `"<sha-256 of the body and its content type, base64url>"`. */
	etag: string;
	/** Bytes this entry holds (bodies, headers, key). */
	bytes: number;
	/** How the answer was made, for `Server-Timing` (set when it was computed). */
	timing?: AnswerTiming;
}

/** Where the time of a computed answer went, ms. */
export interface AnswerTiming {
	/** `thread`: computed on the request thread; `pool`: in a worker of the task pool. */
	where: 'thread' | 'pool';
	/** Building the answer (ranking, rows, serialisation). */
	computeMs: number;
	/** Reading its body, compressing it (brotli, gzip) and hashing it (ETag). */
	encodeMs: number;
	/** Waiting for a worker, and moving the answer between threads (pool only). */
	waitMs?: number;
}

export interface ResponseCacheOptions {
	/** Memory cap of the cached answers, bytes (bodies and their encodings). */
	maxBytes: number;
	/** Largest single entry kept, bytes (default: a quarter of `maxBytes`). */
	maxEntryBytes?: number;
}

export interface ResponseCacheStats {
	entries: number;
	bytes: number;
	maxBytes: number;
	hits: number;
	misses: number;
	evictions: number;
	/** Answers too large to keep (served, not stored). */
	tooLarge: number;
}

/** Bodies below this size are sent as they are: compressing them saves nothing. */
const MIN_COMPRESS_BYTES = 1024;

const COMPRESSIBLE = /^(text\/|application\/(json|geo\+json|javascript|xml|[a-z.+-]+\+json))/;

/** Headers a cached answer must not carry to another client. */
const PRIVATE_HEADERS = new Set(['set-cookie', 'content-length', 'content-encoding', 'etag']);

/** Rough fixed cost of one entry besides its bodies (map slot, objects, header strings), bytes. */
const ENTRY_OVERHEAD = 512;

/**
 * The encoding to send for an `Accept-Encoding` header: `br` when accepted, else `gzip`, else none.
 * @example pickEncoding('gzip, deflate, br') // 'br'
 */
export function pickEncoding(acceptEncoding: string | null): 'br' | 'gzip' | null {
	if (!acceptEncoding) return null;
	const accepted = new Map<string, number>();
	for (const part of acceptEncoding.toLowerCase().split(',')) {
		const [name, ...params] = part.trim().split(';');
		const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
		accepted.set(name.trim(), q ? Number(q[1]) : 1);
	}
	const ok = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
	if (ok('br')) return 'br';
	if (ok('gzip')) return 'gzip';
	return null;
}

/** Whether an `If-None-Match` header names `etag` (weak comparison, as RFC 9110 asks for GET). */
export function etagMatches(ifNoneMatch: string | null, etag: string): boolean {
	if (!ifNoneMatch) return false;
	if (ifNoneMatch.trim() === '*') return true;
	const bare = etag.replace(/^W\//, '');
	return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === bare);
}

/** Read a response fully and prepare its encodings and validator. */
export async function materialise(response: Response): Promise<CachedAnswer> {
	const identity = new Uint8Array(await response.arrayBuffer());
	const headers: [string, string][] = [];
	response.headers.forEach((value, name) => {
		if (!PRIVATE_HEADERS.has(name)) headers.push([name, value]);
	});
	const type = response.headers.get('content-type') ?? '';
	const compress = identity.byteLength >= MIN_COMPRESS_BYTES && COMPRESSIBLE.test(type);
	// zlib's asynchronous calls run on libuv's thread pool, not on the request thread. Quality 5
	// compresses a 20 MB CSV in well under a second, within a few % of the best ratio for text.
	const [br, gz] = compress
		? await Promise.all([
				brotli(identity, {
					params: {
						[zlibConstants.BROTLI_PARAM_QUALITY]: 5,
						[zlibConstants.BROTLI_PARAM_MODE]: zlibConstants.BROTLI_MODE_TEXT,
						[zlibConstants.BROTLI_PARAM_SIZE_HINT]: identity.byteLength
					}
				}),
				gzipAsync(identity, { level: 6 })
			])
		: [null, null];
	const hash = createHash('sha256').update(type).update(identity).digest('base64url');
	const headerBytes = headers.reduce((sum, [n, v]) => sum + n.length + v.length, 0);
	return {
		status: response.status,
		headers,
		identity,
		br: br && new Uint8Array(br.buffer, br.byteOffset, br.byteLength),
		gzip: gz && new Uint8Array(gz.buffer, gz.byteOffset, gz.byteLength),
		etag: `"${hash.slice(0, 32)}"`,
		bytes:
			identity.byteLength +
			(br?.byteLength ?? 0) +
			(gz?.byteLength ?? 0) +
			2 * headerBytes +
			ENTRY_OVERHEAD
	};
}

/** How a request was answered: from the cache, by computing, or by waiting for another's computation. */
export type AnswerState = 'hit' | 'miss' | 'shared';

const ms = (value: number) => Math.max(0, value).toFixed(1);

/**
 * The `Server-Timing` header of an answer (W3C Server Timing): `cache;desc="hit"|"miss"|"shared"`,
 * for a computed one `compute;dur=…;desc="thread"|"pool"`, `wait;dur=…` (pool queue and transfer)
 * and `encode;dur=…`, and always `total;dur=…`, the server's time until the answer's bytes were
 * ready (sending them is the network's and the client's).
 * @example serverTiming('hit', undefined, 0.21) // 'cache;desc="hit", total;dur=0.2'
 */
export function serverTiming(
	state: AnswerState,
	timing: AnswerTiming | undefined,
	totalMs: number
): string {
	const parts = [`cache;desc="${state}"`];
	if (state === 'miss' && timing) {
		parts.push(`compute;dur=${ms(timing.computeMs)};desc="${timing.where}"`);
		if (timing.waitMs !== undefined) parts.push(`wait;dur=${ms(timing.waitMs)}`);
		parts.push(`encode;dur=${ms(timing.encodeMs)}`);
	}
	parts.push(`total;dur=${ms(totalMs)}`);
	return parts.join(', ');
}

/**
 * The response for one request from a materialised answer: 304 when the client holds it, else the
 * body in the best encoding it accepts. `cacheControl` and the ETag apply to successful answers only.
 * @param started when the request's handling began (`performance.now()`), for `Server-Timing`
 */
export function answerResponse(
	answer: CachedAnswer,
	request: Request,
	cacheControl: string,
	state: AnswerState,
	started = performance.now()
): Response {
	// Handlers called directly (tests, other modules) may pass an event without its request.
	const asked = (name: string) => request?.headers.get(name) ?? null;
	const headers = new Headers(answer.headers);
	headers.set('x-cache', state === 'miss' ? 'MISS' : 'HIT');
	if (answer.status !== 200) {
		headers.set('server-timing', serverTiming(state, answer.timing, performance.now() - started));
		return new Response(answer.identity.slice(), { status: answer.status, headers });
	}
	headers.set('etag', answer.etag);
	headers.set('cache-control', cacheControl);
	headers.append('vary', 'Accept-Encoding');
	if (etagMatches(asked('if-none-match'), answer.etag)) {
		for (const name of ['content-type', 'content-disposition', 'content-length', 'link']) {
			headers.delete(name);
		}
		headers.set('server-timing', serverTiming(state, answer.timing, performance.now() - started));
		return new Response(null, { status: 304, headers });
	}
	const encoding = answer.br ? pickEncoding(asked('accept-encoding')) : null;
	const body =
		encoding === 'br' ? answer.br! : encoding === 'gzip' ? answer.gzip! : answer.identity;
	if (encoding) headers.set('content-encoding', encoding);
	headers.set('content-length', String(body.byteLength));
	// A copy per response: a byte stream moves (detaches) the buffer it is given.
	const copy = body.slice();
	headers.set('server-timing', serverTiming(state, answer.timing, performance.now() - started));
	return new Response(copy, { status: 200, headers });
}

/**
 * A response built on the request thread from data the task pool computed (a fiche: the pool
 * computes its data, the thread renders the page): `poolMs` is the pool task's time, queue included.
 */
export interface PooledResponse {
	response: Response;
	poolMs: number;
}

/** What `ResponseCache.respond` accepts from its `produce`. */
export type ProducedAnswer = Response | PooledResponse | CachedAnswer;

/** Run `produce` and materialise its answer, noting where the time went. */
async function timedAnswer(produce: () => Promise<ProducedAnswer>): Promise<CachedAnswer> {
	const started = performance.now();
	const produced = await produce();
	const computed = performance.now();
	if (produced instanceof Response || 'response' in produced) {
		const pooled = produced instanceof Response ? null : produced;
		const answer = await materialise(pooled ? pooled.response : (produced as Response));
		answer.timing = {
			where: pooled ? 'pool' : 'thread',
			computeMs: pooled ? pooled.poolMs : computed - started,
			encodeMs: performance.now() - computed
		};
		return answer;
	}
	const inWorker = produced.timing ? produced.timing.computeMs + produced.timing.encodeMs : 0;
	produced.timing = {
		where: 'pool',
		computeMs: produced.timing?.computeMs ?? computed - started,
		encodeMs: produced.timing?.encodeMs ?? 0,
		waitMs: computed - started - inWorker
	};
	return produced;
}

/** An LRU of answers keyed by normalised query, bounded in bytes. */
export class ResponseCache {
	readonly maxBytes: number;
	readonly maxEntryBytes: number;
	/** Map order is recency order: the first key is the least recently used. */
	readonly #entries = new Map<string, CachedAnswer>();
	readonly #pending = new Map<string, Promise<CachedAnswer>>();
	#bytes = 0;
	#hits = 0;
	#misses = 0;
	#evictions = 0;
	#tooLarge = 0;

	constructor(options: ResponseCacheOptions) {
		this.maxBytes = options.maxBytes;
		this.maxEntryBytes = options.maxEntryBytes ?? Math.floor(options.maxBytes / 4);
	}

	/**
	 * Answer `request` from the cache under `key`, or run `produce` once (concurrent requests of the
	 * same key wait for the same run) and keep its answer when it is a 200 that fits.
	 * @param key the normalised query (path and canonical parameters), never the raw URL
	 * @param cacheControl `Cache-Control` of successful answers
	 * @param produce the answer, as a `Response` (materialised here), a `PooledResponse` (rendered
	 *   here from the pool's data) or already materialised elsewhere (a worker of the task pool,
	 *   with its `timing`)
	 * @param started when the handling of the request began, for `Server-Timing` (default: now)
	 */
	async respond(
		request: Request,
		key: string,
		cacheControl: string,
		produce: () => Promise<ProducedAnswer>,
		started = performance.now()
	): Promise<Response> {
		const cached = this.#entries.get(key);
		if (cached) {
			this.#entries.delete(key);
			this.#entries.set(key, cached);
			this.#hits++;
			return answerResponse(cached, request, cacheControl, 'hit', started);
		}
		let pending = this.#pending.get(key);
		const first = pending === undefined;
		if (!pending) {
			this.#misses++;
			pending = timedAnswer(produce)
				.then((answer) => {
					if (answer.status === 200) this.#store(key, answer);
					return answer;
				})
				.finally(() => this.#pending.delete(key));
			this.#pending.set(key, pending);
		} else {
			this.#hits++;
		}
		return answerResponse(await pending, request, cacheControl, first ? 'miss' : 'shared', started);
	}

	#store(key: string, answer: CachedAnswer): void {
		const bytes = answer.bytes + 2 * key.length;
		if (bytes > this.maxEntryBytes) {
			this.#tooLarge++;
			return;
		}
		this.#entries.set(key, { ...answer, bytes });
		this.#bytes += bytes;
		for (const [oldKey, old] of this.#entries) {
			if (this.#bytes <= this.maxBytes) break;
			this.#entries.delete(oldKey);
			this.#bytes -= old.bytes;
			this.#evictions++;
		}
	}

	stats(): ResponseCacheStats {
		return {
			entries: this.#entries.size,
			bytes: this.#bytes,
			maxBytes: this.maxBytes,
			hits: this.#hits,
			misses: this.#misses,
			evictions: this.#evictions,
			tooLarge: this.#tooLarge
		};
	}
}

/** Default memory cap of the answers cache, MiB (`ATLAS_CACHE_MAX_MB` overrides it). */
export const DEFAULT_CACHE_MAX_MB = 128;

function cacheCapBytes(): number {
	const mb = Number(process.env.ATLAS_CACHE_MAX_MB);
	return (Number.isFinite(mb) && mb > 0 ? mb : DEFAULT_CACHE_MAX_MB) * 1024 * 1024;
}

/** The answers cache of this server process, shared by every read endpoint. */
export const answersCache = new ResponseCache({ maxBytes: cacheCapBytes() });

/** `Cache-Control` of API answers: data change only with a deployment; revalidate after 5 min. */
export const API_CACHE_CONTROL = 'public, max-age=300, must-revalidate';

/** `Cache-Control` of HTML pages: always revalidate (a 304 costs nothing once cached). */
export const PAGE_CACHE_CONTROL = 'no-cache';
