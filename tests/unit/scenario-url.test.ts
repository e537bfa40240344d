/**
 * A simulation scenario in the URL (src/lib/siting/scenario-url.ts): round trips, defaults left
 * out, bad values falling back with a French notice naming the parameter.
 */
import { describe, expect, it } from 'vitest';
import {
	parseScenarioParams,
	serializeScenarioParams,
	type ScenarioState
} from '$lib/siting/scenario-url';
import { defaultScenarioParams } from '$lib/siting/scenario';

const parse = (query: string) => parseScenarioParams(new URL(`https://atlas.test/${query}`));

const full: ScenarioState = {
	params: {
		territory: { level: 'departement', code: '2A' },
		n: 11,
		objective: 'distance',
		coverageKm: 12.5,
		candidates: { rule: 'population_min', populationMin: 1000 }
	},
	edits: {
		proposed: [
			{ kind: 'commune', code: '2A004' },
			{ kind: 'commune', code: '2A041' }
		],
		added: [
			{ kind: 'point', lon: 8.7386, lat: 41.9192 },
			{ kind: 'lieu', id: 'fs-12' }
		],
		removed: ['fs-3', 'npdc-2200 - APTIC-assembleurs']
	}
};

describe('serialise ⇄ parse', () => {
	it.each([
		['everything set', full],
		[
			'defaults',
			{
				params: defaultScenarioParams({ level: 'france', code: null }),
				edits: { proposed: [], added: [], removed: [] }
			}
		],
		[
			'an EPCI with the France services rule',
			{
				params: {
					...defaultScenarioParams({ level: 'epci', code: '240200444' }),
					candidates: { rule: 'france_services_sans_conseiller', populationMin: null }
				},
				edits: { proposed: [{ kind: 'lieu', id: 'fs-77' }], added: [], removed: [] }
			}
		]
	] as [string, ScenarioState][])('%s', (_, state) => {
		const params = serializeScenarioParams(state);
		const back = parseScenarioParams(new URLSearchParams(params.toString()));
		expect(back.notices).toEqual([]);
		expect(back.scenario).toEqual(state);
	});

	it('writes a short, readable query and leaves the defaults out', () => {
		expect(serializeScenarioParams(full).toString().replaceAll('%2C', ',')).toBe(
			'simulation=departement-2A&postes=11&objectif=distance&rayon=12.5&candidats=population-1000&proposes=2A004,2A041&ajouts=8.73860_41.91920,fs-12&retraits=fs-3,npdc-2200+-+APTIC-assembleurs'
		);
		const defaults = serializeScenarioParams({
			params: defaultScenarioParams({ level: 'region', code: '32' }),
			edits: { proposed: [], added: [], removed: [] }
		});
		// The capacity objective (the default) is written out: a link without `objectif` means
		// coverage, as it did before capacity became the default.
		expect(defaults.toString()).toBe('simulation=region-32&postes=10&objectif=capacite');
	});
});

describe('parseScenarioParams: bad values fall back with a notice', () => {
	it('no scenario without a territory', () => {
		expect(parse('?indicateur=x')).toEqual({ scenario: null, notices: [] });
		const orphan = parse('?postes=3&objectif=distance');
		expect(orphan.scenario).toBeNull();
		expect(orphan.notices).toEqual([
			'Paramètres de simulation sans territoire (postes, objectif) : ajoutez « simulation=departement-02 » par exemple ; ils sont ignorés.'
		]);
	});

	it.each([
		['?simulation=canton-12', 'Territoire de simulation « canton-12 » non reconnu'],
		['?simulation=departement-Aisne', 'Territoire de simulation « departement-Aisne » non reconnu'],
		['?simulation=epci-123', 'Territoire de simulation « epci-123 » non reconnu']
	])('%s → no scenario', (query, notice) => {
		const { scenario, notices } = parse(query);
		expect(scenario).toBeNull();
		expect(notices[0]).toContain(notice);
	});

	it.each([
		[
			'postes=0',
			'n',
			10,
			'Nombre de postes « 0 » invalide (paramètre « postes », attendu : entier de 1 à 500) : 10 postes.'
		],
		['postes=501', 'n', 10, 'Nombre de postes « 501 » invalide'],
		['postes=2.5', 'n', 10, 'Nombre de postes « 2.5 » invalide'],
		['postes=', 'n', 10, 'Nombre de postes « (vide) » invalide'],
		[
			'objectif=vitesse',
			'objective',
			'couverture',
			'Objectif « vitesse » inconnu (paramètre « objectif », attendu : capacite, couverture ou distance) : couverture.'
		],
		['rayon=-3', 'coverageKm', 10, 'Distance de couverture « -3 » invalide'],
		['rayon=abc', 'coverageKm', 10, 'Distance de couverture « abc » invalide'],
		['rayon=250', 'coverageKm', 10, 'Distance de couverture « 250 » invalide'],
		[
			'candidats=mairies',
			'candidates',
			{ rule: 'toutes', populationMin: null },
			'Règle de candidats « mairies » inconnue'
		],
		[
			'candidats=population-0',
			'candidates',
			{ rule: 'toutes', populationMin: null },
			'Règle de candidats « population-0 » inconnue'
		]
	])('%s', (query, key, fallback, notice) => {
		const { scenario, notices } = parse(`?simulation=departement-02&${query}`);
		expect(scenario?.params[key as keyof ScenarioState['params']]).toEqual(fallback);
		expect(notices).toHaveLength(1);
		expect(notices[0]).toContain(notice);
	});

	it('accepts a decimal comma in the distance and lower-case Corsican codes', () => {
		const { scenario, notices } = parse('?simulation=departement-2a&rayon=7,5&proposes=2a004');
		expect(notices).toEqual([]);
		expect(scenario?.params.territory).toEqual({ level: 'departement', code: '2A' });
		expect(scenario?.params.coverageKm).toBe(7.5);
		expect(scenario?.edits.proposed).toEqual([{ kind: 'commune', code: '2A004' }]);
	});

	it('drops unreadable sites and duplicates, keeps the rest', () => {
		const { scenario, notices } = parse(
			'?simulation=departement-02&ajouts=02361,999.00000_10.00000,02361,,3.6_49.9'
		);
		expect(scenario?.edits.added).toEqual([
			{ kind: 'commune', code: '02361' },
			{ kind: 'point', lon: 3.6, lat: 49.9 }
		]);
		expect(notices).toEqual([
			'1 site(s) ajouté(s) illisible(s) ignoré(s) : « 999.00000_10.00000 » (paramètre « ajouts », attendu : code de commune, identifiant de lieu ou longitude_latitude).'
		]);
	});

	it('keeps at most 500 items per list', () => {
		const many = Array.from({ length: 600 }, (_, i) => `fs-${i}`).join(',');
		const { scenario, notices } = parse(`?simulation=france&retraits=${many}`);
		expect(scenario?.edits.removed).toHaveLength(500);
		expect(notices[0]).toMatch(
			/^Trop de lieu\(x\) retiré\(s\) dans le lien \(paramètre « retraits » : 600\)/
		);
	});
});

describe('corrected numbers of conseillers in the URL (issue 11)', () => {
	it('round-trips, keeps old links valid and drops a bad item with a notice', () => {
		const state = {
			params: defaultScenarioParams({ level: 'departement', code: '23' }),
			edits: {
				proposed: [],
				added: [],
				removed: [],
				conseillers: [
					{ id: 'fs-12', conseillers: 2 },
					{ id: 'cn-3', conseillers: 0.5 }
				]
			}
		};
		const query = serializeScenarioParams(state)
			.toString()
			.replaceAll('%2C', ',')
			.replaceAll('%3A', ':');
		expect(query).toContain('conseillers=fs-12:2,cn-3:0.5');
		const back = parseScenarioParams(new URLSearchParams(query));
		expect(back.scenario?.edits.conseillers).toEqual(state.edits.conseillers);
		const old = parseScenarioParams(new URLSearchParams('simulation=departement-23&postes=3'));
		expect(old.scenario?.edits.conseillers ?? []).toEqual([]);
		expect(old.scenario?.params.objective).toBe('couverture');
		const bad = parseScenarioParams(
			new URLSearchParams('simulation=departement-23&conseillers=fs-12:beaucoup,fs-13:1')
		);
		expect(bad.scenario?.edits.conseillers).toEqual([{ id: 'fs-13', conseillers: 1 }]);
		expect(bad.notices.join(' ')).toContain(
			'Correction de conseillers « fs-12:beaucoup » invalide'
		);
	});
});
