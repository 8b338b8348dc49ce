#!/usr/bin/env bash
# Full builds, Tryloyw against Hugo, on the same generated Markdown (issue 9's seeded
# generator). Hugo gets layouts doing what Tryloyw's default theme does (benches/hugo/), both
# minify, Tryloyw skips PDFs (Hugo makes none). Prints the median of RUNS builds of each and
# the ratio, measured in the same run.
#
# Usage: benches/hugo.sh [PAGES] (default 20000). Environment: RUNS (5), SEED (1).
# Needs target/release/tryloyw, target/release/generate-large-site and hugo
# (apt-get install -y hugo).
set -euo pipefail
pages=${1:-20000}
runs=${RUNS:-5}
seed=${SEED:-1}
repo="$(cd "$(dirname "$0")/.." && pwd)"
command -v hugo >/dev/null || { echo "hugo is not installed: apt-get install -y hugo" >&2; exit 2; }
for f in tryloyw generate-large-site; do
  [ -x "$repo/target/release/$f" ] || { echo "missing target/release/$f: cargo build --release" >&2; exit 2; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$repo/target/release/generate-large-site" --pages "$pages" --seed "$seed" "$work/site" >/dev/null
mkdir -p "$work/hugo"
cp -r "$repo/benches/hugo/." "$work/hugo/"
cp -r "$work/site/content" "$work/hugo/content"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
t_times=() h_times=()
for _ in $(seq "$runs"); do
  start=$(now_ms)
  "$repo/target/release/tryloyw" build --root "$work/site" --output "$work/out-tryloyw" --no-pdf >/dev/null
  t_times+=($(($(now_ms) - start)))
  start=$(now_ms)
  hugo --quiet --source "$work/hugo" --destination "$work/out-hugo" >/dev/null
  h_times+=($(($(now_ms) - start)))
done
t=$(printf '%s\n' "${t_times[@]}" | median)
h=$(printf '%s\n' "${h_times[@]}" | median)
t_files=$(find "$work/out-tryloyw" -name '*.html' | wc -l)
h_files=$(find "$work/out-hugo" -name '*.html' | wc -l)
echo "$pages Markdown files, seed $seed, median of $runs builds each, $(nproc) CPUs"
echo "tryloyw build --no-pdf: $t ms ($t_files HTML files)"
echo "hugo:                   $h ms ($h_files HTML files; $(hugo version | cut -d' ' -f2))"
awk -v t="$t" -v h="$h" 'BEGIN {printf "ratio tryloyw/hugo: %.2f (below 1: Tryloyw is faster)\n", t / h}'
