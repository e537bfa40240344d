import { describe, expect, it } from 'vitest';
import {
	DEFAULT_THEMATIC_PARAMS,
	thematicUrlCodec,
	type ThematicParams
} from '$lib/url/thematic-params';
import { formatQuery, parseWith } from '$lib/url/codec';

const parse = (query: string) => {
	const { value, notices } = parseWith(thematicUrlCodec, new URLSearchParams(query));
	return { params: value, notices };
};
const serializeThematicParams = (state: ThematicParams) =>
	formatQuery(thematicUrlCodec.serialize(state));

describe('thematic layer URL parameters', () => {
	it('leaves the URL clean for the defaults', () => {
		expect(serializeThematicParams(DEFAULT_THEMATIC_PARAMS)).toBe('');
		expect(parse('')).toEqual({ params: DEFAULT_THEMATIC_PARAMS, notices: [] });
	});

	it('round-trips every layer, typology, threshold and fibre measure', () => {
		const state: ThematicParams = {
			whiteZonesOn: true,
			qpvOn: true,
			frrOn: true,
			zrrOn: true,
			typology: 'ruralite',
			threshold: 30,
			fibreView: 'thd100-2022'
		};
		const query = serializeThematicParams(state);
		expect(query).toBe(
			'couches=zones-blanches,qpv,frr,zrr&typologie=ruralite&seuil=30&mesure_fibre=thd100'
		);
		expect(parse(query)).toEqual({ params: state, notices: [] });
	});

	it.each([
		['couches=qpv,routes', /Couche « routes » inconnue/, { qpvOn: true }],
		['typologie=climat', /Typologie « climat » inconnue/, {}],
		['seuil=150', /Seuil de zone blanche « 150 » invalide/, {}],
		['seuil=', /Seuil de zone blanche « \(vide\) » invalide/, {}],
		['mesure_fibre=adsl', /Mesure fibre « adsl » inconnue/, {}]
	] as const)('%s falls back with a French notice', (query, notice, kept) => {
		const { params, notices } = parse(query);
		expect(notices).toHaveLength(1);
		expect(notices[0]).toMatch(notice);
		expect(params).toEqual({ ...DEFAULT_THEMATIC_PARAMS, ...kept });
	});

	it('reads a decimal comma threshold and rounds it', () => {
		expect(parse('seuil=33,6').params.threshold).toBe(34);
	});
});
