// A company network in miniature, for builds to meet what enterprise users meet:
//   a private CA (openssl) that signs the servers' certificates;
//   nginx (Debian's) on 127.0.0.1:443 with TLS and basic auth, serving
//     git.example.test: git's smart HTTP (git http-backend, through fcgiwrap) and the
//       `?go-get=1` page Go asks for, behind the same auth;
//     goproxy.example.test: a GOPROXY (the protocol's /@v/list, .info, .mod and .zip files);
//   a netrc file with a marker password for each;
//   a TLS-inspecting proxy (mitmproxy's mitmdump) with its own CA.
// The host names resolve only where a build is told (--add-host): this machine's /etc/hosts is
// never touched. A module path has no port, hence 443; nothing else here listens there.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { startDaemon, type Daemon } from './engines/process.js';
import { freePort } from './service.js';

export const GIT_HOST = 'git.example.test';
export const PROXY_HOST = 'goproxy.example.test';
export const HOSTS = [GIT_HOST, PROXY_HOST];

/** A module the servers serve: its path, one version, its files (paths below the module root). */
export interface PrivateModule {
  path: string;
  version: string;
  files: Record<string, string>;
  /** A string constant of the module's: meant to reach the binary, so a search must find it. */
  marker: string;
}

export interface CompanyServers {
  /** The CA that signed both servers' certificates (PEM file). */
  caFile: string;
  /** machine/login/password lines for both hosts, with the marker passwords. */
  netrc: string;
  /** Markers that must be found nowhere: the two passwords. */
  passwords: string[];
  /** Served by git (GOPRIVATE, direct). */
  gitModule: PrivateModule;
  /** Served by the GOPROXY (GONOPROXY leaves it to the proxy, GONOSUMDB skips the checksum database). */
  proxyModule: PrivateModule;
  /** --add-host flags naming both hosts 127.0.0.1. */
  addHosts: string[];
  /** What the environment of a build that uses both needs, besides NETRC_FILE and CA_CERTS. */
  goEnv: Record<string, string>;
  /** go.sum lines for both modules. */
  goSum: string;
  /** nginx's access log: who asked for what, with which user. */
  accessLog(): string;
  stop(): Promise<void>;
}

async function openssl(args: string[], cwd: string): Promise<void> {
  await execa('openssl', args, { cwd, stdin: 'ignore' });
}

/** A CA (EC P-256: fast to make) and a server certificate it signs for the hosts (names, or IPv4 addresses). */
export async function makeCa(dir: string, name: string, hosts: string[] = []): Promise<{ caFile: string; caKey: string; cert?: string; key?: string }> {
  mkdirSync(dir, { recursive: true });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await openssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', `/CN=${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  const ca = { caFile: path.join(dir, 'ca.pem'), caKey: path.join(dir, 'ca.key') };
  if (hosts.length === 0) return ca;
  await openssl(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', `/CN=${hosts[0]}`], dir);
  writeFileSync(path.join(dir, 'server.ext'), `subjectAltName=${hosts.map((h) => (/^[0-9.]+$/.test(h) ? `IP:${h}` : `DNS:${h}`)).join(',')}\nextendedKeyUsage=serverAuth\n`);
  await openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'server.ext', '-out', 'server.pem'], dir);
  return { ...ca, cert: path.join(dir, 'server.pem'), key: path.join(dir, 'server.key') };
}

/**
 * dirhash.Hash1, as go.sum records it: SHA-256 over "<sha256 hex>  <name>\n" for each file,
 * names sorted. A module's zip names its files module@version/path; its go.mod line hashes "go.mod".
 */
function hash1(files: [name: string, content: string][]): string {
  const summary = createHash('sha256');
  for (const [name, content] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    summary.update(`${createHash('sha256').update(content).digest('hex')}  ${name}\n`);
  }
  return `h1:${summary.digest('base64')}`;
}

export function goSumLines(m: PrivateModule): string {
  const prefix = `${m.path}@${m.version}/`;
  return [
    `${m.path} ${m.version} ${hash1(Object.entries(m.files).map(([f, c]) => [prefix + f, c]))}`,
    `${m.path} ${m.version}/go.mod ${hash1([['go.mod', m.files['go.mod']!]])}`,
  ].join('\n');
}

/** A module of one package that returns its marker. */
function privateModule(modulePath: string, marker: string): PrivateModule {
  const pkg = path.posix.basename(modulePath);
  return {
    path: modulePath,
    version: 'v1.0.0',
    marker,
    files: {
      'go.mod': `module ${modulePath}\n\ngo 1.22\n`,
      [`${pkg}.go`]: `// Package ${pkg} is a private module served by the tests' company network.\npackage ${pkg}\n\n// Marker is a string every binary that links this package holds.\nfunc Marker() string { return "${marker}" }\n`,
    },
  };
}

/** A bare repository at repos/<module path minus host>.git holding the module, tagged. */
async function gitRepository(repos: string, work: string, m: PrivateModule): Promise<void> {
  const rel = m.path.slice(m.path.indexOf('/') + 1);
  const bare = path.join(repos, `${rel}.git`);
  const tree = path.join(work, rel);
  mkdirSync(tree, { recursive: true });
  for (const [file, content] of Object.entries(m.files)) writeFileSync(path.join(tree, file), content);
  const git = (args: string[], cwd: string) =>
    execa('git', ['-c', 'user.name=dockergo', '-c', 'user.email=dockergo@example.test', '-c', 'init.defaultBranch=main', ...args], { cwd });
  await git(['init', '-q'], tree);
  await git(['add', '.'], tree);
  await git(['commit', '-q', '-m', 'v1'], tree);
  await git(['tag', m.version], tree);
  mkdirSync(path.dirname(bare), { recursive: true });
  await git(['clone', '-q', '--bare', tree, bare], work);
  // git http-backend serves a repository only with this file (or GIT_HTTP_EXPORT_ALL).
  writeFileSync(path.join(bare, 'git-daemon-export-ok'), '');
}

/** The GOPROXY protocol's files for one version, the zip made by Python's zipfile (stored names module@version/path). */
async function proxyFiles(root: string, m: PrivateModule): Promise<void> {
  const dir = path.join(root, m.path, '@v');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'list'), `${m.version}\n`);
  writeFileSync(path.join(dir, `${m.version}.info`), `${JSON.stringify({ Version: m.version, Time: '2026-01-01T00:00:00Z' })}\n`);
  writeFileSync(path.join(dir, `${m.version}.mod`), m.files['go.mod']!);
  const script = 'import json, sys, zipfile\nfiles = json.load(sys.stdin)\nwith zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:\n  for name, content in files.items(): z.writestr(name, content)\n';
  const entries = Object.fromEntries(Object.entries(m.files).map(([f, c]) => [`${m.path}@${m.version}/${f}`, c]));
  await execa('python3', ['-c', script, path.join(dir, `${m.version}.zip`)], { input: JSON.stringify(entries) });
}

/** The start of an nginx.conf of a test's own: in the foreground as root, every file it keeps in dir, up to `http {`. */
export function nginxPrelude(dir: string, connections: number): string[] {
  return [
    'user root;',
    'worker_processes 1;',
    'daemon off;',
    `pid ${path.join(dir, 'nginx.pid')};`,
    `error_log ${path.join(dir, 'error.log')} info;`,
    `events { worker_connections ${connections}; }`,
    'http {',
    `  access_log ${path.join(dir, 'access.log')};`,
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${path.join(dir, 'tmp', t)};`),
  ];
}

/**
 * fcgiwrap (which runs git http-backend for nginx) on dir/fcgiwrap.sock, then nginx with dir/nginx.conf,
 * ready once it listens on 127.0.0.1:port. It returns the function that stops both (on a failed start, it
 * stops what had started).
 * workers > 1: fcgiwrap forks them (-c N), and its whole process group is stopped with it.
 */
export async function startGitWeb(dir: string, port: number, workers = 1): Promise<() => Promise<void>> {
  const daemons: Daemon[] = [];
  const stop = async (): Promise<void> => {
    for (const d of daemons.reverse()) await d.stop().catch(() => undefined);
  };
  try {
    const socket = path.join(dir, 'fcgiwrap.sock');
    daemons.push(
      await startDaemon('fcgiwrap', '/usr/sbin/fcgiwrap', [...(workers > 1 ? ['-c', String(workers)] : []), '-s', `unix:${socket}`], {
        logFile: path.join(dir, 'fcgiwrap.log'),
        ready: () => Promise.resolve(readdirSync(dir).includes('fcgiwrap.sock')),
        group: workers > 1,
      }),
    );
    daemons.push(
      await startDaemon('nginx', '/usr/sbin/nginx', ['-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')], {
        logFile: path.join(dir, 'nginx.log'),
        ready: () => listening(port),
      }),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return stop;
}

/** nginx.conf (and the go-get page): both hosts on 127.0.0.1:443, basic auth everywhere, its state in dir. */
function nginxConf(dir: string, cert: { cert: string; key: string }, gitModule: PrivateModule, also: readonly string[]): string {
  const rel = gitModule.path.slice(gitModule.path.indexOf('/'));
  const tls = [`    listen 127.0.0.1:443 ssl;`, ...also.map((ip) => `    listen ${ip}:443 ssl;`), `    ssl_certificate ${cert.cert};`, `    ssl_certificate_key ${cert.key};`];
  const auth = [`    auth_basic "company";`, `    auth_basic_user_file ${path.join(dir, 'htpasswd')};`];
  mkdirSync(path.dirname(path.join(dir, 'meta', rel)), { recursive: true });
  writeFileSync(path.join(dir, 'meta', rel), `<html><head><meta name="go-import" content="${gitModule.path} git https://${GIT_HOST}${rel}.git"></head></html>\n`);
  return `${[
    ...nginxPrelude(dir, 64),
    '  default_type application/octet-stream;',
    '  server {',
    `    server_name ${GIT_HOST};`,
    ...tls,
    ...auth,
    // Go's first question, asked of the module path: where its repository is. A static page, so
    // the auth (nginx's access phase) comes first, as a \`return\` would skip it.
    `    location = ${rel} {`,
    `      root ${path.join(dir, 'meta')};`,
    '      default_type text/html;',
    '    }',
    '    location / {',
    '      include /etc/nginx/fastcgi_params;',
    '      fastcgi_param SCRIPT_FILENAME /usr/lib/git-core/git-http-backend;',
    `      fastcgi_param GIT_PROJECT_ROOT ${path.join(dir, 'repos')};`,
    '      fastcgi_param PATH_INFO $uri;',
    '      fastcgi_param REMOTE_USER $remote_user;',
    `      fastcgi_pass unix:${path.join(dir, 'fcgiwrap.sock')};`,
    '    }',
    '  }',
    '  server {',
    `    server_name ${PROXY_HOST};`,
    ...tls,
    ...auth,
    `    root ${path.join(dir, 'goproxy')};`,
    '  }',
    '}',
  ].join('\n')}\n`;
}

/** Whether a TLS server answers on 127.0.0.1:port, for the readiness wait. */
export async function listening(port: number): Promise<boolean> {
  const result = await execa('bash', ['-c', `exec 3<>/dev/tcp/127.0.0.1/${port}`], { reject: false, timeout: 5_000 });
  return result.exitCode === 0;
}

/**
 * Starts fcgiwrap and nginx with both private modules and the netrc file; stop() stops both. `also`:
 * addresses of the tests' own bridges to listen on too, for builds that cannot use the host's network.
 */
export async function startCompanyServers(dir: string, id: string, also: readonly string[] = []): Promise<CompanyServers> {
  mkdirSync(path.join(dir, 'tmp'), { recursive: true });
  const certs = await makeCa(path.join(dir, 'ca'), `dockergo test company CA ${id}`, HOSTS);
  const gitModule = privateModule(`${GIT_HOST}/platform/greet`, `git-module-marker-${id}`);
  const proxyModule = privateModule(`corp.example.test/platform/quote`, `proxy-module-marker-${id}`);
  await gitRepository(path.join(dir, 'repos'), path.join(dir, 'work'), gitModule);
  await proxyFiles(path.join(dir, 'goproxy'), proxyModule);
  const passwords = [`netrc-git-marker-${id}`, `netrc-proxy-marker-${id}`];
  const users = ['ci-git', 'ci-proxy'];
  const htpasswd = await Promise.all(users.map(async (u, i) => (await execa('htpasswd', ['-nbm', u, passwords[i]!])).stdout.trim()));
  writeFileSync(path.join(dir, 'htpasswd'), `${htpasswd.join('\n')}\n`);
  const netrc = path.join(dir, 'netrc');
  writeFileSync(netrc, `machine ${GIT_HOST} login ${users[0]} password ${passwords[0]}\nmachine ${PROXY_HOST} login ${users[1]} password ${passwords[1]}\n`, { mode: 0o600 });
  writeFileSync(path.join(dir, 'nginx.conf'), nginxConf(dir, { cert: certs.cert!, key: certs.key! }, gitModule, also));

  if (await listening(443)) throw new Error('127.0.0.1:443 is taken: the company network needs it (a module path has no port)');
  const stop = await startGitWeb(dir, 443);
  return {
    caFile: certs.caFile,
    netrc,
    passwords,
    gitModule,
    proxyModule,
    addHosts: HOSTS.flatMap((h) => ['--add-host', `${h}:127.0.0.1`]),
    goEnv: {
      GOPROXY: `https://${PROXY_HOST}`,
      GOPRIVATE: `${GIT_HOST},corp.example.test`,
      // The git module is fetched directly; corp.example.test's come from the company GOPROXY.
      GONOPROXY: GIT_HOST,
    },
    goSum: `${goSumLines(gitModule)}\n${goSumLines(proxyModule)}\n`,
    accessLog: () => readFileSync(path.join(dir, 'access.log'), { encoding: 'utf8', flag: 'a+' }),
    stop,
  };
}

export interface InspectingProxy {
  /** http://127.0.0.1:port, for HTTPS_PROXY. */
  url: string;
  /** The proxy's CA certificate (PEM file): what a build must trust to fetch through it. */
  caFile: string;
  /** What the proxy has seen: one line per request. */
  log(): string;
  stop(): Promise<void>;
}

/**
 * mitmdump on 127.0.0.1, inspecting every TLS connection with certificates its own CA signs
 * (made in its confdir at first start). Upstream it trusts this machine's bundle.
 */
export async function startInspectingProxy(dir: string): Promise<InspectingProxy> {
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const logFile = path.join(dir, 'mitmdump.log');
  const daemon = await startDaemon('mitmdump', '/usr/bin/mitmdump', [
    '--listen-host', '127.0.0.1',
    '--listen-port', String(port),
    '--set', `confdir=${dir}`,
    '--set', 'ssl_verify_upstream_trusted_ca=/etc/ssl/certs/ca-certificates.crt',
    // 2: each request's whole URL (1 cuts them short), and its headers.
    '--set', 'flow_detail=2',
  ], {
    logFile,
    ready: () => listening(port),
  });
  return {
    url: `http://127.0.0.1:${port}`,
    caFile: path.join(dir, 'mitmproxy-ca-cert.pem'),
    log: () => readFileSync(logFile, 'utf8'),
    stop: () => daemon.stop(),
  };
}
