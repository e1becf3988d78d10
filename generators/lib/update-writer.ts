// What `update` does with its plan: validate the record it starts from, refuse uncommitted work,
// print diffs on a dry run, turn the plan into the writer's files and deletions, and report one
// line per file plus a summary. No Yeoman here: the generator hands over the plan and the folder.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { execaSync } from 'execa';
import { oneLine, UsageError } from './errors.js';
import { inGitRepo } from './record.js';
import { CHANGES, isBinary, type FileUpdate } from './update-plan.js';
import { contained, pathRule } from './write/contain.js';
import type { TreePlan } from './write/tree.js';

/** A file in the project now (never through a link), or undefined when there is none. */
export function readProjectFile(root: string, file: string): Buffer | undefined {
  return contained(root, file).kind === 'file' ? readFileSync(path.join(root, file)) : undefined;
}

/**
 * .yo-rc.json's `files`: destination → blob id. Each key must be a project path the generator
 * could have written (`could`): a forged key ("../victim", ".git/config") would have update
 * delete or overwrite it.
 */
export function checkRecord(value: unknown, could: (destination: string) => boolean): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError('.yo-rc.json files: must be an object of file → git blob id');
  const out: Record<string, string> = {};
  for (const [key, id] of Object.entries(value)) {
    const where = `.yo-rc.json files: ${JSON.stringify(key)}`;
    const broken = pathRule(key);
    if (broken) throw new UsageError(`${where} ${broken}: not a file the generator could have written`);
    if (!could(key)) throw new UsageError(`${where}: not a file this generator writes: remove it from the record`);
    if (typeof id !== 'string' || !/^[0-9a-f]{40}$/.test(id)) throw new UsageError(`${where}: ${JSON.stringify(id)} is not a git blob id (40 hex digits)`);
    out[key] = id;
  }
  return out;
}

/** Files an update would change must be committed: its changes can then be reviewed and undone. */
export function refuseUncommitted(root: string, plan: readonly FileUpdate[]): void {
  const files = plan.filter((u) => CHANGES.has(u.fate) && u.fate !== 'added').map((u) => u.destination);
  if (files.length === 0 || !inGitRepo(root)) return;
  // --no-optional-locks: status must not refresh .git/index, so a refused update changes nothing.
  const status = execaSync('git', ['--no-optional-locks', 'status', '--porcelain', '-z', '--untracked-files=all', '--', ...files], { cwd: root, reject: false });
  if (status.exitCode !== 0) {
    throw new UsageError(`git status failed, so uncommitted changes cannot be ruled out: ${oneLine(String(status.stderr)) || `exit ${status.exitCode}`}`);
  }
  const dirty = String(status.stdout).split('\0').filter(Boolean).map((l) => l.slice(3));
  if (dirty.length > 0) {
    throw new UsageError(`uncommitted changes in ${dirty.join(', ')}: commit or stash them first, so that the update can be reviewed and undone (git diff, git checkout)`);
  }
}

/** The unified diff of every change, as --dry-run prints it. */
export function updateDiffs(plan: readonly FileUpdate[]): string[] {
  return plan
    .filter((u) => CHANGES.has(u.fate) && !(u.bytes && u.before?.equals(u.bytes)))
    .map((u) => {
      const [before, after] = [u.before ?? Buffer.alloc(0), u.bytes ?? Buffer.alloc(0)];
      if (isBinary(before) || isBinary(after)) return `Binary files a/${u.destination} and b/${u.destination} differ`;
      return createTwoFilesPatch(`a/${u.destination}`, `b/${u.destination}`, before.toString('utf8'), after.toString('utf8'), '', '', { context: 3 });
    });
}

/** The writer's plan for an update: each changed file (mode 0755 for executables) and each removal. */
export function updateTree(plan: readonly FileUpdate[]): Required<TreePlan> {
  const changed = plan.filter((u) => CHANGES.has(u.fate));
  return {
    files: changed
      .filter((u) => u.fate !== 'removed' && !(u.before && u.before.equals(u.bytes!)))
      .map((u) => ({ destination: u.destination, bytes: u.bytes!, ...(u.executable ? { mode: 0o755 } : {}) })),
    deletions: changed.filter((u) => u.fate === 'removed').map((u) => u.destination),
  };
}

export interface Versions {
  generator: { from: string | undefined; to: string };
  preset?: { spec: string; from: string | undefined; to: string | undefined };
}

/** One line per file, a summary line for a CI log, and a line naming the conflicts (if any). */
export function updateReport(plan: readonly FileUpdate[], versions: Versions, dryRun: boolean): string[] {
  const lines = plan.map((u) => `${u.fate.padStart(12)} ${u.destination}${detail(u)}`);
  const counts = new Map<string, number>();
  for (const u of plan) counts.set(u.fate, (counts.get(u.fate) ?? 0) + 1);
  const { generator, preset } = versions;
  const presetText = preset ? `, preset ${preset.spec}${preset.from || preset.to ? ` ${preset.from ?? '-'} → ${preset.to ?? '-'}` : ''}` : '';
  const changed = plan.some((u) => CHANGES.has(u.fate));
  const summary = changed ? [...counts].map(([fate, n]) => `${n} ${fate}`).join(', ') : 'up to date, nothing to do';
  lines.push(`update: ${dryRun ? 'dry run, nothing written: ' : ''}${summary} (generator ${generator.from ?? 'unrecorded'} → ${generator.to}${presetText})`);
  const conflicts = plan.filter((u) => u.fate === 'conflict').map((u) => u.destination);
  if (conflicts.length > 0 && !dryRun) {
    lines.push(`update: conflicts in ${conflicts.join(', ')}: resolve the <<<<<<< yours / >>>>>>> generator markers, then commit`);
  }
  return lines;
}

function detail(u: FileUpdate): string {
  if (u.fate === 'conflict') return ` (${u.conflicts} conflicting hunk${u.conflicts === 1 ? '' : 's'}${u.note ? `; ${u.note}` : ''})`;
  if (u.fate === 'kept') return ' (no longer generated, but edited: left as it is)';
  if (u.fate === 'kept-deleted') return ' (you deleted it: left deleted)';
  return '';
}
