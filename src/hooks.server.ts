import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { warmServer } from '$lib/server/warm-up';
import { checkArtifacts } from '$lib/server/artifact-check';
import { dataDirectory } from '$lib/server/dataset';
import { answersCache, PAGE_CACHE_CONTROL } from '$lib/server/response-cache';
import {
	API_WRITE_MAX_BYTES,
	apiWriteLimiter,
	payloadTooLarge,
	tooManyRequests
} from '$lib/server/rate-limit';

/**
 * Check every artifact before the first request (a missing or corrupt file stops the start with a
 * French message: the server entry prints it and exits non-zero), then warm the request thread's
 * analysis and the task pool's workers (`warmServer`): SvelteKit's handler, hence the server,
 * waits for this hook, so the server listens only once warm.
 */
export const init: ServerInit = async () => {
	const problems = await checkArtifacts(dataDirectory());
	if (problems.length > 0) {
		throw new Error(
			`Données de l’Atlas inutilisables : ${problems.join(' ; ')}. Reconstruisez-les avec « npm run geodata:build » ou restaurez-les depuis le dépôt.`
		);
	}
	try {
		await warmServer();
	} catch (error) {
		throw new Error(
			`Préchargement des données impossible : ${error instanceof Error ? error.message : String(error)}`
		);
	}
};

/** Headers every answer of the app carries (the CSP itself comes from `kit.csp`). */
const SECURITY_HEADERS: Record<string, string> = {
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'strict-origin-when-cross-origin',
	'x-frame-options': 'DENY',
	'cross-origin-opener-policy': 'same-origin',
	'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()'
};

/** Pages that depend only on their URL and on the data loaded at start: computed once each. */
function isCachedPage(pathname: string): boolean {
	return (
		pathname === '/' ||
		pathname === '/sources' ||
		pathname === '/recherche' ||
		pathname.startsWith('/territoire/')
	);
}

/**
 * The cache key of a page: its path and its parameters in a fixed order. Read from the request's
 * own URL, not `event.url`: SvelteKit strips `/__data.json` and `x-sveltekit-invalidated` from the
 * latter, so a client-side navigation would otherwise be served the cached HTML of the same page
 * where it expects its JSON (and show a 500).
 */
function pageKey(request: Request): string {
	const url = new URL(request.url);
	const params = [...url.searchParams].sort(([a, x], [b, y]) =>
		a === b ? (x < y ? -1 : x > y ? 1 : 0) : a < b ? -1 : 1
	);
	return `${url.pathname}?${new URLSearchParams(params)}`;
}

/** `response` with the security headers (a copy when its headers are immutable). */
function withSecurityHeaders(response: Response): Response {
	try {
		for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
			if (!response.headers.has(name)) response.headers.set(name, value);
		}
		return response;
	} catch {
		const copy = new Response(response.body, response);
		for (const [name, value] of Object.entries(SECURITY_HEADERS)) copy.headers.set(name, value);
		return copy;
	}
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const handle: Handle = async ({ event, resolve }) => {
	const { request, url } = event;
	let response: Response;
	if (WRITE_METHODS.has(request.method) && url.pathname.startsWith('/api/')) {
		const declared = Number(request.headers.get('content-length'));
		if (Number.isFinite(declared) && declared > API_WRITE_MAX_BYTES) {
			response = payloadTooLarge(API_WRITE_MAX_BYTES);
		} else {
			const decision = apiWriteLimiter.take(event.getClientAddress());
			response = decision.ok
				? await resolve(event)
				: tooManyRequests(decision.retryAfterSeconds, apiWriteLimiter);
		}
	} else if (request.method === 'GET' && isCachedPage(url.pathname)) {
		response = await answersCache.respond(
			request,
			pageKey(request),
			PAGE_CACHE_CONTROL,
			async () => {
				const page = await resolve(event);
				// A fiche's data came from the task pool: its `Server-Timing` says so.
				const poolMs = event.locals?.poolMs;
				return poolMs === undefined ? page : { response: page, poolMs };
			}
		);
	} else {
		response = await resolve(event);
	}
	return withSecurityHeaders(response);
};

/** Unexpected errors: logged on the server, a French message for the visitor, never a stack trace. */
export const handleError: HandleServerError = ({ error, status }) => {
	if (status !== 404) console.error(error);
	return {
		message:
			status === 404
				? 'Page introuvable.'
				: 'Une erreur inattendue est survenue sur le serveur. Réessayez dans un instant.'
	};
};
