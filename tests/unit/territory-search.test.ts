import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeCommuneTable } from '$lib/territory/commune-table';
import type { PostcodeTable, TerritoryIndex } from '$lib/territory/artifacts';
import {
	buildSearchIndex,
	describeSearchCode,
	normaliseSearchText,
	searchTerritories,
	withPostcodes,
	MAX_SEARCH_RESULTS,
	type TerritorySearchIndex
} from '$lib/territory/search';

const readJson = (file: string) =>
	JSON.parse(readFileSync(new URL(`../../static/data/${file}`, import.meta.url), 'utf8'));

let index: TerritorySearchIndex;

beforeAll(() => {
	const communes = decodeCommuneTable(readJson('communes.json'));
	const territories = readJson('territoires.json') as TerritoryIndex;
	index = buildSearchIndex(communes, territories);
});

describe('normaliseSearchText', () => {
	it.each([
		['Saint-Étienne', 'saint etienne'],
		['St-Étienne', 'saint etienne'],
		['ST ETIENNE', 'saint etienne'],
		['Ste-Maxime', 'sainte maxime'],
		['L’Haÿ-les-Roses', 'l hay les roses'],
		["L'Abergement-Clémenciat", 'l abergement clemenciat'],
		['  Œuilly  ', 'oeuilly'],
		['Strasbourg', 'strasbourg'],
		['constructor', 'constructor'],
		['---', '']
	])('%s → %s', (input, expected) => {
		expect(normaliseSearchText(input)).toBe(expected);
	});
});

describe('searchTerritories on the real COG 2026 index', () => {
	it('holds every commune, EPCI, département and région', () => {
		const count = (level: string) => index.entries.filter((e) => e.level === level).length;
		expect([count('commune'), count('epci'), count('departement'), count('region')]).toEqual([
			34875, 1255, 101, 18
		]);
	});

	it.each([
		// query, expected first hit (level:code)
		['Saint-Étienne', 'commune:42218'],
		['st etienne', 'commune:42218'],
		['SAINT ETIENNE', 'commune:42218'],
		['saint-etienne', 'commune:42218'],
		['Lille', 'commune:59350'],
		['59350', 'commune:59350'],
		['2a004', 'commune:2A004'],
		['Nord', 'departement:59'],
		['59', 'departement:59'],
		['hauts de france', 'region:32'],
		['200093201', 'epci:200093201'],
		['ste maxime', 'commune:83115']
	])('« %s » → %s first', (query, expected) => {
		const [first] = searchTerritories(index, query, 5);
		expect(`${first.level}:${first.code}`).toBe(expected);
	});

	it('lists namesakes with their département, the most populated first', () => {
		const hits = searchTerritories(index, 'Saint-Denis', 20).filter((h) => h.match === 'name');
		expect(hits.length).toBeGreaterThan(3);
		expect(hits[0].population).toBeGreaterThanOrEqual(hits[1].population);
		// Saint-Denis (Réunion) and Saint-Denis (Seine-Saint-Denis) are both there, told apart.
		const contexts = hits.map((h) => h.context);
		expect(contexts).toEqual(
			expect.arrayContaining(['La Réunion (974)', 'Seine-Saint-Denis (93)'])
		);
	});

	it('finds EPCI by a word of their name and ranks exact names first', () => {
		const hits = searchTerritories(index, 'metropole lille', 10);
		expect(hits.map((h) => h.code)).toContain('200093201');
		const lille = searchTerritories(index, 'lille', 10);
		expect(lille[0].match).toBe('name');
		expect(lille.findIndex((h) => h.code === '200093201')).toBeGreaterThan(0);
	});

	it('matches a code and a département of the same digits (région 11 and département 11)', () => {
		const hits = searchTerritories(index, '11', 5);
		expect(
			hits
				.filter((h) => h.match === 'code')
				.map((h) => `${h.level}:${h.code}`)
				.sort()
		).toEqual(['departement:11', 'region:11']);
	});

	it('respects the limit and returns nothing for an empty or absurd query', () => {
		expect(searchTerritories(index, 'saint', 7)).toHaveLength(7);
		expect(searchTerritories(index, 'saint', 10_000)).toHaveLength(MAX_SEARCH_RESULTS);
		expect(searchTerritories(index, 'saint', 0)).toHaveLength(1);
		expect(searchTerritories(index, '   ', 10)).toEqual([]);
		expect(searchTerritories(index, 'zzzzqqqq', 10)).toEqual([]);
	});

	// Its speed is in `npm run bench` (section « Recherche »), not asserted here.
	it('reads « st » as « saint » over the 36,000 entries', () => {
		const hits = searchTerritories(index, 'st martin', 10);
		expect(hits).toHaveLength(10);
		for (const hit of hits) expect(hit.nom).toMatch(/^Saint-Martin/);
	});
});

describe('searchTerritories with the real postcode table (codes-postaux.json)', () => {
	let withTable: TerritorySearchIndex;
	beforeAll(() => {
		withTable = withPostcodes(index, readJson('codes-postaux.json') as PostcodeTable);
	});

	it('knows the 6,187 postcodes of the 101 départements, each leading to communes of the index', () => {
		expect(withTable.postcodes!.codes).toHaveLength(6187);
		expect(withTable.postcodes!.communes.every((list) => list.length > 0)).toBe(true);
	});

	it('lists all 46 communes of the most shared postcode (51300), past the limit', () => {
		const hits = searchTerritories(withTable, '51300', 8);
		// 51300 is also the INSEE code of another commune of the Marne: listed first, labelled.
		expect(hits).toHaveLength(47);
		expect(describeSearchCode(hits[0])).toBe('code INSEE 51300');
		const byPostcode = hits.filter((h) => h.match === 'postcode');
		expect(byPostcode).toHaveLength(46);
		expect(byPostcode[0].nom).toBe('Vitry-le-François');
	});

	it('still puts Lille first for its INSEE code 59350, then Saint-André-lez-Lille, whose postcode it is', () => {
		const hits = searchTerritories(withTable, '59350', 10);
		expect(hits.map((h) => `${h.nom} · ${describeSearchCode(h)}`)).toEqual([
			'Lille · code INSEE 59350',
			'Saint-André-lez-Lille · code postal 59350'
		]);
	});
});
