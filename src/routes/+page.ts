import { parseDashboardParams } from '$lib/dashboard/params';
import { parseRemoteLayerParams } from '$lib/dashboard/remote-layer-params';
import { parseMediatorParams } from '$lib/mediation/mediator-filters';
import type { PageLoad } from './$types';

/** The dashboard state from the URL (bad values fall back to defaults, with French notices). */
export const load: PageLoad = ({ url }) => ({
	...parseDashboardParams(url),
	// The estimate layer's circles (symboles, opacite_cercles), notices shown by the page.
	estimation: parseRemoteLayerParams(url),
	// The mediators layer's filter (lieux, lieux_sources), notices shown by the page.
	lieux: parseMediatorParams(url)
});
