/**
 * Whether two names of mediation places, found less than 50 m apart in two lists, name the same
 * place. Lists spell the same place differently (« France Services - Lumbres » / « France services
 * de Lumbres », « Centre Social & Culturel Jacques-Yves Cousteau » / « CENTRE SOCIAL ET CULTUREL
 * JACQUES YVES COUSTEAU »), and neighbours share a street and a town name (« CCAS de Bailleul » /
 * « Médiathèque municipale de Bailleul »). So a name is split into the kinds of facility it names
 * (France services, mairie, médiathèque…) and its distinctive words; two names match when their
 * kinds do not contradict each other and most distinctive words of the shorter one are in the other.
 */

/** Words that carry no meaning for identity (French articles and prepositions). */
const STOPWORDS = new Set(
	'a au aux d de des du en et l la le les lez pour par sur sous un une y'.split(' ')
);

/**
 * Words naming a kind of facility, by kind (looked up as written and after `stemWord`). Two names
 * that both state a kind but share none are different places (a CCAS and a médiathèque of the same
 * town). `msap`/`mfs`: maison de services au public / France services, the label's former names.
 */
const KINDS: Record<string, string> = {
	'france-services': 'france service msap mfs public',
	mairie: 'mairie commune ville hotel municipalite',
	ccas: 'ccas cias',
	bibliotheque: 'mediatheque bibliotheque ludomediatheque bibliobus ludotheque bm',
	'centre-social': 'social sociale sociaux socioculturel culturel culturelle socio csc',
	'mission-locale': 'mission locale',
	emploi: 'emploi pole',
	'la-poste': 'poste',
	caf: 'caf',
	cpam: 'cpam',
	msa: 'msa',
	intercommunalite: 'communaute cc agglomeration intercommunal intercommunale sivom',
	association: 'association ass asso',
	'tiers-lieu': 'tiers fablab lieu lieux'
};
const KIND_WORDS = new Map(
	Object.entries(KINDS).flatMap(([kind, words]) => words.split(' ').map((w) => [w, kind] as const))
);

/** Generic words that name neither a kind nor a place (« maison », « espace », « numérique »…). */
const NEUTRAL_WORDS = new Set(
	(
		'maison espace centre point accueil numerique multimedia antenne bus itinerant itinerante site ' +
		'quartier municipal municipale intercommunaux gestion equipement equipements mediation ' +
		'information cyber cyberbase base'
	).split(' ')
);

export interface PlaceNameParts {
	/** Facility kinds named (looked up before and after `stemWord`), e.g. `['france-services']`. */
	kinds: string[];
	/** Remaining words: mostly proper nouns and place names. */
	words: string[];
}

/**
 * Split a place name into facility kinds and distinctive words (accents, case, punctuation,
 * articles and plural `s` removed; `st` → `saint`).
 * @example splitPlaceName('France services de Saint-Omer') // { kinds: ['france-services'], words: ['omer', 'saint'] }
 */
export function splitPlaceName(name: string): PlaceNameParts {
	const kinds = new Set<string>();
	const words = new Set<string>();
	const tokens = name
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/œ/g, 'oe')
		.split(/[^a-z0-9]+/);
	for (const token of tokens) {
		if (token === '' || STOPWORDS.has(token)) continue;
		const spelt = token === 'st' ? 'saint' : token === 'ste' ? 'sainte' : token;
		const word = stemWord(spelt);
		const kind = KIND_WORDS.get(spelt) ?? KIND_WORDS.get(word);
		if (kind) kinds.add(kind);
		else if (!NEUTRAL_WORDS.has(spelt) && !NEUTRAL_WORDS.has(word)) words.add(word);
	}
	return { kinds: [...kinds].sort(), words: [...words].sort() };
}

/** Drop a plural `s`/`x` from words longer than 3 letters (`services` → `service`, `rurales` → `rurale`). */
function stemWord(word: string): string {
	return word.length > 3 && /[sx]$/.test(word) && !/ss$/.test(word) ? word.slice(0, -1) : word;
}

/**
 * Similarity of two place names, 0–1: 0 when both name kinds of facility and share none, else the
 * share of the shorter name's distinctive words found in the other (overlap coefficient).
 * @example comparePlaceNames('Mission Locale du Douaisis', 'MISSION LOCALE EMPLOI JEUNES DOUAISIS') // 1
 */
export function comparePlaceNames(a: string, b: string): number {
	return comparePlaceNameParts(splitPlaceName(a), splitPlaceName(b));
}

/** `comparePlaceNames` on names already split, for callers that compare one name many times. */
export function comparePlaceNameParts(pa: PlaceNameParts, pb: PlaceNameParts): number {
	if (pa.kinds.length > 0 && pb.kinds.length > 0 && !pa.kinds.some((k) => pb.kinds.includes(k))) {
		return 0;
	}
	const shorter = Math.min(pa.words.length, pb.words.length);
	if (shorter === 0) return 0;
	const inB = new Set(pb.words);
	const shared = pa.words.filter((w) => inB.has(w)).length;
	return shared / shorter;
}

/**
 * Minimum `comparePlaceNames` score for two names to be the same place: more than half of the
 * shorter name's distinctive words, so « Centre social Arras Ouest » and « Centre social Arras Nord »
 * (one shared word of two) stay apart.
 */
export const SAME_PLACE_NAME_SCORE = 0.51;
