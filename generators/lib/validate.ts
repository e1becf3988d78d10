// Pure validators, one per input. Each takes the raw text a user gave (flag, prompt
// answer, answers file, preset) and returns either the normalised value or the rule
// it broke. Prompts, flags, answers files and presets all call these.

import { X509Certificate } from 'node:crypto';
import { LATEST_PATCH, NEWEST_MINOR, OLDEST_MINOR, PRERELEASES, RELEASES_CHECKED } from './go-releases.js';

export type Checked<T> = { ok: true; value: T } | { ok: false; rule: string };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const fail = <T>(rule: string): Checked<T> => ({ ok: false, rule });

// Go's reserved Windows names: golang.org/x/mod/module rejects them as path elements.
const windowsReserved = new Set([
  'con', 'prn', 'aux', 'nul',
  'com1', 'com2', 'com3', 'com4', 'com5', 'com6', 'com7', 'com8', 'com9',
  'lpt1', 'lpt2', 'lpt3', 'lpt4', 'lpt5', 'lpt6', 'lpt7', 'lpt8', 'lpt9',
]);

export const MODULE_RULE =
  'a Go module path: slash-separated elements of letters, digits and . _ ~ + -, none empty, "." or "..", ' +
  'none ending with a dot or named con, prn, aux, nul, com1-9 or lpt1-9 (reserved on Windows), ' +
  'no leading dash or slash, no trailing slash, a major-version suffix only as /v2 or higher, ' +
  'and no standard-library path such as fmt or net/http';

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
  if (path === '') return fail('must not be empty');
  if (path.startsWith('/') || path.endsWith('/') || path.startsWith('-')) return fail(MODULE_RULE);
  const elems = path.split('/');
  if (!elems.every(checkPathElement)) return fail(MODULE_RULE);
  if (!elems[0]!.includes('.') && STD_ROOTS.has(elems[0]!)) return fail(MODULE_RULE);
  if (!majorSuffixOk(path)) return fail(MODULE_RULE);
  return ok(path);
}

function checkPathElement(elem: string): boolean {
  if (elem === '' || /^\.+$/.test(elem)) return false;
  if (elem.endsWith('.')) return false;
  if (!/^[A-Za-z0-9._~+-]+$/.test(elem)) return false;
  return !isWindowsReserved(elem);
}

/** Go refuses these as path elements (the part before the first dot), whatever the case. */
function isWindowsReserved(elem: string): boolean {
  return windowsReserved.has(elem.split('.')[0]!.toLowerCase());
}

// Mirrors module.SplitPathVersion: a trailing /vN must have N >= 2, with no leading zero or dot.
function majorSuffixOk(path: string): boolean {
  const m = /\/v([0-9.]+)$/.exec(path);
  if (!m || path.startsWith('gopkg.in/')) return true;
  const n = m[1]!;
  return !n.includes('.') && !n.startsWith('0') && n !== '1';
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

export const NAME_RULE =
  'a lowercase name that is also an image name: letters and digits, in runs joined by one ".", one or two "_", ' +
  'or "-"s, at most 63 characters, and not testdata, vendor or a name reserved on Windows (con, aux, nul, ...)';

// The path component of an image reference (distribution's reference grammar).
const IMAGE_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
// Names Go gives a meaning to as a folder (cmd/<name> under --layout cmd).
const GO_SPECIAL_DIRS = new Set(['testdata', 'vendor']);

export function checkName(raw: string): Checked<string> {
  const name = raw.trim();
  const good = name.length <= 63 && IMAGE_COMPONENT.test(name) && !GO_SPECIAL_DIRS.has(name) && !isWindowsReserved(name);
  return good ? ok(name) : fail(NAME_RULE);
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
  if (!/^[0-9]{1,5}$/.test(text)) return fail(PORT_RULE);
  const port = Number(text);
  return port >= 1 && port <= 65535 ? ok(port) : fail(PORT_RULE);
}

/** A port a non-root process may not bind everywhere (Kubernetes' default runAsNonRoot). */
export function isPrivilegedPort(port: number): boolean {
  return port < 1024;
}

export function checkChoice<T extends string>(choices: readonly T[]) {
  const rule = `one of ${choices.map((c) => `"${c}"`).join(', ')}`;
  return (raw: string): Checked<T> => {
    const value = raw.trim() as T;
    return choices.includes(value) ? ok(value) : fail(rule);
  };
}

const TRUE_WORDS = ['true', 'yes', 'on', '1'];
const FALSE_WORDS = ['false', 'no', 'off', '0'];

/** An on/off input: true/false (also yes/no, on/off, 1/0, as answers files and presets may write them). */
export function checkBoolean(raw: string): Checked<boolean> {
  const word = raw.trim().toLowerCase();
  if (TRUE_WORDS.includes(word)) return ok(true);
  if (FALSE_WORDS.includes(word)) return ok(false);
  return fail('true or false');
}

export const GOPROXY_RULE =
  'Go\'s GOPROXY list: entries separated by "," or "|", each "direct", "off", or a proxy URL (https:// when no ' +
  'scheme is given; http:// and file:// too) of letters, digits and . _ ~ : / % + -';

export const GOPROXY_SECRET_RULE =
  'a GOPROXY without credentials (user:password@ would be written into the Dockerfile, README and .yo-rc.json): ' +
  'put them in a netrc file, which build.sh passes as the netrc build secret (NETRC_FILE, default ~/.netrc)';

/** Go's GOPROXY grammar: empty entries are skipped, a URL without a scheme is https. */
export function checkGoproxy(raw: string): Checked<string> {
  const value = raw.trim();
  const entries = value.split(/[,|]/).filter((e) => e !== '');
  if (entries.length === 0) return fail(GOPROXY_RULE);
  for (const entry of entries) {
    if (/^(?:[a-z]+:\/\/)?[^/]*@/i.test(entry)) return fail(GOPROXY_SECRET_RULE);
    if (!goproxyEntryOk(entry)) return fail(GOPROXY_RULE);
  }
  return ok(value);
}

function goproxyEntryOk(entry: string): boolean {
  if (entry === 'direct' || entry === 'off') return true;
  // A scheme, when given, is one Go fetches from; without one, Go reads the entry as https.
  const m = /^(?:(https?|file):\/\/)?([A-Za-z0-9._~:/%+-]*)$/i.exec(entry);
  if (!m || (m[1] === undefined && entry.includes('://'))) return false;
  const rest = m[2]!;
  // A network URL needs a host; a file URL needs an absolute path.
  return m[1]?.toLowerCase() === 'file' ? rest.startsWith('/') : /^[A-Za-z0-9]/.test(rest);
}

export const GOPRIVATE_RULE =
  'comma-separated module path patterns (Go\'s GOPRIVATE), each of letters, digits and . _ ~ - / * ? [ ]';

export function checkGoprivate(raw: string): Checked<string> {
  const value = raw.trim();
  if (value === '') return ok('');
  const entries = value.split(',');
  return entries.every((e) => /^[A-Za-z0-9._~*?[\]-][A-Za-z0-9._~*?[\]/-]*$/.test(e)) ? ok(value) : fail(GOPRIVATE_RULE);
}

export const CONFIG_RULE =
  'relative paths inside the project, of letters, digits and . _ / -, with no ".." element, no element starting with "-" ' +
  'or over 255 bytes, none that is a file the generator writes, go.work, under bin/ (make clean deletes it), ' +
  'a Go build input or output (.go, .s, .c, .h, .syso, .test ...), ' +
  'or a file an image engine reads as its own (Dockerfile*, Containerfile*, *.dockerignore, .containerignore)';

export const CONFIG_SECRET_RULE =
  'a path that is not a credential file or under .git/ (config files are copied into the image): ' +
  'pass credentials at build time as the netrc build secret (NETRC_FILE), or at run time by mounting them';

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
  for (const file of files) {
    if (file.split('/').some((e) => CREDENTIALS.has(e))) return fail(CONFIG_SECRET_RULE);
    const first = file.split('/')[0]!;
    const bad =
      !configPathOk(file) ||
      reserved.has(file) ||
      GO_BUILD_FILE.test(file) ||
      ENGINE_FILE.test(file.split('/').at(-1)!) ||
      first === 'bin' ||
      /^go\.work(\.sum)?$/.test(file);
    if (bad) return fail(CONFIG_RULE);
  }
  return ok([...new Set(files)]);
}

/** Drops "." elements and repeated slashes, which name the same file. */
function normalisePath(file: string): string {
  if (file.startsWith('/')) return file;
  return file.split('/').filter((e, i, all) => e !== '.' && (e !== '' || i === all.length - 1)).join('/');
}

function configPathOk(file: string): boolean {
  if (!/^[A-Za-z0-9._/-]+$/.test(file)) return false;
  return file.split('/').every((e) => e !== '' && e !== '..' && !e.startsWith('-') && Buffer.byteLength(e) <= 255);
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

export const GO_VERSION_RULE =
  `a Go release that exists, as x.y, x.y.z or x.yrcN, from 1.${OLDEST_MINOR} (the generated code uses 1.22 routing ` +
  `patterns) to 1.${NEWEST_MINOR}.${LATEST_PATCH[NEWEST_MINOR]} (the newest this generator knows, as of ${RELEASES_CHECKED})`;

const GO_VERSION_SHAPE = /^1\.(0|[1-9][0-9]*)(?:\.(0|[1-9][0-9]*)|(rc|beta)([1-9][0-9]*))?$/;

/** A Go release, checked against the table of releases (go-releases.ts). */
export function checkGoVersion(raw: string): Checked<string> {
  const value = raw.trim().replace(/^go/, '');
  const m = GO_VERSION_SHAPE.exec(value);
  if (!m) return fail(GO_VERSION_RULE);
  const latest = LATEST_PATCH[Number(m[1])];
  if (latest === undefined) return fail(GO_VERSION_RULE);
  if (m[2] !== undefined && Number(m[2]) > latest) return fail(GO_VERSION_RULE);
  // A pre-release exists only as the ones the Go team shipped (1.22rc9 and 1.22beta1 never did).
  if (m[3] !== undefined && !(PRERELEASES[Number(m[1])] ?? []).includes(`${m[3]}${m[4]}`)) return fail(GO_VERSION_RULE);
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
  'an image reference [registry/]path:tag or path@sha256:<64 hex> (or both), lowercase path, a tag other than "latest"; ' +
  '${GO_VERSION} and ${ALPINE_VERSION} may stand in a tag';

const IMAGE_REF =
  /^(?:[a-zA-Z0-9.-]+(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(@sha256:[0-9a-f]{64})?$/;

/** A pinned base image reference; the Dockerfile's version ARGs may appear in the tag. */
export function checkImageRef(raw: string): Checked<string> {
  const value = raw.trim();
  const sample = value.replaceAll('${GO_VERSION}', '1.26.8').replaceAll('${ALPINE_VERSION}', '3.24');
  const m = IMAGE_REF.exec(sample);
  if (!m || (m[1] === undefined && m[2] === undefined) || m[1] === 'latest' || sample.includes('$')) return fail(IMAGE_RULE);
  return ok(value);
}

export const LABEL_KEY_RULE = 'a label key: lowercase letters, digits, "." and "-", starting and ending with a letter or digit';
export const LABEL_VALUE_RULE = 'a label value: printable text without "$", "\\\\" or a line break';

export function checkLabel(key: string, value: unknown): Checked<string> {
  if (!/^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?$/.test(key)) return fail(LABEL_KEY_RULE);
  if (typeof value !== 'string' || !/^[^\p{Cc}$\\]*$/u.test(value)) return fail(LABEL_VALUE_RULE);
  return ok(value);
}

export const ARGS_RULE =
  'arguments as a POSIX shell splits them (blanks between words; single quotes, double quotes and backslashes as in sh), ' +
  'closing every quote, with no unquoted $ or ` (not even in double quotes), glob (* ? [), operator (| & ; < > ( ) or a line break), ' +
  'or # or ~ starting a word, and no control character in a word: the image starts the program without a shell, ' +
  'so nothing would expand them; quote such characters';

/** At most this long: default arguments, not a script. */
const MAX_ARGS = 4096;

/** What sh reads unquoted as more than a character: expansions, globs, operators, and a newline, which ends a command as ; does. */
const SHELL_SPECIAL = new Set(['$', '`', '*', '?', '[', '|', '&', ';', '<', '>', '(', ')', '\n']);
const BLANK = new Set([' ', '\t']);

/**
 * Default arguments, split into words as sh splits them (POSIX "Token Recognition" and
 * "Quoting"), with no expansion: whatever sh would expand, glob or run, which an exec-form
 * CMD cannot, is refused rather than passed on as something else.
 */
export function splitArgs(raw: string): Checked<string[]> {
  if (raw.length > MAX_ARGS) return fail(ARGS_RULE);
  const words: string[] = [];
  let word: string | undefined;
  const add = (text: string) => (word = (word ?? '') + text);
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (BLANK.has(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === '\\') {
      if (i + 1 >= raw.length) return fail(ARGS_RULE);
      // A backslash-newline is a line continuation: both go.
      if (raw[++i] !== '\n') add(raw[i]!);
    } else if (c === "'") {
      const close = raw.indexOf("'", i + 1);
      if (close < 0) return fail(ARGS_RULE);
      add(raw.slice(i + 1, close));
      i = close;
    } else if (c === '"') {
      const quoted = doubleQuoted(raw, i + 1);
      if (!quoted) return fail(ARGS_RULE);
      add(quoted.text);
      i = quoted.end;
    } else if (SHELL_SPECIAL.has(c) || (word === undefined && (c === '#' || c === '~'))) {
      return fail(ARGS_RULE);
    } else {
      add(c);
    }
  }
  if (word !== undefined) words.push(word);
  return words.some((w) => /\p{Cc}/u.test(w)) ? fail(ARGS_RULE) : ok(words);
}

/** A double-quoted string from `start` (after its quote): its text and where it ends; undefined when unclosed or expanding. */
function doubleQuoted(raw: string, start: number): { text: string; end: number } | undefined {
  let text = '';
  for (let i = start; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '"') return { text, end: i };
    if (c === '$' || c === '`') return undefined;
    // Inside double quotes a backslash escapes only $ ` " \ and a newline (a line continuation).
    if (c === '\\' && i + 1 < raw.length && '$`"\\\n'.includes(raw[i + 1]!)) {
      if (raw[++i] !== '\n') text += raw[i];
    } else {
      text += c;
    }
  }
  return undefined;
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

export const REPOSITORY_RULE = 'an image repository without tag or digest: [registry[:port]/]path, lowercase path, e.g. registry.example.com/team';

/** Where images are pushed and pulled from: a registry and path, with no tag or digest of its own. */
export function checkRepository(raw: string): Checked<string> {
  const value = raw.trim().replace(/\/+$/, '');
  const m = IMAGE_REF.exec(value);
  if (!m || m[1] !== undefined || m[2] !== undefined || value === '') return fail(REPOSITORY_RULE);
  return ok(value);
}

export const NAMESPACE_RULE = 'a Kubernetes namespace: at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit';

export function checkNamespace(raw: string): Checked<string> {
  return /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(raw) ? ok(raw) : fail(NAMESPACE_RULE);
}

export const QUANTITY_RULE = 'a Kubernetes quantity: a number with an optional unit (m, k, M, G, Ki, Mi, Gi), e.g. 100m, 64Mi';

export function checkQuantity(raw: string): Checked<string> {
  return /^(?:[0-9]+(?:\.[0-9]+)?)(?:m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.test(raw) && !/^0+(?:\.0+)?[a-zA-Z]*$/.test(raw) ? ok(raw) : fail(QUANTITY_RULE);
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
export const CA_KEY_RULE = 'CA certificates alone: it holds a private key, which never goes into a build (give the certificates, not the key)';

/** Build arguments are bounded (Linux takes 128 KiB for one argument); a company's CAs are a few kB. */
export const CA_BUNDLE_MAX_BYTES = 100_000;

/**
 * A CA bundle: every PEM block a certificate that parses, at least one, no private key, and
 * small enough to pass as a build argument. The value is the bundle with "\n" line ends and one
 * final newline.
 */
export function checkCaBundle(raw: string): Checked<string> {
  const text = raw.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(text)) return fail(CA_KEY_RULE);
  if (Buffer.byteLength(text) > CA_BUNDLE_MAX_BYTES) return fail(CA_BUNDLE_RULE);
  const blocks = [...text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----\n[A-Za-z0-9+/=\n]+?-----END \1-----/g)];
  const begins = text.match(/-----BEGIN /g)?.length ?? 0;
  if (blocks.length === 0 || begins !== blocks.length || blocks.some((b) => b[1] !== 'CERTIFICATE')) return fail(CA_BUNDLE_RULE);
  for (const block of blocks) {
    try {
      new X509Certificate(block[0]);
    } catch {
      return fail(CA_BUNDLE_RULE);
    }
  }
  return ok(`${text.trimEnd()}\n`);
}
