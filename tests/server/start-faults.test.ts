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
import { freePort, ROOT, spawnServer } from './built-server';

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

	it('les mêmes copies intactes démarrent (le test sait réussir)', async () => {
		const port = await freePort();
		const { child, exited } = spawnServer(
			join(copy, 'build', 'index.js'),
			{ ATLAS_DATA_DIR: join(copy, 'data') },
			port
		);
		try {
			let status = 0;
			for (let i = 0; i < 300 && status !== 200; i++) {
				await new Promise((resolve) => setTimeout(resolve, 200));
				status = await fetch(`http://127.0.0.1:${port}/api/etat`).then(
					(r) => r.status,
					() => 0
				);
			}
			expect(status).toBe(200);
		} finally {
			child.kill('SIGTERM');
			await exited;
		}
	});
});
