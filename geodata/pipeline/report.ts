/**
 * `npm run geodata:report`: prints the estimate of people "éloignés du numérique" for France and
 * the 18 régions (with bands), the validation against every published figure (with the
 * leave-one-région-out cross-validation), the calibration, and the Spearman correlation of the
 * estimated share with the IFN total score, by commune and by EPCI.
 *
 * Reads the committed artifacts (`static/data/`, or `ATLAS_DATA_DIR`) and the IFN EPCI file from the
 * sources folder (`geodata/sources/`, or `GEODATA_SOURCES`). Exits with status 1 when a check of
 * the issue fails (see `buildRemoteReport`): the figures are measured here, not in a timed test.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeCommuneTable } from '../../src/lib/territory/commune-table';
import { ARTIFACTS, type TerritoryIndex } from '../../src/lib/territory/artifacts';
import type { CommuneRecord } from '../../src/lib/territory/commune';
import { parseCsv, readOptionalNumber } from '../lib/csv';
import { SourceDataError } from '../lib/source-error';
import { formatDecimal, formatInteger, formatPercent } from '../../src/lib/format/number';
import { estimateRemotePopulation, type RemoteEstimateSet } from '../../src/lib/needs/model';
import {
	aggregateRemoteEstimates,
	estimateFranceTotal,
	estimateTotalWhere,
	type TerritoryEstimate
} from '../../src/lib/needs/aggregate';
import {
	FRANCE_SHARE_2019,
	FRANCE_SHARE_2021,
	MODEL_VERSION,
	RP2021_FRANCE_15_PLUS,
	SHARE_60_IN_15_PLUS_2021,
	TARGET_MAINLAND_SHARE_2019
} from '../../src/lib/needs/constants';
import { validateRemoteModel, type RemoteValidation } from '../../src/lib/needs/validation';
import { spearmanCorrelation } from '../../src/lib/stats/rank-correlation';
import { readSourceText, resolveSourcesDir, UsageError } from './sources-dir';

/** The IFN file by EPCI, relative to the sources folder. */
export const IFN_EPCI_FILE = 'fragility/ifn-epci-2023.csv';

/** The figures issue 10 asks of the model (checked here, in the report). */
export const REPORT_TARGETS = {
	maxLoroMaePts: 1.5,
	minCoverage: 0.8,
	maxRelativeHalfWidth: 0.25,
	minOverseasGapPts: 6,
	mainlandPct: [15, 17] as const
};

const DEFAULT_DATA_DIR = resolve(
	dirname(fileURLToPath(import.meta.url)),
	'..',
	'..',
	'static',
	'data'
);

/** IFN total score by EPCI SIREN, from `ifn-epci-2023.csv`. */
export function parseIfnEpci(text: string, file: string): Map<string, number> {
	const table = parseCsv(text, file, ['code', 'total']);
	const scores = new Map<string, number>();
	for (const row of table.rows) {
		const code = row.values.code.trim();
		// INSEE's "sans objet" code: the communes that belong to no EPCI, not a territory.
		if (code === 'ZZZZZZZZZ') continue;
		if (!/^\d{9}$/.test(code)) {
			throw new SourceDataError(`SIREN d’EPCI invalide « ${code} »`, {
				file,
				line: row.line,
				field: 'code'
			});
		}
		const total = readOptionalNumber(row, 'total', file);
		if (total !== null) scores.set(code, total);
	}
	return scores;
}

/** Spearman's ρ between the estimated share and the IFN total score of the same territories. */
export function correlateWithIfn(
	estimates: readonly TerritoryEstimate[],
	ifnScore: (code: string) => number | null
): { rho: number | null; n: number } {
	return spearmanCorrelation(
		estimates.map((t) => t.part),
		estimates.map((t) => ifnScore(t.code))
	);
}

export interface RemoteReport {
	set: RemoteEstimateSet;
	france: TerritoryEstimate;
	mainland: TerritoryEstimate;
	regions: TerritoryEstimate[];
	communeCorrelation: { rho: number | null; n: number };
	epciCorrelation: { rho: number | null; n: number } | null;
	validation: RemoteValidation;
	checks: { label: string; ok: boolean }[];
}

/**
 * Compute everything the report prints.
 * @param ifnEpci IFN total score by EPCI, or null when the file is absent
 */
export function buildRemoteReport(
	communes: readonly CommuneRecord[],
	territories: TerritoryIndex,
	ifnEpci: Map<string, number> | null
): RemoteReport {
	const set = estimateRemotePopulation(communes);
	const france = estimateFranceTotal(set, communes);
	const regions = aggregateRemoteEstimates(set, communes, 'region', territories);
	const mainland = estimateTotalWhere(set, communes, (c) => c.zone === 'metro', {
		code: 'FM',
		nom: 'France métropolitaine'
	});
	const byCode = new Map(communes.map((c) => [c.code, c]));
	const communeRows = aggregateRemoteEstimates(set, communes, 'commune', territories);
	const communeCorrelation = correlateWithIfn(
		communeRows,
		(code) => byCode.get(code)?.ifnTotal ?? null
	);
	const epciCorrelation = ifnEpci
		? correlateWithIfn(
				aggregateRemoteEstimates(set, communes, 'epci', territories),
				(code) => ifnEpci.get(code) ?? null
			)
		: null;
	const validation = validateRemoteModel(set, communes, territories);
	const cv = validation.crossValidation;
	const t = REPORT_TARGETS;
	const mainlandShare = mainland.part ?? NaN;
	const checks = [
		{
			label: `part métropolitaine entre ${t.mainlandPct[0]} et ${t.mainlandPct[1]} % des 15 ans et plus (${formatPercent(mainlandShare, 2)})`,
			ok: mainlandShare >= t.mainlandPct[0] && mainlandShare <= t.mainlandPct[1]
		},
		{
			label: `régions publiées égales aux chiffres INSEE à l’arrondi près (${validation.rows.filter((r) => r.kind === 'reference-2019' && r.withinRounding).length}/${validation.rows.filter((r) => r.kind === 'reference-2019').length})`,
			ok: validation.rows.filter((r) => r.kind === 'reference-2019').every((r) => r.withinRounding)
		},
		{
			label: `validation croisée (une région publiée laissée de côté) : erreur absolue moyenne ≤ ${formatDecimal(t.maxLoroMaePts)} point (${formatDecimal(cv.maePts, 2)})`,
			ok: cv.maePts <= t.maxLoroMaePts
		},
		{
			label: `validation croisée : couverture de la fourchette à ${formatPercent(cv.nominal * 100, 0)} ≥ ${formatPercent(t.minCoverage * 100, 0)} (${formatPercent(cv.coverage * 100, 0)})`,
			ok: cv.coverage >= t.minCoverage
		},
		{
			label: `validation croisée : demi-largeur moyenne de la fourchette ≤ ± ${formatPercent(t.maxRelativeHalfWidth * 100, 0)} de l’estimation (± ${formatPercent(cv.meanRelativeHalfWidth * 100)})`,
			ok: cv.meanRelativeHalfWidth <= t.maxRelativeHalfWidth
		},
		{
			label: `Antilles et La Réunion au moins ${t.minOverseasGapPts} points au-dessus de la métropole (+${formatDecimal(validation.overseasGapPts)} points)`,
			ok: validation.overseasGapPts >= t.minOverseasGapPts
		},
		{
			label: `Mayotte non estimée (${validation.nonEstimated.join(', ')})`,
			ok: regions.find((r) => r.code === '06')?.fiabilite === 'non_estime'
		}
	];
	return {
		set,
		france,
		mainland,
		regions,
		communeCorrelation,
		epciCorrelation,
		validation,
		checks
	};
}

const pad = (text: string, width: number) => text.padEnd(width);
const padLeft = (text: string, width: number) => text.padStart(width);

function line(t: TerritoryEstimate, nameWidth: number): string {
	const pctOf = (v: number | null) => (v === null ? '–' : formatDecimal((100 * v) / t.pop15));
	return [
		pad(t.code, 4),
		pad(t.nom, nameWidth),
		padLeft(formatInteger(t.pop15), 12),
		padLeft(t.eloignes === null ? 'non estimé' : formatInteger(t.eloignes), 11),
		padLeft(t.eloignes === null ? '' : `[${formatInteger(t.bas)} – ${formatInteger(t.haut)}]`, 27),
		padLeft(formatPercent(t.part), 8),
		padLeft(t.eloignes === null ? '' : `[${pctOf(t.bas)} – ${pctOf(t.haut)}]`, 14),
		t.fiabilite === 'estime' ? '' : t.fiabilite
	].join('  ');
}

const KIND_LABELS: Record<RemoteValidation['rows'][number]['kind'], string> = {
	'reference-2019': 'INSEE 2019',
	'outre-mer-2017': 'enquête DOM 2017',
	extrapole: 'extrapolé',
	'non-estime': 'non estimé'
};

/** The validation table: every published figure, the model and its band, the cross-validation. */
export function formatValidation(v: RemoteValidation): string[] {
	const out: string[] = [];
	const p = (x: number | null) => (x === null ? '–' : formatDecimal(x, 1));
	out.push('Validation : chaque chiffre publié, le modèle et sa fourchette à 90 %');
	const header = [
		pad('code', 4),
		pad('région', 20),
		pad('nature', 16),
		pad('publié', 44),
		padLeft('modèle %', 9),
		padLeft('fourchette %', 14),
		padLeft('à l’arrondi', 11),
		padLeft('valid. croisée %', 17),
		padLeft('fourchette %', 14),
		padLeft('écart', 7),
		padLeft('couvert', 8)
	].join('  ');
	out.push(header);
	out.push('-'.repeat(header.length));
	for (const r of v.rows) {
		const l = r.leaveOneOut;
		out.push(
			[
				pad(r.reg, 4),
				pad(r.nom, 20),
				pad(KIND_LABELS[r.kind], 16),
				pad(`${r.publishedLabel}${r.publishedPct !== null ? ` → ${p(r.publishedPct)} %` : ''}`, 44),
				padLeft(r.modelPct === null ? 'non estimé' : p(r.modelPct), 9),
				padLeft(r.modelPct === null ? '' : `[${p(r.modelBasPct)} – ${p(r.modelHautPct)}]`, 14),
				padLeft(r.withinRounding === null ? '' : r.withinRounding ? 'oui' : 'NON', 11),
				padLeft(l ? p(l.partPct) : '', 17),
				padLeft(l ? `[${p(l.basPct)} – ${p(l.hautPct)}]` : '', 14),
				padLeft(
					l ? `${l.errorPts >= 0 ? '+' : '−'}${formatDecimal(Math.abs(l.errorPts), 1)}` : '',
					7
				),
				padLeft(l ? (l.covered ? 'oui' : 'non') : '', 8)
			].join('  ')
		);
	}
	const cv = v.crossValidation;
	out.push('');
	out.push(
		`Validation croisée en laissant de côté une région publiée (${cv.regions} régions) : erreur absolue moyenne ${formatDecimal(cv.maePts, 2)} point ; couverture ${formatPercent(cv.coverage * 100, 0)} pour une fourchette nominale à ${formatPercent(cv.nominal * 100, 0)} ; demi-largeur moyenne ± ${formatPercent(cv.meanRelativeHalfWidth * 100)} de l’estimation`
	);
	if (cv.worst) {
		out.push(
			`  sans ${cv.worst.nom} (écart ${cv.worst.errorPts < 0 ? '−' : '+'}${formatDecimal(Math.abs(cv.worst.errorPts), 1)} points, qu’aucun facteur du modèle n’explique) : erreur absolue moyenne ${formatDecimal(cv.maeWithoutWorstPts, 2)} point`
		);
	}
	out.push(`Extrapolé : ${v.extrapolated.join(', ')} ; non estimé : ${v.nonEstimated.join(', ')}`);
	return out;
}

/** The report as text (French). */
export function formatRemoteReport(r: RemoteReport): string {
	const m = r.set.model;
	const c = m.calibration;
	const out: string[] = [];
	out.push(
		`Personnes éloignées du numérique (illectronisme, 15 ans et plus) — modèle ${MODEL_VERSION}`
	);
	out.push('');
	out.push('Calage');
	out.push(
		`  facteur d’échelle k              ${formatDecimal(m.scale, 4)}  (cible : métropole à ${formatPercent(TARGET_MAINLAND_SHARE_2019 * 100)} avant effets régionaux ; après : ${formatPercent(c.mainlandShare * 100, 2)})`
	);
	out.push(
		`  ajustement social γ              ${formatDecimal(m.gamma, 4)} par écart-type d’indice social (moindres écarts absolus sur les régions publiées)`
	);
	out.push(
		`  pente territoriale θ             ${formatDecimal(m.theta, 4)} (rapport rural très dispersé / grands centres urbains = 22 / 13, INSEE 2019)`
	);
	out.push(
		`  effets régionaux                 τ = ${formatDecimal(Math.sqrt(m.pooling.tau2), 3)} (Fay–Herriot) ; moyenne des régions publiées ${formatDecimal(m.pooling.mean, 3)}, réduite de ${formatPercent((1 - m.pooling.shrinkage) * 100, 0)} vers zéro → ${formatDecimal(m.pooling.pooled, 3)} pour les régions sans chiffre`
	);
	out.push(
		`  taux par âge seuls (k = 1)       métropole à ${formatPercent(c.ageOnlyMainlandShare * 100, 2)}`
	);
	out.push('');
	out.push('Contrôles (non utilisés pour le calage)');
	out.push(
		`  15 ans et plus estimés           ${formatInteger(c.pop15)} (INSEE RP2021, France entière : ${formatInteger(RP2021_FRANCE_15_PLUS)})`
	);
	out.push(
		`  part des 60 ans+ parmi les 15+   ${formatPercent(c.share60In15Plus * 100)} (INSEE RP2021 : ≈ ${formatPercent(SHARE_60_IN_15_PLUS_2021 * 100)})`
	);
	out.push(
		`  France (101 départements)        ${formatPercent(c.franceShare * 100, 2)} (INSEE : ${formatPercent(FRANCE_SHARE_2019 * 100, 0)} en 2019, ${formatPercent(FRANCE_SHARE_2021 * 100)} en 2021)`
	);
	out.push('');
	const nameWidth = Math.max(...r.regions.map((t) => t.nom.length), 6);
	const header = [
		pad('code', 4),
		pad('nom', nameWidth),
		padLeft('15 ans et +', 12),
		padLeft('éloignés', 11),
		padLeft('fourchette', 27),
		padLeft('part', 8),
		padLeft('part (fourch.)', 14)
	].join('  ');
	out.push(header);
	out.push('-'.repeat(header.length));
	out.push(line(r.france, nameWidth));
	out.push(line(r.mainland, nameWidth));
	out.push('-'.repeat(header.length));
	for (const t of r.regions) out.push(line(t, nameWidth));
	out.push('');
	out.push(...formatValidation(r.validation));
	out.push('');
	out.push('Corrélation de Spearman entre la part estimée et le score IFN total');
	const rho = (x: { rho: number | null; n: number } | null) =>
		x === null
			? 'non calculée (fichier absent)'
			: `ρ = ${x.rho === null ? '–' : formatDecimal(x.rho, 3)} (${formatInteger(x.n)} territoires)`;
	out.push(`  par commune  ${rho(r.communeCorrelation)}`);
	out.push(`  par EPCI     ${rho(r.epciCorrelation)}`);
	out.push('');
	for (const check of r.checks) out.push(`${check.ok ? 'OK  ' : 'ÉCHEC'} ${check.label}`);
	return out.join('\n');
}

function main(): number {
	const dataDir = process.env.ATLAS_DATA_DIR ?? DEFAULT_DATA_DIR;
	const readArtifact = (file: string) =>
		JSON.parse(readFileSync(join(dataDir, file), 'utf8')) as unknown;
	const communes = decodeCommuneTable(readArtifact(ARTIFACTS.communes));
	const territories = readArtifact(ARTIFACTS.territories) as TerritoryIndex;
	const sourcesDir = resolveSourcesDir();
	let ifnEpci: Map<string, number> | null = null;
	try {
		ifnEpci = parseIfnEpci(readSourceText(sourcesDir, IFN_EPCI_FILE), IFN_EPCI_FILE);
	} catch (error) {
		if (!(error instanceof SourceDataError)) throw error;
		console.error(`Attention : ${error.message} — corrélation par EPCI non calculée.`);
	}
	const report = buildRemoteReport(communes, territories, ifnEpci);
	console.log(formatRemoteReport(report));
	return report.checks.every((c) => c.ok) ? 0 : 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	try {
		process.exitCode = main();
	} catch (error) {
		if (error instanceof UsageError || error instanceof SourceDataError) {
			console.error(error.message);
			process.exitCode = 1;
		} else throw error;
	}
}
