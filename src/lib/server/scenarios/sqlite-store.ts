/**
 * Saved scenarios in SQLite (better-sqlite3 12, the last line that builds on Node 20). WAL mode so
 * readers never wait for a writer, `synchronous = FULL` so a scenario whose save was answered
 * survives a crash of the process or of the machine.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { ScenarioDocument, StoredScenario } from '$lib/scenarios/saved-scenario';
import { toStored, type ScenarioStore } from './scenario-store';

/** Open (and create on first use) the store in `file`; its folder is created if missing. */
export function openSqliteStore(file: string): ScenarioStore {
	mkdirSync(dirname(file), { recursive: true });
	const db = new Database(file);
	db.pragma('journal_mode = WAL');
	db.pragma('synchronous = FULL');
	// Another process may hold the write lock for a moment (two servers on one file).
	db.pragma('busy_timeout = 5000');
	db.exec(
		`CREATE TABLE IF NOT EXISTS scenarios (
			id TEXT PRIMARY KEY,
			created_at TEXT NOT NULL,
			body TEXT NOT NULL
		) STRICT`
	);
	const insert = db.prepare('INSERT INTO scenarios (id, created_at, body) VALUES (?, ?, ?)');
	const select = db.prepare<[string], { created_at: string; body: string }>(
		'SELECT created_at, body FROM scenarios WHERE id = ?'
	);
	return {
		kind: 'sqlite',
		async insert(id: string, document: ScenarioDocument, createdAt: Date): Promise<StoredScenario> {
			const body = JSON.stringify(document);
			const at = createdAt.toISOString();
			insert.run(id, at, body);
			return toStored(id, at, body);
		},
		async get(id: string): Promise<StoredScenario | null> {
			const row = select.get(id);
			return row ? toStored(id, row.created_at, row.body) : null;
		},
		async close(): Promise<void> {
			db.close();
		}
	};
}
