// Pure validators, one per input. Each takes the raw text a user gave (flag, prompt
// answer, answers file, preset) and returns either the normalised value, or what is wrong
// with it (the offending character and its position, the limit) and the rule it broke, in a
// short clause. Prompts, flags, answers files and presets all call these.

import { X509Certificate } from 'node:crypto';
import { badCharacter, describeChar, fail, ok, overLimit, type Checked } from './errors.js';
import { LATEST_PATCH, NEWEST_MINOR, OLDEST_MINOR, PRERELEASES, RELEASES_CHECKED } from './go-releases.js';

export type { Checked } from './errors.js';

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
function isWindowsReserved(elem: string): boolean {
  return windowsReserved.has(elem.split('.')[0]!.toLowerCase());
}

/** The module path's last element without a /vN suffix: Go's default binary name. */
export function moduleBase(module: string): string {
  const elems = module.split('/');
  const last = elems.at(-1)!;
  return /^v[0-9]+$/.test(last) && elems.length > 1 ? elems.at(-2)! : last;
}

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

export const PORT_RULE = 'an integer from 1 to 65535';

export function checkPort(raw: string | number): Checked<number> {
  const text = String(raw).trim();
  if (text === '') return fail(PORT_RULE, 'is empty');
  if (!/^[0-9]+$/.test(text)) return fail(PORT_RULE, 'is not a whole number');
  const port = Number(text);
  if (port === 0) return fail(PORT_RULE, 'is 0');
  return port <= 65535 ? ok(port) : fail(PORT_RULE, 'is over 65535');
}

/** A port a non-root process may not bind everywhere (Kubernetes' default runAsNonRoot). */
export function isPrivilegedPort(port: number): boolean {
  return port < 1024;
}

export function checkChoice<T extends string>(choices: readonly T[]) {
  const rule = `one of ${choices.map((c) => `"${c}"`).join(', ')}`;
  return (raw: string): Checked<T> => {
    const value = raw.trim() as T;
    return choices.includes(value) ? ok(value) : fail(rule, value === '' ? 'is empty' : undefined);
  };
}

const TRUE_WORDS = ['true', 'yes', 'on', '1'];
const FALSE_WORDS = ['false', 'no', 'off', '0'];

/** An on/off input: true/false (also yes/no, on/off, 1/0, as answers files and presets may write them). */
export function checkBoolean(raw: string): Checked<boolean> {
  const word = raw.trim().toLowerCase();
  if (TRUE_WORDS.includes(word)) return ok(true);
  if (FALSE_WORDS.includes(word)) return ok(false);
  return fail('true or false (yes/no, on/off, 1/0)', word === '' ? 'is empty' : undefined);
}

export const GOPROXY_RULE = 'a GOPROXY list: "direct", "off" or proxy URLs (https://, http://, file://), separated by "," or "|"';

export const GOPROXY_SECRET_RULE =
  'a GOPROXY without credentials, which would be written into the Dockerfile and .yo-rc.json: ' +
  'put them in a netrc file, the netrc build secret (NETRC_FILE, default ~/.netrc)';

/** Go's GOPROXY grammar: empty entries are skipped, a URL without a scheme is https. */
export function checkGoproxy(raw: string): Checked<string> {
  const value = raw.trim();
  const entries = value.split(/[,|]/).filter((e) => e !== '');
  if (entries.length === 0) return fail(GOPROXY_RULE, value === '' ? 'is empty' : 'has no entry');
  for (const entry of entries) {
    const named = entries.length === 1 ? '' : ` in the entry ${JSON.stringify(entry.replace(/[^/@]*@/, '***@'))}`;
    if (/^(?:[a-z]+:\/\/)?[^/]*@/i.test(entry)) return fail(GOPROXY_SECRET_RULE, `has credentials (user@)${named}`);
    const problem = goproxyEntryProblem(entry);
    if (problem) return fail(GOPROXY_RULE, `${problem}${named}`);
  }
  return ok(value);
}

function goproxyEntryProblem(entry: string): string | undefined {
  if (entry === 'direct' || entry === 'off') return undefined;
  // A scheme, when given, is one Go fetches from; without one, Go reads the entry as https.
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(entry)?.[1];
  if (scheme !== undefined && !/^(https?|file)$/i.test(scheme)) return `has the scheme ${scheme}://, which Go does not fetch from`;
  const rest = scheme === undefined ? entry : entry.slice(scheme.length + 3);
  const bad = badCharacter(rest, /[A-Za-z0-9._~:/%+-]/);
  if (bad) return bad.replace(/at position (\d+)/, (_, n: string) => `at position ${Number(n) + (scheme === undefined ? 0 : scheme.length + 3)}`);
  // A network URL needs a host; a file URL needs an absolute path.
  if (scheme?.toLowerCase() === 'file') return rest.startsWith('/') ? undefined : 'is a file URL without an absolute path';
  return /^[A-Za-z0-9]/.test(rest) ? undefined : 'is a URL without a host';
}

export const GOPRIVATE_RULE = 'comma-separated module path patterns (Go\'s GOPRIVATE) of letters, digits and . _ ~ - / * ? [ ]';

export function checkGoprivate(raw: string): Checked<string> {
  const value = raw.trim();
  if (value === '') return ok('');
  const bad = badCharacter(value, /[A-Za-z0-9._~*?[\]/,-]/);
  if (bad) return fail(GOPRIVATE_RULE, bad);
  for (const entry of value.split(',')) {
    if (entry === '') return fail(GOPRIVATE_RULE, 'has an empty pattern (",,")');
    if (entry.startsWith('/')) return fail(GOPRIVATE_RULE, `has a pattern starting with "/" (${entry})`);
  }
  return ok(value);
}

export const CONFIG_RULE =
  'config files: relative paths inside the project, of letters, digits and . _ / -, that the build, the image engine and make clean leave alone';

export const CONFIG_SECRET_RULE =
  'config files, which are copied into the image, not credentials: pass those as the netrc build secret (NETRC_FILE), or mount them at run time';

// Files the go command reads or writes beside the code: a config file by one of these names
// would change the build, be compiled, or be deleted by `make clean`.
const GO_BUILD_FILE = /\.(go|s|S|sx|c|cc|cpp|cxx|h|hh|hpp|hxx|m|f|F|for|f90|swig|swigcxx|syso|test)$/;
// What BuildKit, buildah and podman read beside the build: another Dockerfile or Containerfile,
// and the ignore files they prefer to .dockerignore (Dockerfile.dockerignore, .containerignore),
// which would switch the allow-list off.
const ENGINE_FILE = /^(?:(?:Dockerfile|Containerfile)(?:\..*)?|.*\.(?:dockerignore|containerignore)|\.containerignore)$/i;
// Folders and files that hold credentials: never copied into an image.
const CREDENTIALS = new Set([
  '.git', '.netrc', '_netrc', '.git-credentials', '.ssh', '.gnupg', '.aws', '.docker', '.kube', '.npmrc', '.pypirc', '.pgpass',
  'id_rsa', 'id_dsa', 'id_ecdsa', 'id_ed25519',
]);

/** A file or folder name that holds credentials (.netrc, .ssh, id_ed25519, .env, .env.local …). */
export function isCredentialName(name: string): boolean {
  return CREDENTIALS.has(name) || /^\.env(\..+)?$/.test(name);
}

/** Splits repeated and comma-separated values into a clean, de-duplicated list. */
export function splitList(raw: string | readonly string[] | undefined): string[] {
  if (raw === undefined) return [];
  const parts = (Array.isArray(raw) ? raw : [raw]).flatMap((r) => String(r).split(','));
  return [...new Set(parts.map((p) => p.trim()).filter((p) => p !== ''))];
}

/** Config file paths, normalised ("./a//b" is "a/b"). */
export function checkConfigFiles(raw: string | readonly string[], reserved: ReadonlySet<string>): Checked<string[]> {
  const files = splitList(raw).map(normalisePath);
  // With one file the value is the file: no need to name it again.
  const which = (file: string, clause: string) => (files.length === 1 ? clause : `has ${JSON.stringify(file)}, which ${clause}`);
  for (const file of files) {
    const secret = file.split('/').find((e) => CREDENTIALS.has(e));
    if (secret !== undefined) return fail(CONFIG_SECRET_RULE, which(file, secret === '.git' ? 'lies in .git/' : `is a credential file (${secret})`));
    const problem = configProblem(file, reserved);
    if (problem) return fail(CONFIG_RULE, which(file, problem));
  }
  return ok([...new Set(files)]);
}

/** Why one config path is refused, as the end of "has \"x\", which …". */
function configProblem(file: string, reserved: ReadonlySet<string>): string | undefined {
  if (file.startsWith('/')) return 'is absolute';
  const bad = badCharacter(file, /[A-Za-z0-9._/-]/);
  if (bad) return bad;
  const elements = file.split('/');
  if (elements.includes('')) return 'has an empty element';
  if (elements.includes('..')) return 'climbs out of the project ("..")';
  const dash = elements.find((e) => e.startsWith('-'));
  if (dash !== undefined) return `has an element starting with "-" (${dash})`;
  const long = elements.find((e) => Buffer.byteLength(e) > 255);
  if (long !== undefined) return `has an element of ${Buffer.byteLength(long)} bytes, over the limit of 255`;
  const last = elements.at(-1)!;
  if (reserved.has(file)) return 'is a file the generator writes';
  if (/^go\.work(\.sum)?$/.test(file)) return 'is a Go workspace file';
  if (GO_BUILD_FILE.test(file)) return 'is a Go build input or output (.go, .s, .c, .h, .syso, .test …)';
  if (ENGINE_FILE.test(last)) return 'is a file an image engine reads as its own (Dockerfile*, Containerfile*, *.dockerignore)';
  if (elements[0] === 'bin') return 'lies in bin/, which make clean deletes';
  return undefined;
}

/** Drops "." elements and repeated slashes, which name the same file. */
function normalisePath(file: string): string {
  if (file.startsWith('/')) return file;
  return file.split('/').filter((e, i, all) => e !== '.' && (e !== '' || i === all.length - 1)).join('/');
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

export const IMAGE_RULE =
  'a pinned image reference, [registry/]path:tag and/or @sha256:<64 hex>, with a lowercase path and a tag other than "latest" (${GO_VERSION} and ${ALPINE_VERSION} may stand in a tag)';

const IMAGE_REF =
  /^(?:[a-zA-Z0-9.-]+(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(@sha256:[0-9a-f]{64})?$/;

/** A pinned base image reference; the Dockerfile's version ARGs may appear in the tag. */
export function checkImageRef(raw: string): Checked<string> {
  const value = raw.trim();
  const sample = value.replaceAll('${GO_VERSION}', '1.26.8').replaceAll('${ALPINE_VERSION}', '3.24');
  if (sample.includes('$')) return fail(IMAGE_RULE, 'has a "$" other than ${GO_VERSION} or ${ALPINE_VERSION}');
  const m = IMAGE_REF.exec(sample);
  if (!m) return fail(IMAGE_RULE, referenceProblem(sample) ?? 'is not an image reference');
  if (m[1] === undefined && m[2] === undefined) return fail(IMAGE_RULE, 'has neither a tag nor a digest');
  if (m[1] === 'latest') return fail(IMAGE_RULE, 'is tagged "latest", which moves');
  return ok(value);
}

/** What makes text no image reference: a scheme, a capital in the path, a bad port, a bad character. */
function referenceProblem(text: string): string | undefined {
  if (/^[a-z]+:\/\//i.test(text)) return `starts with a scheme (${text.split('//')[0]}//): give the registry's host alone`;
  const port = /^[^/]*:([0-9]+)\//.exec(text)?.[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return `has the port ${port}, over 65535`;
  const slash = text.indexOf('/');
  const host = slash > 0 && /[.:]|^localhost$/.test(text.slice(0, slash)) ? text.slice(0, slash + 1) : '';
  const path = text.slice(host.length).split(/[:@]/)[0]!;
  const upper = [...path].findIndex((c) => /[A-Z]/.test(c));
  if (upper >= 0) return `has the capital ${JSON.stringify(path[upper])} in its path, which must be lowercase`;
  const bad = badCharacter(text, /[A-Za-z0-9._:/@${}-]/);
  return bad;
}

export const LABEL_KEY_RULE = 'a label key: lowercase letters, digits, "." and "-", starting and ending with a letter or digit';
export const LABEL_VALUE_RULE = 'a label value: printable text without "$", "\\\\" or a line break';

export function checkLabel(key: string, value: unknown): Checked<string> {
  if (!/^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?$/.test(key)) return fail(LABEL_KEY_RULE, badCharacter(key, /[a-z0-9.-]/) ?? 'starts or ends with "." or "-"');
  if (typeof value !== 'string') return fail(LABEL_VALUE_RULE, 'is not text');
  const bad = [...value].findIndex((c) => /[\p{Cc}$\\]/u.test(c));
  if (bad >= 0) return fail(LABEL_VALUE_RULE, `has ${describeChar([...value][bad]!)} at position ${bad + 1}`);
  return ok(value);
}

export const ARGS_RULE =
  'arguments as sh splits them, with nothing sh would expand (the image starts the program without a shell): quote such characters';

/** At most this long: default arguments, not a script. */
export const MAX_ARGS = 4096;

/** What sh reads unquoted as more than a character: expansions, globs, operators, and a newline, which ends a command as ; does. */
const SHELL_SPECIAL = new Set(['$', '`', '*', '?', '[', '|', '&', ';', '<', '>', '(', ')', '\n']);
const BLANK = new Set([' ', '\t']);

/**
 * Default arguments, split into words as sh splits them (POSIX "Token Recognition" and
 * "Quoting"), with no expansion: whatever sh would expand, glob or run, which an exec-form
 * CMD cannot, is refused rather than passed on as something else.
 */
export function splitArgs(raw: string): Checked<string[]> {
  if (raw.length > MAX_ARGS) return fail(ARGS_RULE, overLimit(raw.length, MAX_ARGS));
  const words: string[] = [];
  let word: string | undefined;
  const add = (text: string) => (word = (word ?? '') + text);
  const at = (i: number, what: string) => fail<string[]>(ARGS_RULE, `has ${what} at position ${i + 1}`);
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (BLANK.has(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === '\\') {
      if (i + 1 >= raw.length) return at(i, 'a backslash that escapes nothing');
      // A backslash-newline is a line continuation: both go.
      if (raw[++i] !== '\n') add(raw[i]!);
    } else if (c === "'") {
      const close = raw.indexOf("'", i + 1);
      if (close < 0) return at(i, "a ' that is never closed");
      add(raw.slice(i + 1, close));
      i = close;
    } else if (c === '"') {
      const quoted = doubleQuoted(raw, i + 1);
      if (quoted.kind === 'unclosed') return at(i, 'a " that is never closed');
      if (quoted.kind === 'expands') return at(quoted.at, `${describeChar(raw[quoted.at]!)}, which sh expands even in double quotes`);
      add(quoted.text);
      i = quoted.end;
    } else if (SHELL_SPECIAL.has(c)) {
      return at(i, `an unquoted ${describeChar(c)}`);
    } else if (word === undefined && (c === '#' || c === '~')) {
      return at(i, `${describeChar(c)} starting a word`);
    } else {
      add(c);
    }
  }
  if (word !== undefined) words.push(word);
  const control = words.find((w) => /\p{Cc}/u.test(w));
  if (control !== undefined) return fail(ARGS_RULE, `has ${describeChar([...control].find((c) => /\p{Cc}/u.test(c))!)} in a word`);
  return ok(words);
}

/** A double-quoted string from `start` (after its quote): its text and where it ends; or why it is refused. */
function doubleQuoted(raw: string, start: number): { kind: 'ok'; text: string; end: number } | { kind: 'unclosed' } | { kind: 'expands'; at: number } {
  let text = '';
  for (let i = start; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '"') return { kind: 'ok', text, end: i };
    if (c === '$' || c === '`') return { kind: 'expands', at: i };
    // Inside double quotes a backslash escapes only $ ` " \ and a newline (a line continuation).
    if (c === '\\' && i + 1 < raw.length && '$`"\\\n'.includes(raw[i + 1]!)) {
      if (raw[++i] !== '\n') text += raw[i];
    } else {
      text += c;
    }
  }
  return { kind: 'unclosed' };
}

/** The arguments in their one written form: each word quoted only when it needs it. */
export function checkArgs(raw: string): Checked<string> {
  const words = splitArgs(raw);
  return words.ok ? ok(words.value.map(shellQuote).join(' ')) : words;
}

const PLAIN_WORD = /^[A-Za-z0-9._\/:=@%+,-]+$/;

/** One word for a POSIX shell, quoted only when it needs it. */
export function shellQuote(word: string): string {
  return PLAIN_WORD.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

export const REPOSITORY_RULE = 'a registry and path with no tag: [host[:port]/]path, with a lowercase path, e.g. registry.example.com/team';

/**
 * The repository grammar (distribution's reference grammar, without tag or digest) as a POSIX
 * extended regular expression, which JavaScript and bash's [[ =~ ]] read alike: build.sh checks
 * REGISTRY with this same text. Group 4 is the port.
 */
export const REPOSITORY_ERE = '^(([a-zA-Z0-9.-]+)(:([0-9]+))?/)?[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*(/[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*)*$';
const REPOSITORY = new RegExp(REPOSITORY_ERE);

/** Where images are pushed and pulled from: a registry and path, with no tag or digest of its own. */
export function checkRepository(raw: string): Checked<string> {
  const value = raw.trim().replace(/\/+$/, '');
  if (value === '') return fail(REPOSITORY_RULE, 'is empty');
  const m = REPOSITORY.exec(value);
  if (!m) {
    const tagged = /^([^/]*\/)?[^:@]*[:@]/.exec(value) && !/^[a-z]+:\/\//i.test(value) && !/^[^/]*:[0-9]+\//.test(value);
    return fail(REPOSITORY_RULE, tagged ? 'has a tag or digest, which build.sh adds itself' : (referenceProblem(value) ?? 'is not a registry and path'));
  }
  const port = m[4];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return fail(REPOSITORY_RULE, `has the port ${port}, ${Number(port) < 1 ? 'which is no port' : 'over 65535'}`);
  return ok(value);
}

export const NAMESPACE_RULE = 'a Kubernetes namespace: at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit';

export function checkNamespace(raw: string): Checked<string> {
  if (/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(raw)) return ok(raw);
  if (raw === '') return fail(NAMESPACE_RULE, 'is empty');
  if (raw.length > 63) return fail(NAMESPACE_RULE, overLimit(raw.length, 63));
  const upper = [...raw].findIndex((c) => /[A-Z]/.test(c));
  if (upper >= 0) return fail(NAMESPACE_RULE, `has the capital ${JSON.stringify(raw[upper])} at position ${upper + 1}`);
  return fail(NAMESPACE_RULE, badCharacter(raw, /[a-z0-9-]/) ?? `${raw.startsWith('-') ? 'starts' : 'ends'} with "-"`);
}

export const QUANTITY_RULE = 'a Kubernetes quantity greater than zero: a number with an optional unit (m, k, M, G, T, Ki, Mi, Gi, Ti), e.g. 100m, 64Mi';

const QUANTITY = /^([0-9]+(?:\.[0-9]+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/;
const UNITS: Readonly<Record<string, number>> = { '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };

export function checkQuantity(raw: string): Checked<string> {
  const m = QUANTITY.exec(raw);
  if (!m) return fail(QUANTITY_RULE, raw === '' ? 'is empty' : 'is not a number with a unit');
  return Number(m[1]) === 0 ? fail(QUANTITY_RULE, 'is zero') : ok(raw);
}

/** A checked quantity's value in its base unit (bytes, cores): 0.5Gi is 536870912, 256Mi is 268435456. */
export function quantityValue(quantity: string): number {
  const m = QUANTITY.exec(quantity);
  if (!m) throw new Error(`internal: ${JSON.stringify(quantity)} is not a checked quantity`);
  return Number(m[1]) * UNITS[m[2] ?? '']!;
}

const K8S_LABEL_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?$/;

/** Whether an OCI label can also be a Kubernetes label: key [prefix/]name, value at most 63 of [A-Za-z0-9._-]. */
export function isKubernetesLabel(key: string, value: string): boolean {
  const slash = key.lastIndexOf('/');
  const [prefix, name] = slash < 0 ? [undefined, key] : [key.slice(0, slash), key.slice(slash + 1)];
  if (prefix !== undefined && !DNS_SUBDOMAIN.test(prefix)) return false;
  return K8S_LABEL_NAME.test(name) && (value === '' || K8S_LABEL_NAME.test(value));
}

/**
 * The app name as a Kubernetes object name: a Service's name must be a DNS-1035 label (lowercase
 * letters, digits and "-", starting with a letter, at most 63), which "client_golang" or "3d.api" is not.
 */
export function kubernetesName(name: string): string {
  const dashed = name.replace(/[._]+/g, '-').replace(/-+/g, '-');
  const lettered = /^[a-z]/.test(dashed) ? dashed : `app-${dashed}`;
  return lettered.slice(0, 63).replace(/-+$/, '');
}

export const CA_BUNDLE_RULE =
  'a PEM bundle of CA certificates: -----BEGIN CERTIFICATE----- blocks and nothing else, at most 100 kB (certificates are public; a key never goes into a build)';
export const CA_KEY_RULE = 'CA certificates alone: a private key never goes into a build (give the certificates, not the key)';

/** Build arguments are bounded (Linux takes 128 KiB for one argument); a company's CAs are a few kB. */
export const CA_BUNDLE_MAX_BYTES = 100_000;

/**
 * A CA bundle: every PEM block a certificate that parses, at least one, no private key, and
 * small enough to pass as a build argument. The value is the bundle with "\n" line ends and one
 * final newline.
 */
export function checkCaBundle(raw: string): Checked<string> {
  const text = raw.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(text)) return fail(CA_KEY_RULE, 'holds a private key');
  const bytes = Buffer.byteLength(text);
  if (bytes > CA_BUNDLE_MAX_BYTES) return fail(CA_BUNDLE_RULE, overLimit(bytes, CA_BUNDLE_MAX_BYTES, 'bytes'));
  const blocks = [...text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----\n[A-Za-z0-9+/=\n]+?-----END \1-----/g)];
  const begins = text.match(/-----BEGIN /g)?.length ?? 0;
  if (begins === 0) return fail(CA_BUNDLE_RULE, 'holds no PEM block');
  const other = blocks.find((b) => b[1] !== 'CERTIFICATE');
  if (other) return fail(CA_BUNDLE_RULE, `holds a ${other[1]} block`);
  if (begins !== blocks.length) return fail(CA_BUNDLE_RULE, `holds a block that does not end, or holds more than base64 (block ${blocks.length + 1})`);
  for (const [i, block] of blocks.entries()) {
    try {
      new X509Certificate(block[0]);
    } catch {
      return fail(CA_BUNDLE_RULE, `holds a certificate that does not parse (block ${i + 1})`);
    }
  }
  return ok(`${text.trimEnd()}\n`);
}
