/**
 * Siting engine (issue 6): time to propose N = 11, 100 and 500 new sites over the communes of
 * Hauts-de-France (région 32) and over France, for both objectives, with the people newly covered.
 * Demand: the needs model's estimated people éloignés du numérique (src/lib/indicators/
 * remote-population.ts) when it loads, else the population municipale as a labelled stand-in.
 * Candidates: every commune centre of the territory. Existing places: every point of
 * mediateurs.geojson (France services, conseillers numériques, Aidants Connect, other places).
 */
import type { FeatureCollection, Point } from 'geojson';
import { formatDecimal, formatInteger, formatPercent } from '../../../src/lib/format/number';
import type {
	CandidateSite,
	DemandPoint,
	ExistingPlace,
	SitingObjective,
	SitingResult
} from '../../../src/lib/siting/model';
import { DEFAULT_COVERAGE_KM } from '../../../src/lib/siting/params';
import { proposeSites } from '../../../src/lib/siting/propose-sites';
import { ARTIFACTS, type MediatorProperties } from '../../../src/lib/territory/artifacts';
import type { CommuneRecord } from '../../../src/lib/territory/commune';
import { decodeCommuneTable } from '../../../src/lib/territory/commune-table';
import { timeMedian } from '../measure';
import { readArtifact, requireArtifacts, type BenchSection } from '../section';
import { formatTextTable } from '../text-table';

const SIZES = [11, 100, 500];
const OBJECTIVES: SitingObjective[] = ['couverture', 'distance'];

/** Weights per commune (input order) and how they were obtained. */
async function estimateDemandWeights(
	communes: CommuneRecord[]
): Promise<{ weights: number[]; label: string }> {
	try {
		const model = await import('../../../src/lib/needs/model');
		const set = model.estimateRemotePopulation(communes);
		const weights = set.communes.map((c) => c.eloignes);
		if (weights.length === communes.length && weights.every((w) => Number.isFinite(w) && w >= 0)) {
			return {
				weights,
				label: `personnes éloignées du numérique estimées (modèle ${model.MODEL_VERSION}, src/lib/needs/model.ts)`
			};
		}
		console.log('modèle des besoins : estimations inutilisables, repli sur la population');
	} catch (error) {
		console.log(
			`modèle des besoins indisponible (${(error as Error).message}), repli sur la population`
		);
	}
	return {
		weights: communes.map((c) => c.population),
		label: 'SUBSTITUT : population municipale (pas les personnes éloignées du numérique)'
	};
}

const range = (a: string, b: string) => `${a} → ${b}`;

function row(
	territory: string,
	objective: SitingObjective,
	n: number,
	ms: number,
	r: SitingResult
): string[] {
	const share = (v: number | null) => formatPercent(v === null ? null : 100 * v, 1);
	const km = (v: number | null) => formatDecimal(v, 2);
	return [
		territory,
		objective,
		`${n}`,
		`${r.sites.length}`,
		formatDecimal(ms, 0),
		formatInteger(r.after.coveredDemand - r.before.coveredDemand),
		range(share(r.before.coveredShare), share(r.after.coveredShare)),
		range(km(r.before.meanDistanceKm), km(r.after.meanDistanceKm)),
		range(formatInteger(r.before.uncoveredPoints), formatInteger(r.after.uncoveredPoints)),
		`${r.diagnostics.swaps}/${r.diagnostics.restarts}`,
		formatInteger(r.diagnostics.pairs)
	];
}

export default {
	name: `Simulation de déploiement (siting) : N = 11, 100, 500 — Hauts-de-France et France, ${DEFAULT_COVERAGE_KM} km`,
	async run() {
		if (!(await requireArtifacts(ARTIFACTS.communes, ARTIFACTS.mediators))) return;
		const communes = decodeCommuneTable(JSON.parse(await readArtifact(ARTIFACTS.communes)));
		const mediators = JSON.parse(await readArtifact(ARTIFACTS.mediators)) as FeatureCollection<
			Point,
			MediatorProperties
		>;
		const existing: ExistingPlace[] = mediators.features.map((f) => ({
			id: f.properties.id,
			lon: f.geometry.coordinates[0],
			lat: f.geometry.coordinates[1]
		}));
		const { weights, label } = await estimateDemandWeights(communes);
		console.log(`demande : ${label}`);
		console.log(
			`lieux existants : ${formatInteger(existing.length)} points de ${ARTIFACTS.mediators}`
		);
		console.log(
			'candidats : tous les centres de commune du territoire ; médiane de 3 mesures après 1 échauffement'
		);

		const located = communes
			.map((c, i) => ({ c, weight: weights[i] }))
			.filter(({ c }) => c.lon !== null && c.lat !== null);
		const skipped = communes.length - located.length;
		if (skipped > 0) console.log(`${skipped} communes sans centre ignorées`);

		const rows: string[][] = [];
		const notes: string[] = [];
		for (const [territory, keep] of [
			['Hauts-de-France', (c: CommuneRecord) => c.reg === '32'],
			['France', () => true]
		] as const) {
			const scope = located.filter(({ c }) => keep(c));
			const demand: DemandPoint[] = scope.map(({ c, weight }) => ({
				code: c.code,
				lon: c.lon!,
				lat: c.lat!,
				weight
			}));
			const candidates: CandidateSite[] = scope.map(({ c }) => ({
				id: c.code,
				code: c.code,
				lon: c.lon!,
				lat: c.lat!
			}));
			for (const objective of OBJECTIVES) {
				for (const n of SIZES) {
					let result: SitingResult | null = null;
					const timing = await timeMedian(
						() => {
							const outcome = proposeSites({
								demand,
								candidates,
								existing,
								params: { n, objective, coverageKm: DEFAULT_COVERAGE_KM }
							});
							if (outcome.status !== 'done') throw new Error(outcome.message);
							result = outcome.result;
						},
						3,
						1
					);
					const r = result as SitingResult | null;
					if (!r) continue;
					rows.push(row(territory, objective, n, timing.medianMs, r));
					if (r.message) notes.push(`${territory}, ${objective}, N = ${n} : ${r.message}`);
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
					{ title: 'médiane (ms)', align: 'right' },
					{ title: 'pers. nouvellement couvertes', align: 'right' },
					{ title: `part à ≤ ${DEFAULT_COVERAGE_KM} km`, align: 'right' },
					{ title: 'distance moy. (km)', align: 'right' },
					{ title: `communes > ${DEFAULT_COVERAGE_KM} km`, align: 'right' },
					{ title: 'échanges/redém.', align: 'right' },
					{ title: 'paires', align: 'right' }
				],
				rows
			)
		);
		for (const note of notes) console.log(note);
	}
} satisfies BenchSection;
