/**
 * The report's figures as one long CSV table (« Télécharger les données (CSV) »): one line per figure
 * and territory, with its unit and its sources, so a spreadsheet can rebuild every number of the page.
 */
import { toCsv, type CsvColumn, type CsvOptions } from '../export/csv';
import { formatRankOrdinal } from '../ranking/explain';
import { formatInteger } from '../format/number';
import type { Level } from '../territory/commune';
import { attributionLine, figureSourceLine } from './report-method';
import type { TerritoryReport } from './territory-report';
import type { SavedScenarioNote } from './report-saved-scenario';
import { IMPORTED_SOURCE_ID } from '../places-import/imported-place';

/** One line of the download. */
export interface ReportCsvLine {
	rubrique: string;
	indicateur: string;
	/** The territory the value is about (the report's, a parent, a sub-territory, a QPV…). */
	territoire: string;
	niveau: string;
	code: string;
	valeur: number | null;
	/** Decimals written for the value. */
	digits: number;
	unite: string;
	/** The value as the page writes it, or a text value (a QPV name, a FRR class). */
	texte: string;
	sources: string;
}

const LEVEL_CELL: Record<Level | 'france', string> = {
	commune: 'commune',
	epci: 'epci',
	departement: 'departement',
	region: 'region',
	france: 'france'
};

/** Decimals of a figure's values in the CSV (the page's own rounding, one more for shares). */
const FIGURE_DIGITS: Record<string, number> = {
	part: 2,
	acces: 2,
	distance: 2,
	fibre: 2,
	mobile: 2,
	pauvrete: 2,
	rural: 2,
	densite: 2
};

/** What the download says besides the report: the saved scenario it was built for, if any. */
export interface ReportCsvOptions {
	/** `?scenario=<id>`: its first line says so, « Scénario « nom » : N lieux importés… ». */
	saved?: Pick<SavedScenarioNote, 'text' | 'summary'> | null;
}

/** Every figure of the report as CSV lines. */
export function reportCsvLines(
	report: TerritoryReport,
	options: ReportCsvOptions = {}
): ReportCsvLine[] {
	const t = report.territory;
	const src = (ids: readonly string[]) => attributionLine(ids, report.sources);
	const own = { territoire: t.nom, niveau: LEVEL_CELL[t.level], code: t.code };
	const lines: ReportCsvLine[] = [];
	const push = (
		line: Omit<ReportCsvLine, 'territoire' | 'niveau' | 'code'> & Partial<ReportCsvLine>
	) => lines.push({ ...own, ...line });

	if (options.saved) {
		push({
			rubrique: 'Scénario enregistré',
			indicateur: 'Lieux importés comptés comme lieux existants',
			valeur: options.saved.summary.imported,
			digits: 0,
			unite: 'lieux',
			texte: options.saved.text,
			sources: src([IMPORTED_SOURCE_ID])
		});
	}

	const pop = src(report.populationSources);
	push({
		rubrique: 'Territoire',
		indicateur: 'Population municipale',
		valeur: t.population,
		digits: 0,
		unite: 'habitants',
		texte: '',
		sources: pop
	});
	push({
		rubrique: 'Territoire',
		indicateur: 'Nombre de communes',
		valeur: t.communeCount,
		digits: 0,
		unite: 'communes',
		texte: '',
		sources: pop
	});

	const e = report.estimate;
	const es = src(e.sources);
	const estimate = (indicateur: string, valeur: number | null, digits: number, unite: string) =>
		push({
			rubrique: 'Personnes éloignées du numérique (estimation)',
			indicateur,
			valeur,
			digits,
			unite,
			texte: '',
			sources: es
		});
	estimate('Population de 15 ans ou plus', Math.round(e.pop15), 0, 'personnes');
	// Not estimated (Mayotte): empty values, never a made-up number.
	const persons = (v: number | null) => (v === null ? null : Math.round(v));
	estimate('Personnes éloignées du numérique', persons(e.eloignes), 0, 'personnes');
	estimate('Personnes éloignées : bas de la fourchette', persons(e.bas), 0, 'personnes');
	estimate('Personnes éloignées : haut de la fourchette', persons(e.haut), 0, 'personnes');
	estimate(
		'Part des 15 ans ou plus',
		e.part === null ? null : Math.round(e.part * 10) / 10,
		1,
		'%'
	);
	estimate('Part : bas de la fourchette', e.partBas, 1, '%');
	estimate('Part : haut de la fourchette', e.partHaut, 1, '%');

	for (const f of report.figures) {
		for (const v of f.values) {
			push({
				rubrique: 'Comparaison',
				indicateur: f.label,
				territoire: v.nom,
				niveau: LEVEL_CELL[v.level],
				code: v.code,
				valeur: v.value,
				digits: FIGURE_DIGITS[f.id] ?? 2,
				unite: f.unit,
				texte: v.text,
				sources: figureSourceLine(f, report.sources, report.method.version)
			});
		}
	}

	for (const p of report.places.byType) {
		push({
			rubrique: 'Lieux de médiation',
			indicateur: p.label,
			valeur: p.count,
			digits: 0,
			unite: 'lieux',
			texte: '',
			sources: src(p.sources)
		});
		if (p.effectif !== null && p.effectifLabel) {
			push({
				rubrique: 'Lieux de médiation',
				indicateur: `${p.label} : ${p.effectifLabel}`,
				valeur: p.effectif,
				digits: 0,
				unite: 'personnes',
				texte: '',
				sources: src(p.sources)
			});
		}
	}

	const n = report.nearest;
	const ns = src(n.sources);
	const suffix = n.kind === 'moyenne' ? ' (moyenne pondérée par les personnes éloignées)' : '';
	push({
		rubrique: 'Lieu le plus proche',
		indicateur: `Distance au lieu le plus proche${suffix}`,
		valeur: n.km,
		digits: 2,
		unite: 'km',
		texte: n.place ? `${n.place.nom} (${n.place.typeLabel})` : '',
		sources: ns
	});
	for (const b of n.byType) {
		push({
			rubrique: 'Lieu le plus proche',
			indicateur: `Distance : ${b.label}${suffix}`,
			valeur: b.km,
			digits: 2,
			unite: 'km',
			texte: '',
			sources: ns
		});
	}
	push({
		rubrique: 'Lieu le plus proche',
		indicateur: `Personnes éloignées à plus de ${n.coverageKm} km d’un lieu`,
		valeur: n.farShare,
		digits: 1,
		unite: '%',
		texte: '',
		sources: ns
	});

	for (const q of report.qpv) {
		push({
			rubrique: 'Quartiers prioritaires (QPV 2024)',
			indicateur: 'QPV',
			territoire: q.nom,
			niveau: 'qpv',
			code: q.code,
			valeur: null,
			digits: 0,
			unite: '',
			texte: q.nom,
			sources: src(report.qpvSources)
		});
	}
	const r = report.rurality;
	for (const [indicateur, texte] of [
		['Grille communale de densité', r.densite],
		['Typologie des ruralités (ANCT)', r.ruralite],
		['France Ruralités Revitalisation', r.frr],
		['Zone de revitalisation rurale 2021', r.zrr],
		['Zone de montagne', r.montagne]
	] as const) {
		if (texte !== null)
			push({
				rubrique: 'Ruralité',
				indicateur,
				valeur: null,
				digits: 0,
				unite: '',
				texte,
				sources: src(r.sources)
			});
	}

	if (report.ranking) {
		const rk = report.ranking;
		const label = `Classement de priorité (pondération « ${rk.preset.label} »)`;
		push({
			rubrique: label,
			indicateur: 'Score de priorité',
			valeur: rk.score,
			digits: 1,
			unite: 'score 0–100',
			texte: rk.explanation,
			sources: ''
		});
		for (const g of rk.ranks) {
			push({
				rubrique: label,
				indicateur: `Rang ${g.groupLabel}`,
				valeur: g.rank,
				digits: 0,
				unite: 'rang',
				texte: `${g.rank === 1 ? formatRankOrdinal(1, t.level !== 'departement') : `${formatInteger(g.rank)}e`} sur ${formatInteger(g.size)}`,
				sources: ''
			});
		}
	}
	if (report.subTerritories && t.level !== 'commune') {
		const sub = report.subTerritories;
		for (const item of sub.items) {
			push({
				rubrique: 'Sous-territoires à prioriser',
				indicateur: 'Score de priorité',
				territoire: item.nom,
				niveau: LEVEL_CELL[sub.level],
				code: item.code,
				valeur: item.score,
				digits: 1,
				unite: 'score 0–100',
				texte:
					item.explanation ??
					(item.listed
						? `${item.place}e de la liste`
						: 'classée avec le département qui regroupe la plus grande partie de sa population'),
				sources: ''
			});
		}
	}
	return lines;
}

/** The columns of the download (CSV and XLSX). */
export const REPORT_CSV_COLUMNS: readonly CsvColumn<ReportCsvLine>[] = [
	{ header: 'rubrique', value: (l) => l.rubrique },
	{ header: 'indicateur', value: (l) => l.indicateur },
	{ header: 'territoire', value: (l) => l.territoire },
	{ header: 'niveau', value: (l) => l.niveau },
	{ header: 'code', value: (l) => l.code },
	{
		header: 'valeur',
		value: (l) => (l.valeur === null ? null : Number(l.valeur.toFixed(l.digits)))
	},
	{ header: 'unite', value: (l) => l.unite },
	{ header: 'texte', value: (l) => l.texte },
	{ header: 'sources', value: (l) => l.sources }
];

/**
 * The report's CSV text (BOM, `;` and decimal comma by default, see export/csv.ts).
 * @example reportCsv(report).split('\r\n')[0] // '\ufeffrubrique;indicateur;territoire;niveau;code;valeur;unite;texte;sources'
 */
export function reportCsv(
	report: TerritoryReport,
	options: CsvOptions & ReportCsvOptions = {}
): string {
	return toCsv(reportCsvLines(report, options), REPORT_CSV_COLUMNS, options);
}

/**
 * File name of the download: `fiche-epci-200093201.csv`; a saved scenario's is told apart
 * (`fiche-commune-23247-scenario-<id>.csv`) so it never overwrites the national one.
 */
export function reportCsvFileName(
	level: Level,
	code: string,
	extension = 'csv',
	scenarioId?: string
): string {
	const scenario =
		scenarioId && /^[A-Za-z0-9_-]+$/.test(scenarioId) ? `-scenario-${scenarioId}` : '';
	return `fiche-${LEVEL_CELL[level]}-${code}${scenario}.${extension}`;
}
