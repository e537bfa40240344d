import type { PageServerLoad } from './$types';
import { loadServerDataset } from '$lib/server/dataset';
import {
	remoteEstimateOfFrance,
	remoteEstimatesAt,
	remoteEstimatesOf,
	remoteValidationOf
} from '$lib/needs/cache';
import { describeRemotePopulationMethod, METHOD_REFERENCES } from '$lib/needs/method';
import { HDF_REGION } from '$lib/needs/constants';
import { FIABILITE_LABELS } from '$lib/needs/benchmarks';
import type { TerritoryEstimate } from '$lib/needs/aggregate';
import { readerNoteOf } from '$lib/report/reader-notes';

/** `2026-11-28T13:51:34Z` → `28 novembre 2026` (the text itself when it is not a date). */
function frenchDate(iso: string): string {
	const date = new Date(iso);
	return Number.isNaN(date.getTime())
		? iso
		: date.toLocaleDateString('fr-FR', {
				day: 'numeric',
				month: 'long',
				year: 'numeric',
				timeZone: 'Europe/Paris'
			});
}

/** The figures shown in the summary: plain numbers, rounded as displayed. */
function summaryOf(t: TerritoryEstimate | undefined) {
	if (!t) return null;
	return {
		nom: t.nom,
		eloignes: Math.round(t.eloignes ?? NaN),
		bas: Math.round(t.bas ?? NaN),
		haut: Math.round(t.haut ?? NaN),
		part: t.part,
		drivers: t.drivers.map((d) => d.text)
	};
}

export const load: PageServerLoad = async () => {
	const dataset = await loadServerDataset();
	const set = remoteEstimatesOf(dataset.communes);
	const regions = remoteEstimatesAt(dataset.communes, 'region', dataset.territories);
	const { datasets, report } = dataset.sources;
	return {
		// The reader's note, never the provenance record's caveat (internal checks and copies).
		datasets: [...datasets]
			.sort(
				(a, b) => a.producer.localeCompare(b.producer, 'fr') || a.title.localeCompare(b.title, 'fr')
			)
			.map((d) => ({
				id: d.id,
				title: d.title,
				producer: d.producer,
				vintage: d.vintage,
				licence: d.licence,
				attribution: d.attribution,
				url: d.url,
				note: readerNoteOf(d.id)
			})),
		report: {
			generatedOn: frenchDate(report.generated),
			// In the pipeline's order, which follows the sources.
			coverage: Object.entries(report.coverage).map(([name, c]) => ({
				name,
				matched: c.matched,
				total: c.total
			})),
			rows: Object.entries(report.rows)
				.map(([file, count]) => ({ file, count }))
				.sort((a, b) => a.file.localeCompare(b.file)),
			unmatched: Object.entries(report.unmatched).map(([name, codes]) => ({ name, codes }))
		},
		communes: dataset.communes.length,
		method: describeRemotePopulationMethod(set.model),
		validation: remoteValidationOf(dataset.communes, dataset.territories),
		references: METHOD_REFERENCES,
		fiabilite: Object.entries(FIABILITE_LABELS).map(([code, label]) => ({ code, label })),
		france: summaryOf(remoteEstimateOfFrance(dataset.communes)),
		hautsDeFrance: summaryOf(regions.find((r) => r.code === HDF_REGION))
	};
};
