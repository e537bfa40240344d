import { afterEach, describe, expect, it } from 'vitest';
import {
	createWorkerPool,
	workerPoolFailure,
	WorkerPoolFullError,
	WorkerPoolTimeoutError,
	WorkerTaskError,
	type WorkerPool
} from '../../src/lib/server/worker-pool';

const entry = new URL('../fixtures/worker-pool/tasks.worker.ts', import.meta.url);
const pools: WorkerPool[] = [];

function pool(options: { size?: number; maxQueue?: number; timeLimitMs?: number } = {}) {
	const created = createWorkerPool({ entry, ...options });
	pools.push(created);
	return created;
}

afterEach(async () => {
	await Promise.all(pools.splice(0).map((p) => p.close()));
});

describe('createWorkerPool', () => {
	it('runs a named task with its payload in a worker and returns the result', async () => {
		const p = pool({ size: 1 });
		await expect(p.run('echo', { n: 3, list: [1, 2] })).resolves.toEqual({
			echoed: { n: 3, list: [1, 2] }
		});
		await expect(p.run('sleep', 5)).resolves.toBe(5);
	});

	it('refuses at once when the queue is full, with a Retry-After estimate', async () => {
		const p = pool({ size: 1, maxQueue: 1 });
		const running = p.run('sleep', 400);
		const waiting = p.run('sleep', 10);
		const refused = p.run('echo', 1);
		await expect(refused).rejects.toBeInstanceOf(WorkerPoolFullError);
		const error = (await refused.catch((e: unknown) => e)) as WorkerPoolFullError;
		expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(1);
		expect(p.stats()).toMatchObject({ running: 1, queued: 1, maxQueue: 1 });
		await expect(running).resolves.toBe(400);
		await expect(waiting).resolves.toBe(10);
		// Room again once the queue drained.
		await expect(p.run('echo', 2)).resolves.toEqual({ echoed: 2 });
	});

	it('stops a task past its time limit, replaces the worker and keeps serving', async () => {
		const p = pool({ size: 1, timeLimitMs: 10_000 });
		const slow = p.run('spin', 30_000, { timeLimitMs: 300 });
		const next = p.run('echo', 'after');
		await expect(slow).rejects.toBeInstanceOf(WorkerPoolTimeoutError);
		// The queued task ran in the replacement worker: the busy loop did not hold it.
		await expect(next).resolves.toEqual({ echoed: 'after' });
		expect(p.stats().replaced).toBe(1);
	});

	it('reports a handler error, an unknown task and a crashed worker without losing the pool', async () => {
		const p = pool({ size: 1 });
		await expect(p.run('fail', 'donnée absente')).rejects.toThrow('donnée absente');
		await expect(p.run('nope')).rejects.toThrow('unknown task nope');
		await expect(p.run('crash')).rejects.toBeInstanceOf(WorkerTaskError);
		await expect(p.run('echo', 'still here')).resolves.toEqual({ echoed: 'still here' });
		expect(p.stats().replaced).toBe(1);
	});

	it('runs tasks side by side up to its size', async () => {
		const p = pool({ size: 2, maxQueue: 0 });
		const a = p.run('sleep', 200);
		const b = p.run('sleep', 200);
		expect(p.stats().running).toBe(2);
		await expect(p.run('echo', 1)).rejects.toBeInstanceOf(WorkerPoolFullError);
		await expect(Promise.all([a, b])).resolves.toEqual([200, 200]);
	});

	it('rejects the waiting and running tasks on close', async () => {
		const p = pool({ size: 1 });
		const running = expect(p.run('sleep', 5_000)).rejects.toThrow('worker pool closed');
		const waiting = expect(p.run('echo', 1)).rejects.toThrow('worker pool closed');
		await p.close();
		await running;
		await waiting;
		await expect(p.run('echo', 1)).rejects.toThrow('worker pool closed');
	});
});

describe('workerPoolFailure', () => {
	it('answers a full queue with a French 503 and Retry-After', () => {
		const failure = workerPoolFailure(new WorkerPoolFullError(7), 'La simulation');
		expect(failure.status).toBe(503);
		expect(failure.headers['retry-after']).toBe('7');
		expect(failure.body.erreur).toMatch(/Serveur occupé.*Réessayez dans 7 s/);
	});

	it('answers a run past its limit with a French 504 naming the limit', () => {
		const failure = workerPoolFailure(
			new WorkerPoolTimeoutError('simulate', 2500),
			'La simulation'
		);
		expect(failure.status).toBe(504);
		expect(failure.body.erreur).toContain('durée maximale de 2,5 s');
	});

	it('answers anything else with a French 500 that hides the internal message', () => {
		const failure = workerPoolFailure(new WorkerTaskError('x', 'TypeError: boom'), 'L’export');
		expect(failure.status).toBe(500);
		expect(failure.body.erreur).not.toContain('boom');
	});
});
