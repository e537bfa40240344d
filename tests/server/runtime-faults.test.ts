/**
 * The built server under the faults a public service meets: clients leaving mid-answer, bodies and
 * headers trickling in, floods of distinct queries and of writes, hostile input in URLs. Plus the
 * headers it must send (CSP, nosniff, validators, compression).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compactImportContext, expandImportContext } from '$lib/places-import/import-context';
import { readPlacesFile } from '$lib/places-import/import-places';
import { decodeCommuneTable } from '$lib/territory/commune-table';
import { HOST, startBuiltServer, type RunningServer } from './built-server';

const CACHE_CAP_MB = 6;
/** The scenario store of this server (never the working copy's `./data`). */
const dataDir = mkdtempSync(join(tmpdir(), 'atlas-server-faults-'));
let server: RunningServer;
beforeAll(async () => {
	server = await startBuiltServer({
		DATA_DIR: dataDir,
		ATLAS_CACHE_MAX_MB: String(CACHE_CAP_MB),
		ATLAS_HEADERS_TIMEOUT_S: '2',
		ATLAS_REQUEST_TIMEOUT_S: '3',
		ATLAS_POST_BURST: '3',
		ATLAS_POST_PER_MINUTE: '6'
	});
});
afterAll(async () => {
	await server?.stop();
	rmSync(dataDir, { recursive: true, force: true });
});

const state = async () =>
	(await (await fetch(`${server.base}/api/etat`)).json()) as {
		memoire_mio: { rss: number };
		cache_reponses: { entrees: number; octets: number; plafond_octets: number; evictions: number };
	};

/** Open `path` and drop the connection after the first chunk of the body. */
function leaveMidAnswer(path: string): Promise<number> {
	return new Promise((resolve, reject) => {
		const req = request({ host: HOST, port: server.port, path }, (res) => {
			res.once('data', (chunk: Buffer) => {
				req.destroy();
				resolve(chunk.length);
			});
		});
		req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
		req.end();
	});
}

/** Longer than Node's default keep-alive timeout (5 s, plus its 1 s margin). */
const PAUSE_MS = 8_000;

/**
 * Read `path` with Node's fetch (brotli, as a browser asks), stop reading after the first chunk
 * for `pauseMs`, then read the rest; resolves with the decoded length and its last chunk.
 */
async function readWithPause(path: string, pauseMs: number) {
	const response = await fetch(server.base + path, { headers: { 'accept-encoding': 'br' } });
	expect(response.headers.get('content-encoding')).toBe('br');
	const reader = response.body!.getReader();
	let length = 0;
	let paused = false;
	let tail = new Uint8Array();
	for (;;) {
		const { done, value } = await reader.read();
		if (done) return { length, paused, tail };
		length += value.length;
		tail = value;
		if (!paused) {
			paused = true;
			await new Promise((resolve) => setTimeout(resolve, pauseMs));
		}
	}
}

/** Send `text` on a raw socket one piece every `everyMs`; resolves with what came back when closed. */
function trickle(
	pieces: string[],
	everyMs: number
): Promise<{ answer: string; closedAfterMs: number }> {
	return new Promise((resolve) => {
		const started = Date.now();
		const socket = connect(server.port, HOST);
		let answer = '';
		let i = 0;
		const timer = setInterval(() => {
			if (i < pieces.length && !socket.destroyed) socket.write(pieces[i++]);
		}, everyMs);
		socket.on('data', (chunk) => (answer += chunk));
		socket.on('error', () => undefined);
		socket.on('close', () => {
			clearInterval(timer);
			resolve({ answer, closedAfterMs: Date.now() - started });
		});
	});
}

describe('clients qui partent ou traînent', () => {
	it('un client qui part au milieu d’une réponse ne gêne ni le serveur ni les suivants', async () => {
		const csv = '/api/classement?niveau=commune&format=csv&poids=qpv';
		expect(await leaveMidAnswer(csv)).toBeGreaterThan(0);
		expect(await leaveMidAnswer('/data/mediateurs.geojson')).toBeGreaterThan(0);
		expect(await leaveMidAnswer('/api/estimations?niveau=commune')).toBeGreaterThan(0);
		const whole = await fetch(`${server.base}${csv}`);
		expect(whole.status).toBe(200);
		const lines = (await whole.text()).trim().split('\r\n');
		expect(lines).toHaveLength(1 + 34_875);
		expect(server.child.exitCode).toBeNull();
	});

	it('un client qui cesse de lire une grande réponse pendant 8 s en reçoit ensuite la fin', async () => {
		// Compressed, as a browser or Node's fetch asks: the whole body then fits in the kernel's
		// socket buffers, the server's last write completes at once, and Node's keep-alive timer (5 s
		// by default) used to close the connection while the client had not read the end.
		const paths = ['/api/classement?niveau=commune&format=csv', '/api/classement?niveau=epci'];
		const whole = await Promise.all(
			paths.map(async (path) => (await fetch(server.base + path)).arrayBuffer())
		);
		const read = await Promise.all(paths.map((path) => readWithPause(path, PAUSE_MS)));
		for (const [i, bytes] of read.entries()) {
			expect(bytes.paused).toBe(true);
			expect(bytes.length).toBe(whole[i].byteLength);
		}
		expect(new TextDecoder().decode(read[0].tail)).toMatch(/\r\n$/);
	});

	it('un corps de requête qui arrive au compte-gouttes est coupé (408), le serveur reste disponible', async () => {
		const body = JSON.stringify({ niveau: 'departement', code: '02', n: 2 });
		const head = `POST /api/simulation HTTP/1.1\r\nHost: ${HOST}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
		// One byte a second: the whole body would take ~40 s; the server allows 3 s in this test.
		const { answer, closedAfterMs } = await trickle([head, ...body.split('')], 1000);
		expect(answer).toMatch(/^HTTP\/1\.1 408/);
		expect(closedAfterMs).toBeLessThan(body.length * 1000);
		expect((await fetch(`${server.base}/api/etat`)).status).toBe(200);
	});

	it('des en-têtes qui arrivent au compte-gouttes (slowloris) : la connexion est fermée', async () => {
		const pieces = [
			'GET / HTTP/1.1\r\n',
			`Host: ${HOST}\r\n`,
			...Array.from({ length: 40 }, (_, i) => `X-${i}: a\r\n`)
		];
		const { closedAfterMs } = await trickle(pieces, 500);
		expect(closedAfterMs).toBeLessThan(pieces.length * 500);
	});
});

describe('cache des réponses', () => {
	it('1 000 requêtes distinctes : le cache reste sous son plafond, les réponses restent justes', async () => {
		const paths: string[] = [];
		for (let a = 1; a <= 10; a++)
			for (let b = 1; b <= 10; b++)
				for (let c = 1; c <= 10; c++)
					paths.push(`/api/classement?niveau=region&poids=eloignes:${a},pauvrete:${b},fibre:${c}`);
		for (let i = 0; i < paths.length; i += 10) {
			const answers = await Promise.all(paths.slice(i, i + 10).map((p) => fetch(server.base + p)));
			for (const a of answers) {
				expect(a.status).toBe(200);
				await a.arrayBuffer();
			}
		}
		const { cache_reponses: cache } = await state();
		expect(cache.plafond_octets).toBe(CACHE_CAP_MB * 1024 * 1024);
		expect(cache.octets).toBeLessThanOrEqual(cache.plafond_octets);
		expect(cache.evictions).toBeGreaterThan(0);
	});

	it('même requête, paramètres dans un autre ordre : même réponse, servie du cache, 304 sur If-None-Match', async () => {
		const first = await fetch(
			`${server.base}/api/classement?niveau=epci&departement=80&poids=rural`
		);
		const again = await fetch(
			`${server.base}/api/classement?poids=rural&departement=80&niveau=epci`
		);
		expect(again.headers.get('x-cache')).toBe('HIT');
		const etag = first.headers.get('etag')!;
		expect(again.headers.get('etag')).toBe(etag);
		expect(await again.text()).toBe(await first.text());
		const notModified = await fetch(
			`${server.base}/api/classement?niveau=epci&departement=80&poids=rural`,
			{
				headers: { 'if-none-match': etag }
			}
		);
		expect(notModified.status).toBe(304);
	});
});

describe('classement d’un scénario enregistré (issue 12)', () => {
	it('scenario=<id> : les lieux importés comptent et c’est dit ; un identifiant inconnu : 404 en français, jamais gardé', async () => {
		// Saint-Vaury's real Aidants Connect structure, read by the import as the browser does.
		const communes = decodeCommuneTable(
			JSON.parse(readFileSync('static/data/communes.json', 'utf8'))
		);
		const importedPlaces = readPlacesFile(
			'creuse-aidants-connect.csv',
			readFileSync('tests/fixtures/places-import/creuse-aidants-connect.csv'),
			expandImportContext(compactImportContext(communes, []))
		).accepted;
		const saved = await fetch(`${server.base}/api/scenarios`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ name: 'Creuse serveur', importedPlaces })
		});
		expect(saved.status).toBe(201);
		const { id } = (await saved.json()) as { id: string };

		const path = '/api/classement?niveau=commune&departement=23&format=csv&sep=,';
		const national = await fetch(`${server.base}${path}`);
		const scenario = await fetch(`${server.base}${path}&scenario=${id}`);
		expect(scenario.status).toBe(200);
		expect(scenario.headers.get('x-atlas-scenario')).toBe(id);
		expect(scenario.headers.get('x-atlas-sources')).toContain('donnees-importees');
		expect(national.headers.get('x-atlas-scenario')).toBeNull();
		expect(scenario.headers.get('etag')).not.toBe(national.headers.get('etag'));
		const access = (text: string) => {
			const lines = text.split('\r\n');
			const header = lines[0].split(',');
			const cells = lines
				.map((l) => l.split(','))
				.find((c) => c[header.indexOf('code')] === '23247')!;
			return Number(cells[header.indexOf('acces_equivalents_conseiller_pour_10000')]);
		};
		expect(access(await scenario.text())).toBeGreaterThan(access(await national.text()));

		for (const bad of ['AAAAAAAAAAAAAAAAAAAAAA', '%3Cscript%3E']) {
			for (let i = 0; i < 2; i++) {
				const response = await fetch(`${server.base}${path}&scenario=${bad}`);
				expect(response.status).toBe(404);
				expect(response.headers.get('x-cache')).toBe('MISS');
				expect(((await response.json()) as { erreur: string }).erreur).toMatch(
					/^Aucun scénario enregistré sous l’identifiant/
				);
			}
		}
	});
});

describe('pages et leurs données (navigation côté client)', () => {
	it('une page déjà en cache ne sert jamais son HTML à la place de ses données JSON', async () => {
		const path = '/territoire/commune/62765';
		const html = await fetch(`${server.base}${path}`);
		expect(html.headers.get('content-type')).toMatch(/text\/html/);
		await html.text();
		// What the client router asks when one follows a link to the same page.
		for (const dataPath of [
			`${path}/__data.json`,
			`${path}/__data.json?x-sveltekit-invalidated=01`
		]) {
			const data = await fetch(`${server.base}${dataPath}`);
			expect(data.status).toBe(200);
			expect(data.headers.get('content-type')).toMatch(/application\/json/);
			expect(JSON.parse(await data.text())).toHaveProperty('type', 'data');
		}
		// And the other way round: the data in cache does not replace the page.
		const again = await fetch(`${server.base}${path}`);
		expect(again.headers.get('content-type')).toMatch(/text\/html/);
	});
});

describe('pages publiques', () => {
	it('Sources et méthode : les notes écrites pour le lecteur, jamais les réserves internes de provenance', async () => {
		// The whole answer, page data included: an internal note must not even sit in the serialised data.
		const html = await (await fetch(`${server.base}/sources`)).text();
		expect(html).toContain('seul le classement officiel publié par l’État fait foi');
		for (const internal of [
			/vérifier avant publication/,
			/vivrea/i,
			/grist/i,
			/métabase/i,
			/à confirmer avec/
		])
			expect(html).not.toMatch(internal);
	});
});

describe('écritures : taille et débit', () => {
	it('un corps trop gros : 413 en français', async () => {
		const response = await fetch(`${server.base}/api/simulation`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ niveau: 'departement', code: '02', n: 2, x: 'a'.repeat(300_000) })
		});
		expect(response.status).toBe(413);
		expect(((await response.json()) as { erreur: string }).erreur).toContain('trop volumineux');
	});

	it('trop d’écritures depuis une adresse : 429 en français avec Retry-After', async () => {
		const statuses: number[] = [];
		let last: Response | null = null;
		for (let i = 0; i < 8; i++) {
			last = await fetch(`${server.base}/api/simulation`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: '{}'
			});
			statuses.push(last.status);
			if (last.status === 429) break;
		}
		expect(statuses).toContain(400); // the first ones reach the endpoint (and its French 400)
		expect(last!.status).toBe(429);
		expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(((await last!.json()) as { erreur: string }).erreur).toContain('trop de requêtes');
	});
});

describe('en-têtes de sécurité et de cache', () => {
	it('page : CSP sans unsafe-inline pour les scripts, frame-ancestors none, nosniff, Referrer-Policy', async () => {
		const response = await fetch(`${server.base}/territoire/departement/59`);
		const csp = response.headers.get('content-security-policy')!;
		const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src'))!;
		expect(scriptSrc).not.toContain('unsafe-inline');
		expect(scriptSrc).toMatch(/'sha256-/);
		expect(csp).toContain("frame-ancestors 'none'");
		expect(csp).toContain("object-src 'none'");
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
		expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
	});

	it('artefacts : ETag de contenu, 304, no-cache, brotli pour tous (mediateurs.geojson aussi)', async () => {
		for (const path of [
			'/data/mediateurs.geojson',
			'/data/mediateurs-points.json',
			'/data/communes.json',
			'/data/geo/epci.topo.json'
		]) {
			const response = await fetch(server.base + path, { headers: { 'accept-encoding': 'br' } });
			expect(response.status).toBe(200);
			expect(response.headers.get('content-encoding')).toBe('br');
			expect(response.headers.get('cache-control')).toBe('public, no-cache');
			expect(response.headers.get('x-content-type-options')).toBe('nosniff');
			const etag = response.headers.get('etag')!;
			expect(etag).toMatch(/^"[\w-]{32}"$/);
			await response.arrayBuffer();
			const again = await fetch(server.base + path, { headers: { 'if-none-match': etag } });
			expect(again.status).toBe(304);
		}
	});

	it('les pages d’erreur n’insèrent jamais l’entrée brute comme balisage', async () => {
		const hostile = '<script>alert(1)</script>';
		for (const path of [
			`/territoire/commune/${encodeURIComponent(hostile)}`,
			`/territoire/${encodeURIComponent(hostile)}/59`,
			`/recherche?q=${encodeURIComponent(hostile)}`
		]) {
			const response = await fetch(server.base + path);
			expect(response.status).toBeLessThan(500);
			const html = await response.text();
			expect(html).not.toContain(hostile);
			expect(html).not.toContain('<script>alert');
		}
	});
});
