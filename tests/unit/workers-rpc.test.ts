/**
 * The RPC shared by the app's workers (src/lib/workers/rpc.ts), with an in-memory stand-in worker
 * that clones messages as postMessage does: latest wins per kind, cancel by terminate, crashes and
 * handler errors as French failures, and ids that never cross between requests or workers.
 */
import { describe, expect, it } from 'vitest';
import {
	answerRequest,
	createRpcClient,
	serve,
	type RpcContext,
	type RpcRequest,
	type RpcResponse,
	type RpcWorker
} from '$lib/workers/rpc';

/** A promise resolved from outside. */
function gate() {
	let open!: () => void;
	const opened = new Promise<void>((resolve) => (open = resolve));
	return { opened, open };
}

function makeHandlers(gates: Map<number, Promise<void>> = new Map()) {
	return {
		double: (n: number) => n * 2,
		/** Waits for the gate of its value, if any, then answers it. */
		slow: async (n: number) => {
			await gates.get(n);
			return `fini ${n}`;
		},
		fail: (): never => {
			throw new Error('Territoire « 99 » inconnu.');
		},
		steps: (n: number, context: RpcContext) => {
			for (let i = 1; i <= n; i++) context.progress(i / n);
			return n;
		}
	};
}
type Handlers = ReturnType<typeof makeHandlers>;

interface FakeWorker extends RpcWorker {
	received: RpcRequest[];
	terminated: boolean;
	emit(type: 'error' | 'messageerror', message?: string): void;
	/** Answer as this worker would, even after terminate (a late message in flight). */
	answerLate(response: RpcResponse): void;
}

/** An in-process worker serving `handlers`, cloning each message both ways. */
function fakeWorker(handlers: Handlers): FakeWorker {
	const listeners = new Map<string, ((event: never) => void)[]>();
	const dispatch = (type: string, event: unknown) =>
		(listeners.get(type) ?? []).forEach((l) => l(event as never));
	const worker: FakeWorker = {
		received: [],
		terminated: false,
		postMessage(message) {
			const copy = structuredClone(message);
			worker.received.push(copy);
			void answerRequest(handlers, copy, (response) => {
				if (!worker.terminated) dispatch('message', { data: structuredClone(response) });
			});
		},
		addEventListener(type: string, listener: (event: never) => void) {
			listeners.set(type, [...(listeners.get(type) ?? []), listener]);
		},
		terminate() {
			worker.terminated = true;
		},
		emit(type, message) {
			dispatch(type, { message, preventDefault: () => undefined });
		},
		answerLate(response) {
			dispatch('message', { data: response });
		}
	};
	return worker;
}

function setup(options: { latestWins?: (keyof Handlers)[]; init?: boolean } = {}) {
	const gates = new Map<number, Promise<void>>();
	const workers: FakeWorker[] = [];
	const client = createRpcClient<Handlers>({
		createWorker: () => {
			const worker = fakeWorker(makeHandlers(gates));
			workers.push(worker);
			return worker;
		},
		label: 'de l’essai',
		latestWins: options.latestWins,
		init: options.init ? () => ({ kind: 'double', payload: 0 }) : undefined
	});
	return { client, workers, gates };
}

describe('rpc client', () => {
	it('starts the worker on the first call and answers by kind', async () => {
		const { client, workers } = setup();
		expect(workers).toHaveLength(0);
		expect(await client.call('double', 21)).toEqual({ status: 'done', value: 42 });
		expect(workers).toHaveLength(1);
		client.dispose();
	});

	it('latest wins: older requests of a kind settle superseded, only the newest is answered', async () => {
		const { client, workers, gates } = setup({ latestWins: ['slow'] });
		const first = gate();
		gates.set(1, first.opened);
		const a = client.call('slow', 1);
		const b = client.call('slow', 2);
		const c = client.call('slow', 3);
		expect(await a).toEqual({ status: 'superseded' });
		expect(await b).toEqual({ status: 'superseded' });
		// One request of the kind in the worker at a time: 2 is never sent, 3 waits for 1's answer.
		expect(workers[0].received.map((r) => r.payload)).toEqual([1]);
		first.open();
		expect(await c).toEqual({ status: 'done', value: 'fini 3' });
		expect(workers[0].received.map((r) => r.payload)).toEqual([1, 3]);
		client.dispose();
	});

	it('never coalesces other kinds: every request is answered', async () => {
		const { client } = setup({ latestWins: ['slow'] });
		const answers = await Promise.all([
			client.call('double', 1),
			client.call('double', 2),
			client.call('slow', 5)
		]);
		expect(answers).toEqual([
			{ status: 'done', value: 2 },
			{ status: 'done', value: 4 },
			{ status: 'done', value: 'fini 5' }
		]);
		client.dispose();
	});

	it('ids never cross: answers arriving out of order reach their own request', async () => {
		const { client, workers, gates } = setup();
		const late = gate();
		gates.set(1, late.opened);
		const first = client.call('slow', 1);
		const second = client.call('slow', 2);
		expect(await second).toEqual({ status: 'done', value: 'fini 2' });
		late.open();
		expect(await first).toEqual({ status: 'done', value: 'fini 1' });
		const ids = workers[0].received.map((r) => r.id);
		expect(new Set(ids).size).toBe(ids.length);
		client.dispose();
	});

	it('turns a handler error and an unknown kind into French failures', async () => {
		const { client } = setup();
		expect(await client.call('fail', undefined as never)).toEqual({
			status: 'failed',
			message: 'Territoire « 99 » inconnu.'
		});
		const unknown = await client.call('inconnu' as 'double', 1);
		expect(unknown).toEqual({
			status: 'failed',
			message: 'Demande inconnue du calcul : « inconnu ».'
		});
		client.dispose();
	});

	it('forwards progress to the caller', async () => {
		const { client } = setup();
		const seen: number[] = [];
		const outcome = await client.call('steps', 4, { onProgress: (f) => seen.push(f) });
		expect(outcome).toEqual({ status: 'done', value: 4 });
		expect(seen).toEqual([0.25, 0.5, 0.75, 1]);
		client.dispose();
	});

	it('terminate cancels everything pending in French and the next call starts a fresh worker', async () => {
		const { client, workers, gates } = setup({ latestWins: ['slow'] });
		gates.set(7, new Promise(() => undefined));
		const running = client.call('slow', 7);
		const other = client.call('double', 1);
		const queued = client.call('slow', 8);
		client.terminate();
		expect(await running).toEqual({ status: 'superseded' });
		expect(await queued).toEqual({ status: 'cancelled', message: 'Calcul de l’essai interrompu.' });
		// `other` may have been answered before terminate (microtask) or cancelled: never stale.
		expect(['done', 'cancelled']).toContain((await other).status);
		expect(workers[0].terminated).toBe(true);
		expect(client.running).toBe(false);
		expect(await client.call('double', 5)).toEqual({ status: 'done', value: 10 });
		expect(workers).toHaveLength(2);
		client.dispose();
	});

	it('drops an answer the terminated worker still sends (its id belongs to the old worker)', async () => {
		const { client, workers, gates } = setup();
		gates.set(1, new Promise(() => undefined));
		const cancelled = client.call('slow', 1);
		client.terminate();
		expect((await cancelled).status).toBe('cancelled');
		gates.set(2, new Promise(() => undefined));
		const fresh = client.call('slow', 2);
		const stale = workers[0].received[0];
		// The old worker answers after all; the new request must not take that answer.
		workers[0].answerLate({ id: stale.id, ok: true, value: 'périmé' });
		workers[1].answerLate({ id: stale.id, ok: true, value: 'périmé' });
		expect(workers[1].received[0].id).not.toBe(stale.id);
		workers[1].answerLate({ id: workers[1].received[0].id, ok: true, value: 'frais' });
		expect(await fresh).toEqual({ status: 'done', value: 'frais' });
		client.dispose();
	});

	it('a crash fails every pending request with a French message, then restarts', async () => {
		const { client, workers, gates } = setup({ latestWins: ['slow'] });
		gates.set(1, new Promise(() => undefined));
		gates.set(2, new Promise(() => undefined));
		const a = client.call('slow', 1);
		const b = client.call('slow', 2);
		expect(await a).toEqual({ status: 'superseded' });
		workers[0].emit('error', 'out of memory');
		expect(await b).toEqual({
			status: 'failed',
			message: 'Le calcul de l’essai s’est arrêté sur une erreur : out of memory.'
		});
		expect(workers[0].terminated).toBe(true);
		const c = client.call('slow', 3);
		workers[1].emit('messageerror');
		expect(await c).toEqual({
			status: 'failed',
			message: 'Le calcul de l’essai s’est arrêté sur une erreur : réponse illisible du calcul.'
		});
		expect(await client.call('double', 2)).toEqual({ status: 'done', value: 4 });
		expect(workers).toHaveLength(3);
		client.dispose();
	});

	it('sends the init request first to each new worker', async () => {
		const { client, workers } = setup({ init: true });
		await client.call('double', 3);
		client.terminate();
		await client.call('double', 4);
		expect(workers.map((w) => w.received.map((r) => [r.kind, r.payload]))).toEqual([
			[
				['double', 0],
				['double', 3]
			],
			[
				['double', 0],
				['double', 4]
			]
		]);
		client.dispose();
	});

	it('after dispose, calls are cancelled and no worker starts', async () => {
		const { client, workers } = setup();
		client.dispose();
		expect(await client.call('double', 1)).toEqual({
			status: 'cancelled',
			message: 'Calcul de l’essai arrêté.'
		});
		expect(workers).toHaveLength(0);
	});

	it('fails in French when a payload cannot be cloned', async () => {
		const { client } = setup();
		const outcome = await client.call('double', (() => 1) as unknown as number);
		expect(outcome.status).toBe('failed');
		expect(outcome.status === 'failed' && outcome.message).toMatch(
			/^Demande au calcul de l’essai impossible à transmettre/
		);
		client.dispose();
	});
});

describe('serve', () => {
	it('answers the messages of its scope by id', async () => {
		const posted: RpcResponse[] = [];
		let listener: ((event: { data: RpcRequest }) => void) | null = null;
		serve(makeHandlers(), {
			postMessage: (response) => posted.push(response),
			addEventListener: (_type, l) => (listener = l)
		});
		listener!({ data: { id: 4, kind: 'double', payload: 3 } });
		listener!({ data: { id: 5, kind: 'fail', payload: null } });
		await new Promise((resolve) => setTimeout(resolve, 0));
		expect(posted).toHaveLength(2);
		expect(posted).toContainEqual({ id: 4, ok: true, value: 6 });
		expect(posted).toContainEqual({ id: 5, ok: false, message: 'Territoire « 99 » inconnu.' });
	});
});
