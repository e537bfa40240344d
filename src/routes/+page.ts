import { parseDashboardParams } from '$lib/url/dashboard-params';
import type { PageLoad } from './$types';

/**
 * The dashboard state from the URL, parsed once for every feature (bad values fall back to their
 * defaults, with French notices the page shows).
 */
export const load: PageLoad = ({ url }) => parseDashboardParams(url.searchParams);
