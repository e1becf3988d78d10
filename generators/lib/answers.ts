// Turning raw values from flags, stored config, prompts and files into validated Answers.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { InputError, oneLine, UsageError } from './errors.js';
import { shellQuote } from './validate.js';
import { INPUTS, type Answers, type DefaultContext, type InputName, type InputSpec } from './inputs.js';

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

/** How deep JSON from outside may nest: far more than any answers file, preset or .yo-rc.json needs. */
export const MAX_JSON_DEPTH = 64;

/**
 * JSON from outside (an answers file, .yo-rc.json, preset.json): parsed, and refused in one line
 * when it is not JSON or nests deeper than MAX_JSON_DEPTH (deeper values overflow the stack of
 * whatever walks them next).
 */
export function parseJson(text: string, where: string, fix = ''): unknown {
  // `fix`, when given, follows the parser's message: ": fix it, or delete it …".
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const why = oneLine((error as Error).message);
    throw new UsageError(fix ? `${where}: not valid JSON (${why})${fix}` : `${where}: not valid JSON: ${why}`);
  }
  // Walked with a stack of its own, not by recursion.
  const pending: [unknown, number][] = [[json, 1]];
  while (pending.length > 0) {
    const [value, depth] = pending.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_JSON_DEPTH) throw new UsageError(`${where}: nested deeper than ${MAX_JSON_DEPTH} levels: not a file this generator reads`);
    for (const child of Object.values(value)) pending.push([child, depth + 1]);
  }
  return json;
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
    if (value !== undefined) out[spec.key] = Array.isArray(value) ? [...value] : (value as string | number | boolean);
  }
  return out;
}

/** Standard input to its end, however slowly it comes (`jq … |`, `curl … |`). */
export async function readAllStdin(stream: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
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

/**
 * An answers file (`--answers FILE`, `-` for stdin): a JSON object keyed by input name
 * (as in .yo-rc.json) or flag name, checked like flags.
 */
export async function readAnswersFile(spec: string, cwd: string, readStdin: () => Promise<string>): Promise<Partial<Answers>> {
  const where = spec === '-' ? 'answers on stdin' : `answers file ${path.resolve(cwd, spec)}`;
  let text: string;
  try {
    // A UTF-8 byte-order mark, as some Windows editors save it, is not part of the JSON.
    text = (spec === '-' ? await readStdin() : readFileSync(path.resolve(cwd, spec), 'utf8')).replace(/^\uFEFF/, '');
  } catch (error) {
    throw new UsageError(`${where}: cannot read it: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const json = parseJson(text, where);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new UsageError(`${where}: must be a JSON object keyed by input name`);
  const raw: RawInputs = {};
  for (const [key, value] of Object.entries(json)) {
    const spec = (INPUTS as readonly InputSpec[]).find((i) => i.key === key || i.flag === key);
    if (!spec) {
      const known = (INPUTS as readonly InputSpec[]).map((i) => i.key).join(', ');
      throw new UsageError(`${where}: unknown input ${JSON.stringify(key)} (known: ${known})`);
    }
    if (typeof value === 'number' && spec.key !== 'port') {
      // JSON.parse turns 1.30 into 1.3: the text the user wrote is gone, so ask for a string.
      throw new UsageError(`${where}: ${spec.key}: write it as a JSON string ("…"), not the number ${value}: a number loses trailing zeros (1.30 reads as 1.3)`);
    }
    raw[spec.key] = value as RawValue;
  }
  return checkInputs(raw, (s) => `${where}: ${s.key}`);
}
