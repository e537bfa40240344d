import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expression as styleExpression } from '@maplibre/maplibre-gl-style-spec';
import type { FeatureCollection, Point } from 'geojson';
import {
	CARTOGRAPHIE_SOURCE_ID,
	collectMediatorAttributions,
	COMMUNE_PLACEMENT_TEXT,
	countMediators,
	DEFAULT_MEDIATOR_FILTER,
	describeMediator,
	filterMediators,
	formatRecordDate,
	isMediatorFilterActive,
	MEDIATOR_SOURCE_IDS,
	MEDIATOR_SOURCE_TYPES,
	mediatorUrlCodec,
	translateOpeningHours,
	type MediatorFilter
} from '$lib/mediation/mediator-filters';
import {
	buildClusterProperties,
	buildClusterRadiusExpression,
	CLUSTER_RADIUS_STEPS,
	describeSymbolSvg,
	MEDIATOR_SYMBOLS,
	rasteriseSymbol,
	readClusterBreakdown,
	symbolImageId
} from '$lib/mediation/mediator-symbols';
import { MEDIATOR_TYPES } from '$lib/mediation/mediator-types';
import { parseWith } from '$lib/url/codec';
import { LAYER_ORDER, MEDIATOR_LAYER_ID } from '$lib/map/ids';
import type { MediatorProperties, SourcesArtifact } from '$lib/territory/artifacts';

const STATIC = new URL('../../static/data/', import.meta.url);
const mediators = JSON.parse(
	readFileSync(new URL('mediateurs.geojson', STATIC), 'utf8')
) as FeatureCollection<Point, MediatorProperties>;
const { datasets } = JSON.parse(
	readFileSync(new URL('sources.json', STATIC), 'utf8')
) as SourcesArtifact;

const ALL: MediatorFilter = { types: [...MEDIATOR_TYPES], sources: [...MEDIATOR_SOURCE_IDS] };
const NONE: MediatorFilter = { types: [], sources: [...MEDIATOR_SOURCE_IDS] };
const parse = (query: string | URLSearchParams) => {
	const { value, notices } = parseWith(mediatorUrlCodec, new URLSearchParams(query));
	return { filter: value, notices };
};
const serializeMediatorParams = (filter: MediatorFilter) =>
	new URLSearchParams(mediatorUrlCodec.serialize(filter));

describe('mediator filter in the URL', () => {
	it.each([
		// Every place is shown by default (issue 15).
		['', [...MEDIATOR_TYPES], [...MEDIATOR_SOURCE_IDS], 0],
		['lieux=aucun', [], [...MEDIATOR_SOURCE_IDS], 0],
		['lieux=tous', [...MEDIATOR_TYPES], [...MEDIATOR_SOURCE_IDS], 0],
		[
			'lieux=conseiller-numerique-poste,france-services',
			['france-services', 'conseiller-numerique-poste'],
			[...MEDIATOR_SOURCE_IDS],
			0
		],
		['lieux=france-services,bibliotheque', ['france-services'], [...MEDIATOR_SOURCE_IDS], 1],
		['lieux=tous&lieux_sources=aucune', [...MEDIATOR_TYPES], [], 0],
		[
			'lieux=tous&lieux_sources=lieux-npdc-2023,france-services-2024',
			[...MEDIATOR_TYPES],
			['france-services-2024', 'lieux-npdc-2023'],
			0
		],
		['lieux=tous&lieux_sources=osm', [...MEDIATOR_TYPES], [...MEDIATOR_SOURCE_IDS], 1]
	])('%s', (query, types, sources, noticeCount) => {
		const { filter, notices } = parse(query);
		expect(filter.types).toEqual(types);
		expect(filter.sources).toEqual(sources);
		expect(notices).toHaveLength(noticeCount);
		for (const notice of notices) expect(notice).toMatch(/inconnue? .*ignorée?\.$/);
	});

	it('writes nothing for the default and reads back what it writes', () => {
		expect(serializeMediatorParams(DEFAULT_MEDIATOR_FILTER).toString()).toBe('');
		const filters: MediatorFilter[] = [
			ALL,
			NONE,
			{ types: ['aidants-connect'], sources: [...MEDIATOR_SOURCE_IDS] },
			{ types: ['france-services', 'autre-lieu-mediation'], sources: ['lieux-npdc-2023'] },
			{ types: ['france-services'], sources: [] }
		];
		for (const filter of filters) {
			const params = serializeMediatorParams(filter);
			expect(parse(params)).toEqual({ filter, notices: [] });
		}
		// Every type is the default (issue 15); « off » is written so that it survives a reload.
		expect(serializeMediatorParams(ALL).toString()).toBe('');
		expect(serializeMediatorParams(NONE).toString()).toBe('lieux=aucun');
	});
});

describe('filtering the real points (static/data/mediateurs.geojson)', () => {
	const features = mediators.features;
	const counts = countMediators(features);

	it('counts every point once by type and by source', () => {
		expect(features.length).toBe(14_737);
		const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
		expect(sum(counts.byType)).toBe(features.length);
		expect(sum(counts.bySource)).toBe(features.length);
		// The embedded build has the five dated lists; a Cartographie nationale export replaces them.
		expect(Object.keys(counts.bySource).sort()).toEqual(
			MEDIATOR_SOURCE_IDS.filter((s) => s !== CARTOGRAPHIE_SOURCE_ID).sort()
		);
		// Aidants Connect and conseiller numérique posts have no coordinates: all at commune centres.
		expect(counts.atCommuneCentre['aidants-connect']).toBe(counts.byType['aidants-connect']);
		expect(counts.atCommuneCentre['france-services']).toBe(0);
	});

	it('keeps the points of the ticked types and sources only', () => {
		expect(filterMediators(features, ALL)).toBe(features);
		expect(filterMediators(features, DEFAULT_MEDIATOR_FILTER)).toBe(features);
		expect(isMediatorFilterActive(DEFAULT_MEDIATOR_FILTER)).toBe(true);
		expect(filterMediators(features, NONE)).toHaveLength(0);
		expect(isMediatorFilterActive(NONE)).toBe(false);

		const fs = filterMediators(features, { ...ALL, types: ['france-services'] });
		expect(fs.length).toBe(counts.byType['france-services']);
		expect(fs.every((f) => f.properties.type === 'france-services')).toBe(true);

		const withoutNpdc = filterMediators(features, {
			types: [...MEDIATOR_TYPES],
			sources: MEDIATOR_SOURCE_IDS.filter((s) => s !== 'lieux-npdc-2023')
		});
		expect(withoutNpdc.length).toBe(features.length - counts.bySource['lieux-npdc-2023']);
		expect(withoutNpdc.some((f) => f.properties.type === 'autre-lieu-mediation')).toBe(false);
	});

	it('lists the types each source yields as they are in the data', () => {
		for (const source of MEDIATOR_SOURCE_IDS.filter((s) => s !== CARTOGRAPHIE_SOURCE_ID)) {
			const types = new Set(
				features.filter((f) => f.properties.source === source).map((f) => f.properties.type)
			);
			expect([...types].sort()).toEqual([...MEDIATOR_SOURCE_TYPES[source]].sort());
		}
	});
});

describe('details of one point', () => {
	const find = (id: string) => mediators.features.find((f) => f.properties.id === id)!.properties;

	it('describes a France services at its address with hours, label date and source', () => {
		const d = describeMediator(find('fs-1'), datasets);
		expect(d.title).toBe('France services de Valserhône');
		expect(d.typeLabel).toBe('France services');
		expect(d.address).toBe('5-9 Rue des Papetiers, 01200 Valserhône');
		expect(d.placement).toBeNull();
		expect(d.source).toBe('Liste des structures France services (ANCT, 1er août 2024)');
		expect(d.date).toBe('Labellisée le 1er janvier 2020');
		expect(d.hours).toMatch(/^lun\. 13:30 - 17:00 ; mar\./);
		expect(d.effectif).toBeNull();
	});

	it('says when a point sits at its commune centre, and what its staff count means', () => {
		const d = describeMediator(find('ac-1'), datasets);
		expect(d.placement).toBe(COMMUNE_PLACEMENT_TEXT);
		expect(d.placement).toContain('centre de la commune');
		expect(d.effectif).toBe('22 aidants habilités');
		expect(d.date).toBeNull();
		const poste = describeMediator(find('cnfs-poste-13000031800019'), datasets);
		expect(poste.effectif).toBe('1 conseiller numérique validé');
		expect(poste.date).toBe('Validée en comité de sélection le 24 mars 2021');
	});

	it('names the other lists of a merged place, and survives properties read back from the map', () => {
		const merged = mediators.features.find((f) => f.properties.alsoIn?.length)!.properties;
		const d = describeMediator(merged, datasets);
		expect(d.alsoIn[0]).toContain('conseillers numériques');
		// MapLibre drops null properties: undefined must read as missing, not as text.
		const sparseProperties = Object.fromEntries(
			Object.entries(find('fs-1')).filter(
				([key]) => !['adresse', 'horaires', 'effectif', 'date'].includes(key)
			)
		);
		const sparse = describeMediator(sparseProperties as unknown as MediatorProperties, datasets);
		expect([sparse.address, sparse.hours, sparse.effectif, sparse.date]).toEqual([
			null,
			null,
			null,
			null
		]);
	});

	it.each([
		['2021-01-05', '5 janvier 2021'],
		['2024-08-01', '1er août 2024'],
		['2023-12', 'décembre 2023'],
		['2023-13-01', '2023-13-01']
	])('formats %s as %s', (date, text) => {
		expect(formatRecordDate(date)).toBe(text);
	});

	it.each([
		[
			'Mo-Fr 09:00-12:00,14:00-18:00; Sa 09:00-12:00',
			'lun. à ven. 09:00 - 12:00 / 14:00 - 18:00 ; sam. 09:00 - 12:00'
		],
		['Mo,We 09:30-12:00; Sa off', 'lun., mer. 09:30 - 12:00 ; sam. fermé'],
		[
			'We,Th 14:00-17:00; Mo 09:00-13:00,14:00-16:30',
			'mer., jeu. 14:00 - 17:00 ; lun. 09:00 - 13:00 / 14:00 - 16:30'
		],
		// France services hours are already French; anything unusual is kept as published.
		['lun. 13:30 - 17:00 ; mar. 09:00 - 12:00', 'lun. 13:30 - 17:00 ; mar. 09:00 - 12:00'],
		['Mo-Fr 09:00-12:00 "sur rendez-vous"', 'Mo-Fr 09:00-12:00 "sur rendez-vous"']
	])('reads the opening hours %s in French', (text, french) => {
		expect(translateOpeningHours(text)).toBe(french);
	});

	it('translates every OSM opening hours string of the real lists to French day names', () => {
		const osm = mediators.features
			.map((f) => f.properties.horaires)
			.filter((h): h is string => h !== null && /\b(Mo|Tu|We|Th|Fr|Sa|Su)\b/.test(h));
		expect(osm.length).toBeGreaterThan(1000);
		const left = osm.map(translateOpeningHours).filter((h) => /\b(Mo|Tu|We|Th|Fr|Sa|Su)\b/.test(h));
		// Strings outside the simple syntax are kept as published: few of them.
		expect(left.length / osm.length).toBeLessThan(0.05);
	});

	it('credits only the lists whose points are drawn', () => {
		expect(collectMediatorAttributions(NONE, datasets)).toEqual([]);
		expect(collectMediatorAttributions({ ...ALL, types: ['france-services'] }, datasets)).toEqual([
			'ANCT, France services, août 2024',
			'Les Assembleurs, 2023'
		]);
		expect(
			collectMediatorAttributions(
				{ types: ['aidants-connect'], sources: [...MEDIATOR_SOURCE_IDS] },
				datasets
			)
		).toEqual(['ANCT, Aidants Connect, février 2024']);
		expect(collectMediatorAttributions(ALL, datasets)).toHaveLength(5);
	});
});

describe('symbols', () => {
	it('gives each type its own shape and colour', () => {
		const shapes = new Set(MEDIATOR_TYPES.map((t) => MEDIATOR_SYMBOLS[t].shape));
		const colours = new Set(MEDIATOR_TYPES.map((t) => MEDIATOR_SYMBOLS[t].colour));
		expect(shapes.size).toBe(MEDIATOR_TYPES.length);
		expect(colours.size).toBe(MEDIATOR_TYPES.length);
		expect(new Set(MEDIATOR_TYPES.map(symbolImageId)).size).toBe(MEDIATOR_TYPES.length);
	});

	it('rasterises anti-aliased RGBA images: transparent corners, filled centre, distinct masks', () => {
		const masks = new Map<string, string>();
		for (const type of MEDIATOR_TYPES) {
			const symbol = MEDIATOR_SYMBOLS[type];
			const image = rasteriseSymbol(symbol, 16, 2);
			expect([image.width, image.height, image.data.length]).toEqual([32, 32, 32 * 32 * 4]);
			expect(image.data[3]).toBe(0); // top-left corner
			const centre = (16 * 32 + 16) * 4;
			expect(image.data[centre + 3]).toBe(255);
			const hex = `#${[0, 1, 2].map((c) => image.data[centre + c].toString(16).padStart(2, '0')).join('')}`;
			expect(hex).toBe(symbol.colour);
			// Some edge pixels are partly covered (anti-aliasing).
			const alphas = new Set(Array.from({ length: 32 * 32 }, (_, i) => image.data[i * 4 + 3]));
			expect([...alphas].some((a) => a > 0 && a < 255)).toBe(true);
			masks.set(
				type,
				Array.from({ length: 32 * 32 }, (_, i) => (image.data[i * 4 + 3] > 127 ? 1 : 0)).join('')
			);
		}
		expect(new Set(masks.values()).size).toBe(MEDIATOR_TYPES.length);
	});

	it('describes the same outlines as SVG', () => {
		expect(describeSymbolSvg('circle')).toEqual({ tag: 'circle', r: 0.88 });
		const star = describeSymbolSvg('star');
		expect(star.tag === 'polygon' && star.points.split(' ')).toHaveLength(10);
	});
});

describe('cluster expressions', () => {
	function compile(expr: unknown, type: 'number') {
		const compiled = styleExpression.createExpression(expr, {
			type,
			'property-type': 'data-driven',
			expression: { interpolated: false, parameters: ['zoom', 'feature'] },
			transition: false
		} as never);
		if (compiled.result !== 'success') throw new Error(JSON.stringify(compiled.value));
		return (properties: Record<string, unknown>) =>
			compiled.value.evaluate({ zoom: 8 }, { type: 'Point', properties } as never) as number;
	}

	it('sizes clusters by class of point count', () => {
		const radius = compile(buildClusterRadiusExpression(), 'number');
		expect(radius({ point_count: 2 })).toBe(CLUSTER_RADIUS_STEPS[0].radius);
		expect(radius({ point_count: 10 })).toBe(CLUSTER_RADIUS_STEPS[1].radius);
		expect(radius({ point_count: 199 })).toBe(CLUSTER_RADIUS_STEPS[2].radius);
		expect(radius({ point_count: 5000 })).toBe(CLUSTER_RADIUS_STEPS[4].radius);
	});

	it('counts the points of each type in a cluster', () => {
		const properties = buildClusterProperties();
		expect(Object.keys(properties)).toHaveLength(MEDIATOR_TYPES.length);
		// Supercluster maps each point with the map expression, then reduces with `+`.
		const points = mediators.features.slice(0, 400);
		const totals: Record<string, number> = {};
		for (const [name, [operator, map]] of Object.entries(properties)) {
			expect(operator).toBe('+');
			const evaluate = compile(map, 'number');
			totals[name] = points.reduce((sum, f) => sum + evaluate({ ...f.properties }), 0);
		}
		const breakdown = readClusterBreakdown(totals);
		const expected = countMediators(points).byType;
		for (const { type, count } of breakdown) expect(count).toBe(expected[type]);
		expect(breakdown.reduce((s, b) => s + b.count, 0)).toBe(points.length);
	});

	it('draws the mediator layers above every territory layer', () => {
		const clusters = LAYER_ORDER.indexOf(MEDIATOR_LAYER_ID.clusters);
		expect(clusters).toBeGreaterThan(LAYER_ORDER.indexOf('highlight-commune'));
		expect(LAYER_ORDER.indexOf(MEDIATOR_LAYER_ID.points)).toBe(clusters + 1);
	});
});
