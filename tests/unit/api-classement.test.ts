import { describe, expect, it } from 'vitest';
import type { FeatureCollection } from 'geojson';
import { GET } from '../../src/routes/api/classement/+server';
import { RANKING_COLUMNS } from '$lib/export/ranking-export';
import type { RankingJsonRow } from '$lib/export/ranking-export';
import { parseCsv } from '../../geodata/lib/csv';

/** Call the handler as SvelteKit would, with only the URL it reads. */
async function get(query: string): Promise<Response> {
	const url = new URL(`http://localhost/api/classement${query}`);
	const event = { url, request: new Request(url) } as Parameters<typeof GET>[0];
	return GET(event);
}

interface JsonBody {
	parametres: Record<string, unknown>;
	metadonnees: { nombre_territoires: number; nombre_lignes: number; sources: { id: string }[] };
	lignes: RankingJsonRow[];
}

/** Header and data rows of an exported CSV (comment lines skipped); checks the byte-order mark. */
async function readCsv(response: Response, bom = true) {
	const bytes = new Uint8Array(await response.arrayBuffer());
	// The French variant (`;`) carries a BOM for Excel; the `,` variant is for scripts, without.
	expect(Array.from(bytes.subarray(0, 3)).join(',') === '239,187,191').toBe(bom);
	// Response.text() would drop the BOM: decode keeping it.
	const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
	const lines = (bom ? text.slice(1) : text).split('\r\n');
	// RFC 4180: the header row comes first, no comment line before it.
	expect(lines[0].startsWith('position')).toBe(true);
	return { header: lines[0], table: parseCsv(lines.join('\r\n'), 'classement.csv') };
}

describe('GET /api/classement : une requête invalide reçoit un 400 qui liste chaque problème', () => {
	it.each([
		{ query: '', problems: ['paramètre « niveau » obligatoire'] },
		{ query: '?niveau=canton', problems: ['niveau « canton » inconnu'] },
		{ query: '?niveau=', problems: ['paramètre « niveau » vide'] },
		{ query: '?niveau=commune&niveau=epci', problems: ['paramètre « niveau » répété 2 fois'] },
		{
			query: `?niveau=${'x'.repeat(500)}`,
			problems: ['valeur de « niveau » trop longue (500 caractères']
		},
		{ query: '?niveau=commune&departement=96', problems: ['département « 96 » inconnu'] },
		{ query: '?niveau=commune&departement=5', problems: ['code département « 5 » invalide'] },
		{ query: '?niveau=commune&region=99', problems: ['région « 99 » inconnue'] },
		{ query: '?niveau=commune&region=Bretagne', problems: ['code région « Bretagne » invalide'] },
		{
			query: '?niveau=commune&region=11&departement=59',
			problems: [
				'le département « 59 » n’appartient pas à la région « 11 » (il est dans la région « 32 »)'
			]
		},
		{
			query: '?niveau=region&departement=59',
			problems: ['filtre « departement » impossible avec niveau=region']
		},
		{
			query: '?niveau=commune&poids=eloignes:abc',
			problems: ['poids : poids de « eloignes » illisible']
		},
		{
			query: '?niveau=commune&poids=couleur:2',
			problems: ['poids : critère inconnu : « couleur »']
		},
		{
			query: '?niveau=commune&poids=acces:1,5',
			problems: ['les décimales s’écrivent avec un point']
		},
		{
			query: '?niveau=commune&poids=eloignes:1e9',
			problems: ['poids : poids de « eloignes » illisible']
		},
		{
			query: '?niveau=commune&poids=eloignes:99999',
			problems: ['poids : poids de « eloignes » trop grand']
		},
		{
			query: '?niveau=commune&poids=eloignes:-1',
			problems: ['poids : poids de « eloignes » négatif']
		},
		{ query: '?niveau=commune&poids=eloignes:0', problems: ['poids : tous les poids sont nuls'] },
		{
			query: '?niveau=commune&poids=eloignes:1,eloignes:2',
			problems: ['poids : critère « eloignes » donné plusieurs fois']
		},
		{
			query: '?niveau=commune&poids=prioritaire',
			problems: ['poids « prioritaire » illisible : un préréglage']
		},
		{
			query: `?niveau=commune&poids=${'eloignes:1,'.repeat(40)}`,
			problems: ['valeur de « poids » trop longue (440 caractères, au plus 300)']
		},
		{
			query: '?niveau=departement&groupe=departement',
			problems: ['groupe « departement » impossible avec niveau=departement']
		},
		{ query: '?niveau=commune&groupe=canton', problems: ['groupe « canton » inconnu'] },
		{
			query: '?niveau=commune&normalisation=locale',
			problems: ['normalisation « locale » inconnu']
		},
		{ query: '?niveau=commune&tri=couleur', problems: ['tri « couleur » inconnu'] },
		{ query: '?niveau=commune&ordre=haut', problems: ['ordre « haut » inconnu'] },
		{ query: '?niveau=commune&limite=0', problems: ['« limite » « 0 » invalide'] },
		{ query: '?niveau=commune&limite=-5', problems: ['« limite » « -5 » invalide'] },
		{ query: '?niveau=commune&limite=99999999999999999999', problems: ['« limite » trop grand'] },
		{ query: '?niveau=commune&limite=10&page=1000000', problems: ['« page » trop grand'] },
		{ query: '?niveau=commune&page=2', problems: ['paramètre « page » sans « limite »'] },
		{ query: '?niveau=commune&format=xls', problems: ['format « xls » inconnu'] },
		{
			query: '?niveau=commune&format=csv&format=json',
			problems: ['paramètre « format » répété 2 fois']
		},
		{ query: '?niveau=commune&format=csv&separateur=|', problems: ['séparateur « | » inconnu'] },
		{ query: '?niveau=commune&commune=59350', problems: ['paramètre inconnu « commune »'] },
		{
			query: `?niveau=commune&${Array.from({ length: 12 }, (_, i) => `p${i}=1`).join('&')}`,
			problems: [
				'paramètre inconnu « p0 »',
				'paramètre inconnu « p1 »',
				'paramètre inconnu « p2 »',
				'paramètre inconnu « p3 »',
				'paramètre inconnu « p4 »',
				'et 7 autres paramètres inconnus'
			]
		},
		{
			query: '?niveau=canton&departement=96&poids=x:1&format=pdf&tri=couleur',
			problems: [
				'niveau « canton » inconnu',
				'département « 96 » inconnu',
				'poids : critère inconnu : « x »',
				'tri « couleur » inconnu',
				'format « pdf » inconnu'
			]
		}
	])('$query', async ({ query, problems }) => {
		const response = await get(query);
		expect(response.status).toBe(400);
		expect(response.headers.get('content-type')).toContain('application/json');
		const body = (await response.json()) as { erreur: string; details: string[] };
		expect(body.details).toHaveLength(problems.length);
		problems.forEach((p, i) => {
			expect(body.details[i]).toContain(p);
			expect(body.erreur).toContain(body.details[i]);
		});
		expect(body.erreur).toMatch(/^Requête invalide \(\d+ problèmes?\) : /);
		expect(body.erreur.length).toBeLessThan(3000); // long values are quoted shortened
	});
});

describe('GET /api/classement : réponses', () => {
	it('JSON : les 647 communes du Nord, classées dans le département', async () => {
		const response = await get('?niveau=commune&departement=59');
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
		const body = (await response.json()) as JsonBody;
		expect(body.lignes).toHaveLength(647);
		expect(body.metadonnees.nombre_territoires).toBe(647);
		expect(body.parametres).toMatchObject({
			niveau: 'commune',
			departement: '59',
			groupe_applique: 'departement'
		});
		expect(body.lignes.map((l) => l.position)).toEqual(body.lignes.map((_, p) => p + 1));
		expect(body.lignes.every((l) => l.departement === '59' && l.rang_sur === 647)).toBe(true);
		expect(body.lignes[0].rang).toBe(1);
		expect(body.lignes[0].explication).toMatch(/^Classée 1re du département : /);
	});

	it('CSV : les 3 782 communes des Hauts-de-France, en-tête, nom de fichier', async () => {
		const response = await get('?niveau=commune&region=32&format=csv');
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
		expect(response.headers.get('content-disposition')).toBe(
			'attachment; filename="classement-commune-region-32-equilibre.csv"'
		);
		const { header, table } = await readCsv(response);
		expect(header).toBe(RANKING_COLUMNS.map((c) => c.header).join(';'));
		expect(
			header.startsWith(
				'position;rang;rang_sur;code;nom;niveau;departement;region;population;score;eloignes;'
			)
		).toBe(true);
		expect(table.rows).toHaveLength(3782);
		expect(new Set(table.rows.map((r) => r.values.region))).toEqual(new Set(['32']));
		expect(table.rows[0].values.rang).toBe('1');
		expect(table.rows[0].values.score).toMatch(/^\d+,\d\d$/);
	});

	it('CSV de toutes les communes de France : 34 875 lignes', async () => {
		await get('?niveau=commune&limite=1'); // warm-up: the analysis is computed once
		const response = await get('?niveau=commune&format=csv&separateur=,&poids=reseau');
		const { table } = await readCsv(response, false);
		expect(table.rows).toHaveLength(34_875);
		expect(new Set(table.rows.map((r) => r.values.code)).size).toBe(34_875);
	});

	it('GeoJSON : les 17 EPCI du Nord avec leurs polygones', async () => {
		const response = await get('?niveau=epci&departement=59&format=geojson');
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('application/geo+json; charset=utf-8');
		expect(response.headers.get('content-disposition')).toBe(
			'attachment; filename="classement-epci-departement-59-equilibre.geojson"'
		);
		const body = (await response.json()) as FeatureCollection & {
			parametres: { niveau: string };
			metadonnees: JsonBody['metadonnees'];
		};
		expect(body.type).toBe('FeatureCollection');
		expect(body.features).toHaveLength(17);
		expect(
			body.features.every(
				(f) => f.geometry?.type === 'Polygon' || f.geometry?.type === 'MultiPolygon'
			)
		).toBe(true);
		expect(body.features.map((f) => f.properties?.position)).toEqual(
			Array.from({ length: 17 }, (_, p) => p + 1)
		);
		expect(body.parametres.niveau).toBe('epci');
		expect(body.metadonnees.sources.map((s) => s.id)).toContain('admin-express-2018');
	});

	it('GeoJSON : les communes sont des points (centre de la commune)', async () => {
		const response = await get('?niveau=commune&departement=976&format=geojson');
		const body = (await response.json()) as FeatureCollection;
		expect(body.features).toHaveLength(17);
		for (const f of body.features) {
			expect(f.geometry?.type).toBe('Point');
			const [lon, lat] = (f.geometry as { coordinates: number[] }).coordinates;
			// Mayotte: about 45.0–45.3 °E, 12.6–13.0 °S.
			expect(lon).toBeGreaterThan(44.9);
			expect(lon).toBeLessThan(45.4);
			expect(lat).toBeGreaterThan(-13.1);
			expect(lat).toBeLessThan(-12.5);
		}
	});

	it('EPCI de toute la France : positions et rangs forment une permutation 1…n', async () => {
		const body = (await (await get('?niveau=epci')).json()) as JsonBody;
		const n = body.lignes.length;
		expect(n).toBe(1255);
		const ranks = body.lignes.map((l) => l.rang);
		expect(new Set(body.lignes.map((l) => l.position)).size).toBe(n);
		expect([...ranks].sort((a, b) => a - b)).toEqual(ranks); // ranks follow positions
		expect(ranks[0]).toBe(1);
		// Competition ranking: a rank differs from the position only on a tie.
		ranks.forEach((r, p) => {
			if (r !== p + 1) expect(body.lignes[p].score).toBe(body.lignes[p - 1].score);
		});
		// No tie among the EPCI with these weights, except where the need is unknown (Mayotte, not
		// estimated since model 2.0.0: its EPCI share the neutral value of the missing criteria).
		const known = body.lignes.filter((l) => l.criteres.eloignes.valeur !== null);
		expect(known.length).toBeGreaterThan(n - 10);
		expect(new Set(known.map((l) => l.rang)).size).toBe(known.length);
	});

	it('changer les poids dans l’URL change l’ordre', async () => {
		const codes = async (poids: string) =>
			((await (await get(`?niveau=departement&poids=${poids}`)).json()) as JsonBody).lignes.map(
				(l) => l.code
			);
		const [qpv, rural, custom] = await Promise.all([
			codes('qpv'),
			codes('rural'),
			codes('distance:1')
		]);
		expect(qpv).not.toEqual(rural);
		expect(custom).not.toEqual(rural);
		expect(qpv.slice(0, 5)).not.toEqual(rural.slice(0, 5));
	});

	it('tri, limite et page', async () => {
		const page2 = (await (await get('?niveau=epci&limite=10&page=2')).json()) as JsonBody;
		expect(page2.lignes.map((l) => l.position)).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
		expect(page2.metadonnees).toMatchObject({ nombre_territoires: 1255, nombre_lignes: 10 });
		const biggest = (await (
			await get('?niveau=commune&tri=population&limite=3')
		).json()) as JsonBody;
		expect(biggest.lignes.map((l) => l.nom)).toEqual(['Paris', 'Marseille', 'Lyon']);
		const beyond = (await (await get('?niveau=region&limite=10&page=3')).json()) as JsonBody;
		expect(beyond.lignes).toEqual([]);
	});

	it('normalisation=france : rangs nationaux pour un filtre', async () => {
		const body = (await (
			await get('?niveau=commune&departement=59&normalisation=france&limite=5')
		).json()) as JsonBody;
		expect(body.parametres).toMatchObject({
			normalisation_appliquee: 'france',
			groupe_applique: 'france'
		});
		expect(body.lignes[0].rang_sur).toBe(34_875);
		expect(body.lignes[0].explication).toMatch(/ en France : /);
	});
});
