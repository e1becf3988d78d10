// The one typed function that turns validated answers into the data every template sees.
// This object is a public interface (preset overlays render with it): add fields, never
// rename or remove them. The README documents it field by field.
import type { Answers, Base, Ci, Deploy, Kind, Layout } from './inputs.js';
import { isKubernetesLabel, kubernetesName, REPOSITORY_ERE, REPOSITORY_RULE, shellQuote, splitArgs } from './validate.js';

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

export interface ConfigFile {
  /** Path in the project, e.g. "config/app.yaml". */
  path: string;
  /** Absolute path in the image, e.g. "/etc/myapp/config/app.yaml". */
  imagePath: string;
}

export interface ImageRefs {
  /** Go version in the builder image tag (the Dockerfile's GO_VERSION default). */
  goVersion: string;
  /** Alpine version for the runtime tag (the Dockerfile's ALPINE_VERSION default). */
  alpineVersion: string;
  /** Whether an image reference uses ${ALPINE_VERSION}, so the Dockerfile declares that ARG. */
  usesAlpineVersion: boolean;
  /** Builder FROM reference; may use ${GO_VERSION} and ${ALPINE_VERSION}. */
  builder: string;
  /** Runtime FROM reference: "scratch", an alpine reference, or a distroless one. */
  runtime: string;
}

/** What a preset may set for the Kubernetes manifests. */
export interface KubernetesPreset {
  /** Where images are pushed and pulled from: build.sh's REGISTRY default, e.g. "registry.example.com/team". */
  registry?: string;
  /** The namespace the manifests go into. */
  namespace?: string;
  resources?: Partial<KubernetesResources>;
}

export interface KubernetesResources {
  cpu: string;
  memory: string;
  memoryLimit: string;
  ephemeralStorage: string;
  ephemeralStorageLimit: string;
}

/** Resource defaults: a CPU request but no CPU limit (a limit throttles a Go program's bursts), a memory request and limit. */
export const DEFAULT_RESOURCES: KubernetesResources = {
  cpu: '50m',
  memory: '64Mi',
  memoryLimit: '256Mi',
  ephemeralStorage: '64Mi',
  ephemeralStorageLimit: '1Gi',
};

export interface KubernetesData {
  /** The objects' name and the app.kubernetes.io/name label: the app name as a DNS-1035 label ("client_golang" is "client-golang"). */
  name: string;
  /** build.sh's REGISTRY default ("" when the preset sets none). */
  registry: string;
  /** The manifests' namespace ("" leaves it to kubectl's context or build.sh's NAMESPACE). */
  namespace: string;
  resources: KubernetesResources;
  /** preStop sleep: the endpoint removal reaches kube-proxy and load balancers while the pod still serves. */
  drainSeconds: number;
  /** How long the program's shutdown may take after SIGTERM (the generated service's Shutdown timeout). */
  shutdownSeconds: number;
  /** Covers drain + shutdown + a margin: the kubelet's SIGKILL clock includes the preStop. */
  terminationGracePeriodSeconds: number;
  /** HTTP probes at /readyz and /healthz (a program of ours); TCP probes on the port for an existing one. */
  httpProbes: boolean;
  /** The ConfigMap kustomize generates from the config files. */
  configMap: string;
  /** Each config file: its ConfigMap key, its path below configDir, and its path from the base folder. */
  configKeys: { key: string; path: string; fromBase: string }[];
  /** Preset labels that are valid Kubernetes labels (the others become annotations). */
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Extra manifests from a preset's templates/deploy/ overlay, per kustomization folder. */
  extra: { base: string[]; dev: string[]; prod: string[] };
  /**
   * A new cli's Job runs its default arguments (input.txt output.txt) in an empty folder: the dev
   * overlay ships a sample input, mounted as input.txt, so that the first deploy succeeds.
   */
  sampleInput: boolean;
}

export interface TemplateData {
  /** The generator's version, for a comment in generated files. */
  generatorVersion: string;
  module: string;
  name: string;
  kind: Kind;
  isService: boolean;
  isCli: boolean;
  port: number;
  base: Base;
  isScratch: boolean;
  /** The runtime is distroless: no shell, but a CA bundle, tzdata and a passwd of its own. */
  isDistroless: boolean;
  layout: Layout;
  goproxy: string;
  goprivate: string;
  /** The runtime image trusts the CA bundle the build is given (--runtime-ca). */
  runtimeCa: boolean;
  /** The project's CA bundle file, build.sh's CA_CERTS default ("" when the preset names none). */
  caCerts: string;
  /** That bundle's PEM text, as the preset gives it ("" when none). */
  caBundle: string;
  /** The `go` directive in go.mod. */
  goVersion: string;
  /** Folder of package main ("" for flat, "cmd/<name>" for cmd). */
  mainDir: string;
  /** Package pattern for go build: "." or "./cmd/<name>". */
  mainPackage: string;
  /** Whether the image gets a HEALTHCHECK running `<binary> -healthcheck` (a service whose program has that flag). */
  healthcheck: boolean;
  /** Whether the image sets ENV PORT: for an existing service, whose own default port is unknown. */
  portEnv: boolean;
  /** Where the binary lives in the image. */
  binaryPath: string;
  /** Folder for config files in the image: /etc/<name>. */
  configDir: string;
  configFiles: ConfigFile[];
  /** Lines of the .dockerignore allow-list after "*". */
  dockerignore: string[];
  images: ImageRefs;
  /** Extra OCI labels (key to value) beyond the generated ones. */
  labels: Record<string, string>;
  /** Folders of local `replace` targets, copied before `go mod download` (which reads their go.mod). */
  localReplaces: string[];
  /** Dependencies come from vendor/ (-mod=vendor): no download step. */
  vendor: boolean;
  /** ENTRYPOINT and CMD of the runtime image, as JSON arrays. */
  entrypoint: string;
  cmd: string;
  /** The default arguments (--args), as words. */
  args: string[];
  /** CMD's words (config flags and default arguments): compose.yaml and manifests repeat them when there are default arguments. */
  command: string[];
  /** The default arguments for the Makefile's `ARGS ?=`: shell-quoted, with $ and # escaped for Make. */
  makeArgs: string;
  /** The package-level string variable `-X` stamps with the version ("main.version"); "" when there is none to stamp. */
  versionSymbol: string;
  /** The runtime image's working folder, owned by the user the program runs as. */
  workdir: string;
  /** Whether compose.yaml is written (a service that asked for it). */
  compose: boolean;
  /** The CI workflow written: "none" or "github". */
  ci: Ci;
  /** The deployment manifests written: "none" or "kubernetes". */
  deploy: Deploy;
  kubernetes: KubernetesData;
  /** The rule build.sh checks REGISTRY with, the generator's own: a POSIX extended regular expression, and its clause. */
  repositoryEre: string;
  repositoryRule: string;
  /** Quotes a key or value for YAML (compose.yaml, the workflow, manifests): one helper for every YAML template. */
  yaml: (value: string | number) => string;
  /** A value for compose.yaml, where `$` would be interpolated: quoted for YAML with `$` as `$$`. */
  composeString: (value: string) => string;
  /**
   * A container's command, args or env value in a Kubernetes manifest, where the kubelet expands
   * `$(VAR)` and reads `$$` as `$`: quoted for YAML with `$` as `$$`, so the program gets the text as it is.
   */
  kubernetesString: (value: string) => string;
}

/** What dockergo:docker learns from an existing module, in place of what a new project would have. */
export interface ExistingProgram {
  mainPackage: string;
  dockerignore: string[];
  /** The program defines -healthcheck. */
  healthcheck: boolean;
  /** The program defines -config. */
  configFlag: boolean;
  /** Folders of local `replace` targets inside the module. */
  localReplaces?: string[];
  /** The module vendors its dependencies (vendor/modules.txt). */
  vendor?: boolean;
  /** A compose file of the module's own (compose.yml, docker-compose.y*ml): docker compose would read a new compose.yaml in its place. */
  composeFile?: string;
  /** The program's own version variable, as `-X` names it ("main.Version", "example.com/x/pkg/version.VERSION"); undefined when none was found. */
  versionSymbol?: string;
}

/** Where a preset's CA bundle is written in the project. */
export const CA_BUNDLE_FILE = 'company-ca.pem';

export interface DataOptions {
  generatorVersion: string;
  /** A preset's CA bundle (PEM certificates, checked), written to CA_BUNDLE_FILE. */
  caBundle?: string;
  existing?: ExistingProgram;
  images?: { builder?: string; runtime?: string; distroless?: string };
  labels?: Record<string, string>;
  kubernetes?: KubernetesPreset;
  /** A preset's overlay templates (paths below its templates/ folder), for extra manifests. */
  overlays?: readonly string[];
}

const SHELL_WORD = /^[A-Za-z0-9._/:=@%+,~-]+$/;

/** Values that land in build.sh or the Makefile must be plain shell words. */
function shellWord(value: string, what: string, empty = false): string {
  if (!(SHELL_WORD.test(value) || (empty && value === ''))) throw new Error(`internal: ${what} ${JSON.stringify(value)} is not a shell-safe word`);
  return value;
}

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
  return {
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
    makeArgs: args.map(shellQuote).join(' ').replaceAll('$', '$$$$').replaceAll('#', '\\#'),
    versionSymbol: shellWord(existing ? (existing.versionSymbol ?? '') : 'main.version', 'version variable', true),
    workdir: '/data',
    compose: isService && answers.compose && existing?.composeFile === undefined,
    ci: answers.ci,
    deploy: answers.deploy,
    kubernetes: kubernetesData(answers, options, configFiles, existing),
    repositoryEre: REPOSITORY_ERE,
    repositoryRule: REPOSITORY_RULE,
    yaml: yamlString,
    composeString: dollarsDoubled,
    kubernetesString: dollarsDoubled,
  };
}

const BUILTIN_MANIFESTS = new Set([
  'kustomization.yaml', 'deployment.yaml', 'job.yaml', 'service.yaml', 'serviceaccount.yaml', 'pdb.yaml', 'networkpolicy.yaml', 'hpa.yaml',
]);

function kubernetesData(answers: Answers, options: DataOptions, configFiles: ConfigFile[], existing: ExistingProgram | undefined): KubernetesData {
  const preset = options.kubernetes ?? {};
  const labels: Record<string, string> = {};
  const annotations: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.labels ?? {})) (isKubernetesLabel(key, value) ? labels : annotations)[key] = value;
  const keys = new Set<string>();
  const configKeys = configFiles.map((f) => {
    // A ConfigMap key is [-._a-zA-Z0-9]+: the path with "/" as "_", made unique.
    const stem = f.path.replaceAll('/', '_').replace(/[^-._a-zA-Z0-9]/g, '-');
    let key = stem;
    for (let i = 2; keys.has(key); i++) key = `${stem}-${i}`;
    keys.add(key);
    return { key, path: f.path, fromBase: `../../../${f.path}` };
  });
  const extra: KubernetesData['extra'] = { base: [], dev: [], prod: [] };
  for (const overlay of options.overlays ?? []) {
    const m = /^deploy\/kubernetes\/(base|overlays\/(dev|prod))\/([^/]+\.ya?ml)(?:\.ejs)?$/.exec(overlay);
    if (m && !BUILTIN_MANIFESTS.has(m[3]!)) extra[(m[2] ?? 'base') as keyof typeof extra].push(m[3]!);
  }
  const drainSeconds = 5;
  const shutdownSeconds = 10;
  const name = kubernetesName(answers.name);
  const defaultCliArguments = answers.kind === 'cli' && existing === undefined && argWords(answers.args).length === 0;
  return {
    name,
    registry: preset.registry ?? '',
    namespace: preset.namespace ?? '',
    resources: { ...DEFAULT_RESOURCES, ...preset.resources },
    drainSeconds,
    shutdownSeconds,
    terminationGracePeriodSeconds: drainSeconds + shutdownSeconds + 5,
    httpProbes: existing === undefined,
    configMap: `${name}-config`,
    configKeys,
    labels,
    annotations,
    extra,
    sampleInput: defaultCliArguments,
  };
}

/**
 * A YAML double-quoted scalar, for every key and value from outside in a YAML file: `null`,
 * `on`, `1_000` and `0x10` stay strings, and anything but printable ASCII is an escape.
 */
export function yamlString(value: string | number): string {
  const escaped = [...String(value)].map((c) => {
    const code = c.codePointAt(0)!;
    if (c === '"' || c === '\\') return `\\${c}`;
    if (code >= 0x20 && code < 0x7f) return c;
    return code > 0xffff ? `\\U${code.toString(16).padStart(8, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
  return `"${escaped.join('')}"`;
}

/** Compose and the kubelet both read `$$` as a literal `$` (and expand what follows a single one). */
function dollarsDoubled(value: string): string {
  return yamlString(value.replaceAll('$', '$$$$'));
}

/** A Dockerfile exec-form array: JSON, spaced for reading. */
function jsonArray(words: readonly string[]): string {
  return `[${words.map((w) => JSON.stringify(w)).join(', ')}]`;
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
