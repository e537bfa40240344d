/**
 * Temporary folders for the pipeline tests (copies of the fixture sources, output folders), removed
 * after the test file, and a snapshot of a folder to prove that a failed run left it untouched.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const temps: string[] = [];
afterAll(() => {
	for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A new empty folder under the system's temporary folder, removed after the test file. */
export function tempDir(prefix: string): string {
	const dir = mkdtempSync(join(tmpdir(), prefix));
	temps.push(dir);
	return dir;
}

/** Every file under `dir` with its bytes and modification time. */
export function snapshot(
	dir: string,
	prefix = ''
): Record<string, { content: string; mtimeMs: number }> {
	const files: Record<string, { content: string; mtimeMs: number }> = {};
	for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
		const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
		const path = join(dir, rel);
		if (entry.isDirectory()) Object.assign(files, snapshot(dir, rel));
		else files[rel] = { content: readFileSync(path, 'utf8'), mtimeMs: statSync(path).mtimeMs };
	}
	return files;
}
