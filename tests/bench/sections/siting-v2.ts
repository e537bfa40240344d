/**
 * Siting v2 (issue 11): the capacity objective (Creuse N = 10, France N = 500), the exact solver
 * (HiGHS) on every département at N = 10 and 20 for coverage and distance, and the proved gaps
 * (solver, Lagrangian or submodular bound) of départements for the capacity objective and of
 * larger territories for all three. Real data: the server's shared analysis (needs model, E2SFCA supply), all
 * mediation places, candidates = every commune centre of the territory.
 */
import { performance } from 'node:perf_hooks';
import loadHighs from 'highs';
import { formatDecimal, formatInteger } from '../../../src/lib/format/number';
import { loadServerAnalysis } from '../../../src/lib/server/analysis';
import type { MilpSolver } from '../../../src/lib/siting/exact';
import type { ScenarioObjective } from '../../../src/lib/siting/model';
import {
	buildSitingDataset,
	createSitingContext,
	defaultScenarioParams,
	runSimulation,
	type ScenarioTerritory,
	type SimulationResult,
	type SitingContext
} from '../../../src/lib/siting/scenario';
import { ARTIFACTS } from '../../../src/lib/territory/artifacts';
import { timeMedian } from '../measure';
import { requireArtifacts, type BenchSection } from '../section';
import { formatTextTable } from '../text-table';

function run(
	context: SitingContext,
	territory: ScenarioTerritory,
	objective: ScenarioObjective,
	n: number,
	solver?: MilpSolver
): SimulationResult {
	const outcome = runSimulation(
		context,
		{ ...defaultScenarioParams(territory), objective, n },
		undefined,
		{},
		{ solver }
	);
	if (outcome.status !== 'done') throw new Error(JSON.stringify(outcome).slice(0, 300));
	return outcome.result;
}

const ms = (value: number) => formatInteger(Math.round(value));

export default {
	name: 'Implantation v2 : objectif capacité, solveur exact, écarts prouvés',
	async run() {
		if (!(await requireArtifacts(ARTIFACTS.communes, ARTIFACTS.mediators))) return;
		const { analysis } = await loadServerAnalysis();
		const context = createSitingContext(buildSitingDataset(analysis));
		const solver = (await loadHighs()) as unknown as MilpSolver;

		// 1. Capacity objective.
		const capacityRows: string[][] = [];
		for (const [label, territory, n] of [
			['Creuse', { level: 'departement', code: '23' }, 10],
			['France', { level: 'france', code: null }, 500]
		] as const) {
			let result: SimulationResult | null = null;
			const timing = await timeMedian(
				() => (result = run(context, territory as ScenarioTerritory, 'capacite', n)),
				3,
				1
			);
			const r = result!;
			const gains = r.sites.map((s) => s.gain_capacite?.equivalents_conseiller ?? 0);
			capacityRows.push([
				label,
				String(n),
				String(r.sites.length),
				String(gains.filter((g) => g > 0).length),
				formatDecimal(Math.min(...gains), 3),
				`${formatDecimal(r.avant.accessibilite ?? 0, 1)} → ${formatDecimal(r.apres.accessibilite ?? 0, 1)}`,
				r.optimalite!.prouvee ? 'prouvé' : `${formatDecimal(r.optimalite!.ecart_max_pct, 2)} %`,
				ms(timing.medianMs)
			]);
			if (label === 'Creuse') {
				console.log(
					`Creuse, premier site : ${r.sites[0]?.nom} — ${r.sites[0]?.gain_capacite?.texte}`
				);
				console.log(r.capacite?.description);
			}
		}
		console.log(
			formatTextTable(
				[
					{ title: 'territoire' },
					{ title: 'N', align: 'right' },
					{ title: 'postes placés', align: 'right' },
					{ title: 'gain > 0', align: 'right' },
					{ title: 'plus petit gain (éq. conseiller)', align: 'right' },
					{ title: 'accès moyen avant → après', align: 'right' },
					{ title: 'écart max.', align: 'right' },
					{ title: 'médiane (ms)', align: 'right' }
				],
				capacityRows
			)
		);

		// 2. Exact solver on every département.
		const departements = context.dataset.territories.departements.map((d) => d.code);
		for (const objective of ['couverture', 'distance'] as const) {
			for (const n of [10, 20]) {
				let proved = 0;
				let within2s = 0;
				let worstMs = 0;
				let worstCode = '';
				const failures: string[] = [];
				for (const code of departements) {
					const started = performance.now();
					const r = run(context, { level: 'departement', code }, objective, n, solver);
					const elapsed = performance.now() - started;
					if (r.optimalite?.prouvee) proved++;
					else failures.push(`${code} (${formatDecimal(r.optimalite?.ecart_max_pct ?? NaN, 2)} %)`);
					if (elapsed <= 2000) within2s++;
					if (elapsed > worstMs) {
						worstMs = elapsed;
						worstCode = code;
					}
				}
				console.log(
					`${objective}, N = ${n} : optimum prouvé sur ${proved} / ${departements.length} départements ; ${within2s} en ≤ 2 s (simulation complète) ; la plus longue ${ms(worstMs)} ms (${worstCode})${failures.length > 0 ? ` ; non prouvés : ${failures.join(', ')}` : ''}`
				);
			}
		}

		// 3. Proved gaps of larger territories.
		const gapRows: string[][] = [];
		for (const [label, territory, objectives, sizes] of [
			['Creuse', { level: 'departement', code: '23' }, ['capacite'], [10, 20]],
			['Lozère', { level: 'departement', code: '48' }, ['capacite'], [10, 20]],
			['Somme', { level: 'departement', code: '80' }, ['capacite'], [10, 20]],
			[
				'Hauts-de-France',
				{ level: 'region', code: '32' },
				['capacite', 'couverture', 'distance'],
				[20, 100]
			],
			[
				'France',
				{ level: 'france', code: null },
				['capacite', 'couverture', 'distance'],
				[20, 100, 500]
			]
		] as const) {
			for (const objective of objectives) {
				for (const n of sizes) {
					const started = performance.now();
					const r = run(context, territory as ScenarioTerritory, objective, n, solver);
					gapRows.push([
						label,
						objective,
						String(n),
						String(r.sites.length),
						r.optimalite!.prouvee ? 'prouvé' : `${formatDecimal(r.optimalite!.ecart_max_pct, 2)} %`,
						r.optimalite!.methode,
						ms(performance.now() - started)
					]);
				}
			}
		}
		console.log(
			formatTextTable(
				[
					{ title: 'territoire' },
					{ title: 'objectif' },
					{ title: 'N', align: 'right' },
					{ title: 'sites', align: 'right' },
					{ title: 'écart max.', align: 'right' },
					{ title: 'preuve' },
					{ title: 'ms', align: 'right' }
				],
				gapRows
			)
		);
	}
} satisfies BenchSection;
