// Plan, then write: every path a run will write is checked against the others and against
// the disk before the first byte is written, so bad input can never half-write a project.
import { existsSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { contained } from './contain.js';

/** Linux's limits: NAME_MAX for one path element, PATH_MAX for a whole path. */
export const NAME_MAX = 255;
export const PATH_MAX = 4095;

export interface PlannedPath {
  /** "/"-separated, relative to the project root. */
  destination: string;
  /** The input that chose this path, for the error (e.g. "--config"); built-in files have none. */
  source?: string;
  /** A file kept when it exists (config stubs): an existing file is fine, a folder is not. */
  keepExisting?: boolean;
}

/** A file of the plan: the template that renders it, and where it goes. */
export interface PlannedFile extends PlannedPath {
  /** Relative to templates/ (or absolute, for a preset's overlay). */
  template: string;
  executable?: boolean;
  /** Data for this file alone, beside the shared template data. */
  extra?: Record<string, unknown>;
}

/** What a path is, following links: only for the project folder's own ancestors. */
function stat(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

const named = (p: PlannedPath): string => (p.source ? `${p.source} ${p.destination}` : p.destination);

/** The project folder itself: no element too long, and nothing in the way that is not a folder. */
export function checkFolder(folder: string, where: string): string {
  const absolute = path.resolve(folder);
  const tooLong = absolute.split(path.sep).find((e) => Buffer.byteLength(e) > NAME_MAX);
  if (tooLong !== undefined) throw new UsageError(`${where}: ${JSON.stringify(folder)}: a path element is over ${NAME_MAX} bytes`);
  if (Buffer.byteLength(absolute) > PATH_MAX - 256) throw new UsageError(`${where}: ${JSON.stringify(folder)}: the path is too long to hold a project`);
  for (let dir = absolute; ; dir = path.dirname(dir)) {
    const found = stat(dir);
    if (found && !found.isDirectory()) {
      throw new UsageError(`${where}: ${JSON.stringify(folder)}: ${dir} is a file, not a folder`);
    }
    if (found || path.dirname(dir) === dir) break;
  }
  return absolute;
}

/**
 * Checks a plan before anything is written: each path's length, one path under another
 * (a file where a folder must go), and the disk (a folder where a file goes, or a file
 * where a folder goes). Throws one line naming the input that chose the bad path.
 */
export function checkPlan(root: string, plan: readonly PlannedPath[]): void {
  const byDestination = new Map(plan.map((p) => [p.destination, p]));
  for (const p of plan) {
    const elements = p.destination.split('/');
    const long = elements.find((e) => Buffer.byteLength(e) > NAME_MAX);
    if (long !== undefined) throw new UsageError(`${named(p)}: the element ${JSON.stringify(long.slice(0, 40) + '…')} is over ${NAME_MAX} bytes`);
    if (Buffer.byteLength(path.join(root, p.destination)) > PATH_MAX) throw new UsageError(`${named(p)}: the path is over ${PATH_MAX} bytes`);
    // A planned file at a folder of this path: "cmd" beside "cmd/app/main.go".
    for (let i = 1; i < elements.length; i++) {
      const parent = byDestination.get(elements.slice(0, i).join('/'));
      if (parent) {
        const culprit = parent.source ? parent : p;
        const other = culprit === p ? parent : p;
        throw new UsageError(`${named(culprit)}: clashes with ${other.destination}, which is written too: a file cannot also be a folder; choose another path`);
      }
    }
    checkOnDisk(root, p);
  }
}

/** The disk, lstat all the way down: a link in any element, a file where a folder goes, or a folder where a file goes. */
function checkOnDisk(root: string, p: PlannedPath): void {
  if (!existsSync(root)) return;
  contained(root, p.destination, named(p));
}
