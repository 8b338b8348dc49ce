// Tests for the harness's static server: node --test tests/a11y/server.test.mjs
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { serveSite } from './lib/server.mjs';

const fixture = path.join(import.meta.dirname, 'fixture-good');
let server;

// A raw request, so that paths such as /../x reach the server unnormalised.
function get(origin, rawPath) {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(origin);
    request({ hostname, port, path: rawPath }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    })
      .on('error', reject)
      .end();
  });
}

before(async () => {
  server = await serveSite(fixture);
});
after(() => server.close());

test('listens on 127.0.0.1 with an ephemeral port', () => {
  assert.match(server.origin, /^http:\/\/127\.0\.0\.1:\d+$/);
});

test('directory URLs serve index.html', async () => {
  const res = await get(server.origin, '/cy/');
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
  assert.match(res.body, /<html lang="cy">/);
});

test('a directory URL without its slash redirects to it', async () => {
  const res = await get(server.origin, '/cy/amdanom?x=1');
  assert.equal(res.status, 301);
  assert.equal(res.headers.location, '/cy/amdanom/?x=1');
});

test('content types follow the extension', async () => {
  for (const [file, type] of [
    ['/static/style.css', 'text/css; charset=utf-8'],
    ['/static/logo.svg', 'image/svg+xml'],
    ['/sitemap.xml', 'application/xml'],
  ]) {
    assert.equal((await get(server.origin, file)).headers['content-type'], type, file);
  }
});

test('a missing path gets 404.html with status 404', async () => {
  const res = await get(server.origin, '/no/such/page/');
  assert.equal(res.status, 404);
  assert.match(res.body, /Page not found/);
});

test('paths cannot escape the root', async () => {
  for (const rawPath of ['/../server.test.mjs', '/%2e%2e/server.test.mjs', '/..%2fserver.test.mjs', '/%00']) {
    const res = await get(server.origin, rawPath);
    assert.notEqual(res.status, 200, rawPath);
    assert.doesNotMatch(res.body, /serveSite/, rawPath);
  }
});

test('symlinks cannot lead outside the root', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'a11y-server-'));
  try {
    await mkdir(path.join(dir, 'site'));
    await writeFile(path.join(dir, 'secret.txt'), 'secret');
    await symlink(path.join(dir, 'secret.txt'), path.join(dir, 'site', 'link.txt'));
    const site = await serveSite(path.join(dir, 'site'));
    try {
      assert.equal((await get(site.origin, '/link.txt')).status, 403);
    } finally {
      await site.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
