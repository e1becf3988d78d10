// The main package's whole dependency graph, as the image builds it: what would fail there (cgo, an
// embed pattern that matches nothing), whether the program listens and reads PORT, and its version
// variable, read with go/ast (versionvars.go, shipped with the generator).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { execaSync } from 'execa';
import { UsageError } from '../errors.js';
import { packageRoot } from '../package.js';
import { withScratch } from '../write/scratch.js';
import { goList, type ListedPackage } from './golist.js';
import type { MainPackage, ModuleInfo, ModulePackage } from './scan.js';

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
const VERSION_VARS = path.join(packageRoot, 'generators', 'lib', 'module', 'versionvars.go');

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
