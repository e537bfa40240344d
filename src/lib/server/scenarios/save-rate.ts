/**
 * How often one client may save: a sliding window per client address, in memory (a scenario is
 * a deliberate act; 30 saves a minute is far above a person's pace and stops a script filling the
 * disk). Several servers each count their own clients, which is enough for that purpose.
 */

export interface SaveRateLimit {
	/** Saves allowed per window. */
	max: number;
	/** Window, ms. */
	windowMs: number;
}

/** Default: 30 saves per minute per client; `SCENARIO_SAVES_PER_MINUTE` changes it. */
export const DEFAULT_SAVE_RATE: SaveRateLimit = { max: 30, windowMs: 60_000 };

/** Clients remembered at most; the oldest are forgotten first. */
const MAX_CLIENTS = 10_000;

export class SaveRateLimiter {
	readonly #limit: SaveRateLimit;
	readonly #saves = new Map<string, number[]>();

	constructor(limit: SaveRateLimit) {
		this.#limit = limit;
	}

	/**
	 * Count a save by `client` at `now` (ms) if allowed.
	 * @returns null when allowed, else the seconds to wait (for `Retry-After`)
	 */
	take(client: string, now: number): number | null {
		const since = now - this.#limit.windowMs;
		const times = (this.#saves.get(client) ?? []).filter((t) => t > since);
		if (times.length >= this.#limit.max) {
			this.#saves.set(client, times);
			return Math.max(1, Math.ceil((times[0] + this.#limit.windowMs - now) / 1000));
		}
		times.push(now);
		this.#saves.delete(client);
		this.#saves.set(client, times);
		if (this.#saves.size > MAX_CLIENTS) {
			const oldest = this.#saves.keys().next().value;
			if (oldest !== undefined) this.#saves.delete(oldest);
		}
		return null;
	}
}
