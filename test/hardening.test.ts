// The edges, through the packed bin as users run it: each defect of the hardening issue has a
// test here that failed before its fix. Bad input must end in one line on stderr, exit 1 (130
// for a cancelled prompt), and leave the tree exactly as it was.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa, type Options } from 'execa';
import { expectRefused, packedPackage, toolRecorders } from './support/packed.js';
import { SERVICE_MAIN, writeModule } from './support/modules.js';
import { cleanup, read, snapshot, tempDir } from './support/project.js';

let bin = '';

async function run(cwd: string, args: string[], options: Options = {}) {
  return execa(bin, args, { cwd, reject: false, all: true, stdin: 'ignore', ...options } as Options);
}

/** Runs a bad input: exit status, one stderr line matching `line`, and the tree unchanged. */
function refused(cwd: string, args: string[], line: RegExp, options: Options & { status?: number } = {}): Promise<string> {
  return expectRefused(bin, cwd, args, line, options);
}

describe('hardening: the packed bin at the edges', function () {
  this.timeout(300_000);
  before(async () => {
    ({ bin } = await packedPackage());
  });

  describe('1. --skip-install and --dry-run', () => {
    it('--dry-run lists what it would write, and writes and runs nothing', async () => {
      const recorders = toolRecorders();
      const dir = tempDir();
      const result = await run(dir, ['--yes', '--dry-run', '--module', 'example.com/dry/run', '--go-version', '1.26.8', 'svc'], { env: recorders.env });
      assert.equal(result.exitCode, 0, String(result.stderr));
      for (const file of ['go.mod', 'main.go', 'Dockerfile', 'build.sh', '.yo-rc.json']) {
        assert.match(String(result.all), new RegExp(`create svc/${file.replace('.', '\\.')}$`, 'm'));
      }
      assert.match(String(result.all), /--dry-run: nothing was written and nothing was run/);
      assert.doesNotMatch(String(result.all), /is ready/);
      assert.deepEqual(snapshot(dir), {});
      assert.deepEqual(recorders.calls(), []);
      cleanup(dir);
      cleanup(recorders.dir);
    });

    it('--dry-run on an existing project shows the change as a diff, and changes nothing', async () => {
      const dir = tempDir();
      await run(dir, ['--yes', '--skip-install', '--module', 'example.com/dry/again']);
      const before = snapshot(dir);
      const result = await run(dir, ['--yes', '--dry-run', '--port', '9191']);
      assert.equal(result.exitCode, 0, String(result.stderr));
      assert.match(String(result.all), /EXPOSE 9191/);
      assert.deepEqual(snapshot(dir), before);
      cleanup(dir);
    });

    it('dockergo:docker --dry-run writes nothing either', async () => {
      const dir = writeModule({ 'go.mod': 'module example.com/dry/docker\n\ngo 1.26\n', 'main.go': SERVICE_MAIN });
      const before = snapshot(dir);
      const result = await run(dir, ['docker', '--yes', '--dry-run']);
      assert.equal(result.exitCode, 0, String(result.all));
      assert.match(String(result.all), /create Dockerfile$/m);
      assert.match(String(result.all), /--dry-run: nothing was written/);
      assert.deepEqual(snapshot(dir), before);
      cleanup(dir);
    });
  });

  describe('2. injection from the user\'s tree', () => {
    it('a cmd/ folder named with a backtick never reaches the Makefile or Dockerfile, and make build runs nothing', async () => {
      const dir = writeModule({
        'go.mod': 'module example.com/hostile\n\ngo 1.26\n',
        'cmd/ok/main.go': SERVICE_MAIN,
        'cmd/x`touch PWNED`/main.go': SERVICE_MAIN,
        'cmd/x$(touch PWNED2)/main.go': SERVICE_MAIN,
      });
      const result = await run(dir, ['docker', '--yes']);
      assert.equal(result.exitCode, 0, String(result.stderr));
      for (const file of ['Makefile', 'Dockerfile', 'build.sh', '.dockerignore']) assert.doesNotMatch(read(dir, file), /PWNED|`|\$\(touch/, file);
      assert.match(read(dir, 'Makefile'), /-o bin\/\$\(NAME\) \.\/cmd\/ok$/m);
      await execa('make', ['build'], { cwd: dir, env: { GOFLAGS: '-mod=mod' } });
      assert.ok(!snapshot(dir)['PWNED'] && !snapshot(dir)['PWNED2']);
      cleanup(dir);
    });

    it('a go.mod module path or go version with shell metacharacters is refused', async () => {
      const module = writeModule({ 'go.mod': 'module example.com/x;touch${IFS}PWNED\n\ngo 1.26\n', 'main.go': SERVICE_MAIN });
      await refused(module, ['docker', '--yes'], /^generator-dockergo: go\.mod module: "example\.com\/x;touch\$\{IFS\}PWNED" has ";" at position 14: must be a Go module path/);
      const version = writeModule({ 'go.mod': 'module example.com/x\n\ngo 1.26;id\n', 'main.go': SERVICE_MAIN });
      await refused(version, ['docker', '--yes'], /go "1\.26;id" is not a Go version/);
      cleanup(module);
      cleanup(version);
    });
  });

  describe('3. main packages as Go sees them', () => {
    it('a //go:build ignore generator and "package main" in a string are not main packages', async () => {
      const dir = writeModule({
        'go.mod': 'module example.com/lib\n\ngo 1.26\n',
        'lib.go': 'package lib\n\n// Template is the text a generator writes.\nconst Template = `\npackage main\n`\n',
        'gen.go': '//go:build ignore\n\npackage main\n\nfunc main() {}\n',
        'cmd/tool/main.go': 'package main // import "example.com/lib/cmd/tool"\n\nfunc main() {}\n',
      });
      const result = await run(dir, ['docker', '--yes', '--kind', 'cli']);
      assert.equal(result.exitCode, 0, String(result.stderr));
      assert.match(read(dir, 'Dockerfile'), /-o \/out\/tool \.\/cmd\/tool$/m);
      const library = writeModule({ 'go.mod': 'module example.com/lib\n\ngo 1.26\n', 'lib.go': 'package lib\n\nconst S = "package main"\n', 'gen.go': '//go:build ignore\n\npackage main\n\nfunc main() {}\n' });
      await refused(library, ['docker', '--yes'], /no main package at the module root or in cmd\/\*/);
      cleanup(dir);
      cleanup(library);
    });
  });

  describe('4. layouts dockergo:docker refuses in one line', () => {
    it('a go.work workspace', async () => {
      const dir = writeModule({ 'go.mod': 'module example.com/ws\n\ngo 1.26\n', 'go.work': 'go 1.26\n\nuse .\n', 'main.go': SERVICE_MAIN });
      await refused(dir, ['docker', '--yes'], /go\.work: this folder is a Go workspace.*GOWORK=off/);
      cleanup(dir);
    });

    it('a replace outside the module folder', async () => {
      const dir = writeModule({
        'go.mod': 'module example.com/r\n\ngo 1.26\n\nrequire example.com/other v0.0.0\n\nreplace example.com/other => ../other\n',
        'main.go': SERVICE_MAIN,
      });
      await refused(dir, ['docker', '--yes'], /replaces a module with "\.\.\/other", outside this module's folder/);
      cleanup(dir);
    });

    it('a program that needs cgo, in its own files or in a package it imports', async () => {
      const own = writeModule({ 'go.mod': 'module example.com/c\n\ngo 1.26\n', 'main.go': 'package main\n\n// #include "x.h"\nimport "C"\n\nfunc main() {}\n', 'x.h': '' });
      await refused(own, ['docker', '--yes'], /\. needs cgo: main\.go imports "C".*\/\/go:build !cgo/);
      const dep = writeModule({
        'go.mod': 'module example.com/c\n\ngo 1.26\n',
        'main.go': 'package main\n\nimport _ "example.com/c/native"\n\nfunc main() {}\n',
        'native/n.go': 'package native\n\n// #include "n.h"\nimport "C"\n',
        'native/n.h': '',
        'native/n.c': 'int n(void) { return 1; }\n',
      });
      await refused(dep, ['docker', '--yes'], /needs cgo: it imports example\.com\/c\/native, which has only cgo files/);
      cleanup(own);
      cleanup(dep);
    });

    it('a dependency with cgo files, even one with a stub that compiles without them', async () => {
      // go-sqlite3's shape: with cgo off its stub builds, so only its cgo files tell.
      const dir = writeModule({
        'go.mod': 'module example.com/db\n\ngo 1.26\n\nrequire example.com/sqlite v0.0.0\n\nreplace example.com/sqlite => ./third_party/sqlite\n',
        'main.go': 'package main\n\nimport "example.com/sqlite"\n\nfunc main() { sqlite.Open() }\n',
        'third_party/sqlite/go.mod': 'module example.com/sqlite\n\ngo 1.26\n',
        'third_party/sqlite/sqlite.go': 'package sqlite\n\n// #include "s.h"\nimport "C"\n\n// Open opens.\nfunc Open() {}\n',
        'third_party/sqlite/stub.go': '//go:build !cgo\n\npackage sqlite\n\n// Open fails: built without cgo.\nfunc Open() { panic("requires cgo") }\n',
        'third_party/sqlite/s.h': '',
      });
      await refused(dir, ['docker', '--yes', '--kind', 'cli'], /: \. needs cgo: it imports example\.com\/sqlite \(example\.com\/sqlite[^)]*\), whose cgo files \(sqlite\.go\) a build with cgo off leaves out; .*a replacement of it that needs no cgo/);
      // Control: the same program on a pure-Go dependency is accepted.
      rmSync(path.join(dir, 'third_party/sqlite/sqlite.go'));
      writeFileSync(path.join(dir, 'third_party/sqlite/stub.go'), 'package sqlite\n\n// Open opens.\nfunc Open() {}\n');
      const result = await run(dir, ['docker', '--yes', '--kind', 'cli']);
      assert.equal(result.exitCode, 0, String(result.stderr));
      cleanup(dir);
    });

    it('an embed pattern that matches no file, in a package the program imports', async () => {
      const files = {
        'go.mod': 'module example.com/web\n\ngo 1.26\n',
        'main.go': 'package main\n\nimport "example.com/web/ui"\n\nfunc main() { _ = ui.Assets }\n',
        'ui/ui.go': 'package ui\n\nimport "embed"\n\n// Assets are the built web assets.\n//\n//go:embed app/dist\nvar Assets embed.FS\n',
        'ui/app/src/index.ts': 'export {};\n',
      };
      const dir = writeModule(files);
      await refused(dir, ['docker', '--yes'], /: \/\/go:embed app\/dist in ui matches no file, so the image build fails: .*build them first/);
      // Control: once the assets are built, it is accepted, and they reach the build context.
      mkdirSync(path.join(dir, 'ui/app/dist'), { recursive: true });
      writeFileSync(path.join(dir, 'ui/app/dist/index.html'), '<p>built</p>\n');
      const result = await run(dir, ['docker', '--yes']);
      assert.equal(result.exitCode, 0, String(result.stderr));
      assert.ok(read(dir, '.dockerignore').split('\n').includes('!ui/'));
      cleanup(dir);
    });

    it('default arguments a shell would expand, run or glob, which an exec-form CMD cannot', async () => {
      const dir = writeModule({ 'go.mod': 'module example.com/a\n\ngo 1.26\n', 'main.go': SERVICE_MAIN });
      for (const args of ['--addr $ADDR', '--addr "$ADDR"', 'serve | tee log', 'serve; rm x', '--files=*.txt', 'serve # comment', 'a `b`', '--dir ~/data', '--name "a b', "it's"]) {
        await refused(dir, ['docker', '--yes', `--args=${args}`], /: --args: ".*" (has|is) .*: must be arguments as sh splits them/);
      }
      cleanup(dir);
    });
  });

  describe('5 and 6. paths that cannot be written: one line, nothing written', () => {
    it('dockergo:docker --config for a file that does not exist', async () => {
      const dir = writeModule({ 'go.mod': 'module example.com/cfg\n\ngo 1.26\n', 'main.go': SERVICE_MAIN, 'conf/.keep': '' });
      await refused(dir, ['docker', '--yes', '--config', 'conf/app.yaml'], /--config conf\/app\.yaml: no such file in the module: the image copies it, so create it first/);
      await refused(dir, ['docker', '--yes', '--config', 'conf'], /--config conf: is a folder in the module, not a file/);
      cleanup(dir);
    });

    const cases: [string, string[], RegExp][] = [
      ['a config file where the cmd layout puts a folder', ['--layout', 'cmd', '--name', 'app', '--config', 'cmd'], /--config cmd: clashes with cmd\/app\/main\.go/],
      ['a config file below a generated file', ['--config', 'Dockerfile/app.yaml'], /--config Dockerfile\/app\.yaml: clashes with Dockerfile/],
      ['a path element over 255 bytes', ['--config', `conf/${'x'.repeat(256)}.yaml`], /--config: .* has an element of 261 bytes, over the limit of 255/],
      ['a target folder below a file', ['a-file/svc'], /folder: "a-file\/svc": .*a-file is a file, not a folder/],
      ['a target folder that is a file', ['a-file'], /folder: "a-file": .*a-file is a file, not a folder/],
      ['a target folder name over 255 bytes', ['y'.repeat(300)], /folder: .*a path element is over 255 bytes/],
    ];
    for (const [name, args, line] of cases) {
      it(name, async () => {
        const dir = tempDir();
        writeFileSync(path.join(dir, 'a-file'), 'x');
        await refused(dir, ['--yes', '--skip-install', '--module', 'example.com/half', ...args], line);
        cleanup(dir);
      });
    }

    it('a config file that is a folder in an existing project', async () => {
      const dir = tempDir();
      mkdirSync(path.join(dir, 'conf.yaml'));
      await refused(dir, ['--yes', '--skip-install', '--module', 'example.com/half', '--config', 'conf.yaml'], /--config conf\.yaml: is a folder in the project/);
      cleanup(dir);
    });
  });

  describe('7. defaults are validated like flags', () => {
    for (const folder of ['aux', 'con', 'nul', 'prn', 'com1', 'lpt9']) {
      it(`a folder named ${folder}`, async () => {
        const parent = tempDir();
        const dir = path.join(parent, folder);
        mkdirSync(dir);
        await refused(dir, ['--yes', '--skip-install'], new RegExp(`--module was not given, and its default "example\\.com/${folder}" .* has the element "${folder}", a name Windows reserves .*: give --module$`));
        cleanup(parent);
      });
    }
  });

  describe('8 and 9. inputs that cannot work, and secrets', () => {
    const cases: [string, string[], RegExp][] = [
      ['a name that is no image name', ['--name', 'a..b'], /--name: "a\.\.b" joins two runs with "\.\." at position 2: must be a lowercase image name/],
      ['--name con under --layout cmd', ['--name', 'con', '--layout', 'cmd'], /--name: "con" is a name Windows reserves/],
      ['--name testdata under --layout cmd', ['--name', 'testdata', '--layout', 'cmd'], /--name: "testdata" is testdata, a folder name Go gives a meaning to/],
      ['a module path with a leading dash', ['--module', '-x'], /--module: "-x" starts with "-": must be a Go module path/],
      ['a standard-library module path', ['--module', 'net/http'], /--module: "net\/http" is a standard-library path \(net\)/],
      ['a Go version that does not exist', ['--go-version', '1.26.99'], /--go-version: "1\.26\.99" is no release: 1\.26 goes up to 1\.26\.\d+: must be a Go release/],
      ['a config file named go.work', ['--config', 'go.work'], /--config: "go\.work" is a Go workspace file/],
      ['a config file under bin/', ['--config', 'bin/app.yaml'], /--config: "bin\/app\.yaml" lies in bin\/, which make clean deletes/],
      ['a config file that is Go assembly', ['--config', 'x.s'], /--config: "x\.s" is a Go build input or output/],
      ['a GOPROXY with credentials', ['--goproxy', 'https://user:s3cret@goproxy.example'], /--goproxy: .* has credentials \(user@\): must be a GOPROXY without credentials.*netrc build secret/],
      ['a .netrc config file', ['--config', '.netrc'], /--config: "\.netrc" is a credential file \(\.netrc\): .*netrc build secret/],
      ['a config file under .git/', ['--config', '.git/config'], /--config: "\.git\/config" lies in \.git\//],
    ];
    for (const [name, args, line] of cases) {
      it(name, async () => {
        const dir = tempDir();
        const stderr = await refused(dir, ['--yes', '--skip-install', '--module', 'example.com/bad', ...args, 'svc'], line);
        assert.doesNotMatch(stderr, /s3cret/, 'a credential is echoed');
        cleanup(dir);
      });
    }
  });

  describe('10. dockergo:docker follows go.mod in a generated project', () => {
    it('a go directive bumped after generation is what the Dockerfile and .yo-rc.json follow', async () => {
      const dir = tempDir();
      assert.equal((await run(dir, ['--yes', '--skip-install', '--module', 'example.com/bump', '--go-version', '1.25.9'])).exitCode, 0);
      writeFileSync(path.join(dir, 'go.mod'), read(dir, 'go.mod').replace(/^go .*$/m, 'go 1.26.8'));
      const result = await run(dir, ['docker', '--yes', '--force']);
      assert.equal(result.exitCode, 0, String(result.stderr));
      assert.match(read(dir, 'Dockerfile'), /^ARG GO_VERSION=1\.26\.8$/m);
      assert.equal(JSON.parse(read(dir, '.yo-rc.json'))['generator-dockergo'].goVersion, undefined);
      const again = await run(dir, ['docker', '--yes']);
      assert.equal(again.exitCode, 0, String(again.stderr));
      cleanup(dir);
    });
  });

  describe('11. one line, never a stack trace', () => {
    it('a malformed .yo-rc.json, for the app and for docker', async () => {
      const dir = writeModule({ 'go.mod': 'module example.com/y\n\ngo 1.26\n', 'main.go': SERVICE_MAIN, '.yo-rc.json': '{"generator-dockergo": {\n' });
      await refused(dir, ['docker', '--yes'], /\.yo-rc\.json: not valid JSON \(.*\): fix it, or delete it/);
      await refused(dir, ['--yes', '--skip-install'], /\.yo-rc\.json: not valid JSON/);
      cleanup(dir);
    });

    it('--no-yes with no terminal: exit 130, nothing written', async () => {
      const dir = tempDir();
      await refused(dir, ['--no-yes', '--skip-install', 'svc'], /--no-yes asks questions, but stdin is not a terminal: nothing written/, { status: 130, stdin: 'pipe' });
      cleanup(dir);
    });

    it('Ctrl-C at a prompt: exit 130, one line, nothing written', async () => {
      const dir = tempDir();
      // A real terminal: python's pty runs the bin, waits for the first question, then types Ctrl-C.
      const script = [
        'import os, pty, sys, time',
        'pid, fd = pty.fork()',
        'if pid == 0:',
        '    os.execv(sys.argv[1], sys.argv[1:])',
        'out = b""',
        'deadline = time.time() + 60',
        'while b"module path" not in out and time.time() < deadline:',
        '    try: out += os.read(fd, 4096)',
        '    except OSError: break',
        'os.write(fd, b"\\x03")',
        'while True:',
        '    try:',
        '        chunk = os.read(fd, 4096)',
        '        if not chunk: break',
        '        out += chunk',
        '    except OSError: break',
        '_, status = os.waitpid(pid, 0)',
        'sys.stdout.write(out.decode(errors="replace"))',
        'sys.exit(os.waitstatus_to_exitcode(status))',
      ].join('\n');
      const before = snapshot(dir);
      const result = await execa('python3', ['-c', script, bin, '--skip-install', 'svc'], { cwd: dir, reject: false, env: { CI: '' } });
      assert.equal(result.exitCode, 130, result.stdout);
      const lines = result.stdout.split(/\r?\n/).filter((l) => l.includes('generator-dockergo:'));
      assert.deepEqual(lines.map((l) => l.replace(/^.*(generator-dockergo:)/, '$1').trim()), ['generator-dockergo: cancelled at a prompt: nothing written']);
      // And nothing else (the new-user pass, item 12): Yeoman's own "✖ An error occured while running …" line came first.
      assert.doesNotMatch(result.stdout, /An error occured|✖/);
      assert.doesNotMatch(result.stdout, /\bat .*\.js:\d+/);
      assert.deepEqual(snapshot(dir), before);
      cleanup(dir);
    });

    it('a preset whose templates is a file, or holds a symlinked folder', async () => {
      const dir = tempDir();
      mkdirSync(path.join(dir, 'preset'));
      writeFileSync(path.join(dir, 'preset/preset.json'), '{}');
      writeFileSync(path.join(dir, 'preset/templates'), '');
      await refused(dir, ['--yes', '--skip-install', '--module', 'example.com/p', '--preset', './preset', 'svc'], /templates: is a file in the preset folder, not a folder/);
      cleanup(path.join(dir, 'preset/templates'));
      mkdirSync(path.join(dir, 'preset/templates'));
      mkdirSync(path.join(dir, 'elsewhere'));
      symlinkSync(path.join(dir, 'elsewhere'), path.join(dir, 'preset/templates/linked'));
      await refused(dir, ['--yes', '--skip-install', '--module', 'example.com/p', '--preset', './preset', 'svc'], /templates\/linked is a symbolic link/);
      cleanup(dir);
    });
  });

  describe('12. valid input that used to be refused', () => {
    it('GOPROXY without a scheme, upper-case, with empty entries; a + in the module; ./config.yaml; 1.27rc1', async () => {
      const dir = tempDir();
      const args = ['--yes', '--skip-install', '--module', 'example.com/a+b', '--goproxy', 'goproxy.example,,HTTPS://b.example|direct', '--config', './config.yaml', '--go-version', '1.27rc1'];
      const result = await run(dir, args);
      assert.equal(result.exitCode, 0, String(result.stderr));
      assert.match(read(dir, 'go.mod'), /^module example\.com\/a\+b$/m);
      assert.match(read(dir, 'go.mod'), /^go 1\.27rc1$/m);
      assert.match(read(dir, 'Dockerfile'), /^COPY config\.yaml \/etc\/a-b\/config\.yaml$/m);
      assert.match(read(dir, 'Dockerfile'), /^ARG GOPROXY="goproxy\.example,,HTTPS:\/\/b\.example\|direct"$/m);
      cleanup(dir);
    });

    it('a go.mod with no go directive, or an rc one', async () => {
      const none = writeModule({ 'go.mod': 'module example.com/old\n', 'main.go': SERVICE_MAIN });
      assert.equal((await run(none, ['docker', '--yes'])).exitCode, 0);
      assert.match(read(none, 'Dockerfile'), /^ARG GO_VERSION=1\.\d+\.\d+$/m);
      // Newer than the local Go (1.26): listed by the Go the user's GOTOOLCHAIN names (the go command fetches it), and
      // the builder follows go.mod. (With GOTOOLCHAIN=local it is one line: the new-user pass, item 19.)
      const rc = writeModule({ 'go.mod': 'module example.com/rc\n\ngo 1.27rc1\n', 'main.go': SERVICE_MAIN });
      const result = await run(rc, ['docker', '--yes'], { env: { GOTOOLCHAIN: 'go1.27.4' } });
      assert.equal(result.exitCode, 0, String(result.stderr));
      assert.match(read(rc, 'Dockerfile'), /^ARG GO_VERSION=1\.27rc1$/m);
      cleanup(none);
      cleanup(rc);
    });

    it('a local replace written with a trailing slash', async () => {
      const dir = writeModule({
        'go.mod': 'module example.com/r\n\ngo 1.26\n\nrequire example.com/lib v0.0.0\n\nreplace example.com/lib => ./lib/\n',
        'lib/go.mod': 'module example.com/lib\n\ngo 1.26\n',
        'lib/lib.go': 'package lib\n',
        'main.go': SERVICE_MAIN,
      });
      const result = await run(dir, ['docker', '--yes']);
      assert.equal(result.exitCode, 0, String(result.all));
      assert.match(read(dir, 'Dockerfile'), /^COPY lib\/ lib\/$/m);
      assert.ok(read(dir, '.dockerignore').split('\n').includes('!lib/'));
      cleanup(dir);
    });

    it('a bad stored value that a flag overrides', async () => {
      const dir = tempDir();
      writeFileSync(path.join(dir, '.yo-rc.json'), JSON.stringify({ 'generator-dockergo': { module: 'example.com/stored', port: 99999 } }));
      const result = await run(dir, ['--yes', '--skip-install', '--port', '8081']);
      assert.equal(result.exitCode, 0, String(result.stderr));
      assert.equal(JSON.parse(read(dir, '.yo-rc.json'))['generator-dockergo'].port, 8081);
      cleanup(dir);
    });

    it('a locked config list given in another order', async () => {
      const dir = tempDir();
      mkdirSync(path.join(dir, 'preset'));
      writeFileSync(path.join(dir, 'preset/preset.json'), JSON.stringify({ locked: { config: ['a.yaml', 'b.yaml'] } }));
      const result = await run(dir, ['--yes', '--skip-install', '--module', 'example.com/l', '--preset', './preset', '--config', 'b.yaml,a.yaml', 'svc']);
      assert.equal(result.exitCode, 0, String(result.stderr));
      cleanup(dir);
    });
  });

  describe('13. clear messages', () => {
    it('names a bad preset label key', async () => {
      const dir = tempDir();
      mkdirSync(path.join(dir, 'preset'));
      writeFileSync(path.join(dir, 'preset/preset.json'), JSON.stringify({ labels: { 'Team Name': 'x' } }));
      await refused(dir, ['--yes', '--skip-install', '--module', 'example.com/l', '--preset', './preset', 'svc'], /labels: key "Team Name" is not valid: must be a label key/);
      cleanup(dir);
    });

    it('a JSON number where a version string belongs says so, instead of showing 1.3', async () => {
      const dir = tempDir();
      writeFileSync(path.join(dir, 'answers.json'), '{"module": "example.com/n", "goVersion": 1.30}');
      await refused(dir, ['--skip-install', '--answers', 'answers.json', 'svc'], /goVersion: write it as a JSON string .*1\.30 reads as 1\.3/);
      cleanup(dir);
    });

    it('accepts a UTF-8 byte-order mark in an answers file', async () => {
      const dir = tempDir();
      writeFileSync(path.join(dir, 'answers.json'), '\uFEFF{"module": "example.com/bom"}');
      const result = await run(dir, ['--skip-install', '--answers', 'answers.json', 'svc']);
      assert.equal(result.exitCode, 0, String(result.stderr));
      assert.match(read(path.join(dir, 'svc'), 'go.mod'), /^module example\.com\/bom$/m);
      cleanup(dir);
    });

    it('a bad answers file on stdin is one line', async () => {
      const dir = tempDir();
      await refused(dir, ['--skip-install', '--answers', '-', 'svc'], /answers on stdin: not valid JSON/, { stdin: 'pipe', input: '{\n  "module": x\n}\n' });
      cleanup(dir);
    });

    it('a first run reports .yo-rc.json as created, not forced', async () => {
      const dir = tempDir();
      const result = await run(dir, ['--yes', '--skip-install', '--module', 'example.com/first']);
      assert.match(String(result.all), /^\s*create \.yo-rc\.json$/m);
      assert.doesNotMatch(String(result.all), /force/);
      cleanup(dir);
    });
  });
});
