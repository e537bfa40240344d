import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FeatureCollection, Point } from 'geojson';
import { analyseTerritories } from '$lib/analysis/territory-analysis';
import { decodeCommuneTable } from '$lib/territory/commune-table';
import type { MediatorProperties, QpvByCommune, TerritoryIndex } from '$lib/territory/artifacts';

const read = (file: string) => JSON.parse(readFileSync(`static/data/${file}`, 'utf8'));
const communes = decodeCommuneTable(read('communes.json'));
const mediators = read('mediateurs.geojson') as FeatureCollection<Point, MediatorProperties>;
const analysis = analyseTerritories({
	communes,
	mediators: mediators.features,
	territories: read('territoires.json') as TerritoryIndex,
	qpv: read('qpv.json') as QpvByCommune
});

describe('analyseTerritories on the real dataset', () => {
	it('gives every commune with a centre an accessibility and a nearest distance', () => {
		expect(analysis.access.size).toBe(communes.filter((c) => c.lon !== null).length);
		// Lille hosts France Services and conseiller numérique places: its nearest place is in town.
		const lille = analysis.access.get('59350');
		expect(lille?.nearestKm).toBeLessThan(2);
		expect(lille?.score).toBeGreaterThan(0);
	});

	it('builds ranking rows whose people éloignés add up to the communes', () => {
		// Mayotte is not estimated (NaN in the set, no row value): it adds nothing.
		const total = analysis.estimates.communes.reduce(
			(s, e) => s + (e.fiabilite === 'non_estime' ? 0 : e.eloignes),
			0
		);
		const regions = analysis.rowsAt('region');
		expect(regions).toHaveLength(18);
		expect(regions.reduce((s, r) => s + (r.eloignes ?? 0), 0)).toBeCloseTo(total, 0);
		expect(analysis.rowsAt('region')).toBe(regions); // computed once
	});
});
