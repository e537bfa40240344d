import { parseDashboardParams } from '$lib/dashboard/params';
import type { PageLoad } from './$types';

/** The dashboard state from the URL (bad values fall back to defaults, with French notices). */
export const load: PageLoad = ({ url }) => parseDashboardParams(url);
