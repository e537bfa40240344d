/**
 * Starts the production server (`node build/index.js`, built beforehand by `npm run test:e2e` via
 * scripts/ensure-build.js) on a free port of 127.0.0.1, waits until it answers, hands its URL to the
 * tests (`inject('baseUrl')`) and stops it after the run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
	export interface ProvidedContext {
		/** Base URL of the production server under test, e.g. `http://127.0.0.1:41234`. */
		baseUrl: string;
	}
}

const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 60_000;

/** A port the OS says is free right now. */
function findFreePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, HOST, () => {
			const address = server.address();
			server.close(() =>
				typeof address === 'object' && address
					? resolve(address.port)
					: reject(new Error('no port'))
			);
		});
	});
}

async function waitForServer(
	url: string,
	child: ChildProcess,
	output: () => string
): Promise<void> {
	const deadline = Date.now() + START_TIMEOUT_MS;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) {
			throw new Error(
				`The server exited with code ${child.exitCode} before answering:\n${output()}`
			);
		}
		try {
			const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
			if (response.status < 500) return;
		} catch {
			// Not listening yet.
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	throw new Error(
		`The server did not answer ${url} within ${START_TIMEOUT_MS / 1000} s:\n${output()}`
	);
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
	const root = process.cwd();
	const entry = join(root, 'build', 'index.js');
	if (!existsSync(entry)) {
		throw new Error(
			'build/index.js is missing: run the browser tests with `npm run test:e2e` (it builds first).'
		);
	}
	const port = await findFreePort();
	let log = '';
	const child = spawn(process.execPath, [entry], {
		cwd: root,
		env: { ...process.env, PORT: String(port), HOST, ORIGIN: `http://${HOST}:${port}` },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	child.stdout?.on('data', (chunk) => (log += chunk));
	child.stderr?.on('data', (chunk) => (log += chunk));
	const baseUrl = `http://${HOST}:${port}`;
	try {
		await waitForServer(`${baseUrl}/`, child, () => log);
	} catch (error) {
		child.kill('SIGTERM');
		throw error;
	}
	project.provide('baseUrl', baseUrl);

	return async () => {
		if (child.exitCode !== null) return;
		const exited = new Promise((resolve) => child.once('exit', resolve));
		child.kill('SIGTERM');
		const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
		await exited;
		clearTimeout(timer);
	};
}
