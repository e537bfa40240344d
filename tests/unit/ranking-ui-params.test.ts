/**
 * The ranking tab's pure pieces: its URL parameters (parse, serialise, French notices), the export
 * links (read back by the API's own parser), the map values and the stacked bar's text.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { knownCodesOf, parseRankingQuery } from '$lib/ranking/query';
import { DEFAULT_WEIGHTS, WEIGHT_PRESETS } from '$lib/ranking/weights';
import type { TerritoryIndex } from '$lib/territory/artifacts';
import {
	buildScoreValues,
	checkRankingCodes,
	defaultRankingView,
	describeContributions,
	exportQuery,
	rankingUrlCodec
} from '$lib/ranking/view-params';
import type { PageCriterion, RankingView } from '$lib/ranking/view-params';
import { formatQuery, parseWith } from '$lib/url/codec';

const parseRankingViewParams = (params: URLSearchParams) => {
	const { value, notices } = parseWith(rankingUrlCodec, params);
	return { view: value, notices };
};
const serializeRankingViewParams = (view: RankingView) =>
	formatQuery(rankingUrlCodec.serialize(view));

const territories = JSON.parse(
	readFileSync('static/data/territoires.json', 'utf8')
) as TerritoryIndex;
const known = knownCodesOf(territories);

describe('ranking tab URL parameters', () => {
	it('reads nothing as the default view, and writes the default view as nothing', () => {
		const { view, notices } = parseRankingViewParams(new URLSearchParams(''));
		expect(view).toEqual(defaultRankingView());
		expect(view.weights).toEqual(DEFAULT_WEIGHTS);
		expect(notices).toEqual([]);
		expect(serializeRankingViewParams(view)).toBe('');
	});

	it.each([
		'classement_niveau=epci&filtre_region=32&poids=rural',
		'filtre_departement=80&tri=distance&page=3',
		'classement_niveau=departement&poids=eloignes:3,acces:1.5&tri=nom&ordre=desc',
		'filtre_region=84&filtre_departement=01&poids=qpv&tri=score&ordre=asc&page=2'
	])('round-trips %s', (search) => {
		const { view, notices } = parseRankingViewParams(new URLSearchParams(search));
		expect(notices).toEqual([]);
		expect(serializeRankingViewParams(view)).toBe(search);
	});

	it('writes preset weights as the preset id and custom weights as the compact string', () => {
		const view = defaultRankingView();
		view.weights = { ...WEIGHT_PRESETS[2].weights };
		expect(serializeRankingViewParams(view)).toBe('poids=qpv');
		view.weights.fibre = 2.5;
		expect(serializeRankingViewParams(view)).toBe(
			'poids=eloignes:2,part:1,acces:1,fibre:2.5,qpv:3,pauvrete:2'
		);
	});

	it.each([
		['classement_niveau=canton', /Niveau de classement « canton » inconnu/, { level: 'commune' }],
		['filtre_region=ABC', /Code région « ABC » invalide/, { region: null }],
		['filtre_departement=999', /Code département « 999 » invalide/, { departement: null }],
		[
			'poids=eloignes:3,acces:x',
			/Poids « eloignes:3,acces:x » illisibles/,
			{ weights: DEFAULT_WEIGHTS }
		],
		['poids=tout', /Poids « tout » inconnus/, { weights: DEFAULT_WEIGHTS }],
		['poids=eloignes:0', /Tous les poids sont nuls/, { weights: DEFAULT_WEIGHTS }],
		['tri=hauteur', /Tri « hauteur » inconnu/, { tri: 'rang' }],
		['ordre=haut', /Ordre « haut » inconnu/, { ordre: 'asc' }],
		['page=0', /Page « 0 » invalide/, { page: 1 }],
		['page=-2', /Page « -2 » invalide/, { page: 1 }],
		[
			'classement_niveau=region&filtre_departement=59',
			/impossible pour un classement des régions/,
			{ departement: null }
		]
	])('falls back on %s with a French notice', (search, message, expected) => {
		const { view, notices } = parseRankingViewParams(new URLSearchParams(search));
		expect(notices).toHaveLength(1);
		expect(notices[0]).toMatch(message);
		expect(view).toMatchObject(expected);
	});

	it('drops unknown or mismatched codes once territoires.json is known', () => {
		const ok = parseRankingViewParams(
			new URLSearchParams('filtre_region=32&filtre_departement=80')
		).view;
		expect(checkRankingCodes(ok, known)).toEqual({ view: ok, notices: [] });

		const unknownDep = parseRankingViewParams(
			new URLSearchParams('filtre_departement=96&page=4')
		).view;
		const checked = checkRankingCodes(unknownDep, known);
		expect(checked.view).toMatchObject({ departement: null, page: 1 });
		expect(checked.notices[0]).toMatch(/Département « 96 » inconnu/);

		const mismatch = parseRankingViewParams(
			new URLSearchParams('filtre_region=11&filtre_departement=80')
		).view;
		const fixed = checkRankingCodes(mismatch, known);
		expect(fixed.view).toMatchObject({ region: '11', departement: null });
		expect(fixed.notices[0]).toMatch(/n’est pas dans la région « 11 »/);
	});
});

describe('export links', () => {
	it('carry the view to /api/classement, which parses them back to the same ranking', () => {
		const { view } = parseRankingViewParams(
			new URLSearchParams(
				'filtre_region=32&filtre_departement=80&poids=eloignes:3,fibre:1&tri=distance&page=5'
			)
		);
		const query = exportQuery(view, 'csv', ',');
		expect(query).toBe(
			'niveau=commune&region=32&departement=80&poids=eloignes:3,fibre:1&tri=distance&format=csv&separateur=,'
		);
		const parsed = parseRankingQuery(new URLSearchParams(query), known);
		expect(parsed.ok).toBe(true);
		if (!parsed.ok) return;
		expect(parsed.value).toMatchObject({
			niveau: 'commune',
			region: '32',
			departement: '80',
			weights: view.weights,
			tri: 'distance',
			ordre: 'desc',
			limite: null,
			format: 'csv',
			separateur: ','
		});
		expect(exportQuery(defaultRankingView(), 'geojson')).toBe('niveau=commune&format=geojson');
	});
});

describe('map values and contribution bars', () => {
	it('give null outside the filter and the score elsewhere', () => {
		const values = buildScoreValues(
			['01001', '01002', '80021'],
			Float32Array.from([NaN, 12.5, 80])
		);
		expect([...values]).toEqual([
			['01001', null],
			['01002', 12.5],
			['80021', 80]
		]);
	});

	it('describe the stacked bar in words, weighted criteria only', () => {
		const criteria: PageCriterion[] = [
			{
				id: 'eloignes',
				value: 4200,
				text: '4 200',
				weight: 2,
				contribution: 30.25,
				missing: false
			},
			{ id: 'fibre', value: 40, text: '40,0 %', weight: 1, contribution: 10, missing: false },
			{ id: 'qpv', value: 0, text: '0', weight: 0, contribution: 0, missing: false }
		];
		const { segments, text } = describeContributions(40.25, criteria);
		expect(segments.map((s) => [s.id, s.points])).toEqual([
			['eloignes', 30.25],
			['fibre', 10]
		]);
		expect(new Set(segments.map((s) => s.colour)).size).toBe(2);
		expect(text.replace(/\u202f|\u00a0/g, ' ')).toBe(
			'Score 40,3 sur 100 : Personnes éloignées 30,3 points, Sans fibre 10,0 points.'
		);
	});
});
