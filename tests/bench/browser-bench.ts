/**
 * What the bench's browser sections share: the check that the built app and Debian's Chromium are
 * there, the page size they measure at, and the French milliseconds and median they print. They
 * launch Chromium as the browser tests do (`launchBrowser`, tests/e2e/browser.ts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { formatInteger } from '../../src/lib/format/number';
import { CHROMIUM_PATH } from '../e2e/browser';

/** Every browser section measures a 1280×800 page. */
export const BENCH_VIEWPORT = { width: 1280, height: 800 };

/** Whether a browser section can run here; prints why not (no build, no Chromium). */
export function browserBenchReady(): boolean {
	if (!existsSync(join(process.cwd(), 'build', 'index.js'))) {
		console.log('serveur construit absent : lancez npm run build');
		return false;
	}
	if (!existsSync(CHROMIUM_PATH)) {
		console.log(`Chromium absent (${CHROMIUM_PATH}) : section ignorée`);
		return false;
	}
	return true;
}

/** `1234.6` → `1 235 ms`. */
export const formatMs = (n: number) => `${formatInteger(Math.round(n))} ms`;

/** The middle value (the upper one of an even count). */
export const median = (values: number[]) =>
	[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
