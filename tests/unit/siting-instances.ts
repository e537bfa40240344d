/**
 * The real EPCI siting instances of `tests/fixtures/siting/epci-instances.json` (see the README
 * there), read once per test file that needs them.
 */
import { readFileSync } from 'node:fs';
import type { CandidateSite, DemandPoint, ExistingPlace } from '$lib/siting/model';

export interface SitingInstance {
	/** SIREN of the EPCI. */
	epci: string;
	nom: string;
	/** Kept out while the number of restarts was chosen (siting-exact.test.ts). */
	holdOut: boolean;
	demand: DemandPoint[];
	candidates: CandidateSite[];
	existing: ExistingPlace[];
}

export function loadSitingInstances(): SitingInstance[] {
	return (
		JSON.parse(
			readFileSync(new URL('../fixtures/siting/epci-instances.json', import.meta.url), 'utf8')
		) as { instances: SitingInstance[] }
	).instances;
}
