// Three-way merge of one file, with git's own merge (`git merge-file`), on bytes: what the
// generator wrote last time is the base, the file now is "yours", the new output is "generator".
import { execaSync } from 'execa';
import { withScratch } from '../write/scratch.js';

export interface Merged {
  bytes: Buffer;
  /** Conflicting hunks, marked in `bytes` with <<<<<<< yours / >>>>>>> generator. */
  conflicts: number;
}

export function mergeBytes(base: Uint8Array, ours: Uint8Array, theirs: Uint8Array): Merged {
  return withScratch({ yours: ours, base, generator: theirs }, (dir) => {
    // -p prints the result; the exit status is the number of conflicts.
    const result = execaSync('git', ['merge-file', '-p', '-L', 'yours', '-L', 'generated before', '-L', 'generator', 'yours', 'base', 'generator'], {
      cwd: dir,
      reject: false,
      encoding: 'buffer',
      stripFinalNewline: false,
    });
    if (result.exitCode === undefined || result.exitCode < 0 || result.exitCode > 127) {
      throw new Error(`git merge-file failed: ${Buffer.from(result.stderr).toString()}`);
    }
    return { bytes: Buffer.from(result.stdout), conflicts: result.exitCode };
  });
}
