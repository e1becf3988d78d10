// The record of what a run wrote, so that a later `update` has its merge base: each file's git
// blob id goes into .yo-rc.json, and the content into the repository's object database. A blob
// id is what git itself would name the content, so a committed file finds its base even when
// the object was never written here.
import { createHash } from 'node:crypto';
import { execaSync } from 'execa';

/** git's blob id: sha1 of "blob <bytes>\0<content>" (a SHA-256 repository is refused by readBlob's `git cat-file`). */
export function blobId(content: Uint8Array | string): string {
  const body = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return createHash('sha1').update(`blob ${body.length}\0`).update(body).digest('hex');
}

/** Whether dir is inside a git work tree (with a usable `git`). */
export function inGitRepo(dir: string): boolean {
  try {
    return execaSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: dir, reject: false }).stdout === 'true';
  } catch {
    return false;
  }
}

/** Has git write each content into the repository's object database (`git hash-object -w`); a no-op outside a repository. */
export function storeBlobs(dir: string, contents: readonly (Uint8Array | string)[]): void {
  if (contents.length === 0 || !inGitRepo(dir)) return;
  for (const input of contents) execaSync('git', ['hash-object', '-w', '--stdin'], { cwd: dir, input, reject: false });
}

/** The content of a blob, or undefined when the repository does not hold it (or there is none). */
export function readBlob(dir: string, id: string): Buffer | undefined {
  if (!/^[0-9a-f]{40}$/.test(id)) return undefined;
  try {
    const result = execaSync('git', ['cat-file', 'blob', id], { cwd: dir, reject: false, stripFinalNewline: false, encoding: 'buffer' });
    return result.exitCode === 0 ? Buffer.from(result.stdout as Uint8Array) : undefined;
  } catch {
    return undefined;
  }
}
