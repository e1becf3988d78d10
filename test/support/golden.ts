// The golden comparison of a refactoring: every variant the suites generate, and more, generated
// through the built bin, each file's SHA-256 printed as one JSON object. Run it before and after a
// change that must not change the output, and compare the two with diff (or `--diff A B`, which
// names each file that differs).
//   node test/support/golden.js > before.json; (change); node test/support/golden.js > after.json
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { greeterModule, shopModule } from './modules.js';
import { cleanup, listFiles, PACKAGE_ROOT, tempDir } from './project.js';

const BIN = path.join(PACKAGE_ROOT, 'dist/generator-dockergo.js');

interface Variant {
  name: string;
  args: string[];
  /** dockergo:docker on a module this makes, in place of a new project. */
  module?: () => Promise<string> | string;
  /** A preset folder this makes, passed with --preset. */
  preset?: (dir: string) => string;
}

const variants: Variant[] = [];
for (const base of ['alpine', 'scratch', 'distroless'])
  for (const kind of ['service', 'cli'])
    for (const layout of ['flat', 'cmd'])
      for (const config of [[], ['--config', 'config/app.yaml', '--config', 'extra.json']]) {
        const name = `${base}-${kind}-${layout}${config.length ? '-config' : ''}`;
        variants.push({ name, args: ['--base', base, '--kind', kind, '--layout', layout, ...config] });
        variants.push({ name: `${name}-kubernetes-github`, args: ['--base', base, '--kind', kind, '--layout', layout, ...config, '--deploy', 'kubernetes', '--ci', 'github'] });
      }
variants.push(
  { name: 'no-compose', args: ['--no-compose'] },
  { name: 'port-9090-go-1.24.3', args: ['--port', '9090', '--go-version', '1.24.3'] },
  { name: 'goproxy-goprivate', args: ['--goproxy', 'https://goproxy.corp.example,direct', '--goprivate', 'git.corp.example/*,corp.example'] },
  { name: 'runtime-ca-distroless', args: ['--base', 'distroless', '--runtime-ca'] },
  { name: 'args-service', args: ['--args', `run --addr 0.0.0.0:8181 '--label=a b' "--domain=*" --price='$5' --tag=#1 '$$(Y)'`, '--deploy', 'kubernetes'] },
  { name: 'args-cli', args: ['--kind', 'cli', '--args', '-upper data.txt', '--deploy', 'kubernetes'] },
  { name: 'name-underscore', args: ['--name', 'client_golang', '--deploy', 'kubernetes'] },
  { name: 'acme-preset', args: ['--preset', path.join(PACKAGE_ROOT, 'examples/acme-preset')] },
  { name: 'acme-preset-cli', args: ['--preset', path.join(PACKAGE_ROOT, 'examples/acme-preset'), '--kind', 'cli', '--ci', 'github'] },
  {
    name: 'company-preset',
    args: ['--deploy', 'kubernetes', '--runtime-ca'],
    preset: (dir) => {
      mkdirSync(path.join(dir, 'templates/deploy/kubernetes/overlays/prod'), { recursive: true });
      cpSync(path.join(PACKAGE_ROOT, 'test/fixtures/golden-ca.pem'), path.join(dir, 'ca.pem'));
      writeFileSync(path.join(dir, 'preset.json'), JSON.stringify({
        version: '2.0.0', caCerts: 'ca.pem', labels: { 'com.acme.team': 'platform', 'com.acme.note': 'a value with spaces: and more' },
        kubernetes: { registry: 'registry.acme.internal/apps', namespace: 'acme', resources: { cpu: '100m', memory: '128Mi' } },
        defaults: { goprivate: 'git.acme.example' },
      }));
      writeFileSync(path.join(dir, 'templates/deploy/kubernetes/overlays/prod/extra.yaml.ejs'), 'kind: ConfigMap\nmetadata:\n  name: <%- yaml(kubernetes.name) %>-extra\n');
      return dir;
    },
  },
);
const docker = (name: string, module: () => Promise<string> | string, args: string[]): Variant => ({ name: `docker-${name}`, module, args });
variants.push(
  docker('shop-api', shopModule, ['--main', './cmd/api']),
  docker('shop-worker-cli', shopModule, ['--main', './cmd/worker', '--kind', 'cli', '--deploy', 'kubernetes', '--ci', 'github']),
  docker('greeter', greeterModule, ['--deploy', 'kubernetes', '--args', '--listen :9090']),
  docker('layouts', () => {
    const dir = path.join(tempDir('golden-'), 'layouts');
    cpSync(path.join(PACKAGE_ROOT, 'test/fixtures/layouts'), dir, { recursive: true });
    return dir;
  }, ['--base', 'distroless']),
);

async function generate(v: Variant): Promise<Record<string, string>> {
  const parent = tempDir('golden-');
  let module: string | undefined;
  try {
    let dir: string;
    const preset = v.preset ? ['--preset', v.preset(path.join(parent, 'preset'))] : [];
    if (v.preset) mkdirSync(path.join(parent, 'preset'), { recursive: true });
    if (v.module) {
      dir = await v.module();
      // Each module is a temp folder of its own (layouts': the folder it sits in).
      module = path.basename(dir) === 'layouts' ? path.dirname(dir) : dir;
      const run = await execa(process.execPath, [BIN, 'docker', '--yes', '--skip-install', '--force', ...v.args, ...preset], { cwd: dir, reject: false, all: true });
      if (run.exitCode !== 0) throw new Error(`${v.name}: ${run.all}`);
    } else {
      dir = path.join(parent, 'p');
      const run = await execa(process.execPath, [BIN, '--yes', '--skip-install', '--module', `example.com/golden/${v.name}`, '--go-version', '1.26.8', ...v.args, ...preset, dir], { cwd: parent, reject: false, all: true });
      if (run.exitCode !== 0) throw new Error(`${v.name}: ${run.all}`);
    }
    const files: Record<string, string> = {};
    for (const file of listFiles(dir)) {
      let bytes = readFileSync(path.join(dir, file));
      // The record names the preset's folder, which is a new temp folder each run.
      if (file === '.yo-rc.json') bytes = Buffer.from(bytes.toString('utf8').replace(/"preset": "[^"]*"/, '"preset": "<preset>"'));
      files[file] = createHash('sha256').update(bytes).digest('hex');
    }
    return files;
  } finally {
    cleanup(parent);
    if (module) cleanup(module);
  }
}

async function main(): Promise<void> {
  const [flag, a, b] = process.argv.slice(2);
  if (flag === '--diff') {
    const [before, after] = [a!, b!].map((f) => JSON.parse(readFileSync(f, 'utf8')) as Record<string, Record<string, string>>);
    const differ: string[] = [];
    for (const name of new Set([...Object.keys(before!), ...Object.keys(after!)])) {
      const [x, y] = [before![name] ?? {}, after![name] ?? {}];
      for (const file of new Set([...Object.keys(x), ...Object.keys(y)])) if (x[file] !== y[file]) differ.push(`${name}: ${file}`);
    }
    console.log(differ.length === 0 ? `identical: ${Object.keys(before!).length} variants` : differ.join('\n'));
    process.exit(differ.length === 0 ? 0 : 1);
  }
  const out: Record<string, Record<string, string>> = {};
  for (const v of variants) out[v.name] = await generate(v);
  console.log(JSON.stringify(out, null, 1));
}

await main();
