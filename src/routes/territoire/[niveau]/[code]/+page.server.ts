import { error, redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import {
	buildTerritoryReport,
	findTerritoryName,
	mediatorsOfCommunes
} from '$lib/report/territory-report';
import { buildReportMap, mapLevelsOf } from '$lib/report/report-map';
import { lookupsOf } from '$lib/report/report-context';
import { readReportScenario } from '$lib/report/report-scenario';
import {
	LEVEL_PLURAL,
	normaliseTerritoryCode,
	parseReportLevel,
	territoryCsvPath,
	territoryReportPath
} from '$lib/report/territory-ref';
import { DEFAULT_DASHBOARD_STATE, formatDashboardSearch } from '$lib/dashboard/params';
import { loadLevelTopology, loadReportContext } from '../../report-source.server';

/** Size of the map, px (about 16 × 11 cm on an A4 page). */
const MAP_WIDTH = 620;
const MAP_HEIGHT = 430;

export const load: PageServerLoad = async ({ params, url }) => {
	const level = parseReportLevel(params.niveau);
	if (level === null) {
		error(404, {
			message: `Le niveau « ${params.niveau.slice(0, 40)} » n’existe pas : les fiches portent sur une commune, une intercommunalité (epci), un département ou une région.`
		});
	}
	const code = normaliseTerritoryCode(params.code);
	const ctx = await loadReportContext();
	if (findTerritoryName(ctx, level, code) === null) {
		error(404, {
			message: `Aucun territoire ne porte le code « ${params.code.slice(0, 40)} » parmi les ${LEVEL_PLURAL[level]} du COG 2026.`
		});
	}
	// A hand-typed variant (`Commune/2a004`) of an existing territory: send to the canonical address.
	if (level !== params.niveau || code !== params.code) {
		redirect(301, `${territoryReportPath(level, code)}${url.search}`);
	}
	const report = buildTerritoryReport(ctx, level, code, { now: new Date() });
	if (report === null) {
		error(404, { message: `Pas de données pour ce territoire (${code.slice(0, 40)}).` });
	}

	const members = lookupsOf(ctx).communesOf[level].get(code) ?? [];
	const epci = level === 'commune' ? (members[0]?.epci ?? null) : null;
	const levels = mapLevelsOf(level, epci !== null);
	const topologies = Object.fromEntries(
		await Promise.all(levels.map(async (l) => [l, await loadLevelTopology(l)] as const))
	);
	// The mapped area: the territory, or the EPCI around a commune.
	const area = epci !== null ? (lookupsOf(ctx).communesOf.epci.get(epci) ?? members) : members;
	const places = mediatorsOfCommunes(
		ctx,
		area.map((c) => c.code)
	).map((m) => ({
		lon: m.geometry.coordinates[0],
		lat: m.geometry.coordinates[1],
		type: m.properties.type
	}));
	const scenario = readReportScenario(url, ctx.analysis);
	const markers =
		scenario.status === 'done'
			? scenario.result.sites.map((site) => ({
					lon: site.lon,
					lat: site.lat,
					label: String(site.rang)
				}))
			: [];
	const map = buildReportMap({
		level,
		code,
		epci,
		subTerritories: report.subTerritories,
		places,
		markers,
		topologies,
		width: MAP_WIDTH,
		height: MAP_HEIGHT
	});

	const dashboard = formatDashboardSearch({
		...DEFAULT_DASHBOARD_STATE,
		selection: { level, code }
	});
	const mapSearch =
		scenario.status === 'done'
			? `${dashboard}${dashboard ? '&' : '?'}${scenario.search}`
			: dashboard;
	return {
		report,
		map,
		mapPlaceCount: places.length,
		scenario,
		links: {
			/** Query string of the map page selecting this territory (and the scenario, if any). */
			mapSearch,
			csv: territoryCsvPath(level, code)
		}
	};
};
