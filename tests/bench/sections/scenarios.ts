/**
 * Issue 12: saved scenarios on the built server (`build/index.js`, loopback only), on SQLite and,
 * when `TEST_DATABASE_URL` (or `DATABASE_URL`) names a PostgreSQL database, on PostgreSQL:
 * - save and reopen a scenario of 5 000 imported places (real places, see real-scenario.ts), round
 *   trip compared field by field;
 * - 50 clients each saving a 200-place scenario then reading it back, in a loop for 20 s: latency
 *   p50/p99 and errors. The save rate per client is raised for this run (SCENARIO_SAVES_PER_MINUTE)
 *   since all clients share one address.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import { formatInteger } from '../../../src/lib/format/number';
import { realScenario } from '../../fixtures/scenarios/real-scenario';
import type { BenchSection } from '../section';

const CLIENTS = 50;
const DURATION_MS = 20_000;
const HOST = '127.0.0.1';

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.on('error', reject);
		server.listen(0, HOST, () => {
			const address = server.address();
			server.close(() =>
				typeof address === 'object' && address ? resolve(address.port) : reject()
			);
		});
	});
}

async function startServer(
	env: Record<string, string>
): Promise<{ url: string; child: ChildProcess }> {
	const port = await freePort();
	const child = spawn(process.execPath, ['build/index.js'], {
		env: { ...process.env, ...env, PORT: String(port), HOST, BODY_SIZE_LIMIT: '9M' },
		stdio: 'ignore'
	});
	const url = `http://${HOST}:${port}`;
	const deadline = Date.now() + 60_000;
	while (Date.now() < deadline) {
		try {
			if ((await fetch(`${url}/api/scenarios/AAAAAAAAAAAAAAAAAAAAAA`)).status === 404)
				return { url, child };
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	child.kill('SIGKILL');
	throw new Error('le serveur n’a pas démarré en 60 s');
}

function percentile(sorted: number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function measure(label: string, env: Record<string, string>): Promise<void> {
	const { url, child } = await startServer({ ...env, SCENARIO_SAVES_PER_MINUTE: '1000000' });
	try {
		const big = realScenario(5_000);
		const t0 = performance.now();
		const saved = await fetch(`${url}/api/scenarios`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(big)
		});
		const { id } = (await saved.json()) as { id: string };
		const t1 = performance.now();
		const read = (await (await fetch(`${url}/api/scenarios/${id}`)).json()) as Record<
			string,
			unknown
		>;
		const t2 = performance.now();
		const identical = isDeepStrictEqual(
			{ ...read, id: undefined, createdAt: undefined },
			{
				...big,
				id: undefined,
				createdAt: undefined
			}
		);
		console.log(
			`${label} — 5 000 lieux importés : enregistrement ${formatInteger(t1 - t0)} ms (HTTP ${saved.status}), relecture ${formatInteger(t2 - t1)} ms, aller-retour ${identical ? 'identique' : 'DIFFÉRENT'}`
		);

		const body = JSON.stringify(realScenario(200));
		const latencies: number[] = [];
		let errors = 0;
		let saves = 0;
		const end = performance.now() + DURATION_MS;
		const client = async () => {
			while (performance.now() < end) {
				const a = performance.now();
				try {
					const r = await fetch(`${url}/api/scenarios`, {
						method: 'POST',
						headers: { 'content-type': 'application/json' },
						body
					});
					const b = performance.now();
					if (r.status !== 201) {
						errors++;
						await r.arrayBuffer();
						continue;
					}
					const { id: saved } = (await r.json()) as { id: string };
					saves++;
					const c = performance.now();
					const g = await fetch(`${url}/api/scenarios/${saved}`);
					const text = await g.text();
					if (g.status !== 200 || !text.includes(saved)) errors++;
					latencies.push(b - a, performance.now() - c);
				} catch {
					errors++;
				}
			}
		};
		await Promise.all(Array.from({ length: CLIENTS }, client));
		latencies.sort((x, y) => x - y);
		console.log(
			`${label} — ${CLIENTS} clients pendant ${DURATION_MS / 1000} s : ${formatInteger(saves)} enregistrements et autant de relectures, p50 ${formatInteger(percentile(latencies, 50))} ms, p99 ${formatInteger(percentile(latencies, 99))} ms, ${formatInteger(errors)} erreurs`
		);
	} finally {
		child.kill('SIGTERM');
	}
}

export default {
	name: 'Scénarios enregistrés : SQLite et PostgreSQL (serveur construit, boucle locale)',
	async run() {
		if (!existsSync('build/index.js')) {
			console.log('build/index.js absent : lancez npm run build');
			return;
		}
		const dir = mkdtempSync(join(tmpdir(), 'atlas-bench-scenarios-'));
		try {
			await measure('SQLite', { DATA_DIR: dir, DATABASE_URL: '' });
			const pg = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
			if (pg) await measure('PostgreSQL', { DATABASE_URL: pg });
			else console.log('PostgreSQL : non mesuré (TEST_DATABASE_URL absent)');
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	}
} satisfies BenchSection;
