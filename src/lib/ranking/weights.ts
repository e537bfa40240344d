/**
 * Weights of the ranking criteria: presets, and the compact string that carries them in the URL and
 * the API (`eloignes:3,acces:2,fibre:1`). A criterion left out of the string weighs 0, which removes
 * it from the score.
 */
import { CRITERION_IDS, isCriterionId, type CriterionId } from './criteria';

/** Weight of each criterion, 0 to `MAX_WEIGHT`; 0 removes the criterion. */
export type Weights = Record<CriterionId, number>;

/** Largest weight accepted (the sliders go from 0 to 5; the API accepts up to 10). */
export const MAX_WEIGHT = 10;
/** Longest weight string accepted, characters (a full string is about 90). */
export const MAX_WEIGHT_STRING_LENGTH = 300;

export interface WeightPreset {
	id: 'equilibre' | 'rural' | 'qpv' | 'reseau';
	label: string;
	/** One French sentence: what the preset favours. */
	description: string;
	weights: Weights;
}

const zero: Weights = Object.fromEntries(CRITERION_IDS.map((id) => [id, 0])) as Weights;

/**
 * The presets. They are policy choices, not data: each says in its description what it favours.
 * "Équilibré" gives double weight to the two core questions (how many people, how much help within
 * reach) and single weight to the rest.
 */
export const WEIGHT_PRESETS: readonly WeightPreset[] = [
	{
		id: 'equilibre',
		label: 'Équilibré',
		description:
			'Le nombre de personnes éloignées et le manque d’offre comptent double, les autres critères simple.',
		weights: {
			...zero,
			eloignes: 2,
			part: 1,
			acces: 2,
			distance: 1,
			fibre: 1,
			mobile: 1,
			qpv: 1,
			rural: 1,
			pauvrete: 1
		}
	},
	{
		id: 'rural',
		label: 'Priorité rurale',
		description:
			'Favorise les territoires ruraux (FRR), éloignés des lieux de médiation, où la part de personnes éloignées est forte.',
		weights: {
			...zero,
			eloignes: 1,
			part: 2,
			acces: 2,
			distance: 2,
			fibre: 1,
			mobile: 1,
			rural: 3,
			pauvrete: 1
		}
	},
	{
		id: 'qpv',
		label: 'Priorité QPV',
		description:
			'Favorise les quartiers prioritaires, la pauvreté et le nombre de personnes éloignées.',
		weights: { ...zero, eloignes: 2, part: 1, acces: 1, qpv: 3, pauvrete: 2 }
	},
	{
		id: 'reseau',
		label: 'Couverture réseau',
		description: 'Favorise les territoires mal couverts en fibre et en 4G.',
		weights: { ...zero, eloignes: 1, part: 1, acces: 1, fibre: 3, mobile: 3 }
	}
];

/** The weights used when none are given: the "Équilibré" preset. */
export const DEFAULT_WEIGHTS: Readonly<Weights> = WEIGHT_PRESETS[0].weights;

/** The preset whose weights are exactly `weights`, if any (to highlight it in the UI). */
export function findPreset(weights: Readonly<Weights>): WeightPreset | null {
	return (
		WEIGHT_PRESETS.find((p) => CRITERION_IDS.every((id) => p.weights[id] === weights[id])) ?? null
	);
}

/**
 * Write weights as the compact URL string, criteria in their fixed order, zero weights left out.
 * @example serializeWeights(DEFAULT_WEIGHTS) // "eloignes:2,part:1,acces:2,distance:1,fibre:1,mobile:1,qpv:1,rural:1,pauvrete:1"
 */
export function serializeWeights(weights: Readonly<Weights>): string {
	return CRITERION_IDS.filter((id) => weights[id] > 0)
		.map((id) => `${id}:${weights[id]}`)
		.join(',');
}

/** Outcome of parsing: the weights, or every problem in French. */
export type ParsedWeights = { ok: true; weights: Weights } | { ok: false; errors: string[] };

const NUMBER = /^\d+(\.\d+)?$/;

/**
 * Read the compact weight string (`eloignes:3,acces:2,fibre:1`; spaces ignored, `.` as decimal
 * separator). Criteria left out weigh 0. Every problem is reported, in French.
 * @example parseWeights('eloignes:3,acces:2') // { ok: true, weights: { eloignes: 3, acces: 2, part: 0, … } }
 */
export function parseWeights(text: string): ParsedWeights {
	const errors: string[] = [];
	if (text.length > MAX_WEIGHT_STRING_LENGTH) {
		return {
			ok: false,
			errors: [
				`Chaîne de poids trop longue : ${text.length} caractères (au plus ${MAX_WEIGHT_STRING_LENGTH}).`
			]
		};
	}
	const entries = text
		.split(',')
		.map((e) => e.replace(/\s+/g, ''))
		.filter((e) => e !== '');
	if (entries.length === 0) {
		return { ok: false, errors: ['Aucun poids : format attendu « eloignes:3,acces:2,fibre:1 ».'] };
	}
	const weights: Weights = { ...zero };
	const seen = new Set<CriterionId>();
	for (const entry of entries) {
		const colon = entry.indexOf(':');
		if (colon <= 0 || colon === entry.length - 1) {
			// A bare number usually comes from a decimal comma ("acces:1,5").
			const hint = NUMBER.test(entry) ? ' ; les décimales s’écrivent avec un point (1.5)' : '';
			errors.push(`« ${entry} » : format attendu critère:poids (par exemple eloignes:3)${hint}.`);
			continue;
		}
		const id = entry.slice(0, colon);
		const raw = entry.slice(colon + 1);
		if (!isCriterionId(id)) {
			errors.push(
				`Critère inconnu : « ${id} » (critères possibles : ${CRITERION_IDS.join(', ')}).`
			);
			continue;
		}
		if (seen.has(id)) {
			errors.push(`Critère « ${id} » donné plusieurs fois.`);
			continue;
		}
		seen.add(id);
		const value = Number(raw);
		if (raw.startsWith('-') && Number.isFinite(value)) {
			errors.push(`Poids de « ${id} » négatif : ${raw} (attendu entre 0 et ${MAX_WEIGHT}).`);
		} else if (!NUMBER.test(raw)) {
			errors.push(
				`Poids de « ${id} » illisible : « ${raw} » n’est pas un nombre (attendu entre 0 et ${MAX_WEIGHT}).`
			);
		} else if (value > MAX_WEIGHT) {
			errors.push(`Poids de « ${id} » trop grand : ${raw} (au plus ${MAX_WEIGHT}).`);
		} else weights[id] = value;
	}
	if (errors.length === 0 && CRITERION_IDS.every((id) => weights[id] === 0)) {
		errors.push('Tous les poids sont nuls : donnez un poids positif à au moins un critère.');
	}
	return errors.length > 0 ? { ok: false, errors } : { ok: true, weights };
}
