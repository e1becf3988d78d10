// Presets: a platform team's defaults, locked values, base images, labels, Kubernetes defaults, CA
// bundle and template overlays, in a folder or an installed npm package. preset.json is checked
// against the JSON Schema we publish (schema.ts), then each value against its input's own
// validator; overlay templates are compiled before anything is written (templates.ts). Built on
// inputs/, targets/ (the "kubernetes" section) and write/'s containment check.
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { invalidLine, UsageError } from '../errors.js';
import { checkInputs, parseJson, type Answers } from '../inputs/index.js';
import { checkImageRef, checkLabel } from '../rules/index.js';
import { checkKubernetesPreset, type KubernetesPreset } from '../targets/index.js';
import { isPresetPath, packageOf, resolvePresetDir } from './resolve.js';
import { checkSchema } from './schema.js';
import { checkTemplateSyntax, overlayFiles, readCaBundle } from './templates.js';

export { checkStoredPreset } from './resolve.js';
export { presetSchema } from './schema.js';
export { checkTemplateSyntax } from './templates.js';

export interface Preset {
  /** As given: a folder path or an npm package name. */
  spec: string;
  /** The preset's folder. */
  dir: string;
  /** Its preset.json, for messages. */
  file: string;
  description: string;
  defaults: Partial<Answers>;
  locked: Partial<Answers>;
  images: PresetImages;
  labels: Record<string, string>;
  /** The Kubernetes manifests' registry, namespace and resource defaults. */
  kubernetes: KubernetesPreset;
  /** Template paths relative to the preset's templates/ folder. */
  overlays: string[];
  /** The CA bundle every service's builder trusts (preset.json "caCerts", checked), written to company-ca.pem. */
  caBundle: string | undefined;
  /** Its package.json version (an npm package), else preset.json's "version"; recorded for `update`. */
  version: string | undefined;
  /** Its package.json name, else preset.json's "name", else the preset as given; recorded for `update --check` and `fleet`. */
  name: string;
  /** preset.json's "changelog": a line per version, shown by `update --check` and `fleet`. */
  changelog: Record<string, string>;
  /** Found as an installed npm package by its name (not as a folder): CI can install its newest release. */
  isPackage: boolean;
}

/** A preset's base images: the builder, the alpine runtime, the distroless runtime. */
const IMAGE_KEYS = ['builder', 'runtime', 'distroless'] as const;
export type PresetImages = Partial<Record<(typeof IMAGE_KEYS)[number], string>>;

export async function loadPreset(spec: string, cwd: string, packageRoot: string, source = '--preset'): Promise<Preset> {
  const dir = resolvePresetDir(spec, cwd, packageRoot, source);
  const file = path.join(dir, 'preset.json');
  const where = `preset ${file}`;
  if (!existsSync(file)) throw new UsageError(`${where}: no such file (a preset folder holds preset.json)`);
  const json = parseJson(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''), where);
  await checkSchema(json, where);
  const raw = json as {
    description?: string;
    version?: string;
    defaults?: Record<string, string | number | boolean | string[]>;
    locked?: Record<string, string | number | boolean | string[]>;
    images?: PresetImages;
    labels?: Record<string, string>;
    caCerts?: string;
    name?: string;
    changelog?: Record<string, string>;
    kubernetes?: { registry?: string; namespace?: string; resources?: Record<string, string> };
  };
  const kubernetes = checkKubernetesPreset(raw.kubernetes, where);
  const defaults = checkInputs(raw.defaults ?? {}, (s) => `${where}: defaults.${s.key}`);
  const locked = checkInputs(raw.locked ?? {}, (s) => `${where}: locked.${s.key}`);
  const images: Preset['images'] = {};
  for (const key of IMAGE_KEYS) {
    const ref = raw.images?.[key];
    if (ref === undefined) continue;
    const checked = checkImageRef(ref);
    if (!checked.ok) throw new UsageError(invalidLine(`${where}: images.${key}`, ref, checked));
    images[key] = checked.value;
  }
  for (const [key, value] of Object.entries(raw.labels ?? {})) {
    const checked = checkLabel(key, value);
    if (!checked.ok) throw new UsageError(invalidLine(`${where}: labels.${key}`, value, checked));
  }
  const caBundle = raw.caCerts === undefined ? undefined : readCaBundle(dir, raw.caCerts, where);
  const overlays = overlayFiles(dir, where);
  for (const template of overlays) checkTemplateSyntax(path.join(dir, 'templates', template), `${where}: templates/${template}`);
  const pkg = packageOf(dir);
  const identity = {
    name: pkg.name ?? raw.name ?? spec,
    version: pkg.version ?? raw.version,
    changelog: { ...raw.changelog },
    isPackage: !isPresetPath(spec, cwd),
  };
  return { spec, dir, file, description: raw.description ?? '', defaults, locked, images, labels: { ...raw.labels }, kubernetes, overlays, caBundle, ...identity };
}
