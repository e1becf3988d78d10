// The record of what a run wrote, so that a later `update` has its merge base: each file's git
// blob id goes into .yo-rc.json, and the content into the repository's object database. A blob
// id is what git itself would name the content, so a committed file finds its base even when
// the object was never written here.
import { createHash } from 'node:crypto';
import { execaSync } from 'execa';

/** git's blob id: sha1 of "blob <bytes>\0<content>" (a SHA-256 repository is refused by readBlob's `git cat-file`). */
export function blobId(text: string): string {
  const body = Buffer.from(text, 'utf8');
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

/** Writes each text into the repository's object database (`git hash-object -w`); a no-op outside a repository. */
export function storeBlobs(dir: string, texts: readonly string[]): void {
  if (texts.length === 0 || !inGitRepo(dir)) return;
  for (const text of texts) execaSync('git', ['hash-object', '-w', '--stdin'], { cwd: dir, input: text, reject: false });
}

/** The content of a blob, or undefined when the repository does not hold it (or there is none). */
export function readBlob(dir: string, id: string): string | undefined {
  if (!/^[0-9a-f]{40}$/.test(id)) return undefined;
  try {
    const result = execaSync('git', ['cat-file', 'blob', id], { cwd: dir, reject: false, stripFinalNewline: false, encoding: 'utf8' });
    return result.exitCode === 0 ? String(result.stdout) : undefined;
  } catch {
    return undefined;
  }
}
