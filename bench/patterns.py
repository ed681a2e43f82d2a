#!/usr/bin/env python3
"""Turn the built-in packs' evidence rules into what the yardsticks need, so that ripgrep and
semgrep search for exactly the same patterns as raci-lint.

    python3 bench/patterns.py OUT_DIR

writes OUT_DIR/patterns.txt (one regex per line, for `rg -f`), OUT_DIR/rg-globs.txt (one
`--glob` argument per line: every rule's file globs, then every exclusion negated) and
OUT_DIR/semgrep.yml (one pattern-regex rule per evidence rule, with the same paths).
Needs PyYAML (a benchmark-only dependency).

Each rule has one matcher, turned into one line-oriented regex (`rg_pattern`):
- `pattern`: its regex, as it is (compacted onto one line);
- `command`: its regex with the leading `^` (after any inline flags group such as `(?x)`) removed,
  so that it matches a command anywhere in a line, where raci-lint extracts commands first;
- `ansible`: `\b(?:mod1|mod2|...)\s*:` from its `module` list (raci-lint parses the YAML;
  ripgrep searches the same files for the module keys, a literal-bearing pattern of the same kind).
"""

import json
import pathlib
import re
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent


def compact(pattern: str) -> str:
    """A verbose-mode (?x) pattern on one line, for `rg -f` (one pattern per line): whitespace
    outside classes dropped unless escaped, the x flag removed, and the `evidence` group
    unnamed (ripgrep joins all patterns into one regex, where a name may not repeat)."""
    out, i, in_class, verbose = [], 0, False, False
    head = pattern.lstrip()
    if head.startswith("(?x") or head.startswith("(?") and "x" in head[2 : head.find(")")]:
        flags = head[2 : head.find(")")]
        verbose = "x" in flags
        rest = flags.replace("x", "")
        pattern = (f"(?{rest})" if rest else "") + head[head.find(")") + 1 :]
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            out.append(nxt if verbose and nxt in " #" and not in_class else c + nxt)
            i += 2
            continue
        if c == "[" and not in_class:
            in_class = True
        elif c == "]" and in_class and out and out[-1] != "[":
            in_class = False
        if verbose and not in_class and c in " \t\n\r":
            i += 1
            continue
        if verbose and not in_class and c == "#":
            out.append("\\#")
            i += 1
            continue
        out.append(c)
        i += 1
    return "".join(out).replace("(?P<evidence>", "(?:").replace("(?<evidence>", "(?:")


def ascii_boundaries(pattern: str) -> str:
    """Word boundaries judged on ASCII, as raci-lint's scanner runs every pattern (a Unicode
    `\\b` would send both engines to their slowest path on any non-ASCII file): `\\b` and `\\B`
    outside classes become `(?-u:\\b)` and `(?-u:\\B)`."""
    out, i, in_class = [], 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            if not in_class and nxt in "bB":
                out.append(f"(?-u:\\{nxt})")
            else:
                out.append(c + nxt)
            i += 2
            continue
        if c == "[" and not in_class:
            in_class = True
        elif c == "]" and in_class:
            in_class = False
        out.append(c)
        i += 1
    return "".join(out)


def rg_pattern(rule: dict) -> str:
    """The one-line ripgrep regex standing for a rule's matcher (see the module docstring)."""
    kinds = [k for k in ("pattern", "command", "ansible") if k in rule]
    if len(kinds) != 1:
        sys.exit(f"bench/patterns.py: rule {rule.get('id')!r} has matchers {kinds}, expected one")
    kind = kinds[0]
    if kind == "pattern":
        return compact(rule["pattern"])
    if kind == "command":
        # compact() has already rewritten the flags group (`(?x)` goes, `(?xi)` becomes `(?i)`).
        flat = compact(rule["command"])
        flags = re.match(r"\(\?[a-zA-Z-]*\)", flat)
        head = flags.group(0) if flags else ""
        rest = flat[len(head):]
        return head + (rest[1:] if rest.startswith("^") else rest)
    modules = rule["ansible"]["module"]
    modules = [modules] if isinstance(modules, str) else list(modules)
    return r"\b(?:" + "|".join(re.escape(m) for m in dict.fromkeys(modules)) + r")\s*:"


def main() -> None:
    out = pathlib.Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    patterns, includes, excludes, semgrep = [], [], [], []
    for pack_file in sorted((ROOT / "rules").glob("*.yaml")):
        pack = yaml.safe_load(pack_file.read_text())
        for activity in pack["activities"]:
            for rule in activity.get("evidence", []):
                regex = rg_pattern(rule)
                patterns.append(ascii_boundaries(regex))
                includes.extend(g for g in rule["files"] if g not in includes)
                excludes.extend(g for g in rule.get("exclude", []) if g not in excludes)
                semgrep.append(
                    {
                        "id": f"{pack['provider']['id']}.{activity['id'].replace('/', '.')}.{rule['id']}",
                        # Semgrep matches the whole file: (?m) makes ^ and $ line anchors as
                        # in ripgrep and raci-lint.
                        # PCRE has no `u` flag: drop it (`(?-u)`, `(?i-u)`).
                        "pattern-regex": "(?m)" + re.sub(r"^\(\?([a-zA-Z]*)-u\)", lambda m: f"(?{m.group(1)})" if m.group(1) else "", regex),
                        "message": rule.get("description", rule["id"]),
                        "languages": ["generic"],
                        "severity": "WARNING",
                        "paths": {
                            "include": rule["files"],
                            "exclude": rule.get("exclude", []),
                        },
                    }
                )
    # Duplicates (the same rules in two packs) cost ripgrep nothing to drop.
    unique = list(dict.fromkeys(patterns))
    (out / "patterns.txt").write_text("\n".join(unique) + "\n")
    globs = includes + ["!" + g for g in excludes]
    (out / "rg-globs.txt").write_text("\n".join(globs) + "\n")
    (out / "semgrep.yml").write_text(json.dumps({"rules": semgrep}, indent=1))
    print(f"{len(semgrep)} rules, {len(unique)} distinct patterns, {len(globs)} globs")


if __name__ == "__main__":
    main()
