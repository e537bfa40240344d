/**
 * The map layer « Personnes éloignées du numérique (estimation) »: the proportional circle scale
 * and its MapLibre expression, the reference circles, the circle centres, the French wording, the
 * worker's message handling on the real artifacts, the client, and the URL parameters.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { expression as styleExpression } from '@maplibre/maplibre-gl-style-spec';
import {
	buildCircleRadiusExpression,
	buildCircleScale,
	circleZoomFactor,
	floorToRoundNumber,
	pickReferenceCircles
} from '$lib/charts/circle-scale';
import {
	computeRemoteLayer,
	describeRemoteEstimate,
	formatHeadCount,
	listRemoteEstimateLines,
	locateWeightedCentres,
	roundHeadCount
} from '$lib/needs/layer';
import { createAnalysisClient } from '$lib/workers/analysis/client';
import {
	countModelRuns,
	createAnalysisHandlers,
	type AnalysisWorkerState
} from '$lib/workers/analysis/handlers';
import { inMemoryWorker, type InMemoryWorker } from './in-memory-worker';
import { remoteEstimatesOf } from '$lib/needs/cache';
import { defaultRankingView } from '$lib/ranking/view-params';
import { remoteLayerValues } from '$lib/needs/aggregate';
import { estimateRemotePopulation, type RemoteEstimateSet } from '$lib/needs/model';
import { findIndicator, INDICATORS } from '$lib/indicators/catalog';
import { REMOTE_SHARE_INDICATOR_ID } from '$lib/needs/catalog';
import { buildRemoteCirclePoints } from '$lib/map/remote-circles';
import { LAYER_ORDER, REMOTE_CIRCLES_LAYER_ID } from '$lib/map/ids';
import { buildPlaceLabels } from '$lib/map/place-labels';
import { remoteLayerUrlCodec } from '$lib/url/estimate-layer-params';
import { formatQuery, parseWith } from '$lib/url/codec';
import { decodeCommuneTable } from '$lib/territory/commune-table';
import { dataDirectory } from '$lib/server/dataset';
import type { CommuneRecord } from '$lib/territory/commune';
import type { TerritoryIndex } from '$lib/territory/artifacts';

/** `fetch` over static/data, counting the requests. */
function staticFetch(requests: string[] = []): typeof fetch {
	return (async (input: RequestInfo | URL) => {
		const url = String(input);
		requests.push(url);
		try {
			return new Response(readFileSync(join('static', url)));
		} catch {
			return new Response('introuvable', { status: 404 });
		}
	}) as typeof fetch;
}

/** Evaluate a circle-radius expression with MapLibre's own evaluator. */
function evaluateRadius(expr: unknown, properties: Record<string, unknown>, zoom = 6): number {
	const compiled = styleExpression.createExpression(expr, {
		type: 'number',
		'property-type': 'data-driven',
		expression: { interpolated: true, parameters: ['zoom', 'feature'] },
		transition: true
	} as never);
	if (compiled.result !== 'success') throw new Error(JSON.stringify(compiled.value));
	return compiled.value.evaluate({ zoom }, { type: 'Point', properties } as never) as number;
}

describe('proportional circle scale', () => {
	it('makes circle areas proportional to the values, from 0', () => {
		const scale = buildCircleScale([100, 400, 2500, Number.NaN], 30);
		expect(scale.max).toBe(2500);
		expect(scale.radius(2500)).toBeCloseTo(30, 9);
		expect(scale.radius(0)).toBe(0);
		expect(scale.radius(-5)).toBe(0);
		// Four times the value → twice the radius → four times the area.
		expect(scale.radius(400) / scale.radius(100)).toBeCloseTo(2, 9);
		const area = (v: number) => Math.PI * scale.radius(v) ** 2;
		expect(area(2500) / area(100)).toBeCloseTo(25, 9);
	});

	it.each([0, 1, 37, 400, 2500])(
		'gives MapLibre the same radius as the scale for %d persons, at every zoom',
		(value) => {
			const scale = buildCircleScale([100, 400, 2500], 30);
			const expr = buildCircleRadiusExpression(scale, 'eloignes');
			expect(evaluateRadius(expr, { eloignes: value })).toBeCloseTo(scale.radius(value), 6);
			for (const zoom of [1, 4.3, 8.5, 10, 13])
				expect(evaluateRadius(expr, { eloignes: value }, zoom)).toBeCloseTo(
					scale.radius(value) * circleZoomFactor(zoom),
					6
				);
		}
	);

	it('grows circles by √2 per zoom level from zoom 2 to 11, and no further', () => {
		expect(circleZoomFactor(6)).toBe(1);
		expect(circleZoomFactor(8)).toBeCloseTo(2, 12);
		expect(circleZoomFactor(4)).toBeCloseTo(0.5, 12);
		expect(circleZoomFactor(14)).toBe(circleZoomFactor(11));
		expect(circleZoomFactor(0)).toBe(circleZoomFactor(2));
		expect(circleZoomFactor(7.5)).toBeGreaterThan(circleZoomFactor(7));
		expect(circleZoomFactor(7.5)).toBeLessThan(circleZoomFactor(8));
	});

	it.each([
		[0.5, 0],
		[1, 1],
		[7, 5],
		[19, 10],
		[230_000, 200_000],
		[57_500, 50_000],
		[9_200, 5_000]
	])('rounds %d down to the round number %d', (value, expected) => {
		expect(floorToRoundNumber(value)).toBe(expected);
	});

	it('picks 2–3 round reference circles, largest first, none above the largest value', () => {
		const scale = buildCircleScale([230_000, 12_000], 30);
		const refs = pickReferenceCircles(scale);
		expect(refs.map((r) => r.value)).toEqual([200_000, 50_000, 5_000]);
		expect(refs.map((r) => r.label)).toEqual(['200\u202f000', '50\u202f000', '5\u202f000']);
		for (const r of refs) expect(r.radius).toBeCloseTo(scale.radius(r.value), 9);
		expect(pickReferenceCircles(buildCircleScale([], 30))).toEqual([]);
		// Zoomed in, circles are larger: the legend keeps to values whose circle fits 50 px.
		const zoomed = pickReferenceCircles(scale, 10);
		expect(zoomed[0].radius).toBeLessThanOrEqual(50);
		expect(zoomed[0].value).toBeLessThan(200_000);
		for (const r of zoomed)
			expect(r.radius).toBeCloseTo(scale.radius(r.value) * circleZoomFactor(10), 9);
	});
});

describe('French wording of an estimate', () => {
	it.each([
		[0, 0],
		[4.4, 0],
		[47, 50],
		[1234.4, 1200],
		[1250, 1300],
		[45_678, 46_000],
		[812_345, 810_000]
	])('rounds %d persons to %d', (persons, expected) => {
		expect(roundHeadCount(persons)).toBe(expected);
	});

	it('says « environ » and « moins de 10 », with French digit groups', () => {
		expect(formatHeadCount(1234)).toBe('environ 1\u202f200');
		expect(formatHeadCount(3)).toBe('moins de 10');
		const text = describeRemoteEstimate({
			code: '59350',
			eloignes: 31_234.6,
			bas: 24_555,
			haut: 39_870,
			part: 15.04,
			fiabilite: 'estime',
			drivers: ['Premier facteur.', 'Deuxième facteur.']
		});
		expect(text.estimate).toBe(
			'environ 31\u202f000 personnes de 15 ans ou plus éloignées du numérique'
		);
		expect(text.band).toBe('entre 25\u202f000 et 40\u202f000');
		expect(text.share).toBe('soit 15,0\u00a0% des 15 ans et plus');
		expect(text.drivers).toEqual(['Premier facteur.', 'Deuxième facteur.']);
		expect(listRemoteEstimateLines(null)).toEqual(['Estimation : calcul en cours…']);
	});

	it('says « non estimé » for a territory without a survey, and « extrapolé » for Guyane', () => {
		const mayotte = {
			code: '976',
			eloignes: null,
			bas: null,
			haut: null,
			part: null,
			fiabilite: 'non_estime' as const,
			drivers: []
		};
		const text = describeRemoteEstimate(mayotte);
		expect(text.estimate).toMatch(/^non estimé : aucune enquête/);
		expect(text.share).toBe('part non estimée');
		expect(listRemoteEstimateLines(mayotte)).toEqual([`Estimation : ${text.estimate}`]);
		const guyane = describeRemoteEstimate({
			code: '973',
			eloignes: 60_000,
			bas: 37_000,
			haut: 100_000,
			part: 25.3,
			fiabilite: 'extrapole',
			drivers: ['Premier facteur.']
		});
		expect(guyane.drivers[0]).toMatch(/^extrapolé : aucun chiffre publié/);
	});
});

describe('the layer on the real commune table', () => {
	let communes: CommuneRecord[];
	let territories: TerritoryIndex;
	let set: RemoteEstimateSet;
	beforeAll(() => {
		communes = decodeCommuneTable(
			JSON.parse(readFileSync(join(dataDirectory(), 'communes.json'), 'utf8'))
		);
		territories = JSON.parse(readFileSync(join(dataDirectory(), 'territoires.json'), 'utf8'));
		set = estimateRemotePopulation(communes);
	}, 120_000);

	it('puts a territory’s circle at the population-weighted centre of its communes', () => {
		const nord = communes.filter((c) => c.dep === '59');
		const centre = locateWeightedCentres(communes, 'departement').get('59')!;
		let w = 0;
		let lon = 0;
		let lat = 0;
		for (const c of nord) {
			w += c.population;
			lon += c.population * c.lon!;
			lat += c.population * c.lat!;
		}
		expect(centre.lon).toBeCloseTo(lon / w, 9);
		expect(centre.lat).toBeCloseTo(lat / w, 9);
		// Pulled towards Lille (3.06° E, 50.63° N) from the plain mean of the 647 communes.
		const plainLat = nord.reduce((s, c) => s + c.lat!, 0) / nord.length;
		expect(Math.abs(centre.lat - 50.63)).toBeLessThan(Math.abs(plainLat - 50.63));
		const lille = communes.find((c) => c.code === '59350')!;
		expect(locateWeightedCentres(communes, 'commune').get('59350')).toEqual({
			lon: lille.lon,
			lat: lille.lat
		});
	});

	it('returns the estimate of remoteLayerValues with a centre for every territory', () => {
		const layer = computeRemoteLayer(set, communes, 'departement', territories);
		const values = remoteLayerValues(set, communes, 'departement', territories);
		expect(layer.level).toBe('departement');
		expect(layer.points).toHaveLength(101);
		expect(
			layer.points.map((p) => {
				const v: Partial<typeof p> = { ...p };
				delete v.lon;
				delete v.lat;
				return v;
			})
		).toEqual(values);
		for (const p of layer.points) {
			expect(p.lon).not.toBeNull();
			if (p.code === '976') {
				// Mayotte: no figure, no drivers, no circle; grey in the share choropleth (null share).
				expect([p.eloignes, p.part, p.fiabilite]).toEqual([null, null, 'non_estime']);
				continue;
			}
			expect(p.drivers.length).toBeGreaterThanOrEqual(2);
		}
		const points = buildRemoteCirclePoints(layer);
		expect(points.features).toHaveLength(100);
		expect(points.features.some((f) => f.properties.code === '976')).toBe(false);
		const nord = points.features.find((f) => f.properties.code === '59')!;
		expect(nord.properties.eloignes).toBe(
			Math.round(values.find((v) => v.code === '59')!.eloignes ?? NaN)
		);
	});

	it('sends France with every level: the sum of the communes, its band recomputed (not summed)', () => {
		const regions = computeRemoteLayer(set, communes, 'region', territories);
		const deps = computeRemoteLayer(set, communes, 'departement', territories);
		expect(regions.france).toEqual(deps.france);
		// Mayotte is not estimated: left out of the total, and named as such.
		expect(regions.france.notEstimated).toEqual(['Mayotte']);
		const estimated = deps.points.filter((p) => p.eloignes !== null);
		expect(estimated).toHaveLength(deps.points.length - 1);
		const sum = estimated.reduce((total, p) => total + p.eloignes!, 0);
		const { eloignes, bas, haut } = regions.france;
		expect(eloignes).toBeCloseTo(sum, 0);
		expect(bas).toBeLessThan(eloignes!);
		expect(haut).toBeGreaterThan(eloignes!);
		// A national band is narrower than the sum of the départements' bands.
		const summedBand = estimated.reduce((total, p) => total + (p.haut! - p.bas!), 0);
		expect(haut! - bas!).toBeLessThan(summedBand);
	});

	it('names every territory on the map at a point of its own', () => {
		const labels = buildPlaceLabels(communes, territories).features;
		const count = (level: string) => labels.filter((f) => f.properties.niveau === level).length;
		expect(count('region')).toBe(territories.regions.length);
		expect(count('departement')).toBe(territories.departements.length);
		expect(count('epci')).toBe(territories.epci.length);
		expect(count('commune')).toBe(communes.filter((c) => c.lon !== null).length);
		const gueret = labels.find((f) => f.properties.nom === 'Guéret')!;
		expect(gueret.geometry.coordinates[0]).toBeCloseTo(1.87, 1);
		expect(gueret.geometry.coordinates[1]).toBeCloseTo(46.17, 1);
	});

	it('lists larger places first, the order in which the map gives them room for their names', () => {
		const populations = buildPlaceLabels(communes, territories).features.map(
			(f) => f.properties.population
		);
		for (let i = 1; i < populations.length; i++)
			expect(populations[i], `label ${i}`).toBeLessThanOrEqual(populations[i - 1]);
	});
});

describe('the estimate layer in the analysis worker', () => {
	// One worker state for the tests below: the table is read and estimated once.
	const shared: AnalysisWorkerState = { dataUrl: '/data/' };

	it('loads and estimates once, then answers each level with plain data', async () => {
		const requests: string[] = [];
		const handlers = createAnalysisHandlers(staticFetch(requests), shared);
		const regions = await handlers.layer({ level: 'region' });
		const departements = await handlers.layer({ level: 'departement' });
		expect(requests).toEqual(['/data/communes.json', '/data/territoires.json']);
		expect(regions.value.points).toHaveLength(18);
		expect(departements.value.points.length).toBeGreaterThan(100);
		// Plain data: survives structured cloning (postMessage) unchanged.
		expect(structuredClone(regions)).toEqual(regions);
		const hdf = regions.value.points.find((p) => p.code === '32')!;
		// INSEE Analyses Hauts-de-France n°118: about 800,000 people (the model is calibrated on it).
		expect(hdf.eloignes).toBeGreaterThan(720_000);
		expect(hdf.eloignes).toBeLessThan(880_000);
	});

	it('answers a French message when the data cannot be fetched, and retries next time', async () => {
		const state: AnalysisWorkerState = { dataUrl: '/absent/' };
		const handlers = createAnalysisHandlers(staticFetch(), state);
		await expect(handlers.layer({ level: 'region' })).rejects.toThrow(
			/^L’estimation n’a pas pu être calculée : .*\/absent\/communes\.json/
		);
		expect(state.communeData).toBeUndefined();
	});

	it('runs the needs model once for the layer and the ranking of the same page', async () => {
		const before = countModelRuns();
		const state: AnalysisWorkerState = { dataUrl: '/data/' };
		const handlers = createAnalysisHandlers(staticFetch(), state);
		const layer = await handlers.layer({ level: 'departement' });
		expect(layer.modelRuns).toBe(before + 1);
		const ranked = await handlers.rank(
			{ view: defaultRankingView(), withCodes: false, scenario: null },
			{ progress: () => undefined, transfer: () => undefined }
		);
		expect(ranked.modelRuns).toBe(before + 1);
		// One decoded table, one estimate: the ranking's analysis reads the layer's.
		const { communes: table } = await state.communeData!;
		const context = await state.ranking!;
		expect(context.analysis.inputs.communes).toBe(table);
		expect(context.analysis.estimates).toBe(remoteEstimatesOf(table));
	});

	it('client: one request per level, through an in-process stand-in worker', async () => {
		let worker: InMemoryWorker | null = null;
		const runs: number[] = [];
		const client = createAnalysisClient({
			dataUrl: '/data/',
			createWorker: () => (worker = inMemoryWorker(createAnalysisHandlers(staticFetch(), shared))),
			onModelRuns: (n) => runs.push(n)
		});
		const first = client.layerAt('region');
		expect(client.layerAt('region')).toBe(first);
		const layer = await first;
		expect(layer.points).toHaveLength(18);
		expect(worker!.received.map((r) => r.kind)).toEqual(['init', 'layer']);
		expect(runs).toHaveLength(1);
		client.dispose();
		await expect(client.layerAt('epci')).rejects.toThrow(
			'Calcul des estimations et du classement arrêté.'
		);
	});
});

describe('catalogue and URL state of the layer', () => {
	it('declares the share view as a provided indicator aggregated by sums', () => {
		const share = findIndicator(REMOTE_SHARE_INDICATOR_ID)!;
		expect(INDICATORS).toContain(share);
		expect(share.provided).toBe(true);
		expect(share.unit).toBe('%');
		expect(share.aggregationLabel).toBe(
			'somme des estimations communales ; part = rapport des sommes'
		);
		expect(share.sources).toEqual(
			expect.arrayContaining(['cog-2026', 'ifn-2023', 'filosofi-2021', 'grille-densite'])
		);
	});

	it('draws the circles above the borders and under the highlight outlines', () => {
		const circles = LAYER_ORDER.indexOf(REMOTE_CIRCLES_LAYER_ID.commune);
		expect(circles).toBeGreaterThan(LAYER_ORDER.indexOf('basemap-region-borders'));
		expect(circles).toBeLessThan(LAYER_ORDER.indexOf('highlight-region'));
	});

	it.each([
		['', { symbols: false, opacity: 0.6 }, 0, ''],
		['symboles=eloignes', { symbols: true, opacity: 0.6 }, 0, 'symboles=eloignes'],
		[
			'symboles=eloignes&opacite_cercles=80',
			{ symbols: true, opacity: 0.8 },
			0,
			'symboles=eloignes&opacite_cercles=80'
		],
		['symboles=cercles', { symbols: false, opacity: 0.6 }, 1, ''],
		['opacite_cercles=5', { symbols: false, opacity: 0.6 }, 1, ''],
		['opacite_cercles=abc&symboles=x', { symbols: false, opacity: 0.6 }, 2, '']
	])('parses « %s »', (query, expected, noticeCount, serialized) => {
		const { value: params, notices } = parseWith(remoteLayerUrlCodec, new URLSearchParams(query));
		expect(params).toEqual(expected);
		expect(notices).toHaveLength(noticeCount);
		for (const n of notices) expect(n).toMatch(/^(Symboles|Opacité des cercles) « /);
		expect(formatQuery(remoteLayerUrlCodec.serialize(params))).toBe(serialized);
	});
});
