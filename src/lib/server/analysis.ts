import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FeatureCollection, Point } from 'geojson';
import { analyseTerritories, type TerritoryAnalysis } from '$lib/analysis/territory-analysis';
import type { ReportContext } from '$lib/report/report-context';
import { ARTIFACTS, type MediatorProperties } from '$lib/territory/artifacts';
import { dataDirectory, loadServerDataset, type ServerDataset } from './dataset';

export interface ServerAnalysis {
	dataset: ServerDataset;
	mediators: FeatureCollection<Point, MediatorProperties>;
	analysis: TerritoryAnalysis;
}

const cache: { pending?: Promise<ServerAnalysis> } = {};

/**
 * The dataset, the mediator points and the lazy analysis (estimates, accessibility, ranking rows),
 * read once per server process and shared by every request (read-only).
 */
export function loadServerAnalysis(): Promise<ServerAnalysis> {
	cache.pending ??= (async () => {
		const [dataset, mediatorsText] = await Promise.all([
			loadServerDataset(),
			readFile(join(dataDirectory(), ARTIFACTS.mediators), 'utf8')
		]);
		const mediators = JSON.parse(mediatorsText) as FeatureCollection<Point, MediatorProperties>;
		const analysis = analyseTerritories({
			communes: dataset.communes,
			mediators: mediators.features,
			territories: dataset.territories,
			qpv: dataset.qpv
		});
		return { dataset, mediators, analysis };
	})().catch((error) => {
		delete cache.pending;
		throw error;
	});
	return cache.pending;
}

/** The fiche territoire's context on the national analysis (the fiche and the API's saved scenarios). */
export function reportContextOf({ dataset, mediators, analysis }: ServerAnalysis): ReportContext {
	return {
		communes: dataset.communes,
		territories: dataset.territories,
		qpv: dataset.qpv,
		sources: dataset.sources.datasets,
		dataGenerated: dataset.sources.report.generated,
		mediators: mediators.features,
		analysis
	};
}
