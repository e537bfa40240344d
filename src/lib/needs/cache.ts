/**
 * One estimate per commune table: the API and the Sources page share it, and a table read once per
 * server process is estimated once (the calibration and the band scenarios take about a second).
 */
import type { CommuneRecord, Level } from '../territory/commune';
import type { TerritoryIndex } from '../territory/artifacts';
import { estimateRemotePopulation, type RemoteEstimateSet } from './model';
import { aggregateRemoteEstimates, estimateFranceTotal, type TerritoryEstimate } from './aggregate';
import { validateRemoteModel, type RemoteValidation } from './validation';

interface Cached {
	set: RemoteEstimateSet;
	levels: Map<Level, TerritoryEstimate[]>;
	france?: TerritoryEstimate;
	validation?: RemoteValidation;
}

// Keyed by the table itself, so a reloaded table is estimated afresh and the old one can be collected.
const cache = new WeakMap<readonly CommuneRecord[], Cached>();

function cachedFor(communes: readonly CommuneRecord[]): Cached {
	let entry = cache.get(communes);
	if (!entry) {
		entry = { set: estimateRemotePopulation(communes), levels: new Map() };
		cache.set(communes, entry);
	}
	return entry;
}

/** `estimateRemotePopulation(communes)`, computed once per table. */
export function remoteEstimatesOf(communes: readonly CommuneRecord[]): RemoteEstimateSet {
	return cachedFor(communes).set;
}

/** `aggregateRemoteEstimates` without drivers, computed once per table and level. */
export function remoteEstimatesAt(
	communes: readonly CommuneRecord[],
	level: Level,
	territories: TerritoryIndex
): TerritoryEstimate[] {
	const entry = cachedFor(communes);
	let rows = entry.levels.get(level);
	if (!rows) {
		rows = aggregateRemoteEstimates(entry.set, communes, level, territories);
		entry.levels.set(level, rows);
	}
	return rows;
}

/** The France total with its drivers, computed once per table. */
export function remoteEstimateOfFrance(communes: readonly CommuneRecord[]): TerritoryEstimate {
	const entry = cachedFor(communes);
	entry.france ??= estimateFranceTotal(entry.set, communes, { withDrivers: true });
	return entry.france;
}

/** The validation against the published figures, computed once per table. */
export function remoteValidationOf(
	communes: readonly CommuneRecord[],
	territories: TerritoryIndex
): RemoteValidation {
	const entry = cachedFor(communes);
	entry.validation ??= validateRemoteModel(entry.set, communes, territories);
	return entry.validation;
}
