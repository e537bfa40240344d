/**
 * Where saved scenarios live: one interface, two stores. SQLite (better-sqlite3, WAL) in a file
 * under `DATA_DIR` by default, nothing to install; PostgreSQL when `DATABASE_URL` is set, for
 * deployments on several servers. A scenario is written once and never changed ("dupliquer" makes
 * a new one), so a save is one INSERT in its own transaction: a crash mid-save leaves either the
 * whole scenario or nothing.
 */
import type { ScenarioDocument, StoredScenario } from '$lib/scenarios/saved-scenario';

export interface ScenarioStore {
	readonly kind: 'sqlite' | 'postgresql';
	/** Store a new scenario under `id`; resolves once it is durable. */
	insert(id: string, document: ScenarioDocument, createdAt: Date): Promise<StoredScenario>;
	/** The scenario, or null when no scenario has this id. */
	get(id: string): Promise<StoredScenario | null>;
	close(): Promise<void>;
}

/** The row form shared by both stores: the document as JSON text, kept byte for byte. */
export function toStored(id: string, createdAt: string, body: string): StoredScenario {
	return { ...(JSON.parse(body) as ScenarioDocument), id, createdAt };
}
