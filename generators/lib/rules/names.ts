// Names: the app's (binary, image, config folder), and the default a main package's folder gives.
import { badCharacter, describeChar, fail, ok, overLimit, type Checked } from '../errors.js';
import { isWindowsReserved, moduleBase } from './go.js';

/**
 * Folder names that say what a folder holds, not which program it is. A main package in one
 * is named after its module instead: pocketbase's examples/base is "pocketbase", not "base".
 */
export const GENERIC_FOLDERS: Readonly<Record<string, string>> = {
  app: 'any program is an app',
  base: 'a starting point to build on (examples/base)',
  basic: 'an example\'s level, not its subject',
  bin: 'where binaries go',
  cli: 'says how it runs, not what it is',
  cmd: 'the folder of every command',
  daemon: 'says how it runs, not what it is',
  default: 'a variant of something named elsewhere',
  demo: 'an example\'s purpose, not its subject',
  example: 'an example\'s purpose, not its subject',
  examples: 'an example\'s purpose, not its subject',
  main: 'Go\'s name for every program',
  minimal: 'an example\'s level, not its subject',
  run: 'a verb every program does',
  sample: 'an example\'s purpose, not its subject',
  server: 'says how it runs, not what it is',
  service: 'says how it runs, not what it is',
  simple: 'an example\'s level, not its subject',
  src: 'where sources go',
};

/** The default name of a main package's program: its folder's, or its module's when the folder's name is generic. */
export function programName(module: string, pkg: string): string {
  const folder = pkg === '.' ? moduleBase(module) : pkg.split('/').at(-1)!;
  return toName(Object.hasOwn(GENERIC_FOLDERS, folder.toLowerCase()) ? moduleBase(module) : folder);
}

export const NAME_RULE = 'a lowercase image name: at most 63 letters and digits, in runs joined by ".", "_", "__" or "-"';

// Names Go gives a meaning to as a folder (cmd/<name> under --layout cmd).
const GO_SPECIAL_DIRS = new Set(['testdata', 'vendor']);

export function checkName(raw: string): Checked<string> {
  const name = raw.trim();
  const problem = nameProblem(name);
  return problem === undefined ? ok(name) : fail(NAME_RULE, problem);
}

function nameProblem(name: string): string | undefined {
  if (name === '') return 'is empty';
  if (name.length > 63) return overLimit(name.length, 63);
  const upper = [...name].findIndex((c) => /[A-Z]/.test(c));
  if (upper >= 0) return `has the capital ${JSON.stringify(name[upper])} at position ${upper + 1}`;
  const bad = badCharacter(name, /[a-z0-9._-]/);
  if (bad) return bad;
  if (!/^[a-z0-9]/.test(name)) return `starts with ${describeChar(name[0]!)}`;
  if (!/[a-z0-9]$/.test(name)) return `ends with ${describeChar(name.at(-1)!)}`;
  const joint = /[._-]{2,}/g;
  for (const m of name.matchAll(joint)) {
    if (m[0] !== '__' && !/^-+$/.test(m[0])) return `joins two runs with ${JSON.stringify(m[0])} at position ${m.index + 1}`;
  }
  if (GO_SPECIAL_DIRS.has(name)) return `is ${name}, a folder name Go gives a meaning to`;
  if (isWindowsReserved(name)) return 'is a name Windows reserves (con, prn, aux, nul, com1-9, lpt1-9)';
  return undefined;
}

/** Turns any text into a name in the image-name grammar (used for defaults, which are then checked like flags). */
export function toName(text: string): string {
  const cleaned = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, (sep) => (sep === '.' || sep === '_' || sep === '__' || /^-+$/.test(sep) ? sep : '-'))
    .slice(0, 63)
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return cleaned === '' ? 'app' : cleaned;
}
