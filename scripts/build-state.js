// Decides whether the production build is older than its inputs, so `npm start` and the e2e tests
// rebuild only when needed.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const INPUTS = [
	'src',
	'static',
	'scripts/server',
	'svelte.config.js',
	'vite.config.ts',
	'package-lock.json'
];

/** @param {string} path @returns {number} */
function newestMtime(path) {
	if (!existsSync(path)) return 0;
	const stat = statSync(path);
	if (!stat.isDirectory()) return stat.mtimeMs;
	let newest = stat.mtimeMs;
	for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
	return newest;
}

/** True when `build/` is missing or older than any source file. */
export function buildIsStale(root = process.cwd()) {
	const marker = join(root, 'build', 'index.js');
	if (!existsSync(marker)) return true;
	const built = statSync(marker).mtimeMs;
	return INPUTS.some((input) => newestMtime(join(root, input)) > built);
}
