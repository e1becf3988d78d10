// Where things come from over the network: GOPROXY, GOPRIVATE, base image references, registries.
import { badCharacter, fail, ok, type Checked } from '../errors.js';

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
