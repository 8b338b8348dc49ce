#!/usr/bin/env bash
# Proves the harness works: its server's unit tests pass, the good fixture
# passes every check, and the bad fixture fails for the planted defects.
# Needs the tools from .ci/install-browser-tools.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [[ ! -d "$here/node_modules" ]]; then
  echo "selftest: tests/a11y/node_modules is missing; run .ci/install-browser-tools" >&2
  exit 2
fi

passed=0
failed=0
pass() { echo "selftest: PASS $1"; passed=$((passed + 1)); }
fail() { echo "selftest: FAIL $1"; failed=$((failed + 1)); }
out="$(mktemp)"
trap 'rm -f "$out"' EXIT

if node --test "$here/server.test.mjs" >"$out" 2>&1; then
  pass "static server unit tests"
else
  cat "$out"
  fail "static server unit tests"
fi

set +e
node "$here/check.mjs" "$here/fixture-good" >"$out" 2>&1
status=$?
set -e
cat "$out"
if [[ $status -eq 0 ]]; then pass "fixture-good passes (exit 0)"; else fail "fixture-good exited $status, expected 0"; fi

set +e
node "$here/check.mjs" "$here/fixture-bad" >"$out" 2>&1
status=$?
set -e
cat "$out"
if [[ $status -eq 1 ]]; then pass "fixture-bad fails (exit 1)"; else fail "fixture-bad exited $status, expected 1"; fi
if grep -q '^axe: /: image-alt ' "$out"; then pass "fixture-bad: axe reports image-alt"; else fail "fixture-bad: no axe image-alt report"; fi
if grep -Eq '^vnu: cy/index\.html:[0-9.-]+: error: ' "$out"; then
  pass "fixture-bad: vnu reports the invalid markup"
else
  fail "fixture-bad: no vnu error for cy/index.html"
fi

for directive in style-src-elem style-src-attr script-src-elem img-src; do
  if grep -Eq "^csp: /inline/: violation: $directive blocked " "$out"; then
    pass "fixture-bad: csp reports the $directive violation"
  else
    fail "fixture-bad: no csp report of the $directive violation"
  fi
done
if grep -q '^csp: /: ' "$out"; then fail "fixture-bad: csp reports the clean page /"; else pass "fixture-bad: csp passes the clean page /"; fi

echo "selftest: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
