//! `raci-lint schema ownership|pack|config`: JSON Schemas (draft 2020-12, from schemars) of the
//! three file kinds, for editors through yaml-language-server. The types here exist only to
//! describe the files; the loaders in `load` and `config` stay the authority, and the tests
//! validate every fixture, the built-in packs and `init`'s output against these schemas.
//! Where the contract says a rule is a finding rather than `invalid-yaml` (one accountable
//! team, a waiver's reason), the schema still states it, to guide editors.
//!
//! The ownership schema also names what the packs in force define, so that editors complete
//! and check ids: the providers (an enum on `provider`), and per provider (`if`/`then` on
//! `provider`) its plans, products and offerings (enums) and its activity ids as the only
//! property names of `responsibilities`, each described by its title.

#![allow(dead_code)]

use std::collections::BTreeMap;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::diag::Code;
use crate::model::pack::Named as Defined;
use crate::model::{Pack, Packs};

const KEBAB: &str = "^[a-z0-9]+(-[a-z0-9]+)*$";
const ACTIVITY_ID: &str = "^([a-z0-9]+(-[a-z0-9]+)*/)?[a-z0-9]+(-[a-z0-9]+)*$";

fn code_names() -> Vec<&'static str> {
    Code::ALL.iter().map(|c| c.as_str()).collect()
}

fn code_schema(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "enum": code_names() })
}

fn severity_map(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "object",
        "description": "Severity per diagnostic code: `off` removes the code's findings whatever the flags.",
        "propertyNames": { "enum": code_names() },
        // YAML 1.1 readers (serde-saphyr's untyped values among them) read a bare `off` as false.
        "additionalProperties": { "enum": ["error", "warning", "note", "off", false] }
    })
}

fn kebab(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "pattern": KEBAB })
}

fn activity_id(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "pattern": ACTIVITY_ID })
}

fn date(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "description": "YYYY-MM-DD; the waiver is still valid on that day." })
}

fn size(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "description": "Bytes, or a number with a unit: 512KiB, 1MiB, 2MB.",
        "anyOf": [
            { "type": "integer", "minimum": 0 },
            { "type": "string", "pattern": "^\\s*[0-9]+\\s*(B|KB|kB|KiB|MB|MiB|GB|GiB)?\\s*$" }
        ]
    })
}

// ---- ownership files ----

/// A raci-lint ownership file: which of your teams holds which role for each activity of your
/// provider's RACI matrix.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "raci-lint ownership file")]
struct Ownership {
    /// The service this file is about (free text).
    service: Option<String>,
    /// The provider id: `sysbee`, `cegedim-cloud`, or a user pack's.
    provider: String,
    /// The plan you subscribe to; required when the provider has plans.
    plan: Option<String>,
    /// One of the provider's offerings (sysbee: managed-infrastructure, managed-aws,
    /// managed-magento, managed-gitlab).
    offering: Option<String>,
    /// The provider's products you use; needed to declare product activities.
    products: Option<Vec<String>>,
    /// Globs relative to this file's folder that it governs (default: its folder's subtree).
    scope: Option<Vec<String>>,
    /// Optional registry: when present, every team used must be listed.
    teams: Option<BTreeMap<String, TeamEntry>>,
    /// Activity id → the team holding the customer share, or roles → teams.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, Declaration>")]
    responsibilities: Option<()>,
    /// Findings accepted on purpose.
    waivers: Option<Vec<Waiver>>,
}

/// A registered team: nothing more (`data:` or `data: {}`), or its details.
#[derive(JsonSchema)]
#[serde(untagged)]
enum TeamEntry {
    #[schemars(schema_with = "null")]
    Empty(()),
    Details(Team),
}

#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
struct Team {
    contact: Option<String>,
}

/// A team name (text; numbers are taken as written).
#[derive(JsonSchema)]
#[serde(untagged)]
enum TeamName {
    Name(String),
    Number(i64),
}

/// One team or a list of teams.
#[derive(JsonSchema)]
#[serde(untagged)]
enum Teams {
    One(TeamName),
    Many(Vec<TeamName>),
}

/// At most one team.
#[derive(JsonSchema)]
#[serde(untagged)]
enum OneTeam {
    One(TeamName),
    Many(#[schemars(length(max = 1))] Vec<TeamName>),
}

/// `activity: team` (the team holds the customer share), or explicit roles.
#[derive(JsonSchema)]
#[serde(untagged)]
enum Declaration {
    Shorthand(TeamName),
    Explicit(Roles),
}

#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
struct Roles {
    responsible: Option<Teams>,
    /// At most one team is accountable.
    accountable: Option<OneTeam>,
    consulted: Option<Teams>,
    informed: Option<Teams>,
}

#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
struct Waiver {
    /// The diagnostic code waived.
    #[schemars(schema_with = "code_schema")]
    code: String,
    /// The activity id (optional for codes without one).
    activity: Option<String>,
    /// A glob, relative to this file's folder, of the files whose evidence is waived.
    path: Option<String>,
    /// Why the finding is accepted: required, a waiver without one waives nothing.
    reason: String,
    #[serde(default)]
    #[schemars(schema_with = "date")]
    expires: Option<String>,
}

// ---- rule packs ----

/// A raci-lint rule pack: one provider's RACI matrix.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "raci-lint rule pack")]
struct PackFile {
    provider: Provider,
    plans: Option<Vec<Named>>,
    products: Option<Vec<Named>>,
    offerings: Option<Vec<Named>>,
    activities: Vec<PackActivity>,
}

#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
struct Provider {
    #[schemars(schema_with = "kebab")]
    id: String,
    name: String,
    /// Where the matrix comes from.
    source: Option<String>,
}

#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
struct Named {
    #[schemars(schema_with = "kebab")]
    id: String,
    name: String,
    description: Option<String>,
}

#[derive(JsonSchema)]
enum RoleLetter {
    R,
    A,
    C,
    I,
}

#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
struct PackActivity {
    /// `name` for a generic row, `product/name` for a product row.
    #[schemars(schema_with = "activity_id")]
    id: String,
    title: String,
    category: String,
    /// Absent: every plan.
    plans: Option<Vec<String>>,
    /// Required on product rows; equals the id's prefix.
    product: Option<String>,
    provider: Vec<RoleLetter>,
    customer: Vec<RoleLetter>,
    comment: Option<String>,
    /// Product rows only: the generic activity this row replaces for its product.
    overrides: Option<String>,
    #[serde(default)]
    #[schemars(schema_with = "evidence_rules")]
    evidence: Option<Vec<()>>,
}

fn evidence_rules(generator: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "array", "items": evidence_rule(generator) })
}

/// An evidence rule: globs, and exactly one matcher (DESIGN section 4).
fn evidence_rule(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "object",
        "description": "An evidence rule: the files it reads and exactly one matcher (`pattern`, `ansible` or `command`).",
        "properties": {
            "id": { "type": "string", "pattern": KEBAB, "description": "Unique within the activity; shown in the finding." },
            "files": { "type": "array", "items": { "type": "string" }, "description": "Globs of the files read, relative to the repository root." },
            "exclude": { "type": "array", "items": { "type": "string" }, "description": "Globs of files left out." },
            "description": { "type": "string", "description": "What a match shows; ends the finding's message." },
            "pattern": {
                "type": "string",
                "minLength": 1,
                "description": "A regex (Rust syntax) matched line by line, as ripgrep does. A named group `evidence` is what the finding underlines."
            },
            "ansible": {
                "type": "object",
                "description": "An Ansible task, read as YAML in block, flow or key=value form over any number of lines; never variables, titles, tags, hosts, when, notify or register. The finding underlines the module key.",
                "properties": {
                    "module": {
                        "type": "array",
                        "minItems": 1,
                        "items": { "type": "string", "pattern": "^[A-Za-z0-9_.]+$" },
                        "description": "Module names; any collection prefix matches (`apt` matches `ansible.builtin.apt`)."
                    },
                    "args": {
                        "type": "object",
                        "additionalProperties": { "type": "string" },
                        "description": "Argument name (or aliases `name|pkg`) to a regex its value must match; every named argument must match. A list value matches when one item does; an argument the task leaves out is the empty string."
                    }
                },
                "required": ["module"],
                "additionalProperties": false
            },
            "command": {
                "type": "string",
                "minLength": 1,
                "description": "A regex over one shell command, wherever the repository runs commands (scripts, Makefile recipes, cron lines, systemd Exec, Ansible shell/command/raw/script and cron tasks, cloud-init runcmd/bootcmd, Kubernetes containers, fail2ban actions, ferm hooks, interface hooks, and their templates). The command's words are joined by single spaces, quotes removed; sudo, env, VAR=value prefixes and redirections are left out."
            }
        },
        "required": ["id", "files"],
        "additionalProperties": false,
        "oneOf": [
            { "required": ["pattern"] },
            { "required": ["ansible"] },
            { "required": ["command"] }
        ]
    })
}

// ---- the config file ----

/// The raci-lint config file (`raci-lint.yaml` or `.raci-lint.yaml`).
#[derive(JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(title = "raci-lint config file")]
struct ConfigFile {
    /// Globs of ownership files; replaces the defaults.
    ownership_files: Option<Vec<String>>,
    /// Globs left out of discovery and of the evidence scan.
    exclude: Option<Vec<String>>,
    /// Extra rule packs, files or folders, relative to this file.
    packs: Option<Vec<String>>,
    /// Search infrastructure files for evidence.
    evidence: Option<bool>,
    /// Larger files are not searched for evidence.
    #[serde(default)]
    #[schemars(schema_with = "size")]
    max_file_size: Option<String>,
    /// Findings kept per run; the rest are counted (`too-many-findings`).
    max_findings: Option<u64>,
    /// The baseline file, relative to this file.
    baseline: Option<String>,
    #[serde(default)]
    #[schemars(schema_with = "severity_map")]
    severity: Option<()>,
}

/// An absent key is how a file leaves a setting out, and the loaders refuse `null` for every
/// key: drop the `null` that schemars adds for each `Option`. (A bare team, `data:`, is
/// described with `const: null`, which stays.)
fn no_null(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            if map.get("default") == Some(&Value::Null) {
                map.remove("default");
            }
            if let Some(Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let only = types.remove(0);
                    map.insert("type".to_owned(), only);
                }
            }
            if let Some(Value::Array(any)) = map.get_mut("anyOf") {
                any.retain(|s| {
                    s.get("type").is_none_or(|t| t != "null")
                        || s.as_object().is_some_and(|o| o.len() > 1)
                });
            }
            for v in map.values_mut() {
                no_null(v);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(no_null),
        _ => {}
    }
}

fn null(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "const": null })
}

/// What the packs in force define, added to the ownership schema: the provider ids as an enum,
/// and one `if`/`then` per provider.
fn name_providers(schema: &mut serde_json::Value, packs: &Packs) {
    use serde_json::{Value, json};
    let ids: Vec<&str> = packs.ids().collect();
    let names: Vec<String> = packs
        .by_id
        .values()
        .map(|p| format!("{} ({})", p.id(), p.name))
        .collect();
    if let Some(provider) = schema.pointer_mut("/properties/provider") {
        provider["enum"] = json!(ids);
        provider["description"] = json!(format!(
            "The provider id, one of the rule packs in force: {}.",
            names.join(", ")
        ));
    }
    let branches: Vec<Value> = packs.by_id.values().map(|p| provider_branch(p)).collect();
    if !branches.is_empty() {
        schema["allOf"] = Value::Array(branches);
    }
}

/// `if provider is this pack's id, then` its plans, products, offerings and activities.
fn provider_branch(pack: &Pack) -> serde_json::Value {
    use serde_json::{Map, Value, json};
    // "self-service (Self Service), on-request (On Request)", for the descriptions.
    let listed = |named: &[Defined]| -> String {
        named
            .iter()
            .map(|n| format!("{} ({})", n.id.value, n.name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let ids =
        |named: &[Defined]| -> Vec<String> { named.iter().map(|n| n.id.value.clone()).collect() };
    let mut properties = Map::new();
    let mut required = Vec::new();
    if pack.plans.is_empty() {
        properties.insert("plan".into(), Value::Bool(false));
    } else {
        properties.insert(
            "plan".into(),
            json!({
                "enum": ids(&pack.plans),
                "description": format!("{}'s plans: {}.", pack.name, listed(&pack.plans)),
            }),
        );
        required.push("plan");
    }
    if pack.products.is_empty() {
        properties.insert(
            "products".into(),
            json!({ "maxItems": 0, "description": format!("{} has no products.", pack.name) }),
        );
    } else {
        properties.insert(
            "products".into(),
            json!({
                "items": { "enum": ids(&pack.products) },
                "description": format!("{}'s products: {}.", pack.name, listed(&pack.products)),
            }),
        );
    }
    if pack.offerings.is_empty() {
        properties.insert("offering".into(), Value::Bool(false));
    } else {
        properties.insert(
            "offering".into(),
            json!({
                "enum": ids(&pack.offerings),
                "description": format!("{}'s offerings: {}.", pack.name, listed(&pack.offerings)),
            }),
        );
    }
    let activities: Map<String, Value> = pack
        .activities
        .iter()
        .map(|a| {
            (
                a.id().to_owned(),
                json!({ "$ref": "#/$defs/Declaration", "description": a.title }),
            )
        })
        .collect();
    properties.insert(
        "responsibilities".into(),
        json!({ "properties": activities, "additionalProperties": false }),
    );
    let mut then = json!({ "properties": properties });
    if !required.is_empty() {
        then["required"] = json!(required);
    }
    json!({
        "if": { "properties": { "provider": { "const": pack.id() } }, "required": ["provider"] },
        "then": then,
    })
}

/// The schema of `kind`, as pretty JSON. The ownership schema names what `packs` define.
/// The file kinds `raci-lint schema` describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchemaKind {
    Ownership,
    Pack,
    Config,
}

pub fn run(kind: SchemaKind, packs: Option<&Packs>) -> String {
    let schema = match kind {
        SchemaKind::Ownership => schemars::schema_for!(Ownership),
        SchemaKind::Pack => schemars::schema_for!(PackFile),
        SchemaKind::Config => schemars::schema_for!(ConfigFile),
    };
    let mut value = schema.to_value();
    no_null(&mut value);
    if let Some(packs) = packs {
        name_providers(&mut value, packs);
    }
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}
