import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FeatureCollection, Point } from 'geojson';
import {
	decodeMediatorPoints,
	encodeMediatorPoints,
	MEDIATOR_POINTS_VERSION,
	serializeMediatorPoints,
	type MediatorPointsArtifact
} from '$lib/mediation/mediator-points';
import { countMediators, filterMediators } from '$lib/mediation/mediator-filters';
import { ARTIFACTS, type MediatorProperties } from '$lib/territory/artifacts';

const STATIC = new URL('../../static/data/', import.meta.url);
const read = (file: string): unknown => JSON.parse(readFileSync(new URL(file, STATIC), 'utf8'));
const mediators = read(ARTIFACTS.mediators) as FeatureCollection<Point, MediatorProperties>;
const committed = read(ARTIFACTS.mediatorPoints) as MediatorPointsArtifact;

describe('the points of the real places (static/data)', () => {
	const points = decodeMediatorPoints(committed);

	it('give back every place’s coordinates, type, source and placement, in the same order', () => {
		expect(points).toHaveLength(mediators.features.length);
		mediators.features.forEach((feature, i) => {
			const point = points[i];
			// Exactly the numbers of mediateurs.geojson, not approximations of them.
			expect(point.geometry.coordinates).toEqual(feature.geometry.coordinates);
			expect(point.properties).toEqual({
				index: i,
				type: feature.properties.type,
				source: feature.properties.source,
				located: feature.properties.located
			});
		});
	});

	it('count and filter as the full file does (the legend’s counts stay exact)', () => {
		expect(countMediators(points)).toEqual(countMediators(mediators.features));
		const filter = {
			types: ['conseiller-numerique-lieu' as const, 'aidants-connect' as const],
			sources: ['cnfs-lieux-2022' as const, 'aidants-connect-2024' as const]
		};
		expect(filterMediators(points, filter).map((p) => p.properties.index)).toEqual(
			filterMediators(mediators.features, filter).map((f) => mediators.features.indexOf(f))
		);
	});

	it('are what the encoder writes (the committed file is current)', () => {
		expect(serializeMediatorPoints(encodeMediatorPoints(mediators))).toBe(
			readFileSync(new URL(ARTIFACTS.mediatorPoints, STATIC), 'utf8')
		);
	});
});

describe('encoding', () => {
	const place = (coordinates: number[]): FeatureCollection<Point, MediatorProperties> => ({
		type: 'FeatureCollection',
		features: [
			{
				type: 'Feature',
				geometry: { type: 'Point', coordinates },
				properties: { ...mediators.features[0].properties, id: 'fs-1' }
			}
		]
	});

	it('keeps six decimals and the signs of the southern and western hemispheres', () => {
		const coordinates = [-61.534123, -21.000001];
		expect(decodeMediatorPoints(encodeMediatorPoints(place(coordinates)))[0].geometry).toEqual({
			type: 'Point',
			coordinates
		});
	});

	it('refuses a coordinate it could not give back as is', () => {
		expect(() => encodeMediatorPoints(place([2.1234567, 48.5]))).toThrow(
			`Lieu fs-1 : la coordonnée 2.1234567 a plus de six décimales, ${ARTIFACTS.mediatorPoints} ne peut pas la garder telle quelle.`
		);
	});
});

describe('a malformed file is refused with a French message naming it and what is wrong', () => {
	const small = encodeMediatorPoints({
		type: 'FeatureCollection',
		features: mediators.features.slice(0, 3)
	});
	const edit = (change: (a: Record<string, unknown>) => void): unknown => {
		const copy = structuredClone(small) as unknown as Record<string, unknown>;
		change(copy);
		return copy;
	};
	const prefix = `Le fichier ${ARTIFACTS.mediatorPoints} n’a pas le format attendu : `;

	it.each([
		['not an object', null, 'ce n’est pas un objet JSON'],
		['a GeoJSON collection', mediators, 'version undefined au lieu de 1'],
		[
			'another version',
			edit((a) => (a.version = MEDIATOR_POINTS_VERSION + 1)),
			`version ${MEDIATOR_POINTS_VERSION + 1} au lieu de 1`
		],
		['no count', edit((a) => delete a.count), 'le nombre de lieux (« count ») manque'],
		['a zero scale', edit((a) => (a.scale = 0)), 'l’échelle des coordonnées (« scale ») manque'],
		['no names', edit((a) => delete a.names), 'les listes de noms (« names ») manquent'],
		[
			'an unknown type',
			edit((a) => ((a.names as { type: string[] }).type[0] = 'bibliotheque')),
			'type de lieu inconnu "bibliotheque"'
		],
		[
			'an unknown placement',
			edit((a) => ((a.names as { located: string[] }).located[1] = 'gps')),
			'placement inconnu "gps"'
		],
		[
			'a missing coordinate',
			edit((a) => (a.coordinates as number[]).pop()),
			'la colonne « coordinates » a 5 valeurs pour 3 lieux (deux par lieu)'
		],
		[
			'a decimal coordinate',
			edit((a) => ((a.coordinates as number[])[3] = 48.5)),
			'la coordonnée 48.5 du lieu n° 2 n’est pas un entier'
		],
		['no type column', edit((a) => delete a.type), 'la colonne « type » manque'],
		[
			'a short source column',
			edit((a) => (a.source as number[]).pop()),
			'la colonne « source » a 2 valeurs pour 3 lieux'
		],
		[
			'an index beyond its names',
			edit((a) => ((a.type as number[])[2] = 5)),
			'la valeur 5 du lieu n° 3 dans la colonne « type » ne désigne aucun des 5 noms'
		],
		[
			'a text index',
			edit((a) => ((a.located as unknown[])[0] = 'commune')),
			'la valeur "commune" du lieu n° 1 dans la colonne « located » ne désigne aucun des 2 noms'
		]
	])('%s', (_, value, problem) => {
		expect(() => decodeMediatorPoints(value)).toThrow(`${prefix}${problem}.`);
	});

	it('reads the unedited small file', () => {
		expect(decodeMediatorPoints(structuredClone(small))).toHaveLength(3);
	});
});
