import { readFileSync } from 'node:fs';
import KDBush from 'kdbush';
import { describe, expect, it } from 'vitest';
import { CircleBoxSearch, haversineKm, pointsInCircleBox } from '../../src/lib/access/geodesy';
import {
	findNearestPlaces,
	findNearestPlacesNaive,
	NO_PLACE_KM
} from '../../src/lib/access/nearest';
import { indexPoints, nearestDistancesKm } from '../../src/lib/siting/nearest';
import { MEDIATOR_TYPES } from '../../src/lib/access/parameters';
import type { DemandPoint, SupplyPoint } from '../../src/lib/access/points';
import type { MediatorType } from '../../src/lib/territory/artifacts';

interface Fixture {
	communes: { code: string; lon: number; lat: number; population: number }[];
	places: { id: string; type: MediatorType; lon: number; lat: number }[];
}

function readFixture(name: string): { demand: DemandPoint[]; supply: SupplyPoint[] } {
	const f: Fixture = JSON.parse(
		readFileSync(new URL(`../fixtures/access/${name}`, import.meta.url), 'utf8')
	);
	return {
		demand: f.communes.map((c) => ({ code: c.code, lon: c.lon, lat: c.lat, demand: c.population })),
		supply: f.places.map((p) => ({ id: p.id, type: p.type, lon: p.lon, lat: p.lat, supply: 1 }))
	};
}

/*
 * Haversine by hand, Avesnelles (3.9531° E, 50.1065° N) → Bus France services de l'Avesnois
 * (3.930797° E, 50.123288° N), R = 6 371 km:
 *   Δφ = 0.016788° = 2.930059e-4 rad, Δλ = −0.022303° = −3.892608e-4 rad
 *   sin²(Δφ/2) = 2.146311e-8
 *   cos φ1 · cos φ2 = 0.6418779 × 0.6406282 = 0.4112018, sin²(Δλ/2) = 3.788099e-8
 *   h = 2.146311e-8 + 0.4112018 × 3.788099e-8 = 3.703984e-8
 *   d = 2 R asin(√h) = 2 × 6 371 × asin(1.924574e-4) = 2.452292 km
 */
describe('distance à vol d’oiseau (haversine)', () => {
	it.each([
		[
			'Avesnelles → Bus France services de l’Avesnois (à la main)',
			[3.9531, 50.1065, 3.930797, 50.123288],
			2.452292,
			6
		],
		['le même point', [3.9531, 50.1065, 3.9531, 50.1065], 0, 12],
		[
			'un degré de latitude sur un méridien = 2πR/360',
			[2, 45, 2, 46],
			(2 * Math.PI * 6371) / 360,
			9
		],
		['un quart de tour de l’équateur = πR/2', [0, 0, 90, 0], (Math.PI * 6371) / 2, 6],
		['antipodes = πR', [0, 0, 180, 0], Math.PI * 6371, 6]
	] as const)('%s', (_, [lon1, lat1, lon2, lat2], expected, digits) => {
		expect(haversineKm(lon1, lat1, lon2, lat2)).toBeCloseTo(expected, digits);
		expect(haversineKm(lon2, lat2, lon1, lat1)).toBeCloseTo(expected, digits);
	});
});

describe('lieu le plus proche', () => {
	const { demand, supply } = readFixture('avesnois-3-communes-2-france-services.json');

	it('3 communes × 2 France services : les distances calculées à la main', () => {
		const result = findNearestPlaces(demand, supply);
		// Aibes 16.710 / 26.876 km, Avesnelles 2.452 / 16.498 km, Étrœungt 7.301 / 13.368 km: P1 wins.
		expect(Array.from(result.overallKm)).toEqual([
			expect.closeTo(16.71046, 4),
			expect.closeTo(2.452292, 5),
			expect.closeTo(7.300665, 5)
		]);
		expect(Array.from(result.nearestIndex)).toEqual([0, 0, 0]);
		expect(Array.from(result.byTypeKm['france-services'])).toEqual(Array.from(result.overallKm));
		// No place of the other types: NO_PLACE_KM (Infinity), never 0.
		expect(Array.from(result.byTypeKm['aidants-connect'])).toEqual([
			NO_PLACE_KM,
			NO_PLACE_KM,
			NO_PLACE_KM
		]);
	});

	it('une commune de La Réunion loin de tous les lieux du Nord reçoit sa vraie distance', () => {
		const reunion: DemandPoint = { code: '97411', lon: 55.4444, lat: -20.9434, demand: 1 };
		const result = findNearestPlaces([reunion], supply);
		const expected = Math.min(
			...supply.map((s) => haversineKm(reunion.lon, reunion.lat, s.lon, s.lat))
		);
		expect(result.overallKm[0]).toBeCloseTo(expected, 9);
		expect(result.overallKm[0]).toBeGreaterThan(9000);
	});

	it('sans aucun lieu : NO_PLACE_KM (Infinity) partout et indice −1', () => {
		const result = findNearestPlaces(demand, []);
		expect(NO_PLACE_KM).toBe(Infinity);
		expect(Array.from(result.overallKm)).toEqual([NO_PLACE_KM, NO_PLACE_KM, NO_PLACE_KM]);
		expect(Array.from(result.nearestIndex)).toEqual([-1, -1, -1]);
	});

	it('« aucun lieu » se dit pareil dans l’accessibilité et dans la simulation', () => {
		// access/nearest.ts said NaN and siting/nearest.ts Infinity for the same missing place.
		const points = demand.map((d) => ({ lon: d.lon, lat: d.lat }));
		const access = findNearestPlaces(demand, []);
		const siting = nearestDistancesKm(points, indexPoints([]));
		expect(Array.from(access.overallKm)).toEqual(Array.from(siting));
		expect(Array.from(access.byTypeKm['france-services'])).toEqual(Array.from(siting));
		// With places, both modules agree on the distances too (same sphere, different formulas).
		const withPlaces = findNearestPlaces(demand, supply);
		const sitingWithPlaces = nearestDistancesKm(points, indexPoints(supply));
		withPlaces.overallKm.forEach((km, i) => expect(sitingWithPlaces[i]).toBeCloseTo(km, 6));
	});

	it('Nord (647 communes, 146 lieux) : l’index donne les distances de la boucle naïve, par type aussi', () => {
		const nord = readFixture('nord-communes-lieux.json');
		const indexed = findNearestPlaces(nord.demand, nord.supply);
		const naive = findNearestPlacesNaive(nord.demand, nord.supply);
		expect(Array.from(indexed.overallKm)).toEqual(Array.from(naive.overallKm));
		for (const type of MEDIATOR_TYPES) {
			expect(Array.from(indexed.byTypeKm[type])).toEqual(Array.from(naive.byTypeKm[type]));
		}
		// The index points at a place that really is at that distance.
		indexed.nearestIndex.forEach((j, i) => {
			const d = nord.demand[i];
			const s = nord.supply[j];
			expect(haversineKm(d.lon, d.lat, s.lon, s.lat)).toBeCloseTo(indexed.overallKm[i], 9);
		});
	});
});

describe('boîte de recherche autour d’un cercle', () => {
	// A regular grid of points over the globe: a geometric property, not data.
	const grid: [number, number][] = [];
	for (let lon = -180; lon < 180; lon += 2.5)
		for (let lat = -88; lat <= 88; lat += 2) grid.push([lon, lat]);
	const index = new KDBush(grid.length);
	for (const [lon, lat] of grid) index.add(lon, lat);
	index.finish();

	it.each([
		['Centre-Val de Loire, 20 km', 2.4, 48.05, 20],
		['Nord, 300 km', 3.9, 50.1, 300],
		['près de l’antiméridien, 500 km', 179.5, -16, 500],
		['près de l’antiméridien côté ouest, 800 km', -179.2, 10, 800],
		['haute latitude, 700 km', 30, 84, 700],
		['Guyane, 1 000 km', -53, 4, 1000]
	])('%s : contient tous les points du cercle', (_, lon, lat, radius) => {
		const found = new Set(pointsInCircleBox(index, lon, lat, radius));
		let inside = 0;
		grid.forEach(([plon, plat], i) => {
			if (haversineKm(lon, lat, plon, plat) <= radius) {
				inside++;
				expect(found.has(i)).toBe(true);
			}
		});
		expect(inside).toBeGreaterThan(0);
		// The allocation-free search finds exactly the same points.
		const search = new CircleBoxSearch(index);
		const count = search.search(lon, lat, radius);
		expect(new Set(search.ids.subarray(0, count))).toEqual(found);
		expect(count).toBe(found.size);
	});
});
