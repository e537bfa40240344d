/** One wording of a refused request (ranking query, simulation body, simulation engine). */
import { describe, expect, it } from 'vitest';
import { refusalOf } from '$lib/format/problems';

describe('refusalOf', () => {
	it('lists every problem in one French sentence, singular and plural', () => {
		expect(refusalOf(['niveau « x » inconnu'])).toEqual({
			erreur: 'Requête invalide (1 problème) : niveau « x » inconnu.',
			details: ['niveau « x » inconnu']
		});
		expect(refusalOf(['a', 'b'], 'Simulation impossible').erreur).toBe(
			'Simulation impossible (2 problèmes) : a ; b.'
		);
	});
});
