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

/** Start the built server and wait until it answers (60 s at most). */
export async function startBuiltServer(
	env: Record<string, string> = {},
	entry = join(ROOT, 'build', 'index.js')
): Promise<RunningServer> {
	const port = await freePort();
	const { child, output, exited } = spawnServer(entry, env, port);
	const base = `http://${HOST}:${port}`;
	const deadline = Date.now() + 60_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}:\n${output()}`);
		if (Date.now() > deadline) throw new Error(`server did not answer:\n${output()}`);
		try {
			if ((await fetch(`${base}/api/etat`, { signal: AbortSignal.timeout(2000) })).ok) break;
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
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
