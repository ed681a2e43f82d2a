#!/usr/bin/env python3
"""Checks a matrix report as headless Chromium rendered it: the DOM it dumped has every row the
JSON matrix lists, each with four role cells per party, the legend, and no console error or
failed request in Chromium's log.

Given the text of the printed PDF too, every activity id must be visible in it (whitespace and
hyphens ignored, as ids wrap at their hyphens).

usage: html_check.py DOM_FILE JSON_MATRIX_FILE CHROMIUM_LOG [PDF_TEXT]
"""
import json
import re
import sys
from html.parser import HTMLParser


class Rows(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows = []  # (id, [role cell texts])
        self.legend = False
        self._row = None
        self._cell = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "div" and "legend" in classes:
            self.legend = True
        if tag == "tr" and "activity" in classes:
            self._row = (a.get("data-activity"), [])
        if tag == "td" and "role" in classes and self._row is not None:
            self._cell = ""

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self._row[1].append(self._cell.strip())
            self._cell = None
        if tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None


def main():
    dom_path, json_path, log_path = sys.argv[1:4]
    dom = open(dom_path, encoding="utf-8").read()
    matrix = json.load(open(json_path, encoding="utf-8"))
    log = open(log_path, encoding="utf-8", errors="replace").read()
    parser = Rows()
    parser.feed(dom)
    problems = []
    if not parser.legend:
        problems.append("no legend")
    want = [(a["id"], a["provider"], a["customer"]) for a in matrix["activities"]]
    got = [r[0] for r in parser.rows]
    if got != [w[0] for w in want]:
        problems.append(f"rows differ: {len(got)} shown, {len(want)} expected")
    for (rid, cells), (_, provider, customer) in zip(parser.rows, want):
        if len(cells) != 8:
            problems.append(f"{rid}: {len(cells)} role cells")
            continue
        if [c for c in cells[:4] if c] != provider or [c for c in cells[4:] if c] != customer:
            problems.append(f"{rid}: roles {cells} differ from {provider} / {customer}")
    for line in log.splitlines():
        if re.search(r"CONSOLE|Uncaught|net::ERR_|Failed to load resource", line):
            problems.append(f"chromium: {line.strip()}")
    if len(sys.argv) > 4:
        # pdftotext drops the hyphen where an id wraps, as if it were a soft hyphen.
        squash = lambda t: re.sub(r"[\s-]+", "", t)
        printed = squash(open(sys.argv[4], encoding="utf-8", errors="replace").read())
        for rid, _, _ in want:
            if squash(rid) not in printed:
                problems.append(f"{rid}: not visible in the printed report")
    if problems:
        print("\n".join(problems))
        sys.exit(1)
    print(f"ok: {len(got)} rows in Chromium's DOM and its printed PDF, from {dom_path}")


main()
