// A distribution registry on 127.0.0.1: one open (the mirror holding the stand-in bases under
// their docker.io names), one behind htpasswd (for docker login and push).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { freePort } from '../service.js';
import { startDaemon, type Daemon } from './process.js';
import { tools, versionOf } from './tools.js';

export interface Registry extends Daemon {
  /** host:port, e.g. 127.0.0.1:5055. */
  readonly host: string;
  readonly version: string;
  readonly auth?: { user: string; password: string };
  /** GET on the registry's API, authenticated where it needs it. */
  api(pathAndQuery: string, accept?: string[]): Promise<Response>;
}

export async function startRegistry(dir: string, options: { auth?: { user: string; password: string } } = {}): Promise<Registry> {
  mkdirSync(path.join(dir, 'data'), { recursive: true });
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const lines = [
    'version: 0.1',
    'log:',
    '  level: warn',
    'storage:',
    `  filesystem: { rootdirectory: ${JSON.stringify(path.join(dir, 'data'))} }`,
    '  delete: { enabled: true }',
    'http:',
    `  addr: ${host}`,
  ];
  if (options.auth) {
    const file = path.join(dir, 'htpasswd');
    // distribution reads bcrypt entries only (-B).
    await execa('htpasswd', ['-Bbc', file, options.auth.user, options.auth.password]);
    lines.push('auth:', '  htpasswd:', '    realm: dockergo-test', `    path: ${JSON.stringify(file)}`);
  }
  writeFileSync(path.join(dir, 'config.yml'), `${lines.join('\n')}\n`);
  const authorization = options.auth ? `Basic ${Buffer.from(`${options.auth.user}:${options.auth.password}`).toString('base64')}` : undefined;
  const api = (pathAndQuery: string, accept: string[] = []) =>
    fetch(`http://${host}${pathAndQuery}`, {
      headers: { ...(authorization ? { authorization } : {}), ...(accept.length ? { accept: accept.join(', ') } : {}) },
      signal: AbortSignal.timeout(10_000),
    });
  const bin = tools().registry;
  const daemon = await startDaemon(`registry on ${host}`, path.join(bin, 'registry'), ['serve', path.join(dir, 'config.yml')], {
    logFile: path.join(dir, 'registry.log'),
    env: { OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none', OTEL_SDK_DISABLED: 'true' },
    ready: async () => [200, 401].includes((await api('/v2/')).status),
  });
  return { ...daemon, host, version: versionOf(bin), ...(options.auth ? { auth: options.auth } : {}), api };
}
