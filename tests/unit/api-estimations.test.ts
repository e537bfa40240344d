import { describe, expect, it } from 'vitest';
import { GET } from '../../src/routes/api/estimations/+server';
import { MODEL_VERSION } from '$lib/needs/constants';
import { UTF8_BOM } from '$lib/export/csv';
import { parseCsv } from '../../geodata/lib/csv';

/** Call the handler as SvelteKit would, with only the URL it reads. */
async function get(query: string): Promise<Response> {
	const url = new URL(`http://localhost/api/estimations${query}`);
	const event = { url, request: new Request(url) } as Parameters<typeof GET>[0];
	return GET(event);
}

interface Row {
	code: string;
	nom: string;
	niveau: string;
	population: number;
	population_15_ans_et_plus: number;
	eloignes: number;
	eloignes_bas: number;
	eloignes_haut: number;
	part_eloignes: number | null;
	fiabilite: 'estime' | 'extrapole' | 'non_estime';
}

describe('GET /api/estimations: bad parameters give a 400 listing every problem', () => {
	it.each([
		{ query: '', problems: ['paramètre « niveau » obligatoire'] },
		{ query: '?niveau=canton', problems: ['niveau « canton » inconnu'] },
		{ query: '?niveau=', problems: ['paramètre « niveau » vide'] },
		{ query: '?niveau=commune&niveau=epci', problems: ['paramètre « niveau » répété 2 fois'] },
		{ query: '?niveau=region&region=99', problems: ['région « 99 » inconnue'] },
		{
			query: '?niveau=region&region=Hauts-de-France',
			problems: ['code région « Hauts-de-France » invalide']
		},
		{ query: '?niveau=commune&departement=96', problems: ['département « 96 » inconnu'] },
		{ query: '?niveau=commune&departement=5', problems: ['code département « 5 » invalide'] },
		{
			query: '?niveau=commune&departement=59&region=11',
			problems: ['le département « 59 » n’appartient pas à la région « 11 »']
		},
		{
			query: '?niveau=region&departement=59',
			problems: ['filtre « departement » impossible avec niveau=region']
		},
		{ query: '?niveau=epci&format=xml', problems: ['format « xml » inconnu'] },
		{
			query: '?niveau=epci&format=csv&format=json',
			problems: ['paramètre « format » répété 2 fois']
		},
		{ query: '?niveau=epci&commune=59350', problems: ['paramètre inconnu « commune »'] },
		{
			query: `?niveau=${'x'.repeat(500)}`,
			problems: ['valeur de « niveau » trop longue (500 caractères)']
		},
		{
			query: '?niveau=canton&region=99&format=pdf&tri=nom',
			problems: [
				'paramètre inconnu « tri »',
				'niveau « canton » inconnu',
				'région « 99 » inconnue',
				'format « pdf » inconnu'
			]
		}
	])('$query', async ({ query, problems }) => {
		const response = await get(query);
		expect(response.status).toBe(400);
		const body = (await response.json()) as { erreur: string; details: string[] };
		expect(body.details).toHaveLength(problems.length);
		problems.forEach((p, i) => {
			expect(body.details[i]).toContain(p);
			expect(body.erreur).toContain(body.details[i]);
		});
		expect(body.erreur).toMatch(/^Requête invalide \(\d+ problèmes?\) : /);
	});
});

describe('GET /api/estimations: answers', () => {
	it('one row per région with the documented fields, and metadata', async () => {
		const response = await get('?niveau=region');
		expect(response.status).toBe(200);
		const body = (await response.json()) as {
			niveau: string;
			modele: { version: string; calibrage: { part_france_pct: number } };
			sources: { id: string; attribution: string }[];
			attribution: string;
			nombre: number;
			territoires: Row[];
		};
		expect(body.niveau).toBe('region');
		expect(body.modele.version).toBe(MODEL_VERSION);
		expect(body.attribution).toContain(MODEL_VERSION);
		expect(Array.isArray(body.sources)).toBe(true);
		expect(body.nombre).toBe(18);
		expect(body.territoires).toHaveLength(18);
		for (const row of body.territoires) {
			expect(Object.keys(row)).toEqual([
				'code',
				'nom',
				'niveau',
				'population',
				'population_15_ans_et_plus',
				'eloignes',
				'eloignes_bas',
				'eloignes_haut',
				'part_eloignes',
				'fiabilite'
			]);
			expect(row.niveau).toBe('region');
			if (row.code === '06') continue;
			expect(row.eloignes_bas).toBeLessThanOrEqual(row.eloignes);
			expect(row.eloignes_haut).toBeGreaterThanOrEqual(row.eloignes);
			expect(row.part_eloignes).toBeCloseTo(
				(100 * row.eloignes) / row.population_15_ans_et_plus,
				1
			);
		}
		const hdf = body.territoires.find((r) => r.code === '32');
		expect(hdf?.nom).toBe('Hauts-de-France');
		// France without Mayotte, which is not estimated.
		const estimated = body.territoires.filter((r) => r.fiabilite !== 'non_estime');
		const share =
			(100 * estimated.reduce((t, r) => t + r.eloignes, 0)) /
			estimated.reduce((t, r) => t + r.population_15_ans_et_plus, 0);
		expect(share).toBeCloseTo(body.modele.calibrage.part_france_pct, 1);
	});

	it('filters communes by département (accents and case in values are tolerated)', async () => {
		const body = (await (await get('?niveau=Commune&departement=2a')).json()) as {
			territoires: Row[];
		};
		expect(body.territoires.length).toBe(124);
		expect(body.territoires.every((r) => r.code.startsWith('2A'))).toBe(true);
		const nord = (await (await get('?niveau=commune&departement=59&region=32')).json()) as {
			territoires: Row[];
		};
		expect(nord.territoires).toHaveLength(647);
	});

	it('filters EPCI by région, whole EPCI figures', async () => {
		const body = (await (await get('?niveau=epci&region=32')).json()) as { territoires: Row[] };
		const mel = body.territoires.find((r) => r.code === '200093201');
		expect(mel?.nom).toMatch(/Lille/);
		expect(body.territoires.length).toBeGreaterThan(80);
		expect(body.territoires.every((r) => r.niveau === 'epci')).toBe(true);
	});

	it('serves CSV: BOM, `;`, decimal comma, same rows as JSON', async () => {
		const response = await get('?niveau=departement&region=32&format=csv');
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
		expect(response.headers.get('content-disposition')).toContain(
			'estimations-departement-region-32.csv'
		);
		const bytes = new Uint8Array(await response.arrayBuffer());
		// The UTF-8 byte-order mark (Response.text() would strip it).
		expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
		expect(
			text.startsWith(
				UTF8_BOM +
					'code;nom;niveau;population;population_15_ans_et_plus;eloignes;eloignes_bas;eloignes_haut;part_eloignes;fiabilite\r\n'
			)
		).toBe(true);
		const table = parseCsv(text, 'estimations.csv');
		expect(table.rows.map((r) => r.values.code)).toEqual(['02', '59', '60', '62', '80']);
		const json = (await (await get('?niveau=departement&region=32')).json()) as {
			territoires: Row[];
		};
		table.rows.forEach((r, i) => {
			expect(Number(r.values.eloignes)).toBe(json.territoires[i].eloignes);
			expect(r.values.part_eloignes).toBe(
				String(json.territoires[i].part_eloignes?.toFixed(1)).replace('.', ',')
			);
		});
	});

	it('Mayotte is « non_estime » with null values in JSON and empty cells in CSV, never a number', async () => {
		const json = (await (await get('?niveau=commune&departement=976')).json()) as {
			territoires: Row[];
			modele: { unites: Record<string, string> };
		};
		expect(json.territoires).toHaveLength(17);
		for (const row of json.territoires) {
			expect(row.fiabilite).toBe('non_estime');
			expect([row.eloignes, row.eloignes_bas, row.eloignes_haut, row.part_eloignes]).toEqual([
				null,
				null,
				null,
				null
			]);
			expect(row.population).toBeGreaterThan(0);
		}
		expect(json.modele.unites.fiabilite).toMatch(/non_estime/);
		const region = (await (await get('?niveau=region&region=06')).json()) as {
			territoires: Row[];
		};
		expect(region.territoires[0]).toMatchObject({
			code: '06',
			eloignes: null,
			fiabilite: 'non_estime'
		});
		const csv = await (await get('?niveau=departement&departement=976&format=csv')).text();
		const table = parseCsv(csv, 'estimations.csv');
		expect(table.rows).toHaveLength(1);
		const values = table.rows[0].values;
		expect(values.fiabilite).toBe('non_estime');
		expect([
			values.eloignes,
			values.eloignes_bas,
			values.eloignes_haut,
			values.part_eloignes
		]).toEqual(['', '', '', '']);
		// Guyane is an extrapolation, and says so; Guadeloupe is estimated from the 2017 survey.
		const guyane = (await (await get('?niveau=region&region=03')).json()) as { territoires: Row[] };
		expect(guyane.territoires[0].fiabilite).toBe('extrapole');
		const guadeloupe = (await (await get('?niveau=region&region=01')).json()) as {
			territoires: Row[];
		};
		expect(guadeloupe.territoires[0].fiabilite).toBe('estime');
		expect(guadeloupe.territoires[0].part_eloignes).toBeGreaterThan(22);
	});
});
