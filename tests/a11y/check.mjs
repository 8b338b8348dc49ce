#!/usr/bin/env node
// Accessibility and validity checks for a site built by Tryloyw.
//
//   node tests/a11y/check.mjs <site-dir> [--only axe|vnu|browser|csp]
//
// axe:     every *.html page, in headless Chromium, with axe-core (WCAG 2.x A/AA
//          and best practices).
// vnu:     every *.html and *.svg file, with the Nu HTML Checker (one JVM).
// browser: on a sample of pages, a keyboard walk, reflow at 320px, the heading on a
//          small phone's first screen, and a load with JavaScript disabled
//          (lib/browser-checks.mjs).
// csp:     every *.html and *.svg file, served with the headers of the site's
//          `_headers` file, in headless Chromium: no Content-Security-Policy
//          violation (`securitypolicyviolation` events, console errors), no
//          other console error, and the policy really sent.
//
// Exit status: 0 when every check passed, 1 when any failed, 2 on a usage or
// setup error (no Chromium, no Java, no such directory).
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { firstScreen, keyboardWalk, reflow, withoutJavaScript } from './lib/browser-checks.mjs';
import { serveSite } from './lib/server.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE_PATH = require.resolve('axe-core/axe.min.js');
const VNU_JAR = require.resolve('vnu-jar/build/dist/vnu.jar');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const AXE_OPTIONS = {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
  resultTypes: ['violations'],
};
const PAGE_POOL = 2;
const SAMPLE_EXTRA_PAGES = 3;
// Keeps each vnu command line far below the kernel's argument limit.
const VNU_BATCH_CHARS = 100_000;
const CHECKS = ['axe', 'vnu', 'browser', 'csp'];
// How long a page may go on reporting after its load event.
const CSP_SETTLE_MS = 100;

class UsageError extends Error {}

function parseArgs(argv) {
  let siteDir;
  let only;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--only') only = argv[++i];
    else if (argv[i].startsWith('--only=')) only = argv[i].slice('--only='.length);
    else if (!siteDir && !argv[i].startsWith('-')) siteDir = argv[i];
    else throw new UsageError(`unexpected argument: ${argv[i]}`);
  }
  if (!siteDir) throw new UsageError('missing <site-dir>');
  if (only !== undefined && !CHECKS.includes(only)) throw new UsageError(`--only takes one of ${CHECKS.join(', ')}`);
  return { siteDir: path.resolve(siteDir), checks: only ? [only] : CHECKS };
}

async function listFiles(dir, extensions) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && extensions.includes(path.extname(e.name).toLowerCase()))
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

/** The URL path a file is served at: a/index.html → /a/, a/b.html → /a/b.html. */
function urlPathOf(relFile) {
  const parts = relFile.split(path.sep);
  if (parts.at(-1) === 'index.html') parts[parts.length - 1] = '';
  return `/${parts.join('/')}`;
}

/** The address of a page; each path segment is percent-encoded (Welsh letters, #, ?). */
function urlOf(origin, urlPath) {
  return origin + urlPath.split('/').map(encodeURIComponent).join('/');
}

function seconds(since) {
  return `${((performance.now() - since) / 1000).toFixed(1)}s`;
}

/**
 * Runs worker(item) over items with at most `size` running at once; resolves
 * to the workers' results in the order of items, whatever order they finish in.
 */
async function pool(items, size, worker) {
  const results = new Array(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(size, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await worker(items[i]);
    }
  });
  await Promise.all(runners);
  return results;
}

/**
 * Runs fn(browser) with headless Chromium on a fresh profile. Playwright makes
 * the temporary --user-data-dir under os.tmpdir(), which follows TMPDIR, and
 * leaves it behind when a launch fails; so TMPDIR points at a directory of this
 * run's own that is removed whatever happens.
 */
async function withChromium(fn) {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'tryloyw-a11y-'));
  process.env.TMPDIR = tmp;
  const removeTmp = () => rmSync(tmp, { recursive: true, force: true, maxRetries: 5 });
  // Ctrl-C or a kill stops the run at once. Exit listeners run in order:
  // Playwright's (added at launch) kills Chromium, then removeTmp.
  const onSignal = (signal) => process.exit(128 + os.constants.signals[signal]);
  let browser;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      handleSIGINT: false,
      handleSIGTERM: false,
    });
    process.on('exit', removeTmp).on('SIGINT', onSignal).on('SIGTERM', onSignal);
    return await fn(browser);
  } finally {
    process.off('exit', removeTmp).off('SIGINT', onSignal).off('SIGTERM', onSignal);
    await browser?.close();
    removeTmp();
  }
}

async function runAxe(browserContext, origin, urlPaths) {
  const axeSource = await readFile(AXE_SOURCE_PATH, 'utf8');
  const pages = await Promise.all(Array.from({ length: PAGE_POOL }, () => browserContext.newPage()));
  const free = [...pages];
  const perPage = await pool(urlPaths, PAGE_POOL, async (urlPath) => {
    const page = free.pop();
    try {
      const response = await page.goto(urlOf(origin, urlPath), { waitUntil: 'load' });
      if (!response || response.status() !== 200) {
        return [`axe: ${urlPath}: page did not load (HTTP ${response ? response.status() : 'none'})`];
      }
      await page.addScriptTag({ content: axeSource });
      const violations = await page.evaluate(async (options) => {
        const results = await window.axe.run(document, options);
        return results.violations.map(({ id, impact, help, nodes }) => ({ id, impact, help, nodes }));
      }, AXE_OPTIONS);
      return violations.map((v) => {
        const targets = v.nodes.map((n) => n.target.flat().join(' '));
        const shown = targets.slice(0, 5).join(', ') + (targets.length > 5 ? ` (+${targets.length - 5} more)` : '');
        return `axe: ${urlPath}: ${v.id} (${v.impact}): ${v.help} — ${shown}`;
      });
    } catch (err) {
      return [`axe: ${urlPath}: could not be checked: ${err.message.split('\n')[0]}`];
    } finally {
      free.push(page);
    }
  });
  await Promise.all(pages.map((p) => p.close()));
  return perPage.flat();
}

/** Runs the Nu HTML Checker over files (relative to siteDir); resolves to error lines. */
function runVnuBatch(siteDir, files) {
  return new Promise((resolve, reject) => {
    const args = ['-jar', VNU_JAR, '--errors-only', '--format', 'gnu', '--also-check-svg', ...files.map((f) => `./${f}`)];
    const child = spawn('java', args, { cwd: siteDir, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (err) => reject(new Error(`cannot run java: ${err.message}`)));
    child.on('close', (code) => {
      const lines = output
        .split('\n')
        .filter((l) => l.trim() && !l.startsWith('Picked up '))
        .map((l) => {
          // "file:/abs/path":1.2-3.4: error: message  →  rel/path:1.2-3.4: error: message
          const m = l.match(/^"(file:[^"]*)"(.*)$/);
          return `vnu: ${m ? path.relative(siteDir, fileURLToPath(m[1])) + m[2] : l}`;
        });
      if (code !== 0 && lines.length === 0) lines.push(`vnu: exited with status ${code} and reported nothing`);
      resolve(lines);
    });
  });
}

async function runVnu(siteDir, files) {
  const batches = [[]];
  let length = 0;
  for (const file of files) {
    if (length + file.length > VNU_BATCH_CHARS && batches.at(-1).length) {
      batches.push([]);
      length = 0;
    }
    batches.at(-1).push(file);
    length += file.length + 1;
  }
  const lines = [];
  for (const batch of batches) lines.push(...(await runVnuBatch(siteDir, batch)));
  return lines;
}

/** The home pages in both languages, plus a few others spread over the site. */
async function samplePages(siteDir, urlPaths) {
  const known = new Set(urlPaths);
  let candidates = urlPaths;
  const sitemap = path.join(siteDir, 'sitemap.xml');
  if (existsSync(sitemap)) {
    const locs = [...(await readFile(sitemap, 'utf8')).matchAll(/<loc>\s*([^<]+?)\s*<\/loc>/g)]
      .map((m) => {
        try {
          return decodeURI(new URL(m[1], 'http://localhost/').pathname);
        } catch {
          return null; // not a usable URL: the file list covers the page anyway
        }
      })
      .filter((p) => known.has(p));
    if (locs.length) candidates = locs;
  }
  const others = [...new Set(candidates)].filter((p) => p !== '/' && p !== '/cy/' && !p.endsWith('/404.html'));
  const step = others.length / SAMPLE_EXTRA_PAGES;
  const picked = others.length <= SAMPLE_EXTRA_PAGES
    ? others
    : Array.from({ length: SAMPLE_EXTRA_PAGES }, (_, i) => others[Math.floor(i * step + step / 2)]);
  return ['/', '/cy/', ...picked];
}

async function runBrowserChecks(browser, jsContext, origin, sample, known) {
  const noJsContext = await browser.newContext({ javaScriptEnabled: false });
  const perPage = await pool(sample, PAGE_POOL, async (urlPath) => {
    if (!known.has(urlPath)) return [`browser: ${urlPath}: page missing from the site`];
    const url = urlOf(origin, urlPath);
    const checks = [
      ['keyboard', () => keyboardWalk(jsContext, url)],
      ['reflow', () => reflow(jsContext, url)],
      ['no-js', () => withoutJavaScript(noJsContext, url)],
      ['first-screen', () => firstScreen(noJsContext, url)],
    ];
    const lines = [];
    for (const [name, check] of checks) {
      try {
        for (const failure of await check()) lines.push(`browser: ${urlPath}: ${name}: ${failure}`);
      } catch (err) {
        lines.push(`browser: ${urlPath}: ${name}: could not be checked: ${err.message.split('\n')[0]}`);
      }
    }
    return lines;
  });
  await noJsContext.close();
  return perPage.flat();
}

/**
 * Loads every page under the policy its `_headers` gives it, in a context that
 * does not bypass it, and reports each violation and console error. A site
 * without a Content-Security-Policy in `_headers` fails: nothing would be tested.
 */
async function runCsp(browser, server, urlPaths) {
  const lines = server.headerProblems.map((p) => `csp: ${p}`);
  const hasPolicy = server.headerRules.some((r) =>
    r.headers.some(([name]) => name.toLowerCase() === 'content-security-policy'),
  );
  if (!hasPolicy) return [...lines, 'csp: _headers gives no Content-Security-Policy'];
  const context = await browser.newContext();
  // Runs before anything on the page, from the browser, so the page's policy cannot stop it.
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      const where = e.sourceFile ? ` at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}` : '';
      window.__cspViolations.push(`${e.effectiveDirective} blocked ${e.blockedURI || '(no URI)'}${where}`);
    });
  });
  // A few pages, each reused for one URL after another (a new page per URL costs a process).
  const pages = await Promise.all(
    Array.from({ length: PAGE_POOL }, async () => {
      const page = await context.newPage();
      const slot = { page, found: [] };
      // Chromium's own messages (a blocked resource, a bad header) arrive as console errors.
      page.on('console', (msg) => {
        if (msg.type() !== 'error') return;
        const { url } = msg.location();
        // The browser asks for /favicon.ico by itself; the page did not.
        if (url === `${server.origin}/favicon.ico`) return;
        // The first sentence says what was refused; the rest is Chromium's advice.
        const text = msg.text().split('\n')[0].split(/\. (?=Either|Note|The action)/)[0];
        slot.found.push(`console error: ${text}${url ? ` (${url.replace(server.origin, '')})` : ''}`);
      });
      page.on('pageerror', (err) => slot.found.push(`script error: ${err.message.split('\n')[0]}`));
      return slot;
    }),
  );
  const free = [...pages];
  const perPage = await pool(urlPaths, PAGE_POOL, async (urlPath) => {
    const slot = free.pop();
    slot.found = [];
    try {
      const response = await slot.page.goto(urlOf(server.origin, urlPath), { waitUntil: 'load' });
      if (!response) return [`csp: ${urlPath}: no response`];
      if (!response.headers()['content-security-policy']) {
        slot.found.push(`served without a Content-Security-Policy (HTTP ${response.status()})`);
      }
      await slot.page.evaluate((ms) => new Promise((resolve) => setTimeout(resolve, ms)), CSP_SETTLE_MS);
      const violations = await slot.page.evaluate(() => window.__cspViolations ?? ['listener missing']);
      slot.found.push(...violations.map((v) => `violation: ${v.replaceAll(server.origin, '')}`));
    } catch (err) {
      slot.found.push(`could not be checked: ${err.message.split('\n')[0]}`);
    } finally {
      free.push(slot);
    }
    return [...new Set(slot.found)].map((f) => `csp: ${urlPath}: ${f}`);
  });
  await Promise.all(pages.map(({ page }) => page.close()));
  await context.close();
  return [...lines, ...perPage.flat()];
}

async function main() {
  const started = performance.now();
  const { siteDir, checks } = parseArgs(process.argv.slice(2));
  if (!(await stat(siteDir).catch(() => null))?.isDirectory()) throw new UsageError(`not a directory: ${siteDir}`);

  const htmlFiles = await listFiles(siteDir, ['.html']);
  const svgFiles = await listFiles(siteDir, ['.svg']);
  const urlPaths = htmlFiles.map(urlPathOf);
  if (!htmlFiles.length) throw new UsageError(`no .html files under ${siteDir}`);
  console.log(`a11y: checking ${htmlFiles.length} pages and ${svgFiles.length} SVG files in ${siteDir}`);

  const results = { axe: [], vnu: [], browser: [], csp: [] };
  const report = (name, lines, since) => {
    results[name] = lines;
    for (const line of lines) console.log(line);
    console.log(`timing: ${name} ${seconds(since)}`);
  };

  // The JVM runs alongside the browser work: each mostly needs one core.
  const vnuStarted = performance.now();
  const vnuDone = checks.includes('vnu')
    ? runVnu(siteDir, [...htmlFiles, ...svgFiles]).then((lines) => report('vnu', lines, vnuStarted))
    : Promise.resolve();
  // A failure is rethrown by the await below; this keeps it from counting as
  // unhandled while the browser work runs.
  vnuDone.catch(() => {});

  if (checks.includes('axe') || checks.includes('browser') || checks.includes('csp')) {
    const server = await serveSite(siteDir);
    try {
      await withChromium(async (browser) => {
        // axe and the keyboard walk inject a script and a style of their own, which the
        // site's policy rightly refuses; the csp check loads the pages under it.
        const context = await browser.newContext({ bypassCSP: true });
        if (checks.includes('axe')) {
          const since = performance.now();
          report('axe', await runAxe(context, server.origin, urlPaths), since);
        }
        if (checks.includes('browser')) {
          const since = performance.now();
          const sample = await samplePages(siteDir, urlPaths);
          console.log(`browser: sample pages ${sample.join(' ')}`);
          report('browser', await runBrowserChecks(browser, context, server.origin, sample, new Set(urlPaths)), since);
        }
        if (checks.includes('csp')) {
          const since = performance.now();
          const svgPaths = svgFiles.map((f) => `/${f.split(path.sep).join('/')}`);
          report('csp', await runCsp(browser, server, [...urlPaths, ...svgPaths]), since);
        }
      });
    } finally {
      await server.close();
    }
  }
  await vnuDone;

  console.log(`timing: total ${seconds(started)}`);
  console.log(
    `a11y: ${htmlFiles.length} pages, ${results.axe.length} axe violations, ` +
      `${results.vnu.length} validator errors, ${results.browser.length} browser check failures, ` +
      `${results.csp.length} CSP failures`,
  );
  return Object.values(results).every((r) => r.length === 0) ? 0 : 1;
}

main().then(
  (code) => (process.exitCode = code),
  (err) => {
    console.error(err instanceof UsageError ? `check.mjs: ${err.message}\nusage: node check.mjs <site-dir> [--only axe|vnu|browser|csp]` : err);
    process.exitCode = 2;
  },
);
