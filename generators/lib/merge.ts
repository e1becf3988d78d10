// Three-way merge of one file, with git's own merge (`git merge-file`): what the generator wrote
// last time is the base, the file now is "yours", the new output is "generator".
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execaSync } from 'execa';

export interface Merged {
  text: string;
  /** Conflicting hunks, marked in `text` with <<<<<<< yours / >>>>>>> generator. */
  conflicts: number;
}

export function mergeText(base: string, ours: string, theirs: string): Merged {
  const dir = mkdtempSync(path.join(tmpdir(), 'dockergo-merge-'));
  try {
    const files = { ours: path.join(dir, 'yours'), base: path.join(dir, 'base'), theirs: path.join(dir, 'generator') };
    writeFileSync(files.ours, ours);
    writeFileSync(files.base, base);
    writeFileSync(files.theirs, theirs);
    // Without -p the result replaces "yours" in place; its exit status is the number of conflicts.
    const result = execaSync('git', ['merge-file', '-L', 'yours', '-L', 'generated before', '-L', 'generator', files.ours, files.base, files.theirs], {
      reject: false,
    });
    if (result.exitCode === undefined || result.exitCode < 0) throw new Error(`git merge-file failed: ${String(result.stderr)}`);
    return { text: readFileSync(files.ours, 'utf8'), conflicts: result.exitCode };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
