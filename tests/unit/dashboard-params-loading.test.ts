import { describe, expect, it } from 'vitest';
import type { FeatureCollection } from 'geojson';
import { topology } from 'topojson-server';
import {
	fetchArtifact,
	loadDashboardData,
	loadPostcodeTable,
	loadTerritoryGeometry
} from '$lib/ui/dashboard/data-loader';
import { convertTopologyToFeatures } from '$lib/territory/geometry';
import { loadCommuneData } from '$lib/workers/analysis/commune-data';

/** A fetch that answers from a table of URL → [status, body]. */
function fakeFetch(table: Record<string, [number, string]>): typeof fetch {
	return (async (input: string | URL | Request) => {
		const url = String(input);
		if (!(url in table)) throw new TypeError('Failed to fetch');
		const [status, body] = table[url];
		return new Response(body, { status });
	}) as typeof fetch;
}

// Structure only: a unit square per feature is enough to test the TopoJSON → GeoJSON step.
const square = (x: number) => ({
	type: 'Polygon' as const,
	coordinates: [
		[
			[x, 0],
			[x + 1, 0],
			[x + 1, 1],
			[x, 1],
			[x, 0]
		]
	]
});
const departements = topology({
	departement: <FeatureCollection>{
		type: 'FeatureCollection',
		features: [
			{ type: 'Feature', properties: { code: '2A', nom: 'Corse-du-Sud' }, geometry: square(0) },
			{ type: 'Feature', properties: { code: '976', nom: 'Mayotte' }, geometry: square(2) }
		]
	}
});

describe('loading the first-screen data', () => {
	it('turns a level TopoJSON into GeoJSON features keyed by code', async () => {
		const url = (file: string) => `/data/${file}`;
		const { collection } = await loadTerritoryGeometry(
			fakeFetch({ '/data/geo/departements.topo.json': [200, JSON.stringify(departements)] }),
			url,
			'departement'
		);
		expect(collection.features.map((f) => f.properties.code)).toEqual(['2A', '976']);
		expect(collection.features[0].geometry.type).toBe('Polygon');
	});

	it('names the file and the cause in French when something is wrong', async () => {
		const fetcher = fakeFetch({ '/data/a.json': [404, ''], '/data/b.json': [200, '{oops'] });
		await expect(fetchArtifact(fetcher, '/data/a.json')).rejects.toThrow(
			'Impossible de télécharger /data/a.json (erreur HTTP 404)'
		);
		await expect(fetchArtifact(fetcher, '/data/b.json')).rejects.toThrow(
			'Le fichier /data/b.json n’est pas un JSON valide.'
		);
		await expect(fetchArtifact(fetcher, '/data/c.json')).rejects.toThrow(
			'Impossible de télécharger /data/c.json (Failed to fetch)'
		);
		await expect(
			loadDashboardData(
				fakeFetch({
					'/data/territoires-regions-departements.json': [200, '{}'],
					'/data/sources.json': [200, '{"datasets":[]}']
				}),
				(file) => `/data/${file}`
			)
		).rejects.toThrow('territoires-regions-departements.json n’a pas le format attendu');
		// The whole index comes with the commune table (read by the analysis worker), checked the
		// same way.
		await expect(
			loadCommuneData(
				fakeFetch({
					'/data/communes.json': [200, '{"schema":1,"columns":[],"rows":[]}'],
					'/data/territoires.json': [200, '{"regions":[]}']
				}),
				'/data/'
			)
		).rejects.toThrow('Le fichier territoires.json n’a pas le format attendu');
		expect(() => convertTopologyToFeatures(departements, 'region')).toThrow(
			'Géométrie « Régions » illisible : objet TopoJSON « region » absent.'
		);
		expect(() => convertTopologyToFeatures({ type: 'FeatureCollection' }, 'commune')).toThrow(
			/Communes/
		);
	});

	it('loads the search’s postcode table, or says in French why not', async () => {
		const url = (file: string) => `/data/${file}`;
		const table = { communes: { '23000': ['23096', '23227'] }, arrondissements: {} };
		await expect(
			loadPostcodeTable(
				fakeFetch({ '/data/codes-postaux.json': [200, JSON.stringify(table)] }),
				url
			)
		).resolves.toEqual(table);
		await expect(
			loadPostcodeTable(fakeFetch({ '/data/codes-postaux.json': [404, ''] }), url)
		).rejects.toThrow('Impossible de télécharger /data/codes-postaux.json (erreur HTTP 404)');
		await expect(
			loadPostcodeTable(fakeFetch({ '/data/codes-postaux.json': [200, '{"communes":[]}'] }), url)
		).rejects.toThrow('Le fichier codes-postaux.json n’a pas le format attendu');
	});
});
