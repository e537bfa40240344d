/**
 * Downloads of a simulation (src/lib/export/scenario-export.ts): CSV of the sites with parameters
 * and before/after figures, CSV of the figures, GeoJSON with the scenario as foreign member.
 */
import { describe, expect, it } from 'vitest';
import { loadServerAnalysis } from '$lib/server/analysis';
import {
	buildSitingDataset,
	createSitingContext,
	defaultScenarioParams,
	runSimulation,
	type SimulationResult
} from '$lib/siting/scenario';
import {
	FIGURE_COLUMNS,
	scenarioFiguresToCsv,
	scenarioFileName,
	scenarioSitesToCsv,
	scenarioToGeoJson
} from '$lib/export/scenario-export';
import { UTF8_BOM } from '$lib/export/csv';
import { parseCsv } from '../../geodata/lib/csv';

const { analysis } = await loadServerAnalysis();
const context = createSitingContext(buildSitingDataset(analysis));
const outcome = runSimulation(
	context,
	{
		...defaultScenarioParams({ level: 'epci', code: '240200444' }),
		objective: 'couverture',
		n: 3,
		coverageKm: 5
	},
	{ proposed: [], added: [{ kind: 'point', lon: 3.9, lat: 49.8 }], removed: ['fs-1'] }
);
if (outcome.status !== 'done') throw new Error(JSON.stringify(outcome));
const result: SimulationResult = outcome.result;

describe('scenarioSitesToCsv', () => {
	it('writes one row per site with its gain, the parameters and the before/after figures', () => {
		const text = scenarioSitesToCsv(result, { separator: ',' });
		expect(text.startsWith(UTF8_BOM)).toBe(true);
		const table = parseCsv(text.slice(1).replaceAll('\r\n', '\n'), 'simulation.csv', [
			'rang',
			'code_commune',
			'gain_personnes',
			'part_couverte_pct_avant',
			'part_couverte_pct_apres'
		]);
		const rows = table.rows.map((r) => r.values);
		expect(rows).toHaveLength(result.sites.length);
		expect(rows[0]).toMatchObject({
			rang: '1',
			origine: 'ajout',
			id: '3.90000_49.80000',
			territoire_code: '240200444',
			objectif: 'couverture',
			distance_couverture_km: '5',
			regle_candidats: 'toutes'
		});
		result.sites.forEach((site, i) => {
			expect(rows[i].code_commune).toBe(site.code_commune);
			expect(Number(rows[i].gain_personnes)).toBe(Math.round(site.gain));
			expect(Number(rows[i].part_couverte_pct_avant)).toBeCloseTo(
				result.avant.part_couverte_pct!,
				1
			);
			expect(Number(rows[i].part_couverte_pct_apres)).toBeCloseTo(
				result.apres.part_couverte_pct!,
				1
			);
		});
	});

	it('uses the French separator and decimal comma by default', () => {
		const [header, first] = scenarioSitesToCsv(result).slice(1).split('\r\n');
		expect(header.startsWith('rang;origine;id;code_commune;nom;')).toBe(true);
		expect(first).toMatch(/;3,90000;49,80000;/);
	});
});

describe('scenarioFiguresToCsv', () => {
	it('lists every figure before and after, with its unit', () => {
		const lines = scenarioFiguresToCsv(result).slice(1).trimEnd().split('\r\n');
		expect(lines[0]).toBe('indicateur;avant;apres;unite');
		expect(lines).toHaveLength(FIGURE_COLUMNS.length + 1);
		const share = lines.find((l) => l.startsWith('Part des personnes éloignées couvertes'))!;
		expect(share).toBe(
			`Part des personnes éloignées couvertes;${String(result.avant.part_couverte_pct).replace('.', ',')};${String(result.apres.part_couverte_pct).replace('.', ',')};%`
		);
	});
});

describe('scenarioToGeoJson', () => {
	it('writes the sites as WGS84 points and the scenario as a foreign member', () => {
		const geojson = scenarioToGeoJson(result, '2026-01-01T00:00:00.000Z');
		expect(geojson.type).toBe('FeatureCollection');
		expect(geojson.features).toHaveLength(result.sites.length);
		expect(geojson.features[0].geometry.coordinates).toEqual([3.9, 49.8]);
		expect(geojson.features[0].properties).toMatchObject({
			rang: 1,
			origine: 'ajout',
			lieu_id: null
		});
		expect(geojson.simulation.avant).toEqual(result.avant);
		expect(geojson.simulation.lieux_retires.map((p) => p.id)).toEqual(['fs-1']);
		expect(geojson.simulation.generee).toBe('2026-01-01T00:00:00.000Z');
		expect(JSON.parse(JSON.stringify(geojson))).toEqual(geojson);
	});
});

describe('scenarioFileName', () => {
	it('names the territory, N and the objective', () => {
		expect(scenarioFileName(result, 'csv')).toBe(
			'simulation-epci-240200444-3-postes-couverture.csv'
		);
		expect(scenarioFileName(result, 'csv', 'chiffres')).toBe(
			'simulation-epci-240200444-3-postes-couverture-chiffres.csv'
		);
	});
});
