/**
 * Which shapes and places the report's map shows: an EPCI with its communes, a département with its
 * EPCI, a région with its départements, a commune among the communes of its EPCI; the
 * sub-territories shaded by their national priority class and the first ones numbered as in the
 * priority list; every mediation place of the area.
 */
import { feature } from 'topojson-client';
import type { Feature, Geometry } from 'geojson';
import type { GeometryObject, Topology } from 'topojson-specification';
import type { Level } from '../territory/commune';
import type { MediatorType } from '../territory/artifacts';
import { drawStaticMap, type StaticMap } from '../charts/report/static-map';
import type { SubTerritoryPriorities } from './report-ranks';
import { PRIORITY_COUNT } from './report-ranks';

/** A level's TopoJSON, its geometries indexed by territory code. */
export interface LevelTopology {
	level: Level;
	topology: Topology;
	byCode: ReadonlyMap<string, GeometryObject>;
}

export interface ReportMapRequest {
	level: Level;
	code: string;
	/** EPCI of a commune (its map shows the EPCI), else null. */
	epci: string | null;
	subTerritories: SubTerritoryPriorities | null;
	/** Mediation places of the mapped area. */
	places: readonly { lon: number; lat: number; type: MediatorType }[];
	/** Sites of a deployment scenario (numbered stars). */
	markers?: readonly { lon: number; lat: number; label: string }[];
	/** Topologies by level (at least the frame's and the sub-territories'). */
	topologies: Partial<Record<Level, LevelTopology>>;
	width: number;
	height: number;
}

export interface ReportMap extends StaticMap {
	/** Level of the shaded shapes, or null when only the territory is drawn. */
	shapeLevel: Level | null;
	/** Sub-territories without an outline in the geometry (communes restored after 2018). */
	missingShapes: string[];
}

/** The levels whose geometry a report map needs. */
export function mapLevelsOf(level: Level, hasEpci: boolean): Level[] {
	switch (level) {
		case 'region':
			return ['region', 'departement'];
		case 'departement':
			return ['departement', 'epci'];
		case 'epci':
			return ['epci', 'commune'];
		case 'commune':
			return hasEpci ? ['epci', 'commune'] : ['commune'];
	}
}

function featureOf(topology: LevelTopology, code: string): Feature<Geometry> | null {
	const geometry = topology.byCode.get(code);
	return geometry ? (feature(topology.topology, geometry) as Feature<Geometry>) : null;
}

/**
 * The map of a report, or null when the territory has no outline to frame it.
 * @throws Error when a needed topology is not in `topologies`
 */
export function buildReportMap(request: ReportMapRequest): ReportMap | null {
	const { level, code, epci, subTerritories, topologies } = request;
	const frameLevel: Level = level === 'commune' && epci !== null ? 'epci' : level;
	const frameCode = frameLevel === 'epci' && level === 'commune' ? (epci as string) : code;
	const frameTopology = topologies[frameLevel];
	if (!frameTopology) throw new Error(`Géométrie du niveau « ${frameLevel} » non chargée.`);
	const frame = featureOf(frameTopology, frameCode);
	if (!frame) return null;

	const shapeLevel = subTerritories?.level ?? null;
	const shapes = [];
	const missingShapes: string[] = [];
	if (subTerritories && shapeLevel) {
		const topology = topologies[shapeLevel];
		if (!topology) throw new Error(`Géométrie du niveau « ${shapeLevel} » non chargée.`);
		for (const item of subTerritories.items) {
			const f = featureOf(topology, item.code);
			if (!f) {
				missingShapes.push(item.code);
				continue;
			}
			shapes.push({
				code: item.code,
				nom: item.nom,
				feature: f,
				priorityClass: item.priorityClass,
				highlight: level === 'commune' && item.code === code,
				label:
					level !== 'commune' && item.listed && item.place <= PRIORITY_COUNT
						? String(item.place)
						: null
			});
		}
	}
	const map = drawStaticMap({
		frame,
		shapes,
		places: request.places,
		markers: request.markers,
		width: request.width,
		height: request.height
	});
	return { ...map, shapeLevel, missingShapes };
}
