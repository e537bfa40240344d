// `npm run loadtest`: builds if stale, starts the built server on a free loopback port, and prints
// what a public deployment would want to know, then stops the server:
// 1. first answer vs the same query repeated (answers cache), per heavy endpoint, measured three
//    ways: time to last byte of the compressed answer (a raw request with `Accept-Encoding: br`,
//    nothing decompressed nor parsed: what load tools measure), end to end (Node's fetch, body
//    received and decompressed, as a client does) and on the server (its `Server-Timing` total:
//    until the answer's bytes are ready); plus the revalidation of a repeat (`If-None-Match`, 304).
//    Each first query is one never asked before (the server is warm when it listens), so the first
//    is a real computation (`Server-Timing` says `miss`); the raw request and the fetch are sent
//    together and share that one computation;
// 2. a realistic mix for LOADTEST_DURATION s (default 30, at most 120) with LOADTEST_CONNECTIONS
//    clients (default 50): map page and its assets, estimations, classement JSON and CSV, fiches,
//    and simulations (2 clients, at most 2 per second in all); p50/p99, throughput, errors and
//    time-outs per group, once every query of the mix has been answered once (warm);
// 3. the server's memory (RSS) and answers cache after 1,000 distinct queries, against the cap.
// Everything stays on 127.0.0.1. A benchmark, not a test: figures vary with the machine's load.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
// @ts-expect-error autocannon ships no type declarations
import autocannon from 'autocannon';
import './ensure-build.js';

const HOST = '127.0.0.1';
/** @param {string} name @param {number} fallback @param {number} max */
const bounded = (name, fallback, max) => {
	const value = Number(process.env[name]);
	return Math.min(max, Number.isFinite(value) && value > 0 ? value : fallback);
};
const DURATION_S = bounded('LOADTEST_DURATION', 30, 120);
const CONNECTIONS = Math.max(10, bounded('LOADTEST_CONNECTIONS', 50, 500));
const DISTINCT_QUERIES = 1000;
const TIMEOUT_S = 10;
const CACHE_CAP_MB = bounded('ATLAS_CACHE_MAX_MB', 128, 4096);

/** A port the OS says is free right now. @returns {Promise<number>} */
function freePort() {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.on('error', reject);
		server.listen(0, HOST, () => {
			const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
			server.close(() => resolve(port));
		});
	});
}

const port = await freePort();
const base = `http://${HOST}:${port}`;
const server = spawn(process.execPath, ['build/index.js'], {
	env: {
		...process.env,
		PORT: String(port),
		HOST,
		ORIGIN: base,
		// Each simulated user sends its own address (X-Forwarded-For), as behind a proxy, so the
		// per-address limit on writes applies per user, not to the whole test.
		ADDRESS_HEADER: 'x-forwarded-for',
		ATLAS_CACHE_MAX_MB: String(CACHE_CAP_MB)
	},
	stdio: ['ignore', 'pipe', 'pipe']
});
let serverLog = '';
server.stdout.on('data', (c) => (serverLog += c));
server.stderr.on('data', (c) => (serverLog += c));
const stop = () => {
	if (server.exitCode === null) server.kill('SIGTERM');
};
process.on('exit', stop);
process.on('SIGINT', () => process.exit(130));

/** @param {number} t */
const ms = (t) => `${Math.round(t)} ms`;
const accept = { 'accept-encoding': 'br, gzip' };

/** @param {string} path @param {RequestInit & { headers?: Record<string, string> }} [init] */
async function timed(path, init = {}) {
	const started = performance.now();
	const response = await fetch(base + path, { ...init, headers: { ...accept, ...init.headers } });
	await response.arrayBuffer();
	if (!response.ok) throw new Error(`${path} : ${response.status}`);
	return performance.now() - started;
}

/**
 * One request timed end to end and as the server saw it.
 * @param {string} path
 * @returns {Promise<{ e2e: number, server: number, cache: string, where: string | undefined }>}
 */
async function measured(path) {
	const started = performance.now();
	const response = await fetch(base + path, { headers: accept });
	await response.arrayBuffer();
	const e2e = performance.now() - started;
	if (!response.ok) throw new Error(`${path} : ${response.status}`);
	const timing = response.headers.get('server-timing') ?? '';
	return {
		e2e,
		server: Number(/total;dur=([\d.]+)/.exec(timing)?.[1] ?? NaN),
		cache: /cache;desc="(\w+)"/.exec(timing)?.[1] ?? '?',
		where: /compute;dur=[\d.]+;desc="(\w+)"/.exec(timing)?.[1]
	};
}

/**
 * Time to last byte of the compressed answer: a raw request (`Accept-Encoding: br`), its bytes
 * received and counted, never decompressed nor parsed.
 * @param {string} path @param {Record<string, string>} [headers]
 * @returns {Promise<{ ttlb: number, status: number, bytes: number, etag: string | undefined, timing: string }>}
 */
function lastByte(path, headers = {}) {
	return new Promise((resolve, reject) => {
		const started = performance.now();
		const req = request(
			{ host: HOST, port, path, headers: { 'accept-encoding': 'br', ...headers } },
			(res) => {
				let bytes = 0;
				res.on('data', (/** @type {Buffer} */ chunk) => (bytes += chunk.length));
				res.on('end', () =>
					resolve({
						ttlb: performance.now() - started,
						status: res.statusCode ?? 0,
						bytes,
						etag: /** @type {string | undefined} */ (res.headers.etag),
						timing: String(res.headers['server-timing'] ?? '')
					})
				);
				res.on('error', reject);
			}
		);
		req.on('error', reject);
		req.end();
	});
}

async function waitForServer() {
	const deadline = Date.now() + 120_000;
	while (Date.now() < deadline) {
		if (server.exitCode !== null) throw new Error(`Le serveur s’est arrêté :\n${serverLog}`);
		try {
			if ((await fetch(`${base}/api/etat`)).ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 250));
	}
	throw new Error(`Le serveur ne répond pas :\n${serverLog}`);
}

const territories = JSON.parse(readFileSync('static/data/territoires.json', 'utf8'));
const deps = territories.departements.map((/** @type {{ code: string }} */ d) => d.code);
/** @param {string[]} list @param {number} n */
const pick = (list, n) => list.filter((_, i) => i % Math.ceil(list.length / n) === 0).slice(0, n);

/** Simulation bodies: a few posts in a département, as a planner would ask. */
const simulationBodies = pick(deps, 8).map((code, i) =>
	JSON.stringify({ niveau: 'departement', code, n: 2 + (i % 4) })
);

/** The groups of the mix: share of the clients and the paths each one cycles through. */
/** @param {string[]} pageAssets */
function mixGroups(pageAssets) {
	const some = pick(deps, 12);
	return [
		{ name: 'page carte + ressources', share: 0.16, paths: ['/', ...pageAssets] },
		{
			name: 'estimations JSON',
			share: 0.2,
			paths: [
				'/api/estimations?niveau=region',
				'/api/estimations?niveau=departement',
				'/api/estimations?niveau=epci',
				...some.map((d) => `/api/estimations?niveau=commune&departement=${d}`)
			]
		},
		{
			name: 'classement JSON',
			share: 0.2,
			paths: [
				'/api/classement?niveau=epci',
				'/api/classement?niveau=departement&poids=rural',
				'/api/classement?niveau=epci&poids=qpv&limite=50',
				...some.map((d) => `/api/classement?niveau=commune&departement=${d}`)
			]
		},
		{
			name: 'classement CSV',
			share: 0.1,
			paths: [
				'/api/classement?niveau=commune&format=csv',
				'/api/classement?niveau=epci&format=csv&sep=,',
				...some.slice(0, 4).map((d) => `/api/classement?niveau=commune&departement=${d}&format=csv`)
			]
		},
		{
			name: 'fiches territoire',
			share: 0.3,
			paths: [
				'/territoire/commune/59350',
				'/territoire/epci/200093201',
				'/territoire/region/32',
				...some.map((d) => `/territoire/departement/${d}`)
			]
		}
	];
}

/** @param {Record<string, unknown>} options @returns {Promise<any>} */
function run(options) {
	return new Promise((resolve, reject) => {
		const instance = autocannon(
			{ timeout: TIMEOUT_S, duration: DURATION_S, ...options },
			(/** @type {Error | null} */ error, /** @type {unknown} */ result) =>
				error ? reject(error) : resolve(result)
		);
		autocannon.track(instance, { renderProgressBar: false, renderResultsTable: false });
	});
}

try {
	await waitForServer();
	console.log(`Serveur construit démarré sur ${base} (arrêté à la fin).`);
	// The analysis is warmed by the server at start; wait for it as a first visitor would.
	const warmStart = performance.now();
	await timed('/api/classement?niveau=region&limite=1');
	console.log(`Première réponse après démarrage : ${ms(performance.now() - warmStart)}\n`);

	// 1. First answer vs repeated (cache): queries not used elsewhere, never asked before.
	console.log('1. Même requête répétée (cache des réponses) :');
	console.log(
		`   ${'requête'.padEnd(62)} ${'première'.padStart(22)} ${'répétée (méd. 7)'.padStart(24)} ${'304'.padStart(5)} ${'rapport'.padStart(18)}`
	);
	console.log(
		`   ${''.padEnd(62)} ${'octet / bout / serv.'.padStart(22)} ${'octet / bout / serv.'.padStart(24)} ${''.padStart(5)} ${'octet / bout / serv.'.padStart(18)}`
	);
	const repeated = [
		'/api/classement?niveau=epci&poids=reseau',
		'/api/classement?niveau=commune&region=32&format=csv',
		'/api/classement?niveau=commune&format=csv&poids=rural',
		'/api/estimations?niveau=commune&region=84',
		'/territoire/departement/80',
		'/api/classement?niveau=commune&departement=59&format=xlsx'
	];
	const ratios = {
		ttlb: /** @type {number[]} */ ([]),
		e2e: /** @type {number[]} */ ([]),
		server: /** @type {number[]} */ ([])
	};
	/** @param {number[]} list */
	const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
	/** @param {number[]} values @param {number} digits */
	const triple = (values, digits = 0) => values.map((v) => v.toFixed(digits)).join(' / ');
	for (const path of repeated) {
		// Sent together: both wait for the one computation (`miss` for one, `shared` for the other).
		const [raw, first] = await Promise.all([lastByte(path), measured(path)]);
		if (first.cache === 'hit') console.log(`   (!) ${path} : la première venait déjà du cache`);
		const again = [];
		const rawAgain = [];
		const revalidated = [];
		for (let i = 0; i < 7; i++) {
			again.push(await measured(path));
			rawAgain.push(await lastByte(path));
			const notModified = await lastByte(path, { 'if-none-match': raw.etag ?? '' });
			if (notModified.status !== 304) console.log(`   (!) ${path} : pas de 304`);
			revalidated.push(notModified.ttlb);
		}
		if (again.some((a) => a.cache !== 'hit')) console.log(`   (!) ${path} : répétée recalculée`);
		const ttlb = median(rawAgain.map((a) => a.ttlb));
		const e2e = median(again.map((a) => a.e2e));
		// Server-Timing has a resolution of 0.1 ms: a repeat under it counts as 0.1 ms.
		const server = Math.max(0.1, median(again.map((a) => a.server)));
		const firstServer = first.server;
		const where = first.where ?? /desc="(pool|thread)"/.exec(raw.timing)?.[1] ?? '?';
		ratios.ttlb.push(raw.ttlb / ttlb);
		ratios.e2e.push(first.e2e / e2e);
		ratios.server.push(firstServer / server);
		console.log(
			`   ${`${path} (${where})`.padEnd(62)} ${`${triple([raw.ttlb, first.e2e, firstServer])} ms`.padStart(22)} ${`${triple([ttlb, e2e, server], 1)} ms`.padStart(24)} ${`${median(revalidated).toFixed(1)}`.padStart(5)} ${`×${triple([raw.ttlb / ttlb, first.e2e / e2e, firstServer / server])}`.padStart(18)}`
		);
	}
	console.log(
		`   Rapport le plus faible : ×${Math.round(Math.min(...ratios.ttlb))} au dernier octet, ×${Math.round(Math.min(...ratios.e2e))} de bout en bout, ×${Math.round(Math.min(...ratios.server))} côté serveur (attendu ≥ ×20)`
	);
	console.log(
		'   octet = requête brute (Accept-Encoding: br), temps jusqu’au dernier octet compressé, sans décompression ni lecture ; bout = fetch de Node, corps reçu et décompressé ; serv. = Server-Timing « total », jusqu’aux octets prêts (hors envoi) ; 304 = revalidation d’une répétée (If-None-Match), ms ; (pool)/(thread) : où la première a été calculée.\n'
	);

	// 2. The mix, once warm.
	const home = await (await fetch(base + '/')).text();
	const pageAssets = [
		...new Set([...home.matchAll(/(?:href|src)="\.?(\/_app\/immutable\/[^"]+)"/g)].map((m) => m[1]))
	];
	pageAssets.push(
		'/data/communes.json',
		'/data/geo/departements.topo.json',
		'/data/mediateurs.geojson'
	);
	const groups = mixGroups(pageAssets);
	const warmPaths = groups.flatMap((g) => g.paths);
	const warmStarted = performance.now();
	for (let i = 0; i < warmPaths.length; i += 4) {
		await Promise.all(warmPaths.slice(i, i + 4).map((p) => timed(p)));
	}
	for (const body of simulationBodies) {
		await timed('/api/simulation', {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-forwarded-for': '192.0.2.250' },
			body
		});
	}
	console.log(
		`2. Mélange réaliste : ${CONNECTIONS} clients, ${DURATION_S} s (${warmPaths.length} requêtes distinctes et ${simulationBodies.length} simulations déjà demandées une fois, ${ms(performance.now() - warmStarted)})`
	);
	const readers = CONNECTIONS - 2;
	let left = readers;
	const runs = groups.map((g, i) => {
		const connections = i === groups.length - 1 ? left : Math.max(1, Math.round(readers * g.share));
		left -= connections;
		return run({
			url: base,
			connections,
			headers: accept,
			requests: g.paths.map((path) => ({ method: 'GET', path }))
		}).then((result) => ({ name: g.name, connections, result }));
	});
	let user = 0;
	runs.push(
		run({
			url: base,
			connections: 2,
			overallRate: 2,
			requests: simulationBodies.map((body) => ({
				method: 'POST',
				path: '/api/simulation',
				body,
				setupRequest: (/** @type {Record<string, unknown>} */ request) => ({
					...request,
					headers: {
						'content-type': 'application/json',
						'x-forwarded-for': `192.0.2.${(user++ % 50) + 1}`
					}
				})
			}))
		}).then((result) => ({ name: 'simulations (POST)', connections: 2, result }))
	);
	const results = await Promise.all(runs);
	console.log(
		`   ${'groupe'.padEnd(26)} ${'clients'.padStart(7)} ${'requêtes'.padStart(9)} ${'req/s'.padStart(7)} ${'p50'.padStart(8)} ${'p99'.padStart(8)} ${'erreurs'.padStart(8)} ${'délais'.padStart(7)}`
	);
	let totalErrors = 0;
	let totalTimeouts = 0;
	let worstReadP99 = 0;
	for (const { name, connections, result: r } of results) {
		const errors = r.errors + r.non2xx;
		totalErrors += errors;
		totalTimeouts += r.timeouts;
		if (!name.startsWith('simulations')) worstReadP99 = Math.max(worstReadP99, r.latency.p99);
		console.log(
			`   ${name.padEnd(26)} ${String(connections).padStart(7)} ${String(r.requests.total).padStart(9)} ${r.requests.average.toFixed(1).padStart(7)} ${ms(r.latency.p50).padStart(8)} ${ms(r.latency.p99).padStart(8)} ${String(errors).padStart(8)} ${String(r.timeouts).padStart(7)}`
		);
	}
	console.log(
		`   Total : ${totalErrors} erreur(s), ${totalTimeouts} délai(s) dépassé(s) (> ${TIMEOUT_S} s) ; p99 de lecture le plus lent : ${ms(worstReadP99)} (objectif ≤ 300 ms)\n`
	);

	// 3. Memory after 1,000 distinct queries (custom weights: each one a new ranking).
	const before = await (await fetch(`${base}/api/etat`)).json();
	const distinct = [];
	for (let a = 1; a <= 10; a++)
		for (let b = 1; b <= 10; b++)
			for (let c = 1; c <= 10; c++)
				distinct.push(
					`/api/classement?niveau=departement&poids=eloignes:${a},acces:${b},fibre:${c}`
				);
	const distinctStarted = performance.now();
	for (let i = 0; i < distinct.length; i += 8) {
		await Promise.all(distinct.slice(i, i + 8).map((p) => timed(p)));
	}
	const after = await (await fetch(`${base}/api/etat`)).json();
	/** @param {number} bytes */
	const mib = (bytes) => (bytes / 1024 / 1024).toFixed(1);
	console.log(
		`3. ${DISTINCT_QUERIES} requêtes distinctes en ${ms(performance.now() - distinctStarted)} :`
	);
	console.log(
		`   mémoire du serveur (RSS) : ${before.memoire_mio.rss} Mio avant, ${after.memoire_mio.rss} Mio après`
	);
	const c = after.cache_reponses;
	console.log(
		`   cache des réponses : ${c.entrees} entrées, ${mib(c.octets)} Mio sur un plafond de ${mib(c.plafond_octets)} Mio, ${c.evictions} évictions, ${c.calculs} calculs, ${c.succes} réponses servies du cache`
	);
} catch (error) {
	console.error(error instanceof Error ? error.message : error);
	process.exitCode = 1;
} finally {
	stop();
}
