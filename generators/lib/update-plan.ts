// What `update` does to each file: a pure decision from the new output, the record of what the
// generator wrote last time, the files now, and the merge bases the repository still holds.
import { mergeText } from './merge.js';
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

export interface RenderedFile {
  destination: string;
  text: string;
  executable: boolean;
}

export interface FileUpdate {
  destination: string;
  fate: Fate;
  /** What the file will hold (absent for kept-deleted, removed and kept). */
  text?: string;
  executable?: boolean;
  /** The file now, for a diff. */
  before?: string;
  conflicts?: number;
  /** Why there was no three-way merge (the base is not in the repository). */
  note?: string;
}

export interface UpdateInputs {
  rendered: readonly RenderedFile[];
  /** destination → blob id of what the generator wrote last time. */
  record: Readonly<Record<string, string>>;
  /** The file now, or undefined when it does not exist. */
  read: (destination: string) => string | undefined;
  /** The content of a blob id, or undefined when the repository does not hold it. */
  base: (id: string) => string | undefined;
}

export function planUpdate({ rendered, record, read, base }: UpdateInputs): FileUpdate[] {
  const out: FileUpdate[] = [];
  for (const file of rendered) {
    const now = read(file.destination);
    const recorded = record[file.destination];
    const next = { destination: file.destination, text: file.text, executable: file.executable };
    if (now === undefined) {
      out.push(recorded === undefined ? { ...next, fate: 'added' } : { destination: file.destination, fate: 'kept-deleted' });
    } else if (now === file.text) {
      out.push({ ...next, fate: 'unchanged' });
    } else if (recorded !== undefined && blobId(now) === recorded) {
      out.push({ ...next, fate: 'updated', before: now });
    } else if (recorded !== undefined && blobId(file.text) === recorded) {
      // The generator's output is what it was: your edits are the only change, base or no base.
      out.push({ ...next, text: now, fate: 'unchanged', before: now });
    } else {
      const baseText = recorded === undefined ? undefined : base(recorded);
      // Without the base, the whole file is one conflict: yours against the new output.
      const merged = mergeText(baseText ?? '', now, file.text);
      const fate = merged.conflicts > 0 ? 'conflict' : merged.text === now ? 'unchanged' : 'merged';
      out.push({
        ...next,
        text: merged.text,
        fate,
        before: now,
        conflicts: merged.conflicts,
        ...(baseText === undefined ? { note: 'no merge base: the file was never committed, or was not generated' } : {}),
      });
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

/** Fates that write or delete a file. */
export const CHANGES: ReadonlySet<Fate> = new Set(['updated', 'merged', 'conflict', 'added', 'removed']);
