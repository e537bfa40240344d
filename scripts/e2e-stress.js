// Runs the whole browser-test suite several times in a row while busy processes keep every core
// loaded, as on a busy CI machine: a test that waits for a delay or for "some feature" rather than
// the app's readiness signal fails here. Usage: `npm run test:e2e:stress` (RUNS=3 by default).
import { spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

const runs = Number(process.env.RUNS ?? 3);
const cores = availableParallelism();
// One spinning process per core, for the whole run; killed on exit whatever happens.
const burners = Array.from({ length: cores }, () =>
	spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' })
);
const stopBurners = () => burners.forEach((child) => child.kill('SIGKILL'));
process.on('exit', stopBurners);
process.on('SIGINT', () => process.exit(130));

const results = [];
for (let run = 1; run <= runs; run++) {
	const started = Date.now();
	console.log(`\n=== Série ${run}/${runs} (${cores} cœurs occupés en plus) ===`);
	const { status } = spawnSync('npm', ['run', 'test:e2e'], { stdio: 'inherit' });
	results.push({ run, ok: status === 0, seconds: Math.round((Date.now() - started) / 1000) });
}
stopBurners();
console.log('\nRésultat :');
for (const { run, ok, seconds } of results)
	console.log(`  série ${run} : ${ok ? 'vert' : 'ÉCHEC'} (${seconds} s)`);
const failed = results.filter((r) => !r.ok).length;
console.log(`${runs - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
