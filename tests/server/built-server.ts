/**
 * Start the built server (`build/index.js`, built beforehand by `npm run test:server`) on a free
 * loopback port with the given environment, for the fault tests; stop it afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const HOST = '127.0.0.1';
export const ROOT = process.cwd();

/** A port the OS says is free right now. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
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

export interface RunningServer {
	base: string;
	port: number;
	child: ChildProcess;
	output: () => string;
	stop: () => Promise<void>;
}

/** Resolves once the server prints that it listens; rejects if it exits first or within 60 s it does not. */
export function listening(child: ChildProcess, output: () => string): Promise<void> {
	return new Promise((resolve, reject) => {
		const check = () => {
			if (/Listening on/.test(output())) return done(null);
			if (child.exitCode !== null || child.signalCode !== null)
				return done(new Error(`server exited ${child.exitCode ?? child.signalCode}:\n${output()}`));
		};
		const timer = setTimeout(
			() => done(new Error(`server did not listen within 60 s:\n${output()}`)),
			60_000
		);
		const done = (error: Error | null) => {
			clearTimeout(timer);
			child.stdout?.off('data', check);
			child.off('exit', check);
			if (error) reject(error);
			else resolve();
		};
		child.stdout?.on('data', check);
		child.on('exit', check);
		check();
	});
}

/** Spawn `entry` and collect its output; resolves once the child exits. */
export function spawnServer(entry: string, env: Record<string, string>, port: number) {
	let log = '';
	const child = spawn(process.execPath, [entry], {
		cwd: ROOT,
		env: { ...process.env, PORT: String(port), HOST, ORIGIN: `http://${HOST}:${port}`, ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	child.stdout?.on('data', (chunk) => (log += chunk));
	child.stderr?.on('data', (chunk) => (log += chunk));
	const exited = new Promise<number | null>((resolve) =>
		child.once('exit', (code) => resolve(code))
	);
	return { child, output: () => log, exited };
}

/**
 * Start the built server and wait until it says it listens (60 s at most). It listens only once
 * warm, so from then on every request must be answered: nothing here retries.
 */
export async function startBuiltServer(
	env: Record<string, string> = {},
	entry = join(ROOT, 'build', 'index.js')
): Promise<RunningServer> {
	const port = await freePort();
	const { child, output, exited } = spawnServer(entry, env, port);
	const base = `http://${HOST}:${port}`;
	await listening(child, output);
	return {
		base,
		port,
		child,
		output,
		stop: async () => {
			if (child.exitCode !== null) return;
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
			await exited;
			clearTimeout(timer);
		}
	};
}
