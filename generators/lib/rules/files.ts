// Config file paths: inside the project, never a credential, never a file the build or engine reads as its own.
import { badCharacter, fail, ok, type Checked } from '../errors.js';

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
