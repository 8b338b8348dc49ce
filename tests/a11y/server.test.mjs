// Tests for the harness's static server: node --test tests/a11y/server.test.mjs
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { headersFor, parseHeaders } from './lib/headers.mjs';
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

test("every response carries the site's _headers, which is not served itself", async () => {
  for (const rawPath of ['/', '/cy/', '/static/style.css', '/no/such/page/']) {
    const res = await get(server.origin, rawPath);
    assert.match(res.headers['content-security-policy'] ?? '', /^default-src 'self'/, rawPath);
    assert.equal(res.headers['x-content-type-options'], 'nosniff', rawPath);
  }
  const file = await get(server.origin, '/_headers');
  assert.equal(file.status, 404);
  assert.doesNotMatch(file.body, /Content-Security-Policy/);
});

test('_headers: patterns, comments, repeated headers and mistakes', () => {
  const { rules, problems } = parseHeaders(
    [
      '# comment',
      '  Stray: header',
      'no-slash',
      '/*',
      '  A: 1',
      '  # indented comment',
      '/cy/*',
      '  B: 2',
      '/:lang/about/',
      '  C: 3',
      '/a.b',
      '  D: 4',
      'https://example.org/*',
      '  E: 5',
      '/*',
      '  A: again',
    ].join('\n'),
  );
  assert.deepEqual(problems, [
    '_headers:2: not a header under a path: Stray: header',
    '_headers:3: not a path: no-slash',
  ]);
  const names = (p) => headersFor(rules, p).map(([n, v]) => `${n}=${v}`);
  assert.deepEqual(names('/'), ['A=1', 'A=again']);
  assert.deepEqual(names('/cy/x/y'), ['A=1', 'B=2', 'A=again']);
  assert.deepEqual(names('/cy/about/'), ['A=1', 'B=2', 'C=3', 'A=again']);
  assert.deepEqual(names('/en/x/about/'), ['A=1', 'A=again']);
  assert.deepEqual(names('/a.b'), ['A=1', 'D=4', 'A=again']);
  assert.deepEqual(names('/axb'), ['A=1', 'A=again']);
});
