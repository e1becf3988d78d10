// The input table as questions, asked through Yeoman's adapter (Inquirer): defaults that follow
// earlier answers, a default its own validator refuses never offered, and each answer checked by
// the row's validator.
import type Generator from 'yeoman-generator';
import { INPUTS, type Answers, type DefaultContext, type InputSpec, type RawInputs } from '../inputs/index.js';

type Question = Record<string, unknown>;

/**
 * Asks, through Yeoman's adapter, every input that has a prompt, passes `askable`, and is not
 * known yet (or is, with --ask-answered); returns the raw answers.
 */
export async function askQuestions(
  generator: Generator,
  known: Partial<Answers>,
  ctx: DefaultContext,
  askAnswered: boolean,
  presetDefaults: Partial<Answers>,
  askable: (key: InputSpec['key']) => boolean,
): Promise<RawInputs> {
  const questions: Question[] = [];
  for (const spec of INPUTS as readonly InputSpec[]) {
    if (spec.prompt === undefined || !askable(spec.key) || (known[spec.key] !== undefined && !askAnswered)) continue;
    questions.push(question(spec, known, ctx, presetDefaults));
  }
  if (questions.length === 0) return {};
  const answers = await generator.prompt<Record<string, unknown>>(questions as never);
  const raw: RawInputs = {};
  for (const [key, value] of Object.entries(answers)) {
    if (value !== undefined) raw[key as keyof RawInputs] = value as string;
  }
  return raw;
}

function question(spec: InputSpec, known: Partial<Answers>, ctx: DefaultContext, presetDefaults: Partial<Answers>): Question {
  // Earlier answers, checked, so that later defaults (name from module) follow them.
  const sofar = (answers: Record<string, unknown>): Partial<Answers> => {
    const merged: Partial<Record<string, unknown>> = { ...known };
    for (const [key, value] of Object.entries(answers)) {
      const s = INPUTS.find((i) => i.key === key) as InputSpec | undefined;
      const checked = s?.check(String(value));
      if (checked?.ok) merged[key] = checked.value;
    }
    return merged;
  };
  const toText = spec.toText as (v: unknown) => string;
  // A default that its own validator refuses (a folder named "aux") is not offered.
  const defaultText = (answers: Record<string, unknown>): string | undefined => {
    const value = toText(known[spec.key] ?? presetDefaults[spec.key] ?? spec.defaultValue(ctx, sofar(answers)));
    return spec.check(value).ok ? value : undefined;
  };
  const common = {
    name: spec.key,
    message: spec.prompt,
    ...(spec.askWhen ? { when: (answers: Record<string, unknown>) => spec.askWhen!(sofar(answers)) } : {}),
    validate: (input: unknown) => {
      const result = spec.check(answerText(input));
      return result.ok ? true : `${result.problem ? `${result.problem[0]!.toUpperCase()}${result.problem.slice(1)}: ` : ''}must be ${result.rule}`;
    },
  };
  if (spec.boolean) {
    // A yes/no question: its default is the value itself, not text.
    return { ...common, type: 'confirm', default: known[spec.key] ?? presetDefaults[spec.key] ?? spec.defaultValue(ctx, {}) };
  }
  return {
    ...common,
    type: spec.choices ? 'select' : 'input',
    ...(spec.choices ? { choices: spec.choices.map((c) => ({ name: c, value: c })) } : {}),
    default: spec.choices ? defaultText({}) : defaultText,
  };
}

/** An answer as text: Inquirer gives a string, a number or (a yes/no question) a boolean. */
function answerText(input: unknown): string {
  if (typeof input === 'string') return input;
  return typeof input === 'number' || typeof input === 'boolean' ? String(input) : '';
}
