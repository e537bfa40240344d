/**
 * Issue 12, what imported places cost in the ranking worker (same code as the browser's worker,
 * run in Node): the first accessibility figure of the details panel with the imported place (the
 * analysis rebuilt on the places: accessibility and rows), the next territories' figures, and the
 * ranking tab's downloads written in the browser (CSV of every commune, GeoJSON of every EPCI).
 * The imported place is Saint-Vaury's real Aidants Connect structure (tests/fixtures/places-import).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { formatDecimal, formatInteger } from '../../../src/lib/format/number';
import {
	compactImportContext,
	expandImportContext
} from '../../../src/lib/places-import/import-context';
import { readPlacesFile } from '../../../src/lib/places-import/import-places';
import {
	accessOfTerritory,
	exportView,
	loadRankingContext
} from '../../../src/lib/workers/analysis/ranking-handler';
import { rankingScenarioOf } from '../../../src/lib/ranking/with-scenario';
import { defaultRankingView, type RankingView } from '../../../src/lib/ranking/view-params';
import { ARTIFACTS, type SourcesArtifact } from '../../../src/lib/territory/artifacts';
import { decodeCommuneTable } from '../../../src/lib/territory/commune-table';
import { timeMedian } from '../measure';
import { artifactPath, dataDirectory, requireArtifacts, type BenchSection } from '../section';

/** `fetch` over the artifact directory, as the worker reads `/data/…`. */
const artifactFetch = (async (input: RequestInfo | URL) =>
	new Response(
		readFileSync(join(dataDirectory(), String(input).replace(/^\/data\//, '')))
	)) as typeof fetch;

export default {
	name: 'Lieux importés dans le classement : accessibilité du panneau, téléchargements du navigateur',
	async run() {
		if (
			!(await requireArtifacts(
				ARTIFACTS.communes,
				ARTIFACTS.mediators,
				ARTIFACTS.sources,
				ARTIFACTS.geometry.epci
			))
		)
			return;
		const communes = decodeCommuneTable(
			JSON.parse(readFileSync(artifactPath(ARTIFACTS.communes), 'utf8'))
		);
		const datasets = (
			JSON.parse(readFileSync(artifactPath(ARTIFACTS.sources), 'utf8')) as SourcesArtifact
		).datasets;
		const imported = readPlacesFile(
			'creuse-aidants-connect.csv',
			readFileSync(
				new URL('../../fixtures/places-import/creuse-aidants-connect.csv', import.meta.url)
			),
			expandImportContext(compactImportContext(communes, []))
		).accepted;
		const scenario = rankingScenarioOf(null, imported)!;
		const context = await loadRankingContext(artifactFetch, '/data');
		// The worker prepares the national commune rows at start: measure what an import adds.
		context.source.preparedAt('commune');

		let started = performance.now();
		const first = accessOfTerritory(context, { level: 'commune', code: '23247' }, scenario)!;
		const firstMs = performance.now() - started;
		const epci = communes.find((c) => c.code === '23247')!.epci!;
		// The EPCI's rows are built on its first request: warm them up (timeMedian's warm-up run).
		const next = await timeMedian(() => {
			accessOfTerritory(context, { level: 'epci', code: epci }, scenario);
			accessOfTerritory(context, { level: 'commune', code: '23096' }, scenario);
		}, 21);
		console.log(
			`accessibilité avec ${formatInteger(imported.length)} lieu importé, premier territoire (analyse refaite) : ${formatInteger(firstMs)} ms ; territoires suivants : médiane ${formatDecimal(next.medianMs / 2, 3)} ms`
		);
		console.log(
			`Saint-Vaury : ${formatDecimal(first.national.accessScore, 2)} → ${formatDecimal(first.withScenario.accessScore, 2)} équivalents conseiller pour 10 000 personnes éloignées`
		);

		const view = (level: RankingView['level']): RankingView => ({ ...defaultRankingView(), level });
		const request = { separator: ';' as const, datasets, origin: 'fichier « bench.csv »' };
		let size = 0;
		const csv = await timeMedian(async () => {
			size = (await exportView(context, view('commune'), scenario, { ...request, format: 'csv' }))
				.text.length;
		}, 3);
		console.log(
			`CSV des ${formatInteger(communes.length)} communes avec les lieux importés (écrit dans le worker) : médiane ${formatInteger(csv.medianMs)} ms (min ${formatInteger(csv.minMs)}, max ${formatInteger(csv.maxMs)}), ${formatDecimal(size / 1024 / 1024, 1)} M caractères`
		);
		started = performance.now();
		await exportView(context, view('epci'), scenario, { ...request, format: 'geojson' });
		const geojsonFirst = performance.now() - started;
		const geojson = await timeMedian(async () => {
			size = (await exportView(context, view('epci'), scenario, { ...request, format: 'geojson' }))
				.text.length;
		}, 3);
		console.log(
			`GeoJSON des EPCI : premier ${formatInteger(geojsonFirst)} ms (polygones lus une fois), ensuite médiane ${formatInteger(geojson.medianMs)} ms, ${formatDecimal(size / 1024 / 1024, 1)} M caractères`
		);
	}
} satisfies BenchSection;
