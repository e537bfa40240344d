/**
 * The validation of the needs model against every figure INSEE published: the fitted value and its
 * band next to each figure, the leave-one-région-out cross-validation (fit without the région,
 * predict it), and what is extrapolated or not estimated. Printed by `npm run geodata:report` and
 * shown on the Sources et méthode page.
 */
import type { CommuneRecord } from '../territory/commune';
import type { TerritoryIndex } from '../territory/artifacts';
import { BAND_LEVEL, BAND_Z } from './constants';
import {
	EXTRAPOLATED_REGIONS,
	NON_ESTIMATED_REGIONS,
	OVERSEAS_SURVEY_2017,
	REGIONAL_BENCHMARKS_2019,
	benchmarkInterval
} from './benchmarks';
import type { RemoteEstimateSet } from './model';
import { aggregateRemoteEstimates, estimateTotalWhere, type TerritoryEstimate } from './aggregate';

/** A cross-validated prediction of one benchmarked région. */
export interface LeaveOneOutRow {
	/** Predicted share of people aged 15+, %, and its band. */
	partPct: number;
	basPct: number;
	hautPct: number;
	/** Prediction − published figure, points. */
	errorPts: number;
	/** Whether the band holds the published figure. */
	covered: boolean;
}

export interface ValidationRow {
	reg: string;
	nom: string;
	kind: 'reference-2019' | 'outre-mer-2017' | 'extrapole' | 'non-estime';
	/** Published share, % (for the overseas survey: the 2019 level derived from it). */
	publishedPct: number | null;
	publishedPersons: number | null;
	/** The figure as published, in French. */
	publishedLabel: string;
	source: string;
	quality: 'primaire' | 'secondaire' | null;
	/** Model share, %, its band, and persons (null when not estimated). */
	modelPct: number | null;
	modelBasPct: number | null;
	modelHautPct: number | null;
	modelPersons: number | null;
	/** Whether the model equals the published share within its rounding (null: nothing to compare). */
	withinRounding: boolean | null;
	leaveOneOut: LeaveOneOutRow | null;
}

export interface RemoteValidation {
	rows: ValidationRow[];
	/** Leave-one-région-out summary over the mainland benchmarks. */
	crossValidation: {
		regions: number;
		/** Mean absolute error, points. */
		maePts: number;
		/** Share of published figures inside the predicted band (0–1). */
		coverage: number;
		/** Nominal level of the band (0.9). */
		nominal: number;
		/** Mean half-width of the band relative to the prediction ((haut − bas) / 2 / prediction). */
		meanRelativeHalfWidth: number;
		/** MAE without the région with the largest error, and that région (for the limits). */
		worst: { reg: string; nom: string; errorPts: number } | null;
		maeWithoutWorstPts: number;
	};
	/** Mainland share after the régional effects, %. */
	mainlandPct: number;
	/** Lowest share of Guadeloupe, Martinique, La Réunion minus the mainland share, points. */
	overseasGapPts: number;
	extrapolated: string[];
	nonEstimated: string[];
}

const share = (t: TerritoryEstimate, v: number | null) =>
	v === null || t.pop15 <= 0 ? null : (100 * v) / t.pop15;

/**
 * Compare the model with every published figure.
 * @param set `estimateRemotePopulation(communes)`
 */
export function validateRemoteModel(
	set: RemoteEstimateSet,
	communes: readonly CommuneRecord[],
	territories: TerritoryIndex
): RemoteValidation {
	const regions = new Map(
		aggregateRemoteEstimates(set, communes, 'region', territories).map((r) => [r.code, r])
	);
	const model = (reg: string) => {
		const t = regions.get(reg);
		if (!t) return null;
		return {
			t,
			modelPct: t.part,
			modelBasPct: share(t, t.bas),
			modelHautPct: share(t, t.haut),
			modelPersons: t.eloignes
		};
	};
	const rows: ValidationRow[] = [];
	const loroRows: { reg: string; nom: string; row: LeaveOneOutRow; halfWidth: number }[] = [];
	for (const b of REGIONAL_BENCHMARKS_2019) {
		const m = model(b.reg);
		if (!m) continue;
		const publishedPct = b.ratePct ?? (b.persons !== null ? (100 * b.persons) / m.t.pop15 : null);
		const l = set.leaveOneOut.find((x) => x.reg === b.reg);
		let leaveOneOut: LeaveOneOutRow | null = null;
		if (l && publishedPct !== null) {
			const sd = Math.sqrt(l.variance);
			const part = 100 * l.predictedRate;
			const bas = part * Math.exp(-BAND_Z * sd);
			const haut = part * Math.exp(BAND_Z * sd);
			leaveOneOut = {
				partPct: part,
				basPct: bas,
				hautPct: haut,
				errorPts: part - publishedPct,
				covered: publishedPct >= bas && publishedPct <= haut
			};
			loroRows.push({
				reg: b.reg,
				nom: b.nom,
				row: leaveOneOut,
				halfWidth: (haut - bas) / 2 / part
			});
		}
		const interval = benchmarkInterval(b, m.t.pop15);
		const withinRounding =
			m.modelPct === null || interval === null
				? null
				: m.modelPct / 100 >= interval.low - 1e-9 && m.modelPct / 100 <= interval.high + 1e-9;
		rows.push({
			reg: b.reg,
			nom: b.nom,
			kind: 'reference-2019',
			publishedPct,
			publishedPersons: b.persons,
			publishedLabel: [
				b.ratePct !== null ? `${b.ratePct.toLocaleString('fr-FR')} %` : null,
				b.persons !== null
					? `${b.note.startsWith('plus de') ? 'plus de ' : ''}${b.persons.toLocaleString('fr-FR')} personnes`
					: null
			]
				.filter(Boolean)
				.join(', '),
			source: b.source,
			quality: b.quality,
			modelPct: m.modelPct,
			modelBasPct: m.modelBasPct,
			modelHautPct: m.modelHautPct,
			modelPersons: m.modelPersons,
			withinRounding,
			leaveOneOut
		});
	}
	const overseasRegs = [
		...OVERSEAS_SURVEY_2017.regions,
		...EXTRAPOLATED_REGIONS,
		...NON_ESTIMATED_REGIONS
	];
	for (const reg of overseasRegs) {
		const m = model(reg);
		if (!m) continue;
		const kind = OVERSEAS_SURVEY_2017.regions.includes(reg)
			? 'outre-mer-2017'
			: EXTRAPOLATED_REGIONS.includes(reg)
				? 'extrapole'
				: 'non-estime';
		const effect = set.model.regionEffects[reg];
		rows.push({
			reg,
			nom: m.t.nom,
			kind,
			publishedPct:
				kind === 'outre-mer-2017' && effect?.targetRate ? 100 * effect.targetRate : null,
			publishedPersons: null,
			publishedLabel:
				kind === 'outre-mer-2017'
					? `environ ${OVERSEAS_SURVEY_2017.overseasPct} % contre ${OVERSEAS_SURVEY_2017.mainlandPct} % en métropole (${OVERSEAS_SURVEY_2017.year})`
					: kind === 'extrapole'
						? 'aucun taux publié'
						: 'aucune enquête',
			source: kind === 'outre-mer-2017' ? OVERSEAS_SURVEY_2017.source : '—',
			quality: kind === 'outre-mer-2017' ? OVERSEAS_SURVEY_2017.quality : null,
			modelPct: m.modelPct,
			modelBasPct: m.modelBasPct,
			modelHautPct: m.modelHautPct,
			modelPersons: m.modelPersons,
			withinRounding:
				kind === 'outre-mer-2017' && effect?.targetRate && m.modelPct !== null
					? Math.abs(m.modelPct - 100 * effect.targetRate) < 0.05
					: null,
			leaveOneOut: null
		});
	}
	const n = loroRows.length;
	const abs = loroRows.map((r) => Math.abs(r.row.errorPts));
	const worstIndex = abs.indexOf(Math.max(...abs));
	const worst = n > 0 ? loroRows[worstIndex] : null;
	const mainland = estimateTotalWhere(set, communes, (c) => c.zone === 'metro', {
		code: 'FM',
		nom: 'France métropolitaine'
	});
	const overseasPcts = OVERSEAS_SURVEY_2017.regions
		.map((reg) => regions.get(reg)?.part)
		.filter((v): v is number => typeof v === 'number');
	return {
		rows,
		crossValidation: {
			regions: n,
			maePts: n > 0 ? abs.reduce((s, v) => s + v, 0) / n : NaN,
			coverage: n > 0 ? loroRows.filter((r) => r.row.covered).length / n : NaN,
			nominal: BAND_LEVEL,
			meanRelativeHalfWidth: n > 0 ? loroRows.reduce((s, r) => s + r.halfWidth, 0) / n : NaN,
			worst: worst ? { reg: worst.reg, nom: worst.nom, errorPts: worst.row.errorPts } : null,
			maeWithoutWorstPts:
				n > 1 ? abs.filter((_, i) => i !== worstIndex).reduce((s, v) => s + v, 0) / (n - 1) : NaN
		},
		mainlandPct: mainland.part ?? NaN,
		overseasGapPts: Math.min(...overseasPcts) - (mainland.part ?? NaN),
		extrapolated: EXTRAPOLATED_REGIONS.map((r) => regions.get(r)?.nom ?? r),
		nonEstimated: NON_ESTIMATED_REGIONS.map((r) => regions.get(r)?.nom ?? r)
	};
}
