// The default base images must exist upstream. The stand-ins are made under whatever name a
// Dockerfile asks for, so they cannot show that; this checks the defaults against a table of
// published tags kept in test/fixtures/published-tags.json (its sources are named there).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { baseImages } from './support/dockerfile-rules.js';
import { cleanup, generate, PACKAGE_ROOT, read } from './support/project.js';

interface Published {
  golang: { everyRelease: string[]; releases: Record<string, string[]> };
  alpine: Record<string, string>;
  distroless: { tags: string[]; securitySupportEnds: Record<string, string> };
}

const published = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'test/fixtures/published-tags.json'), 'utf8')) as Published;

/** The tags the official golang image has for one release, per the table. */
function golangTags(release: string): string[] {
  const alpines = published.golang.releases[release] ?? [];
  return [...published.golang.everyRelease.map((s) => `${release}${s}`), ...alpines.map((a) => `${release}-alpine${a}`)];
}

/** The base images a generated project's Dockerfile resolves to, ARG defaults applied. */
async function basesFor(options: Record<string, unknown>): Promise<{ builder: string; runtime: string | undefined }> {
  const { dir } = await generate({ module: 'example.com/bases/app', ...options });
  const [builder, runtime] = baseImages(read(dir, 'Dockerfile'));
  cleanup(dir);
  return { builder: builder!, runtime };
}

function tagOf(ref: string, repository: string): string {
  const prefix = `${repository}:`;
  assert.ok(ref.startsWith(prefix), `${ref} is not ${repository}`);
  return ref.slice(prefix.length);
}

describe('default base images exist upstream', () => {
  for (const release of Object.keys(published.golang.releases)) {
    it(`Go ${release}: the builder tag is one the official golang image publishes`, async () => {
      const { builder } = await basesFor({ goVersion: release });
      assert.ok(golangTags(release).includes(tagOf(builder, 'golang')), `golang:${tagOf(builder, 'golang')} is not published for Go ${release}`);
    });
  }

  it('a Go release the table does not know still gets a tag published for every release', async () => {
    for (const release of ['1.27.4', '1.26.11', '1.27rc1']) {
      assert.equal(published.golang.releases[release], undefined);
      const tag = tagOf((await basesFor({ goVersion: release })).builder, 'golang');
      const suffix = tag.slice(release.length);
      assert.ok(tag.startsWith(release) && published.golang.everyRelease.includes(suffix), `golang:${tag} is not a tag every release gets`);
    }
  });

  it('the alpine runtime is an Alpine release that is supported today', async () => {
    const { runtime } = await basesFor({ base: 'alpine' });
    const version = tagOf(runtime!, 'alpine');
    const endOfSupport = published.alpine[version];
    assert.ok(endOfSupport, `alpine:${version} is not in the table`);
    assert.ok(new Date(endOfSupport).getTime() > Date.now(), `alpine:${version} left support on ${endOfSupport}`);
  });

  it('the distroless runtime is the static image on a Debian with security support today, non-root', async () => {
    const { runtime } = await basesFor({ base: 'distroless' });
    const match = /^gcr\.io\/distroless\/static-(debian\d+):([a-z-]+)$/.exec(runtime!);
    assert.ok(match, `${runtime} is not gcr.io/distroless/static-<debian>:<tag>`);
    const [, debian, tag] = match;
    assert.ok(published.distroless.tags.includes(tag!), `${tag} is not a distroless tag`);
    assert.equal(tag, 'nonroot');
    const ends = published.distroless.securitySupportEnds[debian!];
    assert.ok(ends, `${debian} is not in the table`);
    assert.ok(new Date(ends).getTime() > Date.now(), `${debian} left security support on ${ends}`);
    // debian12 is the suffix most guides still show, and it has left support: the check would catch it.
    assert.ok(new Date(published.distroless.securitySupportEnds['debian12']!).getTime() < Date.now());
  });

  it("the table catches a tag that was never published (golang:1.26.8-alpine3.22, the old default)", () => {
    assert.ok(!golangTags('1.26.8').includes('1.26.8-alpine3.22'));
    assert.ok(golangTags('1.26.0').includes('1.26.0-alpine3.22'));
  });
});
