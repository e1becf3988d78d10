// The go command, asked: `go list -json` as the image builds (linux, cgo on or off, the Go the
// user's GOTOOLCHAIN allows), so build constraints count exactly as they do for `go build`.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execaSync } from 'execa';
import { UsageError } from '../errors.js';
import { isGoPathElement } from '../rules/index.js';
import { withScratch } from '../write/scratch.js';

export interface ListedPackage {
  /** Empty when the go command cannot even place the package (an import path it refuses). */
  Dir: string;
  ImportPath: string;
  Name: string;
  Standard?: boolean;
  GoFiles?: string[];
  CgoFiles?: string[];
  SFiles?: string[];
  SysoFiles?: string[];
  EmbedFiles?: string[];
  TestEmbedFiles?: string[];
  XTestEmbedFiles?: string[];
  Module?: { Main?: boolean; Path?: string; Version?: string };
  Error?: { Err: string };
}

/**
 * `go list -json` in the module, as the image builds it: linux, with or without cgo, with the Go
 * the user's GOTOOLCHAIN allows: a module that needs a newer Go than the local one is listed by
 * that Go, which the go command fetches through the module proxy (as the image's builder
 * follows go.mod); where GOTOOLCHAIN=local forbids it, one line says what to set. With
 * `copyModfile`, through a copy of go.mod and go.sum, for a listing that may add to them.
 * Undefined when there is no `go` to ask.
 */
export function goList(
  root: string,
  cgo: boolean,
  args: string[],
  { env = {}, copyModfile = false }: { env?: Record<string, string | undefined>; copyModfile?: boolean } = {},
): ListedPackage[] | undefined {
  const fields = 'Dir,ImportPath,Name,Standard,GoFiles,CgoFiles,SFiles,SysoFiles,EmbedFiles,TestEmbedFiles,XTestEmbedFiles,Module,Error';
  const list = (extra: string[]) => {
    try {
      return execaSync('go', ['list', '-e', `-json=${fields}`, ...extra, ...args], {
        cwd: root,
        reject: false,
        timeout: 120_000,
        env: { GOOS: 'linux', CGO_ENABLED: cgo ? '1' : '0', GOWORK: 'off', ...env },
      });
    } catch {
      return undefined;
    }
  };
  // A copy of go.mod and go.sum, for a listing that may add to them (-mod=mod): the module's own stay as they are.
  const text = readFileSync(path.join(root, 'go.mod'), 'utf8');
  const sum: Record<string, Uint8Array> = existsSync(path.join(root, 'go.sum')) ? { 'go.sum': readFileSync(path.join(root, 'go.sum')) } : {};
  const inCopy = (gomod: string) => withScratch({ 'go.mod': gomod, ...sum }, (dir) => list([`-modfile=${path.join(dir, 'go.mod')}`]));
  const result = copyModfile ? inCopy(text) : list([]);
  if (result === undefined || result.exitCode === undefined) return undefined;
  const newer = /^go: (.+?) requires go >= (\S+) \(running go (\S+); GOTOOLCHAIN=(\S+)\)/m.exec(String(result.stderr));
  if (result.exitCode !== 0 && newer) {
    const [, who, needed, running, setting] = newer;
    throw new UsageError(
      `${who === 'go.mod' ? 'go.mod' : `${who}, which this module needs,`} requires Go ${needed}, and the go command here is ${running} with GOTOOLCHAIN=${setting}, ` +
        `which runs no other: set GOTOOLCHAIN=auto (or a release such as go${/^\d+\.\d+$/.test(needed!) ? `${needed}.0` : needed}), and go fetches that toolchain through the module proxy, as the image's builder does`,
    );
  }
  if (result.exitCode !== 0 && String(result.stdout).trim() === '') {
    throw new UsageError(`\`go list\` cannot read this module: ${String(result.stderr).trim().split('\n')[0]}`);
  }
  // go list -json prints one object after another.
  return JSON.parse(`[${String(result.stdout).replace(/\}\n\{/g, '},{')}]`) as ListedPackage[];
}

/**
 * A package in a folder whose path Go refuses as an import path (a backtick, a line break, a
 * leading dash) is no package: never copied, never named. Go's rule, not its error messages.
 */
export const unusable = (root: string, p: ListedPackage): boolean => {
  if (!p.Dir) return true;
  const rel = path.relative(root, p.Dir).split(path.sep).join('/');
  return rel !== '' && !rel.startsWith('..') && !rel.split('/').every(isGoPathElement);
};
