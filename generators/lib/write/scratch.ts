// A private scratch folder outside the project (git merge-file's three inputs, a go.mod copy for
// go list): made under the system's temp folder, filled through the one writer, and removed
// whatever happens.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeTree } from './tree.js';

export function withScratch<T>(files: Record<string, Uint8Array | string>, use: (dir: string) => T): T {
  const dir = mkdtempSync(path.join(tmpdir(), 'dockergo-'));
  try {
    writeTree(dir, { files: Object.entries(files).map(([destination, bytes]) => ({ destination, bytes })) });
    return use(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A private scratch folder that outlives one call (fleet's work folder and its clones), under `parent`; removeScratch removes it. */
export function scratchFolder(prefix: string, parent: string = tmpdir()): string {
  return mkdtempSync(path.join(parent, prefix));
}

export function removeScratch(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
