// The one writer: every byte the generator puts on the disk goes through writeTree. It takes a
// plan of files (destination, bytes, mode) and deletions, and
//   1. keeps every path inside the project: no absolute path, no "..", nothing in .git/, and no
//      symbolic link in any element (lstat all the way down; the project folder's own
//      ancestors aside);
//   2. checks that every target can be written (the file, or its nearest existing folder)
//      before the first write;
//   3. writes each file to a temporary file beside it and renames it into place, .yo-rc.json
//      last; if any step fails, it puts back what it had already replaced, removed or made,
//      and the error is one line: "cannot write compose.yaml: permission denied".
import { accessSync, chmodSync, chownSync, closeSync, constants, existsSync, fsyncSync, lstatSync, mkdirSync, openSync, readFileSync, realpathSync, renameSync, rmdirSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { contained, reason } from './contain.js';

export interface TreeFile {
  /** "/"-separated, relative to the project root. */
  destination: string;
  bytes: Uint8Array | string;
  /** Permission bits (0o755); without it an existing file keeps its own, a new one gets the umask's. */
  mode?: number;
}

export interface TreePlan {
  files: readonly TreeFile[];
  /** Project-relative paths to remove (a missing one is no error). */
  deletions?: readonly string[];
}

/** Every call the writer makes that changes the disk: one seam, for fault injection in the tests. */
export interface WriteOps {
  mkdir(dir: string): void;
  rmdir(dir: string): void;
  /** Creates a new file (never through a link, never over an existing one) holding bytes, flushed. */
  create(file: string, bytes: Uint8Array, mode: number): void;
  chmod(file: string, mode: number): void;
  chown(file: string, uid: number, gid: number): void;
  rename(from: string, to: string): void;
  unlink(file: string): void;
}

export const systemOps: WriteOps = {
  mkdir: (dir) => mkdirSync(dir),
  rmdir: (dir) => rmdirSync(dir),
  create(file, bytes, mode) {
    const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode);
    try {
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  },
  chmod: (file, mode) => chmodSync(file, mode),
  chown: (file, uid, gid) => chownSync(file, uid, gid),
  rename: (from, to) => renameSync(from, to),
  unlink: (file) => unlinkSync(file),
};

/** The file that records the answers goes last: a failed run never records files it did not write. */
const LAST = '.yo-rc.json';

interface Step {
  verb: 'write' | 'remove';
  destination: string;
  target: string;
  /** For a write: the new bytes and the mode to give them (undefined: the umask's). */
  bytes?: Uint8Array;
  mode?: number;
  /** What is there now (lstat): its bytes are saved just before it is replaced or removed, to put back. */
  existing?: Stats;
  /** Folders to make first, outermost first. */
  folders: string[];
}

/** Writes the plan into root (made if missing), all or nothing. Throws one line on any failure. */
export function writeTree(root: string, plan: TreePlan, ops: WriteOps = systemOps): void {
  const undo: (() => void)[] = [];
  let current: Step | undefined;
  try {
    const project = makeRoot(path.resolve(root), ops, undo);
    const steps = prepare(project, plan);
    for (const step of steps) {
      current = step;
      run(step, ops, undo);
    }
  } catch (error) {
    for (const back of undo.reverse()) {
      try {
        back();
      } catch {
        // Best effort: the next step of the rollback still runs.
      }
    }
    if (error instanceof UsageError) throw error;
    const what = current ? `${current.verb} ${current.destination}` : `make the project folder ${root}`;
    throw new UsageError(`cannot ${what}: ${reason(error)}`);
  }
}

/**
 * The checks alone (containment, writability), writing nothing: so that a run can refuse before
 * it reports or asks anything about the files.
 */
export function checkTree(root: string, plan: TreePlan): void {
  const absolute = path.resolve(root);
  if (existsSync(absolute)) {
    prepare(realpathSync(absolute), plan);
    return;
  }
  let dir = path.dirname(absolute);
  while (!existsSync(dir)) dir = path.dirname(dir);
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw new UsageError(`cannot make the project folder ${root}: ${dir}: ${reason(error)}`);
  }
}

/** The project folder: made (with its missing parents) when it does not exist yet. */
function makeRoot(root: string, ops: WriteOps, undo: (() => void)[]): string {
  const missing: string[] = [];
  for (let dir = root; !existsSync(dir); dir = path.dirname(dir)) missing.unshift(dir);
  for (const dir of missing) {
    ops.mkdir(dir);
    undo.push(() => ops.rmdir(dir));
  }
  const real = realpathSync(root);
  if (!lstatSync(real).isDirectory()) throw new UsageError(`cannot write into ${root}: not a folder`);
  return real;
}

/** Containment and writability of every step, before the first write. */
function prepare(root: string, plan: TreePlan): Step[] {
  const seen = new Set<string>();
  const once = (destination: string): void => {
    if (seen.has(destination)) throw new UsageError(`internal: ${destination} is planned twice`);
    seen.add(destination);
  };
  const writes: Step[] = plan.files.map((file) => {
    once(file.destination);
    const found = contained(root, file.destination);
    const target = path.join(root, file.destination);
    const elements = file.destination.split('/');
    const folders = found.kind === 'none' ? elements.slice(found.missingFrom, -1).map((_, i) => path.join(root, ...elements.slice(0, found.missingFrom + i + 1))) : [];
    const step: Step = {
      verb: 'write',
      destination: file.destination,
      target,
      bytes: typeof file.bytes === 'string' ? Buffer.from(file.bytes, 'utf8') : file.bytes,
      folders,
      ...(file.mode !== undefined ? { mode: file.mode } : {}),
    };
    if (found.kind === 'file') {
      step.existing = found.stat;
      step.mode ??= found.stat.mode & 0o7777;
    }
    checkWritable(root, step);
    return step;
  });
  const deletions: Step[] = [];
  for (const destination of plan.deletions ?? []) {
    once(destination);
    const found = contained(root, destination);
    if (found.kind === 'none') continue;
    const step: Step = { verb: 'remove', destination, target: path.join(root, destination), folders: [], existing: found.stat };
    checkWritable(root, step);
    deletions.push(step);
  }
  const last = writes.filter((s) => s.destination === LAST);
  return [...writes.filter((s) => s.destination !== LAST), ...deletions, ...last];
}

/**
 * The file itself (read-only, immutable; readable, since its bytes are saved to put back) and the
 * folder its temporary file and rename need.
 */
function checkWritable(root: string, step: Step): void {
  const fail = (what: string, error: unknown): never => {
    throw new UsageError(`cannot ${step.verb} ${step.destination}: ${what}${reason(error)}`);
  };
  if (step.existing) {
    try {
      accessSync(step.target, constants.R_OK | constants.W_OK);
    } catch (error) {
      fail('', error);
    }
  }
  let dir = path.dirname(step.target);
  while (!existsSync(dir) && dir !== root) dir = path.dirname(dir);
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    fail(`its folder ${path.relative(root, dir) || '.'}: `, error);
  }
}

function temporaryBeside(target: string): string {
  return path.join(path.dirname(target), `.dockergo-${randomBytes(6).toString('hex')}.tmp`);
}

/** Puts bytes at target through a temporary file and a rename; the temporary file never outlives a failure. */
function place(target: string, bytes: Uint8Array, mode: number | undefined, owner: { uid: number; gid: number } | undefined, ops: WriteOps): void {
  const temporary = temporaryBeside(target);
  try {
    ops.create(temporary, bytes, 0o666);
    if (mode !== undefined) ops.chmod(temporary, mode);
    // As root, a replaced file keeps its owner: the project stays its user's.
    if (owner && process.getuid?.() === 0) ops.chown(temporary, owner.uid, owner.gid);
    ops.rename(temporary, target);
  } catch (error) {
    try {
      ops.unlink(temporary);
    } catch {
      // Never made (create failed before open), or gone already (the rename happened).
    }
    throw error;
  }
}

function run(step: Step, ops: WriteOps, undo: (() => void)[]): void {
  for (const dir of step.folders) {
    if (existsSync(dir)) continue;
    ops.mkdir(dir);
    undo.push(() => ops.rmdir(dir));
  }
  // What is there now, read as late as possible (checkTree never reads it): the bytes to put back.
  const old = step.existing && { bytes: readFileSync(step.target), mode: step.existing.mode & 0o7777, uid: step.existing.uid, gid: step.existing.gid };
  if (step.verb === 'remove') {
    ops.unlink(step.target);
    undo.push(() => place(step.target, old!.bytes, old!.mode, old, ops));
    return;
  }
  place(step.target, step.bytes!, step.mode, old, ops);
  undo.push(old ? () => place(step.target, old.bytes, old.mode, old, ops) : () => ops.unlink(step.target));
}
