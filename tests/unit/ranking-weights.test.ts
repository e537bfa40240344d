import { describe, expect, it } from 'vitest';
import { CRITERION_IDS } from '../../src/lib/ranking/criteria';
import { normaliseByRank } from '../../src/lib/ranking/normalise';
import {
	DEFAULT_WEIGHTS,
	findPreset,
	parseWeights,
	serializeWeights,
	WEIGHT_PRESETS,
	type Weights
} from '../../src/lib/ranking/weights';

const zero = Object.fromEntries(CRITERION_IDS.map((id) => [id, 0])) as Weights;

describe('lecture de la chaîne de poids', () => {
	it.each([
		['eloignes:3,acces:2,fibre:1', { eloignes: 3, acces: 2, fibre: 1 }],
		[' eloignes : 3 , qpv:0.5 ', { eloignes: 3, qpv: 0.5 }],
		['pauvrete:10', { pauvrete: 10 }],
		['rural:1,mobile:0', { rural: 1 }],
		[
			'eloignes:2,part:1,acces:2,distance:1,fibre:1,mobile:1,qpv:1,rural:1,pauvrete:1',
			DEFAULT_WEIGHTS
		],
		['acces:2,', { acces: 2 }]
	])('« %s »', (text, expected) => {
		expect(parseWeights(text)).toEqual({ ok: true, weights: { ...zero, ...expected } });
	});

	it.each([
		['', ['Aucun poids : format attendu « eloignes:3,acces:2,fibre:1 ».']],
		[' , ', ['Aucun poids : format attendu « eloignes:3,acces:2,fibre:1 ».']],
		['eloignes', ['« eloignes » : format attendu critère:poids (par exemple eloignes:3).']],
		['eloignes:', ['« eloignes: » : format attendu critère:poids (par exemple eloignes:3).']],
		[':3', ['« :3 » : format attendu critère:poids (par exemple eloignes:3).']],
		[
			'ecoles:2',
			[
				'Critère inconnu : « ecoles » (critères possibles : eloignes, part, acces, distance, fibre, mobile, qpv, rural, pauvrete).'
			]
		],
		[
			'acces:deux',
			['Poids de « acces » illisible : « deux » n’est pas un nombre (attendu entre 0 et 10).']
		],
		[
			'acces:1,5',
			[
				'« 5 » : format attendu critère:poids (par exemple eloignes:3) ; les décimales s’écrivent avec un point (1.5).'
			]
		],
		[
			'acces:1e3',
			['Poids de « acces » illisible : « 1e3 » n’est pas un nombre (attendu entre 0 et 10).']
		],
		[
			'acces:Infinity',
			['Poids de « acces » illisible : « Infinity » n’est pas un nombre (attendu entre 0 et 10).']
		],
		['acces:-2', ['Poids de « acces » négatif : -2 (attendu entre 0 et 10).']],
		['acces:11', ['Poids de « acces » trop grand : 11 (au plus 10).']],
		['acces:99999999999', ['Poids de « acces » trop grand : 99999999999 (au plus 10).']],
		['acces:1,acces:2', ['Critère « acces » donné plusieurs fois.']],
		[
			'acces:0,fibre:0',
			['Tous les poids sont nuls : donnez un poids positif à au moins un critère.']
		],
		[
			'eloignes:x,ecoles:1,fibre:-1,qpv',
			[
				'Poids de « eloignes » illisible : « x » n’est pas un nombre (attendu entre 0 et 10).',
				'Critère inconnu : « ecoles » (critères possibles : eloignes, part, acces, distance, fibre, mobile, qpv, rural, pauvrete).',
				'Poids de « fibre » négatif : -1 (attendu entre 0 et 10).',
				'« qpv » : format attendu critère:poids (par exemple eloignes:3).'
			]
		],
		['a'.repeat(301), ['Chaîne de poids trop longue : 301 caractères (au plus 300).']]
	])('refuse « %s » en listant chaque problème', (text, errors) => {
		expect(parseWeights(text)).toEqual({ ok: false, errors });
	});

	it.each(WEIGHT_PRESETS.map((p) => [p.label, p.weights] as const))(
		'le préréglage « %s » fait l’aller-retour par la chaîne',
		(_, weights) => {
			const text = serializeWeights(weights);
			expect(text).not.toMatch(/:0(,|$)/);
			expect(parseWeights(text)).toEqual({ ok: true, weights });
			expect(findPreset(weights)?.weights).toBe(weights);
		}
	);

	it('écrit les critères dans l’ordre fixe et omet les poids nuls', () => {
		expect(serializeWeights({ ...zero, fibre: 1, eloignes: 3, acces: 2.5 })).toBe(
			'eloignes:3,acces:2.5,fibre:1'
		);
		expect(findPreset({ ...zero, fibre: 1 })).toBeNull();
	});
});

describe('normalisation par rang', () => {
	it.each([
		['valeurs distinctes', [3, 8, 9, 9.7], [0, 1 / 3, 2 / 3, 1]],
		['un extrême (Paris) ne tasse pas les autres', [1, 2, 3, 300000], [0, 1 / 3, 2 / 3, 1]],
		['ex æquo au milieu', [1, 5, 5, 300], [0, 0.5, 0.5, 1]],
		['ex æquo en bas : le minimum reste 0', [0, 0, 0.3, 1.2], [0, 0, 0.6, 1]],
		['oui / non', [0, 100, 100, 0], [0, 1, 1, 0]],
		['toutes égales : aucune information', [5, 5, 5], [0, 0, 0]],
		['une seule valeur', [7], [0]],
		['aucune', [], []]
	])('%s', (_, values, expected) => {
		const result = normaliseByRank(Float64Array.from(values));
		expect(Array.from(result.normalised)).toEqual(expected.map((v) => expect.closeTo(v, 12)));
		expect(result.known).toBe(values.length);
	});

	it('une valeur inconnue prend la médiane des valeurs connues et est signalée', () => {
		// Known: 10 → 0, 20 → 0.5, 30 → 1; median of the normalised values 0.5.
		const result = normaliseByRank(Float64Array.of(10, NaN, 30, 20));
		expect(Array.from(result.normalised)).toEqual([0, 0.5, 1, 0.5]);
		expect(Array.from(result.missing)).toEqual([0, 1, 0, 0]);
		expect(result.known).toBe(3);
	});

	it('médiane d’un nombre pair de valeurs connues, et aucune valeur connue', () => {
		expect(Array.from(normaliseByRank(Float64Array.of(1, 2, NaN)).normalised)).toEqual([0, 1, 0.5]);
		expect(Array.from(normaliseByRank(Float64Array.of(NaN, NaN)).normalised)).toEqual([0, 0]);
	});
});
