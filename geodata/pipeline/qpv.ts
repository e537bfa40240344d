/**
 * Step "QPV": the quartiers prioritaires de la politique de la ville (2024 list, ANCT) hosted by each
 * commune, from `qpv/qpv-2024-liste-par-commune.csv` (one row per QPV × commune), written to
 * `static/data/qpv.json`. There are no QPV polygons nor QPV populations in the sources
 * (PROVENANCE "Not found"): the dashboard can only say which communes host which QPV.
 */
import type { QpvByCommune } from '../../src/lib/territory/artifacts';
import { parseCsv, readCommuneCode } from '../lib/csv';
import { SourceDataError } from '../lib/source-error';
import { matchCommuneCode, type CogReference } from './cog-reference';
import { readSourceText, SOURCE_FILES } from './sources-dir';

/** QPV 2024 code: `QN`, the département (2–3 characters), a number and a letter (`QN00101M`, `QN97101M`). */
const QPV_CODE = /^QN[0-9AB]{2,3}\d{2,3}[A-Z]$/;

export interface QpvStep {
	byCommune: QpvByCommune;
	/** Rows read per file. */
	rows: Record<string, number>;
	/** Codes outside COG 2026 (COM, converted former codes), by reason. */
	unmatched: Record<string, string[]>;
	/** Distinct QPV codes attached to a commune of the 101 départements. */
	qpvCount: number;
}

/**
 * Read the QPV 2024 list and group it by COG 2026 commune (a QPV spanning several communes is listed
 * under each). Former commune codes are converted; lists are sorted by QPV code.
 * @throws SourceDataError (French, file/line/field) on an invalid QPV code, an empty name, a
 *   duplicated (QPV, commune) pair, or a commune code unknown to the COG 2026.
 */
export function buildQpvByCommune(sourcesDir: string, cog: CogReference): QpvStep {
	const file = SOURCE_FILES.qpv;
	const table = parseCsv(readSourceText(sourcesDir, file), file, [
		'code_qp',
		'lib_qp',
		'insee_com'
	]);
	const byCommune: QpvByCommune = {};
	const seen = new Map<string, number>();
	const outOfScope: string[] = [];
	const converted: string[] = [];
	const distinct = new Set<string>();
	for (const row of table.rows) {
		const code = row.values.code_qp.trim();
		if (!QPV_CODE.test(code)) {
			throw new SourceDataError(
				`code QPV invalide « ${row.values.code_qp} » (attendu : QN…, liste 2024)`,
				{
					file,
					line: row.line,
					field: 'code_qp'
				}
			);
		}
		const nom = row.values.lib_qp.trim();
		if (nom === '')
			throw new SourceDataError('nom de QPV vide', { file, line: row.line, field: 'lib_qp' });
		const communeCode = readCommuneCode(row, 'insee_com', file);
		const pair = `${code} ${communeCode}`;
		const previous = seen.get(pair);
		if (previous !== undefined) {
			throw new SourceDataError(
				`QPV « ${code} » en double pour la commune « ${communeCode} » (déjà ligne ${previous})`,
				{
					file,
					line: row.line,
					field: 'insee_com'
				}
			);
		}
		seen.set(pair, row.line);
		const match = matchCommuneCode(cog, communeCode);
		if (match.kind === 'com') {
			outOfScope.push(communeCode);
			continue;
		}
		if (match.kind === 'unknown' || match.kind === 'ambiguous' || match.kind === 'arrondissement') {
			// The ANCT list is by commune: an arrondissement code would mean a different layout.
			throw new SourceDataError(`code commune « ${communeCode} » inconnu du COG 2026`, {
				file,
				line: row.line,
				field: 'insee_com'
			});
		}
		if (match.kind === 'former') converted.push(`${communeCode}→${match.code}`);
		const list = (byCommune[match.code] ??= []);
		// A former commune and its 2026 commune may both list the same QPV: keep it once.
		if (!list.some((q) => q.code === code)) list.push({ code, nom });
		distinct.add(code);
	}
	const sorted: QpvByCommune = {};
	for (const commune of Object.keys(byCommune).sort()) {
		sorted[commune] = byCommune[commune].sort((a, b) => a.code.localeCompare(b.code));
	}
	const unmatched: Record<string, string[]> = {};
	if (outOfScope.length) unmatched[`${file} : collectivités d’outre-mer, hors champ`] = outOfScope;
	if (converted.length) unmatched[`${file} : anciens codes convertis au COG 2026`] = converted;
	return {
		byCommune: sorted,
		rows: { [file]: table.rows.length },
		unmatched,
		qpvCount: distinct.size
	};
}
