// Builds the app when build/ is missing or stale (used by `npm start` and `npm run test:e2e`).
import { execSync } from 'node:child_process';
import { buildIsStale } from './build-state.js';

if (buildIsStale()) {
	console.log('Construction de l’application (vite build)…');
	execSync('npx vite build', { stdio: 'inherit' });
}
