// Our own Dockerfile rules, on dockerfile-ast's parse: what dockerfile-utils does not catch.
import { DockerfileParser, type From, type Instruction } from 'dockerfile-ast';

export interface Expectations {
  /** The port a service must EXPOSE; undefined for a cli, which exposes nothing. */
  port?: number;
}

/** Top-level ARG defaults (before the first FROM), for resolving FROM lines. */
function globalArgs(instructions: Instruction[]): Map<string, string> {
  const args = new Map<string, string>();
  for (const instruction of instructions) {
    const keyword = instruction.getKeyword();
    if (keyword === 'FROM') break;
    if (keyword !== 'ARG') continue;
    const [name, ...value] = (instruction.getArgumentsContent() ?? '').split('=');
    // A default may use earlier ARGs: ARG BUILDER_IMAGE=golang:${GO_VERSION}-alpine
    if (value.length > 0) args.set(name!.trim(), resolveArgs(value.join('=').trim().replace(/^"(.*)"$/, '$1'), args));
  }
  return args;
}

export function resolveArgs(text: string, args: Map<string, string>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, a?: string, b?: string) => {
    const value = args.get((a ?? b)!);
    return value ?? whole;
  });
}

/** The external images the FROM lines name, ARG defaults applied (stages and scratch left out). */
export function baseImages(text: string): string[] {
  const dockerfile = DockerfileParser.parse(text);
  const args = globalArgs(dockerfile.getInstructions());
  const stages = new Set<string>();
  const images: string[] = [];
  for (const from of dockerfile.getFROMs()) {
    const image = resolveArgs(from.getImage() ?? '', args);
    if (image !== 'scratch' && !stages.has(image)) images.push(image);
    const stage = from.getBuildStage();
    if (stage) stages.add(stage);
  }
  return images;
}

function isJsonForm(instruction: Instruction): boolean {
  const content = (instruction.getArgumentsContent() ?? '').trim();
  try {
    const parsed: unknown = JSON.parse(content);
    return Array.isArray(parsed) && parsed.length > 0 && parsed.every((w) => typeof w === 'string');
  } catch {
    return false;
  }
}

/** Every rule broken, one line each; [] when the Dockerfile keeps them all. */
export function checkDockerfile(text: string, expect: Expectations): string[] {
  const problems: string[] = [];
  const dockerfile = DockerfileParser.parse(text);
  const instructions = dockerfile.getInstructions();

  for (const image of baseImages(text)) {
    const ref = image.replace(/@sha256:[0-9a-f]{64}$/, '');
    const tag = /:([^/:]+)$/.exec(ref)?.[1];
    if (!image.includes('@sha256:') && tag === undefined) problems.push(`base image ${image} has no tag`);
    if (tag === 'latest') problems.push(`base image ${image} uses latest`);
    if (image.includes('$')) problems.push(`base image ${image} has an unresolved variable`);
  }

  const froms: From[] = dockerfile.getFROMs();
  const last = froms.at(-1);
  if (last?.getBuildStage() !== 'runtime') problems.push(`the last stage is ${last?.getBuildStage() ?? 'unnamed'}, not runtime`);
  const lastStage = instructions.filter((i) => last && i.getRange().start.line > last.getRange().start.line);

  const user = lastStage.filter((i) => i.getKeyword() === 'USER').at(-1);
  const userText = user?.getArgumentsContent()?.trim() ?? '';
  const uid = /^([0-9]+)(?::[0-9]+)?$/.exec(userText)?.[1];
  if (uid === undefined) problems.push(`the runtime USER ${JSON.stringify(userText)} is not numeric`);
  else if (Number(uid) === 0) problems.push('the runtime USER is root');

  for (const keyword of ['ENTRYPOINT', 'CMD']) {
    for (const i of instructions.filter((x) => x.getKeyword() === keyword)) {
      if (!isJsonForm(i)) problems.push(`${keyword} is not in JSON form: ${i.getArgumentsContent()}`);
    }
  }
  if (!lastStage.some((i) => i.getKeyword() === 'ENTRYPOINT')) problems.push('the runtime stage has no ENTRYPOINT');

  const exposed = lastStage.filter((i) => i.getKeyword() === 'EXPOSE').map((i) => i.getArgumentsContent()?.trim());
  const wanted = expect.port === undefined ? [] : [String(expect.port)];
  if (JSON.stringify(exposed) !== JSON.stringify(wanted)) {
    problems.push(`EXPOSE is ${JSON.stringify(exposed)}, expected ${JSON.stringify(wanted)}`);
  }
  return problems;
}

/**
 * Top-level image ARGs whose default pins a digest, mapped to the same reference without it.
 * A stand-in image cannot have the real image's digest, so tests without a registry build
 * with these as --build-arg overrides (and say so).
 */
export function digestPinnedArgs(text: string): Record<string, string> {
  const args = globalArgs(DockerfileParser.parse(text).getInstructions());
  return Object.fromEntries(
    [...args].filter(([, value]) => /@sha256:[0-9a-f]{64}$/.test(value)).map(([name, value]) => [name, value.replace(/@sha256:[0-9a-f]{64}$/, '')]),
  );
}
