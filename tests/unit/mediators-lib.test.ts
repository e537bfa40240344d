import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
	findCommuneByPostalAddress,
	indexCommuneCodes,
	normaliseCommuneName,
	resolveCommuneCode,
	type DecoupageCommune
} from '../../src/lib/mediation/commune-codes';
import { findDuplicatePlaces, type PlaceRecord } from '../../src/lib/mediation/deduplicate';
import { classifyNpdcSource, pickMostSpecificType } from '../../src/lib/mediation/mediator-types';
import { formatWeekHours } from '../../src/lib/mediation/opening-hours';
import {
	comparePlaceNames,
	SAME_PLACE_NAME_SCORE,
	splitPlaceName
} from '../../src/lib/mediation/place-names';

const FIXTURE_COG = join(
	dirname(fileURLToPath(import.meta.url)),
	'..',
	'fixtures',
	'mediators',
	'sources',
	'admin',
	'decoupage-administratif-6.0.0',
	'communes.json.gz'
);
const cog = JSON.parse(
	gunzipSync(readFileSync(FIXTURE_COG)).toString('utf8')
) as DecoupageCommune[];
const codes = indexCommuneCodes(cog);
const current = new Set(cog.filter((e) => e.type === 'commune-actuelle').map((e) => e.code));

describe('formatWeekHours', () => {
	it.each([
		[{ lundi: '09:00 - 12:00 / 13:30 - 17:00' }, 'lun. 09:00 - 12:00 / 13:30 - 17:00'],
		[{ samedi: '09:00-12:00', lundi: '14:00 -  17:00' }, 'lun. 14:00 - 17:00 ; sam. 09:00 - 12:00'],
		[{ mardi: '', mercredi: '  ', jeudi: null }, null],
		[{ vendredi: 'Sur rendez-vous' }, 'ven. Sur rendez-vous']
	])('%j → %s', (hours, expected) => {
		expect(formatWeekHours(hours)).toBe(expected);
	});
});

describe('commune codes', () => {
	it.each([
		['01053', '01053'], // current
		['75107', '75056'], // Paris 7e arrondissement
		['13211', '13055'], // Marseille 11e arrondissement
		['49069', '49126'], // Champtoceaux, commune déléguée of Orée d'Anjou
		['80000', null] // a postal code, not a commune code
	])('%s → %s', (code, expected) => {
		expect(resolveCommuneCode(code, (c) => current.has(c), codes)).toBe(expected);
	});

	it('does not map to a code the caller does not know', () => {
		expect(resolveCommuneCode('75107', () => false, codes)).toBeNull();
	});

	it.each([
		['MARSEILLE 11', 'marseille'],
		['Marseille 11e Arrondissement', 'marseille'],
		['CAHORS CEDEX 9', 'cahors'],
		['ST-AMAND-LES-EAUX', 'saint amand les eaux'],
		['Étrœungt', 'etroeungt']
	])('normaliseCommuneName(%s) = %s', (name, expected) => {
		expect(normaliseCommuneName(name)).toBe(expected);
	});

	it.each([
		// postal code shared by several communes: the one with the name
		['62880', 'ANNAY', '62033', 'name'],
		// postal code of an arrondissement: its commune
		['13011', 'MARSEILLE 11', '13055', 'name'],
		// CEDEX postal code: the name within the département
		['46010', 'CAHORS CEDEX 9', '46042', 'name-in-departement'],
		// a name that is not among the communes of the postal code: the only one using it
		['62300', 'Lens Centre', '62498', 'unique']
	])('%s %s → %s (%s)', (postal, name, code, match) => {
		expect(findCommuneByPostalAddress(codes, postal, name, null, () => null)).toEqual({
			code,
			match
		});
	});

	it('falls back to the nearest commune centre among those sharing the postal code', () => {
		// 62880 is shared by Annay (62033) and Vendin-le-Vieil (62842), among others.
		const centres: Record<string, [number, number]> = {
			'62033': [2.8814, 50.4633],
			'62842': [2.8661, 50.4736]
		};
		const found = findCommuneByPostalAddress(
			codes,
			'62880',
			'Hameau inconnu',
			[2.866, 50.474],
			(c) => centres[c] ?? null
		);
		expect(found).toEqual({ code: '62842', match: 'nearest' });
		expect(
			findCommuneByPostalAddress(codes, '62880', 'Hameau inconnu', null, () => null)
		).toBeNull();
	});
});

describe('place names', () => {
	it('splits kinds from distinctive words', () => {
		expect(splitPlaceName('France services de Saint-Omer')).toEqual({
			kinds: ['france-services'],
			words: ['omer', 'saint']
		});
		expect(splitPlaceName('CCAS de Bailleul')).toEqual({ kinds: ['ccas'], words: ['bailleul'] });
	});

	// Real pairs found less than 50 m apart in the NPdC 2023 file and the national lists.
	it.each([
		['France Services - Lumbres', 'France services de Lumbres', true],
		['Maison de Services au Public/PIMMS Arras', 'France services Pimms Médiation Arras', true],
		[
			'Centre Social & Culturel Jacques-Yves Cousteau',
			'CENTRE SOCIAL ET CULTUREL JACQUES YVES COUSTEAU',
			true
		],
		['Mission Locale du Douaisis', 'MISSION LOCALE EMPLOI JEUNES DOUAISIS', true],
		['Médiathèque municipale d’Iwuy', 'Médiathèque d’Iwuy', true],
		['CCAS de Bailleul', 'Mediatheque Municipale de Bailleul', false],
		['France services de Mons-en-Baroeul', 'COMMUNE DE MONS EN BAROEUL', false],
		['FRANCE SERVICES DE LAVENTIE', 'France services Flandre Lys', false],
		['La Poste', 'France services La Poste de Mortagne-du-Nord', false],
		['Mission Locale Flandre Intérieure', 'CCAS de Cassel', false],
		['Centre Social Arras Ouest', 'Centre Social Arras Nord', false]
	])('%s ~ %s: %s', (a, b, same) => {
		expect(comparePlaceNames(a, b) >= SAME_PLACE_NAME_SCORE).toBe(same);
		expect(comparePlaceNames(b, a)).toBe(comparePlaceNames(a, b));
	});
});

describe('findDuplicatePlaces', () => {
	const place = (
		overrides: Partial<PlaceRecord> & Pick<PlaceRecord, 'origin' | 'nativeId'>
	): PlaceRecord => ({
		compiled: false,
		copies: null,
		siret: null,
		nom: 'France services de Lumbres',
		lon: 2.11089,
		lat: 50.70593,
		...overrides
	});
	// France services Lumbres (ANCT 2024) and its NPdC copy, same coordinates (real records).
	const fs = place({ origin: 'france-services-2024', nativeId: '370' });
	const npdc = place({
		origin: 'lieux-npdc-2023/assembleurs',
		nativeId: 'FS370-mediation-numerique-assembleurs',
		compiled: true,
		nom: 'France Services - Lumbres'
	});

	it('merges a compiled record with a national one by distance and name', () => {
		const result = findDuplicatePlaces([fs, npdc]);
		expect(result.groups).toEqual([[0, 1]]);
		expect(result.links.map((l) => l.rule)).toEqual(['distance-nom']);
	});

	it('never compares two national records', () => {
		const cnfs = place({ origin: 'cnfs-lieux-2022', nativeId: 'x' });
		expect(findDuplicatePlaces([fs, cnfs]).groups).toEqual([]);
	});

	it('never merges two national records through a compiled one', () => {
		const cnfs = place({
			origin: 'cnfs-lieux-2022',
			nativeId: 'x',
			nom: 'France services Lumbres'
		});
		const result = findDuplicatePlaces([fs, npdc, cnfs]);
		expect(result.groups).toHaveLength(1);
		expect(result.groups[0]).toHaveLength(2);
	});

	it('never merges records of the same list', () => {
		const twin = { ...npdc, nativeId: 'other' };
		expect(findDuplicatePlaces([npdc, twin]).groups).toEqual([]);
	});

	it('follows an explicit id link whatever the distance', () => {
		const bus = place({
			origin: 'lieux-npdc-2023/france-services',
			nativeId: '2079-mediation-numerique-france-services',
			compiled: true,
			copies: { origin: 'france-services-2024', nativeId: '370' },
			nom: 'Bus France services des Flandres',
			lon: 2.5,
			lat: 50.9
		});
		const result = findDuplicatePlaces([fs, bus]);
		expect(result.links).toHaveLength(1);
		expect(result.links[0].rule).toBe('identifiant');
		expect(result.links[0].distanceM).toBeGreaterThan(30_000);
	});

	it('uses the SIRET only within the SIRET distance', () => {
		const siret = '21620033700014';
		const near = place({
			origin: 'cnfs-lieux-2022',
			nativeId: 'a',
			siret,
			nom: 'Mairie',
			lon: 2.8814,
			lat: 50.4633
		});
		const copy = place({
			origin: 'lieux-npdc-2023/assembleurs',
			nativeId: 'b',
			compiled: true,
			siret,
			nom: 'Espace numérique',
			lon: 2.8864,
			lat: 50.4633
		});
		expect(findDuplicatePlaces([near, copy]).links.map((l) => l.rule)).toEqual(['siret']);
		expect(findDuplicatePlaces([near, copy], { maxSiretDistanceM: 200 }).links).toEqual([]);
	});

	it('does not merge similar names 50 m apart or more', () => {
		const far = { ...npdc, lat: npdc.lat + 0.0005 }; // about 56 m north
		expect(findDuplicatePlaces([fs, far]).groups).toEqual([]);
	});
});

describe('mediator types', () => {
	it.each([
		['france-services', 'france-services'],
		['conseiller-numerique', 'conseiller-numerique-lieu'],
		['assembleurs', 'autre-lieu-mediation'],
		['france-tiers-lieux', 'autre-lieu-mediation'],
		[null, 'autre-lieu-mediation']
	] as const)('NPdC source %s → %s', (source, type) => {
		expect(classifyNpdcSource(source)).toBe(type);
	});

	it('keeps the most specific place type', () => {
		expect(pickMostSpecificType(['autre-lieu-mediation', 'conseiller-numerique-lieu'])).toBe(
			'conseiller-numerique-lieu'
		);
		expect(pickMostSpecificType(['conseiller-numerique-lieu', 'france-services'])).toBe(
			'france-services'
		);
	});
});
