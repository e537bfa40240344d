/**
 * The dashboard URL as one codec composed of the features' codecs (src/lib/url/): no two features
 * own a parameter, what is written reads back the same, real links keep working, bad values fall
 * back with a French notice naming their parameter, and unknown parameters are left alone.
 */
import { describe, expect, it } from 'vitest';
import { MEDIATOR_SOURCE_IDS } from '$lib/mediation/mediator-filters';
import { MEDIATOR_TYPES } from '$lib/mediation/mediator-types';
import { WEIGHT_PRESETS } from '$lib/ranking/weights';
import { defaultRankingView } from '$lib/ranking/view-params';
import { defaultScenarioParams } from '$lib/siting/scenario';
import {
	DASHBOARD_CODECS,
	DASHBOARD_PARAM_NAMES,
	defaultDashboardParams,
	formatDashboardQuery,
	parseDashboardParams,
	serializeDashboardParams,
	type DashboardParams
} from '$lib/url/dashboard-params';

const parse = (search: string) => parseDashboardParams(new URLSearchParams(search));
const PARTS = Object.keys(DASHBOARD_CODECS) as (keyof DashboardParams)[];

/** A state where every feature differs from its defaults. */
const everything: DashboardParams = {
	map: {
		tab: 'simulation',
		level: 'departement',
		indicator: 'ifn-total',
		classification: 'jenks',
		selection: { level: 'commune', code: '80021' },
		view: { lon: 2.3, lat: 49.9, zoom: 9.25 }
	},
	savedScenario: 'k3x9-2b',
	estimate: { symbols: true, opacity: 0.8 },
	simulation: {
		params: {
			territory: { level: 'epci', code: '200071983' },
			n: 4,
			objective: 'capacite',
			coverageKm: 7.5,
			candidates: { rule: 'france_services_sans_conseiller', populationMin: null }
		},
		edits: {
			proposed: [{ kind: 'lieu', id: 'fs-40' }],
			added: [
				{ kind: 'point', lon: 2.2958, lat: 49.8941 },
				{ kind: 'commune', code: '80021' }
			],
			removed: ['fs-3'],
			conseillers: [{ id: 'cn-3', conseillers: 0.5 }]
		}
	},
	mediators: { types: ['france-services', 'aidants-connect'], sources: ['france-services-2024'] },
	thematic: {
		whiteZonesOn: true,
		qpvOn: true,
		frrOn: false,
		zrrOn: true,
		typology: 'densite',
		threshold: 30,
		fibreView: 'thd100-2022'
	},
	ranking: {
		level: 'departement',
		region: '32',
		departement: null,
		weights: { ...WEIGHT_PRESETS[2].weights, fibre: 2.5 },
		tri: 'nom',
		ordre: 'desc',
		page: 3
	}
};

/** One state per feature: the defaults but for that feature's part. */
const onePartEach = PARTS.map((part) => {
	const state = defaultDashboardParams();
	return [part, { ...state, [part]: everything[part] } as DashboardParams] as const;
});

describe('parameter names', () => {
	it('are owned by one codec each', () => {
		const owners = new Map<string, string[]>();
		for (const part of PARTS) {
			for (const key of DASHBOARD_CODECS[part].keys)
				owners.set(key, [...(owners.get(key) ?? []), part]);
		}
		const clashes = [...owners].filter(([, parts]) => parts.length > 1);
		expect(clashes).toEqual([]);
		expect(DASHBOARD_PARAM_NAMES.size).toBe(owners.size);
	});

	it.each(onePartEach)('%s writes only the names it owns', (part, state) => {
		const written = [...serializeDashboardParams(state).keys()];
		expect(written.length).toBeGreaterThan(0);
		expect(written.filter((key) => !DASHBOARD_CODECS[part].keys.includes(key))).toEqual([]);
	});

	it('writes each name once', () => {
		const written = [...serializeDashboardParams(everything).keys()];
		expect(new Set(written).size).toBe(written.length);
	});
});

describe('round trip', () => {
	it('writes the defaults as the bare URL and reads it back', () => {
		expect(formatDashboardQuery(defaultDashboardParams())).toBe('');
		expect(parse('')).toEqual({ state: defaultDashboardParams(), notices: [] });
	});

	it.each([...onePartEach, ['every feature', everything] as const])(
		'parse(serialize(state)) is the state: %s',
		(_, state) => {
			const query = formatDashboardQuery(state);
			expect(parse(query)).toEqual({ state, notices: [] });
		}
	);

	it('writes a short, readable query in a stable order (the map’s parameters first)', () => {
		expect(formatDashboardQuery(everything)).toBe(
			'?onglet=simulation&indicateur=ifn-total&niveau=departement&classes=jenks' +
				'&territoire=commune-80021&vue=2.3,49.9,9.25&scenario=k3x9-2b' +
				'&symboles=eloignes&opacite_cercles=80' +
				'&simulation=epci-200071983&postes=4&objectif=capacite&rayon=7.5' +
				'&candidats=france-services-sans-conseiller&proposes=fs-40' +
				'&ajouts=2.29580_49.89410,80021&retraits=fs-3' +
				'&conseillers=cn-3:0.5' +
				'&lieux=france-services,aidants-connect&lieux_sources=france-services-2024' +
				'&couches=zones-blanches,qpv,zrr&typologie=densite&seuil=30&mesure_fibre=thd100' +
				'&classement_niveau=departement&filtre_region=32' +
				'&poids=eloignes:2,part:1,acces:1,fibre:2.5,qpv:3,pauvrete:2&tri=nom&ordre=desc&page=3'
		);
	});

	// Links of the browser tests (tests/e2e) and of the fiche territoire, as users share them.
	it.each([
		'?onglet=classement',
		'?onglet=simulation',
		'?indicateur=fibre-ftth&lieux=aucun',
		'?niveau=departement&vue=2.02,46.09,7',
		'?vue=3.192,50.69,13',
		'?indicateur=fibre-ftth&vue=2.2958,49.8941,10',
		'?onglet=classement&filtre_departement=80',
		'?onglet=classement&filtre_departement=976',
		'?onglet=simulation&simulation=departement-80&postes=5&proposes=80021,80001',
		'?onglet=simulation&simulation=departement-80&postes=2&objectif=capacite&proposes=80021,80001',
		'?couches=zones-blanches,qpv,frr,zrr&typologie=ruralite&seuil=95',
		'?territoire=commune-02691&couches=zones-blanches,qpv,frr,zrr&typologie=densite&seuil=80',
		'?territoire=commune-23096&scenario=abc123',
		'?symboles=eloignes&opacite_cercles=35'
	])('serialize(parse(%s)) is the same link', (link) => {
		const { state, notices } = parse(link);
		expect(notices).toEqual([]);
		expect(formatDashboardQuery(state)).toBe(link);
	});

	it.each([
		// Defaults written out, other orders: the same view, written the short way.
		['?indicateur=fibre-ftth&onglet=simulation', '?onglet=simulation&indicateur=fibre-ftth'],
		['?lieux=tous&vue=3.06,50.63,13.5', '?vue=3.06,50.63,13.5'],
		['?lieux=france-services&vue=3.06,50.63,8.5', '?vue=3.06,50.63,8.5&lieux=france-services'],
		[
			'?territoire=commune-23247&classement_niveau=commune&filtre_departement=23',
			'?territoire=commune-23247&filtre_departement=23'
		],
		['?vue=2.5%2C46.6%2C5.2&poids=qpv', '?vue=2.5,46.6,5.2&poids=qpv']
	])('%s is read without notice and written as %s', (link, written) => {
		const { state, notices } = parse(link);
		expect(notices).toEqual([]);
		expect(formatDashboardQuery(state)).toBe(written);
		expect(parse(written).state).toEqual(state);
	});
});

describe('bad values', () => {
	// One bad value per parameter: [query, parameter named by the notice, part left at its default].
	it.each([
		['onglet=export', 'onglet', 'map'],
		['niveau=canton', 'niveau', 'map'],
		['indicateur=chomage', 'indicateur', 'map'],
		['classes=egales', 'classes', 'map'],
		['territoire=departement-999', 'territoire', 'map'],
		['vue=2.3,95,5', 'vue', 'map'],
		['symboles=carres', 'symboles', 'estimate'],
		['opacite_cercles=5', 'opacite_cercles', 'estimate'],
		['simulation=canton-12', 'simulation', 'simulation'],
		['lieux=bibliotheques', 'lieux', null],
		['lieux_sources=osm', 'lieux_sources', 'mediators'],
		['couches=routes', 'couches', 'thematic'],
		['typologie=climat', 'typologie', 'thematic'],
		['seuil=150', 'seuil', 'thematic'],
		['mesure_fibre=adsl', 'mesure_fibre', 'thematic'],
		['classement_niveau=canton', 'classement_niveau', 'ranking'],
		['filtre_region=ABC', 'filtre_region', 'ranking'],
		['filtre_departement=999', 'filtre_departement', 'ranking'],
		['poids=tout', 'poids', 'ranking'],
		['tri=hauteur', 'tri', 'ranking'],
		['ordre=haut', 'ordre', 'ranking'],
		['page=0', 'page', 'ranking']
	] as const)('%s falls back with a French notice naming « %s »', (query, name, part) => {
		// A good parameter of another feature in the same link, which must be kept.
		const good = part === 'map' ? 'lieux=aucun' : 'indicateur=ifn-total';
		const { state, notices } = parse(`?${good}&${query}`);
		expect(notices).toHaveLength(1);
		expect(notices[0]).toContain(`paramètre « ${name} »`);
		if (part === 'map') expect(state.mediators.types).toEqual([]);
		else expect(state.map.indicator).toBe('ifn-total');
		if (part) expect(state[part]).toEqual(defaultDashboardParams()[part]);
	});

	it('names the parameter of a bad simulation value, and keeps the scenario', () => {
		for (const [query, name] of [
			['postes=0', 'postes'],
			['objectif=vitesse', 'objectif'],
			['rayon=-3', 'rayon'],
			['candidats=mairies', 'candidats'],
			['ajouts=999.00000_10.00000', 'ajouts'],
			['conseillers=fs-12:beaucoup', 'conseillers']
		]) {
			const { state, notices } = parse(`?simulation=departement-02&${query}`);
			expect(state.simulation?.params.territory).toEqual({ level: 'departement', code: '02' });
			expect(notices).toHaveLength(1);
			expect(notices[0]).toContain(`paramètre « ${name} »`);
		}
	});

	it('drops bad values from the URL it writes', () => {
		const { state } = parse('?niveau=canton&indicateur=inconnu&vue=2,46&couches=routes&page=x');
		expect(formatDashboardQuery(state)).toBe('');
	});

	it('never throws, whatever the link holds', () => {
		for (const query of [
			'?%',
			'?vue=,,,',
			'?poids=::,:',
			`?ajouts=${','.repeat(2000)}`,
			'?a&b=&=c'
		]) {
			expect(() => parse(query)).not.toThrow();
		}
		expect(parse('?lieux=' + 'x'.repeat(500)).notices[0].length).toBeLessThan(400);
	});
});

describe('unknown parameters', () => {
	it('are ignored when reading, without notice', () => {
		const { state, notices } = parse('?utm_source=lettre&indicateur=ifn-total&zoom=3');
		expect(notices).toEqual([]);
		expect(state).toEqual({
			...defaultDashboardParams(),
			map: { ...defaultDashboardParams().map, indicator: 'ifn-total' }
		});
	});

	it('are kept, after the dashboard’s own, when the page writes its URL', () => {
		const current = new URLSearchParams('utm_source=lettre&indicateur=ifn-total&lieux=aucun');
		const state = defaultDashboardParams();
		state.map.indicator = 'fibre-ftth';
		state.mediators = { types: [...MEDIATOR_TYPES], sources: [...MEDIATOR_SOURCE_IDS] };
		expect(formatDashboardQuery(state, current)).toBe('?indicateur=fibre-ftth&utm_source=lettre');
		expect(formatDashboardQuery(defaultDashboardParams(), current)).toBe('?utm_source=lettre');
	});
});

describe('feature defaults', () => {
	it('are what each codec reads from an empty query', () => {
		const defaults = defaultDashboardParams();
		expect(defaults.ranking).toEqual(defaultRankingView());
		expect(defaults.simulation).toBeNull();
		expect(parse('?simulation=france').state.simulation?.params).toEqual({
			...defaultScenarioParams({ level: 'france', code: null }),
			// A link without `objectif` keeps the meaning it had when shared (see scenario-url.ts).
			objective: 'couverture'
		});
	});
});
