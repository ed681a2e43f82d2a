//! The one place that calls serde-saphyr: parsing options and budgets, span conversion, and
//! turning a parse error into a finding that points at the problem.

use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde_saphyr::{Location, Spanned};

use crate::diag::{Code, Finding};
use crate::source::{SourceFile, Sp, Span};
use crate::suggest;

/// Budgets sized for hand-written configuration: generous for any real file, small enough that
/// alias bombs, deep nesting and huge documents stop at once.
fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        with_snippet: false,
        budget: serde_saphyr::budget! {
            max_documents: 1,
            max_depth: 64,
            max_aliases: 1_000,
            max_anchors: 1_000,
            max_nodes: 250_000,
            max_events: 1_000_000,
            max_total_scalar_bytes: 16 * 1024 * 1024,
        },
    }
}

/// The kind of file being read: it decides the code of its problems and how messages name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Ownership,
    Pack,
    Config,
}

impl FileKind {
    /// The code of a problem with the file's YAML.
    pub fn code(self) -> Code {
        match self {
            FileKind::Pack => Code::PackInvalidYaml,
            FileKind::Ownership | FileKind::Config => Code::InvalidYaml,
        }
    }

    /// How messages name the file.
    pub fn noun(self) -> &'static str {
        match self {
            FileKind::Ownership => "an ownership file",
            FileKind::Pack => "a rule pack",
            FileKind::Config => "the config file",
        }
    }
}

/// Parses one YAML document of `source` into `T`; a problem becomes one finding at the first
/// problem, of the code of the file's kind.
pub fn parse<T: DeserializeOwned>(source: &Arc<SourceFile>, kind: FileKind) -> Result<T, Finding> {
    if is_blank(&source.text) {
        return Err(Finding::new(kind.code(), "the file is empty: it holds no YAML document")
            .at(source, Span::new(0, 0), "empty document")
            .help(match kind {
                FileKind::Pack => "a rule pack needs at least `provider` and `activities`",
                FileKind::Config => "set at least one key (`evidence: true`), or delete the file",
                FileKind::Ownership => "an ownership file needs at least `provider:`; delete the file if it is not used",
            }));
    }
    serde_saphyr::from_str_with_options::<T>(&source.text, options())
        .map_err(|e| error_finding(source, kind, &e))
}

/// No content: only blank lines, comments and document markers (`---`, `...`).
fn is_blank(text: &str) -> bool {
    text.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || t == "---" || t == "..."
    })
}

/// Converts a serde-saphyr location into a byte span of `source`.
pub fn span(source: &SourceFile, loc: &Location) -> Span {
    if loc.line() == 0 {
        return Span::new(0, 0);
    }
    let s = loc.span();
    match (s.byte_offset(), s.byte_len()) {
        (Some(start), Some(len)) => {
            let start = usize::try_from(start)
                .unwrap_or(usize::MAX)
                .min(source.text.len());
            let len = usize::try_from(len).unwrap_or(0);
            Span::new(start, start.saturating_add(len).min(source.text.len()))
        }
        _ => {
            let start = source.offset_of(
                usize::try_from(loc.line()).unwrap_or(usize::MAX),
                usize::try_from(loc.column()).unwrap_or(usize::MAX),
            );
            let chars = usize::try_from(s.len()).unwrap_or(0);
            let end = source.text[start..]
                .char_indices()
                .nth(chars)
                .map_or(source.text.len(), |(i, _)| start + i);
            Span::new(start, end)
        }
    }
}

/// A spanned value in our own terms.
pub fn sp<T>(source: &SourceFile, spanned: Spanned<T>) -> Sp<T> {
    Sp::new(spanned.value, span(source, &spanned.referenced))
}

fn error_finding(source: &Arc<SourceFile>, kind: FileKind, error: &serde_saphyr::Error) -> Finding {
    let code = kind.code();
    let at = error
        .location()
        .map_or(Span::new(0, 0), |loc| span(source, &loc));
    let raw = error.without_snippet().to_string();
    let (message, label, help) = describe(&raw, kind);
    let mut finding = Finding::new(code, message).at(source, at, label);
    if let Some(help) = help {
        finding = finding.help(help);
    }
    // An unknown key of an ownership file with one close known key: rename it (unsafe).
    if kind == FileKind::Ownership
        && let Some((field, expected)) = unknown_field(&raw)
        && source.text.get(at.start..at.end) == Some(field)
    {
        let written = Sp::new(field.to_owned(), at);
        finding = finding.with_fix(crate::fix::edits::did_you_mean(
            &source.text,
            &written,
            expected,
        ));
    }
    finding
}

/// serde's "unknown field `x`, expected one of `a`, `b`": the field and the keys expected.
fn unknown_field(text: &str) -> Option<(&str, Vec<&str>)> {
    let rest = text.strip_prefix("unknown field `")?;
    let (field, expected) = rest.split_once('`').unwrap_or((rest, ""));
    let expected = expected
        .split(" at line ")
        .next()
        .unwrap_or(expected)
        .trim_start_matches(", expected one of ")
        .trim_start_matches(", expected ")
        .split(", ")
        .map(|s| s.trim().trim_matches('`'))
        .filter(|s| !s.is_empty() && !s.contains(' '))
        .collect();
    Some((field, expected))
}

/// Rewords serde-saphyr's message for our users; returns (message, label, help).
fn describe(raw: &str, file: FileKind) -> (String, String, Option<String>) {
    // serde-saphyr appends " at line N, column M" (and alias notes); we show the span instead.
    let text = raw
        .split(" at line ")
        .next()
        .unwrap_or(raw)
        .trim()
        .to_owned();
    let kind = file.noun();
    if let Some((field, expected)) = unknown_field(&text) {
        let known = if expected.is_empty() {
            "no keys are allowed here".to_owned()
        } else {
            format!("known keys here: {}", expected.join(", "))
        };
        let help = match suggest::did_you_mean(field, expected.iter().copied()) {
            Some(s) => format!("did you mean `{s}`? ({known})"),
            None => known,
        };
        return (
            format!("unknown key `{field}` in {kind}"),
            "unknown key".into(),
            Some(help),
        );
    }
    if let Some(rest) = text.strip_prefix("duplicate mapping key: ") {
        let key = rest
            .split(", set DuplicateKeyPolicy")
            .next()
            .unwrap_or(rest);
        return (
            format!("duplicate key `{key}`"),
            "defined again here".into(),
            Some("each key may appear once in a mapping: merge the two entries".into()),
        );
    }
    if let Some(rest) = text.strip_prefix("missing field `") {
        let field = rest.trim_end_matches('`');
        return (
            format!("missing required key `{field}`"),
            format!("`{field}` is missing from this mapping"),
            Some(format!("add `{field}:` to this mapping")),
        );
    }
    if text.contains("Documents {") {
        return (
            "several YAML documents in one file".into(),
            "a second document starts here".into(),
            Some(format!(
                "{kind} holds exactly one document: split it into separate files"
            )),
        );
    }
    if text.starts_with("budget breached") || text.contains("recursion limit") {
        return (
            format!("the YAML exceeds raci-lint's limits ({text})"),
            "limit reached here".into(),
            Some("this file nests too deeply or expands too many aliases for a hand-written file; simplify it".into()),
        );
    }
    if text.contains("expected mapping start") {
        return (
            "expected a YAML mapping (`key: value` entries) here".into(),
            "not a mapping".into(),
            Some(format!(
                "{kind} is a mapping, and so are `teams`, `responsibilities` and each explicit declaration"
            )),
        );
    }
    if text.contains("expected sequence start") {
        return (
            "expected a list here".into(),
            "not a list".into(),
            Some("write a list, e.g. `products: [kubernetes]` or one `- item` per line".into()),
        );
    }
    if text.contains("null into string") {
        return (
            "expected text here, found an empty value".into(),
            "empty value".into(),
            Some("write a value after the colon, or remove the key".into()),
        );
    }
    // serde's words for YAML's empty value.
    let text = text
        .replace("unit value", "an empty value")
        .replace("invalid type: ", "wrong type: ");
    (format!("invalid YAML: {text}"), "here".into(), None)
}

#[cfg(test)]
mod tests {
    use super::{FileKind, describe};

    #[test]
    fn unknown_key_gets_did_you_mean() {
        let (m, _, help) = describe(
            "unknown field `responsibilites`, expected one of `service`, `provider`, `responsibilities` at line 3, column 1",
            FileKind::Ownership,
        );
        assert_eq!(m, "unknown key `responsibilites` in an ownership file");
        assert_eq!(
            help.as_deref(),
            Some(
                "did you mean `responsibilities`? (known keys here: service, provider, responsibilities)"
            )
        );
    }

    #[test]
    fn duplicate_key_is_reworded() {
        let (m, _, _) = describe(
            "duplicate mapping key: provider, set DuplicateKeyPolicy in Options if acceptable at line 2, column 1",
            FileKind::Config,
        );
        assert_eq!(m, "duplicate key `provider`");
    }
}
