// Reading an existing Go module: go.mod, its main packages, and what its build context needs.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from './answers.js';

export interface MainPackage {
  /** "." or "./cmd/api". */
  pkg: string;
  /** Whether it defines a -healthcheck flag (then HEALTHCHECK can run it). */
  healthcheck: boolean;
  /** Whether it defines a -config flag (then CMD can pass config files). */
  configFlag: boolean;
}

export interface ModuleInfo {
  module: string;
  /** The go directive, x.y or x.y.z. */
  goVersion: string;
  mains: MainPackage[];
  /** .dockerignore allow-list lines after "*", from the module's real layout. */
  dockerignore: string[];
}

/** Folders Go itself ignores, and ones that never hold the module's code. */
const SKIP = (name: string): boolean => name.startsWith('.') || name.startsWith('_') || name === 'testdata' || name === 'node_modules';

export function readGoMod(root: string): { module: string; goVersion: string } {
  const file = path.join(root, 'go.mod');
  if (!existsSync(file)) {
    throw new UsageError(
      `no go.mod in ${root}: dockergo:docker adds container files to an existing Go module; to start a new service run \`generator-dockergo\` (or \`yo dockergo\`)`,
    );
  }
  const text = readFileSync(file, 'utf8').replace(/\/\/.*$/gm, '');
  const module = /^\s*module\s+"?([^\s"]+)"?\s*$/m.exec(text)?.[1];
  if (!module) throw new UsageError(`${file}: no module line`);
  const goVersion = /^\s*go\s+([0-9]+\.[0-9]+(?:\.[0-9]+)?)\s*$/m.exec(text)?.[1] ?? '';
  if (!goVersion) throw new UsageError(`${file}: no go directive (e.g. "go 1.26")`);
  return { module, goVersion };
}

/** Non-test .go files directly in dir. */
function goFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.go') && !e.name.endsWith('_test.go'))
    .map((e) => path.join(dir, e.name));
}

const PACKAGE_MAIN = /^\s*package\s+main\s*$/m;
const flagDefined = (source: string, name: string): boolean =>
  new RegExp(`\\.(?:Bool|BoolVar|String|StringVar|Func|Var)\\s*\\((?:[^()]|\\([^()]*\\))*"${name}"`).test(source);

function mainAt(root: string, rel: string): MainPackage | undefined {
  const dir = path.join(root, rel);
  if (!existsSync(dir)) return undefined;
  const sources = goFiles(dir).map((f) => readFileSync(f, 'utf8'));
  if (!sources.some((s) => PACKAGE_MAIN.test(s))) return undefined;
  const all = sources.join('\n');
  return { pkg: rel === '' ? '.' : `./${rel}`, healthcheck: flagDefined(all, 'healthcheck'), configFlag: flagDefined(all, 'config') };
}

export function scanModule(root: string): ModuleInfo {
  const { module, goVersion } = readGoMod(root);
  const mains: MainPackage[] = [];
  const rootMain = mainAt(root, '');
  if (rootMain) mains.push(rootMain);
  const cmd = path.join(root, 'cmd');
  if (existsSync(cmd)) {
    for (const entry of readdirSync(cmd, { withFileTypes: true }).filter((e) => e.isDirectory() && !SKIP(e.name)).sort((a, b) => a.name.localeCompare(b.name))) {
      const found = mainAt(root, `cmd/${entry.name}`);
      if (found) mains.push(found);
    }
  }
  return { module, goVersion, mains, dockerignore: allowList(root) };
}

/** "!go.mod", "!go.sum", "!*.go", each top-level folder that holds Go code, embedded files, vendor/. */
function allowList(root: string): string[] {
  const lines = new Set(['!go.mod', '!go.sum', '!*.go']);
  const visit = (rel: string): void => {
    const dir = path.join(root, rel);
    const files = readdirSync(dir, { withFileTypes: true });
    const hasGo = files.some((e) => e.isFile() && e.name.endsWith('.go'));
    if (hasGo && rel !== '') lines.add(`!${rel.split('/')[0]}/`);
    for (const file of files.filter((e) => e.isFile() && e.name.endsWith('.go'))) {
      for (const pattern of embedPatterns(readFileSync(path.join(dir, file.name), 'utf8'))) {
        const full = path.posix.join(rel, pattern);
        lines.add(full.includes('/') ? `!${full.split('/')[0]}/` : `!${full}`);
      }
    }
    for (const sub of files.filter((e) => e.isDirectory() && !SKIP(e.name) && !(rel === '' && e.name === 'vendor'))) {
      visit(rel === '' ? sub.name : `${rel}/${sub.name}`);
    }
  };
  visit('');
  if (existsSync(path.join(root, 'vendor', 'modules.txt'))) lines.add('!vendor/');
  const [mod, sum, go, ...rest] = lines;
  return [mod!, sum!, go!, ...rest.sort()];
}

/** The patterns of every //go:embed line in a Go file (quoted or not, "all:" prefix dropped). */
export function embedPatterns(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(/^\s*\/\/go:embed\s+(.+)$/gm)) {
    for (const word of m[1]!.match(/"[^"]*"|`[^`]*`|\S+/g) ?? []) {
      out.push(word.replace(/^["`]|["`]$/g, '').replace(/^all:/, ''));
    }
  }
  return out;
}
