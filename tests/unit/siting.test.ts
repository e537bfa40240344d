/**
 * Properties of the siting engine (src/lib/siting): parameter validation, monotonicity in N,
 * existing places never proposed, "nothing useful to propose", cancellation, progress, what-if
 * figures. Real instances from tests/fixtures/siting (population as a stand-in weight, see its
 * README); hand-made points on the equator where distances must be checked by hand.
 */
import { describe, expect, it } from 'vitest';
import { evaluateScenario, summariseAccess } from '$lib/siting/figures';
import type {
	CandidateSite,
	DemandPoint,
	ExistingPlace,
	SitingOutcome,
	SitingResult
} from '$lib/siting/model';
import { distanceKm } from '$lib/siting/nearest';
import { DEFAULT_COVERAGE_KM, validateSitingParams, withSitingDefaults } from '$lib/siting/params';
import { chooseSites, proposeSites } from '$lib/siting/propose-sites';
import { loadSitingInstances } from './siting-instances';

const instances = loadSitingInstances();
const byEpci = (siren: string) => instances.find((i) => i.epci === siren)!;
/** CC de la Thiérache du Centre (02): 68 communes, 22 candidates, 14 France services nearby. */
const thierache = byEpci('240200444');
/** CC du Haut Pays du Montreuillois (62): where greedy + swaps alone misses the optimum. */
const montreuillois = byEpci('200069235');

function done(outcome: SitingOutcome): SitingResult {
	if (outcome.status !== 'done')
		throw new Error(`attendu « done », reçu ${JSON.stringify(outcome)}`);
	return outcome.result;
}

/** Kilometres per degree of longitude on the equator (sphere of 6,371 km). */
const KM_PER_DEGREE = (2 * Math.PI * 6371) / 360;
/** A point on the equator `km` east of longitude 0 (distances between such points are exact sums). */
const east = (km: number) => ({ lon: km / KM_PER_DEGREE, lat: 0 });

describe('distanceKm', () => {
	it('gives great-circle kilometres', () => {
		// Paris (Hôtel de Ville) – Lille (Grand-Place): 204 km as the crow flies.
		expect(distanceKm(2.3522, 48.8566, 3.0573, 50.6292)).toBeCloseTo(204, 0);
		expect(distanceKm(east(0).lon, 0, east(25).lon, 0)).toBeCloseTo(25, 9);
	});
});

describe('parameter validation', () => {
	const base = {
		demand: thierache.demand,
		candidates: thierache.candidates,
		existing: thierache.existing
	};

	it('accepts the documented range and defaults', () => {
		expect(validateSitingParams({ n: 1, objective: 'couverture', coverageKm: 0.5 })).toEqual([]);
		expect(validateSitingParams({ n: 500, objective: 'distance', coverageKm: 200 })).toEqual([]);
		expect(withSitingDefaults({ n: 11 })).toEqual({
			n: 11,
			objective: 'couverture',
			coverageKm: DEFAULT_COVERAGE_KM
		});
	});

	it.each([
		[
			{ n: 0, objective: 'couverture', coverageKm: 10 },
			/nombre de nouveaux sites doit être un entier entre 1 et 500 \(reçu : 0\)/
		],
		[{ n: 501, objective: 'couverture', coverageKm: 10 }, /entre 1 et 500 \(reçu : 501\)/],
		[{ n: 2.5, objective: 'couverture', coverageKm: 10 }, /entier entre 1 et 500 \(reçu : 2,5\)/],
		[
			{ n: '11', objective: 'couverture', coverageKm: 10 },
			/entier entre 1 et 500 \(reçu : « 11 »\)/
		],
		[
			{ n: 11, objective: 'cout', coverageKm: 10 },
			/L’objectif doit être « couverture » ou « distance » \(reçu : « cout »\)/
		],
		[
			{ n: 11, objective: 'couverture', coverageKm: 0 },
			/supérieur à 0 et au plus 200 \(reçu : 0\)/
		],
		[{ n: 11, objective: 'couverture', coverageKm: 200.5 }, /au plus 200 \(reçu : 200,5\)/],
		[{ n: 11, objective: 'couverture', coverageKm: Number.NaN }, /au plus 200 \(reçu : NaN\)/],
		[{ n: 11, objective: 'couverture' }, /distance de couverture .* \(reçu : rien\)/]
	])('refuses %j with a French message', (params, pattern) => {
		const outcome = proposeSites({ ...base, params: params as never });
		expect(outcome.status).toBe('invalid');
		if (outcome.status !== 'invalid') return;
		expect(outcome.problems).toHaveLength(1);
		expect(outcome.message).toMatch(/^Simulation impossible : /);
		expect(outcome.message).toMatch(pattern);
	});

	it('lists every problem at once', () => {
		const outcome = proposeSites({
			demand: [],
			candidates: [],
			existing: [{ id: 'x', lon: 700_000, lat: 6_600_000 }],
			params: { n: 0, objective: 'x' as never, coverageKm: 250 }
		});
		expect(outcome.status).toBe('invalid');
		if (outcome.status !== 'invalid') return;
		expect(outcome.problems).toHaveLength(6);
		expect(outcome.message).toMatch(/^Simulation impossible \(6 problèmes\) : 1\) Le nombre/);
		expect(outcome.message).toContain('La liste des sites candidats est vide');
		expect(outcome.message).toContain('La liste des communes à desservir (demande) est vide');
		expect(outcome.message).toContain(
			'Lieu existant n° 1 (id « x ») : coordonnées absentes ou invalides'
		);
	});

	it('refuses negative weights, bad coordinates and duplicate candidate ids', () => {
		const outcome = proposeSites({
			demand: [{ code: '02001', lon: 3.6, lat: 49.9, weight: -3 }],
			candidates: [
				{ id: 'a', code: '02001', lon: 3.6, lat: 49.9 },
				{ id: 'a', code: '02002', lon: 3.7, lat: 49.9 },
				{ id: 'b', code: '02003', lon: Number.NaN, lat: 49.9 }
			],
			existing: [],
			params: { n: 1, objective: 'couverture', coverageKm: 10 }
		});
		expect(outcome.status).toBe('invalid');
		if (outcome.status !== 'invalid') return;
		expect(outcome.problems).toEqual([
			'Commune n° 1 (code « 02001 ») : poids invalide -3 (nombre de personnes ≥ 0 attendu).',
			'Site candidat n° 3 (id « b ») : coordonnées absentes ou invalides (degrés WGS84 attendus).',
			'Identifiants de sites candidats en double : « a ».'
		]);
	});

	it('refuses a territory too large for the pair budget, in French', () => {
		const outcome = proposeSites(
			{ ...base, existing: [], params: { n: 3, objective: 'couverture', coverageKm: 50 } },
			{},
			{ maxPairs: 100 }
		);
		expect(outcome.status).toBe('invalid');
		if (outcome.status !== 'invalid') return;
		expect(outcome.message).toMatch(
			/territoire trop grand pour une distance de couverture de 50 km : plus de 100 paires/
		);
	});
});

describe('proposeSites on real EPCI (population as a stand-in weight)', () => {
	it('proposes the sites chosen by chooseSites, with the gains of evaluateScenario computed once', () => {
		const input = {
			...thierache,
			params: { n: 4, objective: 'couverture' as const, coverageKm: 5 }
		};
		const outcome = chooseSites(input);
		expect(outcome.status).toBe('done');
		if (outcome.status !== 'done') return;
		const r = done(proposeSites(input));
		expect(r.sites.map((s) => s.id)).toEqual(outcome.choice.sites.map((s) => s.id));
		expect(r.before).toEqual(outcome.choice.before);
		const evaluation = evaluateScenario(
			input.demand,
			input.existing,
			outcome.choice.sites,
			input.params.coverageKm
		);
		expect(r.sites).toEqual(evaluation.sites);
		expect(r.after).toEqual(evaluation.after);
	});

	it('never covers fewer people when N grows', () => {
		for (const inst of instances) {
			for (const existing of [inst.existing, []]) {
				let previous = -Infinity;
				for (let n = 1; n <= 12; n++) {
					const r = done(
						proposeSites({
							...inst,
							existing,
							params: { n, objective: 'couverture', coverageKm: 5 }
						})
					);
					expect(r.after.coveredDemand).toBeGreaterThanOrEqual(previous);
					previous = r.after.coveredDemand;
				}
			}
		}
	});

	it('never lengthens the mean distance when N grows (distance objective)', () => {
		let previous = Infinity;
		for (let n = 1; n <= 12; n++) {
			const r = done(
				proposeSites({
					...thierache,
					existing: [],
					params: { n, objective: 'distance', coverageKm: 5 }
				})
			);
			expect(r.after.meanDistanceKm!).toBeLessThanOrEqual(previous + 1e-9);
			previous = r.after.meanDistanceKm!;
		}
	});

	it('reports each site’s gain in the order chosen, summing to the improvement', () => {
		const r = done(
			proposeSites({
				...montreuillois,
				existing: [],
				params: { n: 5, objective: 'couverture', coverageKm: 5 }
			})
		);
		expect(r.sites.map((s) => s.rank)).toEqual([1, 2, 3, 4, 5]);
		const gains = r.sites.map((s) => s.gainPeople);
		expect(gains.reduce((a, b) => a + b, 0)).toBeCloseTo(
			r.after.coveredDemand - r.before.coveredDemand,
			6
		);
		// Ranked greedily within the final set: gains never increase down the list (submodularity).
		for (let i = 1; i < gains.length; i++) expect(gains[i]).toBeLessThanOrEqual(gains[i - 1]);
		expect(r.sites.every((s) => s.gainPeople > 0)).toBe(true);
		// The exact optimum of this case (exhaustive search) covers 13,413 people; greedy + swaps alone 12,411.
		expect(r.after.coveredDemand).toBe(13_413);
		const distance = done(
			proposeSites({ ...thierache, params: { n: 4, objective: 'distance', coverageKm: 5 } })
		);
		const personKm = distance.sites.reduce((a, s) => a + s.gainPersonKm, 0);
		const saved =
			(distance.before.meanDistanceKm! - distance.after.meanDistanceKm!) *
			distance.before.totalDemand;
		expect(personKm).toBeCloseTo(saved, 3);
		expect(distance.sites.reduce((a, s) => a + s.gainMeanDistanceKm, 0)).toBeCloseTo(
			distance.before.meanDistanceKm! - distance.after.meanDistanceKm!,
			9
		);
	});

	it('never proposes an existing place: a candidate on one brings nothing', () => {
		const onExisting: CandidateSite[] = thierache.existing.map((e) => ({
			id: `sur-${e.id}`,
			code: 'fs',
			lon: e.lon,
			lat: e.lat
		}));
		const candidates = [...thierache.candidates, ...onExisting];
		for (const objective of ['couverture', 'distance'] as const) {
			for (const n of [1, 5, 20]) {
				const r = done(
					proposeSites({ ...thierache, candidates, params: { n, objective, coverageKm: 5 } })
				);
				expect(r.sites.length).toBeGreaterThan(0);
				expect(r.sites.filter((s) => s.id.startsWith('sur-'))).toEqual([]);
				for (const s of r.sites) {
					const nearestExisting = Math.min(
						...thierache.existing.map((e) => distanceKm(s.lon, s.lat, e.lon, e.lat))
					);
					expect(nearestExisting).toBeGreaterThan(0);
				}
			}
		}
		const whatIf = evaluateScenario(
			thierache.demand,
			thierache.existing,
			onExisting.slice(0, 3),
			5
		);
		expect(whatIf.sites.map((s) => [s.gainPeople, s.gainPersonKm])).toEqual([
			[0, 0],
			[0, 0],
			[0, 0]
		]);
		expect(whatIf.after.coveredDemand).toBe(whatIf.before.coveredDemand);
	});

	it('says there is nothing useful to propose when every commune is already covered', () => {
		const r = done(
			proposeSites({ ...thierache, params: { n: 11, objective: 'couverture', coverageKm: 30 } })
		);
		expect(r.before.uncoveredPoints).toBe(0);
		expect(r.nothingToPropose).toBe(true);
		expect(r.sites).toEqual([]);
		expect(r.after).toEqual(r.before);
		expect(r.message).toBe(
			'Rien d’utile à proposer : toute la demande du territoire (25\u202f590 personnes, 68 communes) est déjà à moins de 30\u00a0km d’un lieu existant. Un nouveau site n’y couvrirait personne de plus ; réduisez la distance de couverture pour chercher où rapprocher encore l’offre.'
		);
		// The distance objective still shortens distances, and says coverage cannot improve.
		const d = done(
			proposeSites({ ...thierache, params: { n: 3, objective: 'distance', coverageKm: 30 } })
		);
		expect(d.nothingToPropose).toBe(false);
		expect(d.sites).toHaveLength(3);
		expect(d.after.meanDistanceKm!).toBeLessThan(d.before.meanDistanceKm!);
		expect(d.notices.join(' ')).toMatch(/déjà à moins de 30\u00a0km d’un lieu existant/);
	});

	it('says so when no candidate reaches the communes left uncovered', () => {
		// Only candidates that sit on an existing place: nothing new within 5 km of anyone.
		const candidates = thierache.existing.map((e) => ({
			id: e.id,
			code: 'fs',
			lon: e.lon,
			lat: e.lat
		}));
		const r = done(
			proposeSites({
				...thierache,
				candidates,
				params: { n: 3, objective: 'couverture', coverageKm: 5 }
			})
		);
		expect(r.nothingToPropose).toBe(true);
		expect(r.sites).toEqual([]);
		expect(r.message).toMatch(
			/^Rien d’utile à proposer : aucun site candidat n’est à moins de 5\u00a0km des communes encore non couvertes/
		);
		const d = done(
			proposeSites({
				...thierache,
				candidates,
				params: { n: 3, objective: 'distance', coverageKm: 5 }
			})
		);
		expect(d.nothingToPropose).toBe(true);
		expect(d.message).toBe(
			'Rien d’utile à proposer : aucun site candidat n’est plus proche des communes que les lieux existants.'
		);
	});

	it('stops at the sites that help and says how many', () => {
		const r = done(
			proposeSites({ ...montreuillois, params: { n: 4, objective: 'couverture', coverageKm: 8 } })
		);
		expect(r.sites).toHaveLength(1);
		expect(r.nothingToPropose).toBe(false);
		expect(r.message).toBe(
			'Un seul des 4 sites demandés apporte un gain : au-delà, aucun site candidat ne couvre de personne de plus à moins de 8\u00a0km.'
		);
		expect(r.after.uncoveredDemand).toBe(0);
	});

	it('caps N at the number of candidates with a notice', () => {
		const r = done(
			proposeSites({
				...thierache,
				existing: [],
				params: { n: 40, objective: 'distance', coverageKm: 5 }
			})
		);
		expect(r.notices[0]).toBe(
			'40 sites demandés mais seulement 22 sites candidats : au plus 22 seront proposés.'
		);
		expect(r.sites.length).toBeLessThanOrEqual(22);
	});

	it('returns plain JSON (for a Web Worker, the API and the URL)', () => {
		const r = done(
			proposeSites({
				...thierache,
				existing: [],
				params: { n: 3, objective: 'distance', coverageKm: 5 }
			})
		);
		expect(JSON.parse(JSON.stringify(r))).toEqual(r);
	});

	it('keeps distances exact when the optimiser cuts candidate lists', () => {
		const params = { n: 4, objective: 'distance' as const, coverageKm: 5 };
		const cut = done(
			proposeSites({ ...thierache, existing: [], params }, {}, { neighbourLimit: 3 })
		);
		expect(cut.diagnostics.neighbourLimit).toBe(3);
		expect(cut.diagnostics.truncatedDemandPoints).toBeGreaterThan(0);
		expect(cut.notices.join(' ')).toMatch(/^Approximation : sans lieu existant/);
		// Reported figures are exact for the chosen sites whatever the model.
		const recomputed = evaluateScenario(thierache.demand, [], cut.sites, 5);
		expect(cut.after).toEqual(recomputed.after);
		const full = done(proposeSites({ ...thierache, existing: [], params }));
		expect(full.diagnostics.truncatedDemandPoints).toBe(0);
		expect(full.after.meanDistanceKm!).toBeLessThanOrEqual(cut.after.meanDistanceKm! + 1e-9);
	});
});

describe('progress and cancellation', () => {
	const input = {
		...thierache,
		existing: [],
		params: { n: 6, objective: 'couverture' as const, coverageKm: 5 }
	};

	it('reports non-decreasing fractions from 0 to 1', () => {
		const fractions: number[] = [];
		done(proposeSites(input, { onProgress: (f) => fractions.push(f) }));
		expect(fractions.length).toBeGreaterThan(5);
		expect(fractions[0]).toBe(0);
		expect(fractions.at(-1)).toBe(1);
		for (let i = 1; i < fractions.length; i++)
			expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1]);
	});

	it('stops early when asked', () => {
		let polls = 0;
		const total = { polls: 0 };
		proposeSites(input, { shouldCancel: () => (total.polls++, false) });
		const fractions: number[] = [];
		const outcome = proposeSites(input, {
			onProgress: (f) => fractions.push(f),
			shouldCancel: () => ++polls >= 3
		});
		expect(outcome).toEqual({ status: 'cancelled', message: 'Simulation annulée.' });
		expect(polls).toBe(3);
		expect(total.polls).toBeGreaterThan(10);
		expect(Math.max(...fractions)).toBeLessThan(0.5);
	});
});

describe('evaluateScenario (what-if) on hand-made points', () => {
	// Four villages on a line (km from the west end) and one existing place at km 0.
	const demand: DemandPoint[] = [
		{ code: 'A', ...east(0), weight: 100 },
		{ code: 'B', ...east(8), weight: 50 },
		{ code: 'C', ...east(20), weight: 30 },
		{ code: 'D', ...east(30), weight: 20 }
	];
	const existing: ExistingPlace[] = [{ id: 'lieu-A', ...east(0) }];

	it('computes the before/after figures and each added site’s contribution', () => {
		const r = evaluateScenario(demand, existing, [{ id: 'poste-1', code: 'C', ...east(20) }], 10);
		expect(r.before).toEqual({
			places: 1,
			demandPoints: 4,
			totalDemand: 200,
			coveredDemand: 150,
			coveredShare: 0.75,
			meanDistanceKm: expect.closeTo((50 * 8 + 30 * 20 + 20 * 30) / 200, 9),
			uncoveredPoints: 2,
			uncoveredDemand: 50
		});
		expect(r.after.coveredDemand).toBe(200);
		expect(r.after.uncoveredPoints).toBe(0);
		expect(r.after.meanDistanceKm).toBeCloseTo((50 * 8 + 20 * 10) / 200, 9);
		expect(r.sites).toHaveLength(1);
		expect(r.sites[0]).toMatchObject({ rank: 1, id: 'poste-1', gainPeople: 50 });
		expect(r.sites[0].gainPersonKm).toBeCloseTo(30 * 20 + 20 * 20, 9);
		expect(r.sites[0].gainMeanDistanceKm).toBeCloseTo((30 * 20 + 20 * 20) / 200, 9);
	});

	it('credits a site only for what the sites before it left', () => {
		const r = evaluateScenario(
			demand,
			existing,
			[
				{ id: 'poste-C', code: 'C', ...east(20) },
				{ id: 'poste-D', code: 'D', ...east(30) }
			],
			10
		);
		expect(r.sites.map((s) => s.gainPeople)).toEqual([50, 0]);
		expect(r.sites[1].gainPersonKm).toBeCloseTo(20 * 10, 9);
	});

	it('removing an existing place (leaving it out) changes the figures', () => {
		const without = evaluateScenario(demand, [], [{ id: 'poste-C', code: 'C', ...east(20) }], 10);
		expect(without.before.meanDistanceKm).toBeNull();
		expect(without.before.coveredDemand).toBe(0);
		expect(without.after.coveredDemand).toBe(50);
		expect(without.after.meanDistanceKm).toBeCloseTo((100 * 20 + 50 * 12 + 20 * 10) / 200, 9);
		// No place before: nothing to shorten, so no distance credit.
		expect(without.sites[0].gainPersonKm).toBe(0);
		const none = summariseAccess(demand, new Float64Array(4).fill(Infinity), 0, 10);
		expect(none).toMatchObject({
			coveredShare: 0,
			meanDistanceKm: null,
			uncoveredPoints: 4,
			uncoveredDemand: 200
		});
	});
});
