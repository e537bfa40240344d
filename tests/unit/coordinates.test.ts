/**
 * Tests of the WGS84-in-France checks. The valid points are real commune centres cut from
 * `admin/communes-centres-surface.csv` (geo.api.gouv.fr, PROVENANCE §1) into
 * tests/fixtures/geometry/communes-centres-extract.geojson: Ouessant, Ajaccio, Bastia, Dunkerque,
 * Paris and the chief towns of the 5 DROM.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FeatureCollection, Point } from 'geojson';
import {
	FRANCE_EXTENTS,
	assertFeatureCollectionInFrance,
	isInFrance,
	locateInFrance,
	looksLikeLambert93
} from '../../geodata/lib/coordinates';
import { SourceDataError } from '../../geodata/lib/source-error';

const FILE = 'communes-centres-extract.geojson';
const centresText = readFileSync(join(import.meta.dirname, '../fixtures/geometry', FILE), 'utf8');
const centres = (): FeatureCollection<Point> => JSON.parse(centresText);
const centreOf = (code: string) =>
	centres().features.find((f) => f.properties!.code === code)!.geometry.coordinates as [
		number,
		number
	];

describe('FRANCE_EXTENTS', () => {
	it('are well-formed [w, s, e, n] boxes that do not overlap', () => {
		const boxes = Object.values(FRANCE_EXTENTS);
		for (const [w, s, e, n] of boxes) {
			expect(w).toBeLessThan(e);
			expect(s).toBeLessThan(n);
		}
		for (let i = 0; i < boxes.length; i++) {
			for (let j = i + 1; j < boxes.length; j++) {
				const [a, b] = [boxes[i], boxes[j]];
				const overlap = a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
				expect(overlap).toBe(false);
			}
		}
	});
});

describe('isInFrance / locateInFrance', () => {
	it.each([
		['29155', 'metropole'],
		['2A004', 'metropole'],
		['2B033', 'metropole'],
		['59183', 'metropole'],
		['75056', 'metropole'],
		['97105', 'guadeloupe'],
		['97209', 'martinique'],
		['97302', 'guyane'],
		['97411', 'reunion'],
		['97611', 'mayotte']
	])('commune centre %s is in %s', (code, zone) => {
		const [lon, lat] = centreOf(code);
		expect(locateInFrance(lon, lat)).toBe(zone);
		expect(isInFrance(lon, lat)).toBe(true);
	});

	it.each([
		['Paris with latitude and longitude swapped', 48.8589, 2.347],
		['Madrid', -3.7038, 40.4168],
		['Saint-Martin (COM, not a département)', -63.0822, 18.0708],
		['Saint-Pierre (Saint-Pierre-et-Miquelon, COM)', -56.1773, 46.7811],
		['Nouméa (Nouvelle-Calédonie)', 166.4572, -22.2758],
		['Dominica, between Guadeloupe and Martinique', -61.37, 15.3],
		['Null Island', 0, 0],
		['Lambert-93 metres of Paris', 652_000, 6_862_000]
	])('%s is not in France', (_name, lon, lat) => {
		expect(isInFrance(lon, lat)).toBe(false);
		expect(locateInFrance(lon, lat)).toBeNull();
	});
});

describe('looksLikeLambert93', () => {
	it.each([
		// Approximate Lambert-93 (EPSG:2154) positions of town halls, metres.
		['Paris', 652_000, 6_862_000, true],
		['Ajaccio', 1_178_000, 6_105_000, true],
		['Brest', 146_000, 6_838_000, true],
		['Strasbourg', 1_050_000, 6_841_000, true],
		['Paris in degrees', 2.347, 48.8589, false],
		['Saint-Denis (La Réunion) in degrees', 55.4444, -20.9434, false],
		['a UTM 40S point of La Réunion (not Lambert-93)', 338_000, 7_684_000, false]
	])('%s → %s', (_name, x, y, expected) => {
		expect(looksLikeLambert93(x, y)).toBe(expected);
	});
});

function errorOf(collection: unknown): SourceDataError {
	try {
		assertFeatureCollectionInFrance(collection, FILE);
	} catch (error) {
		if (error instanceof SourceDataError) return error;
		throw error;
	}
	throw new Error('assertFeatureCollectionInFrance did not throw');
}

describe('assertFeatureCollectionInFrance', () => {
	it('accepts real commune centres of the mainland, Corsica and the 5 DROM', () => {
		expect(() => assertFeatureCollectionInFrance(centres(), FILE)).not.toThrow();
	});

	it('accepts every geometry type when all positions are in France', () => {
		const [paris, ajaccio, bastia, dunkerque] = ['75056', '2A004', '2B033', '59183'].map(centreOf);
		const collection = {
			type: 'FeatureCollection',
			features: [
				{ type: 'MultiPoint', coordinates: [paris, ajaccio] },
				{ type: 'LineString', coordinates: [paris, dunkerque] },
				{
					type: 'MultiLineString',
					coordinates: [
						[paris, dunkerque],
						[ajaccio, bastia]
					]
				},
				{ type: 'Polygon', coordinates: [[paris, dunkerque, bastia, paris]] },
				{ type: 'MultiPolygon', coordinates: [[[paris, dunkerque, bastia, paris]]] },
				// An altitude after [lon, lat] is allowed by GeoJSON.
				{ type: 'Point', coordinates: [...paris, 35] },
				{ type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: bastia }] }
			].map((geometry) => ({ type: 'Feature', properties: {}, geometry }))
		};
		expect(() => assertFeatureCollectionInFrance(collection, FILE)).not.toThrow();
	});

	/** The fixture with feature 3 (Dunkerque, code 59183) given another geometry. */
	const withDunkerque = (geometry: unknown) => {
		const collection = centres() as { features: { geometry: unknown }[] };
		collection.features[3].geometry = geometry;
		return collection;
	};

	it.each([
		{
			name: 'Lambert-93 metres',
			collection: withDunkerque({ type: 'Point', coordinates: [654_000, 7_106_000] }),
			message: [
				/coordonnées en Lambert-93 \(mètres\) : il faut des degrés WGS84 \(EPSG:4326\), point \[654000,7106000\]/,
				/\(code « 59183 », nom « Dunkerque »\)/
			],
			not: /hors de France/
		},
		{
			name: 'a point outside France',
			collection: withDunkerque({ type: 'Point', coordinates: [-63.0822, 18.0708] }),
			message: [
				/coordonnées hors de France \(métropole, Corse et les 5 DROM\), point \[-63.0822,18.0708\]/
			],
			not: /Lambert|inversées/
		},
		{
			name: 'latitude and longitude swapped',
			collection: withDunkerque({ type: 'Point', coordinates: [51.0183, 2.3431] }),
			message: [/coordonnées hors de France/, /la latitude et la longitude semblent inversées/],
			not: /Lambert/
		},
		{
			name: 'one bad vertex in a polygon hole',
			collection: withDunkerque({
				type: 'MultiPolygon',
				coordinates: [
					[
						[
							[2.3, 51.0],
							[2.4, 51.0],
							[2.4, 51.05],
							[2.3, 51.0]
						],
						[
							[2.32, 51.01],
							[2.38, 51.01],
							[2.35, 510.2],
							[2.32, 51.01]
						]
					]
				]
			}),
			message: [/hors de France.*point \[2.35,510.2\]/],
			not: /Lambert/
		},
		{
			name: 'a coordinate written as text',
			collection: withDunkerque({ type: 'Point', coordinates: ['2.3431', '51.0183'] }),
			message: [/coordonnée invalide \["2.3431","51.0183"\] : il faut une paire de nombres finis/],
			not: /hors de France/
		},
		{
			name: 'a NaN coordinate (after a failed number parse)',
			collection: withDunkerque({ type: 'Point', coordinates: [Number.NaN, 51.0183] }),
			message: [/coordonnée invalide \[null,51.0183\]/],
			not: /hors de France/
		},
		{
			name: 'a missing geometry',
			collection: withDunkerque(null),
			message: [/géométrie absente \(code « 59183 », nom « Dunkerque »\)/],
			not: /coordonnée/
		},
		{
			name: 'an unknown geometry type',
			collection: withDunkerque({ type: 'Circle', coordinates: [2.3431, 51.0183] }),
			message: [/type de géométrie inconnu « Circle »/],
			not: /coordonnée/
		}
	])('rejects $name, naming the file, the feature and its code', ({ collection, message, not }) => {
		const error = errorOf(collection);
		expect(error.file).toBe(FILE);
		expect(error.feature).toBe(3);
		expect(error.field).toBe('geometry');
		expect(error.message).toMatch(
			/^fichier « communes-centres-extract\.geojson », entité n° 3, champ « geometry » : /
		);
		for (const pattern of message) expect(error.message).toMatch(pattern);
		expect(error.message).not.toMatch(not);
	});

	it('names the feature by its id when it has one', () => {
		const collection = {
			type: 'FeatureCollection',
			features: [
				{
					type: 'Feature',
					id: 'fs-123',
					properties: null,
					geometry: { type: 'Point', coordinates: [0, 0] }
				}
			]
		};
		expect(errorOf(collection).message).toMatch(
			/entité n° 0, .*hors de France.*\(id « fs-123 »\)$/
		);
	});

	it.each([
		['a FeatureCollection without features', { type: 'FeatureCollection' }],
		['a single Feature', centres().features[0]],
		['null', null]
	])('rejects %s as not a FeatureCollection', (_name, value) => {
		const error = errorOf(value);
		expect(error.feature).toBeUndefined();
		expect(error.message).toBe(
			'fichier « communes-centres-extract.geojson » : une FeatureCollection GeoJSON est attendue'
		);
	});
});
