/**
 * The contract of a benchmark section (one file in `tests/bench/sections/`, run in file-name
 * order by `npm run bench`) and the artifact access every section shares.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface BenchSection {
	/** French title printed above the section's output. */
	name: string;
	/** Print the section's figures to stdout; a missing artifact is printed, not thrown. */
	run(): Promise<void>;
}

/** Line printed instead of figures when an artifact has not been built. */
export function missingArtifactLine(path: string): string {
	return `artefact absent : ${path} (lancez npm run geodata:build)`;
}

/**
 * The artifact directory: `ATLAS_DATA_DIR` (as for the server, src/lib/server/dataset.ts), else
 * `static/data` under the working directory.
 */
export function dataDirectory(): string {
	return process.env.ATLAS_DATA_DIR ?? join(process.cwd(), 'static', 'data');
}

/** Absolute path of an artifact (path relative to the data directory, as in ARTIFACTS). */
export function artifactPath(path: string): string {
	return join(dataDirectory(), path);
}

/** Whether the artifact file exists. */
export function artifactExists(path: string): Promise<boolean> {
	return stat(artifactPath(path)).then(
		(s) => s.isFile(),
		() => false
	);
}

/** Whether all the artifacts exist; prints the "artefact absent" line for each missing one. */
export async function requireArtifacts(...paths: string[]): Promise<boolean> {
	let present = true;
	for (const path of paths) {
		if (!(await artifactExists(path))) {
			console.log(missingArtifactLine(path));
			present = false;
		}
	}
	return present;
}

/** The artifact's text (UTF-8). */
export function readArtifact(path: string): Promise<string> {
	return readFile(artifactPath(path), 'utf8');
}
