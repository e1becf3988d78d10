// Shared test helpers: running the generator in a temp folder, listing what it wrote.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import helpers, { type RunResult } from 'yeoman-test';

export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const APP_GENERATOR = path.join(PACKAGE_ROOT, 'generators/app/index.js');

/** Temp folders made while a test (or a beforeEach hook) runs: removed when it ends (hooks.ts). */
const madeInTest: string[] = [];
let inTest = false;

/**
 * A fresh folder under the run's temp folder. One made while a test runs is removed when the test
 * ends; one made in a `before` hook is its suite's to remove (`cleanup` in `after`).
 */
export function tempDir(prefix = 'dockergo-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  if (inTest) madeInTest.push(dir);
  return dir;
}

/** A folder that outlives the test that asks for it first (the packed package): its owner removes it. */
export function lastingTempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** The root hooks' marks: a test starts, a test ends (its temp folders go). */
export function testStarts(): void {
  inTest = true;
}
export function testEnds(): void {
  inTest = false;
  for (const dir of madeInTest.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function cleanup(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Every file below dir, relative and sorted (folders left out). */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (sub: string): void => {
    for (const entry of readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = sub === '' ? entry.name : `${sub}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== '.git') walk(rel);
      } else out.push(rel);
    }
  };
  walk('');
  return out.sort();
}

/** Bytes in the files below dir. */
export function bytesBelow(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return total;
}

/** Awaits a command run with reject: false and all: true; it must exit 0, else its output's tail is the failure. */
export async function ok<R extends { exitCode?: number | undefined; all: string }>(result: PromiseLike<R>, what: string): Promise<R> {
  const r = await result;
  assert.equal(r.exitCode, 0, `${what} failed (exit ${r.exitCode}):\n${r.all.slice(-3000)}`);
  return r;
}

export function read(dir: string, file: string): string {
  return readFileSync(path.join(dir, file), 'utf8');
}

export function isExecutable(dir: string, file: string): boolean {
  return (statSync(path.join(dir, file)).mode & 0o111) !== 0;
}

export type Options = Record<string, unknown>;

/** A yeoman-test run of dockergo:app in `dir`, on these options (our flags, camelCased). */
export function runApp(dir: string, options: Options) {
  // yeoman-test types options as Yeoman's base options; ours come from the input table.
  return helpers.run(APP_GENERATOR, { namespace: 'dockergo:app' }).cd(dir).withOptions(options);
}

/** Runs dockergo:app non-interactively on flags, in `dir` (a new temp folder by default). */
export async function generate(options: Options, dir = tempDir()): Promise<{ dir: string; result: RunResult }> {
  const result = await runApp(dir, { yes: true, skipInstall: true, goVersion: '1.26.8', ...options });
  return { dir, result };
}

/** Runs the generator expecting a failure; returns the error and the folder it ran in. */
export async function generateFailing(options: Options, answers?: Record<string, unknown>): Promise<{ dir: string; error: Error }> {
  const dir = tempDir();
  const context = runApp(dir, { skipInstall: true, goVersion: '1.26.8', yes: answers === undefined, ...options });
  if (answers) context.withAnswers(answers);
  try {
    await context;
  } catch (error) {
    return { dir, error: error as Error };
  }
  throw new Error(`generator succeeded on ${JSON.stringify({ options, answers })}`);
}

/**
 * Runs a printed `generator-dockergo --yes --flag value …` command (values without spaces)
 * through yeoman-test in a new folder, and asserts it writes the same files as `dir` holds.
 */
export async function assertCommandReproduces(command: string, dir: string): Promise<void> {
  const words = command.split(' ').slice(2);
  const options: Options = {};
  const camel = (flag: string): string => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  for (let i = 0; i < words.length; i++) {
    const flag = words[i]!.slice(2);
    const value = words[i + 1];
    // An on/off flag (--compose, --no-compose) takes no value.
    if (value === undefined || value.startsWith('--')) options[camel(flag.replace(/^no-/, ''))] = !flag.startsWith('no-');
    else options[camel(flag)] = words[++i];
  }
  const { dir: again } = await generate(options);
  for (const file of listFiles(dir)) assert.equal(read(again, file), read(dir, file), file);
}

/**
 * Everything below dir: each folder (mode), file (mode and bytes) and link (target), keyed by
 * relative path. Two equal snapshots mean nothing was created, changed or removed.
 */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    const rel = path.relative(dir, full);
    if (entry.isSymbolicLink()) out[rel] = `link -> ${readlinkSync(full)}`;
    else if (entry.isDirectory()) out[rel] = `folder ${(statSync(full).mode & 0o7777).toString(8)}`;
    // latin1: one character per byte, so bytes that are not UTF-8 compare exactly.
    else out[rel] = `${(statSync(full).mode & 0o7777).toString(8)} ${readFileSync(full, 'latin1')}`;
  }
  return out;
}

/**
 * The files below dir in which a marker occurs, gzip blobs (layers) read decompressed; tar
 * archives are read as they are, which holds their members' bytes.
 */
export function findMarker(dir: string, marker: string): string[] {
  const found: string[] = [];
  const walk = (sub: string): void => {
    for (const entry of readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = path.join(sub, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (entry.isFile()) {
        let bytes = readFileSync(path.join(dir, rel));
        if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
        if (bytes.includes(marker)) found.push(rel);
      }
    }
  };
  walk('');
  return found;
}
