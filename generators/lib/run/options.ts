// The input table as Yeoman options: one option per input and switch, their values as given
// (whichever parser read them), and whether a run may ask questions.
import { execaSync } from 'execa';
import type Generator from 'yeoman-generator';
import { INPUTS, SWITCHES, type InputSpec, type RawInputs } from '../inputs/index.js';
import { checkGoVersion } from '../rules/index.js';

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
  // `update --check [--json]`: would update change anything? Nothing is written.
  generator.option('check', { type: Boolean, hide: true, description: 'With update: say whether an update is waiting (exit 2), write nothing' });
  generator.option('json', { type: Boolean, hide: true, description: 'With update --check: one JSON object on stdout' });
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
    raw[spec.key] = Array.isArray(value) ? value.flat().map(String) : typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value);
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
