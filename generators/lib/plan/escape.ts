// Values escaped for the file they land in: YAML (compose.yaml, the workflow, manifests), compose's
// and the kubelet's `$` expansion, a Dockerfile's exec-form arrays, shell and Make words.
import { shellQuote } from '../rules/index.js';

const SHELL_WORD = /^[A-Za-z0-9._/:=@%+,~-]+$/;

/** Values that land in build.sh or the Makefile must be plain shell words. */
export function shellWord(value: string, what: string, empty = false): string {
  if (!(SHELL_WORD.test(value) || (empty && value === ''))) throw new Error(`internal: ${what} ${JSON.stringify(value)} is not a shell-safe word`);
  return value;
}

/**
 * A YAML double-quoted scalar, for every key and value from outside in a YAML file: `null`,
 * `on`, `1_000` and `0x10` stay strings, and anything but printable ASCII is an escape.
 */
export function yamlString(value: string | number): string {
  const escaped = [...String(value)].map((c) => {
    const code = c.codePointAt(0)!;
    if (c === '"' || c === '\\') return `\\${c}`;
    if (code >= 0x20 && code < 0x7f) return c;
    return code > 0xffff ? `\\U${code.toString(16).padStart(8, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
  return `"${escaped.join('')}"`;
}

/** Compose and the kubelet both read `$$` as a literal `$` (and expand what follows a single one). */
export function dollarsDoubled(value: string): string {
  return yamlString(value.replaceAll('$', '$$$$'));
}

/** A Dockerfile exec-form array: JSON, spaced for reading. */
export function jsonArray(words: readonly string[]): string {
  return `[${words.map((w) => JSON.stringify(w)).join(', ')}]`;
}

/** Words for a Makefile's `VAR ?=` line: shell-quoted, with $ and # escaped for Make. */
export function makeWords(words: readonly string[]): string {
  return words.map(shellQuote).join(' ').replaceAll('$', '$$$$').replaceAll('#', '\\#');
}
