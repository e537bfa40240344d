import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PostcodeTable, TerritoryIndex } from '$lib/territory/artifacts';
import {
	buildSearchIndex,
	describeSearchCode,
	describeUnknownPostcode,
	looksLikePostcode,
	readPostcodeTable,
	searchHitTitle,
	searchTerritories,
	withPostcodes,
	type SearchableCommune
} from '$lib/territory/search';

/** Cut from the real artifacts by tests/fixtures/search/cut-fixture.ts (see its README). */
const fixture = JSON.parse(
	readFileSync(new URL('../fixtures/search/postcode-search.json', import.meta.url), 'utf8')
) as { communes: SearchableCommune[]; territories: TerritoryIndex; postcodes: PostcodeTable };

const withoutPostcodes = buildSearchIndex(fixture.communes, fixture.territories);
const index = withPostcodes(withoutPostcodes, fixture.postcodes);

/** `nom — code label` of each hit, as the lists show them. */
const shown = (query: string, limit = 100) =>
	searchTerritories(index, query, limit).map(
		(h) => `${searchHitTitle(h)} · ${describeSearchCode(h)}`
	);

describe('postcode search (fixture cut from the COG 2026 / La Poste artifacts)', () => {
	it('lists every commune of a shared postcode, the most populated first, with the postcode that matched', () => {
		const hits = searchTerritories(index, '23000', 5);
		// The limit does not cut a postcode: its 15 communes are all there.
		expect(hits).toHaveLength(15);
		expect(hits.every((h) => h.match === 'postcode' && h.level === 'commune')).toBe(true);
		expect(hits.map((h) => h.population)).toEqual(
			[...hits.map((h) => h.population)].sort((a, b) => b - a)
		);
		expect(searchHitTitle(hits[0])).toBe('Guéret — 23000');
		expect(describeSearchCode(hits[0])).toBe('code postal 23000');
		expect(hits.map((h) => h.nom)).toEqual(
			expect.arrayContaining(['Sainte-Feyre', 'Saint-Fiel', 'Anzême', 'Peyrabout'])
		);
		const saintOmer = searchTerritories(index, ' 62500 ', 10);
		expect(saintOmer.map((h) => h.nom).slice(0, 2)).toEqual([
			'Saint-Omer',
			'Saint-Martin-lez-Tatinghem'
		]);
		expect(saintOmer).toHaveLength(9);
	});

	it('keeps finding Guéret by its INSEE code, labelled as such', () => {
		const [hit, ...rest] = searchTerritories(index, '23096', 10);
		expect(rest).toEqual([]);
		expect(hit).toMatchObject({ code: '23096', match: 'code' });
		expect(searchHitTitle(hit)).toBe('Guéret');
		expect(describeSearchCode(hit)).toBe('code INSEE 23096');
	});

	it('shows both the commune of an INSEE code and the communes of the same postcode, labelled', () => {
		// 01400 is Seillonnaz's INSEE code and the postcode of Châtillon-sur-Chalaronne and 9 others.
		const lines = shown('01400');
		expect(lines[0]).toBe('Seillonnaz · code INSEE 01400');
		expect(lines[1]).toBe('Châtillon-sur-Chalaronne — 01400 · code postal 01400');
		expect(lines).toHaveLength(11);
		expect(lines.slice(1).every((l) => l.endsWith('· code postal 01400'))).toBe(true);
	});

	it('says when an INSEE code is also the commune’s own postcode', () => {
		const hits = searchTerritories(index, '02350', 100);
		expect(hits).toHaveLength(15);
		const own = hits.find((h) => h.code === '02350')!;
		expect(own.match).toBe('code');
		expect(hits[0]).toBe(own);
		expect(describeSearchCode(own)).toBe('code INSEE et code postal 02350');
		expect(hits.slice(1).every((h) => h.match === 'postcode')).toBe(true);
	});

	it('finds Corsican communes by their 20xxx postcodes (INSEE codes 2A/2B)', () => {
		const [ajaccio] = searchTerritories(index, '20000', 5);
		expect(ajaccio).toMatchObject({ code: '2A004', nom: 'Ajaccio', match: 'postcode' });
		expect(ajaccio.context).toBe('Corse-du-Sud (2A)');
		expect(searchTerritories(index, '20200', 5).map((h) => h.code)[0]).toBe('2B033');
		// « 20 » is neither a département nor a région: the Corsican communes are suggested.
		const start = searchTerritories(index, '20', 3);
		expect(start.map((h) => h.nom)).toEqual(['Ajaccio', 'Bastia', 'Alata']);
		expect(start.every((h) => h.match === 'postcode-start')).toBe(true);
		expect(describeSearchCode(start[0])).toBe('codes postaux 20000, 20090, 20167');
		// The INSEE code still works.
		expect(searchTerritories(index, '2a004', 5)[0]).toMatchObject({ code: '2A004', match: 'code' });
	});

	it('finds overseas communes (971xx–976xx)', () => {
		expect(shown('97400', 5)[0]).toBe('Saint-Denis — 97400 · code postal 97400');
		expect(searchTerritories(index, '97139', 5)[0].code).toBe('97101');
		expect(searchTerritories(index, '97600', 5).map((h) => h.nom)).toEqual([
			'Mamoudzou',
			'Koungou'
		]);
		// « 976 » is Mayotte's département code first, then its communes by postcode.
		const mayotte = searchTerritories(index, '976', 10);
		expect(mayotte[0]).toMatchObject({ level: 'departement', code: '976', match: 'code' });
		expect(
			mayotte.slice(1).every((h) => h.match === 'postcode-start' && h.code.startsWith('976'))
		).toBe(true);
	});

	it('leads the postcodes of Paris, Lyon and Marseille arrondissements to the commune, naming the arrondissement', () => {
		expect(shown('75011', 5)).toEqual([
			'Paris — 75011 · code postal 75011 (Paris 11e Arrondissement)'
		]);
		expect(shown('75116', 5)).toEqual([
			'Paris — 75116 · code postal 75116 (Paris 16e Arrondissement)'
		]);
		expect(searchTerritories(index, '69001', 5)[0]).toMatchObject({ code: '69123', nom: 'Lyon' });
		expect(searchTerritories(index, '13001', 5)[0]).toMatchObject({ code: '13055' });
		// A prefix lists Paris once, with its matching postcodes.
		const paris = searchTerritories(index, '750', 5);
		expect(paris).toHaveLength(1);
		expect(paris[0].postcodes).toHaveLength(20);
		expect(paris[0].arrondissement).toBeUndefined();
		expect(describeSearchCode(paris[0])).toBe('codes postaux 75001, 75002, 75003 et 17 autres');
	});

	it('suggests the communes of a partial postcode after the other kinds of hit', () => {
		const hits = searchTerritories(index, '230', 20);
		expect(hits).toHaveLength(15);
		expect(hits[0]).toMatchObject({ nom: 'Guéret', match: 'postcode-start', postcodes: ['23000'] });
		expect(searchTerritories(index, '2300', 1).map((h) => h.nom)).toEqual(['Guéret']);
		// « 23 » is the Creuse first.
		expect(searchTerritories(index, '23', 2).map((h) => `${h.level}:${h.code}`)).toEqual([
			'departement:23',
			'commune:23096'
		]);
		// One digit, six digits or letters: no postcode match.
		expect(searchTerritories(index, '2', 5).some((h) => h.postcodes)).toBe(false);
		expect(searchTerritories(index, '230000', 5)).toEqual([]);
	});

	it('says in French that an unknown postcode has no commune', () => {
		expect(searchTerritories(index, '99999', 10)).toEqual([]);
		expect(describeUnknownPostcode(index, '99999')).toBe(
			'Aucune commune n’a le code postal 99999.'
		);
		// A collectivité d'outre-mer (Papeete) is out of scope like its commune, and the answer says so.
		expect(describeUnknownPostcode(index, ' 98714 ')).toMatch(
			/^Le code postal 98714 est celui d’une collectivité d’outre-mer \(Polynésie française\) : l’Atlas couvre/
		);
		expect(describeUnknownPostcode(index, '97500')).toContain('Saint-Pierre-et-Miquelon');
		expect(describeUnknownPostcode(index, '98800')).toContain('Nouvelle-Calédonie');
		expect(describeUnknownPostcode(index, '98000')).toContain('Monaco');
		// An INSEE code that no commune uses as a postcode gets the sentence too, beside its hit.
		expect(describeUnknownPostcode(index, '23096')).toBe(
			'Aucune commune n’a le code postal 23096.'
		);
		expect(describeUnknownPostcode(index, '23000')).toBeNull();
		expect(describeUnknownPostcode(index, '2300')).toBeNull();
		expect(describeUnknownPostcode(index, 'Guéret')).toBeNull();
		// Before the table is attached, nothing is claimed about postcodes.
		expect(describeUnknownPostcode(withoutPostcodes, '99999')).toBeNull();
	});

	it('finds nothing by postcode before the table is attached, and names as before', () => {
		expect(searchTerritories(withoutPostcodes, '23000', 5)).toEqual([]);
		expect(searchTerritories(withoutPostcodes, 'Gueret', 5)[0].code).toBe('23096');
		expect(searchTerritories(index, 'Gueret', 5)[0]).toMatchObject({
			code: '23096',
			match: 'name'
		});
		expect(searchTerritories(index, 'Gueret', 5)[0].postcodes).toBeUndefined();
	});

	it.each([
		['23000', true],
		['230', true],
		['23', true],
		[' 62500 ', true],
		['2', false],
		['230000', false],
		['2A004', false],
		['Guéret', false]
	])('looksLikePostcode(%j) is %s', (query, expected) => {
		expect(looksLikePostcode(query)).toBe(expected);
	});
});

describe('readPostcodeTable', () => {
	it('accepts the fixture table and refuses a damaged one in French', () => {
		expect(readPostcodeTable(fixture.postcodes)).toBe(fixture.postcodes);
		for (const bad of [
			null,
			[],
			{ communes: [] },
			{ communes: { '23000': '23096' }, arrondissements: {} }
		]) {
			expect(() => readPostcodeTable(bad)).toThrow(
				'Le fichier codes-postaux.json n’a pas le format attendu (codes postaux et leurs communes).'
			);
		}
	});
});
