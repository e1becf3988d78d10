// CA bundles: certificates alone, parsed, small enough for a build argument.
import { X509Certificate } from 'node:crypto';
import { fail, ok, overLimit, type Checked } from '../errors.js';

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
