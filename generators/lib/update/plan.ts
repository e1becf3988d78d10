// What `update` does to each file: a pure decision from the new output, the record of what the
// generator wrote last time, the files now, and the merge bases the repository still holds.
// Files are bytes: a user's edit that is not UTF-8 survives a merge byte for byte, and a binary
// file is never merged as text.
import type { RenderedFile } from '../plan/index.js';
import { mergeBytes } from './merge.js';
import { blobId } from './record.js';

export type Fate =
  | 'unchanged' // the file already holds the new output
  | 'updated' // untouched since the generator wrote it: replaced by the new output
  | 'merged' // edited, and the new output merged in cleanly
  | 'conflict' // edited where the new output changes too: conflict markers written
  | 'added' // a new file of the template
  | 'kept-deleted' // the generator wrote it, you deleted it: left deleted
  | 'removed' // no longer produced, and untouched: deleted
  | 'kept'; // no longer produced, but edited: left as it is

export interface FileUpdate {
  destination: string;
  fate: Fate;
  /** What the file will hold (absent for kept-deleted, removed and kept). */
  bytes?: Buffer;
  /** 0o755 for an executable. */
  mode?: number;
  /** The file now, for a diff. */
  before?: Buffer;
  conflicts?: number;
  /** Why there was no three-way merge, or why the file is a conflict without one. */
  note?: string;
}

export interface UpdateInputs {
  rendered: readonly Pick<RenderedFile, 'destination' | 'bytes' | 'mode'>[];
  /** destination → blob id of what the generator wrote last time. */
  record: Readonly<Record<string, string>>;
  /** The file now, or undefined when it does not exist. */
  read: (destination: string) => Buffer | undefined;
  /** The content of a blob id, or undefined when the repository does not hold it. */
  base: (id: string) => Buffer | undefined;
}

/** The markers a conflicting update writes (see mergeBytes), as whole lines. */
const MARKER_START = /^<<<<<<< yours$/gm;
const MARKER_END = /^>>>>>>> generator$/m;

/** Conflict blocks an earlier update left in a file and nobody resolved: 0 when there are none. */
export function leftoverConflicts(bytes: Buffer): number {
  const text = bytes.toString('latin1');
  return MARKER_END.test(text) ? (text.match(MARKER_START)?.length ?? 0) : 0;
}

/** git's own test: a NUL byte in the first 8000 bytes makes a file binary. */
export function isBinary(bytes: Buffer): boolean {
  return bytes.subarray(0, 8000).includes(0);
}

export function planUpdate({ rendered, record, read, base }: UpdateInputs): FileUpdate[] {
  const out: FileUpdate[] = [];
  for (const file of rendered) {
    const now = read(file.destination);
    const recorded = record[file.destination];
    const next = { destination: file.destination, bytes: file.bytes, ...(file.mode ? { mode: file.mode } : {}) };
    const leftover = now === undefined ? 0 : leftoverConflicts(now);
    if (now === undefined) {
      out.push(recorded === undefined ? { ...next, fate: 'added' } : { destination: file.destination, fate: 'kept-deleted' });
    } else if (leftover > 0) {
      // Committed with an earlier update's markers still in it: that conflict is not resolved.
      out.push({ ...next, bytes: now, fate: 'conflict', before: now, conflicts: leftover, note: 'unresolved markers from an earlier update' });
    } else if (now.equals(file.bytes)) {
      out.push({ ...next, fate: 'unchanged' });
    } else if (recorded !== undefined && blobId(now) === recorded) {
      out.push({ ...next, fate: 'updated', before: now });
    } else if (recorded !== undefined && blobId(file.bytes) === recorded) {
      // The generator's output is what it was: your edits are the only change, base or no base.
      out.push({ ...next, bytes: now, fate: 'unchanged', before: now });
    } else {
      out.push(merge(next, now, recorded === undefined ? undefined : base(recorded)));
    }
  }
  const produced = new Set(rendered.map((f) => f.destination));
  for (const [destination, id] of Object.entries(record)) {
    if (produced.has(destination)) continue;
    const now = read(destination);
    if (now === undefined) continue;
    out.push(blobId(now) === id ? { destination, fate: 'removed', before: now } : { destination, fate: 'kept', before: now });
  }
  return out;
}

/** An edited file whose output changed too: a three-way merge, or a conflict when there can be none. */
function merge(next: { destination: string; bytes: Buffer; mode?: number }, now: Buffer, baseBytes: Buffer | undefined): FileUpdate {
  if (isBinary(now) || isBinary(next.bytes) || (baseBytes !== undefined && isBinary(baseBytes))) {
    return { ...next, bytes: now, fate: 'conflict', before: now, conflicts: 1, note: 'a binary file is never merged: yours is kept, the generator has a new one' };
  }
  // Without the base, the whole file is one conflict: yours against the new output.
  const merged = mergeBytes(baseBytes ?? Buffer.alloc(0), now, next.bytes);
  const fate = merged.conflicts > 0 ? 'conflict' : merged.bytes.equals(now) ? 'unchanged' : 'merged';
  return {
    ...next,
    bytes: merged.bytes,
    fate,
    before: now,
    conflicts: merged.conflicts,
    ...(baseBytes === undefined ? { note: 'no merge base: the file was never committed, or was not generated' } : {}),
  };
}

/** Fates that write or delete a file. */
export const CHANGES: ReadonlySet<Fate> = new Set(['updated', 'merged', 'conflict', 'added', 'removed']);
