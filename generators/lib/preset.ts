// Presets: a platform team's defaults, locked values, base images, labels and template
// overlays, in a folder or an installed npm package. preset.json is checked against the
// JSON Schema we publish (preset.schema.json, made from the input table), then each value
// against its input's own validator; overlay templates are compiled before anything is written.
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import ejs from 'ejs';
import { checkInputs, parseJson } from './answers.js';
import { invalidLine, UsageError } from './errors.js';
import { filesBelow } from './files.js';
import { contained, pathRule } from './write/contain.js';
import { INPUTS, type Answers, type InputSpec } from './inputs.js';
import { DEFAULT_RESOURCES, type KubernetesPreset, type KubernetesResources } from './template-data.js';
import {
  checkCaBundle,
  checkImageRef,
  checkLabel,
  checkNamespace,
  checkQuantity,
  checkRepository,
  quantityValue,
  IMAGE_RULE,
  LABEL_KEY_RULE,
  LABEL_VALUE_RULE,
  NAMESPACE_RULE,
  QUANTITY_RULE,
  REPOSITORY_RULE,
  type Checked,
} from './validate.js';

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
}

/** A preset's base images: the builder, the alpine runtime, the distroless runtime. */
const IMAGE_KEYS = ['builder', 'runtime', 'distroless'] as const;
export type PresetImages = Partial<Record<(typeof IMAGE_KEYS)[number], string>>;

/** The published schema of preset.json, made from the input table (`npm run docs` writes it out). */
export function presetSchema(): Record<string, unknown> {
  const inputProperties = Object.fromEntries(
    (INPUTS as readonly InputSpec[]).map((i) => [
      i.key,
      {
        description: `${i.description} (--${i.flag})`,
        ...(i.key === 'port'
          ? { type: ['integer', 'string'] }
          : i.boolean
            ? { type: ['boolean', 'string'] }
          : i.list
            ? { type: ['array', 'string'], items: { type: 'string' } }
            : { type: 'string' }),
        ...(i.choices ? { enum: [...i.choices] } : {}),
      },
    ]),
  );
  const inputs = (description: string) => ({ type: 'object', description, additionalProperties: false, properties: inputProperties });
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://unpkg.com/generator-dockergo/preset.schema.json',
    title: 'generator-dockergo preset (preset.json)',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string' },
      description: { type: 'string', description: 'What this preset is for.' },
      version: { type: 'string', description: "The preset's version, recorded in each project's .yo-rc.json (an npm package's own version wins)." },
      defaults: inputs('Defaults for inputs, keyed by input name; users may still change them.'),
      locked: inputs('Values the platform fixes: not asked, and a flag or answer that contradicts one is an error.'),
      caCerts: {
        type: 'string',
        description:
          "A PEM bundle of the company's CA certificates, relative to preset.json: written to each project as company-ca.pem, build.sh's CA_CERTS default, which the builder trusts (and, with --runtime-ca, the runtime). Certificates only: a private key is refused.",
      },
      images: {
        type: 'object',
        description: 'Base image references, e.g. an internal registry mirror, pinned by tag and/or digest.',
        additionalProperties: false,
        properties: {
          builder: { type: 'string', description: `The builder image: ${IMAGE_RULE}.` },
          runtime: { type: 'string', description: `The runtime image for --base alpine: ${IMAGE_RULE}.` },
          distroless: { type: 'string', description: `The runtime image for --base distroless: ${IMAGE_RULE}.` },
        },
      },
      kubernetes: {
        type: 'object',
        description: 'Defaults for the Kubernetes manifests (--deploy kubernetes).',
        additionalProperties: false,
        properties: {
          registry: { type: 'string', description: `Where images are pushed and the cluster pulls them from (build.sh's REGISTRY default): ${REPOSITORY_RULE}.` },
          namespace: { type: 'string', description: `The namespace the manifests go into: ${NAMESPACE_RULE}.` },
          resources: {
            type: 'object',
            description: `The container's resources, each ${QUANTITY_RULE}. There is no CPU limit: it throttles.`,
            additionalProperties: false,
            properties: Object.fromEntries(
              Object.entries(DEFAULT_RESOURCES).map(([key, value]) => [key, { type: 'string', description: `${RESOURCE_HELP[key as keyof KubernetesResources]} (default ${value})` }]),
            ),
          },
        },
      },
      labels: {
        type: 'object',
        description: 'Extra OCI labels for every image; with --deploy kubernetes also labels of the manifests (annotations where Kubernetes forbids the text).',
        propertyNames: { pattern: '^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?$' },
        additionalProperties: { type: 'string', pattern: '^[^$\\\\\\u0000-\\u001f\\u007f]*$' },
      },
    },
  };
}

const RESOURCE_HELP: Record<keyof KubernetesResources, string> = {
  cpu: 'CPU request',
  memory: 'memory request',
  memoryLimit: 'memory limit',
  ephemeralStorage: 'ephemeral-storage request',
  ephemeralStorageLimit: 'ephemeral-storage limit',
};

/** The preset's kubernetes section, each value against its rule. */
function checkKubernetes(raw: { registry?: string; namespace?: string; resources?: Record<string, string> } | undefined, where: string): KubernetesPreset {
  const out: KubernetesPreset = {};
  const take = (field: string, value: string, check: (v: string) => Checked<string>): string => {
    const checked = check(value);
    if (!checked.ok) throw new UsageError(invalidLine(`${where}: kubernetes.${field}`, value, checked));
    return checked.value;
  };
  if (raw?.registry !== undefined) out.registry = take('registry', raw.registry, checkRepository);
  if (raw?.namespace !== undefined) out.namespace = take('namespace', raw.namespace, checkNamespace);
  if (raw?.resources) {
    const resources: Partial<KubernetesResources> = {};
    for (const [key, value] of Object.entries(raw.resources)) resources[key as keyof KubernetesResources] = take(`resources.${key}`, value, checkQuantity);
    out.resources = resources;
    // A request over its limit (the preset's, or the default) is a Deployment the API server refuses.
    const merged = { ...DEFAULT_RESOURCES, ...resources };
    for (const [request, limit] of [['memory', 'memoryLimit'], ['ephemeralStorage', 'ephemeralStorageLimit']] as const) {
      if (quantityValue(merged[request]) > quantityValue(merged[limit])) {
        const given = (key: keyof KubernetesResources) => `kubernetes.resources.${key} ${JSON.stringify(merged[key])}${resources[key] === undefined ? ' (the default)' : ''}`;
        throw new UsageError(`${where}: ${given(request)} is more than ${given(limit)}: a request may not exceed its limit (Kubernetes refuses the Deployment)`);
      }
    }
  }
  return out;
}

/** npm's package-name grammar (validate-npm-package-name, for new packages): [@scope/]name, lowercase, URL-safe, no leading "." or "_". */
const NPM_NAME = /^(?:@[a-z0-9~-][a-z0-9._~-]*\/)?[a-z0-9~-][a-z0-9._~-]*$/;
const NPM_NAME_RULE = 'a folder, or an npm package name ([@scope/]name: lowercase letters, digits and - . _ ~, not starting with . or _, at most 214 characters)';

/** A spec written as a path: it starts with "." or "/" (or holds a "/" and is no scoped package name). */
function looksLikePath(spec: string): boolean {
  return spec.startsWith('.') || spec.startsWith('/') || (spec.includes('/') && !spec.startsWith('@'));
}

/**
 * Finds the preset's folder: a path, else an installed npm package of that name. A scoped name
 * is never a path, and a name must be one npm could publish, so it can never climb out of
 * node_modules ("@x/../../../../tmp/evil").
 */
function resolvePresetDir(spec: string, cwd: string, packageRoot: string, source: string): string {
  const asPath = path.resolve(cwd, spec);
  const isPath = looksLikePath(spec);
  if (!spec.startsWith('@') && existsSync(asPath) && statSync(asPath).isDirectory()) return asPath;
  if (!isPath && (spec.length > 214 || !NPM_NAME.test(spec))) {
    throw new UsageError(`${source}: ${JSON.stringify(spec)} is not valid: must be ${NPM_NAME_RULE}`);
  }
  const searched: string[] = [];
  if (!isPath) {
    const bases = [
      ...ancestors(cwd).map((d) => path.join(d, 'node_modules')),
      ...(process.env['NODE_PATH'] ?? '').split(path.delimiter).filter(Boolean),
      path.join(packageRoot, 'node_modules'),
      path.dirname(packageRoot.endsWith(path.sep) ? packageRoot.slice(0, -1) : packageRoot),
    ];
    for (const base of bases) {
      const dir = path.join(base, spec);
      searched.push(base);
      if (existsSync(path.join(dir, 'preset.json'))) return dir;
    }
  }
  throw new UsageError(
    `${source}: ${JSON.stringify(spec)} is not a folder${isPath ? '' : ', nor an installed npm package with a preset.json'}` +
      (isPath ? ` (looked for ${asPath})` : ` (looked in ${[...new Set(searched)].slice(0, 4).join(', ')}…)`),
  );
}

/**
 * A preset that the project's own .yo-rc.json names is run like one given by flag: a cloned
 * repository must not choose code outside it. A path there must stay inside the project (links
 * resolved); outside it, only an installed npm package (a folder under node_modules/ with a
 * package.json) is taken. Anything else is refused: give it with --preset to trust it.
 */
export function checkStoredPreset(preset: Preset, root: string): void {
  const dir = realpathSync(preset.dir);
  const project = realpathSync(root);
  if (dir === project || dir.startsWith(project + path.sep)) return;
  if (dir.split(path.sep).includes('node_modules') && existsSync(path.join(dir, 'package.json'))) return;
  throw new UsageError(
    `.yo-rc.json preset: ${JSON.stringify(preset.spec)} is ${dir}, outside the project and not an installed npm package: ` +
      'a preset runs code, so a stored one must live in the project; give it with --preset (or DOCKERGO_PRESET) to trust it',
  );
}

function ancestors(dir: string): string[] {
  const out = [dir];
  while (path.dirname(out.at(-1)!) !== out.at(-1)) out.push(path.dirname(out.at(-1)!));
  return out;
}

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
    kubernetes?: { registry?: string; namespace?: string; resources?: Record<string, string> };
  };
  const kubernetes = checkKubernetes(raw.kubernetes, where);
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
  return { spec, dir, file, description: raw.description ?? '', defaults, locked, images, labels: { ...raw.labels }, kubernetes, overlays, caBundle, version: packageVersionOf(dir) ?? raw.version };
}

/** preset.json's caCerts: a regular file inside the preset folder (no link on the way), holding CA certificates alone. */
function readCaBundle(dir: string, file: string, where: string): string {
  const field = `${where}: caCerts: ${JSON.stringify(file)}`;
  const relative = path.posix.normalize(file.replaceAll(path.sep, '/')).replace(/^\.\//, '');
  if (path.isAbsolute(file) || relative === '..' || relative.startsWith('../')) {
    throw new UsageError(`${field} is outside the preset folder: the bundle ships with the preset`);
  }
  if (contained(dir, relative, `${where}: caCerts`, { within: 'the preset folder' }).kind === 'none') {
    throw new UsageError(`${field}: no such file in the preset folder`);
  }
  const checked = checkCaBundle(readFileSync(path.join(dir, relative), 'utf8'));
  if (!checked.ok) throw new UsageError(`${field} ${checked.problem ?? 'is not valid'}: must be ${checked.rule}`);
  return checked.value;
}

/**
 * The overlay templates: templates/ must be a folder of regular files and folders, each a path
 * the generator could write (nothing in .git/), with no link anywhere (a link could point
 * anywhere, and readdir lists a linked folder as a file): the one containment check, per file.
 */
function overlayFiles(dir: string, where: string): string[] {
  if (contained(dir, 'templates', `${where}: templates`, { within: 'the preset folder', expect: 'folder' }).kind === 'none') return [];
  const templates = path.join(dir, 'templates');
  for (const entry of readdirSync(templates, { recursive: true, withFileTypes: true })) {
    const rel = path.relative(templates, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
    const found = contained(dir, `templates/${rel}`, `${where}: templates/${rel}`, { within: 'the preset folder', expect: entry.isDirectory() ? 'folder' : 'file' });
    // Each file becomes a destination in the project: the writer's own rule, checked now rather than after 20 files were reported.
    const broken = found.kind === 'file' ? pathRule(rel.replace(/\.ejs$/, '')) : undefined;
    if (broken) throw new UsageError(`${where}: templates/${rel}: its destination ${JSON.stringify(rel.replace(/\.ejs$/, ''))} ${broken}`);
  }
  return filesBelow(templates);
}

/** The version in a preset folder's package.json, when it is an npm package. */
function packageVersionOf(dir: string): string | undefined {
  try {
    const version = (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version?: unknown }).version;
    return typeof version === 'string' ? version : undefined;
  } catch {
    return undefined;
  }
}

type AjvErrors = { instancePath: string; keyword: string; message?: string; params: Record<string, unknown> }[];
let validator: ((data: unknown) => boolean) & { errors?: AjvErrors | null } = undefined as never;

/** Structure against the published schema; the first error, as one line naming the field. */
async function checkSchema(json: unknown, where: string): Promise<void> {
  if (!validator) {
    const { default: Ajv } = await import('ajv');
    validator = new (Ajv as unknown as new (o: object) => { compile: (s: object) => typeof validator })({ allErrors: true, strict: false }).compile(presetSchema());
  }
  if (validator(json)) return;
  // A label key that breaks the rule: named, whichever of Ajv's errors reports it.
  const badKey = validator.errors!.find((e) => e.keyword === 'propertyNames' || (e as { propertyName?: string }).propertyName !== undefined);
  if (badKey) {
    const key = (badKey as { propertyName?: string }).propertyName ?? badKey.params['propertyName'];
    const field = badKey.instancePath.slice(1).replaceAll('/', '.');
    throw new UsageError(`${where}: ${field}: key ${JSON.stringify(key)} is not valid: must be ${LABEL_KEY_RULE}`);
  }
  // A value outside an input's choices is left to that input's validator, whose message names them.
  const error = validator.errors!.find((e) => e.keyword !== 'enum');
  if (!error) return;
  const field = error.instancePath === '' ? 'preset.json' : error.instancePath.slice(1).replaceAll('/', '.');
  if (error.keyword === 'additionalProperties') {
    throw new UsageError(`${where}: ${field}: unknown field ${JSON.stringify(error.params['additionalProperty'])}`);
  }
  if (error.keyword === 'pattern' && field.startsWith('labels.')) {
    // The label's own check says what is wrong with the value (the character, and where).
    const key = field.slice('labels.'.length);
    const value = (json as { labels: Record<string, unknown> }).labels[key];
    const checked = checkLabel(key, value);
    throw new UsageError(invalidLine(`${where}: ${field}`, value, checked.ok ? { rule: LABEL_VALUE_RULE } : checked));
  }
  throw new UsageError(`${where}: ${field}: ${error.message}`);
}

/**
 * Compiles an EJS template without running it, so a syntax error stops the run before
 * anything is written, with the template's own line number.
 */
export function checkTemplateSyntax(file: string, label: string): void {
  const text = readFileSync(file, 'utf8');
  const open = unclosedTag(text);
  if (open !== undefined) throw new UsageError(`${label}:${open}: an EJS tag "<%" is never closed with "%>"`);
  let source: string;
  try {
    source = ejsSource(text, file);
  } catch (error) {
    throw new UsageError(`${label}: ${(error as Error).message.split('\n')[0]}`);
  }
  try {
    new vm.Script(`(function () {\n${source}\n})`, { filename: 'template.js' });
  } catch (error) {
    const generatedLine = Number(/template\.js:(\d+)/.exec(String((error as Error).stack))?.[1] ?? 0) - 1;
    const line = templateLine(source, generatedLine);
    throw new UsageError(`${label}:${line}: ${(error as Error).message}`);
  }
}

/** The line of the first "<%" with no "%>" after it, if any. */
function unclosedTag(text: string): number | undefined {
  let at = 0;
  for (;;) {
    const start = text.indexOf('<%', at);
    if (start < 0) return undefined;
    if (text.startsWith('<%%', start)) {
      at = start + 3;
      continue;
    }
    const end = text.indexOf('%>', start + 2);
    if (end < 0) return text.slice(0, start).split('\n').length;
    at = end + 2;
  }
}

// EJS's Template class turns the template into JS, marking each template line with `__line = N`.
function ejsSource(text: string, filename: string): string {
  const template = new (ejs as unknown as { Template: new (t: string, o: object) => { generateSource(): void; source: string } }).Template(
    text,
    { filename, compileDebug: true, strict: false, localsName: 'locals' },
  );
  template.generateSource();
  return template.source;
}

/** Maps a line of the generated source back to the template line marked before it. */
function templateLine(source: string, generatedLine: number): number {
  const lines = source.split('\n').slice(0, Math.max(generatedLine, 1));
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = /__line = (\d+)/.exec(lines[i]!);
    if (m) return Number(m[1]);
  }
  return 1;
}
