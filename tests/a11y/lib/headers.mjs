// The `_headers` file that Netlify and Cloudflare Pages read, and Tryloyw
// writes: a URL pattern on a line of its own, then its headers, indented, one
// `Name: value` a line. `#` starts a comment. In a pattern `*` matches
// anything (including `/`) and `:name` matches one path segment. Every rule
// whose pattern matches a path applies; a header given twice is sent twice.

/** Parses the text of a `_headers` file into [{ pattern, matches(path), headers: [[name, value]] }]. */
export function parseHeaders(text) {
  const rules = [];
  const problems = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim() || line.trimStart().startsWith('#')) return;
    if (!/^\s/.test(line)) {
      if (!/^(\/|https?:\/\/)/.test(line)) problems.push(`_headers:${i + 1}: not a path: ${line.trim()}`);
      rules.push({ pattern: line.trim(), matches: matcher(line.trim()), headers: [] });
      return;
    }
    const colon = line.indexOf(':');
    const rule = rules.at(-1);
    if (!rule || colon < 0) {
      problems.push(`_headers:${i + 1}: not a header under a path: ${line.trim()}`);
      return;
    }
    rule.headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  });
  return { rules, problems };
}

function matcher(pattern) {
  // Patterns with a host (https://example.org/*) belong to another origin here.
  if (!pattern.startsWith('/')) return () => false;
  const source = pattern
    .split(/(\*|:[A-Za-z_][A-Za-z0-9_]*)/)
    .map((part) => {
      if (part === '*') return '.*';
      if (part.startsWith(':')) return '[^/]+';
      return part.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  const re = new RegExp(`^${source}$`);
  return (path) => re.test(path);
}

/** The headers for a URL path: [[name, value]], in file order. */
export function headersFor(rules, path) {
  return rules.filter((r) => r.matches(path)).flatMap((r) => r.headers);
}
