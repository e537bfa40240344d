/**
 * How a refused request says what is wrong, the same way in every parser and in the API's 400
 * answers: one French sentence listing every problem (`erreur`) and one message per problem
 * (`details`).
 */

/** A refusal: every problem of a request, in French. */
export interface Refusal {
	/** One French sentence listing every problem. */
	erreur: string;
	/** One French message per problem. */
	details: string[];
}

/** The outcome of reading a request: its value, or every problem with it. */
export type ParseResult<T> = { ok: true; value: T } | ({ ok: false } & Refusal);

/**
 * The refusal of a request with these problems, led by `lead` (« Requête invalide » by default).
 * @example refusalOf(['niveau « x » inconnu']).erreur // "Requête invalide (1 problème) : niveau « x » inconnu."
 */
export function refusalOf(problems: readonly string[], lead = 'Requête invalide'): Refusal {
	return {
		erreur: `${lead} (${problems.length} problème${problems.length > 1 ? 's' : ''}) : ${problems.join(' ; ')}.`,
		details: [...problems]
	};
}
