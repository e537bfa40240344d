/** Everything a scenario needs before the optimisation: territory, demand, places, hand edits. */
import { formatInteger } from '$lib/format/number';
import { refusalOf } from '$lib/format/problems';
import type { DemandPoint } from '../model';
import { CONSEILLER_NEARBY_KM, type SitingContext } from './dataset';
import type { ScenarioEdits, ScenarioParams, SiteRef } from './parameters';
import type { SimulationOptions, SimulationOutcome } from './result';
import { km } from './texts';
import {
	demandOf,
	placesInTerritory,
	relabelledPlaces,
	resolveSite,
	resolveTerritory,
	type ResolvedSite,
	type ResolvedTerritory
} from './territory';

export interface Prepared {
	territory: ResolvedTerritory;
	demand: DemandPoint[];
	baseline: number[];
	kept: number[];
	removedPlaces: number[];
	/** Corrected supply by place index (équivalents conseiller). */
	supplyOverride: Map<number, number>;
	added: ResolvedSite[];
	proposed: ResolvedSite[];
	notices: string[];
}

/** Everything but the optimisation: territory, demand, places, edits. */
export function prepareScenario(
	context: SitingContext,
	params: ScenarioParams,
	edits: ScenarioEdits,
	options: SimulationOptions
): Prepared | { problems: string[] } {
	const problems: string[] = [];
	const notices: string[] = [];
	const territory = resolveTerritory(context, params.territory);
	if (typeof territory === 'string') return { problems: [territory] };
	if (territory.withCentre.length === 0) {
		return { problems: [`aucune commune de « ${territory.nom} » n’a de centre connu`] };
	}
	const without = territory.members.length - territory.withCentre.length;
	if (without > 0) {
		notices.push(
			`${formatInteger(without)} commune(s) du territoire sans centre connu ne sont pas prises en compte.`
		);
	}
	if (territory.unknownEstimates > 0) {
		notices.push(
			`${formatInteger(territory.unknownEstimates)} commune(s) sans estimation de personnes éloignées comptent pour 0.`
		);
	}

	const refuse = (options.unknownEdits ?? 'refuse') === 'refuse';
	const ignored: string[] = [];
	const report = (problem: string) => (refuse ? problems.push(problem) : ignored.push(problem));

	const resolveAll = (refs: readonly SiteRef[], origin: ResolvedSite['origin']) => {
		const out: ResolvedSite[] = [];
		for (const ref of refs) {
			const site = resolveSite(context, ref, origin);
			if (typeof site === 'string') report(site);
			else out.push(site);
		}
		return out;
	};
	const added = resolveAll(edits.added, 'ajout');
	const proposed = resolveAll(edits.proposed, 'proposition');
	// One site per token: the first occurrence (hand-added before proposed) wins.
	const seen = new Set<string>();
	const unique = (sites: ResolvedSite[]) =>
		sites.filter((s) => (seen.has(s.token) ? false : (seen.add(s.token), true)));
	const addedUnique = unique(added);
	const proposedUnique = unique(proposed);

	// The present: every known place, whatever the candidate rule.
	const baseline = context.dataset.places.id.map((_, j) => j);
	const relabelled = relabelledPlaces(context, params.candidates.rule);
	const removedSet = new Set<string>();
	for (const id of edits.removed) {
		if (!context.placeIndex.has(id)) report(`lieu à retirer « ${id} » inconnu`);
		else removedSet.add(id);
	}
	const { places } = context.dataset;
	const relabelledSet = new Set(relabelled);
	const kept =
		removedSet.size > 0 || relabelled.length > 0
			? baseline.filter((j) => !removedSet.has(places.id[j]) && !relabelledSet.has(j))
			: baseline;
	if (relabelled.length > 0) {
		const inside = placesInTerritory(context, territory, relabelled);
		notices.push(
			`Règle « France services sans conseiller » : ${formatInteger(inside)} France services du territoire (${formatInteger(relabelled.length)} en France) sans conseiller numérique à moins de ${km(CONSEILLER_NEARBY_KM)} comptent comme sites à renforcer. Les chiffres « avant » décrivent la situation réelle, avec elles ; « après » les compte comme lieux seulement si elles sont proposées (couverture et distance), leur offre restant comptée dans l’accessibilité.`
		);
	}
	const removedPlaces = [...removedSet].map((id) => context.placeIndex.get(id)!);
	const supplyOverride = new Map<number, number>();
	for (const edit of edits.conseillers ?? []) {
		const j = context.placeIndex.get(edit.id);
		if (j === undefined) report(`lieu à corriger « ${edit.id} » inconnu`);
		else if (removedSet.has(edit.id)) continue;
		else supplyOverride.set(j, edit.conseillers);
	}
	if (ignored.length > 0) {
		notices.push(
			`Modifications ignorées (les données ont peut-être changé) : ${ignored.join(' ; ')}.`
		);
	}
	if (problems.length > 0) return { problems };
	return {
		territory,
		demand: demandOf(context, territory),
		baseline,
		kept,
		removedPlaces,
		supplyOverride,
		added: addedUnique,
		proposed: proposedUnique,
		notices
	};
}

export function invalid(problems: readonly string[]): SimulationOutcome {
	return { status: 'invalid', ...refusalOf(problems, 'Simulation impossible') };
}
