/**
 * The régional figures INSEE published with the 2019 illectronisme method, and the 2017 overseas
 * survey: the benchmarks of the needs model (v2). The same figures are in
 * `geodata/sources/rates/illectronisme-reperes-regionaux-2019.csv`, the cited source; they are kept
 * here as code so the model also runs in the browser, and a unit test checks both agree.
 */

/** One published régional figure of the 2019 INSEE method. */
export interface RegionalBenchmark {
	/** Région code (COG). */
	reg: string;
	nom: string;
	/** Published share of people aged 15+, %, or null when only a count was published. */
	ratePct: number | null;
	/** Decimals the rate was published with (12.2 → 1, 17 → 0): its rounding. */
	rateDecimals: number;
	/** Published number of people, or null. */
	persons: number | null;
	year: number;
	source: string;
	/** `primaire`: read on insee.fr; `secondaire`: quoted by a third party. */
	quality: 'primaire' | 'secondaire';
	note: string;
}

/** The five mainland régions with a published 2019 figure (same survey and method as the 16 %). */
export const REGIONAL_BENCHMARKS_2019: readonly RegionalBenchmark[] = [
	{
		reg: '32',
		nom: 'Hauts-de-France',
		ratePct: 17,
		rateDecimals: 0,
		persons: 800_000,
		year: 2019,
		source: 'Insee Analyses Hauts-de-France n°118 (déc. 2020)',
		quality: 'primaire',
		note: ''
	},
	{
		reg: '11',
		nom: 'Île-de-France',
		ratePct: 12.2,
		rateDecimals: 1,
		persons: 1_300_000,
		year: 2019,
		source: 'Insee Analyses Île-de-France n°170',
		quality: 'secondaire',
		note: 'région la moins touchée'
	},
	{
		reg: '75',
		nom: 'Nouvelle-Aquitaine',
		ratePct: null,
		rateDecimals: 0,
		persons: 850_000,
		year: 2019,
		source: 'Insee Analyses Nouvelle-Aquitaine n°129',
		quality: 'secondaire',
		note: ''
	},
	{
		reg: '24',
		nom: 'Centre-Val de Loire',
		ratePct: 19,
		rateDecimals: 0,
		persons: 400_000,
		year: 2019,
		source: 'Insee Flash Centre-Val de Loire n°56',
		quality: 'secondaire',
		note: 'plus de 400 000 personnes'
	},
	{
		reg: '94',
		nom: 'Corse',
		ratePct: 25,
		rateDecimals: 0,
		persons: 75_000,
		year: 2019,
		source: 'Insee Flash Corse n°77',
		quality: 'secondaire',
		note: 'taux le plus élevé des régions de province'
	}
];

/**
 * INSEE's 2017 survey of the overseas départements (TIC-DOM): about 30 % of people aged 15+ in
 * illectronisme in Guadeloupe, Martinique and La Réunion, against 19 % in mainland France the same
 * year (secondary source, "environ"). The model keeps the ratio 30/19 and applies it to the 2019
 * mainland level.
 */
export const OVERSEAS_SURVEY_2017 = {
	overseasPct: 30,
	mainlandPct: 19,
	year: 2017,
	source: 'INSEE, enquête TIC-DOM 2017',
	quality: 'secondaire' as const,
	regions: ['01', '02', '04'] as readonly string[]
};

/** Guyane: no published rate; the overseas ratio is extrapolated to it, with a wide band. */
export const EXTRAPOLATED_REGIONS: readonly string[] = ['03'];
/** Mayotte: no ICT survey at all; no estimate is published (null in the API, grey on the map). */
export const NON_ESTIMATED_REGIONS: readonly string[] = ['06'];

/** How sure the atlas is of an estimate: shown in the API (`fiabilite`), the map and the fiche. */
export type Fiabilite = 'estime' | 'extrapole' | 'non_estime';

export const FIABILITE_LABELS: Record<Fiabilite, string> = {
	estime: 'estimé',
	extrapole: 'extrapolé (aucun chiffre publié pour ce territoire)',
	non_estime: 'non estimé (aucune enquête)'
};

/** Half-width of the rounding of a published rate, in points (17 → 0.5, 12.2 → 0.05). */
export function rateRoundingHalfWidth(b: RegionalBenchmark): number {
	return 0.5 * 10 ** -b.rateDecimals;
}

/**
 * Half-width of the rounding of a published count, from its significant digits
 * (850 000 → 5 000, 800 000 → 50 000, 75 000 → 5 000).
 */
export function personsRoundingHalfWidth(persons: number): number {
	let unit = 1;
	while (persons % (unit * 10) === 0 && unit * 10 <= persons) unit *= 10;
	return unit / 2;
}

/**
 * The shares of people aged 15+ (0–1) compatible with a published figure, given the people aged 15+
 * the model counts: the rate within its rounding, narrowed to the count within its rounding when
 * both were published and agree; the count alone when no rate was published. Null when nothing
 * usable was published.
 * @example benchmarkInterval(île-de-France, 10_219_715) // { low: 0.12232, high: 0.1225, target: 0.12241 }
 */
export function benchmarkInterval(
	b: RegionalBenchmark,
	pop15: number
): { low: number; high: number; target: number } | null {
	if (pop15 <= 0) return null;
	const fromPersons =
		b.persons !== null
			? {
					low: (b.persons - personsRoundingHalfWidth(b.persons)) / pop15,
					high: (b.persons + personsRoundingHalfWidth(b.persons)) / pop15
				}
			: null;
	if (b.ratePct === null) {
		if (!fromPersons) return null;
		// A count alone: aim at the count itself, the rounding is the tolerance.
		return { ...fromPersons, target: (b.persons ?? 0) / pop15 };
	}
	const half = rateRoundingHalfWidth(b);
	let low = (b.ratePct - half) / 100;
	let high = (b.ratePct + half) / 100;
	if (fromPersons && fromPersons.low <= high && fromPersons.high >= low) {
		low = Math.max(low, fromPersons.low);
		high = Math.min(high, fromPersons.high);
	}
	return { low, high, target: (low + high) / 2 };
}
