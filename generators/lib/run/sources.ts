// Where answers come from, in precedence order: flags > answers file > .yo-rc.json > prompts >
// preset defaults > built-in defaults, with a preset's locks over all. Every source is checked
// against the input table before anything is written.
import path from 'node:path';
import type Generator from 'yeoman-generator';
import { UsageError } from '../errors.js';
import { checkInputs, completeAnswers, INPUTS, readAllStdin, readAnswersFile, type Answers, type DefaultContext, type InputName, type InputSpec, type RawInputs } from '../inputs/index.js';
import { packageRoot } from '../package.js';
import type { DataOptions } from '../plan/index.js';
import { checkStoredPreset, loadPreset, type Preset } from '../presets/index.js';
import { flagValues, isInteractive, localGoVersion, optionValue } from './options.js';
import { askQuestions } from './prompts.js';

export interface Sources {
  flags: Partial<Answers>;
  fileAnswers: Partial<Answers>;
  preset: Preset | undefined;
  interactive: boolean;
}

/** Flags, the answers file and a preset named by flag or DOCKERGO_PRESET, all checked. */
export async function loadSources(options: Record<string, unknown>): Promise<Sources> {
  const flags = checkInputs(flagValues(options), (spec) => `--${spec.flag}`);
  const answersFile = optionValue(options, 'answers');
  const fileAnswers = typeof answersFile === 'string' && answersFile !== '' ? await readAnswersFile(answersFile, process.cwd(), () => readAllStdin()) : {};
  const flag = optionValue(options, 'preset');
  const env = process.env['DOCKERGO_PRESET'];
  let preset: Preset | undefined;
  if (typeof flag === 'string' && flag !== '') preset = await loadPreset(flag, process.cwd(), packageRoot, '--preset');
  else if (env) preset = await loadPreset(env, process.cwd(), packageRoot, 'DOCKERGO_PRESET');
  const sources = { flags, fileAnswers, preset, interactive: isInteractive(options) };
  checkLocks(sources);
  return sources;
}

/** A flag or an answer that contradicts a preset's lock is an error naming the preset. */
function checkLocks({ preset, flags, fileAnswers }: Sources): void {
  if (!preset) return;
  const sources: [Partial<Answers>, (s: InputSpec) => string][] = [
    [flags, (s) => `--${s.flag}`],
    [fileAnswers, (s) => `answers file: ${s.key}`],
  ];
  for (const spec of INPUTS as readonly InputSpec[]) {
    const locked = preset.locked[spec.key];
    if (locked === undefined) continue;
    for (const [given, where] of sources) {
      const value = given[spec.key];
      if (value !== undefined && comparable(value) !== comparable(locked)) {
        const text = spec.toText as (v: unknown) => string;
        throw new UsageError(
          `${where(spec)}: ${JSON.stringify(text(value))} contradicts preset ${preset.spec} (${preset.file}), which locks ${spec.key} to ${JSON.stringify(text(locked))}`,
        );
      }
    }
  }
}

/** Lists compare as sets: a locked config list given in another order is the same list. */
function comparable(value: unknown): string {
  return JSON.stringify(Array.isArray(value) ? [...(value as unknown[])].sort() : value);
}

export interface Resolve {
  /** The generator that asks (none for a headless update, which asks nothing). */
  generator?: Generator;
  /** Which generator asks: an input asked only by the other (promptIn) is a flag alone here. */
  name: 'app' | 'docker';
  root: string;
  /** What .yo-rc.json holds for this generator. */
  stored: Record<string, unknown>;
  sources: Sources;
  /** Which inputs may be asked. */
  ask?: (key: InputName) => boolean;
  /** What an existing module settles, over anything given. */
  facts?: Partial<Answers>;
  /** Defaults under a preset's. */
  defaults?: Partial<Answers>;
}

/**
 * Settles every answer, in precedence order; a preset that .yo-rc.json names (and no flag) is
 * loaded here, as the project's. Returns the answers and the preset they were settled with.
 */
export async function resolveAnswers(r: Resolve): Promise<{ answers: Answers; preset: Preset | undefined }> {
  const { ask = () => true, facts = {}, defaults = {}, sources } = r;
  const storedRaw = r.stored as RawInputs & { preset?: string };
  let preset = sources.preset;
  if (!preset && typeof storedRaw.preset === 'string') {
    preset = await loadPreset(storedRaw.preset, r.root, packageRoot, '.yo-rc.json preset');
    checkStoredPreset(preset, r.root);
  }
  const locked = preset?.locked ?? {};
  const given: Partial<Answers> = { ...sources.fileAnswers, ...sources.flags, ...facts, ...locked };
  // A stored value that a flag (or a fact, or a lock) replaces is not checked: it is not used.
  const storedUsed = Object.fromEntries(Object.entries(storedRaw).filter(([key]) => given[key as InputName] === undefined)) as RawInputs;
  const stored = checkInputs(storedUsed, (spec) => `.yo-rc.json ${spec.key}`);
  const known: Partial<Answers> = { ...stored, ...given };
  const ctx = defaultContext(r.root, { ...defaults, ...known });
  const presetDefaults = { ...defaults, ...preset?.defaults };
  const promptIn = (key: InputName) => (INPUTS as readonly InputSpec[]).find((i) => i.key === key)?.promptIn ?? r.name;
  const askable = (key: InputName) => ask(key) && locked[key] === undefined && promptIn(key) === r.name;
  const { generator } = r;
  const askAnswered = generator !== undefined && optionValue(generator.options, 'askAnswered') === true;
  const asked = sources.interactive && generator ? await askQuestions(generator, known, ctx, askAnswered, presetDefaults, askable) : {};
  // Answers are checked again: a scripted prompt (or a test's) never runs `validate`.
  const checked = checkInputs(asked, (spec) => `answer to "${spec.prompt ?? spec.key}"`);
  return { answers: completeAnswers({ ...known, ...checked }, ctx, presetDefaults), preset };
}

function defaultContext(destination: string, known: Partial<Answers>): DefaultContext {
  return {
    folder: path.basename(destination),
    // Asking go for its version costs a process start: only when the default is needed.
    localGoVersion: known.goVersion === undefined ? localGoVersion() : undefined,
  };
}

/** What a preset gives the template data: images, labels, Kubernetes defaults, its overlays and CA bundle. */
export function presetData(preset: Preset | undefined): Pick<DataOptions, 'images' | 'labels' | 'kubernetes' | 'overlays' | 'caBundle' | 'presetPackage'> {
  if (!preset) return {};
  const { images, labels, kubernetes, overlays, caBundle } = preset;
  return { images, labels, kubernetes, overlays, ...(caBundle ? { caBundle } : {}), ...(preset.isPackage ? { presetPackage: preset.spec } : {}) };
}
