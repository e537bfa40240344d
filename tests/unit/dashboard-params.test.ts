import { describe, expect, it } from 'vitest';
import {
	COMMUNE_ZOOM,
	DEFAULT_DASHBOARD_STATE,
	formatDashboardSearch,
	isTerritoryCode,
	levelForZoom,
	mapUrlCodec,
	type DashboardState
} from '$lib/url/map-params';
import { formatQuery, parseWith } from '$lib/url/codec';
import { listPlaces, unionBounds } from '$lib/territory/places';
import { collectAttributions } from '$lib/territory/attribution';
import type { DatasetSource, TerritoryEntry } from '$lib/territory/artifacts';

const parse = (search: string) => {
	const { value, notices } = parseWith(
		mapUrlCodec,
		new URL(`http://localhost/${search}`).searchParams
	);
	return { state: value, notices };
};

describe('the map’s URL parameters: parse', () => {
	it('gives the defaults and no notice for a bare URL', () => {
		expect(parse('')).toEqual({ state: DEFAULT_DASHBOARD_STATE, notices: [] });
	});

	it('reads every parameter', () => {
		const { state, notices } = parse(
			'?onglet=simulation&indicateur=ifn-total&niveau=commune&classes=jenks&territoire=commune-2a004&vue=9.05,41.93,9.5'
		);
		expect(notices).toEqual([]);
		expect(state).toEqual({
			tab: 'simulation',
			indicator: 'ifn-total',
			level: 'commune',
			classification: 'jenks',
			selection: { level: 'commune', code: '2A004' },
			view: { lon: 9.05, lat: 41.93, zoom: 9.5 }
		});
	});

	it.each([
		['?onglet=export', 'tab', 'carte', /Onglet « export » inconnu/],
		['?niveau=canton', 'level', 'auto', /Niveau « canton » inconnu/],
		['?indicateur=chomage', 'indicator', 'eloignes-part', /Indicateur « chomage » inconnu/],
		['?classes=egales', 'classification', 'quantile', /Méthode de classes « egales » inconnue/],
		['?territoire=59', 'selection', null, /Territoire « 59 » non reconnu/],
		['?territoire=departement-999', 'selection', null, /non reconnu/],
		['?territoire=canton-5901', 'selection', null, /non reconnu/],
		['?vue=2.3,48.8', 'view', null, /Vue de carte « 2.3,48.8 » invalide/],
		['?vue=2.3,95,5', 'view', null, /invalide/],
		['?vue=a,b,c', 'view', null, /invalide/],
		['?vue=2.3,48.8,30', 'view', null, /invalide/]
	] as const)(
		'%s falls back to the default with a French notice',
		(search, key, fallback, notice) => {
			const { state, notices } = parse(search);
			expect(state[key as keyof DashboardState]).toEqual(fallback);
			expect(notices).toHaveLength(1);
			expect(notices[0]).toMatch(notice);
		}
	);

	it('keeps the good parameters when others are bad, one notice each', () => {
		const { state, notices } = parse(
			'?niveau=xx&indicateur=ifn-total&vue=oops&territoire=region-32'
		);
		expect(state.indicator).toBe('ifn-total');
		expect(state.selection).toEqual({ level: 'region', code: '32' });
		expect(notices).toHaveLength(2);
	});

	it('shortens very long bad values in notices', () => {
		const { notices } = parse(`?niveau=${'x'.repeat(500)}`);
		expect(notices[0].length).toBeLessThan(200);
	});
});

describe('the map’s URL parameters: serialize', () => {
	const full: DashboardState = {
		tab: 'classement',
		level: 'epci',
		indicator: 'densite-population',
		classification: 'jenks',
		selection: { level: 'epci', code: '200069052' },
		view: { lon: 6.863456789, lat: 47.6017123, zoom: 8.123456 }
	};

	it('leaves defaults out so the default view is the bare URL', () => {
		expect(formatQuery(mapUrlCodec.serialize(DEFAULT_DASHBOARD_STATE))).toBe('');
		expect(formatDashboardSearch(DEFAULT_DASHBOARD_STATE)).toBe('');
	});

	it('round-trips through the URL (view rounded to 4 decimals and zoom to 2)', () => {
		const search = formatDashboardSearch(full);
		expect(search).toBe(
			'?onglet=classement&indicateur=densite-population&niveau=epci&classes=jenks&territoire=epci-200069052&vue=6.8635,47.6017,8.12'
		);
		const { state, notices } = parse(search);
		expect(notices).toEqual([]);
		expect(state).toEqual({ ...full, view: { lon: 6.8635, lat: 47.6017, zoom: 8.12 } });
		// Serialising the parsed state again gives the same URL.
		expect(formatDashboardSearch(state)).toBe(search);
	});

	it('round-trips every level and Corsican and overseas codes', () => {
		for (const selection of [
			{ level: 'region', code: '94' },
			{ level: 'departement', code: '2B' },
			{ level: 'departement', code: '976' },
			{ level: 'commune', code: '97411' }
		] as const) {
			const state = { ...DEFAULT_DASHBOARD_STATE, selection };
			expect(parse(formatDashboardSearch(state)).state.selection).toEqual(selection);
		}
	});

	it('never writes -0', () => {
		const search = formatDashboardSearch({
			...DEFAULT_DASHBOARD_STATE,
			view: { lon: -0.00001, lat: 45, zoom: 5 }
		});
		expect(search).toBe('?vue=0,45,5');
	});
});

describe('levels, codes, places and credits', () => {
	it('shows départements for France and communes once zoomed in', () => {
		expect(levelForZoom(5.2)).toBe('departement');
		expect(levelForZoom(COMMUNE_ZOOM - 0.01)).toBe('departement');
		expect(levelForZoom(COMMUNE_ZOOM)).toBe('commune');
		expect(levelForZoom(11)).toBe('commune');
	});

	it('recognises the shapes of COG codes', () => {
		expect(isTerritoryCode('commune', '2A004')).toBe(true);
		expect(isTerritoryCode('commune', '2C004')).toBe(false);
		expect(isTerritoryCode('departement', '974')).toBe(true);
		expect(isTerritoryCode('departement', '975')).toBe(false);
		expect(isTerritoryCode('epci', '200069052')).toBe(true);
		expect(isTerritoryCode('epci', '20006905')).toBe(false);
	});

	it('lists mainland France then the five DROM from the territory index', () => {
		const entry = (code: string, nom: string, bbox: TerritoryEntry['bbox']): TerritoryEntry => ({
			code,
			nom,
			level: 'departement',
			population: 0,
			bbox
		});
		const places = listPlaces([
			entry('29', 'Finistère', [-5.14, 47.7, -3.39, 48.76]),
			entry('2B', 'Haute-Corse', [8.53, 41.83, 9.56, 43.03]),
			entry('974', 'La Réunion', [55.21, -21.39, 55.84, -20.87]),
			entry('971', 'Guadeloupe', [-61.81, 15.83, -61, 16.52])
		]);
		expect(places.map((p) => p.label)).toEqual([
			'France métropolitaine',
			'Guadeloupe',
			'La Réunion'
		]);
		expect(places[0].bounds).toEqual([-5.14, 41.83, 9.56, 48.76]);
		expect(unionBounds([null])).toBeNull();
	});

	it('collects the attribution lines of the shown datasets, once each, and reports missing ones', () => {
		const source = (id: string, attribution: string): DatasetSource => ({
			id,
			producer: '',
			title: '',
			vintage: '',
			licence: '',
			url: '',
			attribution
		});
		const sources = [
			source('arcep-fibre-2025', 'ARCEP, 2025'),
			source('arcep-mci-2022', 'ARCEP, 2022'),
			source('x', 'ARCEP, 2025')
		];
		expect(
			collectAttributions(sources, ['arcep-fibre-2025', 'x', 'arcep-mci-2022', 'ifn-2023'])
		).toEqual({
			lines: ['ARCEP, 2025', 'ARCEP, 2022'],
			missing: ['ifn-2023']
		});
	});
});
