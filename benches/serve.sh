#!/usr/bin/env bash
# How fast `tryloyw serve` shows an edit (issue 9). For the bundled site (a copy) and a generated
# site of PAGES pages, it runs `tryloyw serve` and measures, RUNS times each, the time from saving
# a file to the server's `reload` event (then checks the served page shows the edit):
#   - text:     a word appended to the body of one English page
#   - template: a change to themes/default/templates/page.html (the built-in default theme is
#               copied into the site first if it has no themes/ folder)
# and, for comparison, the median of BUILDS full `tryloyw build --no-pdf` runs. Prints medians.
#
# Usage: benches/serve.sh [PAGES] (default 20000). Environment: RUNS (15), BUILDS (5),
# SEED (1), SERVE_ARGS (default --no-pdf; set it empty to let PDFs be made while serving),
# ONLY=bundled|generated. Needs target/release/tryloyw and target/release/generate-large-site
# (cargo build --release) and python3.
set -euo pipefail
pages=${1:-20000}
runs=${RUNS:-15}
builds=${BUILDS:-5}
seed=${SEED:-1}
serve_args=${SERVE_ARGS---no-pdf}
repo="$(cd "$(dirname "$0")/.." && pwd)"
bin="$repo/target/release/tryloyw"
gen="$repo/target/release/generate-large-site"
client="$repo/benches/serve-client.py"
for f in "$bin" "$gen"; do
  [ -x "$f" ] || { echo "missing $f: run cargo build --release" >&2; exit 2; }
done
work=$(mktemp -d)
serve_pid=
cleanup() {
  if [ -n "$serve_pid" ]; then kill "$serve_pid" 2>/dev/null || true; wait "$serve_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
# Copies, so that a `cargo build` during the run does not change the binaries under test.
cp "$bin" "$work/tryloyw" && bin="$work/tryloyw"
cp "$gen" "$work/generate-large-site" && gen="$work/generate-large-site"

median() { sort -n | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print "n/a"}'; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# The URL of a Markdown page in the default language: its folders' and its own slugs.
url_of() { # site, content-relative path
  python3 - "$1" "$2" <<'PY'
import os, re, sys
site, rel = sys.argv[1], sys.argv[2]
def slug(path, default):
    try:
        text = open(path, encoding="utf-8").read()
    except OSError:
        return default
    front = text.split("+++")[1] if text.startswith("+++") else ""
    m = re.search(r'^slug\s*=\s*"([^"]+)"', front, re.M)
    return m.group(1) if m else default
parts = rel.split("/")
url, here = "/", os.path.join(site, "content")
for d in parts[:-1]:
    here = os.path.join(here, d)
    url += slug(os.path.join(here, "_index.md"), d) + "/"
name = parts[-1]
if name != "_index.md":
    url += slug(os.path.join(here, name), name[:-3]) + "/"
print(url)
PY
}

time_builds() { # site
  for _ in $(seq 1 "$builds"); do
    local start end
    start=$(now_ms)
    "$bin" build --root "$1" --output "$work/build-out" --no-pdf >/dev/null 2>&1 ||
      { echo "build of $1 failed" >&2; "$bin" build --root "$1" --output "$work/build-out" --no-pdf >&2; exit 1; }
    end=$(now_ms)
    echo $((end - start))
  done | median
}

# Median of the server's own "in N ms" for the first $runs rebuild lines after line $2 of log $1.
server_ms() {
  tail -n +"$(($2 + 1))" "$1" | grep -E ' in [0-9]+ ms' | awk -v n="$runs" 'NR <= n' |
    sed -E 's/.* in ([0-9]+) ms.*/\1/' | median
}
rendered() {
  tail -n +"$(($2 + 1))" "$1" | grep -E ' in [0-9]+ ms' | awk -v n="$runs" 'NR <= n' |
    sed -nE 's/.*: ([0-9]+) files? rendered.*/\1/p' | median
}

bench_site() { # name, site folder, English page to edit (relative to content/)
  local name=$1 site=$2 page=$3
  echo "== $name: $(find "$site/content" -name '*.md' | wc -l) Markdown files; editing content/$page"
  local build
  build=$(time_builds "$site")
  echo "full build --no-pdf, median of $builds: $build ms"

  if [ ! -d "$site/themes" ]; then
    # A site without themes/ uses the theme built into the binary: copy it so it can be edited.
    mkdir -p "$site/themes"
    cp -r "$repo/themes/default" "$site/themes/default"
  fi
  local theme
  theme=$(sed -nE 's/^theme *= *"([^"]+)".*/\1/p' "$site/site.toml")
  theme=${theme:-default}
  local template="$site/themes/$theme/templates/page.html"

  local port log
  port=$(free_port)
  log="$work/serve-${name%% *}.log"
  : >"$log"
  # shellcheck disable=SC2086
  "$bin" serve --root "$site" --port "$port" $serve_args >"$log" 2>&1 &
  serve_pid=$!
  local waited=0
  until grep -q "http://127.0.0.1:$port/" "$log"; do
    if ! kill -0 "$serve_pid" 2>/dev/null; then
      echo "tryloyw serve exited:" >&2; cat "$log" >&2; exit 1
    fi
    sleep 0.1
    waited=$((waited + 1))
    [ "$waited" -lt 6000 ] || { echo "tryloyw serve not ready after 10 minutes" >&2; exit 1; }
  done
  grep -E ' in [0-9]+ ms' "$log" | awk 'NR == 1 {print "serve: " $0}'

  local url mark result
  url=$(url_of "$site" "$page")
  mark=$(wc -l <"$log")
  result=$(python3 "$client" --port "$port" --file "$site/content/$page" --mode text --runs "$runs" --url "$url" 2>"$work/client.err") ||
    { cat "$work/client.err" >&2; exit 1; }
  report "text edit" "$result" "$log" "$mark"

  mark=$(wc -l <"$log")
  result=$(python3 "$client" --port "$port" --file "$template" --mode template --runs "$runs" --url "$url" 2>"$work/client.err") ||
    { cat "$work/client.err" >&2; exit 1; }
  report "template edit (page.html)" "$result" "$log" "$mark"

  kill "$serve_pid"
  wait "$serve_pid" 2>/dev/null || true
  serve_pid=
  if grep -qiE 'error' "$log"; then
    echo "the server reported errors:" >&2
    grep -iE -A3 'error' "$log" | awk 'NR <= 40' >&2
  fi
}

report() { # label, client result, log, mark
  local median min max n failures
  read -r median min max n failures <<<"$2"
  printf '%-28s median %s ms (min %s, max %s; %s runs' "$1:" "$median" "$min" "$max" "$n"
  [ "$failures" = 0 ] || printf ', %s FAILED' "$failures"
  printf '); server medians: %s ms, files rendered: %s\n' "$(server_ms "$3" "$4")" "$(rendered "$3" "$4")"
  [ "$failures" = 0 ] || sed 's/^/  /' "$work/client.err" >&2
}

echo "tryloyw serve ${serve_args:-(PDFs on)}; $runs runs of each edit; $(nproc) CPUs"
if [ "${ONLY:-}" != generated ]; then
  mkdir -p "$work/bundled"
  for d in site.toml check.toml content data static themes; do
    [ -e "$repo/$d" ] && cp -r "$repo/$d" "$work/bundled/"
  done
  bench_site bundled "$work/bundled" code-of-practice/purpose.md
fi
if [ "${ONLY:-}" != bundled ]; then
  "$gen" --pages "$pages" --seed "$seed" "$work/generated" >/dev/null
  # An English page at least two folders down, the same for a given seed.
  page=$(cd "$work/generated/content" && find . -mindepth 3 -name '*.md' ! -name '*.cy.md' ! -name '_index.md' |
    sed 's|^\./||' | sort | awk 'NR == 1')
  bench_site "generated ($pages pages, seed $seed)" "$work/generated" "$page"
fi
