// REPOS: one repository a line, read as data. Each line is checked alone (a bad one is one line of
// the report, and the others still run); a local path passes the one containment check; a shard
// takes the lines whose hash (of the line, credentials masked) falls in its share: the same share on
// every run and every machine.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { invalidLine, isUserError, UsageError } from '../errors.js';
import { checkGitSource, maskCredentials, type GitSource } from '../rules/index.js';
import { contained } from '../write/contain.js';

export interface RepoEntry {
  /** Its line number in REPOS. */
  line: number;
  /** The line as given, credentials masked: how the report names it. */
  repository: string;
  /** What to clone: a URL, or a local repository's absolute path. */
  source?: GitSource;
  /** Why the line is refused. */
  error?: string;
}

/** REPOS's text: from a file, or stdin for "-"; relative local paths are relative to the file's folder (stdin: the current one). */
export async function readRepos(spec: string, readStdin: () => Promise<string>): Promise<{ text: string; base: string }> {
  if (spec === '-') return { text: await readStdin(), base: process.cwd() };
  try {
    return { text: readFileSync(spec, 'utf8'), base: path.dirname(path.resolve(spec)) };
  } catch (error) {
    throw new UsageError(`REPOS ${spec}: cannot read it: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

export function parseRepos(text: string, base: string): RepoEntry[] {
  const entries: RepoEntry[] = [];
  const seen = new Map<string, number>();
  text.replace(/^\uFEFF/, '').split(/\r?\n/).forEach((raw, i) => {
    const value = raw.trim();
    if (value === '' || value.startsWith('#')) return;
    const entry: RepoEntry = { line: i + 1, repository: maskCredentials(value) };
    entries.push(entry);
    const checked = checkGitSource(value);
    if (!checked.ok) {
      entry.error = invalidLine(`REPOS line ${i + 1}`, maskCredentials(value), checked);
      return;
    }
    try {
      entry.source = checked.value.kind === 'path' ? { kind: 'path', text: localRepository(base, checked.value.text, i + 1) } : checked.value;
    } catch (error) {
      if (!isUserError(error)) throw error;
      entry.error = (error as Error).message;
      return;
    }
    const key = entry.source.text;
    const first = seen.get(key);
    if (first !== undefined) entry.error = `REPOS line ${i + 1}: ${entry.repository} is listed again (first on line ${first}): each repository runs once`;
    else seen.set(key, i + 1);
  });
  return entries;
}

/** A local repository: a folder, reached through no symbolic link (the one containment check), as an absolute path. */
function localRepository(base: string, given: string, line: number): string {
  const absolute = path.resolve(base, given);
  const top = path.parse(absolute).root;
  const [root, relative] = absolute.startsWith(base + path.sep) ? [base, path.relative(base, absolute)] : [top, absolute.slice(top.length)];
  const found = contained(root, relative.split(path.sep).join('/'), `REPOS line ${line}: ${given}`, { within: root === base ? "the REPOS file's folder" : 'the file system', expect: 'folder' });
  if (found.kind === 'none') throw new UsageError(`REPOS line ${line}: ${given}: no such folder (a local repository, or a git URL)`);
  return absolute;
}

/** This run's share of the list: the entries whose line text hashes into share `index` of `count`. */
export function shardOf(entries: readonly RepoEntry[], shard: { index: number; count: number } | undefined): RepoEntry[] {
  if (!shard) return [...entries];
  return entries.filter((e) => {
    const hash = createHash('sha256').update(e.repository).digest();
    return hash.readUInt32BE(0) % shard.count === shard.index - 1;
  });
}
