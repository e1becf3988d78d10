// Reading an existing Go module: go.mod, its main packages, and what its build context needs.
// Which packages are main packages, and which files they build from, is asked of the go
// command itself (`go list`), so build constraints, `//go:build ignore` generators and
// `package main // import "…"` comments count exactly as they do for `go build`.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { execaSync } from 'execa';
import { invalidLine, UsageError } from './errors.js';
import { packageRoot } from './generator-support.js';
import { withScratch } from './write/scratch.js';
import { checkModule, isCredentialName, isGoPathElement, isGoVersionShape } from './validate.js';

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

/** A path element that can reach a Dockerfile, Makefile or .dockerignore as it is. */
const SAFE_ELEMENT = /^[A-Za-z0-9._+~-]+$/;

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

interface ListedPackage {
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
function goList(
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
const unusable = (root: string, p: ListedPackage): boolean => {
  if (!p.Dir) return true;
  const rel = path.relative(root, p.Dir).split(path.sep).join('/');
  return rel !== '' && !rel.startsWith('..') && !rel.split('/').every(isGoPathElement);
};

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

/** What a main package needs that the module scan alone cannot tell: its whole dependency graph. */
export interface MainDeps {
  /** The program's own version variable, as -X names it; undefined when there is none, or several. */
  versionSymbol: string | undefined;
  /** Every version variable found: none, one (then versionSymbol), or several. */
  versionCandidates: string[];
  /** Why the dependency graph could not be read whole (a module that cannot be downloaded); undefined when it was. */
  incomplete?: string;
  /** The main package, or a package of the module it imports, reads the PORT variable (os.Getenv("PORT")), which the image sets. */
  readsPort: boolean;
  /** The main package, or a package it imports that is not the standard library's, listens (net.Listen, http.ListenAndServe …). */
  listens: boolean;
}

/**
 * Reads the main package's dependency graph, as the image builds it, and refuses in one line
 * what would fail there (or build a program that does not work): a dependency that needs cgo,
 * and an embed pattern that matches nothing. Modules missing from the module cache are
 * downloaded to it first (`downloading` is told before), never written into the module.
 */
export function inspectMain(root: string, module: ModuleInfo, main: MainPackage, downloading: () => void): MainDeps {
  const list = (proxy: boolean) =>
    goList(root, true, ['-deps', main.pkg], {
      env: { GOFLAGS: module.vendor ? '-mod=vendor' : '-mod=mod', ...(proxy ? {} : { GOPROXY: 'off' }) },
      copyModfile: !module.vendor,
    }) ?? [];
  let deps = list(false);
  if (deps.some((p) => /GOPROXY=off/.test(p.Error?.Err ?? ''))) {
    downloading();
    deps = list(true);
  }
  for (const p of deps) {
    const own = module.packages.get(p.ImportPath);
    const why = own ? ownCgo(p, own, main) : cgoOf(p);
    if (why) {
      throw new UsageError(
        `${main.pkg} needs cgo: ${why}; the image builds with CGO_ENABLED=0 (a static binary on a base with no C library): ` +
          (own ? 'add a pure-Go fallback (a //go:build !cgo file)' : 'move to a version or a replacement of it that needs no cgo') +
          ', or containerise the program with a Dockerfile of your own',
      );
    }
    if (own?.missingEmbed !== undefined) {
      const rel = path.relative(root, own.dir).split(path.sep).join('/') || '.';
      throw new UsageError(
        `//go:embed ${own.missingEmbed} in ${rel} matches no file, so the image build fails: it names files that are built, not committed (web assets?): ` +
          'build them first (see the module\'s README or Makefile), then run dockergo:docker again',
      );
    }
  }
  const incomplete = deps.find((p) => p.Error !== undefined && !module.packages.has(p.ImportPath))?.Error?.Err;
  const candidates = versionVariables(deps, module, main);
  const own = deps.filter((p) => module.packages.has(p.ImportPath));
  return {
    versionSymbol: candidates.length === 1 ? candidates[0] : undefined,
    versionCandidates: candidates,
    ...(incomplete ? { incomplete } : {}),
    readsPort: own.some((p) => sourcesMatch(p, READS_PORT)),
    listens: deps.some((p) => !p.Standard && sourcesMatch(p, LISTENS)),
  };
}

/**
 * The name PORT as a Go string: os.Getenv("PORT") and the helpers programs read it through
 * (go-httpbin's getEnvVal("PORT"), a const envPort = "PORT").
 */
const READS_PORT = /"PORT"|`PORT`/;
/** What a program that serves calls, itself or through a framework (gin's Run, echo's Start, fiber's Listen). */
const LISTENS = /\b(?:net|tls)\.Listen(?:TCP|Unix)?\s*\(|\bnet\.ListenConfig\b|\bhttp\.(?:ListenAndServe|ListenAndServeTLS|Serve|ServeTLS)\s*\(|\.ListenAndServe(?:TLS)?\s*\(/;

/** Whether any Go file the package builds from (with or without cgo) matches. */
function sourcesMatch(p: ListedPackage, pattern: RegExp): boolean {
  return [...(p.GoFiles ?? []), ...(p.CgoFiles ?? [])].some((file) => {
    try {
      return pattern.test(readFileSync(path.join(p.Dir, file), 'utf8'));
    } catch {
      return false;
    }
  });
}

/** Why a package of the module cannot be built with cgo off: nothing of it is left without its cgo files. */
function ownCgo(p: ListedPackage, own: ModulePackage, main: MainPackage): string | undefined {
  if (own.cgoOnly === undefined) return undefined;
  return p.ImportPath === main.importPath
    ? `${own.cgoOnly} imports "C" and nothing of its package builds without it`
    : `it imports ${p.ImportPath}, which has only cgo files (${own.cgoOnly})`;
}

/** Why a dependency cannot be built with cgo off: it has cgo files, which a CGO_ENABLED=0 build leaves out. */
function cgoOf(p: ListedPackage): string | undefined {
  if (p.Standard || (p.CgoFiles?.length ?? 0) === 0) return undefined;
  const files = `${p.CgoFiles![0]}${p.CgoFiles!.length > 1 ? ` and ${p.CgoFiles!.length - 1} more` : ''}`;
  const of = p.Module?.Path ? ` (${[p.Module.Path, p.Module.Version].filter(Boolean).join(' ')})` : '';
  return `it imports ${p.ImportPath}${of}, whose cgo files (${files}) a build with cgo off leaves out`;
}

/** The Go program that reads the version variables (go/ast), shipped with the generator. */
const VERSION_VARS = path.join(packageRoot, 'generators', 'lib', 'go', 'versionvars.go');

/**
 * The version variables -X can stamp: package-level strings named version (any case) in the
 * main package and in the module's own version packages (…/version) that the main imports.
 */
function versionVariables(deps: readonly ListedPackage[], module: ModuleInfo, main: MainPackage): string[] {
  const packages = deps
    .filter((p) => p.ImportPath === main.importPath || (module.packages.has(p.ImportPath) && p.ImportPath.split('/').at(-1) === 'version'))
    .map((p) => ({ pkg: p.ImportPath === main.importPath ? 'main' : p.ImportPath, files: module.packages.get(p.ImportPath)?.files ?? [] }));
  const run = withScratch({}, (dir) =>
    execaSync('go', ['run', VERSION_VARS], {
      cwd: dir,
      input: JSON.stringify(packages),
      reject: false,
      timeout: 120_000,
      env: { GOFLAGS: '', GOWORK: 'off', GOTOOLCHAIN: 'local', CGO_ENABLED: '0' },
    }),
  );
  if (run.exitCode !== 0) throw new UsageError(`reading ${main.pkg}'s version variable with go/ast failed: ${String(run.stderr).trim().split('\n')[0]}`);
  const found = JSON.parse(String(run.stdout)) as { pkg: string; name: string }[];
  // The main package's first, as -X names them.
  return [...new Set(found.map((f) => `${f.pkg}.${f.name}`))].sort((a, b) => Number(!a.startsWith('main.')) - Number(!b.startsWith('main.')) || a.localeCompare(b));
}

/** Layouts the image build cannot take: refused in one line that says what to do. */
function refuseUnsupported(root: string, gomod: GoMod): void {
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
