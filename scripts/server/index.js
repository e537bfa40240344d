// The production server (copied to build/index.js by scripts/server/finish-build.js; run with
// `npm start` or `node build`). It replaces adapter-node's entry to add what a public service needs
// before and around SvelteKit's handler:
// - a start-up check: every data artifact the browser will load is present and identical to the
//   build (SHA-256), and the server's own data parse (the `init` hook); otherwise a French message
//   and exit code 1, never a half-served app;
// - listening only once warm: the `init` hook warms the request thread's analysis and the task
//   pool's workers before SvelteKit's handler exists (`src/lib/server/warm-up.ts` says why), so
//   no connection is accepted that the server could not answer at once;
// - the data artifacts served with a strong content ETag, `Cache-Control: no-cache` (their names
//   are fixed, so clients revalidate and get a 304), brotli or gzip, and `nosniff`;
// - time limits: headers within 15 s, a whole request within 30 s (a body trickling in is cut);
//   a connection on which nothing moves for 65 s is closed (idle between requests, or a client
//   that stopped reading an answer), never sooner: see `IDLE_MS`;
// - a graceful stop on SIGTERM/SIGINT.
// Environment: PORT (3000), HOST (0.0.0.0), ATLAS_HEADERS_TIMEOUT_S, ATLAS_REQUEST_TIMEOUT_S,
// ATLAS_IDLE_TIMEOUT_S,
// SHUTDOWN_TIMEOUT (s), plus adapter-node's ORIGIN, ADDRESS_HEADER, XFF_DEPTH, BODY_SIZE_LIMIT.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import { dirname, extname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const clientDir = join(here, 'client');

/** @param {string} message */
function fail(message) {
	console.error(`Atlas de l’inclusion numérique : démarrage impossible.\n${message}`);
	process.exit(1);
}

/** @param {string} name @param {number} fallback */
function seconds(name, fallback) {
	const value = Number(process.env[name]);
	return (Number.isFinite(value) && value > 0 ? value : fallback) * 1000;
}

// 1. The artifacts the browser loads: present and as built.
const manifestFile = join(here, 'artifacts.json');
if (!existsSync(manifestFile))
	fail(`Fichier ${manifestFile} absent : reconstruisez avec « npm run build ».`);
/** @type {Record<string, { sha256: string, size: number }>} */
const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
const problems = [];
/** @typedef {{ etag: string, size: number, file: string, encodings: Record<string, number> }} Artifact */
/** @type {Map<string, Artifact>} */
const artifacts = new Map();
for (const [url, expected] of Object.entries(manifest)) {
	const file = join(clientDir, url);
	let bytes;
	try {
		bytes = await readFile(file);
	} catch {
		problems.push(`fichier ${url.slice(1)} absent de ${clientDir}`);
		continue;
	}
	if (createHash('sha256').update(bytes).digest('hex') !== expected.sha256) {
		problems.push(
			`fichier ${url.slice(1)} corrompu ou modifié depuis la construction (empreinte SHA-256 différente)`
		);
		continue;
	}
	/** @type {Record<string, number>} */
	const encodings = {};
	for (const encoding of ['br', 'gz']) {
		const size = await stat(`${file}.${encoding}`).then(
			(s) => s.size,
			() => -1
		);
		if (size >= 0) encodings[encoding] = size;
	}
	artifacts.set(url, {
		etag: `"${Buffer.from(expected.sha256, 'hex').toString('base64url').slice(0, 32)}"`,
		size: bytes.length,
		file,
		encodings
	});
}
if (problems.length > 0) {
	fail(
		`${problems.join('\n')}\nReconstruisez l’application (« npm run build ») ou restaurez ces fichiers.`
	);
}

// 2. SvelteKit's handler: importing it runs the `init` hook, which checks the server's data and
// warms it (seconds), and only then resolves.
/** @type {(req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => void} */
let handler = () => undefined;
// A path in a variable: the module exists only in the build folder, next to this file.
const handlerModule = './handler.js';
try {
	({ handler } = await import(handlerModule));
} catch (error) {
	fail(error instanceof Error ? error.message : String(error));
}

/** @type {Record<string, string>} */
const TYPES = { '.json': 'application/json', '.geojson': 'application/geo+json' };

/**
 * Serve a data artifact: 304 when the client holds it, else its best accepted encoding.
 * @param {http.IncomingMessage} req @param {http.ServerResponse} res @param {Artifact} artifact
 */
function serveArtifact(req, res, artifact) {
	res.setHeader(
		'content-type',
		`${TYPES[extname(artifact.file)] ?? 'application/octet-stream'}; charset=utf-8`
	);
	res.setHeader('etag', artifact.etag);
	res.setHeader('cache-control', 'public, no-cache');
	res.setHeader('vary', 'Accept-Encoding');
	res.setHeader('x-content-type-options', 'nosniff');
	const ifNoneMatch = req.headers['if-none-match'];
	if (
		ifNoneMatch &&
		ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === artifact.etag)
	) {
		res.statusCode = 304;
		res.end();
		return;
	}
	const accept = String(req.headers['accept-encoding'] ?? '');
	const encoding =
		/\bbr\b/.test(accept) && 'br' in artifact.encodings
			? 'br'
			: /\bgzip\b/.test(accept) && 'gz' in artifact.encodings
				? 'gz'
				: null;
	if (encoding) res.setHeader('content-encoding', encoding === 'gz' ? 'gzip' : 'br');
	res.setHeader('content-length', encoding ? artifact.encodings[encoding] : artifact.size);
	if (req.method === 'HEAD') {
		res.end();
		return;
	}
	const stream = createReadStream(encoding ? `${artifact.file}.${encoding}` : artifact.file);
	stream.on('error', () => res.destroy());
	res.on('close', () => stream.destroy());
	stream.pipe(res);
}

/**
 * How long a connection may sit with no byte moving. Node starts its keep-alive timer when the last
 * byte of an answer is in the kernel's socket buffers, which hold megabytes: a client that pauses
 * reading a large answer for longer than the keep-alive timeout (Node's 5 s) saw the connection
 * closed before it had read the end, and Node's fetch reports the body as cut (« other side
 * closed »). So the keep-alive timeout is as long as the longest pause allowed to a reader, and
 * longer than the 60 s idle timeout of common proxies and load balancers (which must never reuse a
 * connection the server is closing). Once an answer starts, a client that reads none of it for as
 * long is cut too, so a stalled reader cannot hold its buffered answer forever.
 */
const IDLE_MS = seconds('ATLAS_IDLE_TIMEOUT_S', 65);

/**
 * From its first byte, an answer whose client reads nothing for `IDLE_MS` is cut (Node's socket
 * timeout counts a draining write queue as activity). Until then the request is being computed,
 * bounded by the task pool's own time limits.
 * @param {http.ServerResponse} res
 */
function cutStalledReader(res) {
	const writeHead = res.writeHead;
	/** @type {typeof res.writeHead} */
	const timed = function (/** @type {any[]} */ ...args) {
		res.socket?.setTimeout(IDLE_MS);
		// @ts-expect-error the overloads of writeHead, passed through unchanged
		return writeHead.apply(res, args);
	};
	res.writeHead = timed;
}

// Node checks the time limits below every `connectionsCheckingInterval` (30 s by default): check
// every second so a slow client is cut when its limit passes, not up to 30 s later.
const server = http.createServer({ connectionsCheckingInterval: 1_000 }, (req, res) => {
	cutStalledReader(res);
	const pathname = (req.url ?? '/').split('?')[0];
	const artifact = (req.method === 'GET' || req.method === 'HEAD') && artifacts.get(pathname);
	if (artifact) return serveArtifact(req, res, artifact);
	// Static files served by the adapter (sirv) do not pass through the hooks.
	res.setHeader('x-content-type-options', 'nosniff');
	res.setHeader('referrer-policy', 'strict-origin-when-cross-origin');
	handler(req, res, () => {
		res.statusCode = 404;
		res.end();
	});
});
server.headersTimeout = seconds('ATLAS_HEADERS_TIMEOUT_S', 15);
server.requestTimeout = seconds('ATLAS_REQUEST_TIMEOUT_S', 30);
server.keepAliveTimeout = IDLE_MS;

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '0.0.0.0';
server.listen(port, host, () => {
	const address = server.address();
	console.log(
		`Listening on http://${host}:${typeof address === 'object' && address ? address.port : port}`
	);
});

/** @param {string} reason */
function shutdown(reason) {
	server.closeIdleConnections();
	server.close(() => {
		// @ts-expect-error custom event of adapter-node, for `sveltekit:shutdown` listeners
		process.emit('sveltekit:shutdown', reason);
		process.exit(0);
	});
	setTimeout(() => server.closeAllConnections(), seconds('SHUTDOWN_TIMEOUT', 10)).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
