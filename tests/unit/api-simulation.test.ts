/**
 * POST /api/simulation: bad bodies get a French 400/413 (never a 500), a real département answers
 * the same result as the panel in a few seconds.
 */
import { describe, expect, it } from 'vitest';
import { POST, fallback } from '../../src/routes/api/simulation/+server';

type Event = Parameters<typeof POST>[0];

/** Call the handler as SvelteKit would, with only the request it reads. */
async function post(
	body: BodyInit | null,
	headers: Record<string, string> = { 'content-type': 'application/json' }
): Promise<Response> {
	const request = new Request('http://localhost/api/simulation', {
		method: 'POST',
		headers,
		body,
		...(body instanceof ReadableStream ? { duplex: 'half' } : {})
	} as RequestInit);
	return POST({ request } as Event);
}

const postJson = (value: unknown) => post(JSON.stringify(value));

interface ErrorBody {
	erreur: string;
	details: string[];
}

const valid = { niveau: 'departement', code: '02', n: 11, objectif: 'couverture' };

interface Site {
	rang: number;
	code_commune: string;
	nom: string;
	lon: number;
	lat: number;
	gain: number;
	origine: string;
}
interface Answer {
	parametres: { niveau: string; code: string; n: number; objectif: string; distance_km: number };
	territoire: { nom: string };
	sites: Site[];
	avant: {
		eloignes_couverts: number;
		part_couverte_pct: number;
		distance_moyenne_km: number;
		communes_non_couvertes: number;
		accessibilite: number;
	};
	apres: {
		eloignes_couverts: number;
		part_couverte_pct: number;
		distance_moyenne_km: number;
		communes_non_couvertes: number;
		accessibilite: number;
	};
	message: string | null;
	rien_a_proposer: boolean;
	sources: { id: string }[];
	attribution: string;
	duree_ms: number;
	communes?: unknown[];
}

describe('POST /api/simulation: answers', () => {
	it('Aisne (02), N = 11: the sites, their gains summing to the people newly covered, in seconds', async () => {
		const cold = performance.now();
		const first = await postJson(valid);
		const coldMs = performance.now() - cold;
		expect(first.status).toBe(200);
		const warm = performance.now();
		const response = await postJson(valid);
		const warmMs = performance.now() - warm;
		console.info(
			`POST /api/simulation Aisne N=11: ${Math.round(coldMs)} ms (premier appel, chargement des données compris), ${Math.round(warmMs)} ms ensuite`
		);
		// Speed is measured in `npm run bench`; here only that both calls answered.
		expect(warmMs).toBeGreaterThan(0);
		const body = (await response.json()) as Answer;
		expect(body.parametres).toMatchObject({
			niveau: 'departement',
			code: '02',
			n: 11,
			objectif: 'couverture',
			distance_km: 10
		});
		expect(body.territoire.nom).toBe('Aisne');
		expect(body.sites.length).toBeGreaterThan(0);
		expect(body.sites.length).toBeLessThanOrEqual(11);
		if (body.sites.length < 11) expect(body.message).toMatch(/des 11 sites demandés/);
		for (const site of body.sites) {
			expect(site).toMatchObject({
				origine: 'proposition',
				code_commune: expect.stringMatching(/^02\d{3}$/)
			});
			expect(site.gain).toBeGreaterThan(0);
		}
		const gains = body.sites.reduce((s, x) => s + x.gain, 0);
		expect(
			Math.abs(gains - (body.apres.eloignes_couverts - body.avant.eloignes_couverts))
		).toBeLessThan(0.05 * (body.sites.length + 2));
		expect(body.apres.accessibilite).toBeGreaterThan(body.avant.accessibilite);
		expect(body.sources.map((s) => s.id)).toContain('france-services-2024');
		expect(body.attribution).toContain('ANCT');
		expect(body.communes).toBeUndefined();
	});

	it('Somme (80), N = 11, distance objective, with the per-commune detail', async () => {
		const response = await postJson({
			niveau: 'departement',
			code: '80',
			n: 11,
			objectif: 'distance',
			distance_km: 8,
			detail_communes: true
		});
		expect(response.status).toBe(200);
		const body = (await response.json()) as Answer;
		expect(body.sites).toHaveLength(11);
		expect(body.apres.distance_moyenne_km).toBeLessThan(body.avant.distance_moyenne_km);
		expect(body.communes!.length).toBeGreaterThan(700);
	});

	it('hand-added sites and removed places take part (what-if through the API)', async () => {
		const plain = (await (await postJson({ ...valid, n: 1 })).json()) as Answer;
		const response = await postJson({
			...valid,
			n: 1,
			ajouts: [{ code_commune: plain.sites[0].code_commune }]
		});
		const body = (await response.json()) as Answer;
		expect(body.sites[0]).toMatchObject({
			origine: 'ajout',
			code_commune: plain.sites[0].code_commune
		});
		expect(body.sites.length).toBe(2);
		expect(body.sites[1].code_commune).not.toBe(plain.sites[0].code_commune);
	});

	it('a territory already covered: no site, and the message says why', async () => {
		const response = await postJson({
			niveau: 'epci',
			code: '200093201',
			n: 5,
			objectif: 'couverture'
		});
		expect(response.status).toBe(200);
		const body = (await response.json()) as Answer;
		expect(body.rien_a_proposer).toBe(true);
		expect(body.sites).toEqual([]);
		expect(body.message).toMatch(/^Rien d’utile à proposer : toute la demande/);
	});
});

describe('POST /api/simulation: answers computed once', () => {
	it('answers the same request again from the cache, and another one afresh', async () => {
		const request = { niveau: 'departement', code: '23', n: 3, objectif: 'distance' };
		const first = await postJson(request);
		expect(first.status).toBe(200);
		expect(first.headers.get('x-cache')).toBe('MISS');
		// The same request written with its fields in another order and a default made explicit.
		const again = await postJson({
			objectif: 'distance',
			n: 3,
			code: '23',
			niveau: 'departement',
			distance_km: 10
		});
		expect(again.headers.get('x-cache')).toBe('HIT');
		expect(again.headers.get('cache-control')).toBe('no-store');
		await expect(again.text()).resolves.toBe(await first.text());
		const other = await postJson({ ...request, n: 4 });
		expect(other.headers.get('x-cache')).toBe('MISS');
		expect(((await other.json()) as Answer).parametres.n).toBe(4);
	});

	it('never keeps a refused request', async () => {
		const bad = { niveau: 'departement', code: '23', n: 0 };
		const first = await postJson(bad);
		expect(first.status).toBe(400);
		const again = await postJson(bad);
		expect(again.status).toBe(400);
		expect(again.headers.get('x-cache')).toBeNull();
	});
});

describe('POST /api/simulation: bad requests get a 400 or 413 with a French message', () => {
	it.each([
		{
			name: 'invalid JSON',
			send: () => post('{"niveau": "departement",'),
			status: 400,
			problems: ['JSON invalide : erreur de syntaxe']
		},
		{ name: 'empty body', send: () => post(''), status: 400, problems: ['corps vide'] },
		{
			name: 'JSON null',
			send: () => post('null'),
			status: 400,
			problems: ['le corps doit être un objet JSON']
		},
		{
			name: 'JSON list',
			send: () => postJson([valid]),
			status: 400,
			problems: ['le corps doit être un objet JSON']
		},
		{
			name: 'wrong content type',
			send: () => post(JSON.stringify(valid), { 'content-type': 'text/plain' }),
			status: 400,
			problems: ['« Content-Type: application/json » (reçu : « text/plain »)']
		},
		{
			name: 'form body',
			send: () =>
				post('niveau=departement&code=02&n=11', {
					'content-type': 'application/x-www-form-urlencoded'
				}),
			status: 400,
			problems: ['le corps doit être du JSON']
		},
		{
			// A byte body gets no default content type (a string body would be text/plain).
			name: 'no content type',
			send: () => post(new TextEncoder().encode(JSON.stringify(valid)), {}),
			status: 400,
			problems: ['(reçu : aucun)']
		},
		{
			name: 'n as a string',
			send: () => postJson({ ...valid, n: '11' }),
			status: 400,
			problems: ['« n » doit être un entier entre 1 et 500 (reçu : un texte « 11 »)']
		},
		{
			name: 'n = 0',
			send: () => postJson({ ...valid, n: 0 }),
			status: 400,
			problems: ['« n » doit être un entier entre 1 et 500 (reçu : 0)']
		},
		{
			name: 'n = 501',
			send: () => postJson({ ...valid, n: 501 }),
			status: 400,
			problems: ['(reçu : 501)']
		},
		{
			name: 'n = 2.5',
			send: () => postJson({ ...valid, n: 2.5 }),
			status: 400,
			problems: ['(reçu : 2.5)']
		},
		{
			name: 'n missing',
			send: () => postJson({ niveau: 'departement', code: '02' }),
			status: 400,
			problems: ['« n » obligatoire']
		},
		{
			name: 'unknown level',
			send: () => postJson({ ...valid, niveau: 'canton' }),
			status: 400,
			problems: ['« niveau » « canton » inconnu']
		},
		{
			name: 'level as a number',
			send: () => postJson({ ...valid, niveau: 2 }),
			status: 400,
			problems: ['« niveau » doit être un texte (reçu : un nombre)']
		},
		{
			name: 'unknown département',
			send: () => postJson({ ...valid, code: '99' }),
			status: 400,
			problems: ['département « 99 » inconnu(e)']
		},
		{
			name: 'malformed code',
			send: () => postJson({ ...valid, code: 'Aisne' }),
			status: 400,
			problems: ['« code » « Aisne » invalide pour le niveau « departement »']
		},
		{
			name: 'unknown EPCI',
			send: () => postJson({ ...valid, niveau: 'epci', code: '123456789' }),
			status: 400,
			problems: ['EPCI « 123456789 » inconnu(e)']
		},
		{
			name: 'code missing',
			send: () => postJson({ niveau: 'region', n: 3 }),
			status: 400,
			problems: ['« code » obligatoire avec niveau « region »']
		},
		{
			name: 'unknown objective',
			send: () => postJson({ ...valid, objectif: 'vitesse' }),
			status: 400,
			problems: ['« objectif » « vitesse » inconnu']
		},
		{
			name: 'negative distance',
			send: () => postJson({ ...valid, distance_km: -5 }),
			status: 400,
			problems: ['« distance_km » doit être un nombre de kilomètres']
		},
		{
			name: 'distance as a string',
			send: () => postJson({ ...valid, distance_km: '10' }),
			status: 400,
			problems: ['(reçu : « 10 »)']
		},
		{
			name: 'unknown candidate rule',
			send: () => postJson({ ...valid, candidats: { regle: 'mairies' } }),
			status: 400,
			problems: ['« candidats.regle » « mairies » inconnue']
		},
		{
			name: 'threshold missing',
			send: () => postJson({ ...valid, candidats: { regle: 'population_min' } }),
			status: 400,
			problems: ['« candidats.population_min » doit être un nombre entier']
		},
		{
			name: 'unknown field',
			send: () => postJson({ ...valid, budget: 3 }),
			status: 400,
			problems: ['champ inconnu « budget »']
		},
		{
			name: 'bad hand-added site',
			send: () => postJson({ ...valid, ajouts: [{ ville: 'Laon' }] }),
			status: 400,
			problems: ['« ajouts[0] »']
		},
		{
			name: 'unknown hand-added commune',
			send: () => postJson({ ...valid, ajouts: [{ code_commune: '99999' }] }),
			status: 400,
			problems: ['commune « 99999 » inconnue']
		},
		{
			name: 'unknown removed place',
			send: () => postJson({ ...valid, retraits: ['fs-0'] }),
			status: 400,
			problems: ['lieu à retirer « fs-0 » inconnu']
		},
		{
			name: 'no candidate left',
			send: () =>
				postJson({ ...valid, candidats: { regle: 'population_min', population_min: 3_000_000 } }),
			status: 400,
			problems: ['La liste des sites candidats est vide']
		},
		{
			name: 'several problems at once',
			send: () => postJson({ niveau: 'departement', code: '99', n: 0, objectif: 'x' }),
			status: 400,
			problems: ['département « 99 » inconnu(e)', '« n » doit être', '« objectif » « x » inconnu']
		},
		{
			name: 'a 10 MB body',
			send: () => postJson({ ...valid, remplissage: 'x'.repeat(10 * 1024 * 1024) }),
			status: 413,
			problems: ['corps trop volumineux : 64 ko au plus']
		}
	])('$name → $status', async ({ send, status, problems }) => {
		const response = await send();
		expect(response.status).toBe(status);
		const body = (await response.json()) as ErrorBody;
		expect(body.details).toHaveLength(problems.length);
		problems.forEach((p, i) => {
			expect(body.details[i]).toContain(p);
			expect(body.erreur).toContain(body.details[i]);
		});
		expect(body.erreur).toMatch(/^(Requête invalide|Simulation impossible)/);
	});

	it('stops reading an endless body at the cap (413), whatever the server in front', async () => {
		let sent = 0;
		const chunk = new TextEncoder().encode(`{"x":"${'a'.repeat(16 * 1024)}`);
		const endless = new ReadableStream<Uint8Array>({
			pull(controller) {
				sent += chunk.byteLength;
				controller.enqueue(chunk);
			}
		});
		const response = await post(endless);
		expect(response.status).toBe(413);
		expect(sent).toBeLessThan(1024 * 1024);
	});

	it('refuses a declared content-length above the cap without reading', async () => {
		const response = await post('{}', {
			'content-type': 'application/json',
			'content-length': String(10 * 1024 * 1024)
		});
		expect(response.status).toBe(413);
	});

	it('answers other methods with a French 405', async () => {
		const response = await fallback({
			request: new Request('http://localhost/api/simulation', { method: 'GET' })
		} as Event);
		expect(response.status).toBe(405);
		expect(response.headers.get('allow')).toBe('POST');
		expect(((await response.json()) as ErrorBody).erreur).toMatch(/^Méthode GET non acceptée/);
	});
});
