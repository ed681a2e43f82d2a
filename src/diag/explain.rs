//! The long explanation of every code: what it means, an example, and how to fix it. SARIF
//! rules carry it as help text, and `raci-lint explain CODE` will print it; a test asserts that
//! every code has one.

use super::Code;

/// What a code means, an example of a file that triggers it, and how to fix it.
pub struct Explanation {
    pub meaning: &'static str,
    pub example: &'static str,
    pub fix: &'static str,
}

pub fn explain(code: Code) -> Explanation {
    let (meaning, example, fix) = match code {
        Code::InvalidYaml => (
            "The file is not valid YAML for its schema: a syntax error, a value of the wrong type, an unknown or duplicate key, an empty file, several documents, a file too large or not UTF-8, or YAML that exceeds raci-lint's limits (nesting, aliases). The file is not checked further.",
            "provider: sysbee\nresponsibilites:   # misspelt key\n  seo-issues: webteam",
            "Fix the spot the diagnostic points at; for a misspelt key, use the key it suggests.",
        ),
        Code::UnknownProvider => (
            "The file's `provider` is not the id of any rule pack: neither a built-in one (`sysbee`, `cegedim-cloud`) nor one given with `--packs`. The file is not checked further.",
            "provider: sysbe",
            "Write a known provider id, or add the provider's rule pack with `--packs`.",
        ),
        Code::UnknownOffering => (
            "The file's `offering` is not one the provider lists.",
            "provider: sysbee\noffering: managed-azure",
            "Use one of the provider's offerings (Sysbee: managed-infrastructure, managed-aws, managed-magento, managed-gitlab), or remove `offering`.",
        ),
        Code::MissingPlan => (
            "The provider has plans whose matrices differ, and the file names none, so raci-lint cannot tell which activities apply. The file is not checked further.",
            "provider: cegedim-cloud",
            "Add `plan:` with the plan you subscribe to (cegedim-cloud: self-service or on-request).",
        ),
        Code::UnknownPlan => (
            "The file's `plan` is not defined by the provider, or the provider has no plans at all. The file is not checked further.",
            "provider: cegedim-cloud\nplan: self-servce",
            "Use one of the provider's plans, or remove `plan` for a provider without plans.",
        ),
        Code::UnknownProduct => (
            "A product in `products` is not defined by the provider. The file is not checked further.",
            "provider: cegedim-cloud\nplan: self-service\nproducts: [kubernetess]",
            "Use the provider's product ids, as `raci-lint providers` and the rule pack list them.",
        ),
        Code::UnknownActivity => (
            "A key under `responsibilities` is not an activity id of the provider's rule pack.",
            "responsibilities:\n  server-os-patchng: ops",
            "Use the activity id the diagnostic suggests, or remove the line.",
        ),
        Code::ActivityNotInPlan => (
            "The activity exists, but the provider's matrix lists it for another plan than the file's, so it does not apply here.",
            "provider: cegedim-cloud\nplan: on-request\nresponsibilities:\n  lifecycle: platform   # self-service only",
            "Remove the declaration, or correct `plan` if you subscribe to another plan.",
        ),
        Code::ProductNotDeclared => (
            "The activity belongs to a product (its id is `product/name`) that the file does not declare in `products`.",
            "plan: self-service\nresponsibilities:\n  kubernetes/add-node: platform",
            "Add the product to `products`, or remove the declaration.",
        ),
        Code::ClaimsProviderDuty => (
            "The file gives one of its teams the Responsible or Accountable role for an activity where the provider's matrix gives the customer no such role: the customer claims the provider's duty. The shorthand `activity: team` claims the whole customer share, so it is valid only where that share includes R or A. Consulted and Informed may always be declared.",
            "provider: sysbee\nresponsibilities:\n  server-os-patching: ops   # Sysbee is R and A",
            "Remove the declaration or keep the team only `consulted` or `informed`. If your contract really differs from the published matrix, record a waiver with the reason.",
        ),
        Code::MultipleAccountable => (
            "More than one team is accountable for one activity; RACI has exactly one Accountable.",
            "backup-and-restoration:\n  accountable: [platform, data]",
            "Keep one team under `accountable`; the others can be `responsible` or `consulted`.",
        ),
        Code::UnknownTeam => (
            "The file has a `teams` registry and a declaration names a team that is not in it.",
            "teams:\n  platform: {}\nresponsibilities:\n  usage: platfrom",
            "Correct the team name, or add the team under `teams`.",
        ),
        Code::UnownedDuty => (
            "An activity that applies to the file (its plan, its products) gives the customer the Responsible or Accountable role, and no team of the file holds that role. Reported once per activity, at the `responsibilities` key.",
            "provider: sysbee\nresponsibilities:\n  web-application-security: webteam   # and nothing for local-backup, ...",
            "Declare the activity with the team that holds it (`local-backup: ops`), or the missing role in its explicit form.",
        ),
        Code::PerformsProviderDuty => (
            "A file inside the ownership file's scope matches an evidence rule of an activity the provider holds (the provider is Responsible, the customer share has no R): the repository does the provider's work.",
            "# roles/common/tasks/main.yml of a Sysbee customer\n- apt: upgrade=dist",
            "Leave the work to the provider and drop it. To keep it on purpose, add `raci-lint: allow(<activity>) <reason>` in a comment on the line or the line above, or a waiver in the ownership file.",
        ),
        Code::NoOwnershipFiles => (
            "No ownership file was found under the paths given, so there was nothing to check.",
            "raci-lint services/   # with no raci.yaml below it",
            "Create an ownership file (`raci.yaml`), check the path, or check what .gitignore leaves out.",
        ),
        Code::WaiverMissingReason => (
            "A waiver or an inline allow gives no reason. It waives nothing: the finding it was meant for is still reported.",
            "# raci-lint: allow(server-os-patching)",
            "Say why after it: `# raci-lint: allow(server-os-patching) golden image built in CI`.",
        ),
        Code::ExpiredWaiver => (
            "A waiver is past its `expires` date; the finding it waived is reported again.",
            "waivers:\n  - code: claims-provider-duty\n    activity: security-patches\n    reason: \"...\"\n    expires: 2025-01-31",
            "Fix the finding, or renew the waiver with a new date and a reason that still holds.",
        ),
        Code::UnusedWaiver => (
            "A waiver or an inline allow (with a reason) matches no finding: it is stale or misplaced.",
            "echo ok  # raci-lint: allow(server-os-patching) not needed here",
            "Remove it, or move it to the line of the finding (or the line above).",
        ),
        Code::UnusedBaselineEntry => (
            "An entry of the baseline (`--baseline`, or the config's `baseline`) matches no finding of this run: the finding was fixed, or its file moved. Only entries the run could have matched are reported: those under the PATHs checked, and evidence entries only when evidence is searched.",
            "{ \"version\": 1, \"findings\": [ { \"fingerprint\": \"9f2c61d0a4b7e813\", \"code\": \"unowned-duty\", \"path\": \"infra/raci.yaml\" } ] }",
            "Write the baseline again with `--write-baseline FILE` to drop the entries that no longer match.",
        ),
        Code::ActivityOverridden => (
            "A generic activity is declared, but every product the file declares replaces it with a product activity of its own, so the generic one does not apply.",
            "products: [object-storage]\nresponsibilities:\n  security-patches: platform",
            "Declare the product activity the help names instead (`object-storage/security-patches`).",
        ),
        Code::IoError => (
            "A file or PATH could not be read: missing, unreadable, a dangling link, a FIFO, or a folder named like an ownership file. The run goes on with the other files and exits 2.",
            "raci-lint does/not/exist",
            "Check the path and its permissions.",
        ),
        Code::InvalidAllow => (
            "A comment says `raci-lint: allow` but not in the form of an inline allow: the activity must follow in parentheses. It suppresses nothing.",
            "apt-get -y dist-upgrade  # raci-lint: allow server-os-patching lab VMs",
            "Write `raci-lint: allow(server-os-patching) lab VMs`.",
        ),
        Code::InvalidBaseline => (
            "The baseline file (`--baseline`, or the config's `baseline`) is not one this version reads: not JSON, a field it does not know, a bad fingerprint, or a format version that is missing or newer. The run goes on with nothing hidden and exits 2.",
            "{ \"version\": 2, \"findings\": [] }",
            "Write the baseline again with `--write-baseline FILE`, or use the raci-lint version that wrote it.",
        ),
        Code::OutsideRepository => (
            "A path in the config file (`packs`, `baseline`) leads outside the repository once links are resolved. A pull request controls the config file, so nothing outside the repository is read because of it: the path is left out, the rest of the run goes on, and it exits 2. Paths given on the command line may point anywhere.",
            "packs: [\"/proc/self/environ\"]",
            "Keep packs and baselines inside the repository, or name them on the command line (`--packs`, `--baseline`).",
        ),
        Code::TooManyFindings => (
            "The run reached `max-findings` (default 10,000): the first findings in output order are kept, the rest are counted, not kept. The summary counts and the exit status include them.",
            "max-findings: 10000",
            "Fix or waive the most frequent findings, or raise `max-findings` in the config file.",
        ),
        Code::LimitExceeded => (
            "An ownership file goes past a per-file limit (scope globs, waivers or teams; SECURITY.md has the numbers). What lies past the limit is not used.",
            "scope: [\"a/**\", \"b/**\", ...]   # more globs than the limit",
            "Split the file, or use fewer, broader globs.",
        ),
        Code::PackInvalidYaml => (
            "A rule pack is not valid YAML for the pack schema (syntax, unknown key, wrong type, or a role other than R, A, C, I). The pack is not used and the run exits 2.",
            "activities:\n  - id: x\n    provider: [X]",
            "Fix the spot the diagnostic points at.",
        ),
        Code::PackBadId => (
            "A provider, plan, product, offering or activity id is not kebab-case (product activities: `product/name`).",
            "provider:\n  id: Acme_Cloud",
            "Use lower-case letters, digits and single hyphens.",
        ),
        Code::PackDuplicateId => (
            "An activity, plan, product, offering or evidence rule id is defined twice in one pack.",
            "activities:\n  - id: backups\n  - id: backups",
            "Rename or merge the duplicates.",
        ),
        Code::PackDuplicateProvider => (
            "Two user packs define the same provider id.",
            "--packs a.yaml --packs b.yaml   # both `id: acme`",
            "Keep one pack per provider.",
        ),
        Code::PackUnknownReference => (
            "An activity names a plan or product the pack does not define, or `overrides` something that is not a generic activity of the pack.",
            "plans: [gold]   # the pack defines only `standard`",
            "Define what is referenced, or correct the reference.",
        ),
        Code::PackProductMismatch => (
            "A product activity (`product/name`) lacks `product`, names another product than its prefix, or a generic activity names a product.",
            "- id: db/backups\n  product: web",
            "Make `product` equal to the id's prefix.",
        ),
        Code::PackMultipleAccountable => (
            "Both the provider and the customer are Accountable for one activity; RACI has exactly one.",
            "provider: [A]\ncustomer: [A, R]",
            "Keep A on one party.",
        ),
        Code::PackNoAccountable => (
            "No party is Accountable for an activity. The built-in cegedim-cloud row `performance-metrics` is kept this way, as the source has it.",
            "provider: [R]\ncustomer: [I]",
            "Give one party A, if the source matrix does.",
        ),
        Code::PackNoResponsible => (
            "No party is Responsible for an activity.",
            "provider: [A]\ncustomer: [I]",
            "Give a party R, if the source matrix does.",
        ),
        Code::PackBadGlob => (
            "An evidence rule's glob does not compile.",
            "files: ['[bad']",
            "Fix the glob (globset syntax: `**/*.sh`, `roles/**`).",
        ),
        Code::PackBadRegex => (
            "An evidence pattern is empty (it would match every line) or does not compile within the size limits.",
            "pattern: '('",
            "Fix the pattern (Rust regex syntax, matched line by line).",
        ),
        Code::PackReplacesBuiltin => (
            "A user pack has the id of a built-in pack and replaces it for this run.",
            "--packs my-sysbee.yaml   # provider id: sysbee",
            "Nothing to fix if that is intended; rename the provider to keep both.",
        ),
    };
    Explanation {
        meaning,
        example,
        fix,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_explained() {
        for code in Code::ALL {
            let e = explain(*code);
            assert!(e.meaning.len() > 30, "{code}");
            assert!(!e.example.is_empty() && !e.fix.is_empty(), "{code}");
        }
    }
}
