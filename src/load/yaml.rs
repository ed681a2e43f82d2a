//! The one place that calls serde-saphyr: parsing options and budgets, span conversion, and
//! turning a parse error into a finding that points at the problem.

use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde_saphyr::{Location, Spanned};

use super::FileKind;
use crate::diag::Finding;
use crate::diag::kinds::{EmptyFile, InvalidYaml, YamlProblem};
use crate::source::{SourceFile, Sp, Span};

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

/// Parses one YAML document of `source` into `T`; a problem becomes one finding at the first
/// problem, of the code of the file's kind.
pub fn parse<T: DeserializeOwned>(source: &Arc<SourceFile>, kind: FileKind) -> Result<T, Finding> {
    if is_blank(&source.text) {
        return Err(EmptyFile { kind }.report(source));
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
    let at = error
        .location()
        .map_or(Span::new(0, 0), |loc| span(source, &loc));
    let raw = error.without_snippet().to_string();
    let mut finding = InvalidYaml {
        kind,
        problem: problem(&raw),
        span: at,
    }
    .report(source);
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

/// What serde-saphyr's message says went wrong, as facts for its wording in
/// [`crate::diag::kinds`].
fn problem(raw: &str) -> YamlProblem<'_> {
    // serde-saphyr appends " at line N, column M" (and alias notes); we show the span instead.
    let text = raw.split(" at line ").next().unwrap_or(raw).trim();
    if let Some((key, expected)) = unknown_field(text) {
        return YamlProblem::UnknownKey { key, expected };
    }
    if let Some(rest) = text.strip_prefix("duplicate mapping key: ") {
        let key = rest
            .split(", set DuplicateKeyPolicy")
            .next()
            .unwrap_or(rest);
        return YamlProblem::DuplicateKey(key);
    }
    if let Some(rest) = text.strip_prefix("missing field `") {
        return YamlProblem::MissingKey(rest.trim_end_matches('`'));
    }
    if text.contains("Documents {") {
        return YamlProblem::SeveralDocuments;
    }
    if text.starts_with("budget breached") || text.contains("recursion limit") {
        return YamlProblem::OverLimits(text);
    }
    if text.contains("expected mapping start") {
        return YamlProblem::NotAMapping;
    }
    if text.contains("expected sequence start") {
        return YamlProblem::NotAList;
    }
    if text.contains("null into string") {
        return YamlProblem::EmptyValue;
    }
    YamlProblem::Other(text)
}

#[cfg(test)]
mod tests {
    use super::{YamlProblem, problem};

    #[test]
    fn unknown_key_keeps_the_keys_expected() {
        assert_eq!(
            problem(
                "unknown field `responsibilites`, expected one of `service`, `provider`, `responsibilities` at line 3, column 1"
            ),
            YamlProblem::UnknownKey {
                key: "responsibilites",
                expected: vec!["service", "provider", "responsibilities"],
            }
        );
    }

    #[test]
    fn duplicate_key_is_recognised() {
        assert_eq!(
            problem(
                "duplicate mapping key: provider, set DuplicateKeyPolicy in Options if acceptable at line 2, column 1"
            ),
            YamlProblem::DuplicateKey("provider")
        );
    }
}
