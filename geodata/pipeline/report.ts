/**
 * `npm run geodata:report`: prints the estimate of people "éloignés du numérique" for France and
 * the 18 régions (with bands), the calibration checks, and the Spearman correlation of the estimated
 * share with the IFN total score, by commune and by EPCI.
 *
 * Reads the committed artifacts (`static/data/`, or `ATLAS_DATA_DIR`) and the IFN EPCI file from the
 * sources folder (`geodata/sources/`, or `GEODATA_SOURCES`). Exits with status 1 when a calibration
 * check fails (national share outside 15–17 %, Hauts-de-France outside ±10 % of 800,000).
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeCommuneTable } from '../../src/lib/territory/commune-table';
import { ARTIFACTS, type TerritoryIndex } from '../../src/lib/territory/artifacts';
import type { CommuneRecord } from '../../src/lib/territory/commune';
import { parseCsv, readOptionalNumber } from '../../src/lib/geodata/csv';
import { SourceDataError } from '../../src/lib/geodata/source-error';
import { formatDecimal, formatInteger, formatPercent } from '../../src/lib/format/number';
import {
	estimateRemotePopulation,
	type RemoteEstimateSet
} from '../../src/lib/indicators/remote-population';
import {
	aggregateRemoteEstimates,
	estimateFranceTotal,
	estimateTotalWhere,
	type TerritoryEstimate
} from '../../src/lib/indicators/estimates';
import {
	FRANCE_SHARE_2019,
	FRANCE_SHARE_2021,
	HDF_REGION,
	MODEL_VERSION,
	RP2021_FRANCE_15_PLUS,
	SHARE_60_IN_15_PLUS_2021,
	TARGET_HDF_PERSONS,
	TARGET_MAINLAND_SHARE_2019
} from '../../src/lib/indicators/remote-population-constants';
import { spearmanCorrelation } from '../../src/lib/stats/rank-correlation';
import { readSourceText, resolveSourcesDir, UsageError } from './sources-dir';

/** The IFN file by EPCI, relative to the sources folder. */
export const IFN_EPCI_FILE = 'fragility/ifn-epci-2023.csv';

/** Largest accepted gap between the Hauts-de-France estimate and INSEE's 800,000 (share). */
export const HDF_TOLERANCE = 0.1;

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
	const hdf = regions.find((r) => r.code === HDF_REGION);
	const share = france.part ?? 0;
	const checks = [
		{
			label: `part nationale dans la fourchette INSEE ${formatPercent(FRANCE_SHARE_2021 * 100)} – ${formatPercent(FRANCE_SHARE_2019 * 100)} (15–17 %)`,
			ok: share >= 15 && share <= 17
		},
		{
			label: `Hauts-de-France à ±${HDF_TOLERANCE * 100} % de ${formatInteger(TARGET_HDF_PERSONS)}`,
			ok: hdf !== undefined && Math.abs(hdf.eloignes / TARGET_HDF_PERSONS - 1) <= HDF_TOLERANCE
		},
		{ label: 'cible Hauts-de-France atteinte par le calage', ok: set.model.calibration.hdfReached }
	];
	return {
		set,
		france,
		mainland,
		regions,
		communeCorrelation,
		epciCorrelation,
		checks
	};
}

const pad = (text: string, width: number) => text.padEnd(width);
const padLeft = (text: string, width: number) => text.padStart(width);

function line(t: TerritoryEstimate, nameWidth: number): string {
	return [
		pad(t.code, 4),
		pad(t.nom, nameWidth),
		padLeft(formatInteger(t.pop15), 12),
		padLeft(formatInteger(t.eloignes), 11),
		padLeft(`[${formatInteger(t.bas)} – ${formatInteger(t.haut)}]`, 27),
		padLeft(formatPercent(t.part), 8),
		padLeft(
			`[${formatDecimal((100 * t.bas) / t.pop15)} – ${formatDecimal((100 * t.haut) / t.pop15)}]`,
			14
		)
	].join('  ');
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
	out.push('Calage (sur deux chiffres INSEE seulement)');
	out.push(
		`  facteur d’échelle k              ${formatDecimal(m.scale, 4)}  (cible : métropole à ${formatPercent(TARGET_MAINLAND_SHARE_2019 * 100)} → ${formatPercent(c.mainlandShare * 100, 2)})`
	);
	out.push(
		`  ajustement social γ              ${formatDecimal(m.gamma, 4)} par point d’indice  (cible : Hauts-de-France ${formatInteger(TARGET_HDF_PERSONS)} → ${formatInteger(c.hdfPersons)})`
	);
	out.push(
		`  ajustements territoriaux         grandes villes ×${formatDecimal(m.territoryFactors['grandes-aires'], 3)}, petits pôles ×${formatDecimal(m.territoryFactors['petits-poles'], 3)}, hors attraction ×${formatDecimal(m.territoryFactors['hors-attraction'], 3)}`
	);
	out.push(
		`  taux par âge seuls (k = 1)       métropole à ${formatPercent(c.ageOnlyMainlandShare * 100, 2)}`
	);
	out.push(
		`  âge : score IFN → % de 60 ans+   ${formatDecimal(m.fits.age.intercept, 2)} + ${formatDecimal(m.fits.age.slope, 3)} × score, écart-type résiduel ${formatDecimal(m.fits.age.residualSd, 2)} pt, R² ${formatDecimal(m.fits.age.rSquared, 2)} (${m.fits.age.n} communes du Nord)`
	);
	out.push(
		`  pauvreté : score IFN → taux      ${formatDecimal(m.fits.poverty.intercept, 2)} + ${formatDecimal(m.fits.poverty.slope, 3)} × score, écart-type résiduel ${formatDecimal(m.fits.poverty.residualSd, 2)} pt, R² ${formatDecimal(m.fits.poverty.rSquared, 2)} (${m.fits.poverty.n} communes)`
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
