// Builds the published bin, dist/generator-dockergo.js: bin/generator-dockergo.js with the
// generators and their dependencies in one file. Node loads one module in place of about a
// thousand (lodash-es alone is 600), which is most of a run's start-up time.
//   node bin/bundle.js   (npm run build does it)
// Three things change on the way in, each for a reason:
//   - fly-import, npm's installer that yeoman-environment keeps for installing generators from
//     the registry, loads only if a run calls it (never here): a shim stands in for it.
//   - yeoman-generator and yeoman-environment read their own package.json beside their source;
//     bundled, that file is not there, so their name and version are written in.
//   - require(), which CommonJS dependencies call, is made from the bundle's own location.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const root = fileURLToPath(new URL('../', import.meta.url));
const SHIM = 'dockergo-fly-import-shim';

const FLY_IMPORT_SHIM = `
let real;
const load = () => (real ??= import('fly-import'));
export class FlyRepository {
  #config;
  #repository;
  constructor(config) {
    this.#config = config;
    this.repositoryPath = config.repositoryPath;
  }
  async #real() {
    const { FlyRepository: Real } = await load();
    return (this.#repository ??= new Real(this.#config));
  }
  async load() { return (await this.#real()).load(); }
  async install(spec) { return (await this.#real()).install(spec); }
  async import(spec) { return (await this.#real()).import(spec); }
  async resolve(realpath) { return (await this.#real()).resolve(realpath); }
  findSpecs() { throw new Error('generator-dockergo: installing generators is not supported by this bin; use yo'); }
}
export const flyImport = async (...args) => (await load()).flyImport(...args);
export const flyInstall = async (...args) => (await load()).flyInstall(...args);
`;

const OWN_PACKAGE_JSON: Record<string, string[]> = {
  'yeoman-generator/dist/generator.js': ["JSON.parse(readFileSync(pathJoin(_dirname, '../package.json'), 'utf8'))"],
  'yeoman-environment/dist/environment-base.js': ["require('../package.json')"],
};

const adjust: Plugin = {
  name: 'dockergo-bundle',
  setup(b) {
    b.onResolve({ filter: /^fly-import$/ }, (args) => (args.importer === SHIM ? { path: 'fly-import', external: true } : { path: SHIM, namespace: SHIM }));
    b.onLoad({ filter: /.*/, namespace: SHIM }, () => ({ contents: FLY_IMPORT_SHIM, loader: 'js', resolveDir: root }));
    b.onLoad({ filter: /node_modules\/yeoman-(generator|environment)\/dist\/(generator|environment-base)\.js$/ }, (args) => {
      const key = Object.keys(OWN_PACKAGE_JSON).find((k) => args.path.endsWith(k))!;
      const pkg = JSON.parse(readFileSync(path.join(path.dirname(args.path), '../package.json'), 'utf8')) as { name: string; version: string };
      let contents = readFileSync(args.path, 'utf8');
      for (const expression of OWN_PACKAGE_JSON[key]!) {
        if (!contents.includes(expression)) throw new Error(`bundle: ${key} no longer reads its package.json as ${expression}; update bin/bundle.ts`);
        contents = contents.replace(expression, JSON.stringify({ name: pkg.name, version: pkg.version }));
      }
      return { contents, loader: 'js' };
    });
  },
};

await build({
  entryPoints: [path.join(root, 'bin/generator-dockergo.js')],
  outfile: path.join(root, 'dist/generator-dockergo.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.17',
  plugins: [adjust],
  banner: { js: "import { createRequire as __dockergoRequire } from 'node:module';\nconst require = __dockergoRequire(import.meta.url);" },
  logLevel: 'warning',
  legalComments: 'none',
});
