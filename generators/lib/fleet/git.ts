// Git, run safely on repositories from a list: only the https, ssh and file transports, no prompt
// for a credential that is not there, no hook and no fsmonitor of a cloned repository, an explicit
// end of options before every URL, and every line it prints with URL credentials masked.
import path from 'node:path';
import { execa } from 'execa';
import { oneLine } from '../errors.js';
import { maskCredentials, type GitSource } from '../rules/index.js';
import { scratchFolder } from '../write/scratch.js';

/** What every git of a fleet run gets, and the in-process update's git too (set once, for this process). */
export function fleetGitEnvironment(): Record<string, string> {
  return { GIT_TERMINAL_PROMPT: '0', GIT_ALLOW_PROTOCOL: 'https:ssh:file' };
}

export class GitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export class Git {
  /** An empty folder: core.hooksPath of every repository fleet touches, so that no hook runs. */
  private readonly hooks: string;

  constructor(work: string) {
    this.hooks = scratchFolder('no-hooks-', work);
  }

  /** The -c settings every command gets: no hook, no fsmonitor. */
  private safety(): string[] {
    return ['-c', `core.hooksPath=${this.hooks}`, '-c', 'core.fsmonitor=false', '-c', 'protocol.ext.allow=never'];
  }

  async run(cwd: string, args: string[], { input, what }: { input?: string; what?: string } = {}): Promise<string> {
    const result = await execa('git', [...this.safety(), ...args], { cwd, reject: false, ...(input === undefined ? {} : { input }), stripFinalNewline: true });
    if (result.exitCode !== 0) {
      const detail = String(result.stderr).split('\n').map((l) => l.trim()).filter((l) => l !== '' && !/^hint:/.test(l));
      const last = detail.find((l) => /^(fatal|error|!|remote: error)/.test(l)) ?? detail.at(-1) ?? `exit ${result.exitCode}`;
      // A server that refuses a push says why on remote: lines (a hook's message): the reason goes with it.
      const remote = detail.filter((l) => /^remote: \S/.test(l) && l !== last).map((l) => l.slice('remote: '.length)).join(' ');
      const why = last.startsWith('!') && remote !== '' ? `; the server said: ${remote.slice(0, 300)}` : '';
      throw new GitError(maskCredentials(oneLine(`${what ?? `git ${args[0]}`}: ${last.replace(/^fatal: /, '')}${why}`)));
    }
    return String(result.stdout);
  }

  /**
   * The default branch alone, into `dir`: a partial clone (every commit and tree, a blob only when
   * update asks for it: the merge bases sit in older commits, which --depth 1 would lack); a local
   * repository is cloned, never worked in.
   */
  async clone(source: GitSource, dir: string): Promise<void> {
    const filter = source.kind === 'url' ? ['--filter=blob:none'] : [];
    await this.run(path.dirname(dir), ['clone', '--quiet', '--single-branch', '--no-tags', ...filter, '-c', `core.hooksPath=${this.hooks}`, '-c', 'core.fsmonitor=false', '--', source.text, dir], { what: 'clone' });
  }

  async defaultBranch(dir: string): Promise<string> {
    return this.run(dir, ['symbolic-ref', '--short', 'HEAD']);
  }

  /** The tree of the remote's `branch`, or undefined when it has none. */
  async remoteTree(dir: string, branch: string): Promise<string | undefined> {
    const listed = await this.run(dir, ['ls-remote', '--heads', 'origin', `refs/heads/${branch}`], { what: 'ls-remote' });
    if (listed.trim() === '') return undefined;
    await this.run(dir, ['fetch', '--quiet', '--no-tags', '--filter=blob:none', 'origin', `+refs/heads/${branch}:refs/dockergo/proposed`], { what: 'fetch' });
    return this.run(dir, ['rev-parse', 'refs/dockergo/proposed^{tree}']);
  }

  /** Commits every change on a new `branch`; its tree. */
  async commit(dir: string, branch: string, message: string): Promise<string> {
    await this.run(dir, ['switch', '--quiet', '-c', branch]);
    await this.run(dir, ['add', '--all']);
    const identity = (await execa('git', ['config', 'user.email'], { cwd: dir, reject: false })).stdout.trim() === ''
      ? ['-c', 'user.name=generator-dockergo', '-c', 'user.email=generator-dockergo@localhost']
      : [];
    await this.run(dir, [...identity, 'commit', '--quiet', '--no-verify', '--cleanup=whitespace', '-F', '-'], { input: message, what: 'commit' });
    return this.run(dir, ['rev-parse', 'HEAD^{tree}']);
  }

  /** Pushes `branch` (forced: it is ours alone) with the push options. */
  async push(dir: string, branch: string, options: readonly string[]): Promise<void> {
    const pushOptions = options.flatMap((o) => ['--push-option', o]);
    await this.run(dir, ['push', '--quiet', '--no-verify', '--force', ...pushOptions, 'origin', `+refs/heads/${branch}:refs/heads/${branch}`], { what: 'push' });
  }

  /** A local repository gets the branch from the clone: fetched into it, no hook run, its working tree untouched. */
  async fetchInto(repository: string, clone: string, branch: string): Promise<void> {
    await this.run(repository, ['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', '--', clone, `+refs/heads/${branch}:refs/heads/${branch}`], { what: 'fetch into the local repository' });
  }
}
