/** The capacity objective's run: the model, the greedy choice and its bounds, then the common result. */
import { ACCESS_SCORE_UNIT } from '$lib/access/e2sfca';
import { formatDecimal, formatInteger } from '$lib/format/number';
import { gapPercent } from '../bounds';
import {
	CAPACITY_SWAP_PAIR_VISITS,
	chooseByCapacity,
	improveCapacityBySwaps,
	describeCapacityStep,
	type CapacityStep
} from '../capacity';
import { capacityLagrangianBound, solveCapacityExactly } from '../capacity-bounds';
import { SitingCancelled } from '../control';
import type { CandidateSite, SitingControl, SitingDiagnostics } from '../model';
import { accessAfter, capacityModelOf, shortfall } from './accessibility';
import { buildResult, round } from './build-result';
import type { SitingContext } from './dataset';
import type { ScenarioParams, SiteRef } from './parameters';
import { invalid, type Prepared } from './prepare';
import type { SimulationOptions, SimulationOutcome } from './result';
import { resolveSite, type ResolvedSite } from './territory';

/** The capacity objective's run: the model, the greedy choice, then the common result. */
export function runCapacity(
	context: SitingContext,
	params: ScenarioParams,
	prepared: Prepared,
	candidates: CandidateSite[],
	control: SitingControl,
	options: SimulationOptions
): SimulationOutcome {
	const removedSet = new Set(prepared.removedPlaces);
	const supplyKept = context.dataset.places.id.map((_, j) => j).filter((j) => !removedSet.has(j));
	// Without edits, the accessibility before the proposal is the ranking's (no recomputation).
	const base =
		prepared.added.length === 0 &&
		prepared.removedPlaces.length === 0 &&
		prepared.supplyOverride.size === 0
			? Float64Array.from(
					prepared.territory.withCentre,
					(i) => context.dataset.communes.accessScore[i]
				)
			: accessAfter(
					context,
					prepared.territory,
					supplyKept,
					prepared.added,
					prepared.supplyOverride
				);
	if (candidates.length === 0) {
		return invalid([
			'La liste des sites candidats est vide : aucun lieu où ouvrir un poste (vérifiez le territoire et la règle de sélection des candidats)'
		]);
	}
	const weight = Float64Array.from(prepared.demand, (d) => d.weight);
	const n = Math.min(params.n, candidates.length);
	const notices: string[] = [];
	if (params.n > candidates.length) {
		notices.push(
			`${formatInteger(params.n)} postes demandés mais seulement ${formatInteger(candidates.length)} sites candidats : au plus ${formatInteger(candidates.length)} seront proposés.`
		);
	}
	control.onProgress?.(0.2);
	const model = capacityModelOf(context, prepared.territory, weight, base, candidates, n);
	control.onProgress?.(0.4);
	let choice = chooseByCapacity(model, n, () => control.shouldCancel?.() ?? false);
	const greedyValue = choice.value;
	if (control.shouldCancel?.()) return { status: 'cancelled', message: 'Simulation annulée.' };
	let upperBound = choice.upperBound;
	let boundMethod = 'borne sous-modulaire (Nemhauser, Wolsey et Fisher 1978)';
	const tolerance = 1e-9 * Math.max(1, upperBound);
	let swaps = 0;
	if (choice.value < upperBound - tolerance) {
		const swapped = improveCapacityBySwaps(
			model,
			choice.steps.map((step) => step.candidate),
			CAPACITY_SWAP_PAIR_VISITS,
			() => control.shouldCancel?.() ?? false
		);
		if (control.shouldCancel?.()) return { status: 'cancelled', message: 'Simulation annulée.' };
		if (swapped.value > choice.value + tolerance) {
			const ordered = chooseByCapacity(model, swapped.chosen.length, undefined, swapped.chosen);
			choice = { ...ordered, value: swapped.value };
			swaps = swapped.swaps;
		}
	}
	if (options.solver && choice.value < upperBound - tolerance) {
		control.onProgress?.(0.6);
		const exact = solveCapacityExactly(
			options.solver,
			model,
			n,
			options.exactTimeLimitSeconds ?? 2
		);
		if (exact) {
			if (exact.value > choice.value + tolerance && exact.chosen.length > 0) {
				const ordered = chooseByCapacity(model, exact.chosen.length, undefined, exact.chosen);
				choice = { ...ordered, value: exact.value };
			}
			if (exact.upperBound < upperBound) {
				upperBound = Math.max(choice.value, exact.upperBound);
				boundMethod = exact.proved
					? 'programme linéaire en nombres entiers résolu par HiGHS (optimum prouvé)'
					: 'relaxation linéaire résolue par HiGHS (limite de temps atteinte pour l’optimum entier)';
			}
		}
	}
	if (choice.value < upperBound - tolerance && gapPercent(choice.value, upperBound) > 0.01) {
		let lagrangian: { bound: number; iterations: number };
		try {
			lagrangian = capacityLagrangianBound(
				model,
				choice.steps.map((step) => step.candidate),
				choice.value,
				n,
				undefined,
				() => {
					if (control.shouldCancel?.()) throw new SitingCancelled();
				}
			);
		} catch (error) {
			if (error instanceof SitingCancelled) return { status: 'cancelled', message: error.message };
			throw error;
		}
		if (lagrangian.bound < upperBound) {
			upperBound = lagrangian.bound;
			boundMethod = `relaxation lagrangienne (Cornuéjols, Fisher et Nemhauser 1977), ${formatInteger(lagrangian.iterations)} itérations de sous-gradient`;
		}
	}
	control.onProgress?.(0.9);
	const steps = choice.steps;
	const proposedRefs: SiteRef[] = steps.map(({ candidate }) =>
		params.candidates.rule === 'france_services_sans_conseiller'
			? { kind: 'lieu', id: candidates[candidate].id }
			: { kind: 'commune', code: candidates[candidate].code }
	);
	const proposed = proposedRefs
		.map((ref) => resolveSite(context, ref, 'proposition'))
		.filter((s): s is ResolvedSite => typeof s !== 'string');
	const target = model.target;
	const score = (v: number) => formatDecimal(v, v >= 10 ? 0 : 1);
	const message =
		steps.length === 0
			? `Rien d’utile à proposer : aucun site candidat n’atteint de personne éloignée sous le seuil d’accessibilité (${score(target)} ${ACCESS_SCORE_UNIT}).`
			: steps.length < params.n
				? `${steps.length === 1 ? 'Un seul' : `Seuls ${formatInteger(steps.length)}`} des ${formatInteger(params.n)} postes demandés ${steps.length === 1 ? 'apporte' : 'apportent'} un gain : au-delà, aucun site candidat n’atteint de personne sous le seuil d’accessibilité.`
				: null;
	const proved = choice.value >= upperBound - 1e-9 * Math.max(1, upperBound);
	const diagnostics: SitingDiagnostics = {
		candidates: candidates.length,
		pairs: model.candidateDemand.length,
		truncatedDemandPoints: 0,
		neighbourLimit: null,
		greedyValue,
		finalValue: choice.value,
		swaps,
		restarts: 0,
		gainEvaluations: choice.evaluations,
		upperBound,
		proved,
		boundMethod
	};
	const result = buildResult(context, params, { ...prepared, proposed }, options, {
		nothingToPropose: steps.length === 0,
		message,
		notices,
		diagnostics,
		candidates: candidates.length
	});
	const stepByToken = new Map<string, CapacityStep>();
	proposed.forEach((s, t) => stepByToken.set(s.token, steps[t]));
	for (const site of result.sites) {
		const step = site.origine === 'proposition' ? stepByToken.get(site.id) : undefined;
		if (!step) continue;
		site.gain_capacite = {
			equivalents_conseiller: round(step.gain, 4),
			personnes_au_dessus_seuil: round(step.crossing, 1),
			personnes_aidees: round(step.helped, 1),
			acces_moyen_avant: round(step.helpedMeanBefore, 2),
			acces_moyen_apres: round(step.helpedMeanAfter, 2),
			texte: describeCapacityStep(step)
		};
	}
	const level = Float64Array.from(base);
	for (const { candidate } of steps) {
		for (let p = model.candidateStart[candidate]; p < model.candidateStart[candidate + 1]; p++) {
			level[model.candidateDemand[p]] += model.candidateGain[p];
		}
	}
	const before = shortfall(model, base);
	const after = shortfall(model, level);
	result.capacite = {
		seuil: round(target, 3),
		description: `Seuil : ${score(target)} ${ACCESS_SCORE_UNIT}, l’accessibilité moyenne du territoire si ses lieux et les ${formatInteger(n)} nouveaux postes étaient répartis exactement selon les besoins.`,
		personnes_sous_seuil_avant: round(before.people, 1),
		personnes_sous_seuil_apres: round(after.people, 1),
		manque_avant: round(before.missing, 3),
		manque_apres: round(after.missing, 3)
	};
	control.onProgress?.(1);
	return { status: 'done', result };
}
