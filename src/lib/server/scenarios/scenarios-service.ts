/**
 * The server's scenario service: which store (`DATABASE_URL` → PostgreSQL, else SQLite in
 * `DATA_DIR`, default `./data`), the save rate per client, and the two operations the API and the
 * `/scenario/<id>` page use, with French refusals.
 */
import { join, resolve } from 'node:path';
import {
	checkScenarioDocument,
	newScenarioId,
	SCENARIO_ID_PATTERN,
	type StoredScenario
} from '$lib/scenarios/saved-scenario';
import type { ScenarioStore } from './scenario-store';
import { openSqliteStore } from './sqlite-store';
import { openPostgresStore } from './postgres-store';
import { DEFAULT_SAVE_RATE, SaveRateLimiter } from './save-rate';

/** Read from the environment once per process. */
export interface ScenarioConfig {
	databaseUrl: string | null;
	dataDir: string;
	savesPerMinute: number;
}

export function scenarioConfigFromEnv(env: NodeJS.ProcessEnv): ScenarioConfig {
	const rate = Number(env.SCENARIO_SAVES_PER_MINUTE);
	return {
		databaseUrl: env.DATABASE_URL?.trim() || null,
		dataDir: resolve(env.DATA_DIR?.trim() || './data'),
		savesPerMinute: Number.isInteger(rate) && rate > 0 ? rate : DEFAULT_SAVE_RATE.max
	};
}

/** Open the store the configuration names. */
export function openScenarioStore(config: ScenarioConfig): Promise<ScenarioStore> {
	return config.databaseUrl
		? openPostgresStore(config.databaseUrl)
		: Promise.resolve(openSqliteStore(join(config.dataDir, 'scenarios.sqlite')));
}

export type SaveOutcome =
	| { ok: true; scenario: StoredScenario }
	| { ok: false; status: 400 | 429 | 503; erreur: string; details: string[]; retryAfter?: number };

export class ScenarioService {
	readonly #store: Promise<ScenarioStore>;
	readonly #rate: SaveRateLimiter;

	constructor(config: ScenarioConfig, store?: Promise<ScenarioStore>) {
		this.#store = store ?? openScenarioStore(config);
		// An unreachable database is reported per request, not as an unhandled rejection.
		this.#store.catch(() => undefined);
		this.#rate = new SaveRateLimiter({ max: config.savesPerMinute, windowMs: 60_000 });
	}

	/** Validate then store `input` for `client` (its address). */
	async save(input: unknown, client: string, now = Date.now()): Promise<SaveOutcome> {
		const checked = checkScenarioDocument(input);
		if (!checked.ok) {
			return { ok: false, status: 400, erreur: 'Scénario invalide.', details: checked.errors };
		}
		const wait = this.#rate.take(client, now);
		if (wait !== null) {
			const message = `Trop d’enregistrements depuis votre poste : réessayez dans ${wait} s.`;
			return { ok: false, status: 429, erreur: message, details: [message], retryAfter: wait };
		}
		const store = await this.#storeOrNull();
		if (!store) return unavailable();
		const scenario = await store.insert(newScenarioId(), checked.value, new Date(now));
		return { ok: true, scenario };
	}

	/** The scenario, null when unknown (ids of the wrong shape are never looked up). */
	async get(id: string): Promise<StoredScenario | null | 'unavailable'> {
		if (!SCENARIO_ID_PATTERN.test(id)) return null;
		const store = await this.#storeOrNull();
		if (!store) return 'unavailable';
		return store.get(id);
	}

	async close(): Promise<void> {
		const store = await this.#storeOrNull();
		await store?.close();
	}

	async #storeOrNull(): Promise<ScenarioStore | null> {
		try {
			return await this.#store;
		} catch (error) {
			console.error('Base des scénarios indisponible :', error);
			return null;
		}
	}
}

/** What every route answers while the scenario store cannot be reached. */
export const SCENARIOS_UNAVAILABLE =
	'La base des scénarios est indisponible pour le moment : réessayez plus tard.';

function unavailable(): SaveOutcome {
	const message = SCENARIOS_UNAVAILABLE;
	return { ok: false, status: 503, erreur: message, details: [message] };
}

/** One service per server process, opened on first use. */
const service: { current?: ScenarioService } = {};

/** The process's scenario service (configured from the environment). */
export function getScenarioService(): ScenarioService {
	service.current ??= new ScenarioService(scenarioConfigFromEnv(process.env));
	return service.current;
}
