// `generator-dockergo update`: which generator made the project, and whether this one may update it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { parseJson } from '../inputs/index.js';

export type GeneratorName = 'app' | 'docker';

/** Exit status when an update left conflicts for a person to resolve (0: done, 1: error). */
export const CONFLICT_EXIT = 3;

/** Compares x.y.z versions numerically (pre-release suffixes ignored). */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.split(/[-+]/)[0]!.split('.').map((n) => Number(n) || 0);
  const [pa, pb] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/**
 * Reads the project's .yo-rc.json: the generator that made it, checked to be one this version
 * can update. Throws one line for a folder that is not such a project.
 */
export function updateTarget(dir: string, installedVersion: string): GeneratorName {
  const yoRc = readYoRc(dir);
  const file = path.join(dir, '.yo-rc.json');
  if (yoRc === undefined) {
    throw new UsageError(`${dir}: not a project generator-dockergo made (no .yo-rc.json): run \`generator-dockergo\` or \`generator-dockergo docker\` first`);
  }
  const ours = yoRc['generator-dockergo'];
  if (typeof ours !== 'object' || ours === null || Array.isArray(ours)) {
    throw new UsageError(`${file}: holds no generator-dockergo answers: not a project generator-dockergo made`);
  }
  const record = ours as Record<string, unknown>;
  const made = record['generatorVersion'];
  if (typeof made === 'string' && compareVersions(made, installedVersion) > 0) {
    throw new UsageError(
      `${file}: written by generator-dockergo ${made}, newer than this one (${installedVersion}): install ${made} or later (npm install -g generator-dockergo@${made}) to update it`,
    );
  }
  const generator = record['generator'];
  if (generator === 'app' || generator === 'docker') return generator;
  // Records from before the generator was named: dockergo:docker stores the main package it picked.
  return typeof record['main'] === 'string' ? 'docker' : 'app';
}

/**
 * A folder's .yo-rc.json as a JSON object; undefined when there is none. Anything else stops the
 * run in one line (Yeoman's own parse error is a stack trace).
 */
export function readYoRc(dir: string): Record<string, unknown> | undefined {
  const file = path.join(dir, '.yo-rc.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const json = parseJson(text, file, ': fix it, or delete it to start again from flags');
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new UsageError(`${file}: must be a JSON object`);
  return json as Record<string, unknown>;
}
