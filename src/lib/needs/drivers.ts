/**
 * The two or three reasons behind an estimate, in plain French, for a commune or for a group of
 * communes. Each reason is one factor of the model (age, poverty, diplomas, type of territory) with
 * its effect relative to the national average, and says whether the figure is measured or estimated.
 */
import { DENSITY_LABELS, type DensityLevel } from '../territory/commune';
import { formatDecimal, formatPercent } from '../format/number';
import type { CommuneEstimate, RegionEffect, RemoteModel } from './model';
import { OVERSEAS_SURVEY_2017, REGIONAL_BENCHMARKS_2019 } from './benchmarks';
import { withFrenchSpacing } from './text';

export type DriverId = 'age' | 'pauvrete' | 'diplome' | 'territoire' | 'region';

export interface Driver {
	id: DriverId;
	/** Multiplier of the estimate relative to the national average (1.25 = +25 %). */
	effect: number;
	/** True when the figure quoted in `text` is measured, false when it is estimated from a score. */
	measured: boolean;
	/** One French sentence, e.g. "Forte part de personnes âgées : … → +25 % par rapport à la moyenne nationale". */
	text: string;
}

/**
 * Sums over communes from which the drivers of a territory are computed (all in persons, or
 * persons × value for weighted means). Built per commune with `driverTotalsOf` and added with
 * `addDriverTotals`, so a territory's drivers come from sums, never from averaged shares.
 */
export interface DriverTotals {
	communes: number;
	population: number;
	pop15: number;
	/** Σ people aged 60+ and 75+ (measured or estimated). */
	people60: number;
	people75: number;
	/** Population of communes whose age structure is measured (INSEE age file or Nord RP2021). */
	populationAgeMeasured: number;
	/**
	 * Σ pop15 × age-only rate, Σ that × social multiplier, Σ that × territory multiplier, Σ that ×
	 * régional multiplier.
	 */
	ageExpected: number;
	socialExpected: number;
	territoryExpected: number;
	regionalExpected: number;
	/** Σ pop15 × standardised poverty / age-net no-diploma index. */
	povertyZWeighted: number;
	educationZWeighted: number;
	/** Σ pop15 × IFN no-diploma score (0–10). */
	educationIndexWeighted: number;
	/** Σ population × poverty rate (%), and the population where Filosofi measures it. */
	povertyRateWeighted: number;
	populationPovertyMeasured: number;
	/** Σ population × density level, and the population with a level. */
	densityWeighted: number;
	populationWithDensity: number;
	/** People aged 15+ by région code (for the régional driver). */
	pop15ByRegion: Record<string, number>;
}

/** Empty totals (the neutral element of `addDriverTotals`). */
export function emptyDriverTotals(): DriverTotals {
	return {
		communes: 0,
		population: 0,
		pop15: 0,
		people60: 0,
		people75: 0,
		populationAgeMeasured: 0,
		ageExpected: 0,
		socialExpected: 0,
		territoryExpected: 0,
		regionalExpected: 0,
		povertyZWeighted: 0,
		educationZWeighted: 0,
		educationIndexWeighted: 0,
		povertyRateWeighted: 0,
		populationPovertyMeasured: 0,
		densityWeighted: 0,
		populationWithDensity: 0,
		pop15ByRegion: {}
	};
}

/** The driver sums of one commune estimate. */
export function driverTotalsOf(e: CommuneEstimate, model: RemoteModel): DriverTotals {
	const t = emptyDriverTotals();
	const i = e.inputs;
	t.communes = 1;
	t.population = e.population;
	t.pop15 = e.pop15;
	if (i.ageBands) {
		t.people60 = i.ageBands.a60to74 + i.ageBands.a75plus;
		t.people75 = i.ageBands.a75plus;
	} else {
		const s15 = model.assumptions.share15Plus;
		t.people60 = e.pop15 * Math.min((i.share60 ?? 0) / 100 / s15, 1);
		t.people75 = t.people60 * model.assumptions.share75In60Plus;
	}
	if (i.ageSource === 'insee-age-file' || i.ageSource === 'rp2021-nord')
		t.populationAgeMeasured = e.population;
	t.ageExpected = e.pop15 * e.ageRate;
	t.socialExpected = t.ageExpected * e.social;
	t.territoryExpected = t.socialExpected * e.territory;
	t.regionalExpected = t.territoryExpected * (Number.isFinite(e.regional) ? e.regional : 1);
	t.povertyZWeighted = e.pop15 * e.socialParts.poverty;
	t.educationZWeighted = e.pop15 * e.socialParts.education;
	t.educationIndexWeighted = e.pop15 * i.educationIndex;
	t.povertyRateWeighted = e.population * i.povertyRate;
	if (i.povertySource === 'filosofi') t.populationPovertyMeasured = e.population;
	if (i.densite !== null) {
		t.densityWeighted = e.population * i.densite;
		t.populationWithDensity = e.population;
	}
	t.pop15ByRegion[i.reg] = e.pop15;
	return t;
}

/** Add `b` into `a` (mutates and returns `a`). */
export function addDriverTotals(a: DriverTotals, b: DriverTotals): DriverTotals {
	a.communes += b.communes;
	a.population += b.population;
	a.pop15 += b.pop15;
	a.people60 += b.people60;
	a.people75 += b.people75;
	a.populationAgeMeasured += b.populationAgeMeasured;
	a.ageExpected += b.ageExpected;
	a.socialExpected += b.socialExpected;
	a.territoryExpected += b.territoryExpected;
	a.regionalExpected += b.regionalExpected;
	a.povertyZWeighted += b.povertyZWeighted;
	a.educationZWeighted += b.educationZWeighted;
	a.educationIndexWeighted += b.educationIndexWeighted;
	a.povertyRateWeighted += b.povertyRateWeighted;
	a.populationPovertyMeasured += b.populationPovertyMeasured;
	a.densityWeighted += b.densityWeighted;
	a.populationWithDensity += b.populationWithDensity;
	for (const [reg, pop] of Object.entries(b.pop15ByRegion)) {
		a.pop15ByRegion[reg] = (a.pop15ByRegion[reg] ?? 0) + pop;
	}
	return a;
}

/** "+25 %" / "−8 %" (true minus sign, no-break space). */
function formatEffect(effect: number): string {
	const pct = Math.round((effect - 1) * 100);
	if (pct === 0) return 'effet négligeable';
	return `${pct > 0 ? '+' : '−'}${Math.abs(pct)}\u00a0% par rapport à la moyenne nationale`;
}

const score = (s: number) => `${Number.isInteger(s) ? s : s.toFixed(1).replace('.', ',')}/10`;

/** Keep the 2–3 factors that move the estimate most (|log effect|); drop ±2 % effects beyond the second. */
function pickDrivers(drivers: Driver[]): Driver[] {
	const sorted = [...drivers].sort(
		(a, b) => Math.abs(Math.log(b.effect)) - Math.abs(Math.log(a.effect))
	);
	return sorted
		.filter((d, rank) => rank < 2 || (rank < 3 && Math.abs(d.effect - 1) >= 0.02))
		.map((d) => ({ ...d, text: withFrenchSpacing(d.text) }));
}

function ageHeading(effect: number): string {
	if (effect >= 1.05) return 'Forte part de personnes âgées';
	if (effect <= 0.95) return 'Population plutôt jeune';
	return 'Structure par âge proche de la moyenne';
}

function povertyHeading(effect: number): string {
	if (effect >= 1.02) return 'Pauvreté élevée';
	if (effect <= 0.98) return 'Pauvreté faible';
	return 'Pauvreté dans la moyenne';
}

function educationHeading(effect: number): string {
	if (effect >= 1.02) return 'Beaucoup de personnes sans diplôme';
	if (effect <= 0.98) return 'Peu de personnes sans diplôme';
	return 'Niveau de diplôme dans la moyenne';
}

function territoryHeading(effect: number): string {
	if (effect >= 1.02) return 'Territoire peu dense';
	if (effect <= 0.98) return 'Territoire urbain dense';
	return 'Densité intermédiaire';
}

const TERRITORY_EXPLANATION =
	'l’INSEE mesure 22 % d’illectronisme hors de l’attraction des villes et 13 % dans les grandes aires urbaines (2019) ; l’atlas en tire une pente régulière le long des 7 niveaux de la grille de densité';

/** The sentence of a région's effect, by how it was obtained. */
function regionalSentence(effect: RegionEffect, nom: string | null): string {
	const name = nom ? ` (${nom})` : '';
	switch (effect.kind) {
		case 'reference-regionale': {
			const b = REGIONAL_BENCHMARKS_2019.find((x) => x.reg === effect.reg);
			const figure =
				b?.ratePct != null
					? `${formatPercent(b.ratePct, b.rateDecimals)} des 15 ans et plus`
					: `${b?.persons?.toLocaleString('fr-FR')} personnes`;
			return `Chiffre régional publié par l’INSEE${name} : ${figure} en 2019 (${b?.source ?? 'INSEE'}) ; le total de la région est recalé dessus`;
		}
		case 'enquete-outre-mer':
			return `Enquête INSEE outre-mer ${OVERSEAS_SURVEY_2017.year}${name} : environ ${OVERSEAS_SURVEY_2017.overseasPct} % contre ${OVERSEAS_SURVEY_2017.mainlandPct} % en métropole ; ce rapport est appliqué au niveau métropolitain de 2019`;
		case 'extrapole':
			return `Extrapolation${name} : aucun taux publié ; le rapport outre-mer/métropole des Antilles et de La Réunion est repris, avec une fourchette large`;
		case 'mutualise':
			return `Pas de chiffre régional publié${name} : effet moyen des régions publiées, ramené vers zéro (estimation bayésienne empirique)`;
		case 'non-estime':
			return 'Aucune enquête : pas d’estimation';
	}
}

/**
 * The 2–3 drivers of one commune's estimate, in plain French.
 * @example describeCommuneDrivers(set.communes[i], set.model)[0].text
 * // "Forte part de personnes âgées : score d’âge IFN 9/10 (≈ 35,4 % de 60 ans et plus, estimé) → +21 % par rapport à la moyenne nationale"
 */
export function describeCommuneDrivers(e: CommuneEstimate, model: RemoteModel): Driver[] {
	const i = e.inputs;
	const ageEffect = model.nationalAgeRate > 0 ? e.ageRate / model.nationalAgeRate : 1;
	let ageText: string;
	let ageMeasured = true;
	if (i.ageBands) {
		const pop15 = e.pop15 || 1;
		ageText = `${formatPercent((100 * i.ageBands.a75plus) / pop15)} des 15 ans et plus ont 75 ans ou plus et ${formatPercent((100 * i.ageBands.a60to74) / pop15)} ont 60 à 74 ans (recensement INSEE, mesuré)`;
	} else if (i.ageSource === 'rp2021-nord') {
		ageText = `${formatPercent(i.share60)} d’habitants de 60 ans et plus (recensement 2021, mesuré)`;
	} else if (i.ageSource === 'ifn-proxy' && i.ageScore !== null) {
		ageMeasured = false;
		ageText = `score d’âge IFN ${score(i.ageScore)} (≈ ${formatPercent(i.share60)} d’habitants de 60 ans et plus, estimé)`;
	} else {
		ageMeasured = false;
		ageText = 'âge inconnu (pas de score IFN), moyenne nationale supposée';
	}
	const halfGamma = model.gamma / 2;
	const povertyEffect = Math.exp(halfGamma * e.socialParts.poverty);
	const educationEffect = Math.exp(halfGamma * e.socialParts.education);
	const povertyText =
		i.povertySource === 'filosofi'
			? `taux de pauvreté de ${formatPercent(i.povertyRate)} (Filosofi 2021, mesuré)`
			: i.povertySource === 'ifn-proxy'
				? `≈ ${formatPercent(i.povertyRate, 0)} de pauvreté (d’après le score IFN, estimé)`
				: 'pauvreté inconnue, moyenne nationale supposée';
	const educationText = i.educationKnown
		? `score « sans diplôme » IFN ${score(i.educationIndex)}, comparé à ce que l’âge des habitants laisse attendre (rang de la commune, pas un taux)`
		: 'niveau de diplôme inconnu, moyenne nationale supposée';
	const territoryEffect = e.territory;
	const densityLabel = i.densite
		? DENSITY_LABELS[i.densite as DensityLevel]
		: 'Type de territoire inconnu';
	const effect = model.regionEffects[i.reg];
	const regional = effect ? Math.exp(effect.u) : 1;
	return pickDrivers([
		{
			id: 'age',
			effect: ageEffect,
			measured: ageMeasured,
			text: `${ageHeading(ageEffect)} : ${ageText} → ${formatEffect(ageEffect)}`
		},
		{
			id: 'pauvrete',
			effect: povertyEffect,
			measured: i.povertySource === 'filosofi',
			text: `${povertyHeading(povertyEffect)} : ${povertyText} → ${formatEffect(povertyEffect)}`
		},
		{
			id: 'diplome',
			effect: educationEffect,
			measured: false,
			text: `${educationHeading(educationEffect)} : ${educationText} → ${formatEffect(educationEffect)}`
		},
		{
			id: 'territoire',
			effect: territoryEffect,
			measured: true,
			text: `${territoryHeading(territoryEffect)} : ${densityLabel} (grille de densité INSEE) ; ${TERRITORY_EXPLANATION} → ${formatEffect(territoryEffect)}`
		},
		...(effect
			? [
					{
						id: 'region' as const,
						effect: regional,
						measured: effect.kind === 'reference-regionale',
						text: `${regionalSentence(effect, null)} → ${formatEffect(regional)}`
					}
				]
			: [])
	]);
}

/** "mesurée pour 40 % de la population, estimée ailleurs" style qualifier of an aggregate figure. */
function coverage(
	measured: number,
	population: number,
	feminine: boolean
): { text: string; measured: boolean } {
	const share = population > 0 ? measured / population : 0;
	const m = feminine ? 'mesurée' : 'mesuré';
	const e = feminine ? 'estimée' : 'estimé';
	if (share >= 0.995) return { text: m, measured: true };
	if (share <= 0.005) return { text: e, measured: false };
	return {
		text: `${m} pour ${formatPercent(share * 100, 0)} de la population, ${e} ailleurs`,
		measured: false
	};
}

/**
 * The 2–3 drivers of a territory (EPCI, département, région, France) from the sums of its communes.
 */
export function describeAggregateDrivers(t: DriverTotals, model: RemoteModel): Driver[] {
	if (t.pop15 <= 0) return [];
	const ageEffect = model.nationalAgeRate > 0 ? t.ageExpected / t.pop15 / model.nationalAgeRate : 1;
	const ageCoverage = coverage(t.populationAgeMeasured, t.population, true);
	const share60 = (100 * t.people60) / t.population;
	const share75 = (100 * t.people75) / t.population;
	const halfGamma = model.gamma / 2;
	const povertyEffect = Math.exp((halfGamma * t.povertyZWeighted) / t.pop15);
	const educationEffect = Math.exp((halfGamma * t.educationZWeighted) / t.pop15);
	const povertyCoverage = coverage(t.populationPovertyMeasured, t.population, false);
	const povertyRate = t.povertyRateWeighted / t.population;
	const territoryEffect = t.socialExpected > 0 ? t.territoryExpected / t.socialExpected : 1;
	const meanDensity =
		t.populationWithDensity > 0 ? t.densityWeighted / t.populationWithDensity : null;
	const regionalEffect = t.territoryExpected > 0 ? t.regionalExpected / t.territoryExpected : 1;
	// The région that weighs most in the territory names the régional effect.
	const [mainReg] = Object.entries(t.pop15ByRegion).sort((a, b) => b[1] - a[1])[0] ?? [];
	const single = Object.keys(t.pop15ByRegion).length === 1;
	const regionalText =
		mainReg && model.regionEffects[mainReg]
			? single
				? regionalSentence(model.regionEffects[mainReg], null)
				: 'Plusieurs régions : chaque région reçoit son propre ajustement (chiffre INSEE publié, enquête outre-mer ou effet moyen)'
			: 'Pas d’ajustement régional';
	return pickDrivers([
		{
			id: 'age',
			effect: ageEffect,
			measured: ageCoverage.measured,
			text: `${ageHeading(ageEffect)} : ≈ ${formatPercent(share60)} d’habitants de 60 ans et plus, dont ≈ ${formatPercent(share75)} de 75 ans et plus (part ${ageCoverage.text}) → ${formatEffect(ageEffect)}`
		},
		{
			id: 'pauvrete',
			effect: povertyEffect,
			measured: povertyCoverage.measured,
			text: `${povertyHeading(povertyEffect)} : taux de pauvreté ≈ ${formatPercent(povertyRate)} (Filosofi 2021, ${povertyCoverage.text}) → ${formatEffect(povertyEffect)}`
		},
		{
			id: 'diplome',
			effect: educationEffect,
			measured: false,
			text: `${educationHeading(educationEffect)} : score « sans diplôme » IFN moyen ${score(Math.round((10 * t.educationIndexWeighted) / t.pop15) / 10)}, à âge égal (pondéré par la population) → ${formatEffect(educationEffect)}`
		},
		{
			id: 'territoire',
			effect: territoryEffect,
			measured: true,
			text: `${territoryHeading(territoryEffect)} : niveau moyen ${meanDensity === null ? 'inconnu' : formatDecimal(meanDensity, 1)} sur la grille de densité (1 = grands centres urbains, 7 = rural très dispersé) ; ${TERRITORY_EXPLANATION} → ${formatEffect(territoryEffect)}`
		},
		{
			id: 'region',
			effect: regionalEffect,
			measured: false,
			text: `${regionalText} → ${formatEffect(regionalEffect)}`
		}
	]);
}
