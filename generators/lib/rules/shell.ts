// Default arguments, split as sh splits them, and words quoted for a POSIX shell.
import { describeChar, fail, ok, overLimit, type Checked } from '../errors.js';

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

const PLAIN_WORD = /^[A-Za-z0-9._/:=@%+,-]+$/;

/** One word for a POSIX shell, quoted only when it needs it. */
export function shellQuote(word: string): string {
  return PLAIN_WORD.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
