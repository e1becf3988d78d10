// `update`, from the rendered files to the disk: the fate of each file against the record of what
// was written last time, a refusal when a file it would change has uncommitted edits, then the
// writer (files, deletions and the new record at once), the new blobs stored for the next merge,
// and the report. No Yeoman here: the generator hands over what it rendered and the folder.
import { execaSync } from 'execa';
import { oneLine, UsageError } from '../errors.js';
import type { RenderedFile } from '../plan/index.js';
import { writeTree, type TreePlan } from '../write/tree.js';
import { checkResult, type CheckResult } from './check.js';
import { CHANGES, planUpdate, type FileUpdate } from './plan.js';
import { CONFLICT_EXIT, readYoRc } from './project.js';
import { checkRecord, inGitRepo, readBlob, readProjectFile, storeBlobs } from './record.js';
import { updateDiffs, updateReport, type Versions } from './report.js';

export interface UpdateRun {
  root: string;
  rendered: readonly RenderedFile[];
  /** This generator's section of .yo-rc.json, as it is now. */
  stored: Readonly<Record<string, unknown>>;
  /** Whether this generator could have written a file: the record may name no other. */
  writes: (destination: string) => boolean;
  /** The new record, given the files this run writes. */
  record: (written: ReadonlyMap<string, Buffer>) => Record<string, unknown>;
  /** The generator's key in .yo-rc.json. */
  key: string;
  versions: Versions;
  dryRun: boolean;
  log: (line: string) => void;
}

/** What `update --check` needs: the same inputs as an update, nothing written. */
export type CheckRun = Pick<UpdateRun, 'root' | 'rendered' | 'stored' | 'writes' | 'versions'>;

/** Would `update` change anything? The same plan, and the files edited since they were generated; nothing is written. */
export function checkUpdate(run: CheckRun): CheckResult {
  const record = checkRecord(run.stored['files'], run.writes);
  const read = (file: string) => readProjectFile(run.root, file);
  const plan = planUpdate({ rendered: run.rendered, record, read, base: (id) => readBlob(run.root, id) });
  return checkResult(plan, record, read, run.versions);
}

/**
 * Decides each file's fate (updated, merged, conflict, added, removed…), refuses when a file it
 * would change has uncommitted edits, then writes the files and the new record itself; on a dry
 * run prints the diffs instead. Leaves exit status 3 when conflicts remain; returns each file's fate.
 */
export function runUpdate(run: UpdateRun): FileUpdate[] {
  const { root } = run;
  // The record is input like any other: a forged key must never name a file to delete or overwrite.
  const record = checkRecord(run.stored['files'], run.writes);
  const plan = planUpdate({
    rendered: run.rendered,
    record,
    read: (file) => readProjectFile(root, file),
    base: (id) => readBlob(root, id),
  });
  refuseUncommitted(root, plan);
  if (run.dryRun) {
    for (const diff of updateDiffs(plan)) run.log(diff);
  } else {
    const written = new Map(run.rendered.filter((f) => f.recorded).map((f) => [f.destination, f.bytes]));
    const all = readYoRc(root) ?? {};
    const yoRc = `${JSON.stringify({ ...all, [run.key]: run.record(written) }, null, 2)}\n`;
    const tree = updateTree(plan);
    writeTree(root, { files: [...tree.files, { destination: '.yo-rc.json', bytes: yoRc }], deletions: tree.deletions });
    storeBlobs(root, [...written.values()]);
  }
  for (const line of updateReport(plan, run.versions, run.dryRun)) run.log(line);
  if (!run.dryRun && plan.some((u) => u.fate === 'conflict')) process.exitCode = CONFLICT_EXIT;
  return plan;
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

/** The writer's plan for an update: each changed file (mode 0755 for executables) and each removal. */
export function updateTree(plan: readonly FileUpdate[]): Required<TreePlan> {
  const changed = plan.filter((u) => CHANGES.has(u.fate));
  return {
    files: changed
      .filter((u) => u.fate !== 'removed' && !(u.before && u.before.equals(u.bytes!)))
      .map((u) => ({ destination: u.destination, bytes: u.bytes!, ...(u.mode ? { mode: u.mode } : {}) })),
    deletions: changed.filter((u) => u.fate === 'removed').map((u) => u.destination),
  };
}
