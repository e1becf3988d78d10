// Pure validators, one per input. Each takes the raw text a user gave (flag, prompt
// answer, answers file, preset) and returns either the normalised value or the rule
// it broke. Prompts, flags, answers files and presets all call these.

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
  'a Go module path: slash-separated elements of letters, digits and . _ ~ -, none empty, "." or "..", ' +
  'none ending with a dot, no leading or trailing slash, and a major-version suffix only as /v2 or higher';

/** Go's import-path rules for a module path, as `go mod init` accepts them. */
export function checkModule(raw: string): Checked<string> {
  const path = raw.trim();
  if (path === '') return fail('must not be empty');
  if (path.startsWith('/') || path.endsWith('/')) return fail(MODULE_RULE);
  for (const elem of path.split('/')) {
    if (!checkPathElement(elem)) return fail(MODULE_RULE);
  }
  if (!majorSuffixOk(path)) return fail(MODULE_RULE);
  return ok(path);
}

function checkPathElement(elem: string): boolean {
  if (elem === '' || /^\.+$/.test(elem)) return false;
  if (elem.endsWith('.')) return false;
  if (!/^[A-Za-z0-9._~-]+$/.test(elem)) return false;
  const short = elem.split('.')[0]!.toLowerCase();
  return !windowsReserved.has(short);
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

export const NAME_RULE =
  'a lowercase name: a letter or digit, then letters, digits, ".", "_" or "-", at most 63 characters';

export function checkName(raw: string): Checked<string> {
  const name = raw.trim();
  return /^[a-z0-9][a-z0-9._-]{0,62}$/.test(name) ? ok(name) : fail(NAME_RULE);
}

/** Turns any text into something checkName accepts (used for defaults only). */
export function toName(text: string): string {
  const cleaned = text
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 63)
    .replace(/[._-]+$/, '');
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

export const GOPROXY_RULE =
  'Go\'s GOPROXY list: entries separated by "," or "|", each "direct", "off", or an https://, http:// ' +
  'or file:// URL of letters, digits and . _ ~ : / @ % + -';

export function checkGoproxy(raw: string): Checked<string> {
  const value = raw.trim();
  if (value === '') return fail(GOPROXY_RULE);
  for (const entry of value.split(/[,|]/)) {
    if (!goproxyEntryOk(entry)) return fail(GOPROXY_RULE);
  }
  return ok(value);
}

function goproxyEntryOk(entry: string): boolean {
  if (entry === 'direct' || entry === 'off') return true;
  const m = /^(https?|file):\/\/([A-Za-z0-9._~:/@%+-]*)$/.exec(entry);
  if (!m) return false;
  const rest = m[2]!;
  // A network URL needs a host; a file URL needs an absolute path.
  return m[1] === 'file' ? rest.startsWith('/') : /^[A-Za-z0-9]/.test(rest);
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
  'relative paths inside the project, of letters, digits and . _ / -, with no "..", "." or empty element, ' +
  'no element starting with "-", and none that is a file the generator writes';

/** Splits repeated and comma-separated values into a clean, de-duplicated list. */
export function splitList(raw: string | readonly string[] | undefined): string[] {
  if (raw === undefined) return [];
  const parts = (Array.isArray(raw) ? raw : [raw]).flatMap((r) => String(r).split(','));
  return [...new Set(parts.map((p) => p.trim()).filter((p) => p !== ''))];
}

export function checkConfigFiles(raw: string | readonly string[], reserved: ReadonlySet<string>): Checked<string[]> {
  const files = splitList(raw);
  for (const file of files) {
    if (!configPathOk(file) || reserved.has(file) || file.endsWith('.go')) {
      return fail(CONFIG_RULE);
    }
  }
  return ok(files);
}

function configPathOk(file: string): boolean {
  if (!/^[A-Za-z0-9._/-]+$/.test(file)) return false;
  return file.split('/').every((e) => e !== '' && e !== '.' && e !== '..' && !e.startsWith('-'));
}

export const GO_VERSION_RULE = 'a Go release as x.y or x.y.z, Go 1.22 or newer (the generated code uses 1.22 routing patterns)';

export function checkGoVersion(raw: string): Checked<string> {
  const value = raw.trim().replace(/^go/, '');
  const m = /^([1-9][0-9]*)\.(0|[1-9][0-9]*)(?:\.(0|[1-9][0-9]*))?$/.exec(value);
  if (!m) return fail(GO_VERSION_RULE);
  const major = Number(m[1]);
  const minor = Number(m[2]);
  if (major < 1 || (major === 1 && minor < 22)) return fail(GO_VERSION_RULE);
  return ok(value);
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
