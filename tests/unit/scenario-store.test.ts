/**
 * Saved scenarios: both stores keep a scenario byte for byte, survive a SIGKILL mid-save, take 50
 * concurrent saves; the service refuses bad documents and too many saves with French messages.
 * PostgreSQL runs when `TEST_DATABASE_URL` is set (`.ci/run` starts a local cluster and sets
 * `REQUIRE_POSTGRES=1`, so there it cannot be skipped).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/lib/server/scenarios/sqlite-store';
import { openPostgresStore } from '../../src/lib/server/scenarios/postgres-store';
import type { ScenarioStore } from '../../src/lib/server/scenarios/scenario-store';
import { ScenarioService } from '../../src/lib/server/scenarios/scenarios-service';
import { SaveRateLimiter } from '../../src/lib/server/scenarios/save-rate';
import {
	checkScenarioDocument,
	newScenarioId,
	SCENARIO_ID_PATTERN
} from '../../src/lib/scenarios/saved-scenario';
import { realScenario } from '../fixtures/scenarios/real-scenario';

const dir = mkdtempSync(join(tmpdir(), 'atlas-scenarios-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const postgresUrl = process.env.TEST_DATABASE_URL;
if (process.env.REQUIRE_POSTGRES === '1' && !postgresUrl) {
	throw new Error('REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set.');
}

const document = realScenario(5_000);

/** Run the crash test's child against `target` and SIGKILL it after `saves` saves. */
function saveThenKill(target: string, saves: number): Promise<string[]> {
	return new Promise((resolve, reject) => {
		const child = spawn(
			process.execPath,
			['--import', 'tsx', 'tests/fixtures/scenarios/save-forever.ts', target, '200'],
			{ stdio: ['ignore', 'pipe', 'pipe'] }
		);
		let out = '';
		let err = '';
		child.stderr.on('data', (c) => (err += c));
		child.stdout.on('data', (chunk) => {
			out += chunk;
			if (out.split('\n').length > saves) child.kill('SIGKILL');
		});
		child.on('exit', (_code, signal) => {
			if (signal !== 'SIGKILL') reject(new Error(`writer exited early: ${err}`));
			else resolve(out.split('\n').filter((line) => SCENARIO_ID_PATTERN.test(line)));
		});
	});
}

function storeSuite(name: string, open: () => Promise<ScenarioStore>, target: () => string) {
	describe(name, () => {
		it('reopens a scenario of 5 000 imported places identical to what was saved', async () => {
			expect(document.importedPlaces).toHaveLength(5_000);
			const store = await open();
			const id = newScenarioId();
			const saved = await store.insert(id, document, new Date('2026-12-03T10:00:00Z'));
			await store.close();
			const reopened = await open();
			const read = await reopened.get(id);
			expect(read).toEqual(saved);
			expect(JSON.stringify({ ...read, id: undefined, createdAt: undefined })).toBe(
				JSON.stringify({ ...document, id: undefined, createdAt: undefined })
			);
			expect(await reopened.get(newScenarioId())).toBeNull();
			await reopened.close();
		});

		it('takes 50 concurrent saves, all readable', async () => {
			const store = await open();
			const small = { ...document, importedPlaces: document.importedPlaces.slice(0, 50) };
			const ids = Array.from({ length: 50 }, () => newScenarioId());
			await Promise.all(ids.map((id) => store.insert(id, { ...small, name: id }, new Date())));
			const read = await Promise.all(ids.map((id) => store.get(id)));
			expect(read.map((s) => s?.name)).toEqual(ids);
			await store.close();
		});

		it('loses no answered save and corrupts nothing when the writer is killed', async () => {
			const ids = await saveThenKill(target(), 40);
			expect(ids.length).toBeGreaterThanOrEqual(40);
			const store = await open();
			const expected = JSON.stringify(realScenario(200).importedPlaces);
			for (const id of ids) {
				const scenario = await store.get(id);
				expect(JSON.stringify(scenario?.importedPlaces)).toBe(expected);
			}
			await store.close();
		}, 120_000);
	});
}

const sqliteFile = join(dir, 'data', 'scenarios.sqlite');
storeSuite(
	'SQLite store',
	async () => openSqliteStore(sqliteFile),
	() => sqliteFile
);

it('SQLite: WAL mode and an intact file after the crash test', () => {
	const db = new Database(sqliteFile, { readonly: true });
	expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
	expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
	db.close();
});

describe.skipIf(!postgresUrl)('PostgreSQL', () => {
	const schema = `test_${process.pid}`;
	const url = () => {
		const u = new URL(postgresUrl as string);
		u.searchParams.set('options', `-c search_path=${schema}`);
		return u.toString();
	};
	it('gets its own schema', async () => {
		const client = new pg.Client({ connectionString: postgresUrl });
		await client.connect();
		await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
		await client.end();
		expect(schema).toMatch(/^test_\d+$/);
	});
	storeSuite('PostgreSQL store', () => openPostgresStore(url()), url);
	it('drops its schema', async () => {
		const client = new pg.Client({ connectionString: postgresUrl });
		await client.connect();
		await client.query(`DROP SCHEMA ${schema} CASCADE`);
		await client.end();
		expect(true).toBe(true);
	});
});

describe('scenario service', () => {
	const service = (perMinute = 3) =>
		new ScenarioService(
			{ databaseUrl: null, dataDir: join(dir, 'service'), savesPerMinute: perMinute },
			Promise.resolve(openSqliteStore(join(dir, 'service', 'scenarios.sqlite')))
		);

	it('gives unguessable ids: 128 random bits, base64url', () => {
		const ids = new Set(Array.from({ length: 1000 }, newScenarioId));
		expect(ids.size).toBe(1000);
		for (const id of ids) expect(id).toMatch(SCENARIO_ID_PATTERN);
	});

	it('refuses the 4th save in a minute from one client with a wait, not from another', async () => {
		const s = service();
		const small = { ...document, importedPlaces: [] };
		for (let i = 0; i < 3; i++) expect((await s.save(small, '10.0.0.1', 1000 + i)).ok).toBe(true);
		const refused = await s.save(small, '10.0.0.1', 2000);
		expect(refused).toMatchObject({ ok: false, status: 429, retryAfter: 59 });
		expect(!refused.ok && refused.erreur).toMatch(/Trop d’enregistrements.*59 s/);
		expect((await s.save(small, '10.0.0.2', 2000)).ok).toBe(true);
		expect((await s.save(small, '10.0.0.1', 61_001)).ok).toBe(true);
		await s.close();
	});

	it('lists what is wrong with a document, in French', () => {
		const checked = checkScenarioDocument({
			name: '',
			territory: { niveau: 'canton', code: '62' },
			importedPlaces: [
				{ id: 'x', nom: 'A', type: 'france-services', lon: 43.5, lat: 5.4, located: 'address' }
			],
			edits: { added: [{ kind: 'ville' }] }
		});
		expect(checked.ok).toBe(false);
		expect(!checked.ok && checked.errors).toEqual([
			'Le nom du scénario est obligatoire (« name »).',
			expect.stringMatching(/^Territoire invalide/),
			'lieu importé n° 1 : coordonnées absentes ou hors de France.',
			expect.stringMatching(/^Site invalide/)
		]);
		const many = checkScenarioDocument({
			name: 'x',
			importedPlaces: Array(20_001).fill(document.importedPlaces[0])
		});
		expect(!many.ok && many.errors[0]).toMatch(
			/Trop de lieux importés : 20\s001 \(au plus 20\s000\)/u
		);
	});

	it('looks up only well-formed ids', async () => {
		const s = service();
		expect(await s.get('../../etc/passwd')).toBeNull();
		expect(await s.get(newScenarioId())).toBeNull();
		await s.close();
	});
});

it('rate limiter forgets clients beyond its window', () => {
	const limiter = new SaveRateLimiter({ max: 1, windowMs: 1000 });
	expect(limiter.take('a', 0)).toBeNull();
	expect(limiter.take('a', 500)).toBe(1);
	expect(limiter.take('a', 1001)).toBeNull();
});
