// Containment: a destination is a path inside the project, as the generator itself could have
// written it, with no symbolic link in any element and no way into .git/. Checked element by
// element with lstat (never stat, which follows links), from the project root down.
import { lstatSync, type Stats } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../answers.js';

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

/** What lies at a destination: nothing, or a regular file (with its lstat). */
export type Found = { kind: 'none'; missingFrom: number } | { kind: 'file'; stat: Stats };

function lstat(file: string): Stats | undefined {
  try {
    return lstatSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError(`cannot read ${file}: ${reason(error)}`);
  }
}

/**
 * Checks one destination against the rule and the disk: every folder on the way is a real
 * folder (no link), and the destination itself is a regular file or nothing. `what` names it in
 * the error ("--config x.yaml", ".yo-rc.json files key"). `missingFrom` is the index of the first
 * element that does not exist yet (its folders are to be made).
 */
export function contained(root: string, destination: string, what: string = destination): Found {
  const broken = pathRule(destination);
  if (broken) throw new UsageError(`${what}: ${JSON.stringify(destination)} ${broken}`);
  const elements = destination.split('/');
  for (let i = 0; i < elements.length; i++) {
    const rel = elements.slice(0, i + 1).join('/');
    const found = lstat(path.join(root, rel));
    if (found === undefined) return { kind: 'none', missingFrom: i };
    if (found.isSymbolicLink()) {
      throw new UsageError(`${what}: ${rel} is a symbolic link in the project: the generator follows no link (replace it with a real ${i < elements.length - 1 ? 'folder' : 'file'})`);
    }
    const last = i === elements.length - 1;
    if (!last && !found.isDirectory()) throw new UsageError(`${what}: ${rel} is a file in the project, so nothing can be written below it`);
    if (last && found.isDirectory()) throw new UsageError(`${what}: is a folder in the project, not a file`);
    if (last && !found.isFile()) throw new UsageError(`${what}: is not a regular file`);
    if (last) return { kind: 'file', stat: found };
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
