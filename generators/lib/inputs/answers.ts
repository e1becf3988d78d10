// Turning raw values from flags, stored config, prompts and files into validated Answers.
import { InputError, UsageError } from '../errors.js';
import { shellQuote } from '../rules/index.js';
import { INPUTS, type Answers, type DefaultContext, type InputName, type InputSpec } from './table.js';

export type RawValue = string | number | boolean | readonly string[];
export type RawInputs = Partial<Record<InputName, RawValue>>;

const asRaw = (value: RawValue): string | readonly string[] =>
  Array.isArray(value) ? value.map(String) : String(value);

/** Validates one input's raw value; `where` names the input in the error (e.g. "--port"). */
export function checkInput<K extends InputName>(spec: InputSpec<K>, raw: RawValue, where: string): Answers[K] {
  const result = spec.check(asRaw(raw));
  if (!result.ok) throw new InputError(where, Array.isArray(raw) ? raw.join(',') : raw, result);
  return result.value;
}

/** Validates every value present in `raw`, in table order. */
export function checkInputs(raw: RawInputs, where: (spec: InputSpec) => string): Partial<Answers> {
  const out: Partial<Record<InputName, unknown>> = {};
  for (const spec of INPUTS as readonly InputSpec[]) {
    const value = raw[spec.key];
    if (value !== undefined && value !== null) out[spec.key] = checkInput(spec, value, where(spec));
  }
  return out as Partial<Answers>;
}

/**
 * Fills every missing input with its default, in table order (later defaults see earlier
 * answers): a preset's default first, else the built-in one. A default goes through the
 * same validator as a flag: one derived from a folder named "aux" is refused, not written.
 */
export function completeAnswers(partial: Partial<Answers>, ctx: DefaultContext, presetDefaults: Partial<Answers> = {}): Answers {
  const out: Partial<Record<InputName, unknown>> = { ...partial };
  for (const spec of INPUTS as readonly InputSpec[]) {
    if (out[spec.key] !== undefined) continue;
    const text = (spec.toText as (v: unknown) => string)(presetDefaults[spec.key] ?? spec.defaultValue(ctx, out as Partial<Answers>));
    const checked = spec.check(text);
    if (!checked.ok) {
      throw new UsageError(
        `--${spec.flag} was not given, and its default ${JSON.stringify(text)} (from ${spec.defaultHelp.replaceAll('`', '')}) ` +
          `${checked.problem ?? 'is not valid'}: must be ${checked.rule}: give --${spec.flag}`,
      );
    }
    out[spec.key] = checked.value;
  }
  return out as Answers;
}

/** Answers as raw text values, e.g. to store them or re-check them. */
export function toRaw(answers: Partial<Answers>): RawInputs {
  const out: RawInputs = {};
  for (const spec of INPUTS as readonly InputSpec[]) {
    const value = answers[spec.key];
    if (value !== undefined) out[spec.key] = Array.isArray(value) ? [...value] : (value);
  }
  return out;
}

/** The non-interactive command that reproduces these answers (`extra`: e.g. --preset X, a folder). */
export function equivalentCommand(
  answers: Answers,
  extra: readonly string[] = [],
  { command = 'generator-dockergo', omit = [] }: { command?: string; omit?: readonly InputName[] } = {},
): string {
  const words = [command, '--yes', ...extra];
  for (const spec of INPUTS as readonly InputSpec[]) {
    // An input that does not apply to these answers (a cli's port or compose) is left out.
    if (omit.includes(spec.key) || (spec.askWhen && !spec.askWhen(answers))) continue;
    const value = answers[spec.key];
    if (Array.isArray(value) && value.length === 0) continue;
    if (value === '') continue;
    if (typeof value === 'boolean') {
      words.push(value ? `--${spec.flag}` : `--no-${spec.flag}`);
      continue;
    }
    words.push(`--${spec.flag}`, shellQuote((spec.toText as (v: unknown) => string)(value)));
  }
  return words.join(' ');
}
