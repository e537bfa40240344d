/**
 * Join steps of the commune table for what is measured in a commune: fibre and lines (ARCEP), IFN
 * scores, Filosofi income and poverty, mediation offer counts, the Nord's 60+ share and INSEE's
 * age structure.
 */
import type { AgeStructure } from '../../src/lib/territory/commune';
import { parseCsv, readOptionalNumber, readOptionalPercent, type CsvRow } from '../lib/csv';
import { SourceDataError } from '../lib/source-error';
import { findAgeStructureFile, readAgeStructure } from './age-structure';
import { matchCommuneCode, type CogReference } from './cog-reference';
import {
	addUnmatched,
	attachRows,
	pickSingleByCommune,
	readInteger,
	summableRows,
	type Attached,
	type JoinRun,
	type TableReport
} from './commune-join';
import { readSourceText, SOURCE_FILES } from './sources-dir';

const IFN_COLUMNS = {
	ifnNoThd: 'no_thd_coverage_rate',
	ifnNo4g: 'no_4g_coverage_rate',
	ifnPoverty: 'poverty_rate',
	ifnOlder65: 'older_65_rate',
	ifnNoDiploma: 'nscol15p_rate',
	ifnTotal: 'total'
} as const;
export type IfnScores = Record<keyof typeof IFN_COLUMNS, number | null>;

export const OFFRE_COLUMNS = {
	nFranceServices2024: 'n_france_services_2024',
	nLieuxCnfs2022: 'n_lieux_cnfs_2022',
	nStructuresCnfs2023: 'n_structures_cnfs_coselec_2023',
	nPostesCnfs2023: 'n_postes_cnfs_valides_2023',
	nStructuresAidantsConnect2024: 'n_structures_aidants_connect_2024',
	nAidantsConnect2024: 'n_aidants_connect_2024'
} as const;
export type OffreCounts = Record<keyof typeof OFFRE_COLUMNS, number>;

/** IFN 2023 sub-scores are 0–10 (La MedNum methodology). */
function readScore(row: CsvRow, column: string, file: string): number | null {
	const value = readOptionalNumber(row, column, file);
	if (value !== null && (value < 0 || value > 10)) {
		throw new SourceDataError(`score hors de [0, 10] : ${value}`, {
			file,
			line: row.line,
			field: column
		});
	}
	return value;
}

/** ARCEP FttH share of each commune, about 2025. */
export function joinFibre(run: JoinRun): Map<string, number | null> {
	const { sourcesDir, cog, report, cover, reportMissing } = run;
	const fibreFile = SOURCE_FILES.fibre;
	const fibreRows = attachRows(sourcesDir, cog, report, {
		file: fibreFile,
		codeColumn: 'code_insee',
		columns: ['fibre_pct_locaux_raccordables_ftth'],
		unknownCodes: 'strict',
		read: (row) => readOptionalPercent(row, 'fibre_pct_locaux_raccordables_ftth', fibreFile)
	});
	const fibre = pickSingleByCommune(run, fibreFile, fibreRows);
	cover('fibre', (c) => fibre.get(c) != null);
	reportMissing(fibreFile, (c) => fibreRows.has(c));
	return fibre;
}

/** ARCEP "Ma connexion internet" 2022 T4: premises and THD 100 premises, summed by COG 2026 commune. */
export function joinLines(run: JoinRun): Map<string, { locaux: number; thd100: number } | null> {
	const { sourcesDir, cog, report, codes, cover, reportMissing } = run;
	const mciFile = SOURCE_FILES.mci;
	const mciHeader = parseCsv(readSourceText(sourcesDir, mciFile).split('\n', 1)[0], mciFile).header;
	// The snapshot carries a COG 2026 column; ARCEP's own file only has `code_insee` (converted here).
	const mciCodeColumn = mciHeader.includes('code_commune_cog2026')
		? 'code_commune_cog2026'
		: 'code_insee';
	const mciRows = attachRows(sourcesDir, cog, report, {
		file: mciFile,
		codeColumn: mciCodeColumn,
		uniqueColumn: 'code_insee',
		columns: ['code_insee', 'nbr_locaux', 'elig_thd100'],
		unknownCodes: 'strict',
		read: (row) => {
			const locaux = readInteger(row, 'nbr_locaux', mciFile);
			const thd100 = readInteger(row, 'elig_thd100', mciFile);
			if (thd100 > locaux) {
				throw new SourceDataError(
					`plus de locaux éligibles (${thd100}) que de locaux (${locaux})`,
					{
						file: mciFile,
						line: row.line,
						field: 'elig_thd100'
					}
				);
			}
			return { locaux, thd100 };
		}
	});
	const mci = new Map<string, { locaux: number; thd100: number } | null>();
	const mciMerged: string[] = [];
	for (const code of codes) {
		const parts = summableRows(mciRows.get(code));
		if (parts.length > 1) mciMerged.push(code);
		mci.set(
			code,
			parts.length === 0
				? null
				: {
						locaux: parts.reduce((s, p) => s + p.value.locaux, 0),
						thd100: parts.reduce((s, p) => s + p.value.thd100, 0)
					}
		);
	}
	addUnmatched(report, mciFile, 'communes fusionnées dont les locaux sont additionnés', mciMerged);
	cover('ARCEP locaux 2022', (c) => mci.get(c) != null);
	reportMissing(mciFile, (c) => mciRows.has(c));
	return mci;
}

/** IFN 2023 scores (COG 2023, third-party export): tolerant of unknown codes. */
export function joinIfn(run: JoinRun): Map<string, IfnScores | null> {
	const { sourcesDir, cog, report, codes, cover, reportMissing } = run;
	const ifnFile = SOURCE_FILES.ifn;
	const ifnRows = attachRows(sourcesDir, cog, report, {
		file: ifnFile,
		codeColumn: 'code',
		columns: Object.values(IFN_COLUMNS),
		unknownCodes: 'tolerant',
		hasValue: hasAnyScore,
		read: (row) => {
			const scores = {} as IfnScores;
			for (const [key, column] of Object.entries(IFN_COLUMNS) as [keyof IfnScores, string][]) {
				scores[key] = readScore(row, column, ifnFile);
			}
			return scores;
		}
	});
	const ifnUnresolved: string[] = [];
	const ifnFromParts: string[] = [];
	const ifnIgnored: string[] = [];
	const ifn = new Map<string, IfnScores | null>();
	for (const code of codes) {
		const attached = ifnRows.get(code) ?? [];
		const scores = resolveIfnScores(attached, cog);
		const ownScored = attached.some((a) => a.via === 'commune' && hasAnyScore(a.value));
		if (scores === 'unresolved') ifnUnresolved.push(code);
		else if (scores !== null && !ownScored) ifnFromParts.push(code);
		if (ownScored) {
			for (const a of attached) if (a.via !== 'commune') ifnIgnored.push(`${a.sourceCode}→${code}`);
		}
		ifn.set(code, scores === 'unresolved' ? null : scores);
	}
	addUnmatched(
		report,
		ifnFile,
		'anciens codes ignorés : la commune de 2026 a sa propre ligne (un score ne s’additionne pas)',
		ifnIgnored
	);
	addUnmatched(
		report,
		ifnFile,
		'communes sans ligne propre, scores repris de leur ancien code ou de leurs arrondissements (moyenne pondérée par la population)',
		ifnFromParts
	);
	addUnmatched(
		report,
		ifnFile,
		'plusieurs anciennes communes sans population connue, scores laissés vides',
		ifnUnresolved
	);
	cover('IFN', (c) => ifn.get(c)?.ifnTotal != null);
	reportMissing(ifnFile, (c) => ifn.get(c) != null);
	return ifn;
}

/** Filosofi 2021 median income and poverty rate. */
export function joinFilosofi(run: JoinRun) {
	const { sourcesDir, cog, report, cover } = run;
	const filosofiFile = SOURCE_FILES.filosofi;
	const filosofiRows = attachRows(sourcesDir, cog, report, {
		file: filosofiFile,
		codeColumn: 'code_insee',
		columns: ['revenu_median_uc_euros', 'taux_pauvrete_60_pct'],
		unknownCodes: 'strict',
		read: (row) => ({
			median: readOptionalNumber(row, 'revenu_median_uc_euros', filosofiFile),
			poverty: readOptionalPercent(row, 'taux_pauvrete_60_pct', filosofiFile)
		})
	});
	const filosofi = pickSingleByCommune(run, filosofiFile, filosofiRows);
	cover('Filosofi revenu médian', (c) => filosofi.get(c)?.median != null);
	cover('Filosofi taux de pauvreté', (c) => filosofi.get(c)?.poverty != null);
	return filosofi;
}

/** Mediation offer counts of each commune (a commune without a row has no offer: 0). */
export function joinOffre(run: JoinRun): Map<string, OffreCounts> {
	const { sourcesDir, cog, report, codes, cover } = run;
	const offreFile = SOURCE_FILES.offreMediation;
	const offreRows = attachRows(sourcesDir, cog, report, {
		file: offreFile,
		codeColumn: 'code_insee',
		columns: Object.values(OFFRE_COLUMNS),
		unknownCodes: 'strict',
		read: (row) => {
			const counts = {} as OffreCounts;
			for (const [key, column] of Object.entries(OFFRE_COLUMNS) as [keyof OffreCounts, string][]) {
				counts[key] = readInteger(row, column, offreFile);
			}
			return counts;
		}
	});
	const offre = new Map<string, OffreCounts>();
	for (const code of codes) {
		const counts = Object.fromEntries(Object.keys(OFFRE_COLUMNS).map((k) => [k, 0])) as OffreCounts;
		for (const part of summableRows(offreRows.get(code))) {
			for (const key of Object.keys(counts) as (keyof OffreCounts)[])
				counts[key] += part.value[key];
		}
		offre.set(code, counts);
	}
	cover('offre de médiation (communes avec au moins une offre)', (c) => offreRows.has(c));
	return offre;
}

/** Nord 60+ share, RP 2021: rows of former communes are aggregated, weighted by population. */
export function joinNord60(run: JoinRun): Map<string, number | null> {
	const { sourcesDir, cog, report, codes, cover } = run;
	const nordFile = SOURCE_FILES.nord60;
	const nordRows = attachRows(sourcesDir, cog, report, {
		file: nordFile,
		codeColumn: 'code_commune_cog2026',
		uniqueColumn: 'code_insee_rp2021',
		columns: ['code_insee_rp2021', 'population_rp2021', 'part_60_ans_et_plus_pct'],
		unknownCodes: 'strict',
		read: (row) => ({
			population: readInteger(row, 'population_rp2021', nordFile),
			share: readOptionalPercent(row, 'part_60_ans_et_plus_pct', nordFile)
		})
	});
	const nord60 = new Map<string, number | null>();
	const nordMerged: string[] = [];
	for (const code of codes) {
		const parts = summableRows(nordRows.get(code)).filter((p) => p.value.share !== null);
		if (parts.length > 1) nordMerged.push(code);
		const population = parts.reduce((s, p) => s + p.value.population, 0);
		const seniors = parts.reduce(
			(s, p) => s + ((p.value.share as number) * p.value.population) / 100,
			0
		);
		nord60.set(code, population > 0 ? (100 * seniors) / population : null);
	}
	addUnmatched(
		report,
		nordFile,
		'communes fusionnées, part recalculée (pondérée par la population)',
		nordMerged
	);
	cover('Nord 60 ans et plus (RP 2021)', (c) => nord60.get(c) != null);
	return nord60;
}

/**
 * Optional INSEE age structure (counts, so parts add up): `age` given by the caller, or INSEE's
 * file read from the sources (`null` = no such file).
 */
export function joinAge(
	run: JoinRun,
	ageOption: Map<string, AgeStructure> | null | undefined
): Map<string, AgeStructure> {
	const { sourcesDir, cog, report, cover } = run;
	const ageFile = ageOption === undefined ? findAgeStructureFile(sourcesDir) : null;
	const ageByCode = ageOption === undefined ? readAgeStructure(sourcesDir) : ageOption;
	const age = joinAgeStructure(ageByCode, ageFile ?? 'base-cc-evol-struct-pop', cog, report);
	cover('structure par âge INSEE', (c) => age.get(c) != null);
	return age;
}

function hasAnyScore(scores: IfnScores): boolean {
	return Object.values(scores).some((v) => v !== null);
}

/**
 * The IFN scores of a COG 2026 commune. Scores cannot be summed: the commune's own row wins when it
 * has any score; else its single former commune's row; else, for Paris, Lyon and Marseille (whose
 * IFN rows are by arrondissement), the population-weighted mean of the arrondissements, the same
 * weighting the dashboard uses for a score above the commune level. Several former communes of
 * unknown population: 'unresolved'.
 */
function resolveIfnScores(
	attached: Attached<IfnScores>[] | undefined,
	cog: CogReference
): IfnScores | null | 'unresolved' {
	if (!attached) return null;
	const own = attached.find((a) => a.via === 'commune');
	if (own && hasAnyScore(own.value)) return own.value;
	const parts = attached.filter((a) => a.via !== 'commune' && hasAnyScore(a.value));
	if (parts.length === 0) return own ? own.value : null;
	if (parts.length === 1) return parts[0].value;
	const weights = parts.map((p) =>
		p.via === 'arrondissement' ? (cog.arrondissements.get(p.sourceCode)?.population ?? null) : null
	);
	if (weights.some((w) => w === null)) return 'unresolved';
	const scores = {} as IfnScores;
	for (const key of Object.keys(IFN_COLUMNS) as (keyof IfnScores)[]) {
		let num = 0;
		let den = 0;
		parts.forEach((p, i) => {
			const v = p.value[key];
			if (v === null) return;
			num += v * (weights[i] as number);
			den += weights[i] as number;
		});
		scores[key] = den > 0 ? num / den : null;
	}
	return scores;
}

/**
 * Join INSEE's age bands (keyed by the file's codes) to COG 2026 communes: former communes are
 * summed into their 2026 commune; arrondissements only when the commune has no row of its own.
 */
function joinAgeStructure(
	byCode: Map<string, AgeStructure> | null,
	file: string,
	cog: CogReference,
	report: TableReport
): Map<string, AgeStructure> {
	const joined = new Map<string, AgeStructure>();
	if (byCode === null) return joined;
	report.rows[file] = byCode.size;
	const parts = new Map<string, Attached<AgeStructure>[]>();
	const outOfScope: string[] = [];
	const unknown: string[] = [];
	const converted: string[] = [];
	for (const [code, value] of byCode) {
		const match = matchCommuneCode(cog, code);
		if (match.kind === 'com') outOfScope.push(code);
		else if (match.kind === 'unknown' || match.kind === 'ambiguous') unknown.push(code);
		else {
			if (match.kind === 'former') converted.push(`${code}→${match.code}`);
			const list = parts.get(match.code) ?? [];
			list.push({ sourceCode: code, via: match.kind, line: 0, value });
			parts.set(match.code, list);
		}
	}
	addUnmatched(report, file, 'collectivités d’outre-mer, hors champ', outOfScope);
	addUnmatched(report, file, 'anciens codes convertis au COG 2026', converted);
	addUnmatched(report, file, 'codes inconnus du COG 2026, ignorés', unknown);
	const ignoredParts: string[] = [];
	for (const [commune, attached] of parts) {
		if (!attached.some((a) => a.via === 'commune')) continue;
		for (const a of attached)
			if (a.via === 'arrondissement') ignoredParts.push(`${a.sourceCode}→${commune}`);
	}
	addUnmatched(
		report,
		file,
		'arrondissements municipaux non ajoutés : la commune a sa propre ligne',
		ignoredParts
	);
	for (const [code, attached] of parts) {
		const rows = summableRows(attached).map((a) => a.value);
		joined.set(code, {
			year: rows[0].year,
			pop15to44: Math.round(rows.reduce((s, r) => s + r.pop15to44, 0)),
			pop45to59: Math.round(rows.reduce((s, r) => s + r.pop45to59, 0)),
			pop60to74: Math.round(rows.reduce((s, r) => s + r.pop60to74, 0)),
			pop75plus: Math.round(rows.reduce((s, r) => s + r.pop75plus, 0))
		});
	}
	return joined;
}
