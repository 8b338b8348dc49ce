#!/usr/bin/env bash
# What charts cost a build: builds a generated site twice, with N chart shortcodes and
# with N plain paragraphs in their place, and prints the median of 5 builds of each and the
# difference. Usage: benches/charts.sh [N] (default 1000). Needs target/release/tryloyw.
set -euo pipefail
n=${1:-1000}
bin="$(cd "$(dirname "$0")/.." && pwd)/target/release/tryloyw"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

make_site() { # dir, body-of-each-page
  local dir=$1 body=$2
  mkdir -p "$dir/content/charts" "$dir/data"
  cat > "$dir/site.toml" <<TOML
base_url = "https://example.org"
languages = ["en", "cy"]
[title]
en = "Charts"
cy = "Siartiau"
TOML
  cat > "$dir/data/datasets.toml" <<TOML
[datasets.quality-standards]
title = { en = "Standards", cy = "Safonau" }
description = { en = "Targets.", cy = "Targedau." }
version = "1.0.0"
published = 2026-11-22
illustrative = true

[datasets.quality]
title = { en = "Scores", cy = "Sgoriau" }
description = { en = "Scores.", cy = "Sgoriau." }
version = "1.0.0"
published = 2026-11-22
illustrative = true
TOML
  { for s in timeliness completeness conformity duplication integrity accuracy; do
      printf '[[standards]]\nid = "%s"\nname = { en = "%s", cy = "%s" }\ndescription = { en = "%s", cy = "%s" }\ntarget = 95.0\n\n' "$s" "$s" "$s" "$s" "$s"
    done; } > "$dir/data/quality-standards.toml"
  printf '+++\ntitle = "Home"\n+++\n' > "$dir/content/_index.md"
  printf '+++\ntitle = "Hafan"\n+++\n' > "$dir/content/_index.cy.md"
  printf '+++\ntitle = "Charts"\n+++\n' > "$dir/content/charts/_index.md"
  printf '+++\ntitle = "Siartiau"\n+++\n' > "$dir/content/charts/_index.cy.md"
  # N charts in all: N/2 pages in each language, one chart each.
  for i in $(seq 1 $((n / 2))); do
    printf '+++\ntitle = "Page %s"\n+++\n%s\n' "$i" "$body" > "$dir/content/charts/p$i.md"
    printf '+++\ntitle = "Tudalen %s"\n+++\n%s\n' "$i" "$body" > "$dir/content/charts/p$i.cy.md"
  done
}

# A bar chart of a six-row dataset: each data-quality standard's target.
chart='{{ chart(data="quality-standards", kind="hbar", x="id", y="target", title="Targets") }}'
make_site "$work/with" "$chart"
make_site "$work/without" "A paragraph in place of the chart."
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_builds() {
  for _ in 1 2 3 4 5; do
    /usr/bin/time -f "%e" "$bin" build --root "$1" --output "$1/public" 2>&1 >/dev/null | tail -1
  done | median
}
with=$(time_builds "$work/with")
without=$(time_builds "$work/without")
echo "pages: $n (half English, half Welsh)"
echo "median build with $n charts: ${with} s; without: ${without} s; charts cost: $(echo "$with - $without" | bc) s"
