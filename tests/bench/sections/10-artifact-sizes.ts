/** Size of every built artifact, raw and gzip-compressed (what a browser downloads). */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { formatDecimal } from '../../../src/lib/format/number';
import { formatTextTable } from '../text-table';
import { dataDirectory, missingArtifactLine, type BenchSection } from '../section';

/** All files under `dir`, recursively, sorted by path. */
async function listFiles(dir: string): Promise<string[]> {
	const entries = await readdir(dir, { withFileTypes: true, recursive: true });
	return entries
		.filter((e) => e.isFile())
		.map((e) => join(e.parentPath, e.name))
		.sort();
}

const kilobytes = (bytes: number) => formatDecimal(bytes / 1024, 1);

export default {
	name: 'Taille des artefacts (brut et gzip -9)',
	async run() {
		const dir = dataDirectory();
		const files = await listFiles(dir).catch(() => null);
		if (!files || files.length === 0) {
			console.log(missingArtifactLine(relative(process.cwd(), dir) || dir));
			return;
		}
		let totalRaw = 0;
		let totalGzip = 0;
		const rows: string[][] = [];
		for (const file of files) {
			const content = await readFile(file);
			// Level 9: the best a static host can pre-compress to; servers compressing on the fly do less.
			const gzip = gzipSync(content, { level: 9 }).length;
			totalRaw += content.length;
			totalGzip += gzip;
			rows.push([
				relative(dir, file).split(sep).join('/'),
				kilobytes(content.length),
				kilobytes(gzip)
			]);
		}
		rows.push(['total', kilobytes(totalRaw), kilobytes(totalGzip)]);
		console.log(
			formatTextTable(
				[
					{ title: 'fichier' },
					{ title: 'brut (ko)', align: 'right' },
					{ title: 'gzip -9 (ko)', align: 'right' }
				],
				rows
			)
		);
	}
} satisfies BenchSection;
