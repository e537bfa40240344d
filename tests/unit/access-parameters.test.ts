import { describe, expect, it } from 'vitest';
import {
	catchmentRadiusKm,
	decayWeight,
	DEFAULT_ACCESS_PARAMETERS,
	DEFAULT_DECAY_BANDS,
	DEFAULT_SUPPLY_RULES,
	supplyOfPlace,
	validateAccessParameters
} from '../../src/lib/access/parameters';
import { buildDemandPoints, buildSupplyPoints } from '../../src/lib/access/points';
import type { CommuneRecord } from '../../src/lib/territory/commune';
import type { MediatorType } from '../../src/lib/territory/artifacts';

describe('poids de distance par tranches', () => {
	it.each([
		[0, 1],
		[4.99, 1],
		[5, 1],
		[5.01, 0.68],
		[10, 0.68],
		[12, 0.22],
		[20, 0.22],
		[20.01, 0],
		[500, 0]
	])('à %s km : %s', (km, weight) => {
		expect(decayWeight(km, DEFAULT_DECAY_BANDS)).toBe(weight);
	});

	it('rayon de la zone de chalandise = borne de la dernière tranche', () => {
		expect(catchmentRadiusKm(DEFAULT_DECAY_BANDS)).toBe(20);
		expect(catchmentRadiusKm([])).toBe(0);
	});
});

describe('offre par lieu', () => {
	it.each([
		['conseiller-numerique-poste', 3, 3],
		['conseiller-numerique-poste', null, 1],
		['conseiller-numerique-poste', 0, 1],
		['france-services', null, 2],
		['france-services', 4, 4],
		['conseiller-numerique-lieu', 2, 0],
		['aidants-connect', 12, 0.5],
		['autre-lieu-mediation', null, 0.5]
	] as [MediatorType, number | null, number][])(
		'%s, effectif %s → %s',
		(type, effectif, expected) => {
			expect(supplyOfPlace(type, effectif, DEFAULT_SUPPLY_RULES)).toBe(expected);
		}
	);
});

describe('validation des paramètres', () => {
	it('sans rien : les valeurs par défaut', () => {
		const result = validateAccessParameters(undefined);
		expect(result).toEqual({ ok: true, value: DEFAULT_ACCESS_PARAMETERS });
	});

	it('des tranches et une offre valides', () => {
		const result = validateAccessParameters({
			bands: [
				{ maxKm: 8, weight: 1 },
				{ maxKm: 25, weight: 0.3 }
			],
			supply: { 'aidants-connect': { perPlace: 1 } }
		});
		expect(result.ok).toBe(true);
		if (result.ok) {
			expect(result.value.bands).toEqual([
				{ maxKm: 8, weight: 1 },
				{ maxKm: 25, weight: 0.3 }
			]);
			expect(result.value.supply['aidants-connect']).toEqual({ perPlace: 1, useEffectif: false });
			expect(result.value.supply['france-services']).toEqual(
				DEFAULT_SUPPLY_RULES['france-services']
			);
		}
	});

	it.each([
		['pas un objet', 42, ['Les paramètres d’accessibilité doivent être un objet.']],
		['tranches vides', { bands: [] }, ['Il faut au moins une tranche de distance.']],
		[
			'distances non croissantes et poids qui augmente',
			{
				bands: [
					{ maxKm: 10, weight: 0.5 },
					{ maxKm: 5, weight: 1 }
				]
			},
			[
				'Tranche 2 : les distances doivent être croissantes.',
				'Tranche 2 : le poids ne peut pas augmenter avec la distance (0,50 puis 1,00).'
			]
		],
		[
			'distance négative, poids hors de [0, 1] et rayon trop grand',
			{
				bands: [
					{ maxKm: -3, weight: 2 },
					{ maxKm: 500, weight: 0.1 }
				]
			},
			[
				'Tranche 1 : la distance maximale doit être un nombre de km positif.',
				'Tranche 1 : le poids doit être un nombre entre 0 et 1.',
				'Tranche 2 : 500 km dépasse la limite de 100 km.'
			]
		],
		[
			'première tranche de poids nul',
			{ bands: [{ maxKm: 5, weight: 0 }] },
			['La première tranche doit avoir un poids positif.']
		],
		[
			'type de lieu inconnu et offre négative',
			{
				supply: {
					bibliotheque: { perPlace: 1 },
					'france-services': { perPlace: -1, useEffectif: 'oui' }
				}
			},
			[
				'Type de lieu inconnu : « bibliotheque » (attendus : france-services, conseiller-numerique-lieu, conseiller-numerique-poste, aidants-connect, autre-lieu-mediation).',
				'Offre « France services » : l’offre par lieu doit être un nombre entre 0 et 100.',
				'Offre « France services » : useEffectif doit valoir true ou false.'
			]
		],
		['paramètre inconnu', { rayon: 30 }, ['Paramètre inconnu : « rayon ».']]
	])('%s : toutes les erreurs, en français', (_, input, errors) => {
		expect(validateAccessParameters(input)).toEqual({ ok: false, errors });
	});
});

describe('points de demande et d’offre', () => {
	const commune = (code: string, lon: number | null, lat: number | null, population: number) =>
		({ code, lon, lat, population }) as CommuneRecord;

	it('écarte les communes sans centre et garde celles sans estimation avec une demande nulle', () => {
		const result = buildDemandPoints(
			[
				commune('59003', 4.0915, 50.2328, 350),
				commune('59999', null, null, 10),
				commune('59035', 3.9531, 50.1065, 2232)
			],
			(c) => (c.code === '59035' ? null : c.population * 0.5)
		);
		expect(result.points).toEqual([
			{ code: '59003', lon: 4.0915, lat: 50.2328, demand: 175 },
			{ code: '59035', lon: 3.9531, lat: 50.1065, demand: 0 }
		]);
		expect(result.withoutCentre).toEqual(['59999']);
		expect(result.unknownDemand).toEqual(['59035']);
	});

	it('lit le type et l’effectif des médiateurs', () => {
		const feature = (id: string, type: MediatorType, effectif: number | null) => ({
			type: 'Feature' as const,
			geometry: { type: 'Point' as const, coordinates: [3.93, 50.12] },
			properties: {
				id,
				type,
				nom: id,
				adresse: null,
				commune: '59036',
				located: 'address' as const,
				source: 'france-services-2024',
				date: null,
				horaires: null,
				effectif
			}
		});
		expect(
			buildSupplyPoints([
				feature('fs-345', 'france-services', null),
				feature('cnfs-1', 'conseiller-numerique-poste', 3)
			])
		).toEqual([
			{ id: 'fs-345', type: 'france-services', lon: 3.93, lat: 50.12, supply: 2 },
			{ id: 'cnfs-1', type: 'conseiller-numerique-poste', lon: 3.93, lat: 50.12, supply: 3 }
		]);
	});
});
