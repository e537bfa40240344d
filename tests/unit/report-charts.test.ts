import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { feature } from 'topojson-client';
import type { Feature, Geometry } from 'geojson';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { layoutBars, truncateLabel } from '$lib/charts/report/bar-chart';
import {
	drawStaticMap,
	placeSymbolArea,
	placeSymbolPath,
	priorityFill,
	PRIORITY_SHADES,
	UNRANKED_FILL
} from '$lib/charts/report/static-map';
import { describeReportMethod, attributionLine, formatReportDate } from '$lib/report/report-method';
import { WEIGHT_PRESETS } from '$lib/ranking/weights';
import { DEFAULT_DECAY_BANDS } from '$lib/access/parameters';
import type { RemoteModel } from '$lib/needs/model';

describe('layoutBars', () => {
	const rows = [
		{
			key: 'a',
			label: 'Métropole Européenne de Lille',
			value: 12,
			text: '12,0 %',
			low: 10.8,
			high: 12.7,
			emphasis: true
		},
		{ key: 'b', label: 'Département : Nord', value: 14.9, text: '14,9 %' },
		{ key: 'c', label: 'France', value: null, text: '–' }
	];

	it('scales bars on a fixed domain, from the axis start', () => {
		const layout = layoutBars(rows, {
			width: 400,
			domain: [0, 100],
			labelPosition: 'above',
			valueWidth: 50
		});
		const span = layout.x1 - layout.x0;
		expect(layout.x0).toBe(6);
		expect(layout.x1).toBe(350);
		expect(layout.bars[0].barWidth).toBeCloseTo((12 / 100) * span, 0);
		expect(layout.bars[1].barWidth).toBeCloseTo((14.9 / 100) * span, 0);
		expect(layout.bars[0].band).toEqual({
			x1: Math.round((6 + 0.108 * span) * 10) / 10,
			x2: Math.round((6 + 0.127 * span) * 10) / 10
		});
		expect(layout.bars[0].emphasis).toBe(true);
		// A missing value has no bar but keeps its row and its "–".
		expect(layout.bars[2]).toMatchObject({ missing: true, barWidth: 0, text: '–' });
		expect(layout.ticks.map((t) => t.text)).toEqual(['0', '20', '40', '60', '80', '100']);
		// Rows go down the chart; the axis is below the last one.
		expect(layout.bars.map((b) => b.y)).toEqual([0, 36, 72]);
		expect(layout.axisY).toBeGreaterThan(layout.bars[2].barY + layout.bars[2].barHeight);
	});

	it('rounds an open domain up to a nice value that holds the band, with French decimals', () => {
		const layout = layoutBars(
			[{ key: 'x', label: 'x', value: 1.3, text: '1,3 km', low: 1.1, high: 1.62 }],
			{ width: 300 }
		);
		const last = layout.ticks[layout.ticks.length - 1];
		expect(last.x).toBe(layout.x1);
		expect(Number(last.text.replace(',', '.'))).toBeGreaterThanOrEqual(1.62);
		expect(layout.ticks.some((t) => t.text.includes(','))).toBe(true);
	});

	it('puts labels left of the bars and cuts them to their column', () => {
		const layout = layoutBars(rows, { width: 400, labelPosition: 'left', labelWidth: 100 });
		expect(layout.x0).toBe(100);
		expect(layout.bars[0].labelAnchor).toBe('end');
		expect(layout.bars[0].shortLabel.length).toBeLessThanOrEqual(Math.floor(92 / 6.2));
		expect(layout.bars[0].shortLabel.endsWith('…')).toBe(true);
		expect(layout.bars[0].label).toBe('Métropole Européenne de Lille');
	});

	it('truncateLabel cuts at a word when it can', () => {
		expect(truncateLabel('France', 10)).toBe('France');
		expect(truncateLabel('Communauté de communes du Pays de Mormal', 24)).toBe(
			'Communauté de communes…'
		);
		expect(truncateLabel('Abcdefghijklmnop', 8)).toBe('Abcdefg…');
	});
});

describe('drawStaticMap on the real Nord outline', () => {
	const topology = JSON.parse(
		readFileSync(new URL('../../static/data/geo/departements.topo.json', import.meta.url), 'utf8')
	) as Topology;
	const object = topology.objects.departement as GeometryCollection<{ code: string }>;
	const nord = feature(
		topology,
		object.geometries.find((g) => (g.properties as { code?: string } | undefined)?.code === '59')!
	) as Feature<Geometry>;

	it('fits the frame in the box and keeps places inside its bounding box only', () => {
		const map = drawStaticMap({
			frame: nord,
			shapes: [
				{ code: '59', nom: 'Nord', feature: nord, priorityClass: 2, highlight: false, label: '1' }
			],
			places: [
				{ lon: 3.0635, lat: 50.6305, type: 'france-services' }, // Lille
				{ lon: 2.3522, lat: 48.8566, type: 'aidants-connect' } // Paris: outside
			],
			markers: [{ lon: 3.52, lat: 50.36, label: '1' }], // Valenciennes
			width: 600,
			height: 400,
			padding: 10
		});
		const numbers = map.frame.match(/-?\d+(\.\d+)?/g)!.map(Number);
		const xs = numbers.filter((_, i) => i % 2 === 0);
		const ys = numbers.filter((_, i) => i % 2 === 1);
		expect(Math.min(...xs)).toBeGreaterThanOrEqual(9.5);
		expect(Math.max(...xs)).toBeLessThanOrEqual(590.5);
		expect(Math.min(...ys)).toBeGreaterThanOrEqual(9.5);
		expect(Math.max(...ys)).toBeLessThanOrEqual(390.5);
		// The Nord is longer than wide once fitted: one of the two extents fills the box.
		expect(
			Math.max(Math.max(...xs) - Math.min(...xs), (Math.max(...ys) - Math.min(...ys)) * 1.5)
		).toBeGreaterThan(500);
		expect(map.places).toHaveLength(1);
		expect(map.places[0].type).toBe('france-services');
		expect(map.markers).toHaveLength(1);
		expect(map.shapes[0].label?.text).toBe('1');
		// North up: Lille (50.63° N) is drawn above Valenciennes (50.36° N).
		expect(map.places[0].y).toBeLessThan(map.markers[0].y);
	});
});

describe('map symbols and shades', () => {
	it('gives every place type its own shape, smaller when places are many', () => {
		const types = [
			'france-services',
			'conseiller-numerique-lieu',
			'conseiller-numerique-poste',
			'aidants-connect',
			'autre-lieu-mediation'
		] as const;
		const paths = types.map((t) => placeSymbolPath(t, 36));
		expect(new Set(paths).size).toBe(5);
		expect(placeSymbolArea(50)).toBeGreaterThan(placeSymbolArea(400));
		expect(placeSymbolArea(400)).toBeGreaterThan(placeSymbolArea(2000));
	});

	it('shades the priority classes from dark (1) to light (5)', () => {
		expect(priorityFill(1)).toBe(PRIORITY_SHADES[0]);
		expect(priorityFill(5)).toBe(PRIORITY_SHADES[4]);
		expect(priorityFill(null)).toBe(UNRANKED_FILL);
		const lightness = PRIORITY_SHADES.map((hex) => parseInt(hex.slice(1, 3), 16));
		expect(lightness).toEqual([...lightness].sort((a, b) => a - b));
	});
});

describe('report method and sources', () => {
	it('describes the model in two paragraphs quoting the constants the code uses', () => {
		const model = { calibration: { franceShare: 0.1604 } } as unknown as RemoteModel;
		const method = describeReportMethod(model, WEIGHT_PRESETS[0]);
		expect(method.paragraphs).toHaveLength(2);
		expect(method.paragraphs[0]).toContain('16,0\u00a0%');
		expect(method.paragraphs[0]).toContain('67\u00a0%');
		expect(method.paragraphs[1]).toContain(`${DEFAULT_DECAY_BANDS[2].maxKm}\u00a0km`);
		expect(method.paragraphs[1]).toContain('«\u00a0Équilibré\u00a0»');
	});

	it('joins attributions in the order given and skips unknown ids', () => {
		const sources = [
			{
				id: 'a',
				producer: 'ARCEP',
				title: 't',
				vintage: '2025',
				licence: 'LO',
				url: 'u',
				attribution: 'ARCEP, 2025',
				caveat: null
			},
			{
				id: 'b',
				producer: 'INSEE',
				title: 't',
				vintage: '2021',
				licence: 'LO',
				url: 'u',
				attribution: 'INSEE, 2021',
				caveat: null
			}
		];
		expect(attributionLine(['b', 'x', 'a', 'b'], sources)).toBe('INSEE, 2021 ; ARCEP, 2025');
	});

	it('writes dates in French, Paris time', () => {
		expect(formatReportDate('2026-11-28T13:05:00Z')).toBe('28 novembre 2026 à 14:05');
		expect(formatReportDate('2026-07-01T22:30:00Z', false)).toBe('2 juillet 2026');
		expect(formatReportDate('pas une date')).toBe('pas une date');
	});
});
