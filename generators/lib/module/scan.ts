// The module's layout: its main packages (and which flags each defines), the allow-list of what its
// build context needs, vendoring and local replacements.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { isCredentialName } from '../rules/index.js';
import { goList, unusable, type ListedPackage } from './golist.js';
import { readGoMod, refuseUnsupported, SAFE_ELEMENT } from './gomod.js';

export interface MainPackage {
  /** "." or "./cmd/api". */
  pkg: string;
  /** Whether it defines a -healthcheck flag (then HEALTHCHECK can run it). */
  healthcheck: boolean;
  /** Whether it defines a -config flag (then CMD can pass config files). */
  configFlag: boolean;
  /** Its import path ("example.com/x/cmd/api"). */
  importPath: string;
}

export interface ModuleInfo {
  module: string;
  /** go.mod's toolchain version, else its go directive; undefined when it has neither. */
  goVersion: string | undefined;
  /** Every main package, root first. */
  mains: MainPackage[];
  /** The mains a run picks from without --main: the root's and cmd/*'s. */
  candidates: MainPackage[];
  /** .dockerignore allow-list lines after "*", from the module's real layout. */
  dockerignore: string[];
  /** Folders of local `replace` targets inside the module (their go.mod is needed before `go mod download`). */
  localReplaces: string[];
  /** vendor/modules.txt exists: the build uses -mod=vendor and downloads nothing. */
  vendor: boolean;
  /** The module's packages as the image builds them (cgo off), by import path. */
  packages: ReadonlyMap<string, ModulePackage>;
}

export interface ModulePackage {
  dir: string;
  /** The .go files of the build, absolute. */
  files: string[];
  /** Its first cgo file, when nothing of the package is left with cgo off (CGO_ENABLED=0, as the image builds). */
  cgoOnly?: string;
  /** An embed pattern that matches no file ("app/dist"). */
  missingEmbed?: string;
}

const flagDefined = (source: string, name: string): boolean =>
  new RegExp(`\\.(?:Bool|BoolVar|String|StringVar|Func|Var)\\s*\\((?:[^()]|\\([^()]*\\))*"${name}"`).test(source);

/** "./cmd/api" for a package folder; refused when the path cannot be written safely (Go refuses such import paths anyway). */
function packagePattern(root: string, dir: string): string {
  const rel = path.relative(root, dir).split(path.sep).join('/');
  if (rel === '') return '.';
  for (const element of rel.split('/')) {
    if (!SAFE_ELEMENT.test(element)) throw new UsageError(`main package folder ${JSON.stringify(rel)}: must be letters, digits and . _ + ~ - only`);
  }
  return `./${rel}`;
}

export function scanModule(root: string): ModuleInfo {
  const gomod = readGoMod(root);
  refuseUnsupported(root, gomod);
  const withCgo = goList(root, true, ['-find', './...']);
  if (withCgo === undefined) {
    throw new UsageError('dockergo:docker asks the go command which packages are main packages, and `go` is not on PATH: install Go (https://go.dev/dl/)');
  }
  const withoutCgo = new Map((goList(root, false, ['-find', './...']) ?? []).map((p) => [p.ImportPath, p]));
  const mains: MainPackage[] = withCgo
    .filter((p) => p.Name === 'main' && !unusable(root, p))
    .map((p) => {
      const sources = [...(p.GoFiles ?? []), ...(p.CgoFiles ?? [])].map((f) => readFileSync(path.join(p.Dir, f), 'utf8')).join('\n');
      return {
        pkg: packagePattern(root, p.Dir),
        importPath: p.ImportPath,
        healthcheck: flagDefined(sources, 'healthcheck'),
        configFlag: flagDefined(sources, 'config'),
      };
    })
    .sort((a, b) => (a.pkg === '.' ? -1 : b.pkg === '.' ? 1 : a.pkg.localeCompare(b.pkg)));
  const candidates = mains.filter((m) => m.pkg === '.' || /^\.\/cmd\/[^/]+$/.test(m.pkg));
  // Go's own rule: vendor/modules.txt and a go directive of 1.14 or later turn vendor mode on.
  const [major, minor] = (gomod.goDirective ?? '1.16').split('.').map(Number);
  const vendor = existsSync(path.join(root, 'vendor', 'modules.txt')) && (major! > 1 || minor! >= 14);
  const localReplaces = gomod.replaces.map((r) => r.folder);
  return {
    module: gomod.module,
    goVersion: gomod.goVersion,
    mains,
    candidates,
    dockerignore: allowList(root, withCgo, localReplaces, vendor),
    localReplaces,
    vendor,
    packages: new Map(withCgo.filter((p) => !unusable(root, p)).map((p) => [p.ImportPath, modulePackage(p, withoutCgo.get(p.ImportPath))])),
  };
}

/** A package of the module, from its listings with cgo on and off. */
function modulePackage(withCgo: ListedPackage, withoutCgo: ListedPackage | undefined): ModulePackage {
  // With cgo off, `./...` lists a package that has nothing left with an error, as another package, or not at all.
  const lost =
    (withCgo.CgoFiles?.length ?? 0) > 0 &&
    (withoutCgo === undefined || withoutCgo.Name !== withCgo.Name || /build constraints exclude all Go files/.test(withoutCgo.Error?.Err ?? ''));
  const missingEmbed = /^pattern (.+): no matching files found$/.exec(withCgo.Error?.Err ?? '')?.[1];
  return {
    dir: withCgo.Dir,
    files: (withoutCgo?.GoFiles ?? []).map((f) => path.join(withCgo.Dir, f)),
    ...(lost ? { cgoOnly: withCgo.CgoFiles![0]! } : {}),
    ...(missingEmbed !== undefined ? { missingEmbed } : {}),
  };
}

/**
 * "!go.mod", "!go.sum", "!*.go", the root's assembly and .syso files, each top-level folder that
 * holds the module's code, embedded files, a root testdata/, local replace targets and vendor/.
 */
function allowList(root: string, packages: readonly ListedPackage[], replaces: readonly string[], vendor: boolean): string[] {
  const lines = new Set(['!go.mod', '!go.sum', '!*.go']);
  const top = (rel: string): string => `!${rel.split('/')[0]}/`;
  for (const p of packages) {
    if (unusable(root, p)) continue;
    const rel = path.relative(root, p.Dir).split(path.sep).join('/');
    if (rel.startsWith('..') || rel.split('/')[0] === 'vendor') continue;
    if (rel !== '') lines.add(safeLine(top(rel), p.Dir));
    if (rel === '') {
      if ((p.SFiles ?? []).length > 0) lines.add('!*.s');
      if ((p.SysoFiles ?? []).length > 0) lines.add('!*.syso');
    }
    // The files Go embeds, as go list resolves the patterns: never a pattern (`//go:embed *` as
    // "!*" would re-include everything, a .env included).
    for (const file of [...(p.EmbedFiles ?? []), ...(p.TestEmbedFiles ?? []), ...(p.XTestEmbedFiles ?? [])]) {
      const full = path.posix.join(rel, file);
      const secret = full.split('/').find(isCredentialName);
      if (secret !== undefined) {
        throw new UsageError(
          `//go:embed in ${rel || '.'} embeds ${full}, which holds credentials (${secret}): the binary and the image would carry it; ` +
            'narrow the pattern (//go:embed *.html, static/) or move the file out of the module',
        );
      }
      lines.add(safeLine(full.includes('/') ? top(full) : `!${full}`, `//go:embed ${file} in ${rel || '.'}`));
    }
  }
  if (isDir(path.join(root, 'testdata'))) lines.add('!testdata/');
  for (const target of replaces) lines.add(safeLine(top(target), `replace => ${target}`));
  if (vendor) lines.add('!vendor/');
  const [mod, sum, go, ...rest] = lines;
  return [mod!, sum!, go!, ...rest.sort()];
}

/**
 * A .dockerignore line from a name found in the user's tree. Line breaks or backslashes would
 * change its meaning; Go refuses such names for packages and embedded files anyway.
 */
function safeLine(line: string, from: string): string {
  if (/[\p{Cc}\\]/u.test(line)) throw new UsageError(`${from}: ${JSON.stringify(line.slice(1))} holds a control character or backslash, which no .dockerignore line can carry`);
  // A pattern character would make the line match other files than this one.
  if (/[*?[\]]/.test(line) || /^!\s|^!!|^!#/.test(line)) {
    throw new UsageError(`${from}: ${JSON.stringify(line.slice(1))} holds * ? [ ] or starts like a pattern, which a .dockerignore line would read as a pattern, not as this file: rename it`);
  }
  return line;
}

function isDir(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}
