// go.mod, read as the image build needs it: the module path (checked by Go's rules), the Go version
// the builder follows, local replacements, and the layouts no image build can take.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { invalidLine, UsageError } from '../errors.js';
import { checkModule, isGoVersionShape } from '../rules/index.js';

/** A path element that can reach a Dockerfile, Makefile or .dockerignore as it is. */
export const SAFE_ELEMENT = /^[A-Za-z0-9._+~-]+$/;

export interface GoMod {
  module: string;
  goVersion: string | undefined;
  /** The go directive alone (the language version; undefined when absent, which Go reads as 1.16). */
  goDirective: string | undefined;
  /** Local replacement paths: as written ("./lib/", "../x"), and normalised ("lib", "../x"). */
  replaces: LocalReplace[];
}

export interface LocalReplace {
  written: string;
  folder: string;
}

export function readGoMod(root: string): GoMod {
  const file = path.join(root, 'go.mod');
  if (!existsSync(file)) {
    throw new UsageError(
      `no go.mod in ${root}: dockergo:docker adds container files to an existing Go module; to start a new service run \`generator-dockergo\` (or \`yo dockergo\`)`,
    );
  }
  const text = readFileSync(file, 'utf8').replace(/\/\/.*$/gm, '');
  const module = /^\s*module\s+(?:"([^"]+)"|(\S+))\s*$/m.exec(text);
  if (!module) throw new UsageError(`${file}: no module line`);
  const version = (directive: string): string | undefined => {
    const found = new RegExp(`^\\s*${directive}\\s+(\\S+)\\s*$`, 'm').exec(text)?.[1]?.replace(/^go(?=[0-9])/, '');
    if (found !== undefined && !isGoVersionShape(found)) {
      throw new UsageError(`${file}: ${directive} ${JSON.stringify(found)} is not a Go version (x.y, x.y.z or x.yrcN)`);
    }
    return found;
  };
  // Go reads a module with no go directive as go 1.16; the builder then follows the default.
  const goDirective = version('go');
  const goVersion = version('toolchain') ?? goDirective;
  const path_ = module[1] ?? module[2]!;
  // The module path reaches the Dockerfile, README and .yo-rc.json: Go's rules, checked first.
  const checked = checkModule(path_);
  if (!checked.ok) throw new UsageError(invalidLine('go.mod module', path_, checked));
  return { module: checked.value, goVersion, goDirective, replaces: localReplaces(text) };
}

/** The right-hand sides of `replace` directives that are file paths (single-line and block form). */
function localReplaces(gomod: string): LocalReplace[] {
  const lines: string[] = [];
  for (const m of gomod.matchAll(/^\s*replace\s*\(([^)]*)\)/gm)) lines.push(...m[1]!.split('\n'));
  for (const m of gomod.matchAll(/^\s*replace\s+([^(\n].*)$/gm)) lines.push(m[1]!);
  return lines
    .map((l) => /=>\s*(?:"([^"]+)"|(\S+))/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => m[1] ?? m[2]!)
    .filter((target) => target.startsWith('./') || target.startsWith('../') || target.startsWith('/') || target === '.' || target === '..')
    .map((target) => ({ written: target, folder: path.posix.normalize(target).replace(/(.)\/$/, '$1') }));
}

/** Layouts the image build cannot take: refused in one line that says what to do. */
export function refuseUnsupported(root: string, gomod: GoMod): void {
  if (existsSync(path.join(root, 'go.work'))) {
    throw new UsageError(
      'go.work: this folder is a Go workspace, and an image builds one module with only its own folder: ' +
        'run dockergo:docker in the folder of the module that holds the program, and make it build with GOWORK=off ' +
        '(a require and replace for each workspace module it needs)',
    );
  }
  for (const { written: target, folder: normal } of gomod.replaces) {
    if (normal.startsWith('/') || normal === '..' || normal.startsWith('../') || normal === '.') {
      throw new UsageError(
        `go.mod replaces a module with ${JSON.stringify(target)}, outside this module's folder, which is all the image build sees: ` +
          'move that module into this folder (e.g. ./third_party/x), or publish it and drop the replace',
      );
    }
    if (!normal.split('/').every((e) => SAFE_ELEMENT.test(e))) {
      throw new UsageError(`go.mod replace target ${JSON.stringify(target)}: must be letters, digits and . _ + ~ - only`);
    }
    if (!existsSync(path.join(root, normal, 'go.mod'))) {
      throw new UsageError(`go.mod replaces a module with ${JSON.stringify(target)}, which has no go.mod: add one, or fix the path`);
    }
  }
}
