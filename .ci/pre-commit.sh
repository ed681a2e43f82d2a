#!/usr/bin/env bash
# Exercises the pre-commit hook for real: pre-commit from PyPI runs `pre-commit try-repo` on this
# checkout in a temporary git repository, which must fail on a claims-provider-duty and pass
# once it is fixed. pre-commit builds the hook with `cargo install` (language: rust).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

if ! command -v pre-commit >/dev/null; then
    python3 -m pip install --quiet --disable-pip-version-check pre-commit
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME="$work/cache"
# The hook's `cargo install` builds a release binary; this step checks what the hook does, not
# how fast the binary is, so the release profile is made a quick one (no LTO, no optimisation).
export CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_OPT_LEVEL=0 \
    CARGO_PROFILE_RELEASE_CODEGEN_UNITS=256 CARGO_PROFILE_RELEASE_DEBUG=false
repo="$work/repo"
mkdir -p "$repo/infra"
cd "$repo"
git init -q
git config user.email ci@example.invalid
git config user.name ci

duties="web-application-security web-application-data-encryption web-application-access-management local-backup security-awareness-training web-application-development web-application-patching local-maintenance web-application-debugging local-network-troubleshooting local-hardware-troubleshooting web-application-malware-removal database-schema-and-query-optimization third-party-troubleshooting seo-issues"
{
    echo "provider: sysbee"
    echo "responsibilities:"
    for d in $duties; do echo "  $d: webteam"; done
    echo "  server-os-patching: ops"
} > infra/raci.yaml
git add -A && git commit -qm "claims Sysbee's server OS patching"

if pre-commit try-repo "$root" raci-lint --all-files > "$work/first.log" 2>&1; then
    cat "$work/first.log"
    echo "FAILED: the hook passed on a claims-provider-duty" >&2
    exit 1
fi
grep -q "claims-provider-duty" "$work/first.log" || { cat "$work/first.log"; echo "FAILED: no claims-provider-duty in the hook's output" >&2; exit 1; }
echo "ok: the hook fails on claims-provider-duty"

sed -i '/server-os-patching: ops/d' infra/raci.yaml
git commit -qam "leave server OS patching to Sysbee"
if ! pre-commit try-repo "$root" raci-lint --all-files > "$work/second.log" 2>&1; then
    cat "$work/second.log"
    echo "FAILED: the hook still fails once the file is fixed" >&2
    exit 1
fi
echo "ok: the hook passes once the file is fixed"
