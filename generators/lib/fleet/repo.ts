// One repository's turn: cloned into a private folder, checked or updated in this process exactly as
// `update` would, then (a clean update) committed on the branch and pushed, unless the branch already
// holds the same update. Whatever happens, one status and the clone gone.
import path from 'node:path';
import { isUserError } from '../errors.js';
import { maskCredentials } from '../rules/index.js';
import { NotAProjectError, updateHeadless } from '../run/headless.js';
import { versionText, type CheckResult, type CheckedFile } from '../update/index.js';
import { removeScratch } from '../write/scratch.js';
import type { Git } from './git.js';
import type { RepoEntry } from './repos.js';

export type Status = 'current' | 'updated' | 'already proposed' | 'behind' | 'conflicts' | 'not a dockergo project' | 'error';

export interface RepoReport {
  line: number;
  repository: string;
  status: Status;
  /** The branch pushed (or fetched into a local repository), for updated and already proposed. */
  branch?: string;
  generator?: CheckResult['generator'];
  preset?: CheckResult['preset'];
  files?: CheckedFile[];
  error?: string;
}

export interface RepoRun {
  git: Git;
  work: string;
  check: boolean;
  branch: string;
  pushOptions: readonly string[];
  update: Record<string, unknown>;
}

export async function runRepo(entry: RepoEntry, run: RepoRun, index: number): Promise<RepoReport> {
  const base = { line: entry.line, repository: entry.repository };
  if (entry.error || !entry.source) return { ...base, status: 'error', error: entry.error ?? 'no source' };
  const dir = path.join(run.work, `repo-${index}`);
  try {
    return { ...base, ...(await turn(entry, run, dir)) };
  } catch (error) {
    if (error instanceof NotAProjectError) return { ...base, status: 'not a dockergo project', error: error.message };
    const message = isUserError(error) ? (error as Error).message : `internal error: ${(error as Error).stack ?? String(error)}`;
    return { ...base, status: 'error', error: maskCredentials(message.split('\n')[0]!) };
  } finally {
    removeScratch(dir);
  }
}

async function turn(entry: RepoEntry, run: RepoRun, dir: string): Promise<Omit<RepoReport, 'line' | 'repository'>> {
  const { git, branch } = run;
  const source = entry.source!;
  await git.clone(source, dir);
  const main = await git.defaultBranch(dir);
  if (main === branch) throw new GitErrorLine(`--branch ${branch} is the repository's default branch, which fleet never writes: choose another`);
  const result = await updateHeadless(dir, run.update, run.check);
  const { check } = result;
  const versions = { generator: check.generator, preset: check.preset };
  const changing = check.files.filter((f) => f.action !== 'none');
  if (run.check) return { status: check.status, ...versions, files: check.files };
  if (changing.length === 0) return { status: 'current', ...versions, files: check.files };
  if (changing.some((f) => f.action === 'conflict')) return { status: 'conflicts', ...versions, files: changing.filter((f) => f.action === 'conflict') };
  const tree = await git.commit(dir, branch, commitMessage(check));
  if ((await git.remoteTree(dir, branch)) === tree) return { status: 'already proposed', branch, ...versions, files: check.files };
  if (source.kind === 'path') await git.fetchInto(source.text, dir, branch);
  else await git.push(dir, branch, run.pushOptions);
  return { status: 'updated', branch, ...versions, files: check.files };
}

class GitErrorLine extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The commit: the versions in the subject; the files, and why the preset changed, in the body. */
export function commitMessage(check: CheckResult): string {
  const files = check.files.filter((f) => f.action !== 'none').map((f) => `  ${f.action.padEnd(8)} ${f.path}${f.edited ? ' (edited locally: merged)' : ''}`);
  const changes = (check.preset?.changes ?? []).map((c) => `  ${c.version}: ${c.note}`);
  return [
    `generator-dockergo update: ${versionText(check)}`,
    '',
    'Files:',
    ...files,
    ...(changes.length > 0 ? ['', `Preset ${check.preset!.name}:`, ...changes] : []),
    '',
    'Made by generator-dockergo fleet: review it as any change, then merge.',
    '',
  ].join('\n');
}
