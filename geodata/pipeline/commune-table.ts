/**
 * Step "table des communes" of the geodata pipeline: one `CommuneRecord` for each of the 34,875
 * communes of the 101 départements (COG 2026), joined from every per-commune source file.
 *
 * Join rules (see geodata/README.md § Règles de jointure):
 * - codes are 5-character strings, Corsica included (`2A004`);
 * - a code of a collectivité d'outre-mer is listed in the report as out of scope;
 * - a former code (commune merged since) is converted to its COG 2026 commune through the
 *   `anciensCodes` lists and the délégué/associé → `chefLieu` links of the COG; counts are summed,
 *   shares recomputed from the summed counts, and a value that cannot be combined (a share without
 *   its denominator, a score) is taken from the commune's own row, or left null and reported;
 * - an arrondissement municipal (Paris, Lyon, Marseille) is never added to a commune that has its
 *   own row: it only stands in for its commune when the source has no row for the commune;
 * - a code unknown to the COG 2026 stops the pipeline for the sources published on COG 2025/2026
 *   (`strict`), and is only reported for older or user-supplied files (`tolerant`).
 *
 * The COG reference is read by `cog-reference.ts`, the generic join is `commune-join.ts`, and each
 * source is one named step in `commune-labels.ts` (what classifies a commune) or
 * `commune-measures.ts` (what is measured in it); this module runs them in order and assembles the
 * records.
 */
import type { AgeStructure, CommuneRecord } from '../../src/lib/territory/commune';
import type { QpvByCommune } from '../../src/lib/territory/artifacts';
import { readCogReference, type CogCommune, type CogReference } from './cog-reference';
import { addUnmatched, roundOrNull, startJoinRun, type TableReport } from './commune-join';
import { joinCentres, joinEpci, joinLabels, joinZrr } from './commune-labels';
import {
	joinAge,
	joinFibre,
	joinFilosofi,
	joinIfn,
	joinLines,
	joinNord60,
	joinOffre,
	type OffreCounts
} from './commune-measures';
import { SOURCE_FILES } from './sources-dir';

export interface CommuneTableOptions {
	/** COG reference already read by the caller (read from `sourcesDir` when absent). */
	cog?: CogReference;
	/** Codes of the communes that have a polygon in the geometry step's output. */
	communesWithGeometry: ReadonlySet<string>;
	/** QPV 2024 by commune (qpv.ts); `qpvCount` is the length of each list. */
	qpv: QpvByCommune;
	/**
	 * Real age structure by source code; default: read INSEE's optional file from `sourcesDir`
	 * (`null` = no such file, `age` stays null).
	 */
	age?: Map<string, AgeStructure> | null;
}

export interface CommuneTable extends TableReport {
	records: CommuneRecord[];
}

/**
 * Build the commune table: one record per COG 2026 commune of the 101 départements (34,875 with the
 * embedded sources), every field filled (null = not published / not joined). Numbers are rounded
 * for a compact `communes.json`: shares 0.1 %, scores 0.001, coordinates 1e-4° (≈ 10 m), surfaces
 * 0.01 km², incomes 1 €, age bands 1 person.
 * @throws SourceDataError (French, naming file, line and field) on any malformed source cell,
 *   duplicated code, or unknown code in a COG 2025/2026 source.
 */
export function buildCommuneTable(sourcesDir: string, opts: CommuneTableOptions): CommuneTable {
	const cog = opts.cog ?? readCogReference(sourcesDir);
	const run = startJoinRun(sourcesDir, cog);
	const { report, codes, cover } = run;

	report.rows[SOURCE_FILES.cogCommunes] = cog.entriesRead;
	addUnmatched(report, SOURCE_FILES.cogCommunes, 'collectivités d’outre-mer, listées, hors champ', [
		...cog.com.keys()
	]);

	const epciOf = joinEpci(run);

	cover('géométrie', (c) => opts.communesWithGeometry.has(c));
	addUnmatched(
		report,
		SOURCE_FILES.topology,
		'communes sans polygone',
		codes.filter((c) => !opts.communesWithGeometry.has(c))
	);

	const centreOf = joinCentres(run);
	const { densite, ruralite, centralite, montagne, frr } = joinLabels(run);
	const zrr = joinZrr(run);
	const fibre = joinFibre(run);
	const mci = joinLines(run);
	const ifn = joinIfn(run);
	const filosofi = joinFilosofi(run);
	const offre = joinOffre(run);
	const nord60 = joinNord60(run);
	const age = joinAge(run, opts.age);

	// QPV 2024.
	cover('QPV (communes avec au moins un QPV)', (c) => (opts.qpv[c]?.length ?? 0) > 0);

	const records = codes.map((code): CommuneRecord => {
		const base = cog.communes.get(code) as CogCommune;
		const centre = centreOf.get(code) ?? null;
		const lines = mci.get(code) ?? null;
		const scores = ifn.get(code) ?? null;
		const income = filosofi.get(code) ?? null;
		const counts = offre.get(code) as OffreCounts;
		const ageBands = age.get(code) ?? null;
		// Key order = column order of communes.json (CommuneRecord's declaration order).
		return {
			code,
			nom: base.nom,
			dep: base.dep,
			reg: base.reg,
			epci: epciOf.get(code) ?? null,
			zone: base.zone,
			hasGeometry: opts.communesWithGeometry.has(code),
			population: base.population,
			surfaceKm2: roundOrNull(centre?.surface ?? null, 2),
			lon: roundOrNull(centre?.lon ?? null, 4),
			lat: roundOrNull(centre?.lat ?? null, 4),
			densite: densite.get(code) ?? null,
			ruralite: ruralite.get(code) ?? null,
			centralite: centralite.get(code) ?? null,
			montagne: montagne.get(code) ?? null,
			frr: frr.get(code) ?? null,
			zrr: zrr.get(code) ?? null,
			fibreFtthPct: roundOrNull(fibre.get(code) ?? null, 1),
			locaux2022: lines?.locaux ?? null,
			locauxThd100_2022: lines?.thd100 ?? null,
			ifnNoThd: roundOrNull(scores?.ifnNoThd ?? null, 3),
			ifnNo4g: roundOrNull(scores?.ifnNo4g ?? null, 3),
			ifnPoverty: roundOrNull(scores?.ifnPoverty ?? null, 3),
			ifnOlder65: roundOrNull(scores?.ifnOlder65 ?? null, 3),
			ifnNoDiploma: roundOrNull(scores?.ifnNoDiploma ?? null, 3),
			ifnTotal: roundOrNull(scores?.ifnTotal ?? null, 3),
			revenuMedian: roundOrNull(income?.median ?? null, 0),
			tauxPauvrete: roundOrNull(income?.poverty ?? null, 1),
			qpvCount: opts.qpv[code]?.length ?? 0,
			nFranceServices2024: counts.nFranceServices2024,
			nLieuxCnfs2022: counts.nLieuxCnfs2022,
			nStructuresCnfs2023: counts.nStructuresCnfs2023,
			nPostesCnfs2023: counts.nPostesCnfs2023,
			nStructuresAidantsConnect2024: counts.nStructuresAidantsConnect2024,
			nAidantsConnect2024: counts.nAidantsConnect2024,
			part60PlusNord2021: roundOrNull(nord60.get(code) ?? null, 1),
			age: ageBands
		};
	});
	return { records, ...report };
}
