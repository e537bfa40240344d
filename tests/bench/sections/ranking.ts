/**
 * Benchmark of the priority ranking: re-ranking every commune after a weight change (what a slider
 * drag costs) against sorting as many random floats in the same run (issue 5: target ≤ 2×).
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { computeAccessibility } from '../../../src/lib/access/e2sfca';
import { findNearestPlaces } from '../../../src/lib/access/nearest';
import { formatDecimal, formatInteger } from '../../../src/lib/format/number';
import { CRITERION_IDS } from '../../../src/lib/ranking/criteria';
import { explainRank } from '../../../src/lib/ranking/explain';
import { prepareRanking, rankTerritories } from '../../../src/lib/ranking/rank';
import { buildRankingRows, type CommuneAccess } from '../../../src/lib/ranking/rows';
import { DEFAULT_WEIGHTS, type Weights } from '../../../src/lib/ranking/weights';
import {
	ARTIFACTS,
	type QpvByCommune,
	type TerritoryIndex
} from '../../../src/lib/territory/artifacts';
import { timeMedian } from '../measure';
import { artifactPath, requireArtifacts, type BenchSection } from '../section';
import { loadAccessBenchInputs } from './access';

/** Measured re-rankings (and random-float sorts), one per simulated slider step. */
const RUNS = 41;

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

/** The weights after each step of a simulated slider drag: one criterion moves at a time. */
function sliderSteps(count: number): Weights[] {
	const steps: Weights[] = [];
	let weights: Weights = { ...DEFAULT_WEIGHTS };
	for (let s = 0; s < count; s++) {
		const id = CRITERION_IDS[s % CRITERION_IDS.length];
		weights = { ...weights, [id]: (weights[id] + 1 + (s % 3)) % 6 };
		if (CRITERION_IDS.every((c) => weights[c] === 0)) weights.eloignes = 1;
		steps.push(weights);
	}
	return steps;
}

export default {
	name: 'Classement des territoires : re-classer 34 875 communes après un changement de poids',
	async run() {
		if (
			!(await requireArtifacts(
				ARTIFACTS.communes,
				ARTIFACTS.mediators,
				ARTIFACTS.qpv,
				ARTIFACTS.territories
			))
		) {
			return;
		}
		const inputs = loadAccessBenchInputs();
		if (!inputs?.communes || !inputs.needs) return;
		const { communes, needs, demand, supply } = inputs;
		const e2sfca = computeAccessibility(demand, supply);
		const nearest = findNearestPlaces(demand, supply);
		const access = new Map<string, CommuneAccess>(
			demand.map((d, i) => [d.code, { score: e2sfca.score[i], nearestKm: nearest.overallKm[i] }])
		);
		const qpv = JSON.parse(readFileSync(artifactPath(ARTIFACTS.qpv), 'utf8')) as QpvByCommune;
		const territories = JSON.parse(
			readFileSync(artifactPath(ARTIFACTS.territories), 'utf8')
		) as TerritoryIndex;
		const rowsStart = performance.now();
		const rows = buildRankingRows(communes, 'commune', {
			need: (c) => needs.get(c.code) ?? null,
			access,
			qpv,
			territories
		});
		const rowsMs = performance.now() - rowsStart;
		const prepareTiming = await timeMedian(() => prepareRanking(rows), 5);
		const prepared = prepareRanking(rows);
		console.log(
			`${formatInteger(rows.length)} communes (demande : ${inputs.demandLabel}) ; lignes construites en ${formatDecimal(rowsMs, 0)} ms ; ` +
				`préparation (lecture + normalisation des ${CRITERION_IDS.length} critères, une fois par niveau et filtre) : ${formatDecimal(prepareTiming.medianMs, 1)} ms`
		);

		// Same number of runs, interleaved, so both see the same machine load.
		const steps = sliderSteps(RUNS + 3);
		const randomArrays = Array.from({ length: RUNS + 3 }, () =>
			Float64Array.from({ length: rows.length }, () => Math.random())
		);
		const rerank: number[] = [];
		const sortRandom: number[] = [];
		for (let r = 0; r < RUNS + 3; r++) {
			let start = performance.now();
			rankTerritories(prepared, steps[r], 'departement');
			const rerankMs = performance.now() - start;
			start = performance.now();
			randomArrays[r].sort();
			const sortMs = performance.now() - start;
			// The first 3 runs warm the JIT up.
			if (r >= 3) {
				rerank.push(rerankMs);
				sortRandom.push(sortMs);
			}
		}
		const rerankMs = median(rerank);
		const sortMs = median(sortRandom);
		console.log(
			`re-classement après un changement de poids (score + tri + rangs dans le département) : médiane ${formatDecimal(rerankMs, 2)} ms sur ${RUNS} ; ` +
				`tri de ${formatInteger(rows.length)} flottants aléatoires : ${formatDecimal(sortMs, 2)} ms ; ` +
				`rapport ${formatDecimal(rerankMs / sortMs, 2)}× (cible ≤ 2×)`
		);
		const ranking = rankTerritories(prepared, DEFAULT_WEIGHTS, 'france');
		const explainStart = performance.now();
		const top = Array.from(ranking.order.slice(0, 50), (i) => explainRank(prepared, ranking, i));
		const explainMs = performance.now() - explainStart;
		console.log(
			`50 explications (une page du tableau) : ${formatDecimal(explainMs, 1)} ms ; préréglage Équilibré, les 3 premières :`
		);
		for (let p = 0; p < 3; p++)
			console.log(`  ${rows[ranking.order[p]].nom} (${rows[ranking.order[p]].code}) — ${top[p]}`);
	}
} satisfies BenchSection;
