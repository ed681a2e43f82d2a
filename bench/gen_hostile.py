#!/usr/bin/env python3
"""Generate the hostile inputs of bench/hostile.sh (DESIGN section 9, issue 12).

    python3 bench/gen_hostile.py CASE DIR [options]

Each call writes one repository in DIR (which must not exist yet), with an empty `.git` folder so
that raci-lint takes DIR as the repository root. Standard library only; seeded, so every run
benchmarks byte-identical files. Cases:

    human N             raci.yaml with N unknown activities (`t<i>: ghost<i>`)
    longline N          a pack with evidence 'HIT' and long.txt: one line of N x HIT + 50,000 x é
    baseline N          raci.yaml and baseline.json with N stale entries (distinct fingerprints)
    attribution N       N sibling team<i>.raci.yaml, each scoped to d<i>/ holding an upgrade script
    regex P INPUT SIZE  a pack with one evidence rule of pattern P, and one SIZE-byte input.txt
    newlines K          a pack with pattern '^' and K files of 1 MiB of newlines
    globs N             raci.yaml with N scope globs "g<i>/**"
    structure KIND SIZE a pack with R `command` rules and an `ansible` rule, and one SIZE-byte
                        file of KIND: tasks (YAML tasks), commands (a script of `a=1;` commands),
                        heredocs (unclosed), quotes (one unclosed quote), nested (`sh -c` strings),
                        continued (one command continued over every line); --rules R (default 1)
    crafted N SIZE      a pack of N patterns `(a|b)*a(a|b){10..14}$` and SIZE bytes of a/b words
"""
import argparse
import os
import random
import sys

MIB = 1024 * 1024

# The user pack of the evidence cases. Its provider holds R and A and the customer only I, so a
# match in a file the ownership file covers is `performs-provider-duty`.
PACK = """\
provider:
  id: acme
  name: Acme
  source: "bench/gen_hostile.py"
activities:
  - id: hit
    title: Hit
    category: generic
    provider: [R, A]
    customer: [I]
    evidence:
      - {{ id: hit, files: ["**/*.txt"], pattern: {pattern} }}
"""


def yaml_single_quoted(text):
    """A YAML single-quoted scalar: no escapes but '' for a quote, so regexes stay as written."""
    return "'" + text.replace("'", "''") + "'"


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(path, mode, **({} if mode == "wb" else {"encoding": "utf-8", "newline": "\n"})) as f:
        f.write(data)


def new_repo(root):
    os.makedirs(os.path.join(root, ".git"))


def write_pack(root, pattern):
    write(os.path.join(root, "packs", "acme.yaml"), PACK.format(pattern=yaml_single_quoted(pattern)))
    # Default scope: this file's folder's subtree, so every *.txt is scanned.
    write(os.path.join(root, "raci.yaml"), "provider: acme\n")


def human(root, n):
    lines = ["provider: sysbee", "teams: { ops: {} }", "responsibilities:"]
    lines += [f"  t{i}: ghost{i}" for i in range(n)]
    write(os.path.join(root, "raci.yaml"), "\n".join(lines) + "\n")


def longline(root, n):
    write_pack(root, "HIT")
    write(os.path.join(root, "long.txt"), "HIT" * n + "é" * 50_000 + "\n")


def baseline(root, n):
    write(os.path.join(root, "raci.yaml"), "provider: sysbee\nteams: { ops: {} }\n")
    rng = random.Random(12)
    fingerprints = set()
    while len(fingerprints) < n:
        fingerprints.add(f"{rng.getrandbits(64):016x}")
    entries = [
        '{"fingerprint":"%s","code":"unowned-duty","path":"raci.yaml","provider":"sysbee",'
        '"activity":"x%d"}' % (fp, i)
        for i, fp in enumerate(sorted(fingerprints))
    ]
    write(os.path.join(root, "baseline.json"),
          '{"version":1,"findings":[\n' + ",\n".join(entries) + "\n]}\n")


def attribution(root, n):
    for i in range(n):
        write(os.path.join(root, f"team{i}.raci.yaml"), f'provider: sysbee\nscope: ["d{i}/**"]\n')
        write(os.path.join(root, f"d{i}", "up.sh"), "#!/bin/sh\napt-get -y dist-upgrade\n")


def regex_input(kind, size, seed):
    """SIZE bytes of one of the hostile texts of case 5."""
    if kind == "e-acute":  # one line of é (2 bytes each in UTF-8), no line end
        return ("é" * (size // 2)).encode() + b"a" * (size % 2)
    if kind == "a-lines":  # lines of 80 'a'
        line = b"a" * 80 + b"\n"
        return (line * (size // len(line) + 1))[:size]
    if kind == "ab-words":  # one line of random a/b words of about 20 characters
        rng = random.Random(seed)
        out = bytearray()
        while len(out) < size:
            out += bytes(rng.choice(b"ab") for _ in range(rng.randint(15, 25)))
            out += b" "
        return bytes(out[:size])
    if kind == "newlines":
        return b"\n" * size
    sys.exit(f"gen_hostile.py: unknown input {kind!r}")


def regex(root, pattern, kind, size, seed):
    write_pack(root, pattern)
    write(os.path.join(root, "input.txt"), regex_input(kind, size, seed))


def newlines(root, k):
    write_pack(root, "^")
    for i in range(k):
        write(os.path.join(root, f"n{i}.txt"), b"\n" * MIB)


def globs(root, n):
    lines = ["provider: sysbee", "scope:"] + [f'  - "g{i}/**"' for i in range(n)]
    write(os.path.join(root, "raci.yaml"), "\n".join(lines) + "\n")


# The same pack head, with an ansible rule instead of the pattern rule.
STRUCTURE_PACK = PACK.split("    evidence:\n")[0] + """\
    evidence:
      - { id: task, files: ["**/*.yml"], ansible: { module: [sysctl], args: { name: '^vm' } } }
"""


def structure(root, kind, size, rules):
    """A pack of `rules` command rules (each its own literal, all matching `sysctl -w`) and one
    ansible rule, and one SIZE-byte file made to make the structure readers work hard."""
    pack = STRUCTURE_PACK + "".join(
        f"      - {{ id: c{i}, files: [\"**/*\"], command: '^sysctl\\s+-w\\s+x{i % 10}' }}\n"
        for i in range(rules)
    )
    write(os.path.join(root, "packs", "acme.yaml"), pack)
    write(os.path.join(root, "raci.yaml"), "provider: acme\n")
    def fill(unit, head=b"", tail=b""):
        body = unit * ((size - len(head) - len(tail)) // len(unit) + 1)
        return (head + body)[: size - len(tail)] + tail
    if kind == "tasks":
        write(os.path.join(root, "tasks.yml"), fill(b"- sysctl: { name: vm.x }\n"))
    elif kind == "commands":
        write(os.path.join(root, "run.sh"), fill(b"sysctl -w x1=1;", b"#!/bin/sh\n"))
    elif kind == "heredocs":
        write(os.path.join(root, "run.sh"), fill(b"cat <<E ", b"#!/bin/sh\n"))
    elif kind == "quotes":
        write(os.path.join(root, "run.sh"), fill(b"x", b"#!/bin/sh\nsysctl -w x1=1\necho '"))
    elif kind == "nested":
        half = size // 2 - 64
        n = half // 7
        write(os.path.join(root, "run.sh"), b"#!/bin/sh\n" + b'sh -c "' * n + b"sysctl -w x1=1" + b'"' * n + b"\n")
    elif kind == "continued":
        write(os.path.join(root, "run.sh"), fill(b"-w x1 \\\n", b"#!/bin/sh\nsysctl ", b"\n"))
    else:
        sys.exit(f"gen_hostile.py: unknown structure {kind!r}")


def crafted(root, n, size, seed):
    rules = "".join(
        f"      - {{{{ id: r{i}, files: ['**/*.txt'], pattern: '(a|b)*a(a|b){{{{{10 + i % 5}}}}}$' }}}}\n"
        for i in range(n)
    )
    pack = PACK.split("    evidence:\n")[0] + "    evidence:\n" + rules.replace("{{", "{").replace("}}", "}")
    write(os.path.join(root, "packs", "acme.yaml"), pack)
    write(os.path.join(root, "raci.yaml"), "provider: acme\n")
    write(os.path.join(root, "input.txt"), regex_input("ab-words", size, seed))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("case", choices=["human", "longline", "baseline", "attribution", "regex",
                                    "newlines", "globs", "structure", "crafted"])
    p.add_argument("dir")
    p.add_argument("args", nargs="*", help="N, K, or PATTERN INPUT SIZE for regex")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--rules", type=int, default=1)
    a = p.parse_args()
    new_repo(a.dir)
    if a.case == "regex":
        if len(a.args) != 3:
            p.error("regex takes PATTERN INPUT SIZE")
        regex(a.dir, a.args[0], a.args[1], int(a.args[2]), a.seed)
    elif a.case == "crafted":
        if len(a.args) != 2:
            p.error("crafted takes N SIZE")
        crafted(a.dir, int(a.args[0]), int(a.args[1]), a.seed)
    elif a.case == "structure":
        if len(a.args) != 2:
            p.error("structure takes KIND SIZE")
        structure(a.dir, a.args[0], int(a.args[1]), a.rules)
    else:
        if len(a.args) != 1:
            p.error(f"{a.case} takes one number")
        globals()[a.case](a.dir, int(a.args[0]))


if __name__ == "__main__":
    main()
