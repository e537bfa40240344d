import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { decodeCommuneTable } from '../../src/lib/territory/commune-table';
import type { TerritoryIndex } from '../../src/lib/territory/artifacts';
import { withCommuneTablePopulations } from '../../src/lib/territory/territory-population';

const communes = decodeCommuneTable(JSON.parse(readFileSync('static/data/communes.json', 'utf8')));
const index = JSON.parse(readFileSync('static/data/territoires.json', 'utf8')) as TerritoryIndex;

describe('territory populations', () => {
	it('count the communes that have no polygon (Cantal holds 4 of the 7 restored communes)', () => {
		const restored = communes.filter((c) => !c.hasGeometry);
		expect(restored.map((c) => c.code).sort()).toEqual([
			'14666',
			'15031',
			'15035',
			'15047',
			'15171',
			'85165',
			'85212'
		]);
		const cantal = withCommuneTablePopulations(index, communes).departements.find(
			(d) => d.code === '15'
		);
		const expected = communes.filter((c) => c.dep === '15').reduce((s, c) => s + c.population, 0);
		expect(cantal?.population).toBe(expected);
	});

	it('make France the sum of its régions and of its départements', () => {
		const total = communes.reduce((s, c) => s + c.population, 0);
		const recounted = withCommuneTablePopulations(index, communes);
		expect(recounted.regions.reduce((s, r) => s + r.population, 0)).toBe(total);
		expect(recounted.departements.reduce((s, d) => s + d.population, 0)).toBe(total);
	});
});
