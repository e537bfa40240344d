// Steps after adapter-node (called from svelte.config.js): every data artifact precompressed (the
// adapter skips `.geojson`, 5.7 MB of mediation places), a manifest of their SHA-256 (the server's
// ETags, and its start-up check that no file is missing or corrupt), and the hardened server
// entry (scripts/server/index.js) as build/index.js in place of the adapter's.
import { createHash } from 'node:crypto';
import { copyFile, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Folder of the data artifacts under the client output, and their URL prefix. */
export const DATA_PREFIX = 'data';

/** @param {string} directory @returns {Promise<string[]>} */
async function listFiles(directory) {
	const entries = await readdir(directory, { withFileTypes: true });
	const files = await Promise.all(
		entries.map((e) =>
			e.isDirectory() ? listFiles(join(directory, e.name)) : [join(directory, e.name)]
		)
	);
	return files.flat();
}

/** @param {string} file @param {Buffer} bytes */
async function ensureCompressed(file, bytes) {
	/** @param {string} path */
	const exists = (path) =>
		stat(path).then(
			() => true,
			() => false
		);
	if (!(await exists(`${file}.br`))) {
		const br = await brotli(bytes, {
			params: {
				[constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
				[constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
				[constants.BROTLI_PARAM_SIZE_HINT]: bytes.length
			}
		});
		await writeFile(`${file}.br`, br);
	}
	if (!(await exists(`${file}.gz`))) {
		await writeFile(`${file}.gz`, await gzipAsync(bytes, { level: constants.Z_BEST_COMPRESSION }));
	}
}

/**
 * @param {string} out the adapter's output folder
 * @param {{ log: { minor: (text: string) => void } }} [builder]
 */
export async function finishBuild(out, builder) {
	const client = join(out, 'client');
	const dataDir = join(client, DATA_PREFIX);
	/** @type {Record<string, { sha256: string, size: number }>} */
	const artifacts = {};
	const files = (await listFiles(dataDir)).filter((f) => !/\.(br|gz)$/.test(f));
	for (const file of files) {
		const bytes = await readFile(file);
		await ensureCompressed(file, bytes);
		const url = `/${relative(client, file).split('\\').join('/')}`;
		artifacts[url] = {
			sha256: createHash('sha256').update(bytes).digest('hex'),
			size: bytes.length
		};
	}
	await writeFile(join(out, 'artifacts.json'), `${JSON.stringify(artifacts, null, '\t')}\n`);
	await copyFile(new URL('./index.js', import.meta.url), join(out, 'index.js'));
	builder?.log.minor(`Artifacts: ${files.length} compressed and hashed; server entry written`);
}
