#!/usr/bin/env python3
"""Generate a synthetic infrastructure repository for benchmarking raci-lint.

    python3 bench/gen_repo.py OUT_DIR --ownership 1000 [--files 0] [--seed 1]

The repository looks like a customer's monorepo of services:

    services/<domain>/svc-NNNN/raci.yaml          one ownership file per service (some are
                                                  raci.yml or <name>.raci.yaml, the other
                                                  default globs)
    services/<domain>/svc-NNNN/README.md          non-ownership files that discovery must skip
    services/<domain>/svc-NNNN/ansible/deploy.yml
    services/<domain>/svc-NNNN/scripts/deploy.sh
    services/.../{ansible,scripts,terraform,docker,docs}/...   --files N extra infrastructure files
    platform/...                                  some extra files outside every ownership scope
    ignored/...                                   listed in .gitignore: must not be seen at all
    .gitignore

Ownership files mix Sysbee customers (one of the four offerings) and cegedim.cloud customers
(plan self-service or on-request, sometimes products). Each declares most of its duties with teams
from a `teams:` registry; about 5% carry one realistic mistake (a claimed provider duty, a typo'd
activity id, an unknown team), and a few carry a valid waiver. A few per-service scripts and
playbooks contain evidence of a provider duty (an apt dist-upgrade, a pg_dump, a ufw rule), and
many contain near misses the evidence rules must not match (apt-get update alone, RUN lines in
Dockerfiles, docs).

Everything is derived from --seed: the same arguments always give byte-identical files (the `.git`
folder made by `git init` aside). Each service draws from its own random stream, so service 42 is
the same whatever --ownership or --files says; only the choice of which services carry a mistake
depends on --ownership. Standard library only.

The activity tables below mirror rules/sysbee.yaml and rules/cegedim-cloud.yaml (DESIGN.md section
2, "Built-in activity ids": stable ids that users write). They are copied rather than parsed so that
benchmark input stays the same across commits that touch the packs' comments or layout.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

MARKER = ".raci-bench-repo"  # written at the root; --force only deletes folders carrying it

# --------------------------------------------------------------------------------------------
# Rule pack facts (DESIGN.md section 2).
# --------------------------------------------------------------------------------------------

SYSBEE_OFFERINGS = ["managed-infrastructure", "managed-aws", "managed-magento", "managed-gitlab"]

# Customer holds R and A: duties.
SYSBEE_CUSTOMER = [
    "web-application-security",
    "web-application-data-encryption",
    "web-application-access-management",
    "local-backup",
    "security-awareness-training",
    "web-application-development",
    "web-application-patching",
    "local-maintenance",
    "web-application-debugging",
    "local-network-troubleshooting",
    "local-hardware-troubleshooting",
    "web-application-malware-removal",
    "database-schema-and-query-optimization",
    "third-party-troubleshooting",
    "seo-issues",
]

# Sysbee holds R and A; the customer has no role: declaring R or A is claims-provider-duty.
SYSBEE_PROVIDER = [
    "os-network-firewall-configuration",
    "network-traffic-security",
    "server-side-encryption",
    "server-side-access-management",
    "server-side-backup",
    "server-setup",
    "server-os-patching",
    "server-hardware-maintenance",
    "capacity-planning",
    "server-performance-monitoring",
    "server-performance-debugging",
    "server-network-troubleshooting",
    "web-application-backup-restore",
]

SS, OR = "self-service", "on-request"

# (id, plans or None for every plan, customer roles). The product is the id's prefix.
CEGEDIM_ACTIVITIES = [
    ("lifecycle", [SS], "AR"),
    ("usage", None, "AR"),
    ("modify-configurations", [OR], "I"),
    ("standard-monitoring", None, "I"),
    ("performance-metrics", None, "I"),
    ("backup-and-restoration", None, "AI"),
    ("disaster-recovery", None, "AI"),
    ("security-patches", None, "AI"),
    ("version-upgrades", None, "AIR"),
    ("kubernetes/add-node", [SS], "AR"),
    ("kubernetes/resize-nodes", [SS], "AR"),
    ("kubernetes/remove-node", [SS], "AR"),
    ("kubernetes/enable-ha", [SS], "AR"),
    ("mariadb/add-read-replica", [OR], "I"),
    ("opensearch/index-management", None, "AR"),
    ("postgresql/restore-to-destination", [SS], "AR"),
    ("postgresql/convert-to-ha", [SS], "AR"),
    ("kafka/manage-objects", None, "AR"),
    ("rabbitmq/manage-objects", None, "AR"),
    ("load-balancer/bot-defense", [SS], "AR"),
    ("load-balancer/whitelisted-ip", [SS], "AR"),
    ("load-balancer/blocked-requests-access", [SS], "AR"),
    ("load-balancer/blocked-request-details", [OR], "I"),
    ("data-masking/champion-and-objectives", None, "AR"),
    ("data-masking/masking-context", None, "AR"),
    ("data-masking/sensitive-data-specification", None, "AR"),
    ("data-masking/integrity-constraints", None, "AR"),
    ("data-masking/discover-and-tag", None, "IC"),
    ("data-masking/rules-and-policy", None, "IC"),
    ("data-masking/custom-rules-and-dictionaries", None, "IC"),
    ("data-masking/plan-execution", None, "IC"),
    ("data-masking/results-verification", None, "AR"),
    ("cluster-storage/manage-volumes", [SS], "AR"),
    ("object-storage/create-object-store", [SS], "AR"),
    ("object-storage/manage-quota", [SS], "AR"),
    ("object-storage/delete-object-store", [SS], "AR"),
    ("object-storage/create-object-user", [SS], "AR"),
    ("object-storage/manage-object-users", [SS], "AR"),
    ("object-storage/delete-object-users", [SS], "AR"),
    ("object-storage/create-bucket", [SS], "AR"),
    ("object-storage/delete-bucket", [SS], "AR"),
    ("object-storage/manage-bucket-policy", [SS], "AR"),
    ("object-storage/manage-lifecycle-configuration", [SS], "AR"),
    ("object-storage/manage-object-lock", [SS], "AR"),
    ("object-storage/availability-and-monitoring", None, "I"),
    ("object-storage/multi-region-replication", None, "I"),
    ("object-storage/security-patches", None, "I"),
    ("object-storage/version-upgrades", None, "I"),
]
CEGEDIM_ROLES = {a: roles for a, _, roles in CEGEDIM_ACTIVITIES}
# product -> generic activities its rows override (only object-storage has any).
CEGEDIM_OVERRIDES = {"object-storage": {"security-patches", "version-upgrades"}}
# Products a customer may declare on each plan (a product whose every row is on the other plan
# would be declared for nothing; mariadb's only row is on-request).
CEGEDIM_PRODUCTS = {
    SS: ["kubernetes", "postgresql", "opensearch", "kafka", "rabbitmq", "load-balancer",
         "cluster-storage", "object-storage", "data-masking"],
    OR: ["mariadb", "postgresql", "opensearch", "kafka", "rabbitmq", "load-balancer",
         "data-masking", "object-storage"],
}

ALL_IDS = set(SYSBEE_CUSTOMER) | set(SYSBEE_PROVIDER) | set(CEGEDIM_ROLES)


def cegedim_applicable(plan: str, products: list[str]) -> list[str]:
    """Activities that apply to a file (DESIGN.md section 3, first bullet)."""
    out = []
    for aid, plans, _ in CEGEDIM_ACTIVITIES:
        if plans is not None and plan not in plans:
            continue
        product = aid.split("/")[0] if "/" in aid else None
        if product is not None and product not in products:
            continue
        if product is None and products and all(
            aid in CEGEDIM_OVERRIDES.get(p, ()) for p in products
        ):
            continue  # every declared product overrides this generic row
        out.append(aid)
    return out


# --------------------------------------------------------------------------------------------
# Names.
# --------------------------------------------------------------------------------------------

DOMAINS = ["billing", "catalog", "checkout", "identity", "search", "shipping", "analytics",
           "marketing", "support", "inventory", "payments", "notifications"]
NOUNS = ["api", "worker", "gateway", "web", "scheduler", "indexer", "importer", "exporter",
         "portal", "sync", "cache", "reports", "admin", "webhooks", "ledger", "feed"]
TEAMS = ["platform", "webteam", "ops", "sre", "data", "dba", "security", "backend", "frontend",
         "payments-dev", "search-team", "mobile", "infra", "qa", "analytics-eng", "devex"]
EMAIL_DOMAINS = ["example.com", "example.org", "corp.example.net"]
PACKAGES = ["nginx", "curl", "jq", "unzip", "python3-venv", "libpq5", "redis-tools",
            "logrotate", "rsync", "ca-certificates", "openjdk-17-jre-headless", "php8.2-fpm"]


def typo(rng: random.Random, word: str, taken: set[str]) -> str:
    """A plausible slip of the keyboard that is not itself a known id."""
    prefix, _, name = word.rpartition("/")
    prefix = prefix + "/" if prefix else ""
    if len(name) < 4:  # "qa", "ops": only doubling a letter reads as a slip
        cand = prefix + name + name[-1]
        return cand if cand not in taken else prefix + name[0] + name
    for _ in range(50):
        i = rng.randrange(1, len(name) - 1)
        kind = rng.choice(["drop", "swap", "double", "vowel"])
        if kind == "drop":
            cand = name[:i] + name[i + 1:]
        elif kind == "swap":
            cand = name[:i] + name[i + 1] + name[i] + name[i + 2:]
        elif kind == "double":
            cand = name[:i] + name[i] + name[i:]
        else:
            vowels = [j for j, c in enumerate(name) if c in "aeiou"]
            j = rng.choice(vowels)
            cand = name[:j] + rng.choice([v for v in "aeiou" if v != name[j]]) + name[j + 1:]
        cand = prefix + cand
        if cand != word and cand not in taken and "--" not in cand and not cand.endswith("-"):
            return cand
    return word + "s"


# --------------------------------------------------------------------------------------------
# Ownership files.
# --------------------------------------------------------------------------------------------

def team_list(teams: list[str]) -> str:
    return teams[0] if len(teams) == 1 else "[" + ", ".join(teams) + "]"


def declaration(rng: random.Random, roles: str, teams: list[str], owner: str) -> str | dict:
    """A declaration that gives the customer share to teams: shorthand or explicit roles."""
    other = rng.choice(teams)
    if roles == "AR":
        if rng.random() < 0.8:
            return owner
        resp = [owner] if other == owner else [owner, other]
        return {"accountable": owner, "responsible": team_list(resp)}
    if roles == "AI":
        if rng.random() < 0.75:
            return owner
        inf = [owner] if other == owner else [owner, other]
        return {"accountable": owner, "informed": team_list(inf)}
    if roles == "AIR":
        if rng.random() < 0.6:
            return owner
        resp = [owner] if other == owner else [other, owner]
        return {"accountable": owner, "responsible": team_list(resp), "informed": other}
    raise ValueError(roles)


def render_value(value: str | dict, rng: random.Random) -> list[str]:
    """Lines after `  key:`; the first element completes the key's line."""
    if isinstance(value, str):
        return [" " + value]
    if rng.random() < 0.5:  # flow mapping on one line
        return [" { " + ", ".join(f"{k}: {v}" for k, v in value.items()) + " }"]
    return [""] + [f"    {k}: {v}" for k, v in value.items()]


ACTIVITY_NOTES = {
    "local-backup": "nightly dumps to the office NAS",
    "web-application-patching": "composer/npm updates go through the weekly release train",
    "usage": "see runbook in README.md",
    "backup-and-restoration": "backup policy: 30 days, set in ITCare",
    "version-upgrades": "upgrades requested through ITCare after staging sign-off",
    "seo-issues": "marketing owns content, webteam owns rendering",
    "security-awareness-training": "yearly phishing training, tracked by HR",
}


def make_ownership(idx: int, seed: int, mistake: str | None) -> tuple[str, str, str, dict]:
    """Return (relative folder, file name, text, facts) for service number idx."""
    rng = random.Random(f"{seed}:svc:{idx}")
    domain = rng.choice(DOMAINS)
    name = f"{domain}-{rng.choice(NOUNS)}"
    folder = f"services/{domain}/svc-{idx:04d}"
    r = rng.random()
    fname = "raci.yaml" if r < 0.9 else ("raci.yml" if r < 0.95 else f"{name}.raci.yaml")

    sysbee = rng.random() < 0.55
    nteams = rng.randint(2, 5)
    teams = rng.sample(TEAMS, nteams)
    # A mistake of the unknown-team kind needs a registry to be unknown in.
    has_registry = rng.random() < 0.88 or mistake == "unknown-team"
    coverage = 1.0 if rng.random() < 0.55 else rng.uniform(0.7, 0.97)  # "most duties"

    lines = [f"# Ownership of {name} (svc-{idx:04d}): who holds which duty on our provider.",
             f"# Reviewed by {teams[0]} — questions to #{domain}-oncall."]
    facts = {"provider": "sysbee" if sysbee else "cegedim-cloud", "mistake": mistake,
             "waiver": False}
    lines.append(f"service: {name}")
    resp: dict[str, str | dict] = {}
    comments: dict[str, str] = {}
    waivers: list[list[str]] = []

    if sysbee:
        lines.append("provider: sysbee")
        if rng.random() < 0.9:
            lines.append(f"offering: {rng.choice(SYSBEE_OFFERINGS)}")
        duties = SYSBEE_CUSTOMER
        roles_of = {a: "AR" for a in duties}
    else:
        plan = SS if rng.random() < 0.6 else OR
        lines.append("provider: cegedim-cloud")
        lines.append(f"plan: {plan}")
        products: list[str] = []
        if rng.random() < 0.65:
            products = sorted(rng.sample(CEGEDIM_PRODUCTS[plan], rng.randint(1, 3)))
            if rng.random() < 0.5:
                lines.append("products: [" + ", ".join(products) + "]")
            else:
                lines.append("products:")
                lines += [f"  - {p}" for p in products]
        facts["plan"], facts["products"] = plan, products
        applicable = cegedim_applicable(plan, products)
        duties = [a for a in applicable if set(CEGEDIM_ROLES[a]) & set("AR")]
        roles_of = {a: CEGEDIM_ROLES[a] for a in applicable}

    if rng.random() < 0.1:
        lines.append('scope: ["ansible/**", "scripts/**", "terraform/**"]')

    if has_registry:
        lines.append("teams:")
        for t in teams:
            if rng.random() < 0.7:
                lines.append(f'  {t}: {{ contact: "{t}@{rng.choice(EMAIL_DOMAINS)}" }}')
            else:
                lines.append(f"  {t}: {{}}")

    # Most duties get a team; a file with coverage < 1 leaves a few unowned (warnings).
    for aid in duties:
        if coverage < 1.0 and rng.random() > coverage:
            continue
        resp[aid] = declaration(rng, roles_of[aid], teams, rng.choice(teams))
        if aid in ACTIVITY_NOTES and rng.random() < 0.3:
            comments[aid] = ACTIVITY_NOTES[aid]
    if not sysbee:
        # Sometimes teams ask to be kept informed of what the provider does: valid (C and I may
        # always be declared).
        for aid in roles_of:
            if aid not in duties and rng.random() < 0.15:
                t = rng.choice(teams)
                if "C" in CEGEDIM_ROLES[aid] and rng.random() < 0.5:
                    resp[aid] = {"consulted": t, "informed": rng.choice(teams)}
                else:
                    resp[aid] = {"informed": t}

    # A valid waiver: the team knowingly holds a duty the provider has (contract amendment).
    if mistake is None and rng.random() < 0.02:
        if sysbee:
            aid, team = "server-setup", rng.choice(teams)
            resp[aid] = team
        else:
            aid = next((a for a in ("standard-monitoring", "performance-metrics") if a in roles_of),
                       None)
            team = rng.choice(teams)
            if aid:
                resp[aid] = {"responsible": team}
        if aid:
            facts["waiver"] = True
            waivers.append([
                "  - code: claims-provider-duty",
                f"    activity: {aid}",
                f'    reason: "contract amendment {2024 + rng.randint(0, 2)}-0{rng.randint(1, 9)}:'
                f' {team} runs this for the legacy hosts"',
                f"    expires: 2099-{rng.randint(1, 12):02d}-28",
            ])

    if mistake == "claims-provider-duty":
        team = rng.choice(teams)
        if sysbee:
            aid = rng.choice(SYSBEE_PROVIDER)
            resp[aid] = "ops" if "ops" in teams else team  # `server-os-patching: ops`
        else:
            choices = [a for a in roles_of if a not in duties]
            if "security-patches" in roles_of and rng.random() < 0.5:
                aid = "security-patches"
                resp[aid] = {"responsible": team}  # the customer share is A and I
            else:
                aid = rng.choice(choices)
                resp[aid] = team  # shorthand on an I-only row
        facts["mistake_activity"] = aid
    elif mistake == "unknown-activity":
        declared = [a for a in resp if a in duties]
        aid = rng.choice(declared or duties)
        bad = typo(rng, aid, ALL_IDS | set(resp))
        if aid in resp:  # the team meant this duty but misspelt it
            resp = {(bad if k == aid else k): v for k, v in resp.items()}
        else:
            resp[bad] = rng.choice(teams)
        comments.pop(aid, None)
        facts["mistake_activity"] = bad
    elif mistake == "unknown-team":
        declared = [a for a in resp if a in duties and isinstance(resp[a], str)] or list(resp)
        aid = rng.choice(declared)
        known = resp[aid] if isinstance(resp[aid], str) else teams[0]
        ghost = rng.choice([typo(rng, known, set(teams)),
                            rng.choice([t for t in TEAMS if t not in teams])])
        resp[aid] = ghost
        facts["mistake_activity"] = aid

    lines.append("responsibilities:")
    for aid, value in resp.items():
        rendered = render_value(value, rng)
        head = f"  {aid}:{rendered[0]}"
        if aid in comments:
            head += f"  # {comments[aid]}"
        lines.append(head)
        lines += rendered[1:]
    if waivers:
        lines.append("waivers:")
        for w in waivers:
            lines += w
    return folder, fname, "\n".join(lines) + "\n", facts | {"name": name, "domain": domain}


# --------------------------------------------------------------------------------------------
# Non-ownership files.
# --------------------------------------------------------------------------------------------

def readme(name: str, domain: str, provider: str, rng: random.Random) -> str:
    port = rng.randint(8000, 8999)
    return f"""# {name}

Part of the **{domain}** domain. Hosted on {provider}.

## Deploy

```sh
ansible-playbook -i inventory/production ansible/deploy.yml --limit {name}
./scripts/deploy.sh production
```

Before a release, run `apt-get update && apt-get upgrade` on your laptop, not on the servers:
the provider patches the hosts.

## Runbook

- Health check: `curl -fsS http://localhost:{port}/healthz`
- Logs: `journalctl -u {name} --since "1 hour ago"`
- Firewall state: `sudo ufw status verbose` (read only; rules are the provider's)

Ownership: see `raci.yaml` in this folder.
"""


def playbook(name: str, provider: str, rng: random.Random, hit: bool) -> str:
    pkgs = rng.sample(PACKAGES, rng.randint(2, 5))
    port = rng.randint(8000, 8999)
    hit_task = ""
    if hit and provider == "sysbee":
        hit_task = """
    - name: Upgrade all packages
      ansible.builtin.apt:
        upgrade: dist
        update_cache: true
"""
    return f"""---
# Deploy {name}.
- name: Deploy {name}
  hosts: {name}
  become: true
  vars:
    app_user: {name.replace('-', '_')}
    app_port: {port}
    app_version: "{rng.randint(1, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 99)}"
  tasks:
    - name: APT upgrade (cache refresh only; the provider patches the OS)
      ansible.builtin.apt:
        update_cache: true
        cache_valid_time: 3600
{hit_task}
    - name: Install runtime packages
      ansible.builtin.apt:
        name: [{", ".join(pkgs)}]
        state: present

    - name: Create application user
      ansible.builtin.user:
        name: "{{{{ app_user }}}}"
        system: true
        shell: /usr/sbin/nologin

    - name: Unpack release
      ansible.builtin.unarchive:
        src: "https://artifacts.example.com/{name}/{name}-{{{{ app_version }}}}.tar.gz"
        dest: /opt/{name}
        remote_src: true
        owner: "{{{{ app_user }}}}"

    - name: Render configuration
      ansible.builtin.template:
        src: config.yaml.j2
        dest: /etc/{name}/config.yaml
        mode: "0640"
      notify: Restart {name}

    - name: Ensure {name} is running
      ansible.builtin.systemd:
        name: {name}
        state: started
        enabled: true

  handlers:
    - name: Restart {name}
      ansible.builtin.systemd:
        name: {name}
        state: restarted
"""


def deploy_script(name: str, provider: str, rng: random.Random, hit: bool) -> str:
    extra = ""
    if hit and provider == "sysbee":
        extra = "\n# Open the app port (someone did this by hand once; now scripted)\nsudo ufw allow {port}/tcp\n"
    elif hit:
        extra = ('\n# Safety copy before migrations\npg_dump --format=custom --file="/var/backups/'
                 + name + '-$(date +%F).dump" "$DATABASE_URL"\n')
    port = rng.randint(8000, 8999)
    return f"""#!/usr/bin/env bash
# Deploy {name} to an environment: ./scripts/deploy.sh staging|production
set -euo pipefail

ENV="${{1:?usage: $0 staging|production}}"
VERSION="$(git describe --tags --always)"
HOSTS="inventory/$ENV"

echo "Deploying {name} $VERSION to $ENV"
sudo apt-get update -qq
pip install --upgrade --quiet pip ansible-core
{extra.format(port=port)}
ansible-playbook -i "$HOSTS" ansible/deploy.yml --limit {name} -e "app_version=$VERSION"
curl -fsS --retry 5 "https://{name}.$ENV.example.com:{port}/healthz" >/dev/null
echo "done"
"""


# Extra infrastructure files (--files N).

CONF_NAMES = ["app.conf", "logging.yaml", "limits.conf", "env", "cron", "nginx-site.conf",
              "settings.ini", "workers.yaml", "sysctl.conf", "healthcheck.json"]


def extra_ansible(rng: random.Random, hit: bool, label: str) -> str:
    out = ["---", f"# tasks: {label}"]
    ntasks = rng.randint(4, 18)
    hit_at = rng.randrange(ntasks) if hit else -1
    for i in range(ntasks):
        if i == hit_at:
            out += ["- name: Patch every package", "  ansible.builtin.yum:",
                    '    name: "*"', "    state: latest", ""]
            continue
        kind = rng.randrange(7)
        pkg = rng.choice(PACKAGES)
        conf = rng.choice(CONF_NAMES)
        if kind == 0:
            out += [f"- name: Install {pkg}", "  ansible.builtin.package:",
                    f"    name: {pkg}", "    state: present"]
        elif kind == 1:
            out += [f"- name: Pin {pkg} to the tested release", "  ansible.builtin.apt:",
                    f"    name: {pkg}={rng.randint(1, 4)}.{rng.randint(0, 20)}*",
                    "    state: present", "    update_cache: true"]
        elif kind == 2:
            d = rng.choice(["/etc", "/opt", "/var/lib", "/var/log", "/srv"]) + f"/{label}"
            out += [f"- name: Create {d}", "  ansible.builtin.file:", f"    path: {d}",
                    "    state: directory", f'    mode: "0{rng.choice([750, 755, 700])}"',
                    f"    owner: {label.replace('-', '_')}"]
        elif kind == 3:
            out += [f"- name: Render {conf}", "  ansible.builtin.template:",
                    f"    src: {conf}.j2", f"    dest: /etc/{label}/{conf}",
                    f'    mode: "0{rng.choice([644, 640, 600])}"', f"  notify: Reload {label}"]
        elif kind == 4:
            out += ["- name: Check firewall status (read only)", "  ansible.builtin.command:",
                    "    cmd: ufw status", "  register: ufw_state", "  changed_when: false"]
        elif kind == 5:
            out += [f"- name: Keep the {label} checkout current", "  ansible.builtin.git:",
                    f"    repo: https://git.example.com/{label}.git", f"    dest: /opt/{label}",
                    f"    version: {rng.choice(['main', 'stable', 'v' + str(rng.randint(1, 9))])}",
                    "  # state: latest is for packages, not for checkouts"]
        else:
            minute, hour = rng.randint(0, 59), rng.randint(0, 23)
            out += [f"- name: Schedule {label} housekeeping", "  ansible.builtin.cron:",
                    f"    name: {label}-housekeeping", f'    minute: "{minute}"',
                    f'    hour: "{hour}"',
                    f'    job: "/opt/{label}/bin/housekeeping --older-than {rng.randint(2, 90)}d"']
        out.append("")
    return "\n".join(out)


def extra_shell(rng: random.Random, hit: bool, label: str) -> str:
    out = ["#!/usr/bin/env bash", f"# {label}: maintenance helper", "set -euo pipefail", "",
           f'log() {{ printf "%s {label}: %s\\n" "$(date -Is)" "$*" >&2; }}', ""]
    n = rng.randint(5, 25)
    hit_at = rng.randrange(n) if hit else -1
    for i in range(n):
        if i == hit_at:
            out.append(rng.choice(["sudo apt-get -y dist-upgrade",
                                   "pg_dumpall --clean > /var/backups/cluster.sql",
                                   "sudo iptables -A INPUT -p tcp --dport 9100 -j ACCEPT"]))
            continue
        host = f"{label}-{rng.randint(1, 12):02d}.internal"
        out.append(rng.choice([
            f'log "step {i + 1}: {rng.choice(["rotating caches", "syncing assets", "warming up", "checking disk"])}"',
            f"find /var/cache/{label} -type f -mtime +{rng.randint(2, 30)} -delete",
            "sudo apt-get update",
            f"yum update -y {rng.choice(['aws-cfn-bootstrap', 'ca-certificates', 'tzdata'])}",
            "sudo iptables -L -n | grep -c ACCEPT || true",
            f"ssh deploy@{host} 'systemctl reload {label} || systemctl restart {label}'",
            "npm update --no-fund",
            f'curl -fsS "https://status.example.com/api/{label}?host={host}" | jq -r .state',
            "# apt-get upgrade  (disabled: the provider patches the OS)",
            f"rsync -a --delete ./dist/ deploy@{host}:/opt/{label}/",
            f'df -h /srv/{label} | awk \'NR==2 && $5+0 > {rng.randint(70, 95)} {{ exit 1 }}\'',
            f'test -s "/etc/{label}/{rng.choice(CONF_NAMES)}" || log "missing config on $(hostname)"',
        ]))
    return "\n".join(out) + "\n"


def extra_terraform(rng: random.Random, hit: bool, label: str) -> str:
    out = [f"# {label}", 'terraform {', '  required_version = ">= 1.5"', "}", ""]
    for i in range(rng.randint(2, 8)):
        r = rng.randrange(3)
        if r == 0:
            out += [f'resource "aws_s3_bucket" "{label.replace("-", "_")}_{i}" {{',
                    f'  bucket = "{label}-{i}-{rng.randint(1000, 9999)}"',
                    "  tags = {", f'    Team = "{rng.choice(TEAMS)}"', "  }", "}", ""]
        elif r == 1:
            out += [f'variable "{label.replace("-", "_")}_{i}_size" {{', '  type    = number',
                    f"  default = {rng.choice([1, 2, 3, 5, 8])}", "}", ""]
        else:
            out += [f'resource "aws_instance" "{label.replace("-", "_")}_{i}" {{',
                    '  ami           = var.ami_id',
                    f'  instance_type = "{rng.choice(["t3.small", "t3.medium", "m6i.large"])}"',
                    "  user_data     = <<-EOT", "    #!/bin/bash",
                    "    apt-get update", f"    apt-get install -y {rng.choice(PACKAGES)}",
                    "  EOT", "}", ""]
    return "\n".join(out)


def extra_dockerfile(rng: random.Random, hit: bool, label: str) -> str:
    # Container builds are out of evidence scope: their upgrades are near misses.
    return f"""FROM debian:bookworm-slim
LABEL org.opencontainers.image.title="{label}"
RUN apt-get update && apt-get -y upgrade && apt-get install -y --no-install-recommends \\
      {" ".join(rng.sample(PACKAGES, 3))} \\
    && rm -rf /var/lib/apt/lists/*
COPY dist/ /opt/{label}/
USER 10001
EXPOSE {rng.randint(8000, 8999)}
ENTRYPOINT ["/opt/{label}/bin/{label}"]
"""


def extra_markdown(rng: random.Random, hit: bool, label: str) -> str:
    paras = [
        f"# {label.replace('-', ' ').title()}",
        "",
        f"Owner: {rng.choice(TEAMS)}. Last reviewed {2024 + rng.randint(0, 2)}-"
        f"{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}.",
        "",
        "## Patching",
        "",
        "The provider patches the servers. Never run `yum update` or `apt-get dist-upgrade`",
        "on a production host yourself; open a ticket instead.",
        "",
        "## Backups",
        "",
        "Backups are taken by the provider. For a local copy use `pg_dump` against the",
        "read replica only.",
        "",
    ]
    steps = ["Check the dashboard before and after.",
             "Announce the change in the on-call channel.",
             "Roll back with the previous release tag if health checks fail.",
             "Confirm with the owning team that the window is free.",
             f"Drain traffic from `{label}` in the load balancer pool.",
             "Run the smoke tests from the release checklist.",
             f"Watch the error rate on the {label} dashboard for fifteen minutes.",
             "Close the change ticket with a link to the deploy log."]
    for i, step in enumerate(rng.sample(steps, rng.randint(1, len(steps)))):
        paras += [f"## Step {i + 1}", "", step, ""]
    return "\n".join(paras)


EXTRA_KINDS = [  # (weight, subfolder, file name pattern, generator, executable)
    (35, "ansible/roles/{label}/tasks", "{label}-{i}.yml", extra_ansible, False),
    (20, "scripts", "{label}-{i}.sh", extra_shell, True),
    (20, "terraform", "{label}-{i}.tf", extra_terraform, False),
    (10, "docker/{label}-{i}", "Dockerfile", extra_dockerfile, False),
    (15, "docs", "{label}-{i}.md", extra_markdown, False),
]


# --------------------------------------------------------------------------------------------
# Writing.
# --------------------------------------------------------------------------------------------

class Writer:
    def __init__(self, root: Path):
        self.root = root
        self.files = 0
        self.bytes = 0

    def write(self, rel: str, text: str, executable: bool = False) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        if executable:
            path.chmod(0o755)
        self.files += 1
        self.bytes += len(text.encode("utf-8"))


def prepare(out: Path, force: bool) -> None:
    if out.exists() and any(out.iterdir()):
        if not force:
            sys.exit(f"gen_repo.py: {out} exists and is not empty (use --force to replace it)")
        if not (out / MARKER).exists():
            sys.exit(f"gen_repo.py: refusing to delete {out}: it was not made by gen_repo.py"
                     f" (no {MARKER} file)")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir", type=Path, help="folder to create (must be empty or absent)")
    ap.add_argument("--ownership", type=int, default=1000, help="ownership files (default 1000)")
    ap.add_argument("--files", type=int, default=0,
                    help="extra plain infrastructure files for evidence benchmarks (default 0)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--mistakes", type=float, default=0.05,
                    help="fraction of ownership files with one mistake (default 0.05)")
    ap.add_argument("--no-git", action="store_true",
                    help="do not run `git init` (by default the repository is a git work tree, "
                         "as in CI, so that .gitignore applies with ripgrep's rules)")
    ap.add_argument("--force", action="store_true",
                    help="replace OUT_DIR if an earlier gen_repo.py run made it")
    args = ap.parse_args()
    if args.ownership < 1 or args.files < 0 or not 0 <= args.mistakes <= 1:
        ap.error("--ownership must be >= 1, --files >= 0, --mistakes within 0..1")

    started = time.perf_counter()
    prepare(args.out_dir, args.force)
    w = Writer(args.out_dir)
    w.write(MARKER, f"generated by bench/gen_repo.py --ownership {args.ownership} "
                    f"--files {args.files} --seed {args.seed}\n")

    # Which services carry a mistake: an exact count, the three kinds in turn.
    picker = random.Random(f"{args.seed}:mistakes")
    n_mistakes = round(args.ownership * args.mistakes)
    kinds = ["claims-provider-duty", "unknown-activity", "unknown-team"]
    mistakes = {i: kinds[k % 3] for k, i in
                enumerate(sorted(picker.sample(range(args.ownership), n_mistakes)))}

    folders: list[str] = []
    counts = {"sysbee": 0, "cegedim-cloud": 0, "waivers": 0, "evidence": 0}
    for idx in range(args.ownership):
        folder, fname, text, facts = make_ownership(idx, args.seed, mistakes.get(idx))
        w.write(f"{folder}/{fname}", text)
        folders.append(folder)
        counts[facts["provider"]] += 1
        counts["waivers"] += facts["waiver"]
        # Non-ownership files of the service; a few perform a provider duty (evidence).
        rng = random.Random(f"{args.seed}:svcfiles:{idx}")
        hit = rng.random() < 0.03
        counts["evidence"] += hit
        name, provider = facts["name"], facts["provider"]
        w.write(f"{folder}/README.md", readme(name, facts["domain"], provider, rng))
        w.write(f"{folder}/ansible/deploy.yml", playbook(name, provider, rng, hit))
        w.write(f"{folder}/scripts/deploy.sh", deploy_script(name, provider, rng, hit),
                executable=True)

    # Extra infrastructure files: 90% inside a service (in an ownership file's scope), 10% in
    # platform/, which no ownership file covers, so evidence search must leave them alone.
    rng = random.Random(f"{args.seed}:extra")
    weights = [k[0] for k in EXTRA_KINDS]
    extra_hits = out_of_scope = 0
    for i in range(args.files):
        _, sub, pattern, gen, executable = rng.choices(EXTRA_KINDS, weights)[0]
        label = f"{rng.choice(DOMAINS)}-{rng.choice(NOUNS)}"
        if rng.random() < 0.9:
            base = rng.choice(folders)
        else:
            base = f"platform/{rng.choice(DOMAINS)}"
            out_of_scope += 1
        hit = rng.random() < 0.02
        extra_hits += hit and gen in (extra_ansible, extra_shell)
        rel = f"{base}/{sub.format(label=label, i=i)}/{pattern.format(label=label, i=i)}"
        w.write(rel, gen(rng, hit, label), executable)

    # Ignored by .gitignore: an ownership file that would be an error if it were read, a
    # patching script that would be evidence, and a vendored copy of a service.
    w.write(".gitignore", "# build outputs and vendored copies\nignored/\n*.log\n")
    w.write("ignored/raci.yaml", "provider: no-such-provider\nresponsibilities:\n  x: y\n")
    w.write("ignored/patch-all.sh", "#!/bin/sh\napt-get -y dist-upgrade\n", executable=True)
    w.write("ignored/vendor/svc-copy/raci.yaml",
            "provider: sysbee\nresponsibilities:\n  server-os-patching: ops\n")
    w.write("ignored/vendor/svc-copy/deploy.yml",
            "- hosts: all\n  tasks:\n    - ansible.builtin.apt:\n        upgrade: dist\n")
    w.write("deploy.log", "2025-01-01 apt-get dist-upgrade\n")
    ignored_files = 5

    git = "no"
    if not args.no_git:
        if shutil.which("git"):
            res = subprocess.run(["git", "init", "-q", str(args.out_dir)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            git = "yes" if res.returncode == 0 else "failed: " + res.stderr.strip()
        else:
            git = "no (git not found)"

    elapsed = time.perf_counter() - started
    print(f"gen_repo.py: wrote {args.ownership} ownership files ({counts['sysbee']} sysbee, "
          f"{counts['cegedim-cloud']} cegedim-cloud; {n_mistakes} with a mistake, "
          f"{counts['waivers']} with a waiver), {3 * args.ownership} service files "
          f"({counts['evidence']} with evidence), {args.files} extra files ({out_of_scope} out of "
          f"scope, {extra_hits} with evidence), {ignored_files} ignored; {w.files} files, "
          f"{w.bytes / 1e6:.1f} MB in {args.out_dir} (seed {args.seed}, git {git}) "
          f"in {elapsed:.2f}s")


if __name__ == "__main__":
    main()
