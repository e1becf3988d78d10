// What `update` says: one line per file and a summary for a CI log, the conflicts named, and on
// --dry-run a unified diff of every change.
import { createTwoFilesPatch } from 'diff';
import { CHANGES, isBinary, type FileUpdate } from './plan.js';
import { compareVersions } from './project.js';

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

/** The versions an update goes from and to: the generator's, and the preset's when there is one. */
export function versionsOf(
  stored: Readonly<Record<string, unknown>>,
  version: string,
  preset: { spec: string; name: string; version: string | undefined; changelog: Readonly<Record<string, string>> } | undefined,
): Versions {
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const from = text(stored['presetVersion']);
  return {
    generator: { from: text(stored['generatorVersion']), to: version },
    ...(preset
      ? { preset: { spec: preset.spec, name: preset.name, from, to: preset.version, changes: changesBetween(preset.changelog, from, preset.version) } }
      : {}),
  };
}

/** A preset's changelog entries after `from` up to `to`, oldest first: why the update came. */
export function changesBetween(
  changelog: Readonly<Record<string, string>>,
  from: string | undefined,
  to: string | undefined,
): { version: string; note: string }[] {
  if (to === undefined || from === to) return [];
  return Object.entries(changelog)
    .filter(([version]) => compareVersions(version, to) <= 0 && (from === undefined || compareVersions(version, from) > 0))
    .sort(([a], [b]) => compareVersions(a, b))
    .map(([version, note]) => ({ version, note }));
}

export interface Versions {
  generator: { from: string | undefined; to: string };
  preset?: { spec: string; name?: string; from: string | undefined; to: string | undefined; changes?: { version: string; note: string }[] };
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
