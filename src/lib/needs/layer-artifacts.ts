/**
 * The estimate layer above the commune level, computed by the pipeline (issue 14, « the first
 * screen does first-screen work only »). The needs model takes no user input, so the régions',
 * départements' and EPCI's estimates are the same for every visitor: `npm run geodata:build`
 * writes them once (`estimations/*.json`, a few dozen kB), and the first screen reads them instead
 * of downloading the commune table (1,2 MB compressed) and running the model in a worker.
 * The commune level is still computed in the page's analysis worker (35,000 communes with their
 * drivers' sentences would be heavier than the table they come from).
 */
import { ARTIFACTS, type TerritoryIndex } from '../territory/artifacts';
import type { CommuneRecord } from '../territory/commune';
import { computeRemoteLayer, type RemoteLayerLevel } from './layer';
import { MODEL_VERSION } from './constants';
import { remoteEstimatesOf } from './cache';

/** The levels the pipeline estimates ahead. */
export type PrecomputedEstimateLevel = keyof typeof ARTIFACTS.estimates;

export const PRECOMPUTED_ESTIMATE_LEVELS = Object.keys(
	ARTIFACTS.estimates
) as PrecomputedEstimateLevel[];

/** One file of `estimations/`: the layer at one level and the model that computed it. */
export interface EstimateLayerArtifact {
	/** `MODEL_VERSION` of the model that wrote it: a page never mixes two versions. */
	modelVersion: string;
	layer: RemoteLayerLevel;
}

/** Whether the pipeline writes the estimate of `level` ahead. */
export function isPrecomputedEstimateLevel(level: string): level is PrecomputedEstimateLevel {
	return Object.hasOwn(ARTIFACTS.estimates, level);
}

/**
 * The files of `estimations/` for a commune table, as the pipeline writes them.
 * @param communes the table as the browser decodes it (`decodeCommuneTable`), so that the figures
 *   are those the analysis worker would compute from `communes.json`
 */
export function buildEstimateLayerArtifacts(
	communes: readonly CommuneRecord[],
	territories: TerritoryIndex
): Record<string, string> {
	const set = remoteEstimatesOf(communes);
	const files: Record<string, string> = {};
	for (const level of PRECOMPUTED_ESTIMATE_LEVELS) {
		const artifact: EstimateLayerArtifact = {
			modelVersion: MODEL_VERSION,
			layer: computeRemoteLayer(set, communes, level, territories)
		};
		files[ARTIFACTS.estimates[level]] = JSON.stringify(artifact);
	}
	return files;
}

/**
 * Check a fetched `estimations/*.json` file.
 * @param file the file's name, for the French message
 * @throws Error (French, naming the file) when it is not the layer of `level`, or was written by
 *   another version of the model than this page's (an artifact left over from an older build)
 */
export function readEstimateLayerArtifact(
	payload: unknown,
	level: PrecomputedEstimateLevel,
	file: string
): RemoteLayerLevel {
	const artifact = payload as Partial<EstimateLayerArtifact> | null;
	const layer = artifact?.layer;
	if (
		!artifact ||
		typeof artifact.modelVersion !== 'string' ||
		!layer ||
		layer.level !== level ||
		!Array.isArray(layer.points) ||
		!layer.france
	) {
		throw new Error(
			`Le fichier ${file} n’a pas le format attendu (estimation du niveau « ${level} »).`
		);
	}
	if (artifact.modelVersion !== MODEL_VERSION) {
		throw new Error(
			`Le fichier ${file} vient du modèle ${artifact.modelVersion}, la page du modèle ${MODEL_VERSION} : relancer « npm run geodata:build ».`
		);
	}
	return layer;
}
