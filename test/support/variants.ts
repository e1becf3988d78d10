// What the image suites build on every engine: the variant matrix, dockergo:docker on an existing
// module, the base images a generated Dockerfile needs, and their one-time log lines.
import path from 'node:path';
import helpers from 'yeoman-test';
import { baseImages, digestPinnedArgs } from './dockerfile-rules.js';
import { PACKAGE_ROOT } from './project.js';

export interface Variant {
  base: 'alpine' | 'scratch' | 'distroless';
  kind: 'service' | 'cli';
  layout: 'flat' | 'cmd';
  config: string[];
}

/**
 * alpine and scratch: base x kind x layout; each (base, kind) pair is built with (cmd) and
 * without (flat) config files. distroless: a service with config files and a flat cli, which
 * cover what it changes (the runtime stage alone) for both kinds.
 */
export const MATRIX: Variant[] = [];
const configFor = (layout: Variant['layout']): string[] => (layout === 'cmd' ? ['config/app.yaml', 'extra.json'] : []);
for (const base of ['alpine', 'scratch'] as const)
  for (const kind of ['service', 'cli'] as const)
    for (const layout of ['flat', 'cmd'] as const) MATRIX.push({ base, kind, layout, config: configFor(layout) });
MATRIX.push({ base: 'distroless', kind: 'service', layout: 'cmd', config: configFor('cmd') });
MATRIX.push({ base: 'distroless', kind: 'cli', layout: 'flat', config: configFor('flat') });

export const variantLabel = (v: Variant): string => `${v.base}-${v.kind}-${v.layout}${v.config.length ? '-config' : ''}`;

/**
 * The base images a Dockerfile's FROM lines resolve to (digests dropped: no registry here can
 * serve them), and the build args that put the digest-pinned ones back on their tags.
 */
export function basesOf(dockerfile: string): { refs: string[]; pinned: Record<string, string> } {
  return {
    refs: baseImages(dockerfile).map((ref) => ref.replace(/@sha256:[0-9a-f]{64}$/, '')),
    pinned: digestPinnedArgs(dockerfile),
  };
}

/** Runs dockergo:docker on an existing module, without prompts. */
export async function dockerGenerate(dir: string, options: Record<string, unknown>): Promise<void> {
  await helpers
    .run(path.join(PACKAGE_ROOT, 'generators/docker/index.js'), { namespace: 'dockergo:docker' })
    .cd(dir)
    .withOptions({ yes: true, skipInstall: true, ...options } as never);
}

const seen = new Set<string>();

/** Prints a line once per run, indented under the current test: which stand-ins, sizes, engines. */
export function logOnce(line: string): void {
  if (!seen.has(line)) console.log(`      ${line}`);
  seen.add(line);
}
