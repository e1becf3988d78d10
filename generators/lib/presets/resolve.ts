// Where a preset is: a folder, else an installed npm package of that name; and whether a preset
// that a project's own .yo-rc.json names may run.
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import type { Preset } from './index.js';

/** npm's package-name grammar (validate-npm-package-name, for new packages): [@scope/]name, lowercase, URL-safe, no leading "." or "_". */
const NPM_NAME = /^(?:@[a-z0-9~-][a-z0-9._~-]*\/)?[a-z0-9~-][a-z0-9._~-]*$/;
const NPM_NAME_RULE = 'a folder, or an npm package name ([@scope/]name: lowercase letters, digits and - . _ ~, not starting with . or _, at most 214 characters)';

/** A spec written as a path: it starts with "." or "/" (or holds a "/" and is no scoped package name). */
function looksLikePath(spec: string): boolean {
  return spec.startsWith('.') || spec.startsWith('/') || (spec.includes('/') && !spec.startsWith('@'));
}

/**
 * Finds the preset's folder: a path, else an installed npm package of that name. A scoped name
 * is never a path, and a name must be one npm could publish, so it can never climb out of
 * node_modules ("@x/../../../../tmp/evil").
 */
/** Whether a spec names a folder (found as a path) rather than an npm package. */
export function isPresetPath(spec: string, cwd: string): boolean {
  const asPath = path.resolve(cwd, spec);
  return !spec.startsWith('@') && existsSync(asPath) && statSync(asPath).isDirectory();
}

export function resolvePresetDir(spec: string, cwd: string, packageRoot: string, source: string): string {
  const asPath = path.resolve(cwd, spec);
  const isPath = looksLikePath(spec);
  if (!spec.startsWith('@') && existsSync(asPath) && statSync(asPath).isDirectory()) return asPath;
  if (!isPath && (spec.length > 214 || !NPM_NAME.test(spec))) {
    throw new UsageError(`${source}: ${JSON.stringify(spec)} is not valid: must be ${NPM_NAME_RULE}`);
  }
  const searched: string[] = [];
  if (!isPath) {
    const bases = [
      ...ancestors(cwd).map((d) => path.join(d, 'node_modules')),
      ...(process.env['NODE_PATH'] ?? '').split(path.delimiter).filter(Boolean),
      path.join(packageRoot, 'node_modules'),
      path.dirname(packageRoot.endsWith(path.sep) ? packageRoot.slice(0, -1) : packageRoot),
    ];
    for (const base of bases) {
      const dir = path.join(base, spec);
      searched.push(base);
      if (existsSync(path.join(dir, 'preset.json'))) return dir;
    }
  }
  throw new UsageError(
    `${source}: ${JSON.stringify(spec)} is not a folder${isPath ? '' : ', nor an installed npm package with a preset.json'}` +
      (isPath ? ` (looked for ${asPath})` : ` (looked in ${[...new Set(searched)].slice(0, 4).join(', ')}…)`),
  );
}

/**
 * A preset that the project's own .yo-rc.json names is run like one given by flag: a cloned
 * repository must not choose code outside it. A path there must stay inside the project (links
 * resolved); outside it, only an installed npm package (a folder under node_modules/ with a
 * package.json) is taken. Anything else is refused: give it with --preset to trust it.
 */
export function checkStoredPreset(preset: Preset, root: string): void {
  const dir = realpathSync(preset.dir);
  const project = realpathSync(root);
  if (dir === project || dir.startsWith(project + path.sep)) return;
  if (dir.split(path.sep).includes('node_modules') && existsSync(path.join(dir, 'package.json'))) return;
  throw new UsageError(
    `.yo-rc.json preset: ${JSON.stringify(preset.spec)} is ${dir}, outside the project and not an installed npm package: ` +
      'a preset runs code, so a stored one must live in the project; give it with --preset (or DOCKERGO_PRESET) to trust it',
  );
}

function ancestors(dir: string): string[] {
  const out = [dir];
  while (path.dirname(out.at(-1)!) !== out.at(-1)) out.push(path.dirname(out.at(-1)!));
  return out;
}

/** The name and version in a preset folder's package.json, when it is an npm package. */
export function packageOf(dir: string): { name: string | undefined; version: string | undefined } {
  try {
    const { name, version } = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
    return { name: typeof name === 'string' ? name : undefined, version: typeof version === 'string' ? version : undefined };
  } catch {
    return { name: undefined, version: undefined };
  }
}
