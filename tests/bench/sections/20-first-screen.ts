/**
 * What the browser must do before the first map can be drawn: read, parse and decode the régions
 * and départements geometry (TopoJSON → GeoJSON) and the commune table. Measured in Node, so it
 * is a lower bound for a browser main thread (no download, no MapLibre upload).
 */
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { ARTIFACTS } from '../../../src/lib/territory/artifacts';
import { decodeCommuneTable } from '../../../src/lib/territory/commune-table';
import { timeMedian } from '../measure';
import { printTimings, type TimedStep } from '../timings';
import {
	artifactExists,
	missingArtifactLine,
	readArtifact,
	requireArtifacts,
	type BenchSection
} from '../section';

/** Read, parse and decode one level's TopoJSON into a GeoJSON FeatureCollection. */
export async function decodeLevelGeometry(path: string, object: string) {
	const topo = JSON.parse(await readArtifact(path)) as Topology;
	return feature(topo, topo.objects[object] as GeometryCollection);
}

export default {
	name: 'Premier écran : régions + départements (+ table des communes)',
	async run() {
		const { region, departement } = ARTIFACTS.geometry;
		if (!(await requireArtifacts(region, departement))) return;
		const withTable = await artifactExists(ARTIFACTS.communes);
		if (!withTable) {
			console.log(`mesure sans la table des communes : ${missingArtifactLine(ARTIFACTS.communes)}`);
		}

		const readTable = async () =>
			decodeCommuneTable(JSON.parse(await readArtifact(ARTIFACTS.communes)));
		const steps: TimedStep[] = [
			{
				label: `régions (${region})`,
				timing: await timeMedian(() => decodeLevelGeometry(region, 'region'))
			},
			{
				label: `départements (${departement})`,
				timing: await timeMedian(() => decodeLevelGeometry(departement, 'departement'))
			}
		];
		if (withTable) {
			steps.push({
				label: `table des communes (${ARTIFACTS.communes})`,
				timing: await timeMedian(readTable)
			});
		}
		steps.push({
			label: 'total premier écran',
			timing: await timeMedian(() =>
				Promise.all([
					decodeLevelGeometry(region, 'region'),
					decodeLevelGeometry(departement, 'departement'),
					withTable ? readTable() : null
				])
			)
		});
		printTimings(steps);
	}
} satisfies BenchSection;
