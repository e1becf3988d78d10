// What `update` does with its plan: refuse uncommitted work, print diffs on a dry run, write or
// delete each file, and report one line per file plus a summary. No Yeoman here: the generator
// hands over the plan and the project folder.
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { execaSync } from 'execa';
import { UsageError } from './answers.js';
import { inGitRepo } from './record.js';
import { CHANGES, type FileUpdate } from './update-plan.js';

/** A file in the project now, or undefined when there is none. */
export function readProjectFile(root: string, file: string): string | undefined {
  const target = path.join(root, file);
  return existsSync(target) && statSync(target).isFile() ? readFileSync(target, 'utf8') : undefined;
}

/** Files an update would change must be committed: its changes can then be reviewed and undone. */
export function refuseUncommitted(root: string, plan: readonly FileUpdate[]): void {
  const files = plan.filter((u) => CHANGES.has(u.fate) && u.fate !== 'added').map((u) => u.destination);
  if (files.length === 0 || !inGitRepo(root)) return;
  const status = execaSync('git', ['status', '--porcelain', '--untracked-files=all', '--', ...files], { cwd: root, reject: false });
  const dirty = String(status.stdout).split('\n').filter(Boolean).map((l) => l.slice(3));
  if (dirty.length > 0) {
    throw new UsageError(`uncommitted changes in ${dirty.join(', ')}: commit or stash them first, so that the update can be reviewed and undone (git diff, git checkout)`);
  }
}

/** The unified diff of every change, as --dry-run prints it. */
export function updateDiffs(plan: readonly FileUpdate[]): string[] {
  return plan
    .filter((u) => CHANGES.has(u.fate))
    .map((u) => createTwoFilesPatch(`a/${u.destination}`, `b/${u.destination}`, u.before ?? '', u.text ?? '', '', '', { context: 3 }));
}

/** Writes (or deletes) each changed file. */
export function applyUpdate(root: string, plan: readonly FileUpdate[]): void {
  for (const u of plan.filter((p) => CHANGES.has(p.fate))) {
    const target = path.join(root, u.destination);
    if (u.fate === 'removed') {
      rmSync(target, { force: true });
      continue;
    }
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, u.text!);
    if (u.executable) chmodSync(target, 0o755);
  }
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
