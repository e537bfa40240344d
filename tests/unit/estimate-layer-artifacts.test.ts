/**
 * The estimates the pipeline writes for the first screen (`estimations/*.json`, issue 14): the
 * committed files are what the page's analysis worker computes from `communes.json` (so reading
 * them instead changes no figure), and a file of the wrong level, of another model version or of
 * no known shape is refused with a French message naming it.
 * (`artifacts-current.test.ts` checks that the pipeline writes exactly the committed files.)
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PRECOMPUTED_ESTIMATE_LEVELS, readEstimateLayerArtifact } from '$lib/needs/layer-artifacts';
import { MODEL_VERSION } from '$lib/needs/constants';
import { ARTIFACTS } from '$lib/territory/artifacts';
import { createAnalysisHandlers } from '$lib/workers/analysis/handlers';
import { buildPlaceLabels } from '$lib/map/place-labels';
import { decodeCommuneTable } from '$lib/territory/commune-table';
import type { TerritoryIndex } from '$lib/territory/artifacts';
import { estimateLayerSource } from '$lib/ui/dashboard/data-loader';
import type { RemoteLayerLevel } from '$lib/needs/layer';
import type { Level } from '$lib/territory/commune';
import { staticFetch } from './static-data';

const committed = (file: string): unknown =>
	JSON.parse(readFileSync(`static/data/${file}`, 'utf8'));

describe('estimate layer artifacts', () => {
	it('hold, for régions, départements and EPCI, what the analysis worker computes from communes.json', async () => {
		const handlers = createAnalysisHandlers(staticFetch);
		handlers.init({ dataUrl: '/data/' });
		expect(PRECOMPUTED_ESTIMATE_LEVELS).toEqual(['region', 'departement', 'epci']);
		for (const level of PRECOMPUTED_ESTIMATE_LEVELS) {
			const file = ARTIFACTS.estimates[level];
			const fromFile = readEstimateLayerArtifact(committed(file), level, file);
			const { value: fromWorker } = await handlers.layer({ level });
			expect(fromFile.points.length, file).toBeGreaterThan(10);
			expect(fromFile, file).toEqual(fromWorker);
		}
	});

	it('refuse another level, another model version and a file of another shape, naming the file', () => {
		const file = ARTIFACTS.estimates.departement;
		const artifact = committed(file) as { modelVersion: string };
		expect(() => readEstimateLayerArtifact(artifact, 'region', 'estimations/regions.json')).toThrow(
			'Le fichier estimations/regions.json n’a pas le format attendu (estimation du niveau « region »).'
		);
		expect(() =>
			readEstimateLayerArtifact({ ...artifact, modelVersion: '0.9.0' }, 'departement', file)
		).toThrow(
			`Le fichier ${file} vient du modèle 0.9.0, la page du modèle ${MODEL_VERSION} : relancer « npm run geodata:build ».`
		);
		for (const payload of [null, [], { layer: {} }, { modelVersion: MODEL_VERSION }]) {
			expect(() => readEstimateLayerArtifact(payload, 'departement', file)).toThrow(
				`Le fichier ${file} n’a pas le format attendu`
			);
		}
	});

	it('are what the page reads for régions, départements and EPCI; the communes still ask the worker', async () => {
		const asked: Level[] = [];
		const worker = {
			layerAt: (level: Level) => {
				asked.push(level);
				return Promise.resolve({ level } as RemoteLayerLevel);
			}
		};
		const source = estimateLayerSource(staticFetch, (file) => `/data/${file}`, worker);
		const departements = await source.layerAt('departement');
		expect(departements).toEqual(
			readEstimateLayerArtifact(
				committed(ARTIFACTS.estimates.departement),
				'departement',
				ARTIFACTS.estimates.departement
			)
		);
		await source.layerAt('region');
		await source.layerAt('epci');
		expect(asked).toEqual([]);
		expect(await source.layerAt('commune')).toEqual({ level: 'commune' });
		expect(asked).toEqual(['commune']);
		await expect(
			estimateLayerSource(staticFetch, (file) => `/data/absent/${file}`, worker).layerAt('region')
		).rejects.toThrow('Impossible de télécharger /data/absent/estimations/regions.json');
	});

	it('place the first screen’s région and département labels where the commune table would', async () => {
		const communes = decodeCommuneTable(committed(ARTIFACTS.communes));
		const territories = committed(ARTIFACTS.territories) as TerritoryIndex;
		const layer = (level: 'region' | 'departement') =>
			readEstimateLayerArtifact(
				committed(ARTIFACTS.estimates[level]),
				level,
				ARTIFACTS.estimates[level]
			);
		const early = buildPlaceLabels([], territories, {
			region: layer('region'),
			departement: layer('departement')
		});
		const full = buildPlaceLabels(communes, territories).features.filter(
			(f) => f.properties.niveau === 'region' || f.properties.niveau === 'departement'
		);
		expect(early.features.length).toBeGreaterThanOrEqual(18 + 101);
		expect(early.features).toEqual(full);
	});
});
