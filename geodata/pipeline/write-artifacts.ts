/**
 * All-or-nothing writing of the pipeline's artifacts, so a failed run (bad source file, full disk)
 * never leaves `static/data/` with a mix of old and new files that disagree with each other.
 */
import {
	existsSync,
	mkdirSync,
	renameSync,
	rmdirSync,
	statSync,
	unlinkSync,
	writeFileSync
} from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';

/**
 * Write every file of `files` (path relative to `outDir` → UTF-8 content) into `outDir`.
 *
 * Phase 1 writes each file to a temporary name next to its target (same directory, so the rename is
 * atomic on one filesystem); if anything fails there, the temporary files and the directories this
 * call created are removed and `outDir` is exactly as before. Phase 2 renames them into place,
 * keeping the previous version of each target aside until every rename has succeeded, and puts the
 * previous versions back if one fails.
 * @param rename the rename function (tests inject a failing one to check the rollback)
 * @throws Error when a path leaves `outDir` or names a directory, or the filesystem error that
 *   stopped the write.
 */
export function writeArtifactsAtomically(
	outDir: string,
	files: Record<string, string>,
	rename: (from: string, to: string) => void = renameSync
): void {
	const root = resolve(outDir);
	const token = `${process.pid}-${process.hrtime.bigint().toString(36)}`;
	const plan = Object.entries(files).map(([relPath, content]) => {
		const target = resolve(root, relPath);
		const rel = relative(root, target);
		if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
			throw new Error(`Chemin d’artefact hors du dossier de sortie : « ${relPath} »`);
		}
		if (existsSync(target) && statSync(target).isDirectory()) {
			throw new Error(`Un dossier occupe la place de l’artefact « ${relPath} »`);
		}
		return { target, content, temp: `${target}.tmp-${token}`, backup: `${target}.bak-${token}` };
	});

	const createdDirs: string[] = [];
	const written: string[] = [];
	try {
		for (const { target, temp, content } of plan) {
			ensureDirectory(dirname(target), createdDirs);
			writeFileSync(temp, content, 'utf8');
			written.push(temp);
		}
	} catch (error) {
		for (const temp of written) tryUnlink(temp);
		// Deepest first, so parents are empty when their turn comes.
		for (const dir of [...createdDirs].reverse()) tryRmdir(dir);
		throw error;
	}

	const committed: { target: string; backup: string | null }[] = [];
	try {
		for (const { target, temp, backup } of plan) {
			const hadPrevious = existsSync(target);
			if (hadPrevious) rename(target, backup);
			committed.push({ target, backup: hadPrevious ? backup : null });
			rename(temp, target);
		}
	} catch (error) {
		for (const { target, backup } of committed.reverse()) {
			if (backup !== null && existsSync(backup)) {
				if (existsSync(target)) tryUnlink(target);
				renameSync(backup, target);
			} else if (backup === null) tryUnlink(target);
		}
		for (const { temp } of plan) tryUnlink(temp);
		for (const dir of [...createdDirs].reverse()) tryRmdir(dir);
		throw error;
	}
	for (const { backup } of committed) if (backup !== null) tryUnlink(backup);
}

/** mkdir -p that records which directories it created (outermost first). */
function ensureDirectory(dir: string, created: string[]): void {
	if (existsSync(dir)) return;
	const missing: string[] = [];
	let current = dir;
	while (!existsSync(current)) {
		missing.unshift(current);
		const parent = dirname(current);
		if (parent === current) break;
		current = parent;
	}
	for (const path of missing) {
		mkdirSync(path);
		created.push(path);
	}
}

function tryUnlink(path: string): void {
	try {
		unlinkSync(path);
	} catch {
		// Already gone: nothing to clean.
	}
}

function tryRmdir(path: string): void {
	try {
		rmdirSync(path);
	} catch {
		// Not empty or already gone: leave it.
	}
}
