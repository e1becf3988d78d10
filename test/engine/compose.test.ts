// compose.yaml on a real engine, as a user drives it: Docker Compose v5 (built from its module,
// a CLI plugin) on today's Docker Engine. config, up --build --wait, a healthy service on the
// published port, watch picking up a .go edit, and down leaving nothing behind.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { engines, type Engines } from '../support/engines/engines.js';
import { cleanup, generate, read } from '../support/project.js';
import { freePort, httpGet, waitForHttp } from '../support/service.js';
import { basesOf, logOnce } from '../support/variants.js';

describe('docker compose on compose.yaml (Compose v5, Docker Engine 29)', function () {
  this.timeout(900_000);
  let e: Engines;
  let dir = '';
  let port = 0;
  const name = 'composed';

  /** `docker compose ARGS` in the project; never rejects. */
  const compose = (args: string[]) => execa('docker', ['compose', ...args], { cwd: dir, env: e.env(), all: true, reject: false });
  /** Containers of the project, running or not. */
  const containers = async (): Promise<string[]> =>
    (await execa('docker', ['ps', '--all', '--quiet', '--filter', `label=com.docker.compose.project=${name}`], { env: e.env() })).stdout.split('\n').filter(Boolean);

  before(async () => {
    e = await engines();
    await e.useEngine('today');
    port = await freePort();
    ({ dir } = await generate({ module: `example.com/e2e/${name}`, port: String(port), config: ['app.yaml'] }));
    for (const line of await e.prepareBases(basesOf(read(dir, 'Dockerfile')).refs)) logOnce(line);
    const version = await compose(['version', '--short']);
    assert.equal(version.exitCode, 0, version.all);
    console.log(`      Docker Compose ${version.stdout.trim()}`);
  });

  after(async () => {
    if (dir) {
      await compose(['down', '--volumes', '--rmi', 'local']);
      cleanup(dir);
    }
  });

  it('docker compose config: the file is valid', async () => {
    const config = await compose(['config', '--quiet']);
    assert.equal(config.exitCode, 0, config.all);
    assert.equal(config.all, '');
  });

  it('docker compose up --build --wait: the healthcheck passes and /healthz answers on the published port', async () => {
    const started = Date.now();
    const up = await compose(['up', '--build', '--detach', '--wait', '--wait-timeout', '120']);
    assert.equal(up.exitCode, 0, up.all.slice(-3000));
    logOnce(`compose up --build --wait: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    assert.deepEqual(await httpGet(`http://127.0.0.1:${port}/healthz`), { status: 200, body: 'ok' });
    const [id] = await containers();
    const inspect = JSON.parse((await execa('docker', ['inspect', id!], { env: e.env() })).stdout)[0];
    assert.equal(inspect.State.Health.Status, 'healthy');
    assert.equal(inspect.Config.User, '65532:65532');
    assert.equal(inspect.HostConfig.ReadonlyRootfs, true);
    assert.deepEqual(inspect.HostConfig.CapDrop, ['ALL']);
    // Published on the loopback address only.
    assert.deepEqual(inspect.HostConfig.PortBindings[`${port}/tcp`], [{ HostIp: '127.0.0.1', HostPort: String(port) }]);
    // Its config file is the image's, passed with -config.
    assert.deepEqual(inspect.Config.Cmd, ['-config', `/etc/${name}/app.yaml`]);
    // The working folder is a volume the program's user can write, though the root is read-only.
    assert.deepEqual(inspect.Mounts.filter((m: { Destination: string }) => m.Destination === '/data').map((m: { Type: string }) => m.Type), ['volume']);
    const write = await compose(['exec', '-T', name, 'sh', '-c', 'echo kept > /data/probe && cat /data/probe']);
    assert.equal(write.stdout.trim(), 'kept', write.all);
    const control = await compose(['exec', '-T', name, 'sh', '-c', 'echo x > /etc/probe']);
    assert.notEqual(control.exitCode, 0, 'the root is writable');
  });

  it('docker compose watch: a .go edit is rebuilt and served; a README edit is not', async () => {
    let watch: ResultPromise | undefined;
    let output = '';
    try {
      watch = execa('docker', ['compose', 'watch', '--no-up'], { cwd: dir, env: e.env(), all: true, reject: false, detached: true });
      watch.all?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const deadline = Date.now() + 60_000;
      while (!output.includes('Watch enabled') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      assert.ok(output.includes('Watch enabled'), `compose watch did not start:\n${output}`);
      const before = (await containers())[0];

      // Compose batches changes over a short window: the README edit gets a window of its own.
      writeFileSync(path.join(dir, 'README.md'), `${read(dir, 'README.md')}\nEdited.\n`);
      await new Promise((r) => setTimeout(r, 5000));
      assert.ok(!output.includes('Rebuilding'), `a README edit started a rebuild:\n${output}`);
      const main = path.join(dir, 'main.go');
      writeFileSync(main, read(dir, 'main.go').replace('io.WriteString(w, "ok")', 'io.WriteString(w, "ok, edited")'));
      const edited = Date.now();
      let reply = { status: 0, body: '' };
      while (Date.now() - edited < 180_000) {
        reply = await httpGet(`http://127.0.0.1:${port}/healthz`).catch(() => ({ status: 0, body: '' }));
        if (reply.body === 'ok, edited') break;
        await new Promise((r) => setTimeout(r, 500));
      }
      assert.deepEqual(reply, { status: 200, body: 'ok, edited' }, `the edit was not served:\n${output.slice(-3000)}`);
      logOnce(`compose watch: the edit served after ${((Date.now() - edited) / 1000).toFixed(1)} s`);
      assert.notEqual((await containers())[0], before, 'the container was not replaced');
      // One rebuild: the README edit, ignored, started none of its own.
      assert.equal(output.match(/Rebuilding service\(s\) /g)?.length, 1, output);
    } finally {
      if (watch?.pid) {
        try {
          process.kill(-watch.pid, 'SIGINT');
        } catch {
          // already gone
        }
        await watch;
      }
    }
    assert.deepEqual(await waitForHttp(`http://127.0.0.1:${port}/healthz`), { status: 200, body: 'ok, edited' });
  });

  it('docker compose down: no container, network or port left', async () => {
    const down = await compose(['down']);
    assert.equal(down.exitCode, 0, down.all);
    assert.deepEqual(await containers(), []);
    const networks = await execa('docker', ['network', 'ls', '--quiet', '--filter', `label=com.docker.compose.project=${name}`], { env: e.env() });
    assert.equal(networks.stdout.trim(), '');
    await assert.rejects(httpGet(`http://127.0.0.1:${port}/healthz`));
  });
});
