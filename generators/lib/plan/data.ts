// The one typed function that turns validated answers into the data every template sees
// (types.ts): the core, the shared Kubernetes workload, and each deploy target's own data.
import type { Answers, Layout } from '../inputs/index.js';
import { REPOSITORY_ERE, REPOSITORY_RULE, splitArgs } from '../rules/index.js';
import { deployTarget, kubernetesData, TARGETS, type TargetData, type TargetFacts } from '../targets/index.js';
import { dollarsDoubled, jsonArray, makeWords, shellWord, yamlString } from './escape.js';
import { CA_BUNDLE_FILE, type CoreData, type DataOptions, type ImageRefs, type TemplateData } from './types.js';

// The runtime's Alpine release: a supported one (3.24, May 2026; Alpine supports a release for
// two years). Alpine keeps every old tag, so alpine:<x.y> stays pullable.
export const ALPINE_VERSION = '3.24';
// The builder's tag: golang:<go>-alpine is published for every Go release, whereas
// golang:<go>-alpine<x.y> exists only for the two Alpine releases current when that Go release
// came out (test/fixtures/published-tags.json).
export const DEFAULT_BUILDER_IMAGE = 'golang:${GO_VERSION}-alpine';
export const DEFAULT_RUNTIME_IMAGE = 'alpine:${ALPINE_VERSION}';
// Distroless's static image on the current Debian: 13 (trixie) since August 2025; Debian 12's
// security support ended in June 2026. The :nonroot tag runs as 65532, like our other bases.
export const DEFAULT_DISTROLESS_IMAGE = 'gcr.io/distroless/static-debian13:nonroot';

export function toTemplateData(answers: Answers, options: DataOptions): TemplateData {
  const name = shellWord(answers.name, 'name');
  const existing = options.existing;
  const mainPackage = shellWord(existing?.mainPackage ?? (answers.layout === 'cmd' ? `./cmd/${name}` : '.'), 'main package');
  const mainDir = mainPackage === '.' ? '' : mainPackage.slice(2);
  const configDir = `/etc/${name}`;
  const binaryPath = `/usr/local/bin/${name}`;
  const configFiles = answers.config.map((path) => ({ path, imagePath: `${configDir}/${path}` }));
  // An existing program without a -config flag gets its config files copied, not passed.
  const configArgs = existing && !existing.configFlag ? [] : configFiles.flatMap((f) => ['-config', f.imagePath]);
  const isService = answers.kind === 'service';
  const args = argWords(answers.args);
  // A service takes its config flags and default arguments as overridable CMD defaults. A
  // cli's CMD is what users replace on every run (a new one's SRC DST, an existing one's
  // --args, or nothing: its own no-argument behaviour), so its config flags stay in ENTRYPOINT.
  const command = isService ? [...configArgs, ...args] : args.length > 0 || existing ? args : ['input.txt', 'output.txt'];
  const healthcheck = isService && (existing?.healthcheck ?? true);
  const builder = options.images?.builder ?? DEFAULT_BUILDER_IMAGE;
  // A preset's runtime image stands in for alpine, its distroless image for distroless; scratch stays scratch.
  const runtime = {
    scratch: 'scratch',
    alpine: options.images?.runtime ?? DEFAULT_RUNTIME_IMAGE,
    distroless: options.images?.distroless ?? DEFAULT_DISTROLESS_IMAGE,
  }[answers.base];
  const images: ImageRefs = {
    goVersion: answers.goVersion,
    alpineVersion: ALPINE_VERSION,
    usesAlpineVersion: [builder, runtime].some((ref) => ref.includes('${ALPINE_VERSION}')),
    builder,
    runtime,
  };
  const facts: TargetFacts = {
    answers,
    existing: existing !== undefined,
    configPaths: answers.config,
    args,
    labels: { ...options.labels },
    overlays: options.overlays ?? [],
    cluster: options.kubernetes ?? {},
  };
  const workload = kubernetesData(facts);
  const core: CoreData = {
    generatorVersion: options.generatorVersion,
    module: answers.module,
    name,
    kind: answers.kind,
    isService,
    isCli: !isService,
    port: answers.port,
    base: answers.base,
    isScratch: images.runtime === 'scratch',
    isDistroless: answers.base === 'distroless',
    layout: answers.layout,
    goproxy: answers.goproxy,
    goprivate: answers.goprivate,
    runtimeCa: answers.runtimeCa,
    caCerts: options.caBundle ? CA_BUNDLE_FILE : '',
    caBundle: options.caBundle ?? '',
    goVersion: answers.goVersion,
    mainDir,
    mainPackage,
    healthcheck,
    portEnv: isService && existing !== undefined,
    binaryPath,
    configDir,
    configFiles,
    dockerignore: [...new Set([...(existing?.dockerignore ?? sourceLines(answers.layout)), ...answers.config.map((c) => `!${c}`)])],
    images,
    labels: { ...options.labels },
    localReplaces: (existing?.localReplaces ?? []).map((dir) => shellWord(dir, 'replace folder')),
    vendor: existing?.vendor ?? false,
    entrypoint: jsonArray(isService ? [binaryPath] : [binaryPath, ...configArgs]),
    cmd: jsonArray(command),
    args,
    command,
    makeArgs: makeWords(args),
    versionSymbol: shellWord(existing ? (existing.versionSymbol ?? '') : 'main.version', 'version variable', true),
    workdir: '/data',
    compose: isService && answers.compose && existing?.composeFile === undefined,
    ci: answers.ci,
    deploy: answers.deploy,
    deployCommands: [...(deployTarget(answers.deploy)?.commands ?? [])],
    // npm's name grammar (checked when the preset was found); a leading ~ would be a shell's home folder.
    presetPackage: options.presetPackage?.startsWith('~') ? '' : (options.presetPackage ?? ''),
    kubernetes: workload,
    repositoryEre: REPOSITORY_ERE,
    repositoryRule: REPOSITORY_RULE,
    yaml: yamlString,
    composeString: dollarsDoubled,
    kubernetesString: dollarsDoubled,
  };
  // Each deploy target's own data, under its name (the Kustomize row has none: it renders the workload alone).
  const targets = Object.fromEntries(TARGETS.flatMap((t) => ('data' in t && t.data ? [[t.name, t.data(facts, workload)]] : []))) as TargetData;
  return { ...core, ...targets };
}

/** A new project's sources in the allow-list: folders by name (buildah 1.28 ignores `!**` re-includes), root .go files. */
function sourceLines(layout: Layout): string[] {
  return ['!go.mod', '!go.sum', '!*.go', ...(layout === 'cmd' ? ['!cmd/'] : []), '!internal/'];
}

/** The words of validated --args (checked again: the answers may come from anywhere). */
function argWords(text: string): string[] {
  const words = splitArgs(text);
  if (!words.ok) throw new Error(`internal: --args ${JSON.stringify(text)} was not checked`);
  return words.value;
}
