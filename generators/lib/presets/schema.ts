// preset.json's published JSON Schema (preset.schema.json), made from the input table and the
// targets' preset section, and the structural check against it: the first error as one line that
// names the field.
import { invalidLine, UsageError } from '../errors.js';
import { INPUTS, type InputSpec } from '../inputs/index.js';
import { checkLabel, IMAGE_RULE, LABEL_KEY_RULE, LABEL_VALUE_RULE } from '../rules/index.js';
import { kubernetesPresetSchema } from '../targets/index.js';

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
      name: { type: 'string', maxLength: 214, pattern: '^[^\\u0000-\\u001f\\u007f]*$', description: "The preset's name, recorded in each project's .yo-rc.json and shown by update --check and fleet (an npm package's own name wins; else the preset as given)." },
      version: { type: 'string', description: "The preset's version, recorded in each project's .yo-rc.json (an npm package's own version wins)." },
      changelog: {
        type: 'object',
        description: 'What each version changed, one line per version ("1.4.0": "Go 1.26.8; distroless by digest"): update --check, fleet\'s report and its commit message show the lines between a project\'s version and this one.',
        additionalProperties: { type: 'string', maxLength: 300, pattern: '^[^\\u0000-\\u001f\\u007f]*$' },
      },
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
      kubernetes: kubernetesPresetSchema(),
      labels: {
        type: 'object',
        description: 'Extra OCI labels for every image; with --deploy kubernetes also labels of the manifests (annotations where Kubernetes forbids the text).',
        propertyNames: { pattern: '^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?$' },
        additionalProperties: { type: 'string', pattern: '^[^$\\\\\\u0000-\\u001f\\u007f]*$' },
      },
    },
  };
}

type AjvErrors = { instancePath: string; keyword: string; message?: string; params: Record<string, unknown> }[];
let validator: ((data: unknown) => boolean) & { errors?: AjvErrors | null } = undefined as never;

/** Structure against the published schema; the first error, as one line naming the field. */
export async function checkSchema(json: unknown, where: string): Promise<void> {
  if (!validator) {
    const { default: Ajv } = await import('ajv');
    const AjvClass = Ajv as unknown as new (o: object) => { compile: (s: object) => typeof validator };
    validator = new AjvClass({ allErrors: true, strict: false }).compile(presetSchema());
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
