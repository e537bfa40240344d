/**
 * "Sources et méthode" of a territory report: the model in two paragraphs, quoting the constants the
 * code uses (so the text cannot drift from the computation), and the datasets the report relies on.
 */
import { DEFAULT_DECAY_BANDS, DEFAULT_SUPPLY_RULES } from '../access/parameters';
import { formatDecimal, formatPercent } from '../format/number';
import { AGE_RATES_2019, MODEL_VERSION, TARGET_MAINLAND_SHARE_2019 } from '../needs/constants';
import { REGIONAL_BENCHMARKS_2019 } from '../needs/benchmarks';
import type { RemoteModel } from '../needs/model';
import { withFrenchSpacing } from '../needs/text';
import { CRITERION_IDS } from '../ranking/criteria';
import type { DatasetSource } from '../territory/artifacts';
import { readerNoteOf } from './reader-notes';
import type { WeightPreset } from '../ranking/weights';

export interface ReportMethod {
	/** Version of the needs model. */
	version: string;
	/** Exactly two paragraphs: the needs estimate, then accessibility and ranking. */
	paragraphs: [string, string];
}

const pct = (share: number, digits = 0) => formatPercent(share * 100, digits);
const km = (value: number) => `${formatDecimal(value, 0)}\u00a0km`;

/**
 * The two paragraphs of the report's method, for the calibrated `model` and the ranking `preset`.
 * The full method, with every constant and its source, is on the Sources et méthode page.
 */
export function describeReportMethod(model: RemoteModel, preset: WeightPreset): ReportMethod {
	const r = AGE_RATES_2019;
	const [near, mid, far] = DEFAULT_DECAY_BANDS;
	const supply = DEFAULT_SUPPLY_RULES;
	const needs =
		`Le nombre de personnes éloignées du numérique est une estimation de l’atlas (modèle ${MODEL_VERSION}), pas un comptage : personne ne publie ce chiffre commune par commune. ` +
		`Les taux d’illectronisme mesurés par l’INSEE en 2019 selon l’âge (${pct(r.a15to44)} chez les 15–44 ans, ${pct(r.a45to59)} chez les 45–59 ans, ${pct(r.a60to74)} chez les 60–74 ans, ${pct(r.a75plus)} chez les 75 ans et plus) sont appliqués aux habitants de chaque commune, ` +
		`puis ajustés selon la pauvreté et le diplôme à âge égal (Filosofi 2021, indice de fragilité numérique 2023) et selon la densité (grille communale de densité de l’INSEE). ` +
		`Le modèle est calé sur ${pct(TARGET_MAINLAND_SHARE_2019)} des 15 ans ou plus en France métropolitaine et sur les chiffres régionaux publiés par l’INSEE (${REGIONAL_BENCHMARKS_2019.map((b) => b.nom).join(', ')}) ; les autres régions reçoivent l’écart moyen de celles-ci, ramené vers zéro ; outre-mer, le niveau vient de l’enquête INSEE de 2017 (Guyane extrapolée, Mayotte non estimée). Cela donne ${pct(model.calibration.franceShare, 1)} pour la France hors Mayotte. ` +
		`La fourchette à 90 % tient compte des écarts propres à chaque région et département, qui ne se compensent pas quand on additionne des communes : elle est large pour une petite commune et reste réelle pour un département.`;
	const access =
		`L’accès à la médiation se mesure en équivalents conseiller pour 10 000 personnes éloignées, par la méthode E2SFCA (celle de l’accessibilité potentielle localisée de la DREES) : ` +
		`chaque lieu compte pour une offre (${formatDecimal(supply['france-services'].perPlace, 0)} équivalents pour une France services, les postes déclarés pour une structure de conseillers numériques, ${formatDecimal(supply['aidants-connect'].perPlace, 1)} pour une structure Aidants Connect, ${formatDecimal(supply['autre-lieu-mediation'].perPlace, 1)} pour un autre lieu de médiation ; les lieux de permanence des conseillers ne comptent que pour la distance, leurs conseillers étant déjà comptés par leurs postes), ` +
		`partagée entre les personnes éloignées qui peuvent la joindre, avec un poids qui baisse avec la distance à vol d’oiseau (${formatDecimal(near.weight, 0)} jusqu’à ${km(near.maxKm)}, ${formatDecimal(mid.weight, 2)} jusqu’à ${km(mid.maxKm)}, ${formatDecimal(far.weight, 2)} jusqu’à ${km(far.maxKm)}, rien au-delà). ` +
		`Le classement de priorité combine ${CRITERION_IDS.length} critères avec la pondération « ${preset.label} » (${preset.description.charAt(0).toLowerCase()}${preset.description.slice(1).replace(/\.$/, '')}) ; ` +
		`chaque critère est ramené au rang du territoire parmi tous ceux de son niveau en France, si bien que les rangs dans le département, la région et la France se lisent sur une seule et même comparaison nationale.`;
	return {
		version: MODEL_VERSION,
		paragraphs: [withFrenchSpacing(needs), withFrenchSpacing(access)]
	};
}

/** A dataset as listed under "Sources et méthode". */
export interface ReportSource {
	id: string;
	producer: string;
	title: string;
	/** Vintage, e.g. « 2022 T4 ». */
	vintage: string;
	licence: string;
	url: string;
	/** Short attribution, e.g. « ARCEP, 2025 (T3 probable) ». */
	attribution: string;
	/** What a reader must know before quoting it (coverage, vintage), written for the reader, or null. */
	caveat: string | null;
}

/**
 * The datasets among `ids` that `sources.json` describes, in the order of first mention; unknown ids
 * are left out (the pipeline writes every id the app uses).
 */
export function selectReportSources(
	ids: Iterable<string>,
	sources: ReadonlyMap<string, DatasetSource>
): ReportSource[] {
	const out: ReportSource[] = [];
	for (const id of new Set(ids)) {
		const d = sources.get(id);
		if (!d) continue;
		out.push({
			id: d.id,
			producer: d.producer,
			title: d.title,
			vintage: d.vintage,
			licence: d.licence,
			url: d.url,
			attribution: d.attribution,
			caveat: readerNoteOf(d.id)
		});
	}
	return out;
}

/**
 * The « Source : … » line of a figure: the attributions of its datasets (each names producer and
 * year), separated by semicolons.
 * @example attributionLine(['arcep-fibre-2025'], sources) // 'ARCEP, 2025 (T3 probable)'
 */
export function attributionLine(ids: readonly string[], sources: readonly ReportSource[]): string {
	const byId = new Map(sources.map((s) => [s.id, s]));
	return [...new Set(ids)]
		.map((id) => byId.get(id)?.attribution)
		.filter((a): a is string => Boolean(a))
		.join(' ; ');
}

/**
 * A date and time in French, Paris time: `2026-11-28T13:05:00Z` → `28 novembre 2026 à 14:05`;
 * the text itself when it is not a date. With `withTime: false`, the date only.
 */
export function formatReportDate(iso: string, withTime = true): string {
	const date = new Date(iso);
	if (Number.isNaN(date.getTime())) return iso;
	return date.toLocaleString('fr-FR', {
		day: 'numeric',
		month: 'long',
		year: 'numeric',
		...(withTime ? { hour: '2-digit', minute: '2-digit' } : {}),
		timeZone: 'Europe/Paris'
	});
}

/**
 * The source line of a compared figure: the attributions of its datasets, and the atlas's needs
 * estimate when the figure rests on it.
 * @example figureSourceLine({ sources: ['cog-2026'], usesEstimate: true, id: 'acces' }, sources, '1.0.0')
 * // 'INSEE, COG 2026 ; DGCL, EPCI 2026 ; estimation de l’atlas (modèle 1.0.0)'
 */
export function figureSourceLine(
	figure: { id: string; sources: readonly string[]; usesEstimate: boolean },
	sources: readonly ReportSource[],
	modelVersion: string
): string {
	const line = attributionLine(figure.sources, sources);
	if (!figure.usesEstimate) return line;
	if (figure.id === 'part') return `estimation de l’atlas (modèle ${modelVersion}) d’après ${line}`;
	return `${line} ; estimation de l’atlas (modèle ${modelVersion})`;
}
