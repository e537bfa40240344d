/**
 * Who borders whom, read from the real topologies (shared arcs): what the details panel lists as
 * « Communes voisines », « Départements voisins »…
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readTerritoryTopology } from '$lib/territory/geometry';

const read = (file: string) =>
	JSON.parse(readFileSync(`static/data/geo/${file}.topo.json`, 'utf8')) as unknown;

describe('territory neighbours', () => {
	it('gives the départements around the Creuse, none overseas, both Corse départements', () => {
		const { neighbours: bordersOf, collection } = readTerritoryTopology(
			read('departements'),
			'departement'
		);
		const neighbours = bordersOf();
		expect(neighbours.size).toBe(collection.features.length);
		expect(neighbours.get('23')).toEqual(['03', '18', '19', '36', '63', '87']);
		expect(neighbours.get('2A')).toEqual(['2B']);
		expect(neighbours.get('971')).toEqual([]);
		// Symmetric: a border is shared by both sides.
		for (const [code, around] of neighbours)
			for (const other of around) expect(neighbours.get(other)).toContain(code);
	});

	it('gives the communes around Guéret', () => {
		const neighbours = readTerritoryTopology(read('communes'), 'commune').neighbours();
		// La Chapelle-Taillefert, Savennes, Saint-Christophe, Sainte-Feyre, Saint-Fiel,
		// Saint-Léger-le-Guérétois, Saint-Sulpice-le-Guérétois.
		expect(neighbours.get('23096')).toEqual([
			'23052',
			'23170',
			'23186',
			'23193',
			'23195',
			'23208',
			'23245'
		]);
	});
});
