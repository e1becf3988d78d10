// Plain values: a port, a choice, an on/off switch.
import { fail, ok, type Checked } from '../errors.js';

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
