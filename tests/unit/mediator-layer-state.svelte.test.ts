import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FeatureCollection, Point } from 'geojson';
import { MediatorLayer } from '../../src/lib/ui/dashboard/mediator-layer.svelte';
import { countMediators, DEFAULT_MEDIATOR_FILTER } from '$lib/mediation/mediator-filters';
import { encodeMediatorPoints } from '$lib/mediation/mediator-points';
import { formatInteger } from '$lib/format/number';
import { ARTIFACTS, type MediatorProperties } from '$lib/territory/artifacts';

const STATIC = new URL('../../static/data/', import.meta.url);
const committed = (file: string) => readFileSync(new URL(file, STATIC), 'utf8');
const mediators = JSON.parse(committed(ARTIFACTS.mediators)) as FeatureCollection<
	Point,
	MediatorProperties
>;

/** A layer on a fetch that serves `files` (by name) and records what was asked. */
function layerWith(files: Record<string, string>) {
	const fetched: string[] = [];
	const fetcher = (input: RequestInfo | URL) => {
		const file = String(input);
		fetched.push(file);
		return Promise.resolve(
			file in files ? new Response(files[file]) : new Response('', { status: 404 })
		);
	};
	const filter = { ...DEFAULT_MEDIATOR_FILTER, types: [...DEFAULT_MEDIATOR_FILTER.types] };
	const layer = new MediatorLayer(filter, fetcher as typeof fetch, (file) => file);
	return { layer, fetched };
}

const REAL = {
	[ARTIFACTS.mediatorPoints]: committed(ARTIFACTS.mediatorPoints),
	[ARTIFACTS.mediators]: committed(ARTIFACTS.mediators)
};

describe('MediatorLayer: points first, details when asked', () => {
	it('draws and counts from the points file alone, exactly as from the full file', async () => {
		const { layer, fetched } = layerWith(REAL);
		await layer.ensurePoints();
		expect(fetched).toEqual([ARTIFACTS.mediatorPoints]);
		expect(layer.loadError).toBeNull();
		expect(layer.points).toHaveLength(mediators.features.length);
		expect(layer.shown).toBe(layer.points);
		expect(layer.counts).toEqual(countMediators(mediators.features));
		expect(layer.features).toBeNull();

		layer.setType('france-services', false);
		expect(layer.shown).toHaveLength(
			mediators.features.length - layer.counts!.byType['france-services']
		);
		expect(fetched).toEqual([ARTIFACTS.mediatorPoints]);
	});

	it('fetches the details on the first click, once, and shows the clicked places', async () => {
		const { layer, fetched } = layerWith(REAL);
		await layer.ensurePoints();
		const lille = mediators.features.findIndex((f) => f.properties.id === 'fs-1933');
		const other = lille + 1;
		layer.select([lille, other], 2);
		// Meanwhile the card says it is loading (no places yet).
		expect(layer.detailsLoading).toBe(true);
		expect(layer.selectedPlaces).toBeNull();
		await layer.ensureLoaded();
		expect(layer.selectedPlaces).toEqual([
			mediators.features[lille].properties,
			mediators.features[other].properties
		]);
		layer.select([other], 1);
		await layer.ensureLoaded();
		expect(layer.selectedPlaces).toEqual([mediators.features[other].properties]);
		expect(fetched).toEqual([ARTIFACTS.mediatorPoints, ARTIFACTS.mediators]);
	});

	it('shows an imported place at once, without fetching the details', () => {
		const { layer, fetched } = layerWith(REAL);
		const imported = { ...mediators.features[0].properties, id: 'import-1', source: 'x' };
		layer.select([imported], 1);
		expect(layer.selectedPlaces).toEqual([imported]);
		expect(fetched).toEqual([]);
	});

	it('refuses a malformed points file with a French message naming it', async () => {
		const { layer } = layerWith({ [ARTIFACTS.mediatorPoints]: '{"version":0}' });
		await layer.ensurePoints();
		expect(layer.points).toBeNull();
		expect(layer.loadError).toBe(
			`Le fichier ${ARTIFACTS.mediatorPoints} n’a pas le format attendu : version 0 au lieu de 1.`
		);
	});

	it('refuses details of another build (a place would get the details of another)', async () => {
		const stale = encodeMediatorPoints({
			type: 'FeatureCollection',
			features: mediators.features.slice(0, 3)
		});
		const { layer } = layerWith({ ...REAL, [ARTIFACTS.mediatorPoints]: JSON.stringify(stale) });
		await layer.ensurePoints();
		layer.select([0], 1);
		await layer.ensureLoaded();
		expect(layer.features).toBeNull();
		expect(layer.selectedPlaces).toBeNull();
		expect(layer.detailsError).toBe(
			`Les fichiers ${ARTIFACTS.mediatorPoints} (3 lieux) et ${ARTIFACTS.mediators} (${formatInteger(14_737)} lieux) ne viennent pas de la même construction : recharger la page.`
		);
	});
});
