/**
 * The check a server makes before it answers anyone: every artifact it and the browser load is
 * present and parses, so a missing or corrupt file stops the start with a French message naming the
 * file, instead of a half-served app whose map fails in each visitor's browser.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ARTIFACTS } from '../territory/artifacts';

/** Every required artifact, relative to the data folder (the optional QPV perimeters excluded). */
export const REQUIRED_ARTIFACTS: readonly string[] = [
	ARTIFACTS.communes,
	ARTIFACTS.territories,
	ARTIFACTS.mediators,
	ARTIFACTS.mediatorPoints,
	ARTIFACTS.qpv,
	ARTIFACTS.sources,
	ARTIFACTS.postcodes,
	...Object.values(ARTIFACTS.estimates),
	...Object.values(ARTIFACTS.geometry)
];

/**
 * Read and parse every required artifact of `directory`.
 * @returns the French problems found, one per file (empty when all is well)
 */
export async function checkArtifacts(directory: string): Promise<string[]> {
	const problems = await Promise.all(
		REQUIRED_ARTIFACTS.map(async (file) => {
			let text: string;
			try {
				text = await readFile(join(directory, file), 'utf8');
			} catch (error) {
				const code = (error as NodeJS.ErrnoException).code;
				return code === 'ENOENT'
					? `fichier ${file} absent de ${directory}`
					: `fichier ${file} illisible (${code ?? 'erreur de lecture'})`;
			}
			try {
				const value: unknown = JSON.parse(text);
				if (value === null || typeof value !== 'object') {
					return `fichier ${file} : un objet JSON est attendu`;
				}
			} catch (error) {
				const position = /position (\d+)/.exec(error instanceof Error ? error.message : '');
				return `fichier ${file} corrompu : JSON invalide${position ? ` vers l’octet ${position[1]}` : ''}`;
			}
			return null;
		})
	);
	return problems.filter((p): p is string => p !== null);
}
