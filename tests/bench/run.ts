/**
 * `npm run bench`: runs every section of `tests/bench/sections/` in file-name order (the numeric
 * prefix sets the order) and prints plain-text tables. To add figures (ranking, accessibility,
 * siting…), add a file there whose default export is a `BenchSection` (see section.ts).
 */
import { readdir } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { dataDirectory, type BenchSection } from './section';

const sectionsDir = join(import.meta.dirname, 'sections');
const files = (await readdir(sectionsDir)).filter((f) => /\.ts$/.test(f)).sort();

console.log(
	`Banc d'essai — ${new Date().toISOString()} — Node ${process.version}, ${cpus().length} cœurs (${cpus()[0]?.model ?? 'processeur inconnu'})`
);
console.log(`Données : ${dataDirectory()}`);

for (const file of files) {
	const section = (await import(pathToFileURL(join(sectionsDir, file)).href)).default as
		BenchSection | undefined;
	if (!section || typeof section.run !== 'function') {
		console.log(`\n${file} : pas de section exportée par défaut, ignoré`);
		continue;
	}
	console.log(`\n== ${section.name} ==`);
	try {
		await section.run();
	} catch (error) {
		// One broken section must not hide the figures of the others.
		console.log(`échec : ${(error as Error).message}`);
		process.exitCode = 1;
	}
}
