import { describe, expect, it } from 'vitest';
import { comparisonBars, rankOrdinal } from '$lib/report/report-wording';
import type { ComparisonFigure } from '$lib/report/report-figures';

describe('rankOrdinal', () => {
	it.each([
		[1, 'commune', '1re'],
		[1, 'epci', '1re'],
		[1, 'region', '1re'],
		[1, 'departement', '1er'],
		[2, 'departement', '2e'],
		[11760, 'commune', '11\u202f760e']
	] as const)('%i for a %s: %s', (rank, level, text) => {
		expect(rankOrdinal(rank, level).replace(/\s/g, ' ')).toBe(text.replace(/\s/g, ' '));
	});
});

describe('comparisonBars', () => {
	it('names each scope, emphasises the territory and keeps the estimate band', () => {
		const figure = {
			id: 'part',
			values: [
				{
					scope: 'territoire',
					code: '23096',
					nom: 'Guéret',
					value: 17,
					text: '17,0 %',
					low: 13,
					high: 22
				},
				{ scope: 'departement', code: '23', nom: 'Creuse', value: 19, text: '19,0 %' },
				{ scope: 'region', code: '75', nom: 'Nouvelle-Aquitaine', value: 17.5, text: '17,5 %' },
				{ scope: 'france', code: 'FR', nom: 'France', value: 16.2, text: '16,2 %' }
			]
		} as unknown as ComparisonFigure;
		expect(comparisonBars(figure)).toEqual([
			{
				key: 'territoire-23096',
				label: 'Guéret',
				value: 17,
				text: '17,0 %',
				low: 13,
				high: 22,
				emphasis: true
			},
			{
				key: 'departement-23',
				label: 'Département : Creuse',
				value: 19,
				text: '19,0 %',
				low: null,
				high: null,
				emphasis: false
			},
			{
				key: 'region-75',
				label: 'Région : Nouvelle-Aquitaine',
				value: 17.5,
				text: '17,5 %',
				low: null,
				high: null,
				emphasis: false
			},
			{
				key: 'france-FR',
				label: 'France',
				value: 16.2,
				text: '16,2 %',
				low: null,
				high: null,
				emphasis: false
			}
		]);
	});
});
