// Containment: a path inside the project (or the module, or a preset's folder), as the generator
// itself could have written it, with no symbolic link in any element and no way into .git/.
// Checked element by element with lstat (never stat, which follows links), from the root down.
// Every path from outside goes through here: the writer's destinations, --config, --main, a
// preset's caCerts and templates, and the files a .yo-rc.json records.
import { existsSync, lstatSync, readdirSync, type Stats } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';

/**
 * Why a "/"-separated project path is not one the generator could write (undefined when it is):
 * absolute, empty elements, "." or "..", .git, a backslash or a control character.
 */
export function pathRule(destination: string): string | undefined {
  if (destination === '') return 'is empty';
  if (destination.startsWith('/')) return 'is absolute: every file lies inside the project';
  if (/[\p{Cc}\\]/u.test(destination)) return 'holds a control character or a backslash';
  const elements = destination.split('/');
  if (elements.some((e) => e === '')) return 'has an empty path element';
  if (elements.some((e) => e === '.' || e === '..')) return 'holds "." or "..": every file lies inside the project';
  if (elements.some((e) => e.toLowerCase() === '.git')) return 'lies inside .git/, which belongs to git';
  return undefined;
}

/** What lies at a path: nothing, or a regular file or folder (with its lstat). */
export type Found = { kind: 'none'; missingFrom: number } | { kind: 'file' | 'folder'; stat: Stats };

function lstat(file: string): Stats | undefined {
  try {
    return lstatSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError(`cannot read ${file}: ${reason(error)}`);
  }
}

export interface Containment {
  /** What the root is, for the error: "the project" (the default), "the module", "the preset folder". */
  within?: string;
  /** What the last element must be when it exists: a regular file (the default) or a folder. */
  expect?: 'file' | 'folder';
}

/**
 * The one containment check, for every path that reaches the generator from outside (a planned
 * file, --config, --main, a preset's caCerts and templates, a record's keys): the path follows
 * the rule (pathRule), every folder on the way is a real folder (no link, lstat all the way down),
 * and the last element is what `expect` says, or nothing. `what` names the path in the error
 * ("--config x.yaml", ".yo-rc.json files key"). `missingFrom` is the index of the first element
 * that does not exist yet (its folders are to be made).
 */
export function contained(root: string, relative: string, what: string = relative, { within = 'the project', expect = 'file' }: Containment = {}): Found {
  const broken = pathRule(relative);
  if (broken) throw new UsageError(`${what}: ${JSON.stringify(relative)} ${broken.replace('the project', within)}`);
  const elements = relative.split('/');
  for (let i = 0; i < elements.length; i++) {
    const rel = elements.slice(0, i + 1).join('/');
    const found = lstat(path.join(root, rel));
    if (found === undefined) return { kind: 'none', missingFrom: i };
    const last = i === elements.length - 1;
    if (found.isSymbolicLink()) {
      throw new UsageError(`${what}: ${rel} is a symbolic link in ${within}: the generator follows no link (replace it with a real ${!last || expect === 'folder' ? 'folder' : 'file'})`);
    }
    if (!last && !found.isDirectory()) throw new UsageError(`${what}: ${rel} is a file in ${within}, so nothing can lie below it`);
    if (!last) continue;
    if (expect === 'folder') {
      if (!found.isDirectory()) throw new UsageError(`${what}: is a file in ${within}, not a folder`);
      return { kind: 'folder', stat: found };
    }
    if (found.isDirectory()) throw new UsageError(`${what}: is a folder in ${within}, not a file`);
    if (!found.isFile()) throw new UsageError(`${what}: is not a regular file`);
    return { kind: 'file', stat: found };
  }
  throw new Error('internal: unreachable');
}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted (immutable, or not yours)',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EISDIR: 'is a folder',
  ENOTDIR: 'a path element is not a folder',
  EEXIST: 'already exists',
  ELOOP: 'is a symbolic link',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'the name is too long',
  EBUSY: 'busy',
};

/** A system error as the few words a person reads: "permission denied". */
export function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code && REASONS[code]) return REASONS[code];
  return code ?? (error as Error).message;
}

/** Every file below dir, as sorted "/"-separated relative paths; [] when dir does not exist. */
export function filesBelow(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => !e.isDirectory())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}
