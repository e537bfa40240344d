/**
 * Saved scenarios in PostgreSQL (npm `pg`), for deployments where several servers share one
 * store. The document is kept as `text`, not `jsonb`, so a scenario reopens byte for byte as saved.
 */
import pg from 'pg';
import type { ScenarioDocument, StoredScenario } from '$lib/scenarios/saved-scenario';
import { toStored, type ScenarioStore } from './scenario-store';

/** Connections per server: enough for 50 concurrent clients, far below PostgreSQL's 100. */
const POOL_SIZE = 10;

/** Connect to `connectionString` and create the table on first use. */
export async function openPostgresStore(connectionString: string): Promise<ScenarioStore> {
	const pool = new pg.Pool({ connectionString, max: POOL_SIZE });
	// An idle client losing its connection must not crash the server.
	pool.on('error', (error) => console.error('PostgreSQL :', error.message));
	await pool.query(
		`CREATE TABLE IF NOT EXISTS scenarios (
			id text PRIMARY KEY,
			created_at timestamptz NOT NULL,
			body text NOT NULL
		)`
	);
	return {
		kind: 'postgresql',
		async insert(id: string, document: ScenarioDocument, createdAt: Date): Promise<StoredScenario> {
			const body = JSON.stringify(document);
			await pool.query('INSERT INTO scenarios (id, created_at, body) VALUES ($1, $2, $3)', [
				id,
				createdAt,
				body
			]);
			return toStored(id, createdAt.toISOString(), body);
		},
		async get(id: string): Promise<StoredScenario | null> {
			const { rows } = await pool.query<{ created_at: Date; body: string }>(
				'SELECT created_at, body FROM scenarios WHERE id = $1',
				[id]
			);
			return rows[0] ? toStored(id, rows[0].created_at.toISOString(), rows[0].body) : null;
		},
		async close(): Promise<void> {
			await pool.end();
		}
	};
}
