// The glue between the input table and Yeoman: options, flag values, prompts.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execaSync } from 'execa';
import type Generator from 'yeoman-generator';
import type { RawInputs } from './answers.js';
import { isUserError, PROMPT_ABORTS } from './errors.js';
import { INPUTS, SWITCHES, type Answers, type DefaultContext, type InputSpec } from './inputs.js';
import type { TemplateData } from './template-data.js';
import { checkGoVersion } from './validate.js';

/**
 * This package's folder (with a trailing separator) and version: from the nearest package.json
 * above this module that is ours. This module runs from generators/lib/ and, bundled, from dist/.
 */
function findPackage(from: string): { root: string; version: string } {
  for (let dir = path.dirname(from); ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version: string };
      if (manifest.name === 'generator-dockergo') return { root: dir + path.sep, version: manifest.version };
    }
    if (path.dirname(dir) === dir) throw new Error(`internal: no generator-dockergo package.json above ${from}`);
  }
}

const ownPackage = findPackage(fileURLToPath(import.meta.url));
export const packageRoot = ownPackage.root;
export const templatesRoot = path.join(packageRoot, 'templates') + path.sep;
export const packageVersion: string = ownPackage.version;

/** An option's value, whether the parser keyed it by flag name (yo's minimist) or camelCase (commander). */
export function optionValue(options: Record<string, unknown>, flag: string): unknown {
  const values = [options[flag], options[flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())]].filter((v) => v !== undefined);
  // Yeoman keeps its own options' defaults (skip-install: false) under one spelling while the
  // standalone bin's parser sets the flag under the other: a flag given wins over a default false.
  return values.find((v) => v !== false) ?? values[0];
}

/** Declares one option per input and switch (of this generator), described with its default. */
export function declareOptions(generator: Generator, which: 'app' | 'docker'): void {
  for (const spec of (INPUTS as readonly InputSpec[]).filter((i) => which === 'app' || !i.appOnly)) {
    generator.option(spec.flag, {
      type: spec.list ? Array : spec.boolean ? Boolean : String,
      description: `${spec.description} (default: ${spec.defaultHelp})`,
    });
  }
  // Set by `generator-dockergo update` (and dockergo:update), which runs this generator in update mode.
  generator.option('update', { type: Boolean, hide: true, description: 'Update mode: merge the new output into the project' });
  for (const s of SWITCHES.filter((sw) => sw.only === undefined || sw.only === which)) {
    generator.option(s.flag, {
      type: s.value ? String : Boolean,
      ...(s.alias ? { alias: s.alias } : {}),
      description: `${s.description} (default: ${s.defaultHelp})`,
    });
  }
}

/** Flag values as given: yo's parser keys them by flag name, commander by camelCase. */
export function flagValues(options: Record<string, unknown>): RawInputs {
  const raw: RawInputs = {};
  for (const spec of INPUTS as readonly InputSpec[]) {
    const value = optionValue(options, spec.flag);
    if (value === undefined || value === null) continue;
    if (typeof value === 'boolean' && spec.boolean) {
      raw[spec.key] = String(value);
      continue;
    }
    if (typeof value === 'boolean') {
      // `--port` with no value reaches us as `true` from some parsers.
      raw[spec.key] = '';
      continue;
    }
    raw[spec.key] = Array.isArray(value) ? value.flat().map(String) : String(value);
  }
  return raw;
}

/** `--yes` turns prompts off and `--no-yes` on; otherwise no TTY or a CI variable means no prompts. */
export function isInteractive(
  options: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
  stdinIsTTY: boolean = process.stdin.isTTY === true,
): boolean {
  if (options['yes'] === true || options['y'] === true) return false;
  if (options['yes'] === false) return true;
  const ci = env['CI'];
  const inCI = ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
  return stdinIsTTY && !inCI;
}

/** The local toolchain's version as x.y.z, or undefined without a usable `go`. */
export function localGoVersion(): string | undefined {
  try {
    const result = execaSync('go', ['env', 'GOVERSION'], { reject: false, timeout: 10_000 });
    if (result.exitCode !== 0) return undefined;
    const checked = checkGoVersion(String(result.stdout).trim());
    return checked.ok ? checked.value : undefined;
  } catch {
    return undefined;
  }
}

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
  const answers = (await generator.prompt(questions as never)) as Record<string, unknown>;
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
    return merged as Partial<Answers>;
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
      const result = spec.check(String(input ?? ''));
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

const RUN_LOOP_ERROR = 'An error occured while running';

/**
 * Bad input must print one line. Yeoman's run loop logs "An error occured while running
 * <task>" before the error itself; this drops that line when the error is the user's (or a
 * prompt the user cancelled), and keeps it for bugs. Returns the function a task calls with what it caught.
 */
export function quietUserErrors(generator: Generator): (error: unknown) => never {
  let userError = false;
  const base = generator.log;
  const rethrow = (error: unknown): never => {
    // A cancelled prompt ends the run with the bin's one line, like a user error.
    userError = isUserError(error) || (error instanceof Error && PROMPT_ABORTS.has(error.name));
    throw error;
  };
  // A generator made only to list its options (--help) has no log.
  if (base === undefined) return rethrow;
  // `log` is declared readonly, but Yeoman assigns it per instance in the constructor.
  (generator as { log: typeof base }).log = new Proxy(base, {
    get(target, prop, receiver) {
      if (prop !== 'error') return Reflect.get(target, prop, receiver);
      return (message: unknown, ...rest: unknown[]) => {
        if (userError && String(message).startsWith(RUN_LOOP_ERROR)) {
          userError = false;
          return target;
        }
        return (target.error as (...a: unknown[]) => unknown)(message, ...rest);
      };
    },
  });
  return rethrow;
}

/** The closing hint for Kubernetes: the preset's registry is build.sh's default; without one, REGISTRY is needed. */
export function deployHint(data: TemplateData): string {
  return data.kubernetes.registry
    ? `./build.sh deploy dev   # push to ${data.kubernetes.registry}, then deploy to Kubernetes`
    : 'REGISTRY=registry.example.com/team ./build.sh deploy dev   # push, then deploy to Kubernetes';
}
