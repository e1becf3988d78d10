// The record of what a run wrote, so that a later `update` has its merge base: each file's git
// blob id goes into .yo-rc.json, and the content into the repository's object database. A blob
// id is what git itself would name the content, so a committed file finds its base even when
// the object was never written here.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execaSync } from 'execa';
import { UsageError } from '../errors.js';
import { toRaw, type Answers } from '../inputs/index.js';
import type { GeneratorName } from './project.js';
import { contained, pathRule } from '../write/contain.js';

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
    return result.exitCode === 0 ? Buffer.from(result.stdout) : undefined;
  } catch {
    return undefined;
  }
}

/** A file in the project now (never through a link), or undefined when there is none. */
export function readProjectFile(root: string, file: string): Buffer | undefined {
  return contained(root, file).kind === 'file' ? readFileSync(path.join(root, file)) : undefined;
}

/**
 * .yo-rc.json's `files`: destination → blob id. Each key must be a project path the generator
 * could have written (`could`): a forged key ("../victim", ".git/config") would have update
 * delete or overwrite it.
 */
export function checkRecord(value: unknown, could: (destination: string) => boolean): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError('.yo-rc.json files: must be an object of file → git blob id');
  const out: Record<string, string> = {};
  for (const [key, id] of Object.entries(value)) {
    const where = `.yo-rc.json files: ${JSON.stringify(key)}`;
    const broken = pathRule(key);
    if (broken) throw new UsageError(`${where} ${broken}: not a file the generator could have written`);
    if (!could(key)) throw new UsageError(`${where}: not a file this generator writes: remove it from the record`);
    if (typeof id !== 'string' || !/^[0-9a-f]{40}$/.test(id)) throw new UsageError(`${where}: ${JSON.stringify(id)} is not a git blob id (40 hex digits)`);
    out[key] = id;
  }
  return out;
}

/** What a project's .yo-rc.json record is made of, besides the files written. */
export interface RecordInputs {
  answers: Answers;
  /** What .yo-rc.json held for this generator: keys this run does not set are kept. */
  stored: Readonly<Record<string, unknown>>;
  /** Keys of the generator's own (dockergo:docker's main package). */
  extra: Readonly<Record<string, unknown>>;
  /** Keys left out (dockergo:docker's goVersion, which go.mod gives on every run). */
  omit: readonly string[];
  preset: { spec: string; dir: string; name: string; version: string | undefined } | undefined;
  root: string;
  generator: GeneratorName;
  version: string;
}

/**
 * The answers, the preset (a path relative to the project) and each written file's git blob id
 * (`update`'s merge base), as .yo-rc.json holds them. A fixed key order (answers, other stored
 * keys, preset, the generator's own record), so that a re-run with the same answers writes the
 * same .yo-rc.json.
 */
export function projectRecord(inputs: RecordInputs, files: ReadonlyMap<string, Buffer>): Record<string, unknown> {
  const own = new Set(['preset', 'presetName', 'presetVersion', 'generator', 'generatorVersion', 'files']);
  const record: Record<string, unknown> = { ...toRaw(inputs.answers) };
  for (const [key, value] of Object.entries(inputs.stored)) if (!(key in record) && !own.has(key)) record[key] = value;
  Object.assign(record, inputs.extra);
  const { preset } = inputs;
  if (preset) {
    const isPath = existsSync(path.resolve(process.cwd(), preset.spec));
    record['preset'] = isPath ? path.relative(inputs.root, preset.dir) || '.' : preset.spec;
    record['presetName'] = preset.name;
    if (preset.version) record['presetVersion'] = preset.version;
  }
  for (const key of inputs.omit) delete record[key];
  record['generator'] = inputs.generator;
  record['generatorVersion'] = inputs.version;
  record['files'] = Object.fromEntries([...files].sort(([a], [b]) => a.localeCompare(b)).map(([file, bytes]) => [file, blobId(bytes)]));
  return record;
}
