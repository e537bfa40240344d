/** Geometry loaded only when the user zooms to a finer level: EPCI and communes. */
import { ARTIFACTS } from '../../../src/lib/territory/artifacts';
import { timeMedian } from '../measure';
import { printTimings, type TimedStep } from '../timings';
import { readArtifact, requireArtifacts, type BenchSection } from '../section';
import { decodeLevelGeometry } from './20-first-screen';
import { readTerritoryTopology } from '../../../src/lib/territory/geometry';

export default {
	name: 'Géométrie détaillée : EPCI et communes (lecture + JSON.parse + décodage)',
	async run() {
		const steps: TimedStep[] = [];
		for (const level of ['epci', 'commune'] as const) {
			const path = ARTIFACTS.geometry[level];
			if (!(await requireArtifacts(path))) continue;
			steps.push({
				label: `${level} (${path})`,
				timing: await timeMedian(() => decodeLevelGeometry(path, level))
			});
			// What the page does: the same decoding plus who borders whom (details panel).
			steps.push({
				label: `${level} + voisinages (readTerritoryTopology)`,
				timing: await timeMedian(async () =>
					readTerritoryTopology(JSON.parse(await readArtifact(path)), level).neighbours()
				)
			});
		}
		if (steps.length) printTimings(steps);
	}
} satisfies BenchSection;
