import type { TerritoryEntry, TerritoryIndex } from './artifacts';
import type { CommuneRecord, Level } from './commune';
import { groupCommunesByLevel, sumOf } from './aggregate';

/**
 * Recompute each territory's population from the commune table, so that communes without a polygon
 * (the 7 restored after 2018, 5,245 people) still count in their EPCI, département and région.
 * Persons, population municipale (same millésime as the communes).
 */
export function withCommuneTablePopulations(
	index: TerritoryIndex,
	communes: readonly CommuneRecord[]
): TerritoryIndex {
	const recount = (entries: TerritoryEntry[], level: Exclude<Level, 'commune'>) => {
		const groups = groupCommunesByLevel(communes, level);
		return entries.map((entry) => ({
			...entry,
			population: sumOf(groups.get(entry.code) ?? [], (c) => c.population)
		}));
	};
	return {
		regions: recount(index.regions, 'region'),
		departements: recount(index.departements, 'departement'),
		epci: recount(index.epci, 'epci')
	};
}
