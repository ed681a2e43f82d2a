//! Ownership files: YAML → [`OwnershipFile`] with spans. The top-level mapping and the
//! declarations are read by hand-written visitors so that keys keep their spans (file-wide
//! findings point at the `responsibilities` key) and the shorthand and explicit forms of a
//! declaration are told apart without losing locations.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Location, Spanned};

use super::FileKind;
use super::yaml::{self, sp};
use crate::diag::Finding;
use crate::diag::kinds::{BadScopeGlob, LimitExceeded, ScopeGlobProblem};
use crate::model::ownership::{DeclarationForm, Field, Waiver};
use crate::model::{Declaration, OwnershipFile, Role, RoleClaim, Team};
use crate::source::{SourceFile, Sp, Span};

/// The keys of an ownership file, in the order the documentation shows them.
pub const KEYS: &[&str] = &[
    "service",
    "provider",
    "plan",
    "offering",
    "products",
    "scope",
    "teams",
    "responsibilities",
    "waivers",
];

const ROLE_KEYS: &[&str] = &["responsible", "accountable", "consulted", "informed"];

/// Parses an ownership file; the first problem becomes one `invalid-yaml` finding.
pub fn load(source: &Arc<SourceFile>) -> Result<OwnershipFile, Finding> {
    let raw: RawOwnership = yaml::parse(source, FileKind::Ownership)?;
    let file = raw.into_model(source);
    check_scope(&file)?;
    Ok(file)
}

/// Scope globs per ownership file: a scope is a few folders, and every glob costs memory in the
/// scan's glob sets (105,000 globs once took 900 MB).
pub const MAX_SCOPE_GLOBS: usize = 256;
/// Teams in one file's `teams` registry.
pub const MAX_TEAMS: usize = 1_000;
/// Entries of one file's `waivers`.
pub const MAX_WAIVERS: usize = 1_000;

/// Cuts `scope`, `teams` and `waivers` to their limits (DESIGN section 9): what lies past a
/// limit is not used, and one `limit-exceeded` finding points at the first item past it.
pub fn enforce_limits(file: &mut OwnershipFile) -> Vec<Finding> {
    let source = Arc::clone(&file.source);
    let scope = file.scope.as_mut().map(|f| &mut f.value.value);
    let teams = file.teams.as_mut().map(|f| &mut f.value.value);
    let waivers = file.waivers.as_mut().map(|f| &mut f.value.value);
    [
        cut(scope, MAX_SCOPE_GLOBS, "scope globs", |g| g.span, &source),
        cut(teams, MAX_TEAMS, "teams", |t| t.name.span, &source),
        cut(waivers, MAX_WAIVERS, "waivers", |w| w.span, &source),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Truncates `list` to `limit` items, with the finding at the first item past it.
fn cut<T>(
    list: Option<&mut Vec<T>>,
    limit: usize,
    what: &'static str,
    span: fn(&T) -> Span,
    source: &Arc<SourceFile>,
) -> Option<Finding> {
    let list = list?;
    let first = list.get(limit)?;
    let finding = LimitExceeded {
        what,
        limit,
        count: list.len(),
        span: span(first),
    }
    .report(source);
    list.truncate(limit);
    Some(finding)
}

/// `scope` globs must compile and stay inside the file's folder.
fn check_scope(file: &OwnershipFile) -> Result<(), Finding> {
    for glob in file.scope.iter().flat_map(|s| &s.value.value) {
        let g = glob.value.as_str();
        let problem = if g.starts_with('/') || g.split('/').any(|part| part == "..") {
            Some(ScopeGlobProblem::LeavesFolder)
        } else {
            globset::Glob::new(g)
                .err()
                .map(|e| ScopeGlobProblem::DoesNotCompile(e.kind().to_string()))
        };
        if let Some(problem) = problem {
            return Err(BadScopeGlob { glob, problem }.report(&file.source));
        }
    }
    Ok(())
}

type KeyLoc = Location;

#[derive(Default)]
struct RawOwnership {
    service: Option<(KeyLoc, Spanned<String>)>,
    provider: Option<(KeyLoc, Spanned<String>)>,
    plan: Option<(KeyLoc, Spanned<String>)>,
    offering: Option<(KeyLoc, Spanned<String>)>,
    products: Option<(KeyLoc, Spanned<Vec<Spanned<String>>>)>,
    scope: Option<(KeyLoc, Spanned<Vec<Spanned<String>>>)>,
    teams: Option<(KeyLoc, Spanned<Entries<Option<RawTeam>>>)>,
    responsibilities: Option<(KeyLoc, Spanned<Entries<Spanned<RawDeclaration>>>)>,
    waivers: Option<(KeyLoc, Spanned<Vec<Spanned<RawWaiver>>>)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTeam {
    contact: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWaiver {
    code: Spanned<String>,
    activity: Option<Spanned<String>>,
    path: Option<Spanned<String>>,
    reason: Option<Spanned<String>>,
    expires: Option<Spanned<String>>,
}

/// A mapping read in source order, keys spanned.
pub(crate) struct Entries<V>(pub Vec<(Spanned<String>, V)>);

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Entries<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct EntriesVisitor<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for EntriesVisitor<V> {
            type Value = Entries<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    entries.push((key, map.next_value()?));
                }
                Ok(Entries(entries))
            }
        }
        d.deserialize_map(EntriesVisitor(PhantomData))
    }
}

/// A team name: non-empty text. Names YAML reads as numbers (`2024`) are taken as written;
/// names it reads as booleans (`yes`, `on`) must be quoted, and the message says so.
fn team_name<E: de::Error>(v: &str) -> Result<String, E> {
    if v.trim().is_empty() {
        return Err(E::invalid_value(
            de::Unexpected::Str(v),
            &"a non-empty team name",
        ));
    }
    Ok(v.to_owned())
}

const TEAM_EXPECTED: &str =
    "a team name (quote names such as \"yes\" or \"on\" that YAML reads as booleans)";

struct TeamName(String);

impl<'de> Deserialize<'de> for TeamName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct TeamNameVisitor;
        impl Visitor<'_> for TeamNameVisitor {
            type Value = TeamName;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(TEAM_EXPECTED)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                team_name(v).map(TeamName)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(TeamName(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(TeamName(v.to_string()))
            }
        }
        d.deserialize_any(TeamNameVisitor)
    }
}

enum RawTeamList {
    One(String),
    Many(Vec<Spanned<String>>),
}

impl<'de> Deserialize<'de> for RawTeamList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct TeamListVisitor;
        impl<'de> Visitor<'de> for TeamListVisitor {
            type Value = RawTeamList;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a team name or a list of team names")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                team_name(v).map(RawTeamList::One)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(RawTeamList::One(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(RawTeamList::One(v.to_string()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut teams = Vec::new();
                while let Some(team) = seq.next_element::<Spanned<TeamName>>()? {
                    teams.push(Spanned::new(team.value.0, team.referenced, team.defined));
                }
                Ok(RawTeamList::Many(teams))
            }
        }
        d.deserialize_any(TeamListVisitor)
    }
}

enum RawDeclaration {
    Shorthand(String),
    Explicit(Vec<(Spanned<String>, Spanned<RawTeamList>)>),
}

impl<'de> Deserialize<'de> for RawDeclaration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct DeclarationVisitor;
        impl<'de> Visitor<'de> for DeclarationVisitor {
            type Value = RawDeclaration;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a team name, or a mapping of roles (responsible, accountable, consulted, informed) to teams",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                team_name(v).map(RawDeclaration::Shorthand)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(RawDeclaration::Shorthand(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(RawDeclaration::Shorthand(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut roles = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    if Role::from_key(&key.value).is_none() {
                        return Err(de::Error::unknown_field(&key.value, ROLE_KEYS));
                    }
                    roles.push((key, map.next_value()?));
                }
                Ok(RawDeclaration::Explicit(roles))
            }
        }
        d.deserialize_any(DeclarationVisitor)
    }
}

impl<'de> Deserialize<'de> for RawOwnership {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct FileVisitor;
        impl<'de> Visitor<'de> for FileVisitor {
            type Value = RawOwnership;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping with at least `provider`")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut raw = RawOwnership::default();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    let at = key.referenced;
                    match key.value.as_str() {
                        "service" => raw.service = Some((at, map.next_value()?)),
                        "provider" => raw.provider = Some((at, map.next_value()?)),
                        "plan" => raw.plan = Some((at, map.next_value()?)),
                        "offering" => raw.offering = Some((at, map.next_value()?)),
                        "products" => raw.products = Some((at, map.next_value()?)),
                        "scope" => raw.scope = Some((at, map.next_value()?)),
                        "teams" => raw.teams = Some((at, map.next_value()?)),
                        "responsibilities" => raw.responsibilities = Some((at, map.next_value()?)),
                        "waivers" => raw.waivers = Some((at, map.next_value()?)),
                        other => return Err(de::Error::unknown_field(other, KEYS)),
                    }
                }
                if raw.provider.is_none() {
                    return Err(de::Error::missing_field("provider"));
                }
                Ok(raw)
            }
        }
        d.deserialize_map(FileVisitor)
    }
}

fn field<T, U>(
    source: &SourceFile,
    raw: Option<(KeyLoc, Spanned<T>)>,
    convert: impl FnOnce(T) -> U,
) -> Option<Field<U>> {
    raw.map(|(key, value)| {
        let value = sp(source, value);
        Field {
            key: yaml::span(source, &key),
            value: Sp::new(convert(value.value), value.span),
        }
    })
}

fn strings(source: &SourceFile, list: Vec<Spanned<String>>) -> Vec<Sp<String>> {
    list.into_iter().map(|s| sp(source, s)).collect()
}

impl RawOwnership {
    fn into_model(self, source: &Arc<SourceFile>) -> OwnershipFile {
        let src: &SourceFile = source;
        let provider = field(src, self.provider, |s| s).unwrap_or_else(|| Field {
            // The visitor refuses a file without `provider`; this only keeps the type total.
            key: Default::default(),
            value: Sp::new(String::new(), Default::default()),
        });
        OwnershipFile {
            source: Arc::clone(source),
            service: field(src, self.service, |s| s),
            provider,
            plan: field(src, self.plan, |s| s),
            offering: field(src, self.offering, |s| s),
            products: field(src, self.products, |l| strings(src, l)),
            scope: field(src, self.scope, |l| strings(src, l)),
            teams: field(src, self.teams, |entries| {
                entries
                    .0
                    .into_iter()
                    .map(|(name, team)| Team {
                        name: sp(src, name),
                        contact: team.and_then(|t| t.contact),
                    })
                    .collect()
            }),
            responsibilities: field(src, self.responsibilities, |entries| {
                entries
                    .0
                    .into_iter()
                    .map(|(key, value)| declaration(src, key, value))
                    .collect()
            }),
            waivers: field(src, self.waivers, |list| {
                list.into_iter()
                    .map(|w| {
                        let span = yaml::span(src, &w.referenced);
                        let w = w.value;
                        Waiver {
                            span,
                            code: sp(src, w.code),
                            activity: w.activity.map(|s| sp(src, s)),
                            path: w.path.map(|s| sp(src, s)),
                            reason: w.reason.map(|s| sp(src, s)),
                            expires: w.expires.map(|s| sp(src, s)),
                        }
                    })
                    .collect()
            }),
        }
    }
}

fn declaration(
    src: &SourceFile,
    key: Spanned<String>,
    value: Spanned<RawDeclaration>,
) -> Declaration {
    let activity = sp(src, key);
    let value_span = yaml::span(src, &value.referenced);
    match value.value {
        RawDeclaration::Shorthand(team) => Declaration {
            span: activity.span.to(value_span),
            form: DeclarationForm::Shorthand(Sp::new(team, value_span)),
            activity,
        },
        RawDeclaration::Explicit(roles) => {
            let claims = roles
                .into_iter()
                .filter_map(|(role_key, teams)| {
                    let role = Role::from_key(&role_key.value)?;
                    let key_span = yaml::span(src, &role_key.referenced);
                    let value_span = yaml::span(src, &teams.referenced);
                    let teams = match teams.value {
                        RawTeamList::One(team) => vec![Sp::new(team, value_span)],
                        RawTeamList::Many(list) => strings(src, list),
                    };
                    // A list's own span may stop at its opening bracket: stretch it over its
                    // items and the closing bracket of a flow list.
                    let value_span = teams.iter().fold(value_span, |s, t| s.to(t.span));
                    let value_span =
                        Span::new(value_span.start, past_flow_end(&src.text, value_span.end));
                    Some(RoleClaim {
                        role,
                        span: key_span.to(value_span),
                        teams,
                        value_span,
                    })
                })
                .collect();
            Declaration {
                span: activity.span,
                form: DeclarationForm::Explicit(claims),
                activity,
            }
        }
    }
}

/// The end of a flow list whose last item ends at `end`: past a closing quote, blanks and `]`.
fn past_flow_end(text: &str, end: usize) -> usize {
    let rest = &text[end..];
    let after_quote = rest.strip_prefix(['"', '\'']).unwrap_or(rest);
    let trimmed = after_quote.trim_start_matches([' ', '\t']);
    if trimmed.starts_with(']') {
        text.len() - trimmed.len() + 1
    } else {
        end
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;
    use crate::source::LineCol;

    fn lc(f: &OwnershipFile, offset: usize) -> LineCol {
        f.source.line_col(offset)
    }

    #[test]
    fn keys_and_values_keep_their_spans() {
        let src = SourceFile::new(
            "raci.yaml",
            "provider: sysbee\nresponsibilities:\n  server-os-patching: ops\n  local-backup:\n    responsible: [a, b]\n",
        );
        let f = load(&src).expect("valid");
        assert_eq!(f.provider.value.value, "sysbee");
        assert_eq!(lc(&f, f.anchor().start), LineCol { line: 2, column: 1 });
        let d = &f.declarations()[0];
        assert_eq!(
            &src.text[d.span.start..d.span.end],
            "server-os-patching: ops"
        );
        let DeclarationForm::Explicit(claims) = &f.declarations()[1].form else {
            panic!("explicit form expected")
        };
        assert_eq!(
            &src.text[claims[0].span.start..claims[0].span.end],
            "responsible: [a, b]"
        );
        assert_eq!(claims[0].teams[1].value, "b");
    }

    #[test]
    fn unknown_key_points_at_the_key() {
        let src = SourceFile::new("raci.yaml", "provider: sysbee\nresponsibilites: {}\n");
        let finding = load(&src).expect_err("invalid");
        assert_eq!(finding.code, Code::InvalidYaml);
        assert_eq!(finding.start(), Some(LineCol { line: 2, column: 1 }));
        assert!(
            finding
                .help
                .unwrap()
                .starts_with("did you mean `responsibilities`?")
        );
    }
}
