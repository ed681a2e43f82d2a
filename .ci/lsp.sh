#!/usr/bin/env bash
# The language server end to end: pytest-lsp (a real LSP client library) drives
# `raci-lint server` through initialize, open, change, hover, completion, code actions, close,
# bad input and shutdown; then Neovim (Debian's, 0.7) runs headless with its built-in client on
# a fixture and must show the diagnostics. Both are installed here when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! python3 -c 'import pytest_lsp' 2>/dev/null; then
    python3 -m pip install --quiet --disable-pip-version-check 'pytest-lsp>=1,<2'
fi
if ! command -v nvim >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq neovim >/dev/null
fi
# .ci/run hands in the binary `cargo test` built (RACI_LINT_BIN); run alone, this builds it.
[[ -n "${RACI_LINT_BIN:-}" ]] || cargo build --locked --quiet
# CI=true makes the Neovim test fail, not skip, if nvim is somehow missing.
RACI_LINT_BIN="${RACI_LINT_BIN:-$PWD/target/debug/raci-lint}" CI=true python3 -m pytest tests/lsp -q -p no:cacheprovider
