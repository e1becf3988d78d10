// A git hosting server in miniature, for `fleet`: nginx (Debian's) on 127.0.0.1, TLS from a test CA
// (a certificate for the address itself, so no name needs resolving), basic auth on everything,
// serving git's smart HTTP through `git http-backend` (fcgiwrap). Each bare repository accepts
// pushes (http.receivepack), advertises push options and serves partial clones; a pre-receive
// hook records every push (its refs and its push options) and refuses one when the repository
// holds a file named refuse-push.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { makeCa, nginxPrelude, startGitWeb } from './company-network.js';
import { freePort } from './service.js';

export interface GitServer {
  /** https://127.0.0.1:PORT/, where repository NAME is at NAME.git. */
  url: string;
  /** The test CA, for GIT_SSL_CAINFO. */
  caFile: string;
  /** The user and password basic auth takes. */
  user: string;
  password: string;
  /** The bare repositories' folder. */
  repos: string;
  /** Makes a bare repository NAME.git (pushes accepted, push options advertised). */
  create(name: string): Promise<string>;
  /** What the pre-receive hook saw, one JSON object a push: { repo, refs, options }. */
  pushes(): { repo: string; refs: string[]; options: string[] }[];
  /** Forgets the pushes so far (the ones that made the repositories). */
  forgetPushes(): void;
  stop(): Promise<void>;
}

const HOOK = `#!/bin/sh
# Records each push (its refs and push options) as one JSON line; refuses it where refuse-push exists.
log="$PUSH_LOG"
refs=""
while read -r old new ref; do refs="$refs\\"$ref\\","; done
options=""
i=0
while [ "$i" -lt "\${GIT_PUSH_OPTION_COUNT:-0}" ]; do
  eval "value=\\$GIT_PUSH_OPTION_$i"
  options="$options\\"$value\\","
  i=$((i + 1))
done
printf '{"repo":"%s","refs":[%s],"options":[%s]}\\n' "$(basename "$PWD")" "\${refs%,}" "\${options%,}" >> "$log"
if [ -e refuse-push ]; then
  echo "pushes to this repository are closed (the test's pre-receive hook)" >&2
  exit 1
fi
`;

function nginxConf(dir: string, port: number, cert: { cert: string; key: string }): string {
  return `${[
    ...nginxPrelude(dir, 256),
    '  client_max_body_size 0;',
    '  server {',
    `    listen 127.0.0.1:${port} ssl;`,
    `    ssl_certificate ${cert.cert};`,
    `    ssl_certificate_key ${cert.key};`,
    '    auth_basic "git";',
    `    auth_basic_user_file ${path.join(dir, 'htpasswd')};`,
    '    location / {',
    '      include /etc/nginx/fastcgi_params;',
    '      fastcgi_param SCRIPT_FILENAME /usr/lib/git-core/git-http-backend;',
    `      fastcgi_param GIT_PROJECT_ROOT ${path.join(dir, 'repos')};`,
    '      fastcgi_param GIT_HTTP_EXPORT_ALL "";',
    '      fastcgi_param PATH_INFO $uri;',
    '      fastcgi_param REMOTE_USER $remote_user;',
    `      fastcgi_param PUSH_LOG ${path.join(dir, 'pushes.log')};`,
    `      fastcgi_pass unix:${path.join(dir, 'fcgiwrap.sock')};`,
    '    }',
    '  }',
    '}',
  ].join('\n')}\n`;
}

export async function startGitServer(dir: string): Promise<GitServer> {
  mkdirSync(path.join(dir, 'tmp'), { recursive: true });
  const repos = path.join(dir, 'repos');
  mkdirSync(repos, { recursive: true });
  const port = await freePort();
  const certs = await makeCa(path.join(dir, 'ca'), 'dockergo test git CA', ['127.0.0.1']);
  const [user, password] = ['fleet', `fleet-password-${process.pid}`];
  writeFileSync(path.join(dir, 'htpasswd'), `${(await execa('htpasswd', ['-nbm', user, password])).stdout.trim()}\n`);
  writeFileSync(path.join(dir, 'pushes.log'), '');
  writeFileSync(path.join(dir, 'nginx.conf'), nginxConf(dir, port, { cert: certs.cert!, key: certs.key! }));
  const hook = path.join(dir, 'pre-receive');
  writeFileSync(hook, HOOK);
  chmodSync(hook, 0o755);
  const stop = await startGitWeb(dir, port, 4);
  return {
    url: `https://127.0.0.1:${port}/`,
    caFile: certs.caFile,
    user,
    password,
    repos,
    async create(name) {
      const bare = path.join(repos, `${name}.git`);
      const git = (args: string[]) => execa('git', args, { cwd: bare });
      mkdirSync(bare, { recursive: true });
      await execa('git', ['init', '--quiet', '--bare', '--initial-branch=main', bare]);
      const settings: [string, string][] = [['http.receivepack', 'true'], ['receive.advertisePushOptions', 'true'], ['uploadpack.allowFilter', 'true'], ['core.hooksPath', dir]];
      for (const [key, value] of settings) {
        await git(['config', key, value]);
      }
      return bare;
    },
    forgetPushes() {
      writeFileSync(path.join(dir, 'pushes.log'), '');
    },
    pushes() {
      const file = path.join(dir, 'pushes.log');
      return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { repo: string; refs: string[]; options: string[] }) : [];
    },
    stop,
  };
}
