// `update --check`: would `update` change anything? The same plan as `update`, written nowhere: each
// file with what update would do to it, each generated file edited since it was generated, and the
// versions, as lines or as one JSON object (docs/update.md). Exit status: 0 current, 2 behind.
import { blobId } from './record.js';
import { CHANGES, type Fate, type FileUpdate } from './plan.js';
import type { Versions } from './report.js';

/** Exit status when an update is waiting, as `terraform plan -detailed-exitcode` has it. */
export const BEHIND_EXIT = 2;

export type Action = 'update' | 'merge' | 'conflict' | 'add' | 'remove' | 'none';

const ACTIONS: Readonly<Record<Fate, Action>> = {
  updated: 'update',
  merged: 'merge',
  conflict: 'conflict',
  added: 'add',
  removed: 'remove',
  unchanged: 'none',
  kept: 'none',
  'kept-deleted': 'none',
};

export interface CheckedFile {
  path: string;
  action: Action;
  /** Changed (or deleted) since the generator wrote it. */
  edited: boolean;
}

export interface CheckResult {
  status: 'current' | 'behind';
  generator: { from: string | null; to: string };
  preset: { name: string | null; from: string | null; to: string | null; changes: { version: string; note: string }[] } | null;
  /** Files update would change, and generated files edited since: in plan order. */
  files: CheckedFile[];
}

/** The check of a plan: `record` is what the generator wrote last time, `read` the file now. */
export function checkResult(
  plan: readonly FileUpdate[],
  record: Readonly<Record<string, string>>,
  read: (destination: string) => Buffer | undefined,
  versions: Versions,
): CheckResult {
  const files: CheckedFile[] = [];
  for (const u of plan) {
    const id = record[u.destination];
    const now = u.before ?? read(u.destination);
    const edited = id !== undefined && (now === undefined || blobId(now) !== id);
    const action = CHANGES.has(u.fate) ? ACTIONS[u.fate] : 'none';
    if (action !== 'none' || edited) files.push({ path: u.destination, action, edited });
  }
  const { generator, preset } = versions;
  return {
    status: files.some((f) => f.action !== 'none') ? 'behind' : 'current',
    generator: { from: generator.from ?? null, to: generator.to },
    preset: preset ? { name: preset.name ?? preset.spec, from: preset.from ?? null, to: preset.to ?? null, changes: preset.changes ?? [] } : null,
    files,
  };
}

/** The versions, as a line shows them: "generator 0.1.0 → 0.2.0, preset @acme/preset 1.0.0 → 1.1.0". */
export function versionText({ generator, preset }: CheckResult): string {
  const span = (from: string | null, to: string | null) => (from === to ? `${to ?? '-'}` : `${from ?? 'unrecorded'} → ${to ?? '-'}`);
  return `generator ${span(generator.from, generator.to)}${preset ? `, preset ${preset.name} ${span(preset.from, preset.to)}` : ''}`;
}

/** The check as lines: a summary, one line per file, and the preset's notes for the versions it moves through. */
export function checkLines(result: CheckResult): string[] {
  const changing = result.files.filter((f) => f.action !== 'none').length;
  const lines = [
    result.status === 'behind'
      ? `update --check: behind: ${changing} file${changing === 1 ? '' : 's'} would change (${versionText(result)})`
      : `update --check: up to date (${versionText(result)})`,
  ];
  for (const f of result.files) {
    const note = f.edited ? (f.action === 'none' ? '  (edited locally; update leaves it)' : '  (edited locally)') : '';
    lines.push(`${(f.action === 'none' ? '' : f.action).padStart(12)} ${f.path}${note}`);
  }
  for (const c of result.preset?.changes ?? []) lines.push(`preset ${result.preset!.name} ${c.version}: ${c.note}`);
  return lines;
}
