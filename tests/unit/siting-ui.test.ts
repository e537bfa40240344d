/**
 * The pure side of the simulation panel (src/lib/ui/siting/siting-view.ts): before/after rows in
 * French, hand edits, map features, click hit-test, nearest commune centre on the real commune
 * table, and the territory report link.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeCommuneTable } from '$lib/territory/commune-table';
import { NO_EDITS, type SimulationFigures, type SimulationSite } from '$lib/siting/scenario';
import { parseScenarioParams } from '$lib/siting/scenario-url';
import {
	addSite,
	describeFigures,
	describeSiteGain,
	findNearestCentre,
	formatDistanceGain,
	formatPeople,
	hasEdits,
	NUMBERED_MARKER_LIMIT,
	pickNearest,
	placesToFeatures,
	removePlace,
	removeSite,
	restorePlace,
	scenarioReportTarget,
	sitesToFeatures
} from '$lib/ui/siting/siting-view';

const NBSP = '\u00a0';
const NNBSP = '\u202f';
/** French number formatting uses narrow no-break spaces for thousands: compare on plain spaces. */
const plain = (text: string) => text.replaceAll(NNBSP, ' ').replaceAll(NBSP, ' ');

function figures(overrides: Partial<SimulationFigures>): SimulationFigures {
	return {
		lieux: 40,
		communes: 772,
		eloignes: 80_000,
		eloignes_couverts: 60_000,
		part_couverte_pct: 75,
		distance_moyenne_km: 6.25,
		communes_non_couvertes: 120,
		eloignes_non_couverts: 20_000,
		accessibilite: 3.5,
		...overrides
	};
}

describe('describeFigures', () => {
	it('formats before, after and the signed change the French way, and says which way is better', () => {
		const rows = describeFigures(
			figures({}),
			figures({
				lieux: 45,
				eloignes_couverts: 66_543,
				part_couverte_pct: 83.17875,
				distance_moyenne_km: 5.1,
				communes_non_couvertes: 80,
				accessibilite: 3.5
			}),
			10
		);
		const byKey = Object.fromEntries(rows.map((r) => [r.key, r]));
		expect(plain(byKey.part.label)).toBe('Part des personnes éloignées à moins de 10 km d’un lieu');
		expect(plain(byKey.part.before)).toBe('75,0 %');
		expect(plain(byKey.part.after)).toBe('83,2 %');
		expect(plain(byKey.part.change)).toBe('+8,2 points');
		expect(byKey.part.better).toBe(true);
		expect(plain(byKey.couverts.after)).toBe('66 543');
		expect(plain(byKey.couverts.change)).toBe('+6 543');
		// Lower distance and fewer uncovered communes are improvements, shown with a true minus sign.
		expect(plain(byKey.distance.change)).toBe('−1,2 km');
		expect(byKey.distance.better).toBe(true);
		expect(plain(byKey.non_couvertes.change)).toBe('−40');
		expect(byKey.non_couvertes.better).toBe(true);
		// No change: '=' and neither better nor worse.
		expect(byKey.accessibilite.change).toBe('=');
		expect(byKey.accessibilite.better).toBeNull();
	});

	it('shows a missing value as a dash and no change, and a decimal coverage distance in the labels', () => {
		const rows = describeFigures(
			figures({ distance_moyenne_km: null }),
			figures({ distance_moyenne_km: 4 }),
			12.5
		);
		const distance = rows.find((r) => r.key === 'distance')!;
		expect(distance.before).toBe('–');
		expect(distance.change).toBe('');
		expect(distance.better).toBeNull();
		expect(plain(rows[0].label)).toContain('à moins de 12,5 km');
	});

	it('marks a loss (a place removed) as worse', () => {
		const rows = describeFigures(figures({}), figures({ part_couverte_pct: 70, lieux: 39 }), 10);
		expect(rows.find((r) => r.key === 'part')!.better).toBe(false);
		expect(rows.find((r) => r.key === 'lieux')!.better).toBe(false);
	});
});

describe('formatting of gains', () => {
	it.each([
		[0, '0 personne'],
		[1, '1 personne'],
		[1234.4, '1 234 personnes']
	])('formatPeople(%s) = %s', (value, expected) => {
		expect(plain(formatPeople(value))).toBe(expected);
	});

	it.each([
		[0, ''],
		[-1, ''],
		[0.05, '−0,050 km'],
		[1.234, '−1,23 km']
	])('formatDistanceGain(%s) = %s', (value, expected) => {
		expect(plain(formatDistanceGain(value))).toBe(expected);
	});
});

describe('hand edits', () => {
	const amiens = { kind: 'commune', code: '80021' } as const;
	const abbeville = { kind: 'commune', code: '80001' } as const;

	it('adds a post once, whether it is already proposed or added', () => {
		const once = addSite(NO_EDITS, amiens);
		expect(once.added).toEqual([amiens]);
		expect(addSite(once, { kind: 'commune', code: '80021' })).toBe(once);
		const proposed = { ...NO_EDITS, proposed: [abbeville] };
		expect(addSite(proposed, abbeville)).toBe(proposed);
		expect(hasEdits(NO_EDITS)).toBe(false);
		expect(hasEdits(once)).toBe(true);
	});

	it('removes a proposed or added site by its token, and closes then reopens a place', () => {
		const edits = {
			proposed: [abbeville],
			added: [amiens, { kind: 'point', lon: 2.3, lat: 49.9 } as const],
			removed: []
		};
		expect(removeSite(edits, '80001').proposed).toEqual([]);
		expect(removeSite(edits, '80021').added).toEqual([{ kind: 'point', lon: 2.3, lat: 49.9 }]);
		expect(removeSite(edits, '2.30000_49.90000').added).toEqual([amiens]);
		const closed = removePlace(edits, 'fs-12');
		expect(closed.removed).toEqual(['fs-12']);
		expect(removePlace(closed, 'fs-12')).toBe(closed);
		expect(restorePlace(closed, 'fs-12').removed).toEqual([]);
	});
});

describe('map features and hit-test', () => {
	const site = (rang: number): SimulationSite => ({
		rang,
		origine: rang === 1 ? 'ajout' : 'proposition',
		id: `8${String(rang).padStart(4, '0')}`,
		code_commune: `8${String(rang).padStart(4, '0')}`,
		nom: `Commune ${rang}`,
		lieu: null,
		pourquoi: null,
		lon: 2 + rang / 100,
		lat: 49.9,
		gain: 10,
		gain_distance_moyenne_km: 0.1,
		gain_personnes_km: 100
	});

	it('numbers the first sites only and keeps their rank, origin and id', () => {
		const sites = Array.from({ length: NUMBERED_MARKER_LIMIT + 2 }, (_, i) => site(i + 1));
		const collection = sitesToFeatures(sites);
		expect(collection.features).toHaveLength(sites.length);
		expect(collection.features[0].properties).toMatchObject({
			rang: 1,
			origine: 'ajout',
			id: '80001',
			numbered: true
		});
		expect(collection.features[0].geometry.coordinates).toEqual([2.01, 49.9]);
		expect(collection.features.filter((f) => f.properties.numbered)).toHaveLength(
			NUMBERED_MARKER_LIMIT
		);
	});

	it('picks the nearest point within the tolerance, none beyond it', () => {
		const points = [
			{ x: 100, y: 100, item: 'a' },
			{ x: 106, y: 100, item: 'b' },
			{ x: 130, y: 100, item: 'c' }
		];
		expect(pickNearest({ x: 104, y: 100 }, points)).toBe('b');
		expect(pickNearest({ x: 101, y: 101 }, points)).toBe('a');
		expect(pickNearest({ x: 118, y: 100 }, points)).toBeNull();
		expect(pickNearest({ x: 118, y: 100 }, points, 12)).toBe('c');
	});

	it('drops places without coordinates', () => {
		const collection = placesToFeatures({
			id: ['fs-1', 'fs-2'],
			nom: ['France services A', 'France services B'],
			type: ['france-services', 'france-services'],
			lon: Float64Array.of(2.3, NaN),
			lat: Float64Array.of(49.9, NaN)
		});
		expect(collection.features.map((f) => f.properties.id)).toEqual(['fs-1']);
	});
});

describe('findNearestCentre on the real commune table', () => {
	const communes = decodeCommuneTable(
		JSON.parse(readFileSync(new URL('../../static/data/communes.json', import.meta.url), 'utf8'))
	);
	const lons = communes.map((c) => c.lon);
	const lats = communes.map((c) => c.lat);

	it.each([
		// Town halls (WGS84): the click lands in the commune's own centre area.
		['Amiens', 2.2957, 49.8942, '80021'],
		['Abbeville', 1.8339, 50.1054, '80001'],
		['Lille', 3.0635, 50.6305, '59350']
	])('a click at %s names its commune', (_name, lon, lat, code) => {
		const i = findNearestCentre(lons, lats, lon, lat);
		expect(communes[i].code).toBe(code);
	});

	it('returns -1 without any centre', () => {
		expect(findNearestCentre([null], [null], 2, 49)).toBe(-1);
	});
});

describe('scenarioReportTarget', () => {
	it('links a département scenario to its report with the scenario in the query', () => {
		const parsed = parseScenarioParams(
			new URLSearchParams('simulation=departement-80&postes=5&proposes=80021,80001&retraits=fs-12')
		).scenario!;
		const target = scenarioReportTarget(parsed.params, parsed.edits)!;
		expect(target.niveau).toBe('departement');
		expect(target.code).toBe('80');
		const search = new URLSearchParams(target.search);
		expect(search.get('simulation')).toBe('departement-80');
		expect(search.get('postes')).toBe('5');
		expect(search.get('proposes')).toBe('80021,80001');
		expect(search.get('retraits')).toBe('fs-12');
		expect(target.search).toContain('proposes=80021,80001');
	});

	it('has no report for the whole country', () => {
		const parsed = parseScenarioParams(
			new URLSearchParams('simulation=france&postes=100')
		).scenario!;
		expect(scenarioReportTarget(parsed.params, parsed.edits)).toBeNull();
	});
});

describe('describeSiteGain', () => {
	it.each([
		[
			{ gain: 652, gain_distance_moyenne_km: 0.065 },
			'652 personnes couvertes · −0,065 km de distance moyenne'
		],
		[{ gain: 1, gain_distance_moyenne_km: 0 }, '1 personne couverte'],
		[
			{ gain: 0, gain_distance_moyenne_km: 1.5 },
			'0 personne couverte · −1,50 km de distance moyenne'
		]
	])('%o → %s', (site, expected) => {
		expect(plain(describeSiteGain(site))).toBe(expected);
	});
});
