import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../geodata/pipeline/build';
import type { SourcesArtifact } from '$lib/territory/artifacts';

const COMMITTED = 'static/data';

function listFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((entry) => {
		const path = join(dir, entry);
		return statSync(path).isDirectory() ? listFiles(path) : [path];
	});
}

describe('committed artifacts', () => {
	const out = mkdtempSync(join(tmpdir(), 'atlas-artifacts-'));
	afterAll(() => rmSync(out, { recursive: true, force: true }));

	it('are exactly what the pipeline builds from geodata/sources (run npm run geodata:build if not)', async () => {
		const committed = JSON.parse(
			readFileSync(join(COMMITTED, 'sources.json'), 'utf8')
		) as SourcesArtifact;
		await runPipeline({
			sourcesDir: 'geodata/sources',
			outDir: out,
			log: () => {},
			// The run date is the only part that may differ: reuse the committed one.
			generated: committed.report.generated
		});
		const built = listFiles(out)
			.map((f) => relative(out, f))
			.sort();
		expect(
			listFiles(COMMITTED)
				.map((f) => relative(COMMITTED, f))
				.sort()
		).toEqual(built);
		for (const file of built) {
			const same = readFileSync(join(out, file)).equals(readFileSync(join(COMMITTED, file)));
			expect(same, `${file} diffère de la sortie du pipeline`).toBe(true);
		}
	});
});
