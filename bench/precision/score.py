#!/usr/bin/env python3
"""Precision/recall of raci-lint's evidence rules on real public repositories.

    python3 bench/precision/score.py --bin target/release/raci-lint [--verbose]

For every repository of repos.tsv it exports the pinned commit (restricted to the listed subtree)
from a bare mirror into a temporary folder, runs raci-lint twice on it (once with a Sysbee
ownership file, once with a cegedim-cloud one, each written as raci.yaml at the export root), keeps
the `performs-provider-duty` findings of the four benchmarked activities, and compares their
(path, line, activity) with the hand labels of labels.tsv:

    precision = reported and labelled found / reported
    recall    = reported and labelled found / labelled found

A reported line with no label counts as a false positive; lines labelled `unsure` are left out of
both. Python 3 standard library only. Exit 0 whatever the scores; 2 when the setup breaks
(missing binary or mirror, unreadable manifest or labels, raci-lint exiting 2 or printing no JSON).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))

# One run per provider; each run scores the activities listed with it.
RUNS = [
    {
        "name": "sysbee",
        "ownership": (
            "service: precision\n"
            "provider: sysbee\n"
            "offering: managed-infrastructure\n"
            "responsibilities:\n"
            "  web-application-security: platform\n"
        ),
        "activities": [
            "sysbee/server-os-patching",
            "sysbee/os-network-firewall-configuration",
        ],
    },
    {
        "name": "cegedim-cloud",
        "ownership": (
            "service: precision\n"
            "provider: cegedim-cloud\n"
            "plan: on-request\n"
            "responsibilities:\n"
            "  usage: platform\n"
        ),
        "activities": [
            "cegedim-cloud/backup-and-restoration",
            "cegedim-cloud/modify-configurations",
        ],
    },
]
ACTIVITIES = [a for run in RUNS for a in run["activities"]]
SHORT = {
    "sysbee/server-os-patching": "os-patching",
    "sysbee/os-network-firewall-configuration": "firewall",
    "cegedim-cloud/backup-and-restoration": "backup",
    "cegedim-cloud/modify-configurations": "modify-config",
}
LABELS = ("found", "not-found", "unsure")
CODE = "performs-provider-duty"
NEAR = 5  # lines: see the near-miss hint in the report


class SetupError(Exception):
    pass


def read_tsv(path, columns):
    """Rows of a tab-separated file with a header naming `columns` (in that order)."""
    try:
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().splitlines()
    except OSError as e:
        raise SetupError(f"cannot read {path}: {e}")
    if not lines or lines[0].split("\t") != columns:
        raise SetupError(f"{path}: the header must be: {' '.join(columns)}")
    rows = []
    for n, line in enumerate(lines[1:], 2):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != len(columns):
            raise SetupError(f"{path}:{n}: {len(fields)} fields, expected {len(columns)}")
        rows.append((n, dict(zip(columns, fields))))
    return rows


def load_manifest(path):
    repos = []
    for n, row in read_tsv(path, ["repo", "commit", "subtree", "role", "why"]):
        if row["role"] not in ("tune", "holdout"):
            raise SetupError(f"{path}:{n}: role must be tune or holdout")
        if len(row["commit"]) != 40:
            raise SetupError(f"{path}:{n}: commit must be a full 40-hex id")
        subtree = row["subtree"].strip()
        row["paths"] = [] if subtree == "." else [p.strip().strip("/") for p in subtree.split(",") if p.strip()]
        repos.append(row)
    if not repos:
        raise SetupError(f"{path}: no repository")
    return repos


def load_labels(path, repo_names):
    labels = {}  # (repo, path, line, activity) -> (label, note)
    for n, row in read_tsv(path, ["repo", "path", "line", "activity", "label", "note"]):
        if row["repo"] not in repo_names:
            raise SetupError(f"{path}:{n}: repository {row['repo']} is not in the manifest")
        if row["activity"] not in ACTIVITIES:
            raise SetupError(f"{path}:{n}: unknown activity {row['activity']}")
        if row["label"] not in LABELS:
            raise SetupError(f"{path}:{n}: label must be one of {', '.join(LABELS)}")
        try:
            line = int(row["line"])
        except ValueError:
            raise SetupError(f"{path}:{n}: line is not a number")
        key = (row["repo"], row["path"], line, row["activity"])
        if key in labels:
            raise SetupError(f"{path}:{n}: duplicate label for {key}")
        labels[key] = (row["label"], row["note"])
    return labels


def git(git_dir, *args, **kw):
    return subprocess.run(["git", "--git-dir", git_dir, *args], **kw)


def safe_extract(tar_bytes_path, dest):
    with tarfile.open(tar_bytes_path) as tf:
        if hasattr(tarfile, "data_filter"):
            tf.extractall(dest, filter="data")
        else:  # Python < 3.12: refuse absolute and parent paths ourselves
            for m in tf.getmembers():
                if m.name.startswith("/") or ".." in m.name.split("/"):
                    raise SetupError(f"unsafe path in archive: {m.name}")
            tf.extractall(dest)


def export(repo, mirror_dir, dest, warn):
    """Write the repository's files at its commit (its subtree, plus the root .gitignore) to dest."""
    git_dir = os.path.join(mirror_dir, repo["repo"].replace("/", "+"), "repo")
    if not os.path.isdir(git_dir):
        raise SetupError(
            f"no mirror of {repo['repo']} at {git_dir} (fetch github:{repo['repo']} first)"
        )
    commit = repo["commit"]
    if git(git_dir, "cat-file", "-e", commit + "^{commit}", capture_output=True).returncode != 0:
        raise SetupError(f"{repo['repo']}: commit {commit} is not in {git_dir}")
    paths = list(repo["paths"])
    if paths:
        has_ignore = git(git_dir, "cat-file", "-e", f"{commit}:.gitignore", capture_output=True).returncode == 0
        if has_ignore and ".gitignore" not in paths:
            paths.append(".gitignore")
    tar_path = dest + ".tar"
    with open(tar_path, "wb") as out:
        r = git(git_dir, "archive", "--format=tar", commit, "--", *paths, stdout=out, stderr=subprocess.PIPE)
    os.makedirs(dest)
    if r.returncode == 0:
        safe_extract(tar_path, dest)
        os.unlink(tar_path)
        return
    # A snapshot may lack some blobs (large files): export file by file, skipping those.
    os.unlink(tar_path)
    warn(f"{repo['repo']}: git archive failed ({r.stderr.decode(errors='replace').strip()[:200]}); exporting file by file")
    ls = git(git_dir, "ls-tree", "-r", "-z", commit, "--", *paths, capture_output=True)
    if ls.returncode != 0:
        raise SetupError(f"{repo['repo']}: git ls-tree failed: {ls.stderr.decode(errors='replace')}")
    for entry in ls.stdout.split(b"\0"):
        if not entry:
            continue
        meta, name = entry.split(b"\t", 1)
        mode, kind, sha = meta.split()
        name = name.decode("utf-8", "surrogateescape")
        if kind != b"blob" or name.startswith("/") or ".." in name.split("/"):
            continue
        blob = git(git_dir, "cat-file", "blob", sha.decode(), capture_output=True)
        if blob.returncode != 0:
            warn(f"{repo['repo']}: {name} is missing from the snapshot; skipped")
            continue
        target = os.path.join(dest, name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if mode == b"120000":
            os.symlink(blob.stdout.decode("utf-8", "surrogateescape"), target)
            continue
        with open(target, "wb") as fh:
            fh.write(blob.stdout)
        if mode == b"100755":
            os.chmod(target, 0o755)


def help_text(binary):
    try:
        r = subprocess.run([binary, "check", "--help"], capture_output=True, text=True, timeout=60)
    except OSError as e:
        raise SetupError(f"cannot run {binary}: {e}")
    return r.stdout + r.stderr


def run_lint(binary, flags, cwd, ownership, activities, timeout):
    with open(os.path.join(cwd, "raci.yaml"), "w", encoding="utf-8") as fh:
        fh.write(ownership)
    env = {k: v for k, v in os.environ.items() if not k.startswith("RACI_LINT")}
    env["NO_COLOR"] = "1"
    try:
        r = subprocess.run(
            [binary, "--format", "json", *flags, "."],
            cwd=cwd, capture_output=True, text=True, timeout=timeout,
            stdin=subprocess.DEVNULL, env=env,
        )
    except subprocess.TimeoutExpired:
        raise SetupError(f"raci-lint took more than {timeout}s in {cwd}")
    finally:
        os.unlink(os.path.join(cwd, "raci.yaml"))
    if r.returncode not in (0, 1):
        raise SetupError(f"raci-lint exited {r.returncode} in {cwd}:\n{r.stderr.strip()[:2000]}")
    try:
        report = json.loads(r.stdout)
    except ValueError:
        raise SetupError(f"raci-lint printed no JSON in {cwd}:\n{r.stdout[:500]}{r.stderr[:500]}")
    found, other = set(), defaultdict(int)
    for d in report.get("diagnostics", []):
        if d.get("code") != CODE:
            continue
        activity = f"{d.get('provider')}/{d.get('activity')}"
        if activity not in activities:
            other[activity] += 1
            continue
        path = d["path"].replace("\\", "/")
        while path.startswith("./"):
            path = path[2:]
        found.add((path, int(d["line"]), activity))
    return found, other, report.get("summary", {})


def ratio(num, den):
    return f"{num / den:6.1%}" if den else "   n/a"


def line_text(root, path, line):
    try:
        with open(os.path.join(root, path), encoding="utf-8", errors="replace") as fh:
            for n, text in enumerate(fh, 1):
                if n == line:
                    return text.strip()[:110]
    except OSError:
        pass
    return ""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", required=True, help="the raci-lint binary to score")
    ap.add_argument("--mirror-dir", default="/work/.mirror", help="bare mirrors, as <owner>+<name>/repo (default: %(default)s)")
    ap.add_argument("--repos", default=os.path.join(HERE, "repos.tsv"))
    ap.add_argument("--labels", default=os.path.join(HERE, "labels.tsv"))
    ap.add_argument("--only", action="append", default=[], help="score only this repository (owner/name); repeatable")
    ap.add_argument("--verbose", "-v", action="store_true", help="list every false positive and every miss")
    ap.add_argument("--keep", metavar="DIR", help="export into DIR and keep it (default: a temporary folder, removed)")
    ap.add_argument("--timeout", type=int, default=600, help="seconds per raci-lint run (default: %(default)s)")
    args = ap.parse_args()

    def warn(msg):
        print(f"warning: {msg}", file=sys.stderr)

    workdir = None
    try:
        binary = os.path.abspath(args.bin)
        if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
            raise SetupError(f"{args.bin} is not an executable file")
        repos = load_manifest(args.repos)
        if args.only:
            unknown = set(args.only) - {r["repo"] for r in repos}
            if unknown:
                raise SetupError(f"not in the manifest: {', '.join(sorted(unknown))}")
            repos = [r for r in repos if r["repo"] in args.only]
        labels = load_labels(args.labels, {r["repo"] for r in load_manifest(args.repos)})
        if shutil.which("git") is None:
            raise SetupError("git is not installed")
        helptext = help_text(binary)
        # Ignore any raci-lint config the repository carries: use a flag for that when the binary
        # has one, else point --config at a neutral config outside the export.
        workdir = args.keep or tempfile.mkdtemp(prefix="raci-precision-")
        os.makedirs(workdir, exist_ok=True)
        if "--no-config" in helptext:
            flags = ["--no-config"]
        elif "--config" in helptext:
            neutral = os.path.join(workdir, "neutral-config.yaml")
            with open(neutral, "w", encoding="utf-8") as fh:
                fh.write("evidence: true\n")
            flags = ["--config", neutral]
        else:
            flags = []
            warn("the binary has neither --no-config nor --config: a repository's own config would apply")

        reported = {}  # repo -> set of (path, line, activity)
        exports = {}
        for repo in repos:
            dest = os.path.join(workdir, repo["repo"].replace("/", "+"))
            if os.path.exists(dest):
                shutil.rmtree(dest)
            export(repo, args.mirror_dir, dest, warn)
            exports[repo["repo"]] = dest
            # Make the export a git work tree so that .gitignore applies as in a real checkout.
            subprocess.run(["git", "init", "-q", dest], check=True, capture_output=True)
            mine = [k for k in labels if k[0] == repo["repo"]]
            for (_, path, line, act) in mine:
                if not os.path.exists(os.path.join(dest, path)):
                    warn(f"{repo['repo']}: labelled file {path} is not in the export")
            found_paths = sorted({k[1] for k in mine if labels[k][0] == "found"})
            if found_paths:
                ign = subprocess.run(["git", "-C", dest, "check-ignore", "--no-index", "--stdin"],
                                     input="\n".join(found_paths) + "\n", capture_output=True, text=True)
                for p in ign.stdout.split():
                    warn(f"{repo['repo']}: {p} has found labels but the repository's .gitignore ignores it")
            got = set()
            for run in RUNS:
                found, other, summary = run_lint(binary, flags, dest, run["ownership"], run["activities"], args.timeout)
                got |= found
                if other and args.verbose:
                    print(f"# {repo['repo']} ({run['name']} run): ignored findings of other activities: "
                          + ", ".join(f"{a} {n}" for a, n in sorted(other.items())), file=sys.stderr)
            reported[repo["repo"]] = got
    except (SetupError, subprocess.CalledProcessError, OSError) as e:
        print(f"score.py: {e}", file=sys.stderr)
        if workdir and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        return 2

    # Score.
    role = {r["repo"]: r["role"] for r in repos}
    stats = defaultdict(lambda: [0, 0, 0, 0])  # key -> [tp, fp, fn, fp_unlabelled]
    fps, misses = [], []
    for repo in repos:
        name = repo["repo"]
        rep = reported[name]
        for act in ACTIVITIES:
            r_set = {(p, l) for (p, l, a) in rep if a == act and labels.get((name, p, l, a), ("",))[0] != "unsure"}
            f_set = {(k[1], k[2]) for k, v in labels.items() if k[0] == name and k[3] == act and v[0] == "found"}
            tp = r_set & f_set
            fp = r_set - f_set
            fn = f_set - r_set
            unl = {x for x in fp if (name, x[0], x[1], act) not in labels}
            for key in [(name, act), ("family", role[name], act), ("family", "all", act), ("total", role[name]), ("total", "all")]:
                s = stats[key]
                s[0] += len(tp); s[1] += len(fp); s[2] += len(fn); s[3] += len(unl)
            for p, l in sorted(fp):
                lab = labels.get((name, p, l, act))
                why = lab[0] + ": " + lab[1] if lab else "unlabelled"
                # A hint only: an unlabelled report a few lines below a found label of the same file
                # is most likely that item reported on the wrong line (see the line convention).
                near = [fl for (fp_, fl) in f_set if fp_ == p and 0 < l - fl <= NEAR]
                if near and not lab:
                    why += f"; {l - max(near)} line(s) below the found label at line {max(near)}"
                    stats[("near", role[name])][0] += 1
                    stats[("near", "all")][0] += 1
                fps.append((name, p, l, act, why, line_text(exports[name], p, l)))
            for p, l in sorted(fn):
                misses.append((name, p, l, act, labels[(name, p, l, act)][1], line_text(exports[name], p, l)))

    def row(title, s):
        tp, fp, fn, unl = s
        print(f"{title:<58} {tp + fp:>5} {tp:>5} {fp:>5} {unl:>5} {tp + fn:>6} {ratio(tp, tp + fp)} {ratio(tp, tp + fn)}")

    head = f"{'':<58} {'rep':>5} {'tp':>5} {'fp':>5} {'unlab':>5} {'found':>6} {'prec':>6} {'recall':>6}"
    print(f"raci-lint evidence precision/recall: {binary}")
    print(f"(rep = reported lines, unsure-labelled excluded; unlab = false positives with no label; found = labelled found)")
    print(head)
    for repo in repos:
        print(f"{repo['repo']} [{repo['role']}]")
        for act in ACTIVITIES:
            s = stats[(repo["repo"], act)]
            if any(s):
                row("  " + SHORT[act], s)
    print()
    for r in ("tune", "holdout", "all"):
        if r != "all" and r not in role.values():
            continue
        print(f"{r}:")
        for act in ACTIVITIES:
            row("  " + SHORT[act], stats[("family", r, act)])
        row("  TOTAL " + r, stats[("total", r)])
        if stats[("near", r)][0]:
            print(f"  ({stats[('near', r)][0]} of the false positives are unlabelled lines at most {NEAR} lines below a found"
                  f" label of the same file: probably a found item reported on the wrong line)")
    if args.verbose:
        print(f"\nfalse positives ({len(fps)}):")
        for name, p, l, act, why, text in fps:
            print(f"  {name} {p}:{l} {SHORT[act]} [{why}]\n      {text}")
        print(f"\nmisses ({len(misses)}):")
        for name, p, l, act, note, text in misses:
            print(f"  {name} {p}:{l} {SHORT[act]} [{note}]\n      {text}")
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
