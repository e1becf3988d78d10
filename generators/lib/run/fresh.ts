// A fresh run (or a re-run) writes through Yeoman's in-memory file system, whose commit ends in the
// one writer (write/commit.ts): each rendered file queued, a file that exists with other content a
// clash (refused without prompts unless --force), the .yo-rc.json record beside them, and the files
// the last run wrote that this one no longer produces removed when untouched.
import { constants, existsSync, readFileSync, type Stats } from 'node:fs';
import path from 'node:path';
import type Generator from 'yeoman-generator';
import { UsageError } from '../errors.js';
import type { RenderedFile } from '../plan/index.js';
import { blobId, readProjectFile } from '../update/index.js';
import { decideCommit, type CommitEnvironment } from '../write/commit.js';
import { pathRule } from '../write/contain.js';
import { checkTree, writeTree } from '../write/tree.js';
import { reportAsCreated } from './output.js';

export interface FreshWrite {
  generator: Generator;
  root: string;
  rendered: readonly RenderedFile[];
  /** Whether a clash may stand (asked file by file, --force, or --dry-run). */
  clashesAllowed: boolean;
  /** The new record, given the files this run writes. */
  record: (written: ReadonlyMap<string, Buffer>) => Record<string, unknown>;
}

/** Queues the files and the record; returns what was written, for the object database. */
export function writeFresh({ generator, root, rendered, clashesAllowed, record }: FreshWrite): Map<string, Buffer> {
  const yoRc = path.join(root, '.yo-rc.json');
  const newYoRc = !existsSync(yoRc);
  const written = new Map<string, Buffer>();
  const clashes: string[] = [];
  for (const file of rendered) {
    const target = path.join(root, file.destination);
    // mem-fs-editor types `stat` as fs.Stats but commits only its mode. The conflicter compares
    // it with fs.stat's full st_mode, so the file-type bits belong in it too.
    generator.fs.write(target, file.bytes, file.mode ? { stat: { mode: constants.S_IFREG | file.mode } as Stats } : {});
    if (existsSync(target) && !readFileSync(target).equals(file.bytes)) clashes.push(file.destination);
    if (file.recorded) written.set(file.destination, file.bytes);
  }
  if (clashes.length > 0 && !clashesAllowed) {
    throw new UsageError(
      `${clashes.join(', ')} ${clashes.length === 1 ? 'exists' : 'exist'} with other content: run interactively to decide file by file, or add --force to overwrite`,
    );
  }
  const all = generator.fs.readJSON(yoRc, {}) as Record<string, unknown>;
  generator.fs.writeJSON(yoRc, { ...all, [generator.rootGeneratorName()]: record(written) });
  if (newYoRc) reportAsCreated(generator, yoRc);
  return written;
}

/**
 * Files the last run recorded that this one no longer produces (--kind cli has no compose.yaml):
 * the untouched ones, to remove with the commit, as `update` does; an edited one stays, said.
 * Only this generator's own record, and in it only what it could have written and the one writer
 * accepts: dockergo:app's README.md is never a reason for dockergo:docker to remove a file.
 */
export function ungenerated(
  root: string,
  stored: Readonly<Record<string, unknown>>,
  planned: ReadonlySet<string>,
  writes: (destination: string) => boolean,
  notice: (text: string) => void,
): string[] {
  const files = stored['files'];
  const record = typeof files === 'object' && files !== null && !Array.isArray(files) ? (files as Record<string, unknown>) : {};
  const removals: string[] = [];
  for (const [destination, id] of Object.entries(record)) {
    if (pathRule(destination) || !writes(destination) || typeof id !== 'string' || planned.has(destination)) continue;
    const now = readProjectFile(root, destination);
    if (now === undefined) continue;
    if (blobId(now) === id) removals.push(destination);
    else notice(`${destination} is no longer generated, but was edited since: left as it is`);
  }
  return removals;
}

/**
 * Yeoman's commit: its pipeline decides (the conflicter asks, interactively), and the one writer
 * writes the files and removals, all or nothing; nothing on a dry run. Whether it wrote.
 */
export async function commitRun(
  env: CommitEnvironment,
  root: string,
  removals: readonly string[],
  dryRun: boolean,
  log: (line: string) => void,
): Promise<boolean> {
  const decided = await decideCommit(env, root, (plan) => {
    if (!dryRun) checkTree(root, { ...plan, deletions: [...(plan.deletions ?? []), ...removals] });
  });
  const tree = { files: decided.files, deletions: [...(decided.deletions ?? []), ...removals] };
  for (const file of removals) log(`${'remove'.padStart(9)} ${path.relative(process.cwd(), path.join(root, file))}`);
  if (dryRun || (tree.files.length === 0 && tree.deletions.length === 0)) return false;
  // The writer makes a new project folder too (and removes it again if a write fails).
  writeTree(root, tree);
  return true;
}
