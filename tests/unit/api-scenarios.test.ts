/**
 * POST /api/scenarios and GET /api/scenarios/<id> through their handlers, on a SQLite store in a
 * temporary DATA_DIR: 201 { id, url }, the stored scenario back, French 400/404/413/429.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realScenario } from '../fixtures/scenarios/real-scenario';

const dir = mkdtempSync(join(tmpdir(), 'atlas-api-scenarios-'));
type Routes = {
	POST: typeof import('../../src/routes/api/scenarios/+server').POST;
	GET: typeof import('../../src/routes/api/scenarios/[id]/+server').GET;
};
const routes = {} as Routes;

beforeAll(async () => {
	process.env.DATA_DIR = join(dir, 'data');
	process.env.SCENARIO_SAVES_PER_MINUTE = '5';
	routes.POST = (await import('../../src/routes/api/scenarios/+server')).POST;
	routes.GET = (await import('../../src/routes/api/scenarios/[id]/+server')).GET;
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
