// A tiny static file server for a built site, bound to 127.0.0.1 on an
// ephemeral port. It behaves like a static host such as Netlify or Cloudflare
// Pages: directory URLs serve their index.html, anything missing gets the
// site's 404.html with status 404, and the site's `_headers` file (not served
// itself) adds its headers to every response whose path it matches.
import { createReadStream } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';
import { headersFor, parseHeaders } from './headers.mjs';

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.csv': 'text/csv; charset=utf-8',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
  '.pdf': 'application/pdf',
  '.zip': 'application/zip',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

function contentType(file) {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

// Maps a URL pathname to a real file inside root, or null. Symlinks are
// resolved before the containment check, so none can lead outside root.
async function resolveFile(root, pathname) {
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { status: 400 };
  }
  if (decoded.includes('\0')) return { status: 400 };
  const candidate = path.join(root, path.normalize(`/${decoded}`));
  let real;
  try {
    real = await realpath(candidate);
  } catch {
    return { status: 404 };
  }
  if (real !== root && !real.startsWith(root + path.sep)) return { status: 403 };
  const info = await stat(real);
  if (info.isDirectory()) {
    // Like a static host: /dir redirects to /dir/ so relative links resolve.
    if (!pathname.endsWith('/')) return { status: 301, location: `${pathname}/` };
    return resolveFile(root, `${pathname}index.html`);
  }
  return info.isFile() ? { status: 200, file: real } : { status: 404 };
}

/** The `_headers` rules of a site: { rules, problems }; none when it has no such file. */
async function loadHeaders(root) {
  try {
    return parseHeaders(await readFile(path.join(root, '_headers'), 'utf8'));
  } catch (err) {
    if (err.code === 'ENOENT') return { rules: [], problems: [] };
    throw err;
  }
}

function send(req, res, status, file, headers = {}) {
  res.writeHead(status, { 'content-type': contentType(file), ...headers });
  if (req.method === 'HEAD') return res.end();
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
}

/**
 * Serves siteDir; resolves to { origin, close(), headerRules, headerProblems }:
 * the `_headers` rules applied and the lines of it that could not be read.
 */
export async function serveSite(siteDir) {
  const root = await realpath(siteDir);
  const notFoundPage = await resolveFile(root, '/404.html');
  const { rules, problems } = await loadHeaders(root);

  const server = createServer(async (req, res) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD' }).end();
        return;
      }
      const { pathname, search } = new URL(req.url, 'http://localhost');
      for (const [name, value] of headersFor(rules, pathname)) res.appendHeader(name, value);
      // Like the hosts that read it, the file of headers is not published.
      const found = pathname === '/_headers' ? { status: 404 } : await resolveFile(root, pathname);
      if (found.status === 200) return send(req, res, 200, found.file);
      if (found.status === 301) {
        res.writeHead(301, { location: found.location + search }).end();
        return;
      }
      if (found.status === 404 && notFoundPage.file) return send(req, res, 404, notFoundPage.file);
      res.writeHead(found.status, { 'content-type': 'text/plain' }).end(`${found.status}\n`);
    } catch (err) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`${err.message}\n`);
    }
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    headerRules: rules,
    headerProblems: problems,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
