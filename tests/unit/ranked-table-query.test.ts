import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
	knownCodesOf,
	parseRankingQuery,
	serializeRankingQuery,
	type RankingQuery
} from '$lib/ranking/query';
import { DEFAULT_WEIGHTS, WEIGHT_PRESETS } from '$lib/ranking/weights';
import type { TerritoryIndex } from '$lib/territory/artifacts';

const known = knownCodesOf(
	JSON.parse(readFileSync('static/data/territoires.json', 'utf8')) as TerritoryIndex
);
const parse = (text: string) => parseRankingQuery(new URLSearchParams(text), known);
const valueOf = (text: string): RankingQuery => {
	const result = parse(text);
	if (!result.ok) throw new Error(result.erreur);
	return result.value;
};

describe('parseRankingQuery', () => {
	it('valeurs par défaut : équilibré, groupe france, normalisation filtre, tri par rang, JSON', () => {
		expect(valueOf('niveau=commune')).toEqual({
			niveau: 'commune',
			region: null,
			departement: null,
			weights: DEFAULT_WEIGHTS,
			preset: 'equilibre',
			groupe: 'france',
			normalisation: 'filtre',
			tri: 'rang',
			ordre: 'asc',
			limite: null,
			page: 1,
			scenario: null,
			format: 'json',
			separateur: ';'
		});
	});

	it('lit un préréglage, sans tenir compte des accents ni de la casse', () => {
		expect(valueOf('niveau=epci&poids=Équilibré').preset).toBe('equilibre');
		expect(valueOf('niveau=epci&poids=RURAL').weights).toEqual(WEIGHT_PRESETS[1].weights);
	});

	it('lit une chaîne de poids, décimales avec un point ; reconnaît un préréglage écrit en entier', () => {
		const q = valueOf('niveau=epci&poids=eloignes:3,acces:1.5');
		expect(q.weights).toMatchObject({ eloignes: 3, acces: 1.5, part: 0, qpv: 0 });
		expect(q.preset).toBeNull();
		expect(valueOf('niveau=epci&poids=eloignes:2,part:1,acces:1,qpv:3,pauvrete:2').preset).toBe(
			'qpv'
		);
	});

	it('codes : 2A en minuscules, département dans sa région', () => {
		expect(valueOf('niveau=commune&departement=2a').departement).toBe('2A');
		expect(valueOf('niveau=commune&region=94&departement=2B')).toMatchObject({
			region: '94',
			departement: '2B'
		});
	});

	it('tri, ordre par défaut selon la colonne, pagination, séparateurs', () => {
		expect(valueOf('niveau=commune&tri=distance')).toMatchObject({
			tri: 'distance',
			ordre: 'desc'
		});
		expect(valueOf('niveau=commune&tri=nom')).toMatchObject({ tri: 'nom', ordre: 'asc' });
		expect(valueOf('niveau=commune&limite=50&page=3')).toMatchObject({ limite: 50, page: 3 });
		for (const [text, separator] of [
			['%3B', ';'],
			[';', ';'],
			['%2C', ','],
			['virgule', ','],
			['point-virgule', ';']
		]) {
			expect(valueOf(`niveau=commune&format=csv&separateur=${text}`).separateur).toBe(separator);
		}
	});
});

describe('serializeRankingQuery', () => {
	it.each([
		'niveau=commune',
		'niveau=commune&departement=59&format=csv',
		'niveau=epci&region=32&poids=rural&groupe=departement',
		'niveau=commune&region=32&departement=62&poids=eloignes:3,acces:1.5&normalisation=france&tri=distance&ordre=asc&limite=20&page=2&format=csv&separateur=,',
		'niveau=departement&poids=reseau&tri=score&format=geojson',
		'niveau=commune&departement=23&scenario=AbCdEfGhIjKlMnOpQrSt-_&format=csv'
	])('%s : écrit puis relu à l’identique', (text) => {
		const query = valueOf(text);
		expect(serializeRankingQuery(query)).toBe(text);
		expect(valueOf(serializeRankingQuery(query))).toEqual(query);
	});

	it('n’écrit que le niveau quand le reste vaut les défauts', () => {
		expect(
			serializeRankingQuery({
				niveau: 'epci',
				weights: DEFAULT_WEIGHTS,
				groupe: 'france',
				ordre: 'asc'
			})
		).toBe('niveau=epci');
	});
});
