/**
 * The built server's task pool (issue 13): the large answers of `/api/classement` are computed by a
 * worker, never on the request thread, and are the same bytes the ranking code writes; a repeated
 * query never reaches the pool (the answers cache is in front, `Server-Timing` says so); a full
 * pool answers a French 503 with `Retry-After`. One worker and a queue of one, so that three
 * simultaneous large queries fill it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadServerAnalysis } from '$lib/server/analysis';
import { writeRankingCsv } from '$lib/export/ranking-export';
import { knownCodesOf, parseRankingQuery } from '$lib/ranking/query';
import { epciParentsOf, rankTable, sortPositions } from '$lib/ranking/ranked-table';
import { startBuiltServer, type RunningServer } from './built-server';

const CSV_QUERIES = [
	{ search: 'niveau=commune&format=csv', bom: true, separator: ';' },
	{ search: 'niveau=commune&format=csv&separateur=,', bom: false, separator: ',' }
];
const references = new Map<string, Uint8Array>();
let server: RunningServer;
beforeAll(async () => {
	// Before any request: computing them holds this process's event loop for seconds, and a
	// keep-alive connection the server closes meanwhile would be reused unnoticed.
	for (const { search } of CSV_QUERIES) references.set(search, await referenceCsv(search));
	server = await startBuiltServer({ ATLAS_WORKERS: '1', ATLAS_WORKER_QUEUE: '1' });
});
afterAll(async () => {
	await server?.stop();
	if (process.env.DEBUG_SERVER) console.log(server?.output());
});

interface PoolState {
	pool_calcul: { travailleurs: number; file_max: number; termines: number } | null;
}
const poolState = async () =>
	((await (await fetch(`${server.base}/api/etat`)).json()) as PoolState).pool_calcul;

/**
 * The CSV as the ranking code writes it, computed here in the test's own process the way the
 * endpoint did before the pool (ranked table, sorted, `writeRankingCsv`).
 */
async function referenceCsv(search: string): Promise<Uint8Array> {
	const { dataset, analysis } = await loadServerAnalysis();
	const parsed = parseRankingQuery(new URLSearchParams(search), knownCodesOf(dataset.territories));
	if (!parsed.ok) throw new Error(parsed.erreur);
	const q = parsed.value;
	const table = rankTable(
		{
			rowsAt: (level) => analysis.rowsAt(level),
			preparedAt: (level) => analysis.preparedAt(level),
			epciParents: epciParentsOf(analysis.inputs.communes)
		},
		{
			level: q.niveau,
			filter: { region: q.region, departement: q.departement },
			weights: q.weights,
			group: q.groupe,
			normalisation: q.normalisation
		}
	);
	const csv = writeRankingCsv({
		query: q,
		table,
		positions: sortPositions(table, q.tri, q.ordre),
		datasets: dataset.sources.datasets,
		generatedAt: new Date()
	});
	return new TextEncoder().encode(csv);
}

describe('le pool de calcul du serveur construit', () => {
	it('un worker, une file d’un calcul (ATLAS_WORKERS, ATLAS_WORKER_QUEUE)', async () => {
		// The server listens once its workers are warm: the pool is there from the first answer.
		expect(await poolState()).toMatchObject({ travailleurs: 1, file_max: 1, en_cours: 0 });
	});

	it.each(CSV_QUERIES)(
		'CSV de toutes les communes ($search) : calculé par le pool, octet pour octet celui du code du classement',
		async ({ search, bom, separator }) => {
			const response = await fetch(`${server.base}/api/classement?${search}`);
			expect(response.status).toBe(200);
			expect(response.headers.get('x-cache')).toBe('MISS');
			expect(response.headers.get('server-timing')).toMatch(
				/^cache;desc="miss", compute;dur=[\d.]+;desc="pool", wait;dur=[\d.]+, encode;dur=[\d.]+, total;dur=[\d.]+$/
			);
			const bytes = new Uint8Array(await response.arrayBuffer());
			expect(Buffer.from(bytes).equals(Buffer.from(references.get(search)!))).toBe(true);
			// BOM for French Excel only, then the header row first (RFC 4180), one line per commune.
			expect(Array.from(bytes.subarray(0, 3)).join(',') === '239,187,191').toBe(bom);
			const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
			const lines = (bom ? text.slice(1) : text).trim().split('\r\n');
			expect(lines[0]).toMatch(new RegExp(`^position${separator === ';' ? ';' : ','}`));
			expect(lines).toHaveLength(1 + 34_875);
			// Decimal comma with `;`, decimal point with `,` (a number cell of the first row).
			const decimal = separator === ';' ? /;\d+,\d+;/ : /,\d+\.\d+,/;
			expect(lines[1]).toMatch(decimal);
		}
	);

	it('la même requête répétée : servie du cache, sans tâche du pool, et Server-Timing le dit', async () => {
		const path = `${server.base}/api/classement?niveau=commune&format=csv&poids=rural`;
		const first = await fetch(path, { headers: { 'accept-encoding': 'br' } });
		const firstBytes = await first.arrayBuffer();
		const finished = (await poolState())!.termines;
		const again = await fetch(path, { headers: { 'accept-encoding': 'br' } });
		expect(again.headers.get('x-cache')).toBe('HIT');
		expect(again.headers.get('server-timing')).toMatch(/^cache;desc="hit", total;dur=[\d.]+$/);
		expect(again.headers.get('content-encoding')).toBe('br');
		expect(Buffer.from(await again.arrayBuffer()).equals(Buffer.from(firstBytes))).toBe(true);
		expect((await poolState())!.termines).toBe(finished);
	});

	it('estimations de toutes les communes : calculées par le pool, en-tête d’abord', async () => {
		const response = await fetch(`${server.base}/api/estimations?niveau=commune&format=csv`);
		expect(response.status).toBe(200);
		expect(response.headers.get('server-timing')).toMatch(/compute;dur=[\d.]+;desc="pool"/);
		const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer());
		const lines = text.slice(1).trim().split('\r\n');
		expect(text.charCodeAt(0)).toBe(0xfeff);
		expect(lines[0]).toMatch(/^code;nom;niveau;/);
		expect(lines).toHaveLength(1 + 34_875);
	});

	it('un petit classement reste sur le fil des requêtes (pas de tâche du pool)', async () => {
		const finished = (await poolState())!.termines;
		const response = await fetch(`${server.base}/api/classement?niveau=commune&departement=80`);
		expect(response.status).toBe(200);
		expect(response.headers.get('server-timing')).toMatch(/compute;dur=[\d.]+;desc="thread"/);
		await response.arrayBuffer();
		expect((await poolState())!.termines).toBe(finished);
	});

	it('une fiche territoire : calculée par le pool (une tâche), la même répétée : aucune', async () => {
		for (const path of ['/territoire/departement/80', '/territoire/commune/80021/donnees.csv']) {
			const finished = (await poolState())!.termines;
			const first = await fetch(`${server.base}${path}`);
			expect(first.status).toBe(200);
			expect(first.headers.get('x-cache')).toBe('MISS');
			expect(first.headers.get('server-timing')).toMatch(/compute;dur=[\d.]+;desc="pool"/);
			const body = await first.text();
			expect((await poolState())!.termines).toBe(finished + 1);
			const again = await fetch(`${server.base}${path}`);
			expect(again.headers.get('x-cache')).toBe('HIT');
			expect(await again.text()).toBe(body);
			expect((await poolState())!.termines).toBe(finished + 1);
		}
	});

	it('pool plein : 503 en français avec Retry-After, jamais gardé en cache', async () => {
		// One runs, one waits, the third finds the queue full.
		const paths = [2, 3, 4].map(
			(n) =>
				`${server.base}/api/classement?niveau=commune&format=geojson&poids=eloignes:${n},acces:1`
		);
		// Each body read as soon as it comes, as a client does.
		const answers = await Promise.all(
			paths.map(async (path) => {
				const response = await fetch(path);
				return { response, body: await response.text() };
			})
		);
		const statuses = answers.map((a) => a.response.status).sort();
		expect(statuses).toEqual([200, 200, 503]);
		const refused = answers.find((a) => a.response.status === 503)!;
		expect(Number(refused.response.headers.get('retry-after'))).toBeGreaterThan(0);
		expect((JSON.parse(refused.body) as { erreur: string }).erreur).toMatch(
			/^Serveur occupé\. Le classement n’a pas pu démarrer/
		);
		// Asked again once the pool has room: computed, not the refusal kept.
		const retried = await fetch(paths[answers.indexOf(refused)]);
		expect(retried.status).toBe(200);
		await retried.arrayBuffer();
	});
});
