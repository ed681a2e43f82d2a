//! Wording of the findings about a file that cannot be read as its kind: too large, not UTF-8,
//! empty, a YAML problem (syntax, unknown or duplicate key, wrong type, limits), and a `scope`
//! glob that cannot be used. The kind of file decides the code and how the file is named.

use std::sync::Arc;

use crate::diag::{Code, Finding};
use crate::source::{SourceFile, Sp, Span};
use crate::suggest;

/// The kind of file being read: it decides the code of its problems and how messages name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Ownership,
    Pack,
    Config,
    /// A baseline (JSON, read as text like the others).
    Baseline,
}

impl FileKind {
    /// The code of a problem with the file's content.
    pub fn code(self) -> Code {
        match self {
            FileKind::Pack => Code::PackInvalidYaml,
            FileKind::Ownership | FileKind::Config => Code::InvalidYaml,
            FileKind::Baseline => Code::InvalidBaseline,
        }
    }

    /// How messages name the file.
    pub fn noun(self) -> &'static str {
        match self {
            FileKind::Ownership => "an ownership file",
            FileKind::Pack => "a rule pack",
            FileKind::Config => "the config file",
            FileKind::Baseline => "a baseline",
        }
    }
}

/// A file larger than its kind may be, refused before it is read.
pub struct TooLarge<'a> {
    pub path: &'a str,
    pub kind: FileKind,
    pub size: u64,
    pub limit: u64,
}

impl TooLarge<'_> {
    pub fn report(self) -> Finding {
        let kind = self.kind.noun();
        Finding::new(
            self.kind.code(),
            format!(
                "the file is too large for {kind} ({} bytes; the limit is {} MiB)",
                self.size,
                self.limit / (1024 * 1024)
            ),
        )
        .help(format!(
            "{kind} is a short hand-written file; split it or leave this path out"
        ))
        .at_path(self.path)
    }
}

/// Bytes that are not UTF-8; `at` is the first invalid sequence in the lossy text of `source`.
pub struct InvalidUtf8 {
    pub kind: FileKind,
    pub at: usize,
}

impl InvalidUtf8 {
    pub fn report(self, src: &Arc<SourceFile>) -> Finding {
        Finding::new(self.kind.code(), "the file is not valid UTF-8")
            .at(
                src,
                Span::new(self.at, self.at + '\u{fffd}'.len_utf8()),
                "invalid byte sequence here",
            )
            .help("the file must be UTF-8 text; re-save it as UTF-8")
    }
}

/// A YAML file with nothing but blank lines, comments and document markers.
pub struct EmptyFile {
    pub kind: FileKind,
}

impl EmptyFile {
    pub fn report(self, src: &Arc<SourceFile>) -> Finding {
        Finding::new(
            self.kind.code(),
            "the file is empty: it holds no YAML document",
        )
        .at(src, Span::new(0, 0), "empty document")
        .help(match self.kind {
            FileKind::Pack => "a rule pack needs at least `provider` and `activities`",
            FileKind::Config => "set at least one key (`evidence: true`), or delete the file",
            FileKind::Ownership => {
                "an ownership file needs at least `provider:`; delete the file if it is not used"
            }
            FileKind::Baseline => "write the baseline again with `--write-baseline FILE`",
        })
    }
}

/// What went wrong parsing a YAML file, as `load::yaml` reads it from serde-saphyr's error.
#[derive(Debug, PartialEq, Eq)]
pub enum YamlProblem<'a> {
    /// A key the schema does not have, and the keys it has there.
    UnknownKey {
        key: &'a str,
        expected: Vec<&'a str>,
    },
    DuplicateKey(&'a str),
    MissingKey(&'a str),
    SeveralDocuments,
    /// A budget (depth, aliases, nodes) was exceeded: the parser's words for which.
    OverLimits(&'a str),
    NotAMapping,
    NotAList,
    EmptyValue,
    /// Anything else, in serde's words.
    Other(&'a str),
}

/// A YAML problem in a file of `kind`, at its first problem.
pub struct InvalidYaml<'a> {
    pub kind: FileKind,
    pub problem: YamlProblem<'a>,
    pub span: Span,
}

impl InvalidYaml<'_> {
    pub fn report(self, src: &Arc<SourceFile>) -> Finding {
        let (message, label, help) = describe(&self.problem, self.kind);
        let finding = Finding::new(self.kind.code(), message).at(src, self.span, label);
        match help {
            Some(help) => finding.help(help),
            None => finding,
        }
    }
}

/// The message, label and help of a YAML problem.
fn describe(problem: &YamlProblem<'_>, file: FileKind) -> (String, String, Option<String>) {
    let kind = file.noun();
    match problem {
        YamlProblem::UnknownKey { key, expected } => {
            let known = if expected.is_empty() {
                "no keys are allowed here".to_owned()
            } else {
                format!("known keys here: {}", expected.join(", "))
            };
            let help = match suggest::did_you_mean(key, expected.iter().copied()) {
                Some(s) => format!("did you mean `{s}`? ({known})"),
                None => known,
            };
            (
                format!("unknown key `{key}` in {kind}"),
                "unknown key".into(),
                Some(help),
            )
        }
        YamlProblem::DuplicateKey(key) => (
            format!("duplicate key `{key}`"),
            "defined again here".into(),
            Some("each key may appear once in a mapping: merge the two entries".into()),
        ),
        YamlProblem::MissingKey(field) => (
            format!("missing required key `{field}`"),
            format!("`{field}` is missing from this mapping"),
            Some(format!("add `{field}:` to this mapping")),
        ),
        YamlProblem::SeveralDocuments => (
            "several YAML documents in one file".into(),
            "a second document starts here".into(),
            Some(format!(
                "{kind} holds exactly one document: split it into separate files"
            )),
        ),
        YamlProblem::OverLimits(text) => (
            format!("the YAML exceeds raci-lint's limits ({text})"),
            "limit reached here".into(),
            Some("this file nests too deeply or expands too many aliases for a hand-written file; simplify it".into()),
        ),
        YamlProblem::NotAMapping => (
            "expected a YAML mapping (`key: value` entries) here".into(),
            "not a mapping".into(),
            Some(format!(
                "{kind} is a mapping, and so are `teams`, `responsibilities` and each explicit declaration"
            )),
        ),
        YamlProblem::NotAList => (
            "expected a list here".into(),
            "not a list".into(),
            Some("write a list, e.g. `products: [kubernetes]` or one `- item` per line".into()),
        ),
        YamlProblem::EmptyValue => (
            "expected text here, found an empty value".into(),
            "empty value".into(),
            Some("write a value after the colon, or remove the key".into()),
        ),
        YamlProblem::Other(text) => {
            // serde's words for YAML's empty value.
            let text = text
                .replace("unit value", "an empty value")
                .replace("invalid type: ", "wrong type: ");
            (format!("invalid YAML: {text}"), "here".into(), None)
        }
    }
}

/// Why a `scope` glob of an ownership file cannot be used.
pub enum ScopeGlobProblem {
    /// Absolute, or with a `..` component.
    LeavesFolder,
    /// globset's reason.
    DoesNotCompile(String),
}

/// A `scope` glob that cannot be used: the file is `invalid-yaml`.
pub struct BadScopeGlob<'a> {
    pub glob: &'a Sp<String>,
    pub problem: ScopeGlobProblem,
}

impl BadScopeGlob<'_> {
    pub fn report(self, src: &Arc<SourceFile>) -> Finding {
        let problem = match self.problem {
            ScopeGlobProblem::LeavesFolder => {
                "scope globs are relative to this file's folder and stay inside it".to_owned()
            }
            ScopeGlobProblem::DoesNotCompile(reason) => reason,
        };
        Finding::new(
            Code::InvalidYaml,
            format!("bad `scope` glob `{}`: {problem}", self.glob.value),
        )
        .at(src, self.glob.span, "bad glob")
        .help("write globs such as `ansible/**` or `scripts/*.sh`, relative to this file")
    }
}

#[cfg(test)]
mod tests {
    use super::{FileKind, YamlProblem, describe};

    #[test]
    fn unknown_key_gets_did_you_mean() {
        let problem = YamlProblem::UnknownKey {
            key: "responsibilites",
            expected: vec!["service", "provider", "responsibilities"],
        };
        let (m, _, help) = describe(&problem, FileKind::Ownership);
        assert_eq!(m, "unknown key `responsibilites` in an ownership file");
        assert_eq!(
            help.as_deref(),
            Some(
                "did you mean `responsibilities`? (known keys here: service, provider, responsibilities)"
            )
        );
    }

    #[test]
    fn serde_words_for_an_empty_value_are_ours() {
        let problem = YamlProblem::Other("invalid type: unit value, expected a string");
        let (m, label, help) = describe(&problem, FileKind::Config);
        assert_eq!(
            m,
            "invalid YAML: wrong type: an empty value, expected a string"
        );
        assert_eq!((label.as_str(), help), ("here", None));
    }
}
