// The one definition of every input: flag, prompt, default, validator, help text.
// Prompts, CLI flags, --help, .yo-rc.json and the README's flag table all come from here.
import {
  checkArgs,
  checkBoolean,
  checkChoice,
  checkConfigFiles,
  checkGoprivate,
  checkGoproxy,
  checkGoVersion,
  checkModule,
  checkName,
  checkPort,
  moduleBase,
  toName,
  type Checked,
} from '../rules/index.js';

export const BASES = ['alpine', 'scratch', 'distroless'] as const;
export const KINDS = ['service', 'cli'] as const;
export const LAYOUTS = ['flat', 'cmd'] as const;
export const CI_SYSTEMS = ['none', 'github'] as const;
export const DEPLOY_TARGETS = ['none', 'kubernetes', 'helm'] as const;
export type Base = (typeof BASES)[number];
export type Ci = (typeof CI_SYSTEMS)[number];
export type Deploy = (typeof DEPLOY_TARGETS)[number];
export type Kind = (typeof KINDS)[number];
export type Layout = (typeof LAYOUTS)[number];

/** Validated answers: what is stored in .yo-rc.json and turned into template data. */
export interface Answers {
  module: string;
  name: string;
  kind: Kind;
  port: number;
  base: Base;
  layout: Layout;
  goproxy: string;
  goprivate: string;
  /** The runtime image trusts the CA bundle the build is given (CA_CERTS), as the builder does. */
  runtimeCa: boolean;
  config: string[];
  /** Default arguments, in their one written (shell) form: "run --server". */
  args: string;
  goVersion: string;
  compose: boolean;
  ci: Ci;
  deploy: Deploy;
}

export type InputName = keyof Answers;

/** What defaults may depend on besides earlier answers. */
export interface DefaultContext {
  /** The destination folder's base name. */
  folder: string;
  /** The local Go toolchain's version (x.y.z), when `go` is installed. */
  localGoVersion: string | undefined;
}

export const BUILTIN_GO_VERSION = '1.26.8';
export const DEFAULT_GOPROXY = 'https://proxy.golang.org,direct';

export interface InputSpec<K extends InputName = InputName> {
  key: K;
  /** Long flag name, without dashes. */
  flag: string;
  /** One line for --help and the README. */
  description: string;
  /** The default, as --help and the README state it (literal values in backticks). */
  defaultHelp: string;
  /** The question; inputs without one are only set by flag, answers file or preset. */
  prompt?: string;
  /** Asked only when this holds for the answers so far. */
  askWhen?: (answers: Partial<Answers>) => boolean;
  choices?: readonly string[];
  /** A repeatable flag whose values may also be comma-separated. */
  list?: boolean;
  /** An on/off flag: `--flag` and `--no-flag`, a yes/no question. */
  boolean?: boolean;
  /** Only for new projects: an existing module settles it (dockergo:docker has no such flag). */
  appOnly?: boolean;
  /** Asked only by this generator (the other takes it as a flag, answers file or preset). */
  promptIn?: 'docker';
  defaultValue: (ctx: DefaultContext, answers: Partial<Answers>) => Answers[K];
  /** Pure validator and normaliser: raw text in, value or broken rule out. */
  check: (raw: string | readonly string[]) => Checked<Answers[K]>;
  /** The value as a flag argument or prompt default. */
  toText: (value: Answers[K]) => string;
}

const text = (raw: string | readonly string[]): string => (Array.isArray(raw) ? raw.join(',') : String(raw));
const same = (value: unknown): string => String(value);

/** Files the generator writes itself; a config file may not take one of their places. */
export const GENERATED_FILES: ReadonlySet<string> = new Set([
  'go.mod', 'go.sum', 'Dockerfile', '.dockerignore', 'build.sh', 'Makefile', 'README.md', '.gitignore', '.yo-rc.json',
  'compose.yaml', '.github/workflows/ci.yml', 'company-ca.pem',
]);

/** A row of the table, whichever input it defines. */
type AnyInputSpec = { [K in InputName]: InputSpec<K> }[InputName];

function spec<K extends InputName>(s: InputSpec<K>): InputSpec<K> {
  return s;
}

/** What every choice input shares: its values offered as choices, checked against, and written as given. */
function choiceOf<T extends string>(values: readonly T[]) {
  const check = checkChoice(values);
  return { choices: values, check: (raw: string | readonly string[]) => check(text(raw)), toText: same };
}

export const INPUTS = [
  spec({
    key: 'module',
    flag: 'module',
    appOnly: true,
    description: 'Go module path, as `go mod init` takes it',
    defaultHelp: '`example.com/<folder name>`',
    prompt: 'Go module path',
    defaultValue: (ctx) => `example.com/${toName(ctx.folder)}`,
    check: (raw) => checkModule(text(raw)),
    toText: same,
  }),
  spec({
    key: 'name',
    flag: 'name',
    description: 'App name: the binary, image and config folder name',
    defaultHelp: 'the module path\'s last element, without `/vN`',
    prompt: 'App name (binary and image)',
    defaultValue: (ctx, a) => toName(moduleBase(a.module ?? `example.com/${ctx.folder}`)),
    check: (raw) => checkName(text(raw)),
    toText: same,
  }),
  spec({
    key: 'kind',
    flag: 'kind',
    description: 'Program kind: `service` (HTTP server) or `cli` (the container used as an executable)',
    defaultHelp: '`service`',
    prompt: 'Program kind',
    ...choiceOf(KINDS),
    defaultValue: (): Kind => 'service',
  }),
  spec({
    key: 'port',
    flag: 'port',
    description: 'Port the service listens on (PORT or -port override it at run time)',
    defaultHelp: '`8080`',
    prompt: 'Port to listen on',
    askWhen: (a) => a.kind !== 'cli',
    defaultValue: () => 8080,
    check: (raw) => checkPort(text(raw)),
    toText: same,
  }),
  spec({
    key: 'base',
    flag: 'base',
    description: 'Runtime base image: `alpine` (has a shell), `scratch` (smallest) or `distroless` (no shell; CA bundle, tzdata, passwd)',
    defaultHelp: '`alpine`',
    prompt: 'Runtime base image',
    ...choiceOf(BASES),
    defaultValue: (): Base => 'alpine',
  }),
  spec({
    key: 'layout',
    flag: 'layout',
    appOnly: true,
    description: 'Source layout: `flat` (main package at the root) or `cmd` (`cmd/<name>/main.go`)',
    defaultHelp: '`flat`',
    prompt: 'Source layout',
    ...choiceOf(LAYOUTS),
    defaultValue: (): Layout => 'flat',
  }),
  spec({
    key: 'goproxy',
    flag: 'goproxy',
    description: 'GOPROXY for module downloads in the image build (a build ARG, never in the runtime image)',
    defaultHelp: `\`${DEFAULT_GOPROXY}\``,
    prompt: 'GOPROXY for module downloads',
    defaultValue: () => DEFAULT_GOPROXY,
    check: (raw) => checkGoproxy(text(raw)),
    toText: same,
  }),
  spec({
    key: 'goprivate',
    flag: 'goprivate',
    description: 'GOPRIVATE patterns for private modules; the build then reads credentials from a netrc secret',
    defaultHelp: 'none',
    defaultValue: () => '',
    check: (raw) => checkGoprivate(text(raw)),
    toText: same,
  }),
  spec({
    key: 'runtimeCa',
    flag: 'runtime-ca',
    boolean: true,
    description:
      "The runtime image trusts the company CA bundle too (CA_CERTS, or a preset's caCerts), appended to its own, for a service that calls internal HTTPS APIs; the builder always trusts it",
    defaultHelp: 'off',
    defaultValue: () => false,
    check: (raw) => checkBoolean(text(raw)),
    toText: (value) => String(value),
  }),
  spec({
    key: 'config',
    flag: 'config',
    description: 'Config file(s), repeatable or comma-separated: copied into the image and passed with -config; a new project gets a stub for each absent one (dockergo:docker needs them to exist)',
    defaultHelp: 'none',
    prompt: 'Config files (comma-separated, empty for none)',
    list: true,
    defaultValue: () => [] as string[],
    check: (raw) => checkConfigFiles(raw, GENERATED_FILES),
    toText: (files) => files.join(','),
  }),
  spec({
    key: 'args',
    flag: 'args',
    promptIn: 'docker',
    description:
      "Default arguments, written as a shell would split them (`--args='run --addr 0.0.0.0:8181'`): the image's CMD, compose.yaml's command and the Makefile's ARGS; an existing program gets none without it",
    defaultHelp: 'none (a new cli: `input.txt output.txt`)',
    prompt: 'Default arguments for the program (as you would type them after its name; empty for none)',
    defaultValue: () => '',
    check: (raw) => checkArgs(text(raw)),
    toText: same,
  }),
  spec({
    key: 'goVersion',
    flag: 'go-version',
    description: 'Go version for go.mod and the builder image',
    defaultHelp: `the local \`go\` toolchain's, else \`${BUILTIN_GO_VERSION}\``,
    defaultValue: (ctx) => ctx.localGoVersion ?? BUILTIN_GO_VERSION,
    check: (raw) => checkGoVersion(text(raw)),
    toText: same,
  }),
  spec({
    key: 'compose',
    flag: 'compose',
    boolean: true,
    description:
      'Write compose.yaml for a service: its port, healthcheck and config files, and a `docker compose watch` loop that rebuilds on Go changes (`--no-compose` skips it)',
    defaultHelp: 'on',
    prompt: 'Write a compose.yaml (docker compose up, and watch for a dev loop)?',
    askWhen: (a) => a.kind !== 'cli',
    defaultValue: () => true,
    check: (raw) => checkBoolean(text(raw)),
    toText: (value) => String(value),
  }),
  spec({
    key: 'ci',
    flag: 'ci',
    description:
      'CI workflow: `github` writes .github/workflows/ci.yml (vet, tests, image tests, a multi-arch build; on tags a push with provenance and SBOM)',
    defaultHelp: '`none`',
    prompt: 'CI workflow',
    ...choiceOf(CI_SYSTEMS),
    defaultValue: (): Ci => 'none',
  }),
  spec({
    key: 'deploy',
    flag: 'deploy',
    description:
      'Deployment manifests, which pass Pod Security "restricted": `kubernetes` writes a Kustomize base (the generator\'s: `update` merges it) and dev/prod overlays (yours); `helm` writes a chart (its templates the generator\'s, values.yaml merged); `./build.sh deploy` rolls them out',
    defaultHelp: '`none`',
    prompt: 'Deployment manifests',
    ...choiceOf(DEPLOY_TARGETS),
    defaultValue: (): Deploy => 'none',
  }),
] as const satisfies readonly AnyInputSpec[];

/** Switches that steer a run but are not answers: not asked, not stored. */
export interface SwitchSpec {
  flag: string;
  alias?: string;
  /** A switch that takes a value (a path or a name) rather than an on/off flag. */
  value?: string;
  /** Only this generator has it (both have it when absent). */
  only?: 'app' | 'docker';
  description: string;
  defaultHelp: string;
}

export const SWITCHES: readonly SwitchSpec[] = [
  {
    flag: 'preset',
    value: 'PRESET',
    description:
      "A platform team's preset: a folder or installed npm package with preset.json (defaults, locked values, images, labels) and templates/ overlays; also DOCKERGO_PRESET; remembered in .yo-rc.json",
    defaultHelp: 'none',
  },
  {
    flag: 'answers',
    value: 'FILE',
    description: 'A JSON file of answers keyed by input name (`-` reads stdin); flags override it, it overrides preset defaults',
    defaultHelp: 'none',
  },
  {
    flag: 'main',
    value: 'PKG',
    only: 'docker',
    description: 'The main package to containerise, e.g. `./cmd/api` (asked when there are several; `--yes` then needs it)',
    defaultHelp: 'the only one',
  },
  {
    flag: 'yes',
    alias: 'y',
    description: 'No prompts: take flags, stored answers and defaults (implied when stdin is not a TTY or CI is set)',
    defaultHelp: 'off',
  },
  {
    flag: 'skip-install',
    description: 'Do not run `git init` and `go mod tidy` after writing',
    defaultHelp: 'off',
  },
];
