#!/usr/bin/env python3
"""Measures `tryloyw serve`: from saving a file to the server announcing the rebuilt pages.

Listens to the server's Server-Sent Events (/__tryloyw/events), then edits FILE RUNS times. Each
run writes the file and times how long the `reload` event takes to arrive; then it fetches URL
(if given) to check the served page holds the edit. The file is restored at the end.

  --mode text      appends a paragraph of one word (`benchwordN`) to the end of a Markdown page:
                   the body, never the front matter
  --mode template  inserts `<i hidden>benchN</i>` and a Tera comment before the last
                   `{% endblock` of a template. (A comment alone leaves every page's bytes as they
                   were, so there would be nothing to reload.)

Prints one line per run to stderr and, on stdout, `median_ms min_ms max_ms runs failures`.
Python 3 standard library only.
"""

import argparse
import queue
import socket
import statistics
import sys
import threading
import time
import urllib.request


def listen(host, port, events):
    """Read the event stream forever, putting (arrival time, event, data) on `events`."""
    sock = socket.create_connection((host, port))
    sock.sendall(
        f"GET /__tryloyw/events HTTP/1.1\r\nHost: {host}:{port}\r\n"
        "Accept: text/event-stream\r\n\r\n".encode()
    )
    stream = sock.makefile("rb")
    status = stream.readline()
    if b" 200 " not in status:
        events.put((time.perf_counter(), "error", status.decode(errors="replace").strip()))
        return
    while stream.readline() not in (b"\r\n", b"\n", b""):
        pass  # response headers
    name, data = "message", ""
    for raw in stream:
        line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
        if line == "":
            if data or name != "message":
                events.put((time.perf_counter(), name, data))
            name, data = "message", ""
        elif line.startswith(":"):
            continue  # keep-alive comment
        elif line.startswith("event:"):
            name = line[6:].strip()
        elif line.startswith("data:"):
            data = line[5:].strip()
    events.put((time.perf_counter(), "closed", ""))


def edited(original, mode, i):
    if mode == "text":
        return original.rstrip("\n") + f"\n\nbenchword{i}\n"
    at = original.rfind("{% endblock")
    if at < 0:
        at = len(original)
    return original[:at] + f"{{# bench edit {i} #}}<i hidden>bench{i}</i>\n" + original[at:]


def marker(mode, i):
    return f"benchword{i}" if mode == "text" else f"bench{i}<"


def write(path, text):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def wait_reload(events, after, timeout):
    """The time the next `reload` event arrives (None on timeout); `css` events are skipped."""
    deadline = time.perf_counter() + timeout
    while True:
        left = deadline - time.perf_counter()
        if left <= 0:
            return None, None
        try:
            at, name, data = events.get(timeout=left)
        except queue.Empty:
            return None, None
        if name in ("closed", "error"):
            sys.exit(f"event stream ended: {data}")
        if name == "reload" and at >= after:
            return at, data


def drain(events, quiet):
    """Wait until no event has arrived for `quiet` seconds."""
    while True:
        try:
            events.get(timeout=quiet)
        except queue.Empty:
            return


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--file", required=True, help="the file to edit")
    ap.add_argument("--mode", choices=["text", "template"], default="text")
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--url", help="a page the edit shows on, to check it was served")
    ap.add_argument("--gap", type=float, default=0.3, help="quiet seconds between runs")
    ap.add_argument("--timeout", type=float, default=300.0)
    args = ap.parse_args()

    events = queue.Queue()
    threading.Thread(target=listen, args=(args.host, args.port, events), daemon=True).start()
    at, name, data = events.get(timeout=30)
    if name != "hello":
        sys.exit(f"expected a hello event, got {name} {data}")

    with open(args.file, encoding="utf-8", newline="") as f:
        original = f.read()
    times, failures = [], 0
    try:
        for i in range(1, args.runs + 1):
            drain(events, args.gap)
            text = edited(original, args.mode, i)
            start = time.perf_counter()
            write(args.file, text)
            at, generation = wait_reload(events, start, args.timeout)
            if at is None:
                failures += 1
                print(f"run {i}: no reload within {args.timeout:.0f} s", file=sys.stderr)
                continue
            ms = (at - start) * 1000
            ok = ""
            if args.url:
                url = f"http://{args.host}:{args.port}{args.url}"
                try:
                    body = urllib.request.urlopen(url, timeout=30).read().decode("utf-8", "replace")
                    if marker(args.mode, i) not in body:
                        ok = f" — but {args.url} does not show the edit"
                except OSError as e:
                    ok = f" — but {args.url} failed: {e}"
            if ok:
                failures += 1
            else:
                times.append(ms)
            print(f"run {i}: {ms:.1f} ms (generation {generation}){ok}", file=sys.stderr)
    finally:
        write(args.file, original)
        wait_reload(events, 0, args.timeout)
    if not times:
        print("nan nan nan 0", failures)
        return
    print(
        f"{statistics.median(times):.1f} {min(times):.1f} {max(times):.1f} {len(times)} {failures}"
    )


if __name__ == "__main__":
    main()
