/**
 * A server whose data is missing or corrupt must not start: French message naming the file, exit
 * code 1, never a listening, half-served app. The built output is copied to a temporary folder
 * (with a link to node_modules) and damaged there.
 */
import {
	cpSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	symlinkSync,
	unlinkSync,
	writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, request } from 'node:http';
import { freePort, listening, ROOT, spawnServer } from './built-server';

let copy: string;
beforeAll(() => {
	copy = mkdtempSync(join(tmpdir(), 'atlas-build-'));
	cpSync(join(ROOT, 'build'), join(copy, 'build'), { recursive: true });
	symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
	cpSync(join(ROOT, 'static', 'data'), join(copy, 'data'), { recursive: true });
});
afterAll(() => rmSync(copy, { recursive: true, force: true }));

/** Run the copied server until it exits (it must, within 60 s); returns its code and output. */
async function runUntilExit(env: Record<string, string> = {}) {
	const port = await freePort();
	const { child, output, exited } = spawnServer(join(copy, 'build', 'index.js'), env, port);
	const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
	const code = await exited;
	clearTimeout(timer);
	return { code, output: output() };
}

/** GET `path` on the agent's connection: status, body, and whether the connection was reused. */
function get(port: number, agent: Agent, path: string) {
	return new Promise<{ status: number; body: string; reused: boolean }>((resolve, reject) => {
		const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
			let body = '';
			res.setEncoding('utf8');
			res.on('data', (chunk: string) => (body += chunk));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, body, reused: req.reusedSocket }));
			res.on('error', reject);
		});
		req.on('error', reject);
		req.end();
	});
}

/** Damage `file` for the duration of `check`, then put it back. */
async function withDamaged(
	file: string,
	damage: 'corrupt' | 'missing',
	check: () => Promise<void>
) {
	const original = readFileSync(file);
	if (damage === 'missing') unlinkSync(file);
	else writeFileSync(file, original.subarray(0, Math.floor(original.length / 2)));
	try {
		await check();
	} finally {
		writeFileSync(file, original);
	}
}

describe('démarrage avec des données abîmées', () => {
	it('un fichier servi au navigateur tronqué : message en français, code 1, jamais à l’écoute', async () => {
		await withDamaged(join(copy, 'build', 'client', 'data', 'qpv.json'), 'corrupt', async () => {
			const { code, output } = await runUntilExit();
			expect(code).toBe(1);
			expect(output).toContain('démarrage impossible');
			expect(output).toContain('fichier data/qpv.json corrompu ou modifié depuis la construction');
			expect(output).not.toContain('Listening');
		});
	});

	it('un fichier servi au navigateur absent : message qui le nomme, code 1', async () => {
		await withDamaged(
			join(copy, 'build', 'client', 'data', 'mediateurs.geojson'),
			'missing',
			async () => {
				const { code, output } = await runUntilExit();
				expect(code).toBe(1);
				expect(output).toContain('fichier data/mediateurs.geojson absent');
				expect(output).not.toContain('Listening');
			}
		);
	});

	it('une donnée du serveur corrompue (ATLAS_DATA_DIR) : message qui la nomme, code 1', async () => {
		await withDamaged(join(copy, 'data', 'communes.json'), 'corrupt', async () => {
			const { code, output } = await runUntilExit({ ATLAS_DATA_DIR: join(copy, 'data') });
			expect(code).toBe(1);
			expect(output).toContain('Données de l’Atlas inutilisables');
			expect(output).toContain('fichier communes.json corrompu : JSON invalide');
			expect(output).not.toContain('Listening');
		});
	});

	it('une donnée du serveur absente : message qui la nomme, code 1', async () => {
		await withDamaged(join(copy, 'data', 'geo', 'epci.topo.json'), 'missing', async () => {
			const { code, output } = await runUntilExit({ ATLAS_DATA_DIR: join(copy, 'data') });
			expect(code).toBe(1);
			expect(output).toContain('fichier geo/epci.topo.json absent');
		});
	});

	it('les mêmes copies intactes démarrent ; dès qu’il écoute, aucune connexion gardée ouverte n’est coupée', async () => {
		const port = await freePort();
		// Idle connections closed after 2 s: a request thread busy for longer would reset the next
		// request of a kept-alive connection (what clients met during the old warm-up).
		const { child, output, exited } = spawnServer(
			join(copy, 'build', 'index.js'),
			{ ATLAS_DATA_DIR: join(copy, 'data'), ATLAS_IDLE_TIMEOUT_S: '2' },
			port
		);
		const agent = new Agent({ keepAlive: true, maxSockets: 1 });
		try {
			await listening(child, output);
			// From the first answer: the analysis and the pool are warm, nothing is retried.
			const state = JSON.parse((await get(port, agent, '/api/etat')).body) as {
				pool_calcul: { travailleurs: number } | null;
			};
			expect(state.pool_calcul?.travailleurs).toBeGreaterThan(0);
			const paths = [
				'/territoire/departement/80',
				'/api/classement?niveau=commune&departement=80',
				'/territoire/commune/80021',
				'/api/estimations?niveau=epci',
				'/territoire/region/32',
				'/api/etat'
			];
			for (const path of paths) {
				// Idle for half the limit, so the server's idle timer runs when the request arrives.
				await new Promise((resolve) => setTimeout(resolve, 1_000));
				const answer = await get(port, agent, path);
				expect({ path, status: answer.status, reused: answer.reused }).toEqual({
					path,
					status: 200,
					reused: true
				});
			}
		} finally {
			agent.destroy();
			child.kill('SIGTERM');
			await exited;
		}
	});
});
