#!/usr/bin/env bash
# Opens the HTML matrix reports in headless Chromium (Debian's chromium package): each must load
# without a console error or a request, have every row of its matrix with its role cells in the
# DOM, and print to PDF (the print style) with every activity id visible in the printed text
# (pdftotext), so a style that hid rows would fail. Flags as this machine's notes advise: no sandbox (root), no
# GPU, and no background networking, which the closed network would refuse.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null || ! command -v pdftotext >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null
fi
# .ci/run hands in the binary `cargo test` built (RACI_LINT_BIN); run alone, this builds it.
bin="${RACI_LINT_BIN:-target/debug/raci-lint}"
[[ -n "${RACI_LINT_BIN:-}" ]] || cargo build --locked --quiet
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

chrome() { # chrome NAME ARGS...: headless Chromium with its own empty profile
    local name=$1
    shift
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --disable-extensions --user-data-dir="$out/profile-$name" \
        --enable-logging=stderr --v=0 "$@"
}

report() { # report NAME TARGET [ARGS...]: render, open, check rows, print
    local name=$1
    shift
    "$bin" matrix "$@" --format html --output "$out/$name.html"
    "$bin" matrix "$@" --format json --output "$out/$name.json"
    chrome "$name" --dump-dom "file://$out/$name.html" >"$out/$name.dom" 2>"$out/$name.log"
    chrome "$name-pdf" --no-pdf-header-footer --print-to-pdf="$out/$name.pdf" \
        "file://$out/$name.html" >/dev/null 2>&1
    [[ -s "$out/$name.pdf" ]] || { echo "FAILED: $name did not print to PDF" >&2; exit 1; }
    pdftotext "$out/$name.pdf" "$out/$name.txt"
    python3 .ci/html_check.py "$out/$name.dom" "$out/$name.json" "$out/$name.log" "$out/$name.txt"
}

report sysbee sysbee
report cegedim-cloud cegedim-cloud
report cegedim-object-storage cegedim-cloud --plan self-service --product object-storage
report demo-file fixtures/demo/infra/raci.yaml
