/**
 * Where the pipeline reads its input files, and the path of each file inside that folder.
 *
 * The folder has the layout of `geodata/sources/` (the embedded snapshot, see
 * `geodata/sources/PROVENANCE.md`). A developer who downloaded refreshed official files points
 * `GEODATA_SOURCES` at a folder with the same layout, or at a single export of the Cartographie
 * nationale (`places-export.ts`).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { SourceDataError } from '../lib/source-error';

/** The embedded snapshot, `geodata/sources/` next to this `pipeline/` folder. */
export const DEFAULT_SOURCES_DIR = resolve(
	dirname(fileURLToPath(import.meta.url)),
	'..',
	'sources'
);

/**
 * Paths of the input files, relative to the sources folder. They are also the names used in error
 * messages and in the data report, so a user knows which file to fix.
 */
export const SOURCE_FILES = {
	cogCommunes: 'admin/decoupage-administratif-6.0.0/communes.json.gz',
	cogEpci: 'admin/decoupage-administratif-6.0.0/epci.json',
	topology: 'admin/france-admin-2026.topojson',
	centres: 'admin/communes-centres-surface.csv',
	densite: 'population/grille-densite-communes.csv',
	ruralite: 'population/grille-ruralite-communes.csv',
	centralite: 'population/grille-centralite-communes.csv',
	montagne: 'population/grille-montagne-communes.csv',
	filosofi: 'population/filosofi-2021-revenu-pauvrete-communes.csv',
	nord60: 'population/rp2021-nord-59-age-diplome-communes.csv',
	frr: 'rurality/frr-communes-2025.csv',
	zrr: 'rurality/zrr-classement-communes-2021.csv',
	fibre: 'connectivity/arcep-fibre-ftth-pct-locaux-par-commune.csv',
	mci: 'connectivity/arcep-mci-debits-par-commune-2022T4.csv',
	ifn: 'fragility/ifn-communes-2023.csv',
	qpv: 'qpv/qpv-2024-liste-par-commune.csv',
	offreMediation: 'mediation/offre-mediation-par-commune-2026.csv'
} as const;

/** A wrong command-line option or folder: reported to the user with its French message only. */
export class UsageError extends Error {
	override name = 'UsageError';
}

/** What `GEODATA_SOURCES` (or `--sources`) designates. */
export interface ResolvedSources {
	/** The sources folder (layout of `geodata/sources/`). */
	dir: string;
	/**
	 * A Cartographie nationale export given directly as the value (a file rather than a folder):
	 * its absolute path; the other inputs then come from `geodata/sources/`. Null for a folder.
	 */
	placesExport: string | null;
}

/**
 * What to read: `explicit` (e.g. a test fixture) if given, else the `GEODATA_SOURCES` environment
 * variable (relative paths are resolved against the working directory), else `geodata/sources/`.
 * The value is either a **folder** with the layout of `geodata/sources/` or **one file**, an
 * export of the Cartographie nationale in the standard « Lieux de médiation numérique » (CSV or
 * GeoJSON), which replaces the mediation places and leaves every other input embedded.
 * @throws UsageError (French) when the path does not exist.
 */
export function resolveSources(
	explicit?: string,
	env: NodeJS.ProcessEnv = process.env
): ResolvedSources {
	const chosen = explicit ?? env.GEODATA_SOURCES ?? DEFAULT_SOURCES_DIR;
	const path = isAbsolute(chosen) ? chosen : resolve(process.cwd(), chosen);
	if (!existsSync(path)) {
		throw new UsageError(
			`Sources introuvables : « ${path} ». GEODATA_SOURCES désigne un dossier de sources (disposition de geodata/sources/) ou un fichier d’export de la Cartographie nationale (.csv ou .geojson).`
		);
	}
	if (statSync(path).isDirectory()) return { dir: path, placesExport: null };
	return { dir: DEFAULT_SOURCES_DIR, placesExport: path };
}

/**
 * The sources folder to read (see `resolveSources`; for an export file, `geodata/sources/`).
 * @throws UsageError (French) when the path does not exist.
 */
export function resolveSourcesDir(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
	return resolveSources(explicit, env).dir;
}

/** Absolute path of a source file inside the sources folder. */
export function sourcePath(sourcesDir: string, file: string): string {
	return join(sourcesDir, file);
}

/**
 * Read a source file as UTF-8 text (gunzipped when its name ends in `.gz`).
 * @throws SourceDataError (French) naming the file when it is missing from the sources folder.
 */
export function readSourceText(sourcesDir: string, file: string): string {
	const path = sourcePath(sourcesDir, file);
	if (!existsSync(path)) {
		throw new SourceDataError(`fichier absent du dossier des sources « ${sourcesDir} »`, { file });
	}
	const bytes = readFileSync(path);
	return (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
}

/**
 * Parse a JSON source file.
 * @throws SourceDataError (French) naming the file when it is missing or not valid JSON.
 */
export function readSourceJson(sourcesDir: string, file: string): unknown {
	const text = readSourceText(sourcesDir, file);
	try {
		return JSON.parse(text);
	} catch (error) {
		throw new SourceDataError(`JSON invalide (${(error as Error).message})`, { file });
	}
}
