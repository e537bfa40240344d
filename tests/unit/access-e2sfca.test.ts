import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
	ACCESS_SCORE_PER,
	computeAccessibility,
	computeAccessibilityNaive
} from '../../src/lib/access/e2sfca';
import type { DecayBand } from '../../src/lib/access/parameters';
import type { DemandPoint, SupplyPoint } from '../../src/lib/access/points';
import type { MediatorType } from '../../src/lib/territory/artifacts';

interface FixtureCommune {
	code: string;
	nom: string;
	lon: number;
	lat: number;
	population: number;
}
interface FixturePlace {
	id: string;
	type: MediatorType;
	nom: string;
	lon: number;
	lat: number;
}
interface Fixture {
	communes: FixtureCommune[];
	places: FixturePlace[];
}

function readFixture(name: string): Fixture {
	return JSON.parse(readFileSync(new URL(`../fixtures/access/${name}`, import.meta.url), 'utf8'));
}

/** Demand = the real population municipale 2026: E2SFCA does not care what the demand counts. */
function demandOf(fixture: Fixture): DemandPoint[] {
	return fixture.communes.map((c) => ({
		code: c.code,
		lon: c.lon,
		lat: c.lat,
		demand: c.population
	}));
}

function supplyOf(fixture: Fixture, perPlace: number): SupplyPoint[] {
	return fixture.places.map((p) => ({
		id: p.id,
		type: p.type,
		lon: p.lon,
		lat: p.lat,
		supply: perPlace
	}));
}

const implementations = [
	['indexée', computeAccessibility],
	['naïve', computeAccessibilityNaive]
] as const;

/*
 * Hand computation, 3 communes of the Avesnois × 2 France services (supply 2 each, the charter's
 * minimum of agents), default bands 0–5 km: 1, 5–10 km: 0.68, 10–20 km: 0.22, beyond: 0.
 * Demand D = population municipale: Aibes 350, Avesnelles 2 232, Étrœungt 1 233.
 * Straight-line distances (haversine, R = 6 371 km):
 *                  P1 Bus FS de l'Avesnois      P2 FS La Poste d'Anor
 *   Aibes          16.710 km → W 0.22           26.876 km → W 0 (out)
 *   Avesnelles      2.452 km → W 1              16.498 km → W 0.22
 *   Étrœungt        7.301 km → W 0.68           13.368 km → W 0.22
 * Step 1: Σ W·D for P1 = 0.22 × 350 + 1 × 2 232 + 0.68 × 1 233 = 77 + 2 232 + 838.44 = 3 147.44
 *         R1 = 2 / 3 147.44 = 6.354371e-4
 *         Σ W·D for P2 = 0.22 × 2 232 + 0.22 × 1 233 = 491.04 + 271.26 = 762.30
 *         R2 = 2 / 762.30 = 2.623639e-3
 * Step 2 (× 10 000):
 *   Aibes      = 0.22 × R1              = 1.397962e-4 → 1.397962
 *   Avesnelles = 1 × R1 + 0.22 × R2     = 6.354371e-4 + 5.772006e-4 = 1.212638e-3 → 12.12638
 *   Étrœungt   = 0.68 × R1 + 0.22 × R2  = 4.320972e-4 + 5.772006e-4 = 1.009298e-3 → 10.09298
 * Check: Σ D·A / 10 000 = 350 × 1.397962e-4 + 2 232 × 1.212638e-3 + 1 233 × 1.009298e-3 = 4 = S1 + S2.
 */
describe('E2SFCA : 3 communes × 2 France services calculées à la main', () => {
	const fixture = readFixture('avesnois-3-communes-2-france-services.json');
	const demand = demandOf(fixture);
	const supply = supplyOf(fixture, 2);

	it.each(implementations)('version %s', (_, compute) => {
		const result = compute(demand, supply);
		expect(Array.from(result.catchmentDemand)).toEqual([
			expect.closeTo(3147.44, 9),
			expect.closeTo(762.3, 9)
		]);
		expect(result.ratio[0]).toBeCloseTo(2 / 3147.44, 15);
		expect(result.ratio[1]).toBeCloseTo(2 / 762.3, 15);
		expect(Array.from(result.score)).toEqual([
			expect.closeTo(1.397962, 5),
			expect.closeTo(12.12638, 4),
			expect.closeTo(10.09298, 4)
		]);
		expect(result.pairs).toBe(5);
	});

	it('conserve l’offre : Σ D·A / 10 000 = Σ S des lieux qui ont une demande', () => {
		const result = computeAccessibility(demand, supply);
		const served = demand.reduce(
			(sum, d, i) => sum + (d.demand * result.score[i]) / ACCESS_SCORE_PER,
			0
		);
		expect(served).toBeCloseTo(4, 12);
	});

	/*
	 * One band 0–30 km with weight 1 is the classic 2SFCA: every pair is within 30 km (the farthest is
	 * Aibes–P2, 26.876 km), so each place serves 350 + 2 232 + 1 233 = 3 815 people and every commune
	 * gets (2 + 2) / 3 815 × 10 000 = 10.48493.
	 */
	it.each(implementations)(
		'une seule tranche de 30 km (2SFCA classique), version %s',
		(_, compute) => {
			const bands: DecayBand[] = [{ maxKm: 30, weight: 1 }];
			const result = compute(demand, supply, { bands });
			for (const score of result.score) expect(score).toBeCloseTo(40000 / 3815, 10);
			expect(result.pairs).toBe(6);
		}
	);
});

describe('E2SFCA : cas limites sans NaN', () => {
	const fixture = readFixture('avesnois-3-communes-2-france-services.json');

	it.each([
		[
			'aucune demande dans les zones de chalandise',
			demandOf(fixture).map((d) => ({ ...d, demand: 0 })),
			supplyOf(fixture, 2)
		],
		[
			'un lieu sans aucune commune à moins de 20 km (Saint-Denis de La Réunion)',
			demandOf(fixture),
			[
				...supplyOf(fixture, 2),
				{ id: 'loin', type: 'france-services' as const, lon: 55.4444, lat: -20.9434, supply: 2 }
			]
		],
		['aucun lieu', demandOf(fixture), []],
		['aucune commune', [], supplyOf(fixture, 2)]
	])('%s', (_, demand, supply) => {
		for (const [, compute] of implementations) {
			const result = compute(demand, supply);
			for (const v of [...result.score, ...result.ratio, ...result.catchmentDemand]) {
				expect(Number.isFinite(v)).toBe(true);
			}
			supply.forEach((_, j) => {
				if (result.catchmentDemand[j] === 0) expect(result.ratio[j]).toBe(0);
			});
		}
	});

	it.each([
		[
			'une demande négative',
			{ code: '59003', lon: 4.0915, lat: 50.2328, demand: -1 },
			/Commune 59003 : demande invalide/
		],
		[
			'une latitude impossible',
			{ code: '59003', lon: 4.0915, lat: 95, demand: 1 },
			/Commune 59003 : coordonnées invalides/
		],
		['une longitude NaN', { code: '59003', lon: NaN, lat: 50, demand: 1 }, /coordonnées invalides/]
	])('refuse %s avec un message en français', (_, point, message) => {
		expect(() => computeAccessibility([point], [])).toThrow(message);
	});

	it('refuse une offre négative', () => {
		const place: SupplyPoint = {
			id: 'fs-345',
			type: 'france-services',
			lon: 3.93,
			lat: 50.12,
			supply: -2
		};
		expect(() => computeAccessibility([], [place])).toThrow(/Lieu fs-345 : offre invalide/);
	});
});

describe('E2SFCA sur les 647 communes du Nord et leurs 146 lieux (extrait réel)', () => {
	const fixture = readFixture('nord-communes-lieux.json');
	const demand = demandOf(fixture);
	// Every place counts 1 so that the CNFS places (0 by default) matter too.
	const supply = supplyOf(fixture, 1);

	it.each([
		['tranches par défaut', undefined],
		[
			'tranches 0–3 km : 1, 3–12 km : 0,5',
			[
				{ maxKm: 3, weight: 1 },
				{ maxKm: 12, weight: 0.5 }
			]
		],
		['une tranche de 40 km', [{ maxKm: 40, weight: 1 }]]
	])('la version indexée donne les mêmes nombres que la version naïve (%s)', (_, bands) => {
		const parameters = bands ? { bands } : undefined;
		const indexed = computeAccessibility(demand, supply, parameters);
		const naive = computeAccessibilityNaive(demand, supply, parameters);
		expect(indexed.pairs).toBe(naive.pairs);
		expect(indexed.pairs).toBeGreaterThan(0);
		indexed.score.forEach((v, i) => expect(v).toBeCloseTo(naive.score[i], 10));
		indexed.catchmentDemand.forEach((v, j) => expect(v).toBeCloseTo(naive.catchmentDemand[j], 6));
	});

	it('ajouter un lieu ne baisse jamais l’accessibilité d’aucune commune', () => {
		// Each of 20 places in turn is "the new one": compare without it and with it.
		for (let added = 0; added < supply.length; added += Math.ceil(supply.length / 20)) {
			const without = computeAccessibility(
				demand,
				supply.filter((_, j) => j !== added)
			);
			const withPlace = computeAccessibility(demand, supply);
			let raised = 0;
			withPlace.score.forEach((v, i) => {
				expect(v).toBeGreaterThanOrEqual(without.score[i] - 1e-12);
				if (v > without.score[i] + 1e-12) raised++;
			});
			// The new place is somewhere: the communes around it gain.
			expect(raised).toBeGreaterThan(0);
		}
	});

	it('plus d’offre dans un lieu ne baisse l’accessibilité de personne', () => {
		const base = computeAccessibility(demand, supply);
		const more = computeAccessibility(
			demand,
			supply.map((s, j) => (j === 0 ? { ...s, supply: 5 } : s))
		);
		more.score.forEach((v, i) => expect(v).toBeGreaterThanOrEqual(base.score[i] - 1e-12));
	});
});
