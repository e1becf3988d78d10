// The template data's shape: the public interface every template, and a preset's overlay
// templates, render with. Add fields, never rename or remove them; docs/templates.md documents them
// field by field.
import type { Base, Ci, Deploy, Kind, Layout } from '../inputs/index.js';
import type { KubernetesData, KubernetesPreset, TargetData } from '../targets/index.js';

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

export interface CoreData {
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
  /** The deploy target: "none" or a row of targets/index.ts ("kubernetes"). */
  deploy: Deploy;
  /** The commands the deploy target adds to build.sh and the Makefile ("deploy", "manifests"). */
  deployCommands: string[];
  /** The preset's npm package, when it was given by name ("" otherwise): the workflow's check job installs its newest release. */
  presetPackage: string;
  /** The Kubernetes workload every deploy target renders (targets/workload.ts). */
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

/** The data every template sees: the core, and what each deploy target adds under its own name. */
export type TemplateData = CoreData & TargetData;

/** Where a preset's CA bundle is written in the project. */
export const CA_BUNDLE_FILE = 'company-ca.pem';

export interface DataOptions {
  generatorVersion: string;
  /** A preset's CA bundle (PEM certificates, checked), written to CA_BUNDLE_FILE. */
  caBundle?: string;
  /** The preset's npm package name, when it was given by name: the CI workflow installs its newest release to check against. */
  presetPackage?: string;
  existing?: ExistingProgram;
  images?: { builder?: string; runtime?: string; distroless?: string };
  labels?: Record<string, string>;
  kubernetes?: KubernetesPreset;
  /** A preset's overlay templates (paths below its templates/ folder), for extra manifests. */
  overlays?: readonly string[];
}
