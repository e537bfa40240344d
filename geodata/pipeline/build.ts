/**
 * `npm run geodata:build` (`tsx geodata/pipeline/build.ts [--out DIR] [--sources DIR|FILE]`): read
 * the source files (`geodata/sources/`, or `GEODATA_SOURCES`: a folder of the same layout, or a
 * Cartographie nationale export that replaces the mediation places), build every artifact of `ARTIFACTS`,
 * write them all-or-nothing into `static/data/` (or `--out DIR`) and print a French data report.
 * A malformed source stops the run with exit code 1 and the French message naming file, line or
 * feature and field; the previous artifacts are left untouched.
 */
import { existsSync, unlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FeatureCollection } from 'geojson';
import {
	ARTIFACTS,
	type DataReport,
	type DatasetSource,
	type SourcesArtifact,
	type TerritoryIndex
} from '../../src/lib/territory/artifacts';
import { decodeCommuneTable, encodeCommuneTable } from '../../src/lib/territory/commune-table';
import { buildEstimateLayerArtifacts } from '../../src/lib/needs/layer-artifacts';
import { withCommuneTablePopulations } from '../../src/lib/territory/territory-population';
import type { CommuneRecord } from '../../src/lib/territory/commune';
import { SourceDataError } from '../lib/source-error';
import { formatDecimal, formatInteger } from '../../src/lib/format/number';
import { buildGeometry } from './geometry';
import { buildMediators, type MediatorsBuild } from './mediators';
import {
	buildMediatorsFromExport,
	describeExportValidation,
	findPlacesExport,
	type PlacesExportBuild
} from './places-export';
import { indexCommuneCodes, type DecoupageCommune } from '../../src/lib/mediation/commune-codes';
import { MEDIATOR_SOURCE_IDS } from '../../src/lib/mediation/mediator-filters';
import {
	encodeMediatorPoints,
	serializeMediatorPoints
} from '../../src/lib/mediation/mediator-points';
import { readCogReference } from './cog-reference';
import { buildCommuneTable } from './commune-table';
import { buildQpvByCommune } from './qpv';
import { buildPostcodeTable, serializePostcodeTable } from './postcodes';
import { buildQpvPerimeters, QPV_PERIMETER_DIR } from './qpv-perimeters';
import { buildMobileCoverage, type MobileFiles } from './mobile-coverage';
import { findAgeStructureFile } from './age-structure';
import { DATASET_SOURCES } from './dataset-sources';
import {
	readSourceJson,
	readSourceText,
	resolveSources,
	SOURCE_FILES,
	UsageError
} from './sources-dir';
import { writeArtifactsAtomically } from './write-artifacts';

/** Where `npm run geodata:build` writes by default: the app's static folder, served at `/data/`. */
export const DEFAULT_OUT_DIR = resolve(
	fileURLToPath(import.meta.url),
	'..',
	'..',
	'..',
	'static',
	'data'
);

/** How many codes of each unmatched list the printed report shows. */
const SHOWN_CODES = 10;

export interface PipelineOptions {
	/**
	 * Sources folder, or a Cartographie nationale export file (the other inputs then come from
	 * `geodata/sources/`); default `GEODATA_SOURCES` or `geodata/sources/`.
	 */
	sourcesDir?: string;
	/**
	 * A Cartographie nationale export to read instead of the five dated mediation lists (tests);
	 * default: the file `sourcesDir` names, else the one in `mediation/cartographie-nationale/`.
	 */
	placesExport?: string;
	/** Output folder; default `static/data/`. */
	outDir?: string;
	/** Receives each line of the French data report (default: stdout). */
	log?: (line: string) => void;
	/** ISO date-time stamped in the artifacts (default: now). */
	generated?: string;
}

export interface PipelineResult {
	report: DataReport;
	/** Artifact path → size in bytes, raw and gzipped. */
	sizes: Record<string, { raw: number; gzip: number }>;
	outDir: string;
}

/**
 * Run the whole pipeline: geometry, commune table, QPV, postcodes, mediators and sources, then write every
 * artifact atomically and log the data report.
 *
 * Optional official files a user may add to the sources folder (geodata/README.md): INSEE's age
 * base, ARCEP's mobile coverage statistics and sites (`mobile-coverage.ts`), and a QPV perimeter
 * file (`qpv-perimeters.ts`, written to the optional artifact `geo/qpv.topo.json`; a previous
 * `geo/qpv.topo.json` is removed after a run without such a file, so the artifacts never show
 * perimeters that sources.json does not list).
 * @throws SourceDataError (French message naming file, line/feature and field) on a bad source;
 *   nothing is written then.
 */
export async function runPipeline(options: PipelineOptions = {}): Promise<PipelineResult> {
	const log = options.log ?? ((line: string) => console.log(line));
	const sources = resolveSources(options.sourcesDir);
	const sourcesDir = sources.dir;
	// Looked up first: a wrong export folder stops the run before the long steps.
	const placesExport = findPlacesExport(
		sourcesDir,
		options.placesExport ? resolve(options.placesExport) : sources.placesExport
	);
	const outDir = resolve(options.outDir ?? DEFAULT_OUT_DIR);
	const generated = options.generated ?? new Date().toISOString();

	const geometry = buildGeometry(
		readSourceText(sourcesDir, SOURCE_FILES.topology),
		SOURCE_FILES.topology
	);
	const cog = readCogReference(sourcesDir);
	const qpv = buildQpvByCommune(sourcesDir, cog);
	const table = buildCommuneTable(sourcesDir, {
		cog,
		communesWithGeometry: geometry.communesWithGeometry,
		qpv: qpv.byCommune
	});
	const postcodes = buildPostcodeTable(cog);
	const perimeters = buildQpvPerimeters(sourcesDir, cog, qpv.byCommune);
	const mobile = buildMobileCoverage(sourcesDir, cog);
	// Appended after the table's own columns, always present (null without the ARCEP files).
	const records: CommuneRecord[] = table.records.map((r) => ({ ...r, ...mobile.fieldsOf(r.code) }));
	const communeByCode = new Map<string, CommuneRecord>(records.map((c) => [c.code, c]));
	const exportBuild: PlacesExportBuild | null = placesExport
		? buildMediatorsFromExport(
				placesExport,
				communeByCode,
				indexCommuneCodes(
					readSourceJson(sourcesDir, SOURCE_FILES.cogCommunes) as DecoupageCommune[]
				)
			)
		: null;
	const mediators: MediatorsBuild = exportBuild ?? buildMediators(sourcesDir, communeByCode);

	const rows: Record<string, number> = {
		...geometry.rows,
		...table.rows,
		...mobile.rows,
		...qpv.rows,
		...postcodes.rows,
		...perimeters?.rows,
		...mediators.rows
	};
	for (const [file, reasons] of Object.entries(mediators.skipped)) {
		for (const [reason, count] of Object.entries(reasons))
			rows[`${file} (ignorées : ${reason})`] = count;
	}
	for (const [rule, count] of Object.entries(mediators.dedup)) {
		rows[`${ARTIFACTS.mediators} (doublons fusionnés, règle ${rule})`] = count;
	}
	rows[ARTIFACTS.mediators] = mediators.collection.features.length;
	const unmatched: Record<string, string[]> = {
		...table.unmatched,
		...mobile.unmatched,
		...qpv.unmatched,
		...postcodes.unmatched,
		...perimeters?.unmatched
	};
	for (const [file, codes] of Object.entries(mediators.unmatched)) {
		unmatched[`${file} : codes ou adresses sans commune du COG 2026`] = codes;
	}
	const coverage = { ...table.coverage, ...mobile.coverage, ...postcodes.coverage };
	coverage['QPV 2024 distincts rattachés'] = { matched: qpv.qpvCount, total: qpv.qpvCount };
	Object.assign(coverage, perimeters?.coverage);
	const report: DataReport = { generated, rows, coverage, unmatched };
	const sourcesArtifact: SourcesArtifact = {
		datasets: [
			...mediationDatasets(exportBuild),
			...mobile.datasets,
			...(perimeters ? [perimeters.dataset] : [])
		],
		report
	};

	const territories = withCommuneTablePopulations(geometry.territories, records);
	const files: Record<string, string> = {
		[ARTIFACTS.communes]: serializeCommuneTable(records, generated),
		[ARTIFACTS.territories]: JSON.stringify(territories),
		[ARTIFACTS.territoriesFirstScreen]: JSON.stringify({
			regions: territories.regions,
			departements: territories.departements
		}),
		[ARTIFACTS.mediators]: serializeFeatureCollection(mediators.collection),
		[ARTIFACTS.mediatorPoints]: serializeMediatorPoints(encodeMediatorPoints(mediators.collection)),
		[ARTIFACTS.qpv]: serializeLines(qpv.byCommune),
		[ARTIFACTS.sources]: JSON.stringify(sourcesArtifact, null, '\t') + '\n',
		[ARTIFACTS.postcodes]: serializePostcodeTable(postcodes.table),
		...geometry.files
	};
	// The estimates of régions, départements and EPCI, from the table exactly as the browser decodes
	// it: the first screen reads them instead of running the model (issue 14). A table too small to
	// calibrate the model on (a few test communes) gets none, and says so: the server then refuses
	// to start on it (artifact-check.ts) rather than show an estimate it does not have.
	try {
		Object.assign(
			files,
			buildEstimateLayerArtifacts(
				decodeCommuneTable(JSON.parse(files[ARTIFACTS.communes])),
				JSON.parse(files[ARTIFACTS.territories]) as TerritoryIndex
			)
		);
	} catch (error) {
		log(
			`Estimations (${Object.values(ARTIFACTS.estimates).join(', ')}) non écrites : ${error instanceof Error ? error.message : String(error)}`
		);
	}
	if (perimeters) files[ARTIFACTS.qpvPerimeters] = perimeters.topology;
	for (const path of Object.values(ARTIFACTS.geometry)) {
		if (!(path in files)) throw new Error(`L’étape géométrie n’a pas produit « ${path} ».`);
	}
	writeArtifactsAtomically(outDir, files);
	const stalePerimeters = join(outDir, ARTIFACTS.qpvPerimeters);
	const removedPerimeters = !perimeters && existsSync(stalePerimeters);
	if (removedPerimeters) unlinkSync(stalePerimeters);

	const sizes = Object.fromEntries(
		Object.entries(files).map(([path, content]) => [
			path,
			{ raw: Buffer.byteLength(content), gzip: gzipSync(content).length }
		])
	);
	const optional: OptionalFiles = {
		age: findAgeStructureFile(sourcesDir),
		mobile: mobile.files,
		qpvPerimeters: perimeters
			? { file: perimeters.file, counts: perimeters.counts }
			: { removed: removedPerimeters }
	};
	printReport(log, {
		sourcesDir,
		outDir,
		report,
		sizes,
		total: records.length,
		optional,
		placesLines: exportBuild ? describeExportValidation(exportBuild) : null
	});
	return { report, sizes, outDir };
}

/**
 * The datasets of sources.json: the embedded list, where a Cartographie nationale export takes
 * the place of the dated mediation lists it replaces (same position, so the Sources page keeps
 * its order).
 */
function mediationDatasets(exportBuild: PlacesExportBuild | null): DatasetSource[] {
	if (!exportBuild) return [...DATASET_SOURCES];
	const replaced = new Set<string>(
		MEDIATOR_SOURCE_IDS.filter((id) => id !== exportBuild.dataset.id)
	);
	const datasets: DatasetSource[] = [];
	for (const d of DATASET_SOURCES) {
		if (!replaced.has(d.id)) datasets.push(d);
		else if (!datasets.includes(exportBuild.dataset)) datasets.push(exportBuild.dataset);
	}
	return datasets;
}

/** The commune table with one commune per line: small diffs in git, same size as compact JSON. */
function serializeCommuneTable(records: readonly CommuneRecord[], generated: string): string {
	const { rows, ...head } = encodeCommuneTable(records, generated);
	const opening = JSON.stringify(head).slice(0, -1);
	return `${opening},"rows":[\n${rows.map((r) => JSON.stringify(r)).join(',\n')}\n]}\n`;
}

/** A FeatureCollection with one feature per line. */
function serializeFeatureCollection(collection: FeatureCollection): string {
	const features = collection.features.map((f) => JSON.stringify(f)).join(',\n');
	return `{"type":"FeatureCollection","features":[\n${features}\n]}\n`;
}

/** An object with one key per line. */
function serializeLines(object: Record<string, unknown>): string {
	const lines = Object.entries(object).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
	return `{\n${lines.join(',\n')}\n}\n`;
}

/** The optional official files found in the sources folder, for the report. */
interface OptionalFiles {
	age: string | null;
	mobile: MobileFiles;
	qpvPerimeters: { file: string; counts: { 2015: number; 2024: number } } | { removed: boolean };
}

/** One French line per optional file: which was read, or what the dashboard uses without it. */
function describeOptionalFiles(optional: OptionalFiles): string[] {
	const { age, mobile, qpvPerimeters } = optional;
	const lines = [
		age
			? `structure par âge INSEE : ${age}`
			: 'structure par âge INSEE (base-cc-evol-struct-pop*.csv) : absente, âge estimé par le modèle',
		mobile.coverage
			? `couverture 4G ARCEP : ${mobile.coverage.file} (${mobile.coverage.vintage}), préférée au score IFN 2023`
			: 'couverture 4G ARCEP (<aaaa>T<t>_op_communes.csv) : absente, la 4G reste le score IFN 2023 « absence de couverture 4G »',
		mobile.sites
			? `sites mobiles ARCEP : ${mobile.sites.files.map((f) => f.file).join(', ')} (${mobile.sites.vintage})`
			: 'sites mobiles ARCEP (<aaaa>_T<t>_sites_Metropole.csv, …_Outremer.csv) : absents'
	];
	if ('file' in qpvPerimeters) {
		const { file, counts } = qpvPerimeters;
		const parts = ([2015, 2024] as const)
			.filter((m) => counts[m] > 0)
			.map((m) => `${formatInteger(counts[m])} de la liste ${m}`);
		lines.push(
			`périmètres QPV : ${file} (${parts.join(', ') || 'aucun périmètre gardé'}) → ${ARTIFACTS.qpvPerimeters}`
		);
	} else {
		lines.push(
			`périmètres QPV (${QPV_PERIMETER_DIR}/qpv-perimetres*.geojson, ${QPV_PERIMETER_DIR}/*contours*.geojson) : absents, la carte montre les communes avec QPV` +
				(qpvPerimeters.removed ? ` ; ancien ${ARTIFACTS.qpvPerimeters} supprimé` : '')
		);
	}
	return lines;
}

function formatBytes(bytes: number): string {
	if (bytes >= 1e6) return `${formatDecimal(bytes / 1e6, 2)} Mo`;
	return `${formatDecimal(bytes / 1e3, 1)} ko`;
}

/** The French data report: rows per file, join coverage, codes not joined (first ones), sizes. */
function printReport(
	log: (line: string) => void,
	{
		sourcesDir,
		outDir,
		report,
		sizes,
		total,
		optional,
		placesLines
	}: {
		sourcesDir: string;
		outDir: string;
		report: DataReport;
		sizes: PipelineResult['sizes'];
		total: number;
		optional: OptionalFiles;
		/** Validation report of a Cartographie nationale export, when one was read. */
		placesLines: string[] | null;
	}
): void {
	log(`Rapport de données (${report.generated})`);
	log(`Sources : ${sourcesDir}`);
	log(`Communes du COG 2026 dans la table (101 départements) : ${formatInteger(total)}`);
	log('');
	log('Fichiers officiels facultatifs :');
	for (const line of describeOptionalFiles(optional)) log(`  ${line}`);
	log('');
	if (placesLines) {
		for (const line of placesLines) log(line);
		log('');
	}
	log('Lignes lues :');
	for (const [file, count] of Object.entries(report.rows))
		log(`  ${file} : ${formatInteger(count)}`);
	log('');
	log('Couverture des jointures :');
	for (const [label, { matched, total: of }] of Object.entries(report.coverage)) {
		log(
			`  ${label} : ${formatInteger(matched)} / ${formatInteger(of)}${label.startsWith('QPV 2024') ? '' : ' communes'}`
		);
	}
	log('');
	log('Codes non joints tels quels (hors champ, convertis, ignorés) :');
	for (const [key, codes] of Object.entries(report.unmatched)) {
		const shown = codes.slice(0, SHOWN_CODES).join(', ');
		log(
			`  ${key} : ${formatInteger(codes.length)} — ${shown}${codes.length > SHOWN_CODES ? ', …' : ''}`
		);
	}
	log('');
	log(`Artefacts écrits dans ${outDir} :`);
	for (const [path, { raw, gzip }] of Object.entries(sizes)) {
		log(`  ${path} : ${formatBytes(raw)} (gzip ${formatBytes(gzip)})`);
	}
}

/** Command-line options: `--out DIR`, `--sources DIR` (or `--sources FILE`, a Cartographie nationale export). */
function parseArguments(argv: readonly string[]): PipelineOptions {
	const options: PipelineOptions = {};
	for (let i = 0; i < argv.length; i++) {
		const value = argv[i + 1];
		if (
			(argv[i] === '--out' || argv[i] === '--sources') &&
			(value === undefined || value.startsWith('--'))
		) {
			throw new UsageError(
				`L’option ${argv[i]} attend ${argv[i] === '--sources' ? 'un dossier ou un fichier d’export' : 'un dossier'}.`
			);
		}
		if (argv[i] === '--out') options.outDir = argv[++i];
		else if (argv[i] === '--sources') options.sourcesDir = argv[++i];
		else
			throw new UsageError(
				`Option inconnue « ${argv[i]} » (options : --out DOSSIER, --sources DOSSIER|FICHIER).`
			);
	}
	return options;
}

const isEntryPoint =
	process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isEntryPoint) {
	try {
		await runPipeline(parseArguments(process.argv.slice(2)));
	} catch (error) {
		// A bad source file is the user's to fix: its French message is enough, no stack trace.
		if (error instanceof SourceDataError) {
			console.error(`Erreur dans les données sources : ${error.message}`);
		} else if (error instanceof UsageError) {
			console.error(error.message);
		} else {
			console.error(error);
		}
		process.exitCode = 1;
	}
}
