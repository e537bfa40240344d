/**
 * Wording of the fiche territoire that depends on the report only: the EPCI kind in words, French
 * rank ordinals, the bars of a comparison chart and the source line of each figure.
 */
import type { Level } from '../territory/commune';
import type { BarInput } from '../charts/report/bar-chart';
import { formatInteger } from '../format/number';
import { formatRankOrdinal } from '../ranking/explain';
import { attributionLine, figureSourceLine } from './report-method';
import type { ComparisonFigure, ComparisonScope } from './report-figures';
import type { TerritoryReport } from './territory-report';

/** Legal form of an EPCI (BANATIC `type`) in words, lower case. */
export const EPCI_TYPE_LABELS: Readonly<Record<string, string>> = {
	CC: 'communauté de communes',
	CA: 'communauté d’agglomération',
	CU: 'communauté urbaine',
	METRO: 'métropole',
	MET69: 'métropole de Lyon'
};

/**
 * The ranking's ordinal with French digit grouping, agreeing with the level's gender (« le 1er
 * département », « la 1re commune »).
 * @example rankOrdinal(11760, 'commune') // '11 760e'
 */
export function rankOrdinal(rank: number, level: Level): string {
	return rank === 1 ? formatRankOrdinal(rank, level !== 'departement') : `${formatInteger(rank)}e`;
}

const SCOPE_PREFIX: Record<ComparisonScope, string> = {
	territoire: '',
	departement: 'Département : ',
	region: 'Région : ',
	france: ''
};

/** One bar per scope of a comparison figure, the territory's own bar emphasised. */
export function comparisonBars(figure: ComparisonFigure): BarInput[] {
	return figure.values.map((v) => ({
		key: `${v.scope}-${v.code}`,
		label: `${SCOPE_PREFIX[v.scope]}${v.nom}`,
		value: v.value,
		text: v.text,
		low: v.low ?? null,
		high: v.high ?? null,
		emphasis: v.scope === 'territoire'
	}));
}

/** Producers and years of datasets `ids`, as quoted under a figure (« INSEE, RP 2021 »). */
export function sourceLine(report: TerritoryReport, ids: readonly string[]): string {
	return attributionLine(ids, report.sources);
}

/** The territory's own value of figure `id` as written, or « – » when the report has no such figure. */
export function ownFigureText(report: TerritoryReport, id: string): string {
	return report.figures.find((f) => f.id === id)?.values[0]?.text ?? '–';
}

/** Source line of a figure (producers, years, model version); empty for a missing figure. */
export function figureSource(
	report: TerritoryReport,
	figure: ComparisonFigure | undefined
): string {
	return figure ? figureSourceLine(figure, report.sources, report.method.version) : '';
}

/** Source line of figure `id`. */
export function figureSourceOf(report: TerritoryReport, id: string): string {
	return figureSource(
		report,
		report.figures.find((f) => f.id === id)
	);
}
