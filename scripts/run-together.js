// Runs several npm scripts at the same time and fails when any fails: `npm test` runs the
// type check and the lint this way, as each mostly keeps one core busy and CI has two. Each
// script's output is held back and printed whole once it ends, so the two never interleave.
// Usage: `node scripts/run-together.js check lint`.
import { spawn } from 'node:child_process';

const scripts = process.argv.slice(2);
if (scripts.length === 0) {
	console.error('Usage : node scripts/run-together.js <script npm> [<script npm>…]');
	process.exit(2);
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/**
 * @param {string} script
 * @returns {Promise<{ script: string, code: number, seconds: number, output: Buffer }>}
 */
function run(script) {
	return new Promise((resolve) => {
		const started = Date.now();
		/** @type {Buffer[]} */
		const chunks = [];
		const child = spawn(npm, ['run', '--silent', script], {
			stdio: ['ignore', 'pipe', 'pipe'],
			env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '1' }
		});
		child.stdout.on('data', (chunk) => chunks.push(chunk));
		child.stderr.on('data', (chunk) => chunks.push(chunk));
		child.on('error', (error) => {
			chunks.push(Buffer.from(`${error.message}\n`));
			resolve({ script, code: 1, seconds: 0, output: Buffer.concat(chunks) });
		});
		child.on('close', (code, signal) => {
			const seconds = Math.round((Date.now() - started) / 1000);
			resolve({ script, code: code ?? (signal ? 1 : 0), seconds, output: Buffer.concat(chunks) });
		});
	});
}

const pending = scripts.map((script) =>
	run(script).then((result) => {
		const verdict = result.code === 0 ? 'réussi' : `échec (code ${result.code})`;
		process.stdout.write(`\n> npm run ${result.script} — ${verdict} en ${result.seconds} s\n`);
		process.stdout.write(result.output);
		return result;
	})
);
const results = await Promise.all(pending);
const failed = results.filter((r) => r.code !== 0).map((r) => r.script);
if (failed.length > 0) {
	console.error(`\nÉchec : ${failed.map((s) => `npm run ${s}`).join(', ')}`);
	process.exit(1);
}
