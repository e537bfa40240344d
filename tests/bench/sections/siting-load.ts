/**
 * The server never blocks (issue 11): p99 of `GET /api/estimations` under 50 concurrent clients,
 * without and then with France-wide simulations (`POST /api/simulation`, N = 500, capacity
 * objective) running in the worker pool. Against the BUILT server (`node build/index.js`, started
 * and stopped here, loopback only); each phase lasts a fixed time, so the section is bounded.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { formatDecimal, formatInteger } from '../../../src/lib/format/number';
import type { BenchSection } from '../section';

const CLIENTS = 50;
const SIMULATION_CLIENTS = 2;
const PHASE_MS = 20_000;
const READY_TIMEOUT_MS = 180_000;
const ESTIMATIONS = '/api/estimations?niveau=departement';
/**
 * A France-wide run, N = 500 − k: each request differs, so the answers cache (which keeps every
 * simulation answered) never spares the worker pool the computation this section loads it with.
 */
let runs = 0;
const franceRun = () =>
	JSON.stringify({ niveau: 'france', n: 500 - (runs++ % 200), objectif: 'capacite' });

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

const percentile = (sorted: number[], p: number) =>
	sorted.length === 0
		? NaN
		: sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

interface Phase {
	latencies: number[];
	errors: number;
	simulations: Record<string, number>;
}

async function phase(base: string, withSimulations: boolean): Promise<Phase> {
	const end = performance.now() + PHASE_MS;
	const result: Phase = { latencies: [], errors: 0, simulations: {} };
	const reader = async () => {
		while (performance.now() < end) {
			const started = performance.now();
			try {
				const response = await fetch(base + ESTIMATIONS);
				await response.arrayBuffer();
				if (response.status !== 200) result.errors++;
				else result.latencies.push(performance.now() - started);
			} catch {
				result.errors++;
			}
		}
	};
	const simulator = async () => {
		while (performance.now() < end) {
			try {
				const response = await fetch(base + '/api/simulation', {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: franceRun()
				});
				await response.arrayBuffer();
				const key = String(response.status);
				result.simulations[key] = (result.simulations[key] ?? 0) + 1;
				if (response.status === 503) {
					const wait = Number(response.headers.get('retry-after') ?? '1');
					await new Promise((r) => setTimeout(r, Math.min(wait, 5) * 1000));
				}
			} catch {
				result.simulations.erreur = (result.simulations.erreur ?? 0) + 1;
			}
		}
	};
	await Promise.all([
		...Array.from({ length: CLIENTS }, reader),
		...(withSimulations ? Array.from({ length: SIMULATION_CLIENTS }, simulator) : [])
	]);
	result.latencies.sort((a, b) => a - b);
	return result;
}

export default {
	name: 'Serveur sous charge : lectures pendant des simulations France entière',
	async run() {
		const entry = join(process.cwd(), 'build', 'index.js');
		if (!existsSync(entry)) {
			console.log('serveur construit absent : lancez npm run build');
			return;
		}
		const port = await freePort();
		const base = `http://127.0.0.1:${port}`;
		const server = spawn(process.execPath, [entry], {
			env: { ...process.env, PORT: String(port), HOST: '127.0.0.1' },
			stdio: ['ignore', 'ignore', 'pipe']
		});
		let stderr = '';
		server.stderr.on('data', (chunk) => (stderr += String(chunk)));
		try {
			const deadline = performance.now() + READY_TIMEOUT_MS;
			let ready = false;
			while (!ready && performance.now() < deadline) {
				try {
					ready = (await fetch(base + ESTIMATIONS)).status === 200;
				} catch {
					await new Promise((r) => setTimeout(r, 500));
				}
			}
			if (!ready) {
				console.log(`serveur pas prêt en ${READY_TIMEOUT_MS / 1000} s : ${stderr.slice(0, 300)}`);
				return;
			}
			// The workers load their data at start: one small run waits for them.
			const warm = await fetch(base + '/api/simulation', {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ niveau: 'departement', code: '23', n: 1 })
			});
			console.log(`serveur construit prêt (simulation d’échauffement : HTTP ${warm.status})`);
			const quiet = await phase(base, false);
			const busy = await phase(base, true);
			for (const [label, p] of [
				['sans simulation', quiet],
				[
					`avec ${SIMULATION_CLIENTS} clients de simulations France N = 301 à 500 (toutes différentes)`,
					busy
				]
			] as const) {
				console.log(
					`${label} : ${formatInteger(p.latencies.length)} lectures en ${PHASE_MS / 1000} s, p50 ${formatDecimal(percentile(p.latencies, 50), 1)} ms, p99 ${formatDecimal(percentile(p.latencies, 99), 1)} ms, erreurs ${p.errors}${
						Object.keys(p.simulations).length > 0
							? ` ; simulations : ${Object.entries(p.simulations)
									.map(([k, v]) => `${v} × HTTP ${k}`)
									.join(', ')}`
							: ''
					}`
				);
			}
			const ratio = percentile(busy.latencies, 99) / percentile(quiet.latencies, 99);
			console.log(`rapport des p99 (avec / sans) : ${formatDecimal(ratio, 2)}`);
		} finally {
			server.kill('SIGTERM');
		}
	}
} satisfies BenchSection;
