/**
 * Pipeline step, instead of `mediators.ts` when the user gives one: the mediation points of
 * `mediateurs.geojson` from an export of the Cartographie nationale des lieux d'inclusion
 * numérique (https://cartographie.societenumerique.gouv.fr), in the national standard « Lieux de
 * médiation numérique » v1.0.2 (CSV, or GeoJSON points). The export replaces the five dated lists
 * (France services 2024, conseillers numériques 2022–2023, Aidants Connect 2024, Nord–Pas-de-Calais
 * 2023): the Cartographie nationale is where those lists are consolidated today.
 *
 * The file is read and validated by the browser import's own code (`src/lib/places-import`), so a
 * file the dashboard accepts is a file the pipeline accepts, with the same French reasons.
 * The pipeline is only stricter about the whole: too many rejected rows, or none accepted, stop it
 * (`PlacesExportError`), and nothing is written.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Feature, Point } from 'geojson';
import type { DatasetSource, MediatorProperties } from '../../src/lib/territory/artifacts';
import type { CommuneRecord } from '../../src/lib/territory/commune';
import { SourceDataError } from '../lib/source-error';
import {
	readPlacesFile,
	type ImportContext,
	type ImportedPlace,
	type ImportReport,
	type RowIssue
} from '../../src/lib/places-import/import-places';
import { formatInteger, formatPercent } from '../../src/lib/format/number';
import { STANDARD_REQUIRED, STANDARD_VERSION } from '../../src/lib/places-import/lieux-standard';
import { resolveCommuneCode, type CommuneCodeIndex } from '../../src/lib/mediation/commune-codes';
import { CARTOGRAPHIE_SOURCE_ID, formatRecordDate } from '../../src/lib/mediation/mediator-filters';
import type { MediatorsBuild } from './mediators';

/**
 * Folder of the sources where an export is looked for (one `.csv`, `.geojson` or `.json` file).
 * A dedicated folder, so that the NPdC compilation of `mediation/`, an older file of the same
 * standard, is never mistaken for it.
 */
export const PLACES_EXPORT_DIR = 'mediation/cartographie-nationale';

/**
 * Largest share of rejected rows before the export is refused: 1 %. A département holds about
 * 1 % of France's places (101 départements), so above that a whole département's help could drop
 * off the map behind a line of the report. The only real file of the standard in the sources
 * (the 1 742 places of the NPdC compilation, carried to v1.0.2 by
 * `tests/fixtures/places-import/standard-rows.ts`) has no rejected row.
 */
export const MAX_REJECTED_SHARE = 0.01;

/**
 * Largest export read, bytes. The browser stops at 50 Mo (`MAX_IMPORT_BYTES`); the national export
 * (about 18 000 places, PROVENANCE « Refreshing from official sources ») is under that, and a
 * GeoJSON of it repeats every property name: 200 Mo leaves room for both.
 */
export const MAX_EXPORT_BYTES = 200 * 1024 * 1024;

/** INSEE codes of the collectivités d'outre-mer: outside the 101 départements (as `mediators.ts`). */
const COM_PREFIXES = ['975', '977', '978', '984', '986', '987', '988'];

/** How many rejected rows and warnings the printed report lists (all are counted). */
const SHOWN_ISSUES = 20;

/** Id prefix of the points of an export (`cn-<id of the file>`), like `fs-`, `cnfs-`, `ac-`. */
const ID_PREFIX = 'cn-';

/** A whole-file problem of the export: French, naming the file (and the first bad row). */
export class PlacesExportError extends SourceDataError {
	override name = 'PlacesExportError';
}

/** Where the export comes from: its path and the name reports and attributions give it. */
export interface PlacesExportFile {
	path: string;
	/** Relative to the sources folder (`mediation/cartographie-nationale/…`), or the file name. */
	label: string;
}

/**
 * The export to read: `explicit` (a file given as `GEODATA_SOURCES`) if any, else the single file
 * of `PLACES_EXPORT_DIR` in the sources folder, else null (the five dated lists are used).
 * @throws PlacesExportError when that folder holds no candidate or several (never picks one).
 */
export function findPlacesExport(
	sourcesDir: string,
	explicit: string | null = null
): PlacesExportFile | null {
	if (explicit) return { path: explicit, label: basename(explicit) };
	const dir = join(sourcesDir, PLACES_EXPORT_DIR);
	if (!existsSync(dir) || !statSync(dir).isDirectory()) return null;
	const candidates = readdirSync(dir)
		.filter((name) => /\.(csv|geojson|json)$/i.test(name) && !name.startsWith('.'))
		.sort();
	if (candidates.length === 0) {
		throw new PlacesExportError(
			'aucun fichier .csv, .geojson ou .json : déposez-y l’export de la Cartographie nationale, ou supprimez le dossier pour garder les listes datées',
			{ file: PLACES_EXPORT_DIR }
		);
	}
	if (candidates.length > 1) {
		throw new PlacesExportError(
			`plusieurs exports possibles (${candidates.map((c) => `« ${c} »`).join(', ')}) : n’en gardez qu’un`,
			{ file: PLACES_EXPORT_DIR }
		);
	}
	return { path: join(dir, candidates[0]), label: `${PLACES_EXPORT_DIR}/${candidates[0]}` };
}

/** What the step returns: the points, as `buildMediators` does, plus what the report prints. */
export interface PlacesExportBuild extends MediatorsBuild {
	/** The dataset entry of the export (sources.json), with the file and the export date. */
	dataset: DatasetSource;
	/** The validation report of the shared import code. */
	validation: ImportReport;
	file: PlacesExportFile;
}

/**
 * Read, validate and convert a Cartographie nationale export into the points of
 * `mediateurs.geojson` (same properties as the dated lists, `source` = `cartographie-nationale`),
 * sorted by type then id.
 * @param communeByCode COG 2026 communes of the 101 départements (centres for the 20 km check and
 *   for places given by their commune only)
 * @param codes former, délégué and arrondissement codes → COG 2026 commune
 * @throws PlacesExportError (French, naming the file and the first bad row: line, column, reason)
 *   when the file is missing, unreadable, not in the standard, rejects more than
 *   `MAX_REJECTED_SHARE` of its rows, or yields no place.
 */
export function buildMediatorsFromExport(
	file: PlacesExportFile,
	communeByCode: ReadonlyMap<string, CommuneRecord>,
	codes: CommuneCodeIndex
): PlacesExportBuild {
	const where = { file: file.label };
	if (!existsSync(file.path) || !statSync(file.path).isFile()) {
		throw new PlacesExportError('fichier introuvable', where);
	}
	const report = readPlacesFile(
		basename(file.path),
		new Uint8Array(readFileSync(file.path)),
		importContextOf(communeByCode, codes),
		{ maxBytes: MAX_EXPORT_BYTES, maxPlaces: Number.POSITIVE_INFINITY }
	);
	if (report.fileError) throw new PlacesExportError(report.fileError, where);
	if (report.format === 'csv') {
		throw new PlacesExportError(
			`ce n’est pas un export au standard « Lieux de médiation numérique » ${STANDARD_VERSION} : sa première ligne doit nommer les colonnes obligatoires ${STANDARD_REQUIRED.join(', ')}`,
			where
		);
	}
	const considered = report.rowCount - report.skipped.length;
	if (report.rejected.length > MAX_REJECTED_SHARE * considered) {
		const first = report.rejected[0];
		throw new PlacesExportError(
			`${countRows(report.rejected.length, report.unit, 'rejeté')} sur ${formatCount(considered)} (${formatShare(report.rejected.length / considered)}, au plus ${formatShare(MAX_REJECTED_SHARE)} admis) ; première : ${first.value !== null ? `valeur « ${first.value} », ` : ''}${first.reason}`,
			{ ...where, ...issueWhere(first, report) }
		);
	}
	if (report.accepted.length === 0) {
		throw new PlacesExportError(
			`aucun lieu accepté (${countRows(report.rowCount, report.unit, 'lu')})`,
			where
		);
	}

	const rows: Record<string, number> = { [file.label]: report.rowCount };
	const unmatched: Record<string, string[]> = {};
	const recoded: Record<string, number> = {};
	const skipped: Record<string, Record<string, number>> = {};
	const skip = (reason: string) => {
		const reasons = (skipped[file.label] ??= {});
		reasons[reason] = (reasons[reason] ?? 0) + 1;
	};
	for (const issue of report.skipped) skip(issue.reason);
	for (const issue of report.rejected) skip(`rejetée : ${issue.reason}`);
	for (const issue of report.warnings) {
		if (issue.column === 'code_insee' && issue.value && !communeByCode.has(issue.value)) {
			const list = (unmatched[file.label] ??= []);
			if (list.length < SHOWN_ISSUES && !list.includes(issue.value)) list.push(issue.value);
		}
	}

	const features = report.accepted.map((place) => {
		const commune = place.commune
			? resolveCommuneCode(place.commune, (c) => communeByCode.has(c), codes)
			: null;
		if (commune && commune !== place.commune) recoded[file.label] = (recoded[file.label] ?? 0) + 1;
		return toExportFeature(place, commune);
	});
	features.sort(
		(a, b) =>
			compareText(a.properties.type, b.properties.type) ||
			compareText(a.properties.id, b.properties.id)
	);

	return {
		collection: { type: 'FeatureCollection', features },
		rows,
		unmatched,
		dedup: {},
		recoded,
		skipped,
		merges: [],
		dataset: exportDataset(file, report),
		validation: report,
		file
	};
}

/**
 * Commune centres for the shared validation: the COG 2026 communes, and every former, délégué or
 * arrondissement code at its current commune (the export may use either); the collectivités
 * d'outre-mer are left out of scope, as in the dated lists.
 */
function importContextOf(
	communeByCode: ReadonlyMap<string, CommuneRecord>,
	codes: CommuneCodeIndex
): ImportContext {
	const communes = new Map<string, { nom: string; lon: number; lat: number }>();
	for (const c of communeByCode.values()) {
		if (c.lon !== null && c.lat !== null)
			communes.set(c.code, { nom: c.nom, lon: c.lon, lat: c.lat });
	}
	for (const [code, current] of codes.successor) {
		const centre = communes.get(current);
		if (centre && !communes.has(code)) communes.set(code, centre);
	}
	return {
		communes,
		outOfScope: (code) =>
			COM_PREFIXES.some((prefix) => code.startsWith(prefix))
				? 'collectivité d’outre-mer (hors des 101 départements de l’Atlas)'
				: null
	};
}

/** An accepted place as a point of `mediateurs.geojson`. */
function toExportFeature(
	place: ImportedPlace,
	commune: string | null
): Feature<Point, MediatorProperties> {
	// `import-<id of the file>` in the browser; the file's own id is kept after the source prefix.
	const fileId = place.id.replace(/^import-/, '');
	return {
		type: 'Feature',
		geometry: { type: 'Point', coordinates: [place.lon, place.lat] },
		properties: {
			id: `${ID_PREFIX}${fileId}`,
			type: place.type,
			nom: place.nom.replace(/\s+/g, ' ').trim(),
			adresse: place.adresse,
			commune,
			located: place.located,
			source: CARTOGRAPHIE_SOURCE_ID,
			date: place.date,
			horaires: place.horaires,
			effectif: null
		}
	};
}

/**
 * Date of the export: `aaaa-mm-jj` or `aaaammjj` in the file name (data.gouv and the
 * Cartographie name their exports so), else the latest `date_maj` of its places, said as such.
 */
export function exportDateOf(
	fileName: string,
	places: readonly Pick<ImportedPlace, 'date'>[]
): { date: string; fromName: boolean } | null {
	const match = /(20\d{2})-?(0[1-9]|1[0-2])-?(0[1-9]|[12]\d|3[01])/.exec(fileName);
	if (match) return { date: `${match[1]}-${match[2]}-${match[3]}`, fromName: true };
	let latest: string | null = null;
	for (const p of places)
		if (p.date && /^\d{4}-\d{2}-\d{2}$/.test(p.date) && (!latest || p.date > latest))
			latest = p.date;
	return latest ? { date: latest, fromName: false } : null;
}

/** The sources.json entry of the export: producer, file, date, counts. */
function exportDataset(file: PlacesExportFile, report: ImportReport): DatasetSource {
	const name = basename(file.path);
	const when = exportDateOf(name, report.accepted);
	const vintage = when
		? when.fromName
			? `export du ${formatRecordDate(when.date)}`
			: `fiches mises à jour jusqu’au ${formatRecordDate(when.date)}`
		: 'export non daté';
	const parts = [
		`Fichier « ${name} » (standard « Lieux de médiation numérique » ${STANDARD_VERSION}) : ${formatCount(report.accepted.length)} lieux gardés sur ${formatCount(report.rowCount)}`,
		report.rejected.length > 0 ? `${formatCount(report.rejected.length)} rejetés` : null,
		report.skipped.length > 0
			? `${formatCount(report.skipped.length)} hors champ (collectivités d’outre-mer)`
			: null
	].filter(Boolean);
	return {
		id: CARTOGRAPHIE_SOURCE_ID,
		producer: 'Cartographie nationale des lieux d’inclusion numérique (ANCT)',
		title: 'Lieux de médiation numérique (export de la Cartographie nationale)',
		vintage,
		licence: 'Licence Ouverte 2.0 (à vérifier sur la page de l’export)',
		url: 'https://cartographie.societenumerique.gouv.fr',
		caveat: `${parts.join(', ')}. Remplace les listes datées (France services 2024, Conseiller numérique 2022–2023, Aidants Connect 2024, Nord–Pas-de-Calais 2023) ; le type vient de « dispositif_programmes_nationaux » et le standard ne donne pas le nombre de conseillers. Les comptes par commune de l’offre de médiation restent ceux des listes datées.`,
		attribution: `Cartographie nationale des lieux d’inclusion numérique, ${name}, ${vintage}`,
		files: [file.label]
	};
}

/** French lines of the validation report: counts, then the first rejected rows and warnings. */
export function describeExportValidation(build: PlacesExportBuild): string[] {
	const { validation: r, file, collection } = build;
	const unit = r.unit === 'objet' ? 'objet' : 'ligne';
	const lines = [
		`Lieux de médiation : export de la Cartographie nationale « ${file.label} » (${build.dataset.vintage})`,
		`  ${countRows(r.rowCount, r.unit, 'lu')}, ${formatCount(collection.features.length)} lieux gardés, ${countRows(r.rejected.length, r.unit, 'rejeté')} (au plus ${formatShare(MAX_REJECTED_SHARE)} admis), ${formatCount(r.skipped.length)} hors champ, ${formatCount(r.warnings.length)} avertissement${r.warnings.length > 1 ? 's' : ''}`
	];
	for (const notice of r.notices) lines.push(`  ${notice}`);
	const list = (title: string, issues: readonly RowIssue[]) => {
		if (issues.length === 0) return;
		lines.push(
			`  ${title} (${formatCount(issues.length)}${issues.length > SHOWN_ISSUES ? `, les ${SHOWN_ISSUES} premiers` : ''}) :`
		);
		for (const issue of issues.slice(0, SHOWN_ISSUES))
			lines.push(`    ${describeIssue(issue, unit)}`);
	};
	list('Lignes rejetées', r.rejected);
	list('Avertissements', r.warnings);
	return lines;
}

/** « ligne 12, colonne « nom », valeur « … » : reason ». */
function describeIssue(issue: RowIssue, unit: 'ligne' | 'objet'): string {
	return [
		`${unit} ${issue.line}`,
		issue.column !== null ? `colonne « ${issue.column} »` : null,
		issue.value !== null ? `valeur « ${issue.value} »` : null
	]
		.filter(Boolean)
		.join(', ')
		.concat(` : ${issue.reason}`);
}

/** Line (CSV) or feature (GeoJSON, 0-based as in `SourceDataError`) and field of a row issue. */
function issueWhere(
	issue: RowIssue,
	report: ImportReport
): { line?: number; feature?: number; field?: string } {
	const field = issue.column ?? undefined;
	return report.unit === 'objet' ? { feature: issue.line - 1, field } : { line: issue.line, field };
}

/** « 3 lignes rejetées », « 1 objet lu »: CSV lines are feminine, GeoJSON objects masculine. */
function countRows(n: number, unit: 'ligne' | 'objet', participle: string): string {
	const plural = n > 1 ? 's' : '';
	const agreed = unit === 'ligne' ? `${participle}e${plural}` : `${participle}${plural}`;
	return `${formatCount(n)} ${unit}${plural} ${agreed}`;
}

function formatCount(n: number): string {
	return formatInteger(n);
}

function formatShare(share: number): string {
	return formatPercent(share * 100);
}

function compareText(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}
