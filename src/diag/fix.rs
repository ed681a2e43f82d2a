//! Fixes as data (DESIGN section 8): text edits to the finding's own file, a title, and whether
//! the fix keeps the author's evident meaning (safe) or guesses (unsafe). Built where the finding
//! is made, from the spans it has; applied by [`crate::fix`].

use crate::source::Span;

/// How sure a fix is of what the author meant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Applicability {
    /// Keeps the meaning the author evidently intended: `--fix` applies it.
    Safe,
    /// A guess (a did-you-mean, a changed role): only with `--unsafe-fixes`.
    Unsafe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// Replace `span` (bytes of the text as read, BOM removed) with `content`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub content: String,
}

impl Edit {
    pub fn replace(span: Span, content: impl Into<String>) -> Edit {
        Edit {
            span,
            content: content.into(),
        }
    }

    pub fn insert(at: usize, content: impl Into<String>) -> Edit {
        Edit::replace(Span::new(at, at), content)
    }

    pub fn delete(span: Span) -> Edit {
        Edit::replace(span, String::new())
    }
}

/// The edits that make one finding go away, all in the finding's file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub applicability: Applicability,
    /// What the fix does, as a user reads it in a quick-fix menu: "Rename to `x`".
    pub title: String,
    /// Sorted by position, none overlapping.
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn new(
        applicability: Applicability,
        title: impl Into<String>,
        mut edits: Vec<Edit>,
    ) -> Fix {
        edits.sort_by_key(|e| (e.span.start, e.span.end));
        Fix {
            applicability,
            title: title.into(),
            edits,
        }
    }

    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix::new(Applicability::Safe, title, edits)
    }

    pub fn unsafe_(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix::new(Applicability::Unsafe, title, edits)
    }

    /// The byte range the fix touches, from its first edit to its last.
    pub fn range(&self) -> Option<Span> {
        let first = self.edits.first()?.span;
        Some(self.edits.iter().fold(first, |s, e| s.to(e.span)))
    }
}

/// Titles of the fixes, as a quick-fix menu and `--format json` show them.
pub mod title {
    pub fn rename(to: &str) -> String {
        format!("Replace with `{to}`")
    }

    pub fn overridden(to: &str, product: &str) -> String {
        format!("Declare `{to}` instead, the activity of product `{product}`")
    }

    pub fn remove_waiver() -> String {
        "Remove the unused waiver".to_owned()
    }

    pub fn remove_allow() -> String {
        "Remove the unused inline allow".to_owned()
    }

    pub fn informed(teams: &[&str]) -> String {
        let teams: Vec<String> = teams.iter().map(|t| format!("`{t}`")).collect();
        format!("Keep {} as informed only", teams.join(", "))
    }

    pub fn add_product(product: &str) -> String {
        format!("Add `{product}` to `products`")
    }
}
