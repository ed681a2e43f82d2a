#!/usr/bin/env python3
"""Paired comparison of two commands on a noisy machine: run A and B alternately, N pairs,
and report the median of the paired ratios B/A (with the medians of each). Used to check that
a change does not make raci-lint slower (old binary vs new binary), and against ripgrep.

    bench/paired.py --runs 21 --cwd REPO -- 'OLD --format json .' -- 'NEW --format json .'

Exit statuses 0 and 1 are both success for raci-lint (1: it found errors); anything else stops
the comparison, so an error message is never timed.
"""
import argparse
import shlex
import statistics
import subprocess
import sys
import time


def once(cmd, cwd):
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"paired.py: {shlex.join(cmd)} exited {done.returncode}: {done.stderr[:400]!r}")
    return elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--cwd", default=".")
    parser.add_argument("--label", default="")
    parser.add_argument("commands", nargs="+")
    args = parser.parse_args()
    text = " ".join(args.commands)
    parts = [p.strip() for p in text.split(" -- ") if p.strip()]
    if len(parts) != 2:
        sys.exit("paired.py: give two commands separated by ' -- '")
    a, b = (shlex.split(p) for p in parts)
    for _ in range(args.warmup):
        once(a, args.cwd)
        once(b, args.cwd)
    ta, tb, ratios = [], [], []
    for i in range(args.runs):
        # Alternate which goes first, so neither always runs on a warmer cache.
        if i % 2 == 0:
            x, y = once(a, args.cwd), once(b, args.cwd)
        else:
            y, x = once(b, args.cwd), once(a, args.cwd)
        ta.append(x)
        tb.append(y)
        ratios.append(y / x)
    print(
        f"| {args.label} | {statistics.median(ta) * 1000:.1f} | {statistics.median(tb) * 1000:.1f} "
        f"| {statistics.median(ratios):.3f} | {min(ratios):.3f}–{max(ratios):.3f} | {args.runs} |"
    )


if __name__ == "__main__":
    main()
