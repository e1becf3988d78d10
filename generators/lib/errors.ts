// The errors a user sees, and the helpers that make each one line. It imports nothing of ours:
// every room of the generator may throw these, the writer included.

/** A validator's verdict on one value: the normalised value, or what is wrong with it and the rule it breaks. */
export type Checked<T> = { ok: true; value: T } | { ok: false; rule: string; problem?: string };

export const ok = <T>(value: T): Checked<T> => ({ ok: true, value });

/**
 * A refusal: `rule` is the short clause after "must be"; `problem`, when the validator can tell,
 * says first what is wrong, as a predicate of the value ("has \"#\" at position 4").
 */
export const fail = <T>(rule: string, problem?: string): Checked<T> => (problem === undefined ? { ok: false, rule } : { ok: false, rule, problem });

const NAMED_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Control characters as escapes ("\\n", "\\x1b", "\\u009b"), so that an error line is one line and
 * no input can drive the terminal it is printed on.
 */
export function escapeControls(text: string): string {
  return text.replace(/[\p{Cc}\u2028\u2029]/gu, (c) => {
    const code = c.codePointAt(0)!;
    return NAMED_ESCAPES[c] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
  });
}

/** URL credentials (user:password@) are never echoed, not even in an error: logs are kept. */
export function redact(text: string): string {
  return text.replace(/(^|\/\/|[,|])[^/@,|\s]+@/g, '$1***@');
}

/** A message on one line: JSON parse errors quote the input, line breaks included. */
export function oneLine(message: string): string {
  return message.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** How much of a long value an error line quotes. */
const SHOWN = 80;

/** A value as an error line quotes it: JSON, credentials masked, a long one cut with its length said. */
export function quoteValue(value: unknown): string {
  if (typeof value !== 'string') return JSON.stringify(value);
  const text = redact(value);
  const chars = [...text];
  if (chars.length <= SHOWN) return JSON.stringify(text);
  return `${JSON.stringify(chars.slice(0, SHOWN).join(''))}… (${chars.length.toLocaleString('en-US')} characters)`;
}

/** One character as a message names it: "#", a space, a tab, U+00E9 "é". */
export function describeChar(c: string): string {
  if (c === ' ') return 'a space';
  const code = c.codePointAt(0)!;
  if (/\p{Cc}/u.test(c)) return `the control character ${escapeControls(c)}`;
  if (code > 0x7e) return `${JSON.stringify(c)} (U+${code.toString(16).toUpperCase().padStart(4, '0')})`;
  return JSON.stringify(c);
}

/** The first character of text outside `allowed` (a one-character class), as "has \"#\" at position 4". */
export function badCharacter(text: string, allowed: RegExp): string | undefined {
  const chars = [...text];
  const at = chars.findIndex((c) => !allowed.test(c));
  return at < 0 ? undefined : `has ${describeChar(chars[at]!)} at position ${at + 1}`;
}

/** "is 4,097 characters, over the limit of 4,096". */
export const overLimit = (length: number, limit: number, unit = 'characters'): string =>
  `is ${length.toLocaleString('en-US')} ${unit}, over the limit of ${limit.toLocaleString('en-US')}`;

/** The line for a value a validator refused: where, the value, what is wrong, then the rule. */
export function invalidLine(where: string, value: unknown, failed: { rule: string; problem?: string }): string {
  return escapeControls(`${where}: ${quoteValue(value)} ${failed.problem ?? 'is not valid'}: must be ${failed.rule}`);
}

/** Bad input: one line naming the input, the bad value, what is wrong with it, and the rule. */
export class InputError extends Error {
  constructor(where: string, value: unknown, failed: { rule: string; problem?: string }) {
    super(invalidLine(where, value, failed));
    this.name = 'InputError';
  }
}

/** A user-facing error that is not about one value (missing file, conflicting sources). */
export class UsageError extends Error {
  constructor(message: string) {
    super(escapeControls(message));
    this.name = 'UsageError';
  }
}

const USER_ERRORS = new Set(['InputError', 'UsageError']);

/** Errors users cause, which print their message alone; anything else is a bug and keeps its stack. */
export function isUserError(error: unknown): boolean {
  return error instanceof Error && USER_ERRORS.has(error.name);
}

/** The errors of a prompt that a person cancelled (Ctrl-C, Escape): Inquirer's and Node's names. */
export const PROMPT_ABORTS: ReadonlySet<string> = new Set(['ExitPromptError', 'AbortPromptError', 'AbortError']);
