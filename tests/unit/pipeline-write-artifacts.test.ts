import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	renameSync,
	rmSync,
	writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeArtifactsAtomically } from '../../geodata/pipeline/write-artifacts';

const dirs: string[] = [];
function tempDir(): string {
	const dir = mkdtempSync(join(tmpdir(), 'artifacts-'));
	dirs.push(dir);
	return dir;
}
afterEach(() => {
	for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Every file under `dir` (relative path → content). */
function snapshot(dir: string, prefix = ''): Record<string, string> {
	const files: Record<string, string> = {};
	for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
		const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
		if (entry.isDirectory()) Object.assign(files, snapshot(dir, rel));
		else files[rel] = readFileSync(join(dir, rel), 'utf8');
	}
	return files;
}

describe('writeArtifactsAtomically', () => {
	it('writes every file, creating sub-folders, and replaces previous versions', () => {
		const out = tempDir();
		writeFileSync(join(out, 'a.json'), 'old');
		writeArtifactsAtomically(out, { 'a.json': '{"v":1}', 'geo/b.topo.json': 'B' });
		expect(snapshot(out)).toEqual({ 'a.json': '{"v":1}', 'geo/b.topo.json': 'B' });
	});

	it('changes nothing when a write fails before the renames', () => {
		const out = tempDir();
		writeFileSync(join(out, 'a.json'), 'old');
		// `blocker` is a file, so `blocker/c.json` cannot be created.
		writeFileSync(join(out, 'blocker'), 'x');
		const before = snapshot(out);
		expect(() =>
			writeArtifactsAtomically(out, {
				'a.json': 'new',
				'geo/deep/b.json': 'B',
				'blocker/c.json': 'C'
			})
		).toThrow();
		expect(snapshot(out)).toEqual(before);
		expect(existsSync(join(out, 'geo'))).toBe(false);
	});

	it('puts the previous versions back when a rename fails', () => {
		const out = tempDir();
		writeFileSync(join(out, 'a.json'), 'old-a');
		writeFileSync(join(out, 'b.json'), 'old-b');
		const before = snapshot(out);
		let calls = 0;
		// a.json: backup + rename succeed; b.json: its backup rename (3rd call) fails.
		const failingRename = (from: string, to: string) => {
			if (++calls === 3) throw new Error('EIO simulé');
			renameSync(from, to);
		};
		expect(() =>
			writeArtifactsAtomically(
				out,
				{ 'a.json': 'new-a', 'b.json': 'new-b', 'geo/c.json': 'C' },
				failingRename
			)
		).toThrow('EIO simulé');
		expect(snapshot(out)).toEqual(before);
	});

	it('refuses to replace a directory by a file', () => {
		const out = tempDir();
		mkdirSync(join(out, 'z.json'));
		expect(() => writeArtifactsAtomically(out, { 'a.json': 'A', 'z.json': 'Z' })).toThrow(
			/Un dossier occupe/
		);
		expect(readdirSync(out)).toEqual(['z.json']);
	});

	it('refuses a path outside the output folder', () => {
		const out = tempDir();
		expect(() => writeArtifactsAtomically(out, { '../evil.json': 'x' })).toThrow(
			/hors du dossier de sortie/
		);
		expect(readdirSync(out)).toEqual([]);
	});
});
