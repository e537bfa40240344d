import { availableParallelism } from 'node:os';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

/**
 * Unit test files that set `process.env` (a data folder, a database, a rate) before importing the
 * modules that read it: each runs with fresh modules.
 */
const UNIT_FILES_SETTING_ENV = [
	'tests/unit/api-classement-scenario.test.ts',
	'tests/unit/api-scenarios.test.ts',
	'tests/unit/ranking-ui-download.test.ts',
	'tests/unit/report-saved-scenario.test.ts',
	'tests/unit/scenario-store.test.ts'
];

/** Both unit projects. */
const UNIT_TESTS = {
	environment: 'node',
	// Vitest's default (one worker less than the cores) runs the unit files one at a time on CI's
	// 2 cores; two workers use both while the main process mostly waits.
	maxWorkers: Math.max(2, availableParallelism() - 1),
	testTimeout: 60_000
} as const;

export default defineConfig({
	plugins: [sveltekit()],
	server: { port: 5173 },
	// Module workers (the siting engine runs in one), the same in dev and in the build.
	worker: { format: 'es' },
	test: {
		expect: { requireAssertions: true },
		projects: [
			{
				extends: true,
				test: {
					...UNIT_TESTS,
					name: 'unit',
					include: ['tests/unit/**/*.test.ts'],
					exclude: UNIT_FILES_SETTING_ENV,
					// The files of a worker share their modules: the national dataset and its analysis
					// are read once per worker, not once per file (233 → 174 s here). A file that sets
					// the environment before importing runs isolated (below).
					isolate: false
				}
			},
			{
				extends: true,
				test: {
					...UNIT_TESTS,
					name: 'unit-isolated',
					include: UNIT_FILES_SETTING_ENV
				}
			},
			{
				extends: true,
				test: {
					// The built server under faults (start with damaged data, slow clients, floods).
					name: 'server',
					include: ['tests/server/**/*.test.ts'],
					environment: 'node',
					fileParallelism: false,
					testTimeout: 120_000,
					hookTimeout: 120_000
				}
			},
			{
				extends: true,
				test: {
					name: 'e2e',
					include: ['tests/e2e/**/*.test.ts'],
					environment: 'node',
					// One browser and one server for the whole run: files run one after another.
					fileParallelism: false,
					globalSetup: ['tests/e2e/global-setup.ts'],
					// A browser test is a whole user scenario; CI is a busy 2-core machine (SwiftShader draws on the CPU).
					testTimeout: 300_000,
					hookTimeout: 180_000
				}
			}
		]
	}
});
