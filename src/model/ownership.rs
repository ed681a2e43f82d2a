//! Ownership files: a customer's declaration of which team holds which role, with the span of
//! every key and value so that findings can point at them.

use std::sync::Arc;

use super::Role;
use crate::source::{SourceFile, Sp, Span};

/// The team `raci-lint init` writes for every duty, until someone names the real one. `check`
/// reports it as `unowned-duty`; `matrix` shows its duty as unowned.
pub const PLACEHOLDER: &str = "TODO";

/// A top-level key with its value: the key's span is where file-wide findings point.
#[derive(Clone, Debug)]
pub struct Field<T> {
    pub key: Span,
    pub value: Sp<T>,
}

#[derive(Clone, Debug)]
pub struct Team {
    pub name: Sp<String>,
    pub contact: Option<String>,
}

/// One explicit role entry: `responsible: [platform, data]`.
#[derive(Clone, Debug)]
pub struct RoleClaim {
    pub role: Role,
    /// From the role key to the end of its value.
    pub span: Span,
    pub teams: Vec<Sp<String>>,
    /// The value alone (the team or the list).
    pub value_span: Span,
}

#[derive(Clone, Debug)]
pub enum DeclarationForm {
    /// `activity: team`: the team holds the customer share.
    Shorthand(Sp<String>),
    /// `activity: { responsible: ..., accountable: ... }`.
    Explicit(Vec<RoleClaim>),
}

#[derive(Clone, Debug)]
pub struct Declaration {
    /// The activity id as written.
    pub activity: Sp<String>,
    /// From the key to the end of the value (the whole `key: team` entry for the shorthand).
    pub span: Span,
    pub form: DeclarationForm,
}

impl Declaration {
    /// Every team named, with its span.
    pub fn teams(&self) -> Vec<&Sp<String>> {
        match &self.form {
            DeclarationForm::Shorthand(team) => vec![team],
            DeclarationForm::Explicit(claims) => claims.iter().flat_map(|c| &c.teams).collect(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Waiver {
    pub span: Span,
    pub code: Sp<String>,
    pub activity: Option<Sp<String>>,
    pub path: Option<Sp<String>>,
    pub reason: Option<Sp<String>>,
    pub expires: Option<Sp<String>>,
}

#[derive(Clone, Debug)]
pub struct OwnershipFile {
    pub source: Arc<SourceFile>,
    pub service: Option<Field<String>>,
    pub provider: Field<String>,
    pub plan: Option<Field<String>>,
    pub offering: Option<Field<String>>,
    pub products: Option<Field<Vec<Sp<String>>>>,
    pub scope: Option<Field<Vec<Sp<String>>>>,
    pub teams: Option<Field<Vec<Team>>>,
    pub responsibilities: Option<Field<Vec<Declaration>>>,
    pub waivers: Option<Field<Vec<Waiver>>>,
}

impl OwnershipFile {
    pub fn plan(&self) -> Option<&str> {
        self.plan.as_ref().map(|p| p.value.value.as_str())
    }

    pub fn products(&self) -> impl Iterator<Item = &Sp<String>> {
        self.products.iter().flat_map(|p| &p.value.value)
    }

    pub fn declarations(&self) -> &[Declaration] {
        self.responsibilities
            .as_ref()
            .map_or(&[], |r| r.value.value.as_slice())
    }

    /// Where file-wide findings point: the `responsibilities` key, else `provider`.
    pub fn anchor(&self) -> Span {
        self.responsibilities
            .as_ref()
            .map_or(self.provider.key, |r| r.key)
    }

    /// "billing-platform" in messages, when the file names its service.
    pub fn service(&self) -> Option<&str> {
        self.service.as_ref().map(|s| s.value.value.as_str())
    }
}
