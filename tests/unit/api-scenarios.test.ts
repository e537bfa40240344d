/**
 * POST /api/scenarios and GET /api/scenarios/<id> through their handlers, on a SQLite store in a
 * temporary DATA_DIR: 201 { id, url }, the stored scenario back, French 400/404/413/429; and the
 * scenario page's « Dupliquer » form action (a redirect to the copy, French failures).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isActionFailure, isRedirect } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realScenario } from '../fixtures/scenarios/real-scenario';

const dir = mkdtempSync(join(tmpdir(), 'atlas-api-scenarios-'));
type Routes = {
	POST: typeof import('../../src/routes/api/scenarios/+server').POST;
	GET: typeof import('../../src/routes/api/scenarios/[id]/+server').GET;
	actions: typeof import('../../src/routes/scenario/[id]/+page.server').actions;
};
const routes = {} as Routes;

beforeAll(async () => {
	process.env.DATA_DIR = join(dir, 'data');
	process.env.SCENARIO_SAVES_PER_MINUTE = '5';
	routes.POST = (await import('../../src/routes/api/scenarios/+server')).POST;
	routes.GET = (await import('../../src/routes/api/scenarios/[id]/+server')).GET;
	routes.actions = (await import('../../src/routes/scenario/[id]/+page.server')).actions;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function post(body: string, client = '192.0.2.1'): Promise<Response> {
	const request = new Request('http://localhost/api/scenarios', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body
	});
	return await routes.POST({ request, getClientAddress: () => client } as Parameters<
		Routes['POST']
	>[0]);
}

async function get(id: string): Promise<Response> {
	return await routes.GET({ params: { id } } as unknown as Parameters<Routes['GET']>[0]);
}

describe('/api/scenarios', () => {
	const scenario = realScenario(100);

	it('saves a scenario (201 { id, url }) and gives it back as stored', async () => {
		const response = await post(JSON.stringify(scenario));
		expect(response.status).toBe(201);
		const { id, url } = (await response.json()) as { id: string; url: string };
		expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
		expect(url).toBe(`/scenario/${id}`);
		const read = await get(id);
		expect(read.status).toBe(200);
		const body = await read.json();
		expect({ ...body, id: undefined, createdAt: undefined }).toEqual({
			...scenario,
			id: undefined,
			createdAt: undefined
		});
	});

	it('answers a French 404 for an unknown id', async () => {
		const response = await get('AAAAAAAAAAAAAAAAAAAAAA');
		expect(response.status).toBe(404);
		expect((await response.json()).erreur).toMatch(/Aucun scénario enregistré/);
	});

	it('refuses bad bodies with French messages', async () => {
		const bad = await post(JSON.stringify({ ...scenario, name: '' }));
		expect(bad.status).toBe(400);
		expect((await bad.json()).details).toContain('Le nom du scénario est obligatoire (« name »).');
		const syntax = await post('{"name":');
		expect(syntax.status).toBe(400);
		const huge = await post(JSON.stringify({ ...scenario, notes: 'x'.repeat(9 * 1024 * 1024) }));
		expect(huge.status).toBe(413);
		expect((await huge.json()).erreur).toMatch(/trop volumineux/);
	});

	it('answers 429 with Retry-After when one client saves too often', async () => {
		const small = JSON.stringify({ ...scenario, importedPlaces: [] });
		const statuses: number[] = [];
		let last: Response | null = null;
		for (let i = 0; i < 6; i++) {
			last = await post(small, '198.51.100.7');
			statuses.push(last.status);
		}
		expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
		expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
		expect((await (last as Response).json()).erreur).toMatch(/Trop d’enregistrements/);
	});
});

/** What the « Dupliquer » action returns or throws (a redirect is thrown). */
async function duplicate(id: string, client = '192.0.2.9'): Promise<unknown> {
	try {
		return await routes.actions.duplicate({
			params: { id },
			getClientAddress: () => client
		} as unknown as Parameters<Routes['actions']['duplicate']>[0]);
	} catch (thrown) {
		return thrown;
	}
}

describe('« Dupliquer » on a saved scenario', () => {
	const scenario = realScenario(3);

	it('stores a copy named « Copie de … » with the same content and redirects to it', async () => {
		const saved = (await (await post(JSON.stringify(scenario), '192.0.2.8')).json()) as {
			id: string;
		};
		const outcome = await duplicate(saved.id);
		if (!isRedirect(outcome)) throw new Error(`expected a redirect, got ${String(outcome)}`);
		expect(outcome.status).toBe(303);
		const copyId = outcome.location.replace('/scenario/', '');
		expect(copyId).toMatch(/^[A-Za-z0-9_-]{22}$/);
		expect(copyId).not.toBe(saved.id);
		const copy = await (await get(copyId)).json();
		expect(copy.name).toBe(`Copie de ${scenario.name}`);
		expect(copy.importedPlaces).toEqual(scenario.importedPlaces);
		expect(copy.parameters).toEqual(scenario.parameters);
		expect(copy.edits).toEqual(scenario.edits);
		// The original never changes.
		expect((await (await get(saved.id)).json()).name).toBe(scenario.name);
	});

	it('answers an unknown scenario with a French 404 failure', async () => {
		const outcome = await duplicate('AAAAAAAAAAAAAAAAAAAAAA');
		if (!isActionFailure(outcome)) throw new Error('expected an action failure');
		expect(outcome.status).toBe(404);
		expect(outcome.data).toEqual({ erreur: 'Aucun scénario enregistré sous cet identifiant.' });
	});

	it('keeps the save limit per client and says when to retry', async () => {
		const saved = (await (await post(JSON.stringify(scenario), '192.0.2.10')).json()) as {
			id: string;
		};
		const statuses: number[] = [];
		let last: unknown = null;
		for (let i = 0; i < 6; i++) {
			last = await duplicate(saved.id, '203.0.113.5');
			statuses.push(isRedirect(last) ? 303 : isActionFailure(last) ? last.status : 0);
		}
		expect(statuses).toEqual([303, 303, 303, 303, 303, 429]);
		if (!isActionFailure(last)) throw new Error('expected an action failure');
		expect(last.data).toEqual({ erreur: expect.stringMatching(/Trop d’enregistrements/) });
	});
});
