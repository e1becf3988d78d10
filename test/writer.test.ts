// The one writer (generators/lib/write/), in process: containment on its own, and fault
// injection on a real plan (the files a run renders, .yo-rc.json and a deletion): whichever call
// fails, the tree is exactly as it was and the error is one line.
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../generators/lib/errors.js';
import { projectFiles } from '../generators/lib/plan/index.js';
import { templatesRoot } from '../generators/lib/package.js';
import { renderPlan } from '../generators/lib/plan/index.js';
import { toTemplateData } from '../generators/lib/plan/index.js';
import { systemOps, writeTree, type TreePlan, type WriteOps } from '../generators/lib/write/tree.js';
import type { Answers } from '../generators/lib/inputs/index.js';
import { cleanup, read, snapshot, tempDir } from './support/project.js';

const ANSWERS: Answers = {
  module: 'example.com/acme/orders',
  name: 'orders',
  kind: 'service',
  port: 8080,
  base: 'alpine',
  layout: 'cmd',
  goproxy: 'https://proxy.golang.org,direct',
  goprivate: '',
  runtimeCa: false,
  config: ['config/app.yaml'],
  args: '',
  goVersion: '1.26.8',
  compose: true,
  ci: 'github',
  deploy: 'kubernetes',
};

/** What a run of these answers writes: every rendered file, the config stub, and .yo-rc.json. */
function realPlan(answers: Answers): TreePlan {
  const data = toTemplateData(answers, { generatorVersion: '0.0.0' });
  const files = renderPlan(projectFiles(data), data, templatesRoot);
  return { files: [...files, { destination: '.yo-rc.json', bytes: `${JSON.stringify({ 'generator-dockergo': { port: answers.port } }, null, 2)}\n` }] };
}

/**
 * The system's calls, counted; the nth (1-based) fails with EIO, the others go through. With
 * `late`, a failing create fails after making its file (a write error past the open).
 */
function failingAt(n: number, late = false): WriteOps & { calls: number } {
  const ops = { calls: 0 } as WriteOps & { calls: number };
  for (const [name, call] of Object.entries(systemOps) as [keyof WriteOps, (...a: unknown[]) => void][]) {
    (ops as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      ops.calls++;
      if (ops.calls !== n) return call(...args);
      if (late && name === 'create') call(...args);
      throw Object.assign(new Error(`injected failure of ${name}`), { code: 'EIO' });
    };
  }
  return ops;
}

function refusal(fn: () => void): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof UsageError, String(error));
    assert.equal(error.message.split('\n').length, 1);
    return error.message;
  }
  throw new Error('the writer did not refuse');
}

describe('the one writer', () => {
  describe('containment', () => {
    let root = '';
    let outside = '';
    beforeEach(() => {
      const parent = tempDir('writer-');
      root = path.join(parent, 'project');
      outside = path.join(parent, 'outside');
      mkdirSync(root);
      mkdirSync(outside);
      writeFileSync(path.join(outside, 'victim'), 'precious\n');
    });
    afterEach(() => cleanup(path.dirname(root)));

    for (const [destination, rule] of [
      ['../outside/victim', /holds "\." or "\.\."/],
      ['a/../../outside/victim', /holds "\." or "\.\."/],
      ['/etc/passwd', /is absolute/],
      ['.git/config', /lies inside \.git\//],
      ['sub/.Git/hooks/pre-commit', /lies inside \.git\//],
      ['a//b', /empty path element/],
      ['./a', /holds "\." or "\.\."/],
      ['a\nb', /control character/],
    ] as const) {
      it(`refuses ${JSON.stringify(destination)}, writing and deleting nothing`, () => {
        const parent = path.dirname(root);
        const before = snapshot(parent);
        assert.match(refusal(() => writeTree(root, { files: [{ destination: 'ok.txt', bytes: 'ok' }, { destination, bytes: 'x' }] })), rule);
        assert.match(refusal(() => writeTree(root, { files: [{ destination: 'ok.txt', bytes: 'ok' }], deletions: [destination] })), rule);
        assert.deepEqual(snapshot(parent), before);
      });
    }

    it('follows no symbolic link, at any depth: a linked folder on the way, or the file itself', () => {
      mkdirSync(path.join(root, 'deploy'));
      symlinkSync(outside, path.join(root, 'deploy/base'));
      symlinkSync(outside, path.join(root, '.github'));
      symlinkSync(path.join(outside, 'victim'), path.join(root, 'README.md'));
      const parent = path.dirname(root);
      const before = snapshot(parent);
      for (const destination of ['deploy/base/kustomization.yaml', '.github/workflows/ci.yml', 'README.md']) {
        assert.match(refusal(() => writeTree(root, { files: [{ destination, bytes: 'x' }] })), /is a symbolic link in the project/);
        assert.match(refusal(() => writeTree(root, { files: [], deletions: [destination] })), /is a symbolic link in the project/);
      }
      assert.deepEqual(snapshot(parent), before);
    });

    it('writes through the project folder\'s own ancestors, which may be links', () => {
      const linked = path.join(outside, 'via-link');
      symlinkSync(path.dirname(root), linked);
      writeTree(path.join(linked, 'project'), { files: [{ destination: 'a/b.txt', bytes: 'b' }] });
      assert.equal(read(root, 'a/b.txt'), 'b');
    });

    it('a control: without the writer\'s checks, the same plan would have reached outside', () => {
      // What mem-fs-editor's commit did: mkdir -p and write, following the link.
      symlinkSync(outside, path.join(root, '.github'));
      mkdirSync(path.join(root, '.github/workflows'), { recursive: true });
      writeFileSync(path.join(root, '.github/workflows/ci.yml'), 'x');
      assert.equal(read(outside, 'workflows/ci.yml'), 'x');
    });
  });

  describe('fault injection: the nth call fails, for every n of a real plan', () => {
    it('into a new folder: nothing is left behind, not even the folder', () => {
      const plan = realPlan(ANSWERS);
      const clean = failingAt(0);
      const parent = tempDir('writer-');
      writeTree(path.join(parent, 'p'), plan, clean);
      // At least a create and a rename per file, and the folders.
      assert.ok(clean.calls > 2 * plan.files.length, `${clean.calls} calls`);
      cleanup(parent);
      for (let n = 1; n <= clean.calls; n++) {
        for (const late of [false, true]) {
          const dir = tempDir('writer-');
          const message = refusal(() => writeTree(path.join(dir, 'p'), plan, failingAt(n, late)));
          assert.match(message, /^cannot (write \S+|make the project folder .*): input\/output error$/, `call ${n}`);
          assert.deepEqual(snapshot(dir), {}, `call ${n}${late ? ' (late)' : ''}: ${message}`);
          cleanup(dir);
        }
      }
    });

    it('over an existing project (files replaced, added and removed): it is exactly as it was', () => {
      const old = realPlan({ ...ANSWERS, port: 8080, ci: 'none' });
      const next = realPlan({ ...ANSWERS, port: 9090, compose: false });
      const change: TreePlan = { files: next.files, deletions: ['compose.yaml'] };
      const counted = failingAt(0);
      const probe = tempDir('writer-');
      writeTree(probe, old);
      writeTree(probe, change, counted);
      assert.match(read(probe, 'Dockerfile'), /EXPOSE 9090/);
      assert.ok(read(probe, '.github/workflows/ci.yml').length > 0);
      assert.throws(() => read(probe, 'compose.yaml'));
      cleanup(probe);
      for (let n = 1; n <= counted.calls; n++) {
        for (const late of [false, true]) {
          const dir = tempDir('writer-');
          writeTree(dir, old);
          const before = snapshot(dir);
          const message = refusal(() => writeTree(dir, change, failingAt(n, late)));
          assert.match(message, /^cannot (write|remove) \S+: input\/output error$/, `call ${n}`);
          assert.deepEqual(snapshot(dir), before, `call ${n}${late ? ' (late)' : ''}: ${message}`);
          cleanup(dir);
        }
      }
    });

    it('writes .yo-rc.json last: a failure before it never records files that were not written', () => {
      const calls: string[] = [];
      const recording = { ...systemOps, rename: (from: string, to: string) => (calls.push(path.basename(to)), systemOps.rename(from, to)) };
      const dir = tempDir('writer-');
      writeTree(dir, realPlan(ANSWERS), recording);
      assert.equal(calls.at(-1), '.yo-rc.json');
      cleanup(dir);
    });
  });
});
