/**
 * The scenario layer of the siting engine (src/lib/siting/scenario/) on the real committed
 * artifacts: territory → demand/candidates/places, proposals for real départements, what-if
 * evaluation (hand-added sites, removed places), accessibility before/after.
 */
import { describe, expect, it } from 'vitest';
import { loadServerAnalysis } from '$lib/server/analysis';
import {
	CONSEILLER_NEARBY_KM,
	buildSitingDataset,
	createSitingContext,
	defaultScenarioParams,
	editsOfResult,
	evaluateSimulation,
	parseSiteToken,
	runSimulation,
	siteToken,
	type ScenarioParams,
	type SimulationOutcome,
	type SimulationResult
} from '$lib/siting/scenario';
import { distanceKm } from '$lib/siting/nearest';

const { analysis, mediators } = await loadServerAnalysis();
const context = createSitingContext(buildSitingDataset(analysis));
const { communes, places } = context.dataset;

function done(outcome: SimulationOutcome): SimulationResult {
	if (outcome.status !== 'done')
		throw new Error(`attendu « done », reçu ${JSON.stringify(outcome)}`);
	return outcome.result;
}

const aisne: ScenarioParams = {
	...defaultScenarioParams({ level: 'departement', code: '02' }),
	objective: 'couverture',
	n: 11
};
const somme: ScenarioParams = {
	...defaultScenarioParams({ level: 'departement', code: '80' }),
	objective: 'couverture',
	n: 11
};
/** CC de la Thiérache du Centre (02), rural: 68 communes. */
const thierache: ScenarioParams = {
	...defaultScenarioParams({ level: 'epci', code: '240200444' }),
	objective: 'couverture',
	n: 3
};
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe('site tokens', () => {
	it.each([
		[{ kind: 'commune', code: '02361' }, '02361'],
		[{ kind: 'commune', code: '2A004' }, '2A004'],
		[{ kind: 'lieu', id: 'fs-12' }, 'fs-12'],
		[{ kind: 'lieu', id: 'npdc-2200 - APTIC-assembleurs' }, 'npdc-2200 - APTIC-assembleurs'],
		[{ kind: 'point', lon: 3.6241, lat: 49.9078 }, '3.62410_49.90780'],
		[{ kind: 'point', lon: -1.55, lat: 47.2184 }, '-1.55000_47.21840']
	] as const)('%j ⇄ %s', (ref, token) => {
		expect(siteToken(ref)).toBe(token);
		expect(parseSiteToken(token)).toEqual(ref);
	});

	it('refuses empty tokens and points out of range', () => {
		expect(parseSiteToken('  ')).toBeNull();
		expect(parseSiteToken('200.00000_10.00000')).toBeNull();
		expect(parseSiteToken('2a004')).toEqual({ kind: 'commune', code: '2A004' });
	});
});

describe('the dataset of the scenarios', () => {
	it('has one row per commune and per place, from the shared analysis', () => {
		expect(communes.code).toHaveLength(analysis.inputs.communes.length);
		expect(places.id).toHaveLength(mediators.features.length);
		const i = context.communeIndex.get('02408')!; // Laon
		expect(communes.nom[i]).toBe('Laon');
		expect(communes.eloignes[i]).toBeCloseTo(analysis.estimateByCode.get('02408')!.eloignes, 6);
		expect(communes.accessScore[i]).toBeCloseTo(analysis.access.get('02408')!.score, 9);
	});

	it('marks as "without conseiller" only France services with no conseiller place or post in their commune or within 1 km', () => {
		const conseillers = mediators.features.filter((f) =>
			['conseiller-numerique-lieu', 'conseiller-numerique-poste'].includes(f.properties.type)
		);
		let without = 0;
		places.id.forEach((_, j) => {
			if (!context.withoutConseiller[j]) return;
			without++;
			expect(places.type[j]).toBe('france-services');
			const near = conseillers.some(
				(c) =>
					(c.properties.commune !== null && c.properties.commune === places.commune[j]) ||
					distanceKm(
						c.geometry.coordinates[0],
						c.geometry.coordinates[1],
						places.lon[j],
						places.lat[j]
					) <= CONSEILLER_NEARBY_KM
			);
			expect(near).toBe(false);
		});
		const franceServices = places.type.filter((t) => t === 'france-services').length;
		expect(without).toBeGreaterThan(0);
		expect(without).toBeLessThan(franceServices);
	});
});

describe('runSimulation on real départements', () => {
	it('Aisne, N = 11: at most 11 sites, gains that sum to the people newly covered', () => {
		const result = done(runSimulation(context, aisne));
		expect(result.territoire).toMatchObject({ niveau: 'departement', code: '02', nom: 'Aisne' });
		expect(result.sites.length).toBeGreaterThan(0);
		expect(result.sites.length).toBeLessThanOrEqual(11);
		if (result.sites.length < 11) expect(result.message).toMatch(/Seuls? .* des 11 sites demandés/);
		const newlyCovered = result.apres.eloignes_couverts - result.avant.eloignes_couverts;
		expect(sum(result.sites.map((s) => s.gain))).toBeCloseTo(newlyCovered, -1);
		expect(Math.abs(sum(result.sites.map((s) => s.gain)) - newlyCovered)).toBeLessThan(
			0.05 * (result.sites.length + 2)
		);
		// Every proposed site is a commune centre of the Aisne that covers someone new.
		for (const site of result.sites) {
			expect(site.origine).toBe('proposition');
			const i = context.communeIndex.get(site.code_commune)!;
			expect(communes.dep[i]).toBe('02');
			expect([site.lon, site.lat]).toEqual([communes.lon[i], communes.lat[i]]);
			expect(site.gain).toBeGreaterThan(0);
		}
		// Gains in greedy order are non-increasing.
		for (let t = 1; t < result.sites.length; t++) {
			expect(result.sites[t].gain).toBeLessThanOrEqual(result.sites[t - 1].gain + 1e-9);
		}
		expect(result.apres.part_couverte_pct!).toBeGreaterThan(result.avant.part_couverte_pct!);
		expect(result.apres.communes_non_couvertes).toBeLessThan(result.avant.communes_non_couvertes);
		expect(result.apres.distance_moyenne_km!).toBeLessThan(result.avant.distance_moyenne_km!);
		expect(result.apres.accessibilite!).toBeGreaterThan(result.avant.accessibilite!);
		expect(result.apres.lieux).toBe(result.avant.lieux + result.sites.length);
		expect(result.diagnostics?.candidates).toBe(result.candidats.nombre);
	});

	it('Somme, N = 11, distance objective: lowers the mean distance, each site by a positive amount', () => {
		const result = done(runSimulation(context, { ...somme, objective: 'distance' }));
		expect(result.sites).toHaveLength(11);
		for (const site of result.sites) expect(site.gain_distance_moyenne_km).toBeGreaterThan(0);
		const gained = sum(result.sites.map((s) => s.gain_distance_moyenne_km));
		expect(result.avant.distance_moyenne_km! - result.apres.distance_moyenne_km!).toBeCloseTo(
			gained,
			2
		);
	});

	it('demand is the territory’s communes only, weighted by their estimated people éloignés', () => {
		const result = done(runSimulation(context, thierache, undefined, {}, { detailCommunes: true }));
		const members = analysis.inputs.communes.filter((c) => c.epci === '240200444');
		expect(result.territoire.communes).toBe(members.length);
		expect(result.communes).toHaveLength(members.filter((c) => c.lon !== null).length);
		const total = sum(members.map((c) => analysis.estimateByCode.get(c.code)?.eloignes ?? 0));
		expect(result.avant.eloignes).toBeCloseTo(total, 0);
		expect(result.territoire.population).toBe(sum(members.map((c) => c.population)));
	});

	it('coverage never decreases with N (same territory and distance)', () => {
		let previous = -1;
		for (const n of [1, 2, 4, 8]) {
			const covered = done(runSimulation(context, { ...somme, n })).apres.eloignes_couverts;
			expect(covered).toBeGreaterThanOrEqual(previous);
			previous = covered;
		}
	});

	it('candidates follow the rule: a population threshold keeps only communes above it', () => {
		const result = done(
			runSimulation(context, {
				...aisne,
				candidates: { rule: 'population_min', populationMin: 2000 }
			})
		);
		const aisneCommunes = analysis.inputs.communes.filter((c) => c.dep === '02' && c.lon !== null);
		expect(result.candidats.nombre).toBe(aisneCommunes.filter((c) => c.population >= 2000).length);
		expect(result.candidats.description).toContain('2');
		for (const site of result.sites) {
			expect(
				communes.population[context.communeIndex.get(site.code_commune)!]
			).toBeGreaterThanOrEqual(2000);
		}
	});

	it('the France services rule proposes France services without a conseiller; the present stays the same', () => {
		const result = done(
			runSimulation(context, {
				...aisne,
				candidates: { rule: 'france_services_sans_conseiller', populationMin: null }
			})
		);
		const all = done(evaluateSimulation(context, aisne, { proposed: [], added: [], removed: [] }));
		// The rule re-labels places as an edit: "avant" is the real present, as without the rule.
		expect(result.lieux_existants.nombre).toBe(all.lieux_existants.nombre);
		expect(result.avant).toEqual(all.avant);
		expect(result.notices.some((n) => n.includes('comptent comme sites à renforcer'))).toBe(true);
		expect(result.sites.length).toBeGreaterThan(0);
		for (const site of result.sites) {
			const j = context.placeIndex.get(site.id)!;
			expect(site.lieu?.type).toBe('france-services');
			expect(context.withoutConseiller[j]).toBe(1);
			expect(communes.dep[context.communeIndex.get(site.code_commune)!]).toBe('02');
			expect(site.gain).toBeGreaterThan(0);
		}
		expect(result.apres.accessibilite!).toBeGreaterThan(result.avant.accessibilite!);
	});

	it('a territory already covered proposes nothing useful and says so', () => {
		const lille: ScenarioParams = {
			...defaultScenarioParams({ level: 'epci', code: '200093201' }),
			objective: 'couverture'
		};
		const result = done(runSimulation(context, lille));
		expect(result.avant.part_couverte_pct).toBe(100);
		expect(result.rien_a_proposer).toBe(true);
		expect(result.sites).toEqual([]);
		expect(result.message).toMatch(/^Rien d’utile à proposer/);
		expect(result.apres).toEqual(result.avant);
	});

	it('refuses an unknown territory with a French message', () => {
		const outcome = runSimulation(
			context,
			defaultScenarioParams({ level: 'departement', code: '99' })
		);
		expect(outcome.status).toBe('invalid');
		if (outcome.status === 'invalid') expect(outcome.erreur).toMatch(/département « 99 » inconnu/);
	});

	it('stops when cancelled, and reports progress up to 1', () => {
		let calls = 0;
		const cancelled = runSimulation(context, aisne, undefined, { shouldCancel: () => ++calls > 2 });
		expect(cancelled.status).toBe('cancelled');
		const fractions: number[] = [];
		done(runSimulation(context, aisne, undefined, { onProgress: (f) => fractions.push(f) }));
		expect(fractions.at(-1)).toBe(1);
		expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1])).toBe(true);
	});
});

describe('what-if: evaluateSimulation', () => {
	const proposal = done(runSimulation(context, aisne, undefined, {}, { detailCommunes: true }));

	it('re-evaluating the proposal as edits gives the same figures', () => {
		const again = done(evaluateSimulation(context, aisne, editsOfResult(proposal)));
		expect(again.apres).toEqual(proposal.apres);
		expect(again.sites.map((s) => [s.id, s.gain])).toEqual(
			proposal.sites.map((s) => [s.id, s.gain])
		);
		expect(again.diagnostics).toBeNull();
	});

	it('a hand-added site changes the figures, and gets credit only for what it adds', () => {
		const uncovered = proposal.communes!.filter((c) => c.distance_avant_km! > aisne.coverageKm);
		expect(uncovered.length).toBeGreaterThan(0);
		const target = uncovered.sort((a, b) => b.eloignes - a.eloignes)[0];
		const result = done(
			evaluateSimulation(
				context,
				aisne,
				{ proposed: [], added: [{ kind: 'commune', code: target.code }], removed: [] },
				{ detailCommunes: true }
			)
		);
		expect(result.sites).toHaveLength(1);
		expect(result.sites[0]).toMatchObject({ origine: 'ajout', code_commune: target.code, rang: 1 });
		expect(result.sites[0].gain).toBeGreaterThanOrEqual(target.eloignes - 0.1);
		expect(result.apres.eloignes_couverts).toBeCloseTo(
			result.avant.eloignes_couverts + result.sites[0].gain,
			0
		);
		expect(result.apres.communes_non_couvertes).toBeLessThan(result.avant.communes_non_couvertes);
		expect(result.communes!.find((c) => c.code === target.code)!.distance_apres_km).toBe(0);
		// Adding supply never lowers a commune's accessibility.
		for (const c of result.communes!) {
			expect(c.accessibilite_apres!).toBeGreaterThanOrEqual(c.accessibilite_avant! - 1e-9);
		}
	});

	it('a point clicked on the map is placed in the commune whose centre is nearest', () => {
		const laon = context.communeIndex.get('02408')!;
		const result = done(
			evaluateSimulation(context, aisne, {
				proposed: [],
				added: [{ kind: 'point', lon: communes.lon[laon] + 0.001, lat: communes.lat[laon] }],
				removed: []
			})
		);
		expect(result.sites[0]).toMatchObject({
			code_commune: '02408',
			nom: 'Laon',
			id: expect.stringMatching(/_/)
		});
	});

	it('a site far from the territory leaves its accessibility exactly as it was (local E2SFCA is exact)', () => {
		const result = done(
			evaluateSimulation(
				context,
				thierache,
				{ proposed: [], added: [{ kind: 'commune', code: '75056' }], removed: [] },
				{ detailCommunes: true }
			)
		);
		expect(result.apres.accessibilite).toBe(result.avant.accessibilite);
		for (const c of result.communes!) expect(c.accessibilite_apres).toBe(c.accessibilite_avant);
		expect(result.sites[0].gain).toBe(0);
	});

	it('removing the places of a commune lowers its access; "before" stays the real situation', () => {
		const inTerritory = places.id.filter((_, j) => {
			const c = places.commune[j];
			return (
				c !== null && analysis.inputs.communes[context.communeIndex.get(c)!]?.epci === '240200444'
			);
		});
		expect(inTerritory.length).toBeGreaterThan(0);
		const before = done(
			evaluateSimulation(context, thierache, { proposed: [], added: [], removed: [] })
		);
		const result = done(
			evaluateSimulation(context, thierache, { proposed: [], added: [], removed: inTerritory })
		);
		expect(result.avant).toEqual(before.avant);
		expect(result.lieux_retires.map((p) => p.id).sort()).toEqual([...inTerritory].sort());
		expect(result.apres.lieux).toBe(result.avant.lieux - inTerritory.length);
		expect(result.apres.distance_moyenne_km!).toBeGreaterThan(result.avant.distance_moyenne_km!);
		expect(result.apres.accessibilite!).toBeLessThan(result.avant.accessibilite!);
		expect(result.notices.join(' ')).toContain('retiré');
	});

	it('refuses unknown edits, or drops them with a notice when asked to', () => {
		const edits = {
			proposed: [],
			added: [{ kind: 'commune' as const, code: '99999' }],
			removed: ['fs-inexistant']
		};
		const refused = evaluateSimulation(context, aisne, edits);
		expect(refused.status).toBe('invalid');
		if (refused.status === 'invalid') {
			expect(refused.details).toEqual([
				'commune « 99999 » inconnue (codes du COG 2026)',
				'lieu à retirer « fs-inexistant » inconnu'
			]);
		}
		const ignored = done(evaluateSimulation(context, aisne, edits, { unknownEdits: 'ignore' }));
		expect(ignored.sites).toEqual([]);
		expect(ignored.notices.join(' ')).toMatch(/Modifications ignorées .*99999.*fs-inexistant/);
	});

	it('re-running keeps the hand-added sites fixed and proposes around them', () => {
		const added = proposal.sites[0];
		const result = done(
			runSimulation(context, aisne, {
				proposed: [],
				added: [{ kind: 'commune', code: added.code_commune }],
				removed: []
			})
		);
		expect(result.sites[0]).toMatchObject({ origine: 'ajout', id: added.id });
		expect(
			result.sites.slice(1).every((s) => s.origine === 'proposition' && s.id !== added.id)
		).toBe(true);
		expect(result.apres.eloignes_couverts).toBeCloseTo(proposal.apres.eloignes_couverts, 0);
	});
});
