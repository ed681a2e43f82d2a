//! The authoring and audit commands (DESIGN section 6): explain, providers, matrix in every
//! format (the HTML parsed and every row asserted), init (atomic, --force, placeholders flagged
//! by check until replaced), schema (every fixture, the built-in packs and init's output valid),
//! completions and manpage. Text snapshots are trycmd cases in tests/cmd/.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

use crate::common::repo;
use raci_lint::diag::Code;
use serde_json::Value;

fn raci(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_raci-lint"))
        .args(args)
        .current_dir(dir)
        .env("RACI_LINT_TODAY", "2026-06-01")
        .output()
        .expect("run raci-lint")
}

fn here(args: &[&str]) -> Output {
    raci(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("UTF-8 output")
}

/// Every activity of a built-in pack: (id, provider letters, customer letters), in pack order.
fn pack_rows(provider: &str) -> Vec<(String, String, String)> {
    let out = here(&["matrix", provider, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let letters = |v: &Value| {
        v.as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect::<Vec<_>>()
            .join(", ")
    };
    json["activities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["id"].as_str().unwrap().to_owned(),
                letters(&a["provider"]),
                letters(&a["customer"]),
            )
        })
        .collect()
}

#[test]
fn explain_has_an_explanation_for_every_code() {
    for code in Code::ALL {
        let out = here(&["explain", code.as_str()]);
        assert_eq!(out.status.code(), Some(0), "{code}");
        let text = stdout(&out);
        let first = format!(
            "{code} ({} by default): {}",
            code.default_severity().as_str(),
            code.summary()
        );
        assert!(text.starts_with(&first), "{text}");
        assert!(
            text.contains("\nExample:\n") && text.contains("\nFix:\n"),
            "{text}"
        );
    }
}

#[test]
fn explain_an_activity_by_id_or_provider_and_id() {
    let text = stdout(&here(&["explain", "backup-and-restoration"]));
    assert!(text.starts_with("cegedim-cloud/backup-and-restoration: Backup and Restoration\n"));
    assert!(
        text.contains("  customer:      A, I (Accountable and Informed)\n"),
        "{text}"
    );
    assert!(
        text.contains("Evidence rules (performs-provider-duty):"),
        "{text}"
    );
    let text = stdout(&here(&["explain", "sysbee/local-backup"]));
    assert!(text.contains("  Sysbee:    no role\n"), "{text}");
    assert!(text.contains("  duty:      yes"), "{text}");

    // An id in two providers lists both.
    let dir = repo(&[(
        "packs/internal.yaml",
        "provider: { id: internal, name: Internal platform }\nactivities:\n  - { id: local-backup, title: Local backup of laptops, category: ops, provider: [R, A], customer: [I] }\n",
    )]);
    let out = raci(dir.path(), &["explain", "local-backup", "--packs", "packs"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let text = stdout(&out);
    assert!(
        text.starts_with(
            "`local-backup` is an activity of 2 providers: internal/local-backup, sysbee/local-backup\n"
        ),
        "{text}"
    );
    assert!(text.contains("internal/local-backup: Local backup of laptops\n"));

    // An unknown provider/activity suggests the nearest activity of that provider.
    let out = here(&["explain", "sysbee/local-backpu"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `local-backup`?"));
}

#[test]
fn providers_lists_user_packs_too() {
    let dir = repo(&[(
        "packs/internal.yaml",
        "provider: { id: internal, name: Internal platform }\nplans: [{ id: gold, name: Gold }]\nactivities:\n  - { id: paging, title: Paging, category: ops, provider: [R, A], customer: [I] }\n",
    )]);
    let text = stdout(&raci(dir.path(), &["providers", "--packs", "packs"]));
    assert!(
        text.contains(
            "internal (Internal platform, packs/internal.yaml)\n  plans:      gold\n  products:   none\n  offerings:  none\n  activities: 1 (0 of them customer duties)\n"
        ),
        "{text}"
    );
    assert!(text.contains("sysbee (Sysbee, built in)"));
}

#[test]
fn matrix_table_fits_80_columns_and_shows_every_row() {
    for provider in ["sysbee", "cegedim-cloud"] {
        let text = stdout(&here(&["matrix", provider]));
        for line in text.lines() {
            assert!(line.chars().count() <= 80, "{provider}: {line:?}");
        }
        for (id, _, _) in pack_rows(provider) {
            // Ids up to 44 characters stay whole on one line.
            if id.len() <= 44 {
                assert!(
                    text.lines()
                        .any(|l| l.split_whitespace().next() == Some(id.as_str())),
                    "{provider}: {id}"
                );
            }
        }
    }
    assert_eq!(pack_rows("sysbee").len(), 28);
    assert_eq!(pack_rows("cegedim-cloud").len(), 48);
}

#[test]
fn matrix_plan_and_product_narrow_the_rows() {
    let ids = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["matrix", "cegedim-cloud", "--format", "json"];
        all.extend_from_slice(args);
        let json: Value = serde_json::from_slice(&here(&all).stdout).unwrap();
        json["activities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let on_request = ids(&["--plan", "on-request"]);
    assert!(on_request.contains(&"modify-configurations".to_owned()));
    assert!(!on_request.contains(&"lifecycle".to_owned()));
    let object_storage = ids(&["--plan", "self-service", "--product", "object-storage"]);
    assert!(object_storage.contains(&"object-storage/security-patches".to_owned()));
    // Overridden for the only product declared: the generic row does not apply.
    assert!(!object_storage.contains(&"security-patches".to_owned()));
    assert!(
        !object_storage
            .iter()
            .any(|id| id.starts_with("kubernetes/"))
    );
    let out = here(&["matrix", "infra/raci.yml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such file: infra/raci.yml"));
    let out = here(&["matrix", "cegedim-cloud", "--product", "kubernets"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `kubernetes`?"));
}

#[test]
fn matrix_csv_and_markdown_have_a_row_per_activity() {
    let rows = pack_rows("cegedim-cloud");
    let csv = stdout(&here(&["matrix", "cegedim-cloud", "--format", "csv"]));
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), rows.len());
    for (record, (id, provider, customer)) in records.iter().zip(&rows) {
        assert_eq!(&record[1], id);
        assert_eq!(record[5].replace(' ', ", "), *provider);
        assert_eq!(record[6].replace(' ', ", "), *customer);
    }
    let md = stdout(&here(&["matrix", "cegedim-cloud", "--format", "markdown"]));
    for (id, provider, customer) in &rows {
        let row = md
            .lines()
            .find(|l| l.starts_with(&format!("| `{id}` |")))
            .unwrap_or_else(|| panic!("{id}"));
        let shown = |s: &str| {
            if s.is_empty() {
                "-".to_owned()
            } else {
                s.to_owned()
            }
        };
        assert!(
            row.contains(&format!("| {} | {} |", shown(provider), shown(customer))),
            "{row}"
        );
    }
}

/// The HTML report, parsed strictly: each activity row's id and role cells.
fn html_rows(html: &str) -> Vec<(String, BTreeMap<String, String>, Vec<String>)> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(html);
    let mut rows = Vec::new();
    let mut current: Option<(String, BTreeMap<String, String>, Vec<String>)> = None;
    let mut in_role = false;
    loop {
        match reader.read_event().expect("well-formed HTML") {
            Event::Start(e) if e.name().as_ref() == b"tr" => {
                let attrs: BTreeMap<String, String> = e
                    .attributes()
                    .map(|a| {
                        let a = a.unwrap();
                        (
                            String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .unwrap()
                                .into_owned(),
                        )
                    })
                    .collect();
                if attrs
                    .get("class")
                    .is_some_and(|c| c.split(' ').any(|c| c == "activity"))
                {
                    current = Some((attrs["data-activity"].clone(), attrs, Vec::new()));
                }
            }
            Event::Start(e) if e.name().as_ref() == b"td" => {
                in_role = e.attributes().any(|a| {
                    let a = a.unwrap();
                    a.key.as_ref() == b"class" && a.value.starts_with(b"role")
                });
                if in_role && let Some((_, _, cells)) = current.as_mut() {
                    cells.push(String::new());
                }
            }
            Event::Text(t) if in_role => {
                if let Some((_, _, cells)) = current.as_mut() {
                    cells.last_mut().unwrap().push_str(&t.decode().unwrap());
                }
            }
            Event::End(e) if e.name().as_ref() == b"td" => in_role = false,
            Event::End(e) if e.name().as_ref() == b"tr" => rows.extend(current.take()),
            Event::Eof => break,
            _ => {}
        }
    }
    rows
}

#[test]
fn matrix_html_is_self_contained_with_every_row_colour_coded() {
    for provider in ["sysbee", "cegedim-cloud"] {
        let html = stdout(&here(&["matrix", provider, "--format", "html"]));
        assert!(html.starts_with("<!DOCTYPE html>\n"));
        // No request to anywhere: no script, no external link, image or font.
        for forbidden in [
            "<script", "<link", "src=", "url(", "@import", "http:", "https:",
        ] {
            assert!(!html.contains(forbidden), "{provider}: {forbidden}");
        }
        assert!(html.contains("<div class=\"legend\""));
        assert!(html.contains("@media print"));
        let parsed = html_rows(&html);
        let expected = pack_rows(provider);
        assert_eq!(parsed.len(), expected.len(), "{provider}");
        for ((id, attrs, cells), (want_id, provider_roles, customer_roles)) in
            parsed.iter().zip(&expected)
        {
            assert_eq!(id, want_id);
            // Four cells per party, in R, A, C, I order, each letter in its own cell.
            assert_eq!(cells.len(), 8, "{id}");
            let party = |cells: &[String]| {
                cells
                    .iter()
                    .filter(|c| !c.is_empty())
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            assert_eq!(party(&cells[..4]), *provider_roles, "{id}");
            assert_eq!(party(&cells[4..]), *customer_roles, "{id}");
            assert_eq!(&attrs["data-customer"], customer_roles);
        }
        // Grouped: one tbody per category.
        let groups = html.matches("<tbody class=\"group\"").count();
        assert_eq!(groups, if provider == "sysbee" { 3 } else { 11 });
    }
}

#[test]
fn matrix_of_an_ownership_file_fills_in_teams_and_marks_unowned_duties() {
    let dir = repo(&[(
        "raci.yaml",
        "provider: sysbee\nresponsibilities:\n  web-application-security: webteam\n  local-backup: { responsible: ops }\n",
    )]);
    let out = raci(dir.path(), &["matrix", "raci.yaml", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["file"]["path"], "raci.yaml");
    let find = |id: &str| {
        json["activities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == id)
            .unwrap()
            .clone()
    };
    let security = find("web-application-security");
    assert_eq!(
        security["teams"]["responsible"],
        serde_json::json!(["webteam"])
    );
    assert_eq!(security["unowned"], serde_json::json!([]));
    assert_eq!(find("local-backup")["unowned"], serde_json::json!(["A"]));
    assert_eq!(find("seo-issues")["unowned"], serde_json::json!(["R", "A"]));

    let html = stdout(&raci(
        dir.path(),
        &["matrix", "raci.yaml", "--format", "html"],
    ));
    let unowned = html.matches("<tr class=\"activity has-unowned\"").count();
    assert_eq!(unowned, 14);
    let table = stdout(&raci(dir.path(), &["matrix", "raci.yaml"]));
    assert!(table.lines().all(|l| l.chars().count() <= 80), "{table}");
    assert!(table.contains("webteam (R, A)"), "{table}");
    assert!(table.contains("ops (R); UNOWNED A"), "{table}");

    // --output writes the file atomically.
    let out = raci(
        dir.path(),
        &[
            "matrix",
            "sysbee",
            "--format",
            "html",
            "--output",
            "matrix.html",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    let written = std::fs::read_to_string(dir.path().join("matrix.html")).unwrap();
    assert_eq!(html_rows(&written).len(), 28);
}

#[test]
fn init_writes_a_scaffold_that_check_flags_until_filled_in() {
    let dir = repo(&[]);
    let args = [
        "init",
        "--provider",
        "cegedim-cloud",
        "--plan",
        "self-service",
        "--product",
        "object-storage",
    ];
    let out = raci(dir.path(), &args);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let path = dir.path().join("raci.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let placeholders = text.matches(": TODO\n").count();
    // Every duty of the plan and product: 4 generic (security-patches and version-upgrades are
    // overridden by object-storage) and 11 object-storage rows.
    assert_eq!(placeholders, 15, "{text}");
    assert!(text.contains("  # Backup and Restoration (customer: A, I; the team holds all of them)\n  backup-and-restoration: TODO\n"));

    // check flags every placeholder, where it is.
    let out = raci(dir.path(), &["check", "--format", "json", "--no-evidence"]);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let diags = json["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 15);
    for d in diags {
        assert_eq!(d["code"], "unowned-duty");
        let line = d["line"].as_u64().unwrap() as usize;
        let source_line = text.lines().nth(line - 1).unwrap();
        let column = d["column"].as_u64().unwrap() as usize;
        assert_eq!(&source_line[column - 1..], "TODO", "{d}");
    }

    // Never overwritten without --force: exit 2, the file unchanged.
    std::fs::write(&path, "provider: sysbee\n").unwrap();
    let out = raci(dir.path(), &args);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("raci.yaml exists"));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "provider: sysbee\n"
    );
    let mut forced = args.to_vec();
    forced.push("--force");
    assert_eq!(raci(dir.path(), &forced).status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);

    // Filled in: accepted, no finding at all.
    std::fs::write(&path, text.replace(": TODO", ": platform")).unwrap();
    let out = raci(
        dir.path(),
        &["check", "--format", "concise", "--no-evidence", "-q"],
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "");
}

#[test]
fn the_placeholder_counts_only_where_a_duty_team_goes() {
    let dir = repo(&[(
        "raci.yaml",
        "provider: sysbee\nteams: { web: {} }\nresponsibilities:\n  web-application-security: { responsible: TODO, accountable: web }\n  server-os-patching: TODO\n  seo-issues: { responsible: web, accountable: web, informed: TODO }\n",
    )]);
    let out = raci(dir.path(), &["--format", "concise", "--no-evidence", "-q"]);
    let text = stdout(&out);
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.contains("unowned-duty] no team holds the customer's"))
        .collect();
    assert_eq!(lines.len(), 4, "{text}");
    // In a duty's R: the placeholder, at its spot.
    assert!(
        lines[0].starts_with(
            "raci.yaml:4:44: warning[unowned-duty] no team holds Web application security"
        ),
        "{}",
        lines[0]
    );
    // For a duty Sysbee holds: an ordinary (unregistered) team claiming it.
    assert!(
        lines[1].starts_with("raci.yaml:5:3: error[claims-provider-duty]"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with("raci.yaml:5:23: error[unknown-team]"),
        "{}",
        lines[2]
    );
}

#[test]
fn init_for_every_provider_is_clean_once_filled_in() {
    let dir = repo(&[]);
    for args in [
        vec!["--provider", "sysbee"],
        vec!["--provider", "cegedim-cloud", "--plan", "on-request"],
        vec![
            "--provider",
            "cegedim-cloud",
            "--plan",
            "self-service",
            "--product",
            "kubernetes",
            "--product",
            "data-masking",
        ],
    ] {
        let mut all = vec!["init", "--output", "-"];
        all.extend_from_slice(&args);
        let text = stdout(&raci(dir.path(), &all));
        std::fs::write(
            dir.path().join("raci.yaml"),
            text.replace(": TODO", ": ops"),
        )
        .unwrap();
        let out = raci(dir.path(), &["--no-evidence", "--format", "concise", "-q"]);
        assert_eq!(stdout(&out), "", "{args:?}");
    }
}

/// YAML as JSON, for schema validation.
fn yaml_value(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_saphyr::from_str::<Value>(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn schema(kind: &str) -> jsonschema::Validator {
    schema_with(&["schema", kind])
}

/// The schema `raci-lint ARGS` prints, compiled.
fn schema_with(args: &[&str]) -> jsonschema::Validator {
    let out = here(args);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let schema: Value = serde_json::from_slice(&out.stdout).unwrap();
    jsonschema::validator_for(&schema).expect("a valid JSON Schema")
}

/// The user pack of fixtures/codes/pack-user, which its ownership file needs.
const USER_PACKS: &str = "fixtures/codes/pack-user/packs";

/// Codes for what the ownership schema names (providers, plans, products, offerings and
/// activity ids): a file with one of them must fail validation.
const NAMED_BY_THE_SCHEMA: [&str; 6] = [
    "unknown-provider",
    "unknown-plan",
    "missing-plan",
    "unknown-product",
    "unknown-offering",
    "unknown-activity",
];

fn files_named(dir: &Path, pred: &dyn Fn(&Path) -> bool, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_named(&path, pred, out);
        } else if pred(&path) {
            out.push(path);
        }
    }
}

#[test]
fn schemas_accept_every_valid_fixture_pack_and_config() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ownership = schema_with(&["schema", "ownership", "--packs", USER_PACKS]);
    let mut files = Vec::new();
    files_named(
        &root.join("fixtures"),
        &|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name == "raci.yaml" || name.ends_with(".raci.yaml")
        },
        &mut files,
    );
    files.sort();
    let (mut checked, mut rejected) = (0, 0);
    for file in &files {
        // A file raci-lint refuses as invalid-yaml, or whose only problem is one the schema
        // states to guide editors (two accountable teams, a waiver without a reason), is not
        // expected to validate.
        let out = here(&[
            "check",
            "--format",
            "json",
            "--no-evidence",
            "--packs",
            USER_PACKS,
            file.to_str().unwrap(),
        ]);
        let json: Value = serde_json::from_slice(&out.stdout).unwrap();
        let codes: Vec<&str> = json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap())
            .collect();
        let invalid = codes.iter().any(|c| {
            matches!(
                *c,
                "invalid-yaml" | "io-error" | "multiple-accountable" | "waiver-missing-reason"
            )
        });
        if invalid {
            continue;
        }
        let value = yaml_value(file);
        if codes.iter().any(|c| NAMED_BY_THE_SCHEMA.contains(c)) {
            assert!(
                !ownership.is_valid(&value),
                "{} has {codes:?} yet validates",
                file.display()
            );
            rejected += 1;
            continue;
        }
        let errors: Vec<String> = ownership
            .iter_errors(&value)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", file.display());
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} fixtures checked");
    assert!(rejected >= 6, "only {rejected} fixtures rejected");

    let pack = schema("pack");
    let mut packs = vec![
        root.join("rules/sysbee.yaml"),
        root.join("rules/cegedim-cloud.yaml"),
    ];
    files_named(
        &root.join("fixtures/codes/pack-user/packs"),
        &|p| p.extension().is_some_and(|e| e == "yaml"),
        &mut packs,
    );
    for file in &packs {
        let errors: Vec<String> = pack
            .iter_errors(&yaml_value(file))
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", file.display());
    }

    let config = schema("config");
    let value = yaml_value(&root.join("fixtures/config/raci-lint.yaml"));
    assert!(config.is_valid(&value));
}

#[test]
fn schemas_reject_what_the_loaders_reject() {
    let ownership = schema("ownership");
    let bad = [
        "responsibilites: {}\nprovider: sysbee\n",
        "service: x\n",
        "provider: sysbee\nresponsibilities:\n  seo-issues: { owner: web }\n",
        "provider: sysbee\nwaivers:\n  - { code: unowned-dutty, reason: x }\n",
        "provider: sysbee\nwaivers:\n  - { code: unowned-duty, reason: x, expires: soon }\n",
    ];
    for text in bad {
        let value: Value = serde_saphyr::from_str(text).unwrap();
        assert!(!ownership.is_valid(&value), "{text}");
    }
    let config = schema("config");
    for text in [
        "severity: { unowned-dutty: off }\n",
        "max-file-size: 1 parsec\n",
        "baselin: x\n",
    ] {
        let value: Value = serde_saphyr::from_str(text).unwrap();
        assert!(!config.is_valid(&value), "{text}");
    }
}

#[test]
fn init_output_validates_against_the_ownership_schema() {
    let ownership = schema("ownership");
    let text = stdout(&here(&[
        "init",
        "--provider",
        "cegedim-cloud",
        "--plan",
        "self-service",
        "--product",
        "kafka",
        "--output",
        "-",
    ]));
    let value: Value = serde_saphyr::from_str(&text).unwrap();
    assert!(ownership.is_valid(&value));
}

#[test]
fn completions_and_manpage() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = here(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let text = stdout(&out);
        assert!(
            text.contains("raci-lint") && text.contains("write-baseline"),
            "{shell}"
        );
    }
    let man = stdout(&here(&["manpage"]));
    assert!(
        man.starts_with(".ie \\n(.g .ds Aq") || man.contains(".TH raci-lint"),
        "{man}"
    );
    assert!(man.contains(".TH raci\\-lint") || man.contains(".TH raci-lint"));
    assert!(man.contains("matrix"));
}

/// An ownership file given as YAML text, against `schema`.
fn valid(schema: &jsonschema::Validator, text: &str) -> bool {
    let value: Value = serde_saphyr::from_str(text).unwrap();
    schema.is_valid(&value)
}

#[test]
fn the_ownership_schema_names_providers_plans_products_offerings_and_activities() {
    let out = here(&["schema", "ownership"]);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json["properties"]["provider"]["enum"],
        serde_json::json!(["cegedim-cloud", "sysbee"])
    );
    // One if/then per provider; activity ids are the only keys of `responsibilities`, each
    // described by its title, as editors show them when completing.
    let branches = json["allOf"].as_array().unwrap();
    for (provider, titles) in [
        ("sysbee", pack_titles("sysbee")),
        ("cegedim-cloud", pack_titles("cegedim-cloud")),
    ] {
        let branch = branches
            .iter()
            .find(|b| b["if"]["properties"]["provider"]["const"] == provider)
            .unwrap_or_else(|| panic!("no branch for {provider}"));
        let responsibilities = &branch["then"]["properties"]["responsibilities"];
        assert_eq!(responsibilities["additionalProperties"], false);
        let properties = responsibilities["properties"].as_object().unwrap();
        assert_eq!(properties.len(), titles.len(), "{provider}");
        for (id, title) in &titles {
            assert_eq!(properties[id]["description"], *title, "{provider}/{id}");
        }
    }

    let ownership = schema("ownership");
    for good in [
        "provider: sysbee\noffering: managed-magento\nresponsibilities:\n  web-application-security: webteam\n  server-os-patching: { informed: ops }\n",
        "provider: cegedim-cloud\nplan: self-service\nproducts: [kubernetes]\nresponsibilities:\n  usage: platform\n  kubernetes/add-node: platform\n",
        "provider: cegedim-cloud\nplan: on-request\n",
    ] {
        assert!(valid(&ownership, good), "{good}");
    }
    for bad in [
        // A misspelt activity id, and another provider's activity.
        "provider: sysbee\nresponsibilities:\n  server-os-patchin: ops\n",
        "provider: sysbee\nresponsibilities:\n  kubernetes/add-node: ops\n",
        // A plan cegedim.cloud does not have, no plan at all, and a plan where there are none.
        "provider: cegedim-cloud\nplan: self-servce\n",
        "provider: cegedim-cloud\nresponsibilities:\n  usage: platform\n",
        "provider: sysbee\nplan: self-service\n",
        // Unknown products and offerings, and products or offerings where there are none.
        "provider: cegedim-cloud\nplan: self-service\nproducts: [kubernets]\n",
        "provider: sysbee\nproducts: [kubernetes]\n",
        "provider: sysbee\noffering: managed-azure\n",
        "provider: cegedim-cloud\nplan: self-service\noffering: managed-aws\n",
        "provider: sysbe\n",
    ] {
        assert!(!valid(&ownership, bad), "{bad}");
    }

    // User packs are named too.
    let with_user_packs = schema_with(&["schema", "ownership", "--packs", USER_PACKS]);
    let acme =
        "provider: acme-platform\nplan: premium\nresponsibilities:\n  app-deployment: team\n";
    assert!(valid(&with_user_packs, acme));
    assert!(!valid(&ownership, acme));
    assert!(!valid(
        &with_user_packs,
        "provider: acme-platform\nplan: premium\nresponsibilities:\n  app-deploymnet: team\n"
    ));
}

/// Every activity of a provider: (id, title), in pack order.
fn pack_titles(provider: &str) -> Vec<(String, String)> {
    let json: Value =
        serde_json::from_slice(&here(&["matrix", provider, "--format", "json"]).stdout).unwrap();
    json["activities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["id"].as_str().unwrap().to_owned(),
                a["title"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn only_the_ownership_schema_needs_the_packs_of_the_config_file() {
    let dir = repo(&[("raci-lint.yaml", "packs: [missing/]\nunknown-key: 1\n")]);
    let out = raci(dir.path(), &["schema", "config"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let out = raci(dir.path(), &["schema", "ownership"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("the config file has a problem"));
}

#[test]
fn explain_without_an_argument_lists_every_code_with_its_default_severity() {
    // No pack is needed: a broken config file does not stand in the way.
    let dir = repo(&[("raci-lint.yaml", "unknown-key: 1\n")]);
    let out = raci(dir.path(), &["explain"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let text = stdout(&out);
    let listed: Vec<Vec<&str>> = text
        .lines()
        .filter(|l| l.starts_with("  "))
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(listed.len(), Code::ALL.len(), "{text}");
    for (code, words) in Code::ALL.iter().zip(&listed) {
        assert_eq!(words[0], code.as_str());
        assert_eq!(words[1], code.default_severity().as_str());
        assert_eq!(words[2..].join(" "), code.summary());
    }
    assert!(text.contains("\n`raci-lint explain CODE` tells more about one"));
}

#[test]
fn explain_a_provider_lists_its_activities_with_both_parties_roles() {
    let shown = |letters: &str| {
        if letters.is_empty() {
            "-".to_owned()
        } else {
            letters.replace(", ", " ")
        }
    };
    for provider in ["sysbee", "cegedim-cloud"] {
        let out = here(&["explain", provider]);
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        let text = stdout(&out);
        let lines: Vec<&str> = text.lines().collect();
        let titles = pack_titles(provider);
        for ((id, provider_roles, customer_roles), (_, title)) in
            pack_rows(provider).iter().zip(&titles)
        {
            // The roles, then the id whole on one line; the title on the next.
            let expected = format!("{} {} {id}", shown(provider_roles), shown(customer_roles));
            let at = lines
                .iter()
                .position(|l| l.split_whitespace().collect::<Vec<_>>().join(" ") == expected)
                .unwrap_or_else(|| panic!("{provider}: no line `{expected}` in\n{text}"));
            let next = lines[at + 1].trim();
            assert!(
                title.starts_with(next) || next.starts_with(title.as_str()),
                "{provider}/{id}: {next:?} is not the start of {title:?}"
            );
        }
        assert!(text.ends_with(&format!(
            "`raci-lint explain {provider}/ACTIVITY-ID` tells more about one activity.\n"
        )));
        for line in text.lines() {
            assert!(line.chars().count() <= 80, "{provider}: {line:?}");
        }
    }
    let text = stdout(&here(&["explain", "cegedim-cloud"]));
    assert!(
        text.contains("  plans: self-service, on-request\n"),
        "{text}"
    );
    assert!(
        text.contains("Modify configurations (on-request only)\n"),
        "{text}"
    );

    // A misspelt provider, or a misspelt provider before an activity: did-you-mean.
    for (written, meant) in [
        ("sysbe", "sysbee"),
        ("cegedim-clod/usage", "cegedim-cloud/usage"),
    ] {
        let out = here(&["explain", written]);
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!(
                "`{written}` is not a diagnostic code, a provider or an activity id"
            )) && stderr.contains(&format!("did you mean `{meant}`?")),
            "{stderr}"
        );
    }

    // A user pack's provider, named like an activity of Sysbee: both are pointed out.
    let dir = repo(&[(
        "packs/local-backup.yaml",
        "provider: { id: local-backup, name: Backup team }\nactivities:\n  - { id: restore-tests, title: Restore tests, category: ops, provider: [R, A], customer: [I] }\n",
    )]);
    let out = raci(dir.path(), &["explain", "local-backup", "--packs", "packs"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let text = stdout(&out);
    assert!(
        text.starts_with("local-backup (Backup team): 1 activity, 0 customer duties\n"),
        "{text}"
    );
    assert!(text.contains("restore-tests\n"), "{text}");
    assert!(
        text.contains(
            "`local-backup` is also an activity of Sysbee: `raci-lint explain sysbee/local-backup`"
        ),
        "{text}"
    );
}

/// Checks that every list-typed field of a `matrix --format json` report is a list of strings,
/// and that `null` appears only where a single value is unknown.
fn assert_lists_are_lists(what: &str, json: &Value) {
    let list_of_strings = |path: &str, v: &Value| {
        let items = v
            .as_array()
            .unwrap_or_else(|| panic!("{what}: {path} is {v}, not a list"));
        for item in items {
            assert!(item.is_string(), "{what}: {path} holds {item}");
        }
    };
    list_of_strings("products", &json["products"]);
    let activities = json["activities"]
        .as_array()
        .unwrap_or_else(|| panic!("{what}: activities is not a list"));
    assert!(!activities.is_empty(), "{what}");
    let with_file = !json["file"].is_null();
    for a in activities {
        let id = a["id"].as_str().unwrap();
        for key in ["plans", "provider", "customer"] {
            list_of_strings(&format!("{id}.{key}"), &a[key]);
        }
        if with_file {
            list_of_strings(&format!("{id}.unowned"), &a["unowned"]);
            let teams = a["teams"].as_object().unwrap();
            let roles: Vec<&str> = teams.keys().map(String::as_str).collect();
            assert_eq!(
                roles,
                ["accountable", "consulted", "informed", "responsible"],
                "{what}: {id}"
            );
            for (role, list) in teams {
                list_of_strings(&format!("{id}.teams.{role}"), list);
            }
        } else {
            assert!(a.get("teams").is_none() && a.get("unowned").is_none());
        }
    }
    // Anywhere else, null is allowed only for a single value that is unknown.
    fn nulls(v: &Value, path: String, out: &mut Vec<String>) {
        match v {
            Value::Null => out.push(path),
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    nulls(item, format!("{path}[{i}]"), out);
                }
            }
            Value::Object(map) => {
                for (k, item) in map {
                    nulls(item, format!("{path}.{k}"), out);
                }
            }
            _ => {}
        }
    }
    let mut found = Vec::new();
    nulls(json, String::new(), &mut found);
    for path in found {
        assert!(
            [".plan", ".file", ".provider.source", ".file.service"].contains(&path.as_str()),
            "{what}: null at {path}"
        );
    }
}

#[test]
fn matrix_json_never_has_null_where_a_list_is_expected() {
    let cases: [&[&str]; 6] = [
        &["matrix", "sysbee"],
        &["matrix", "cegedim-cloud"],
        &["matrix", "cegedim-cloud", "--plan", "on-request"],
        &["matrix", "cegedim-cloud", "--product", "kafka"],
        &["matrix", "fixtures/clean/billing/raci.yaml"],
        &["matrix", "fixtures/codes/unowned-duty/raci.yaml"],
    ];
    for args in cases {
        let mut all = args.to_vec();
        all.extend(["--format", "json"]);
        let out = here(&all);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {out:?}");
        let json: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_lists_are_lists(&args.join(" "), &json);
    }
    // A row that names no plan is on every plan of its provider: none for Sysbee.
    let plans_of = |provider: &str| -> Vec<Value> {
        let json: Value =
            serde_json::from_slice(&here(&["matrix", provider, "--format", "json"]).stdout)
                .unwrap();
        json["activities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["plans"].clone())
            .collect()
    };
    assert!(
        plans_of("sysbee")
            .iter()
            .all(|p| p == &serde_json::json!([]))
    );
    for plans in plans_of("cegedim-cloud") {
        let plans = plans.as_array().unwrap();
        assert!(!plans.is_empty());
        assert!(
            plans
                .iter()
                .all(|p| p == "self-service" || p == "on-request")
        );
    }
}

/// The text lines between `.nf` and `.fi`, with roff's escapes undone.
fn unfilled_blocks(roff: &str) -> Vec<Vec<String>> {
    let unescape = |line: &str| {
        line.replace("\\*(Aq", "'")
            .replace("\\-", "-")
            .replace("\\&", "")
            .replace("\\\\", "\\")
    };
    let mut blocks = Vec::new();
    let mut current: Option<Vec<String>> = None;
    for line in roff.lines() {
        match (line, current.as_mut()) {
            (".nf", None) => current = Some(Vec::new()),
            (".fi", Some(_)) => blocks.extend(current.take()),
            (_, Some(block)) => block.push(unescape(line)),
            _ => {}
        }
    }
    blocks
}

#[test]
fn the_manpage_keeps_the_examples_verbatim_and_points_to_no_missing_page() {
    use clap::CommandFactory;
    let out = here(&["manpage"]);
    assert_eq!(out.status.code(), Some(0));
    let man = stdout(&out);

    // No `name(1)` reference: there is one page, this one.
    let bytes = man.as_bytes();
    for (i, window) in bytes.windows(3).enumerate() {
        if window[0] == b'(' && window[1].is_ascii_digit() && window[2] == b')' && i > 0 {
            assert!(
                !bytes[i - 1].is_ascii_alphanumeric(),
                "a reference to another page: {}",
                &man[i.saturating_sub(30)..i + 3]
            );
        }
    }
    assert!(!man.contains(".SH SEE ALSO"));

    // The examples of `--help`, line for line, set without filling.
    let command = raci_lint::cli::Cli::command();
    let examples = command.get_after_help().unwrap().to_string();
    let expected: Vec<&str> = examples
        .strip_prefix("Examples:\n")
        .unwrap()
        .trim_end()
        .lines()
        .collect();
    assert!(expected.len() >= 5);
    assert!(
        unfilled_blocks(&man).iter().any(|block| *block == expected),
        "no .nf block holds {expected:#?} in\n{man}"
    );
    assert!(man.contains("\n.SH EXAMPLES\n.nf\n"));

    // Every subcommand is a subsection of this page, with its own options.
    for sub in command.get_subcommands() {
        assert!(
            man.contains(&format!(".SS \"raci-lint {}\"\n", sub.get_name())),
            "{}",
            sub.get_name()
        );
    }
    let matrix = &man[man.find(".SS \"raci-lint matrix\"").unwrap()..];
    let matrix = &matrix[..matrix.find(".SS \"raci-lint init\"").unwrap()];
    assert!(matrix.contains("\\fB\\-\\-plan\\fR"), "{matrix}");
    // The page carries the package version, the same for every build of a release.
    assert!(man.contains(&format!(
        ".TH raci-lint 1  \"raci-lint {}\"",
        env!("CARGO_PKG_VERSION")
    )));

    // Through groff, when it is installed: no warning, and the examples as `--help` has them.
    let Ok(groff) = Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-P-cbou"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
    else {
        return;
    };
    let rendered = {
        use std::io::Write;
        let mut groff = groff;
        groff
            .stdin
            .take()
            .unwrap()
            .write_all(man.as_bytes())
            .unwrap();
        groff.wait_with_output().unwrap()
    };
    assert!(rendered.status.success());
    assert_eq!(String::from_utf8_lossy(&rendered.stderr), "");
    let text = String::from_utf8_lossy(&rendered.stdout).replace(['\u{2010}', '\u{2212}'], "-");
    for line in expected.iter().filter(|l| !l.is_empty()) {
        assert!(
            text.lines().any(|l| l.trim() == line.trim()),
            "groff lost {line:?}:\n{text}"
        );
    }
}

/// The short hash of this checkout's HEAD, when the crate is built from its own git checkout.
fn checkout_commit() -> Option<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let git = |args: &[&str]| -> Option<String> {
        let out = Command::new("git")
            .args(args)
            .current_dir(root)
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
    };
    let top = git(&["rev-parse", "--show-toplevel"])?;
    if Path::new(&top).canonicalize().ok()? != root.canonicalize().ok()? {
        return None;
    }
    git(&["rev-parse", "--short", "HEAD"])
}

#[test]
fn version_names_the_commit_when_built_from_a_git_checkout() {
    let version = env!("CARGO_PKG_VERSION");
    for flag in ["--version", "-V"] {
        let out = here(&[flag]);
        assert_eq!(out.status.code(), Some(0));
        let text = stdout(&out);
        assert!(text.starts_with(&format!("raci-lint {version}")), "{text}");
        match checkout_commit() {
            Some(hash) => assert_eq!(text, format!("raci-lint {version} ({hash})\n")),
            None => assert_eq!(text, format!("raci-lint {version}\n")),
        }
    }
}

/// The build script this test binary was built with (the newest, if several builds are left).
fn build_script() -> Option<std::path::PathBuf> {
    let target = std::env::current_exe().ok()?.parent()?.parent()?.to_owned();
    let mut scripts: Vec<(std::time::SystemTime, std::path::PathBuf)> =
        std::fs::read_dir(target.join("build"))
            .ok()?
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with("raci-lint-"))
            .map(|e| e.path().join("build-script-build"))
            .filter_map(|p| Some((p.metadata().ok()?.modified().ok()?, p)))
            .collect();
    scripts.sort();
    scripts.pop().map(|(_, p)| p)
}

/// What the build script tells cargo, run for the crate at `dir` with `path` as PATH.
fn run_build_script(script: &Path, dir: &Path, path: Option<&str>) -> String {
    let mut command = Command::new(script);
    command
        .current_dir(dir)
        .env("CARGO_MANIFEST_DIR", dir)
        .env("CARGO_PKG_VERSION", "9.8.7");
    if let Some(path) = path {
        command.env("PATH", path);
    }
    let out = command.output().expect("run the build script");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_build_script_falls_back_to_the_bare_version_without_git() {
    let Some(script) = build_script() else {
        panic!("no build script under the target folder");
    };
    let version_line = |text: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix("cargo:rustc-env=RACI_LINT_VERSION="))
            .map(str::to_owned)
    };
    // A crate tarball: no .git anywhere above.
    let tarball = tempfile::tempdir().unwrap();
    let text = run_build_script(&script, tarball.path(), None);
    assert_eq!(version_line(&text).as_deref(), Some("9.8.7"), "{text}");
    assert!(!text.contains(".git"), "{text}");
    assert!(text.contains("cargo:rerun-if-changed=build.rs"), "{text}");

    // This checkout, with no git program to ask.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = run_build_script(&script, root, Some(""));
    assert_eq!(version_line(&text).as_deref(), Some("9.8.7"), "{text}");

    // A repository of our own: the commit, and reruns only when HEAD or its branch moves
    // (only files that exist are named, else cargo would rerun on every build).
    let git = |dir: &Path, args: &[&str]| {
        Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .current_dir(dir)
            .output()
            .ok()
            .filter(|o| o.status.success())
    };
    let repo = tempfile::tempdir().unwrap();
    if git(repo.path(), &["init", "-q", "-b", "main"]).is_none() {
        return; // no git here: the fallback above is all there is to see
    }
    git(
        repo.path(),
        &["commit", "-q", "--allow-empty", "-m", "first"],
    )
    .unwrap();
    let hash = git(repo.path(), &["rev-parse", "--short", "HEAD"]).unwrap();
    let hash = String::from_utf8_lossy(&hash.stdout).trim().to_owned();
    let text = run_build_script(&script, repo.path(), None);
    assert_eq!(
        version_line(&text),
        Some(format!("9.8.7 ({hash})")),
        "{text}"
    );
    let watched: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("cargo:rerun-if-changed="))
        .collect();
    assert!(watched.iter().any(|p| p.ends_with("HEAD")), "{text}");
    assert!(
        watched.iter().any(|p| p.ends_with("refs/heads/main")),
        "{text}"
    );
    for path in &watched {
        assert!(
            *path == "build.rs" || Path::new(path).exists(),
            "{path} does not exist"
        );
    }

    // The same crate as a folder inside another repository (vendored): not that repository's
    // commit.
    std::fs::create_dir(repo.path().join("vendored")).unwrap();
    let text = run_build_script(&script, &repo.path().join("vendored"), None);
    assert_eq!(version_line(&text).as_deref(), Some("9.8.7"), "{text}");
}
