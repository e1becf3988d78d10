// The second corpus's modules (test/corpus-programs.test.ts), and the table in docs/existing-modules.md made from them.

/** What running the image with no arguments must show. */
type Behaviour =
  | { kind: 'service'; port: number; path: string; body?: RegExp }
  | { kind: 'cli'; output: RegExp };

export interface ProgramModule {
  module: string;
  version: string;
  /** The traits it brings, as the README's table lists them. */
  traits: string[];
  /** The result, as the README's table states it. */
  result: string;
  main?: string;
  /** The generator's flags beyond --yes --force and --main. */
  flags?: string[];
  /** The one line it is refused with; nothing is written. */
  refused?: RegExp;
  /** Generated, checked, not built (a refusal's control, or a module that takes long to build). */
  generateOnly?: boolean;
  /** What the Dockerfile's -X stamps ("" for nothing). */
  versionSymbol?: string;
  /** What the run shows; absent for generate-only modules. */
  run?: Behaviour;
  /** Program arguments that print the stamped version, and what they print. */
  printsVersion?: { args: string[]; output: RegExp };
  /** A notice the run prints. */
  notice?: RegExp;
  /** The program writes into its working folder at start: the image without the folder's owner must fail. */
  writesWorkdir?: RegExp;
  /** The module has no Makefile: the generated one is used (make build, make docker-build). */
  noMakefile?: boolean;
  /** The program's name, when it is not its folder's (a generic one). */
  name?: string;
}

/** The version build.sh stamps, which the programs must print. */
export const VERSION = 'v0.0.0-corpus';

export const PROGRAMS: ProgramModule[] = [
  {
    module: 'filippo.io/mkcert', version: 'v1.4.4',
    traits: ['a cli run with no arguments', 'version variable in the main package (`var Version string`)', 'no Makefile: the generated one is used'],
    result: 'bare run prints its usage; `-version` prints the stamp; `make build` and `make docker-build` work',
    flags: ['--kind', 'cli'], versionSymbol: 'main.Version', noMakefile: true,
    run: { kind: 'cli', output: /^Usage of mkcert:/ },
    printsVersion: { args: ['-version'], output: new RegExp(`^${VERSION}$`, 'm') },
  },
  {
    module: 'github.com/tsenart/vegeta/v12', version: 'v12.13.0',
    traits: ['a cli run with no arguments (it used to get `input.txt output.txt`)', 'version variable in the main package, initialised (`Version = "unknown"`)'],
    result: 'bare run prints its usage, not `Unknown command: input.txt`; `-version` prints the stamp',
    flags: ['--kind', 'cli'], versionSymbol: 'main.Version',
    run: { kind: 'cli', output: /Usage: vegeta \[global flags\] <command>/ },
    printsVersion: { args: ['-version'], output: new RegExp(`^Version: ${VERSION}$`, 'm') },
  },
  {
    module: 'github.com/oauth2-proxy/oauth2-proxy/v7', version: 'v7.15.6',
    traits: ['a service that needs `--args` (it listens on 127.0.0.1 by default; a quoted `*`)', 'version variable in a version package (`pkg/version.VERSION`)'],
    result: '`/ping` answers 200 on 4180; `--version` prints the stamp',
    flags: [
      '--port', '4180',
      "--args=--http-address=0.0.0.0:4180 --upstream=static://200 --client-id=corpus --client-secret=corpus --cookie-secret=0123456789abcdef0123456789abcdef '--email-domain=*'",
    ],
    versionSymbol: 'github.com/oauth2-proxy/oauth2-proxy/v7/pkg/version.VERSION',
    run: { kind: 'service', port: 4180, path: '/ping', body: /OK/ },
    printsVersion: { args: ['--version'], output: new RegExp(`oauth2-proxy ${VERSION}`) },
  },
  {
    module: 'github.com/prometheus/alertmanager', version: 'v0.31.1',
    traits: ['a service that writes to its working folder (`data/`)', 'no version variable of its own (it keeps it in a dependency): nothing stamped', '`--config` and `--args` together'],
    result: '`/-/healthy` answers 200; without the working folder\'s owner it fails with `permission denied`',
    main: './cmd/alertmanager',
    flags: ['--port', '9093', '--config', 'doc/examples/simple.yml', '--args=--config.file=/etc/alertmanager/doc/examples/simple.yml'],
    versionSymbol: '', notice: /no version stamp: \.\/cmd\/alertmanager has no package-level string variable named version/,
    run: { kind: 'service', port: 9093, path: '/-/healthy' },
    writesWorkdir: /permission denied/,
  },
  {
    module: 'github.com/prometheus/client_golang', version: 'v1.25.0',
    traits: ['a main in `examples/`, in a folder with a generic name (`simple`)'],
    result: 'named `client_golang`, not `simple`; `/metrics` answers 200',
    main: './examples/simple', versionSymbol: '', name: 'client_golang',
    run: { kind: 'service', port: 8080, path: '/metrics', body: /go_goroutines/ },
  },
  {
    module: 'github.com/prometheus/alertmanager', version: 'v0.35.0',
    traits: ['refused: `//go:embed app/dist` names npm build output that is not in the module'],
    result: 'refused in one line naming the pattern; nothing written',
    main: './cmd/alertmanager',
    refused: /: \/\/go:embed app\/dist in ui matches no file, so the image build fails: .*build them first/,
  },
  {
    module: 'github.com/benbjohnson/litestream', version: 'v0.3.14',
    traits: ['refused: cgo through a dependency (`github.com/mattn/go-sqlite3`), which compiles a stub with cgo off'],
    result: 'refused in one line naming the package; nothing written',
    flags: ['--kind', 'cli'],
    refused: /: \.\/cmd\/litestream needs cgo: it imports github\.com\/mattn\/go-sqlite3 \(github\.com\/mattn\/go-sqlite3 v1\.14\.17\), whose cgo files/,
  },
  {
    module: 'github.com/benbjohnson/litestream', version: 'v0.5.18',
    traits: ['the same module once it moved to a pure-Go SQLite (`modernc.org/sqlite`)', 'version variable initialised to a constant (`Version = defaultVersion`)'],
    result: 'accepted; stamps `main.Version` (generated only: `toolchain go1.26.10`)',
    main: './cmd/litestream', flags: ['--kind', 'cli'], versionSymbol: 'main.Version', generateOnly: true,
  },
];


/** The table's rows (between <!-- programs:start --> and <!-- programs:end --> in docs/existing-modules.md). */
export function programsTable(): string {
  return PROGRAMS.map((m) => `| \`${m.module}\` ${m.version}${m.main ? ` (\`--main ${m.main}\`)` : ''} | ${m.traits.join('; ')} | ${m.result} |`).join('\n');
}

/** A page with its programs table made again from PROGRAMS. */
export function withProgramsTable(page: string): string {
  return page.replace(/(<!-- programs:start -->\n)[\s\S]*?(<!-- programs:end -->)/, `$1${programsTable()}\n$2`);
}
