// `npm start`: build if needed, then serve the production server on PORT (default 3000).
import { spawn } from 'node:child_process';
import './ensure-build.js';

const port = process.env.PORT ?? '3000';
console.log(`Atlas de l’inclusion numérique : http://localhost:${port}/`);
const server = spawn(process.execPath, ['build/index.js'], {
	stdio: 'inherit',
	env: { ...process.env, PORT: port, BODY_SIZE_LIMIT: process.env.BODY_SIZE_LIMIT ?? '9M' }
});
server.on('exit', (code) => process.exit(code ?? 0));
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM']))
	process.on(signal, () => server.kill(signal));
