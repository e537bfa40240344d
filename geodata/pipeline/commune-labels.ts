/**
 * Join steps of the commune table for what classifies a commune: EPCI, centre and surface, INSEE
 * density grid, ANCT typologies (ruralités, centralités, montagne), FRR and ZRR.
 */
import type { DensityLevel, FrrCode, ZrrStatus } from '../../src/lib/territory/commune';
import { DENSITY_LABELS } from '../../src/lib/territory/commune';
import { readNumber, readOptionalNumber, type CsvRow } from '../lib/csv';
import { SourceDataError } from '../lib/source-error';
import { checkPosition, describePositionProblem } from '../lib/coordinates';
import type { CogReference } from './cog-reference';
import {
	addUnmatched,
	attachRows,
	pickSingleByCommune,
	summableRows,
	type JoinRun,
	type TableReport
} from './commune-join';
import { readSourceJson, SOURCE_FILES } from './sources-dir';

const DENSITY_BY_LABEL = new Map<string, DensityLevel>(
	(Object.entries(DENSITY_LABELS) as [string, string][]).map(([level, label]) => [
		label.toLowerCase(),
		Number(level) as DensityLevel
	])
);

/**
 * INSEE density level from its label (or its digit 1–7, as in INSEE's own files).
 * @throws SourceDataError on any other label.
 */
function readDensity(row: CsvRow, column: string, file: string): DensityLevel {
	const raw = (row.values[column] ?? '').trim();
	const level = /^[1-7]$/.test(raw)
		? (Number(raw) as DensityLevel)
		: DENSITY_BY_LABEL.get(raw.toLowerCase());
	if (level === undefined) {
		throw new SourceDataError(
			`niveau de densité inconnu « ${raw} » (attendu : un des 7 niveaux de la grille INSEE, « ${DENSITY_LABELS[1]} » … « ${DENSITY_LABELS[7]} »)`,
			{ file, line: row.line, field: column }
		);
	}
	return level;
}

/**
 * ANCT typology label, or null for the cells that say the commune is not classified: "Hors champ :
 * DOM ou commune urbaine", "Commune dont le périmètre a changé depuis la réalisation de la
 * typologie" (ruralités), "- undefined" (centralités), empty.
 */
function readTypologyLabel(row: CsvRow, column: string): string | null {
	const label = (row.values[column] ?? '').trim();
	if (label === '' || label === '- undefined' || /^hors champ/i.test(label)) return null;
	if (/^commune dont le périmètre a changé/i.test(label)) return null;
	return label;
}

const FRR_CODES: readonly FrrCode[] = [0, 1, 2, 3, 4, 5];
const ZRR_STATUSES: readonly ZrrStatus[] = ['C', 'NC', 'PC'];
/** Most favourable first: a commune nouvelle keeps the best status of its former communes. */
const ZRR_PREFERENCE: Record<ZrrStatus, number> = { C: 0, PC: 1, NC: 2 };

/** EPCI (SIREN) of each commune (DGCL 2026), and the communes without one reported. */
export function joinEpci(run: JoinRun): Map<string, string> {
	const { sourcesDir, cog, report, codes, cover } = run;
	const epciOf = readEpciMembership(sourcesDir, cog, report);
	cover('EPCI', (c) => epciOf.has(c));
	addUnmatched(
		report,
		SOURCE_FILES.cogEpci,
		'communes sans EPCI (îles mono-communales)',
		codes.filter((c) => !epciOf.has(c))
	);
	return epciOf;
}

/** Centre and surface of each commune (geo.api.gouv.fr). */
export function joinCentres(run: JoinRun) {
	const { sourcesDir, cog, report, cover, reportMissing } = run;
	const centresFile = SOURCE_FILES.centres;
	const centres = attachRows(sourcesDir, cog, report, {
		file: centresFile,
		codeColumn: 'code_insee',
		columns: ['lat', 'lon', 'surface_km2'],
		unknownCodes: 'strict',
		read: (row) => {
			const lat = readOptionalNumber(row, 'lat', centresFile);
			const lon = readOptionalNumber(row, 'lon', centresFile);
			if (lat !== null && lon !== null) {
				const problem = checkPosition([lon, lat]);
				if (problem) {
					throw new SourceDataError(describePositionProblem(problem, [lon, lat]), {
						file: centresFile,
						line: row.line,
						field: 'lon'
					});
				}
			}
			const surface = readOptionalNumber(row, 'surface_km2', centresFile);
			return { lat, lon, surface };
		}
	});
	const centreOf = pickSingleByCommune(run, centresFile, centres);
	cover('centres et surfaces', (c) => centreOf.get(c)?.lat != null);
	reportMissing(centresFile, (c) => centres.has(c));
	return centreOf;
}

/** INSEE density grid, ANCT ruralités, centralités and montagne, and FRR of each commune. */
export function joinLabels(run: JoinRun) {
	const { sourcesDir, cog, report, cover, reportMissing } = run;
	const labelSource = <T>(
		file: string,
		column: string,
		read: (row: CsvRow) => T,
		expectsAll: boolean,
		codeColumn = 'insee_com'
	) => {
		const attached = attachRows(sourcesDir, cog, report, {
			file,
			codeColumn,
			columns: [column],
			unknownCodes: 'strict',
			read
		});
		const values = pickSingleByCommune(run, file, attached);
		if (expectsAll) reportMissing(file, (c) => attached.has(c));
		return values;
	};
	const densite = labelSource(
		SOURCE_FILES.densite,
		'niveau_densite',
		(row) => readDensity(row, 'niveau_densite', SOURCE_FILES.densite),
		true
	);
	cover('densité', (c) => densite.get(c) != null);
	const ruralite = labelSource(
		SOURCE_FILES.ruralite,
		'niveau_ruralite',
		(row) => readTypologyLabel(row, 'niveau_ruralite'),
		true
	);
	cover('ruralité (classée)', (c) => ruralite.get(c) != null);
	const centralite = labelSource(
		SOURCE_FILES.centralite,
		'niveau_centralite',
		(row) => readTypologyLabel(row, 'niveau_centralite'),
		true
	);
	cover('centralité (classée)', (c) => centralite.get(c) != null);
	// The ANCT export prefixes the massif with its number ("02 - Massif du Jura"): keep the name only.
	const montagne = labelSource(
		SOURCE_FILES.montagne,
		'niveau_montagne',
		(row) => readTypologyLabel(row, 'niveau_montagne')?.replace(/^\d+\s*-\s*/, '') ?? null,
		false
	);
	cover('montagne (communes en zone de montagne)', (c) => montagne.get(c) != null);
	const frr = labelSource(
		SOURCE_FILES.frr,
		'frr_code',
		(row) => {
			const code = readNumber(row, 'frr_code', SOURCE_FILES.frr);
			if (!FRR_CODES.includes(code as FrrCode)) {
				throw new SourceDataError(`code FRR inconnu « ${row.values.frr_code} » (attendu : 0 à 5)`, {
					file: SOURCE_FILES.frr,
					line: row.line,
					field: 'frr_code'
				});
			}
			return code as FrrCode;
		},
		true,
		'code_insee'
	);
	cover('FRR', (c) => frr.get(c) != null);
	return { densite, ruralite, centralite, montagne, frr };
}

/** ZRR 2021 status, by the COG 2026 column; merged communes keep their most favourable status. */
export function joinZrr(run: JoinRun): Map<string, ZrrStatus | null> {
	const { sourcesDir, cog, report, codes, cover, reportMissing } = run;
	const zrrFile = SOURCE_FILES.zrr;
	const zrrRows = attachRows(sourcesDir, cog, report, {
		file: zrrFile,
		codeColumn: 'code_commune_cog2026',
		uniqueColumn: 'code_insee_source',
		columns: ['code_insee_source', 'statut_zrr'],
		unknownCodes: 'strict',
		read: (row) => {
			const status = row.values.statut_zrr.trim() as ZrrStatus;
			if (!ZRR_STATUSES.includes(status)) {
				throw new SourceDataError(
					`statut ZRR inconnu « ${row.values.statut_zrr} » (attendu : C, NC ou PC)`,
					{
						file: zrrFile,
						line: row.line,
						field: 'statut_zrr'
					}
				);
			}
			return status;
		}
	});
	const zrrMixed: string[] = [];
	const zrr = new Map<string, ZrrStatus | null>();
	for (const code of codes) {
		const statuses = summableRows(zrrRows.get(code)).map((a) => a.value);
		if (statuses.length === 0) {
			zrr.set(code, null);
			continue;
		}
		if (new Set(statuses).size > 1) zrrMixed.push(code);
		zrr.set(code, statuses.sort((a, b) => ZRR_PREFERENCE[a] - ZRR_PREFERENCE[b])[0]);
	}
	addUnmatched(
		report,
		zrrFile,
		'communes fusionnées aux statuts différents (gardé : le plus favorable, C > PC > NC)',
		zrrMixed
	);
	cover('ZRR', (c) => zrr.get(c) != null);
	reportMissing(zrrFile, (c) => zrrRows.has(c));
	return zrr;
}

/**
 * EPCI (SIREN) of each commune from the DGCL 2026 list (`epci.json`, `membres`).
 * @throws SourceDataError when a member is not a COG 2026 commune or belongs to two EPCI.
 */
function readEpciMembership(
	sourcesDir: string,
	cog: CogReference,
	report: TableReport
): Map<string, string> {
	const file = SOURCE_FILES.cogEpci;
	const list = readSourceJson(sourcesDir, file);
	if (!Array.isArray(list))
		throw new SourceDataError('un tableau JSON d’EPCI est attendu', { file });
	report.rows[file] = list.length;
	const epciOf = new Map<string, string>();
	list.forEach((raw: { code?: unknown; membres?: unknown }, index: number) => {
		const siren = raw?.code;
		if (typeof siren !== 'string' || !/^\d{9}$/.test(siren)) {
			throw new SourceDataError(`SIREN d’EPCI invalide « ${String(siren)} »`, {
				file,
				feature: index,
				field: 'code'
			});
		}
		if (!Array.isArray(raw.membres)) {
			throw new SourceDataError('liste « membres » absente', {
				file,
				feature: index,
				field: 'membres'
			});
		}
		for (const member of raw.membres as { code?: unknown }[]) {
			const code = member?.code;
			if (typeof code !== 'string' || !cog.communes.has(code)) {
				throw new SourceDataError(`commune membre « ${String(code)} » inconnue du COG 2026`, {
					file,
					feature: index,
					field: 'membres'
				});
			}
			const other = epciOf.get(code);
			if (other !== undefined) {
				throw new SourceDataError(
					`commune « ${code} » membre de deux EPCI (${other} et ${siren})`,
					{
						file,
						feature: index,
						field: 'membres'
					}
				);
			}
			epciOf.set(code, siren);
		}
	});
	return epciOf;
}
