// Git's rules, for `fleet`: a repository line (a git URL or a local path, never a transport that runs
// a command nor a value git could read as an option), a branch name as `git check-ref-format` takes
// it, a push option, a shard, a number of jobs; and URL credentials masked in anything printed.
import { badCharacter, describeChar, fail, ok, overLimit, type Checked } from '../errors.js';

export const SOURCE_RULE =
  'a git URL (https://, ssh://, file://, or user@host:path) or a local path, with no blank, control character or "::" transport, not starting with "-"';

export interface GitSource {
  /** "url": for git clone; "path": a local repository (a folder). */
  kind: 'url' | 'path';
  text: string;
}

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;
const SCP = /^(?:[A-Za-z0-9._~-]+@)?[A-Za-z0-9.-]+:(?!\/\/)[^:]*$/;

/** One line of REPOS, trimmed and not a comment: a URL git may clone, or a local path. */
export function checkGitSource(line: string): Checked<GitSource> {
  if (line.startsWith('-')) return fail(SOURCE_RULE, 'starts with "-", which git reads as an option');
  const transport = /^([A-Za-z0-9+.-]*)::/.exec(line) ?? /::/.exec(line);
  if (transport) return fail(SOURCE_RULE, `names a transport with "::"${transport[1] ? ` (${transport[1]}::, which runs a command)` : ''}`);
  const control = badCharacter(line, /[^\p{Cc}\s]/u);
  if (control) return fail(SOURCE_RULE, control);
  const scheme = SCHEME.exec(line)?.[1]?.toLowerCase();
  if (scheme !== undefined) {
    if (!['https', 'ssh', 'file'].includes(scheme)) return fail(SOURCE_RULE, `has the scheme ${scheme}://, which fleet does not clone from (https, ssh, file)`);
    if (line.length <= scheme.length + 3) return fail(SOURCE_RULE, 'is a scheme with nothing after it');
    return ok({ kind: 'url', text: line });
  }
  if (SCP.test(line) && !line.startsWith('.') && !line.startsWith('/')) return ok({ kind: 'url', text: line });
  return ok({ kind: 'path', text: line });
}

/** A URL's user and password, masked wherever they appear in text ("https://***@host/x"). */
export function maskCredentials(text: string): string {
  return text.replace(/([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/@\s'"]*@/g, '$1***@');
}

export const BRANCH_RULE =
  'a branch name as git takes it: no blank, control character or any of ~ ^ : ? * [ \\, no "..", "@{" or "//", not starting with "-" or ".", not ending with "/", "." or ".lock"';

/** `git check-ref-format --branch`'s rules, as a pure check. */
export function checkBranch(raw: string): Checked<string> {
  const name = raw.trim();
  if (name === '') return fail(BRANCH_RULE, 'is empty');
  if (name.length > 200) return fail(BRANCH_RULE, overLimit(name.length, 200));
  const bad = [...name].findIndex((c) => /[\p{Cc} ~^:?*[\\]/u.test(c));
  if (bad >= 0) return fail(BRANCH_RULE, `has ${describeChar([...name][bad]!)} at position ${bad + 1}`);
  if (name.startsWith('-')) return fail(BRANCH_RULE, 'starts with "-"');
  for (const [text, what] of [['..', '".."'], ['@{', '"@{"'], ['//', '"//"']] as const) if (name.includes(text)) return fail(BRANCH_RULE, `has ${what}`);
  if (name === '@') return fail(BRANCH_RULE, 'is "@"');
  if (name.endsWith('/') || name.endsWith('.')) return fail(BRANCH_RULE, `ends with "${name.at(-1)}"`);
  const element = name.split('/').find((e) => e.startsWith('.') || e.endsWith('.lock'));
  if (element !== undefined) return fail(BRANCH_RULE, `has the element ${JSON.stringify(element)}, which starts with "." or ends with ".lock"`);
  return ok(name);
}

export const PUSH_OPTION_RULE = 'a push option: one line of text (git push -o), such as merge_request.create';

export function checkPushOption(raw: string): Checked<string> {
  const bad = badCharacter(raw, /[^\p{Cc}]/u);
  if (bad) return fail(PUSH_OPTION_RULE, bad);
  if (raw === '') return fail(PUSH_OPTION_RULE, 'is empty');
  if (raw.length > 1000) return fail(PUSH_OPTION_RULE, overLimit(raw.length, 1000));
  return ok(raw);
}

export const SHARD_RULE = 'K/N: this run\'s share K of N, with 1 <= K <= N, e.g. 2/8';

export function checkShard(raw: string): Checked<{ index: number; count: number }> {
  const m = /^([0-9]+)\/([0-9]+)$/.exec(raw.trim());
  if (!m) return fail(SHARD_RULE, raw.trim() === '' ? 'is empty' : 'is not K/N');
  const [index, count] = [Number(m[1]), Number(m[2])];
  if (count < 1 || count > 100_000) return fail(SHARD_RULE, `has N = ${count}, outside 1 to 100,000`);
  if (index < 1 || index > count) return fail(SHARD_RULE, `has K = ${index}, outside 1 to ${count}`);
  return ok({ index, count });
}

export const JOBS_RULE = 'a number of parallel jobs from 1 to 64';

export function checkJobs(raw: string): Checked<number> {
  const text = raw.trim();
  if (!/^[0-9]+$/.test(text)) return fail(JOBS_RULE, text === '' ? 'is empty' : 'is not a whole number');
  const jobs = Number(text);
  return jobs >= 1 && jobs <= 64 ? ok(jobs) : fail(JOBS_RULE, jobs < 1 ? 'is 0' : 'is over 64');
}
