// Go's own rules: module paths, import-path elements and releases, as the go command applies them.
import { badCharacter, fail, ok, type Checked } from '../errors.js';
import { LATEST_PATCH, NEWEST_MINOR, OLDEST_MINOR, PRERELEASES, RELEASES_CHECKED } from './go-releases.js';

// Go's reserved Windows names: golang.org/x/mod/module rejects them as path elements.
const windowsReserved = new Set([
  'con', 'prn', 'aux', 'nul',
  'com1', 'com2', 'com3', 'com4', 'com5', 'com6', 'com7', 'com8', 'com9',
  'lpt1', 'lpt2', 'lpt3', 'lpt4', 'lpt5', 'lpt6', 'lpt7', 'lpt8', 'lpt9',
]);

export const MODULE_RULE = 'a Go module path, as `go mod init` takes it: elements of letters, digits and . _ ~ + - joined by "/"';

/** First elements of the standard library's packages (`go list std`), and Go's own reserved std and cmd. */
const STD_ROOTS = new Set([
  'archive', 'bufio', 'bytes', 'cmp', 'compress', 'container', 'context', 'crypto', 'database', 'debug', 'embed',
  'encoding', 'errors', 'expvar', 'flag', 'fmt', 'go', 'hash', 'html', 'image', 'index', 'internal', 'io', 'iter',
  'log', 'maps', 'math', 'mime', 'net', 'os', 'path', 'plugin', 'reflect', 'regexp', 'runtime', 'slices', 'sort',
  'strconv', 'strings', 'structs', 'sync', 'syscall', 'testing', 'text', 'time', 'unicode', 'unique', 'unsafe',
  'vendor', 'weak', 'std', 'cmd', 'builtin', 'C',
]);

/**
 * Go's rules for a module path, as `go mod init` accepts them, and one more: a path that
 * `go mod init` takes but that cannot build (a standard-library path: "ambiguous import").
 */
export function checkModule(raw: string): Checked<string> {
  const path = raw.trim();
  const problem = moduleProblem(path);
  return problem === undefined ? ok(path) : fail(MODULE_RULE, problem);
}

function moduleProblem(path: string): string | undefined {
  if (path === '') return 'is empty';
  const bad = badCharacter(path, /[A-Za-z0-9._~+\-/]/);
  if (bad) return bad;
  if (path.startsWith('/')) return 'starts with "/"';
  if (path.startsWith('-')) return 'starts with "-"';
  if (path.endsWith('/')) return 'ends with "/"';
  const elems = path.split('/');
  if (elems.includes('')) return 'has an empty element ("//")';
  for (const elem of elems) {
    if (/^\.+$/.test(elem)) return `has the element ${JSON.stringify(elem)}`;
    if (elem.endsWith('.')) return `has the element ${JSON.stringify(elem)}, which ends with "."`;
    if (isWindowsReserved(elem)) return `has the element ${JSON.stringify(elem)}, a name Windows reserves (con, prn, aux, nul, com1-9, lpt1-9)`;
  }
  if (!elems[0]!.includes('.') && STD_ROOTS.has(elems[0]!)) return `is a standard-library path (${elems[0]}), which no module can build under`;
  const suffix = /\/v([0-9.]+)$/.exec(path);
  if (suffix && !path.startsWith('gopkg.in/') && (suffix[1]!.includes('.') || suffix[1]!.startsWith('0') || suffix[1] === '1')) {
    return `ends with /v${suffix[1]}, which is no major-version suffix (/v2 and up)`;
  }
  return undefined;
}

/** Go refuses these as path elements (the part before the first dot), whatever the case. */
export function isWindowsReserved(elem: string): boolean {
  return windowsReserved.has(elem.split('.')[0]!.toLowerCase());
}

/** The module path's last element without a /vN suffix: Go's default binary name. */
export function moduleBase(module: string): string {
  const elems = module.split('/');
  const last = elems.at(-1)!;
  return /^v[0-9]+$/.test(last) && elems.length > 1 ? elems.at(-2)! : last;
}

/**
 * A folder name the go command takes as an element of a package's import path: Go's own rule
 * (golang.org/x/mod/module's import-path check: ASCII letters, digits and - . _ ~ +, no leading
 * or trailing dot, no Windows reserved or short name), and no leading dash, which the go
 * command would read as a flag ("invalid input directory name").
 */
export function isGoPathElement(element: string): boolean {
  if (!/^[A-Za-z0-9._~+-]+$/.test(element)) return false;
  if (element.startsWith('.') || element.startsWith('-') || element.endsWith('.')) return false;
  const short = element.split('.')[0]!;
  if (/^(con|prn|aux|nul|com[1-9]|lpt[1-9])$/i.test(short)) return false;
  const tilde = short.lastIndexOf('~');
  return !(tilde >= 0 && tilde < short.length - 1 && /^[0-9]+$/.test(short.slice(tilde + 1)));
}

const NEWEST = `1.${NEWEST_MINOR}.${LATEST_PATCH[NEWEST_MINOR]}`;

export const GO_VERSION_RULE =
  `a Go release, as x.y, x.y.z or x.yrcN, from 1.${OLDEST_MINOR} (the generated code uses its routing patterns) to ${NEWEST} ` +
  `(the newest this generator knows, as of ${RELEASES_CHECKED})`;

const GO_VERSION_SHAPE = /^1\.(0|[1-9][0-9]*)(?:\.(0|[1-9][0-9]*)|(rc|beta)([1-9][0-9]*))?$/;

/** A Go release, checked against the table of releases (go-releases.ts). */
export function checkGoVersion(raw: string): Checked<string> {
  const value = raw.trim().replace(/^go/, '');
  const m = GO_VERSION_SHAPE.exec(value);
  if (!m) return fail(GO_VERSION_RULE, value === '' ? 'is empty' : 'is not a Go version (x.y, x.y.z or x.yrcN)');
  const minor = Number(m[1]);
  const latest = LATEST_PATCH[minor];
  if (minor < OLDEST_MINOR) return fail(GO_VERSION_RULE, `is older than 1.${OLDEST_MINOR}`);
  if (latest === undefined) return fail(GO_VERSION_RULE, `is newer than ${NEWEST}`);
  if (m[2] !== undefined && Number(m[2]) > latest) return fail(GO_VERSION_RULE, `is no release: 1.${minor} goes up to 1.${minor}.${latest}`);
  // A pre-release exists only as the ones the Go team shipped (1.22rc9 and 1.22beta1 never did).
  const shipped = PRERELEASES[minor] ?? [];
  if (m[3] !== undefined && !shipped.includes(`${m[3]}${m[4]}`)) {
    return fail(GO_VERSION_RULE, `is no release: 1.${minor}'s pre-releases are ${shipped.map((p) => `1.${minor}${p}`).join(', ') || 'none'}`);
  }
  return ok(value);
}

/**
 * A version read from a module's go.mod: any well-formed Go version (the module's own, older
 * or newer than this generator knows). It lands in the Dockerfile, so the shape is strict.
 */
export function isGoVersionShape(value: string): boolean {
  return /^[1-9][0-9]*\.(0|[1-9][0-9]*)(?:\.(0|[1-9][0-9]*))?(?:(rc|beta)[1-9][0-9]*)?$/.test(value);
}
