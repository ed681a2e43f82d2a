//! Rule packs: one provider's matrix of activities, as loaded and validated.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, OnceLock};

use super::{Role, RoleSet};
use crate::source::{SourceFile, Sp};

/// Where a pack came from: compiled in, or a user's file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PackOrigin {
    Builtin,
    User,
}

#[derive(Clone, Debug)]
pub struct Named {
    pub id: Sp<String>,
    pub name: String,
    pub description: Option<String>,
}

#[derive(Clone, Debug)]
pub struct EvidenceRule {
    pub id: Sp<String>,
    pub files: Vec<Sp<String>>,
    pub exclude: Vec<Sp<String>>,
    pub matcher: Matcher,
    pub description: Option<String>,
}

/// What an evidence rule looks for (DESIGN section 4): exactly one matcher per rule.
#[derive(Clone, Debug)]
pub enum Matcher {
    /// A regex over one line.
    Pattern(Sp<String>),
    /// An Ansible task of one of these modules, whose named arguments match.
    Ansible(AnsibleMatcher),
    /// A regex over one shell command, wherever the repository runs commands.
    Command(Sp<String>),
}

#[derive(Clone, Debug)]
pub struct AnsibleMatcher {
    /// Module names as written: short (`apt`) or with a collection prefix.
    pub modules: Vec<Sp<String>>,
    /// Argument name and the regex its value must match.
    pub args: Vec<(String, Sp<String>)>,
}

impl Matcher {
    /// The matcher's key in a pack: `pattern`, `ansible` or `command`.
    pub fn kind(&self) -> &'static str {
        match self {
            Matcher::Pattern(_) => "pattern",
            Matcher::Ansible(_) => "ansible",
            Matcher::Command(_) => "command",
        }
    }

    /// Every regex of the matcher, with where it is written.
    pub fn regexes(&self) -> Vec<&Sp<String>> {
        match self {
            Matcher::Pattern(p) | Matcher::Command(p) => vec![p],
            Matcher::Ansible(a) => a.args.iter().map(|(_, r)| r).collect(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Activity {
    pub id: Sp<String>,
    pub title: String,
    pub category: String,
    /// `None`: every plan of the provider.
    pub plans: Option<Sp<Vec<Sp<String>>>>,
    pub product: Option<Sp<String>>,
    pub provider: Sp<RoleSet>,
    pub customer: Sp<RoleSet>,
    pub comment: Option<String>,
    pub overrides: Option<Sp<String>>,
    pub evidence: Vec<EvidenceRule>,
}

impl Activity {
    pub fn id(&self) -> &str {
        &self.id.value
    }

    pub fn on_plan(&self, plan: Option<&str>) -> bool {
        match (&self.plans, plan) {
            (None, _) => true,
            (Some(plans), Some(plan)) => plans.value.iter().any(|p| p.value == plan),
            (Some(_), None) => false,
        }
    }

    /// The ids of the plans this activity is on, in the pack's order; `None`: every plan.
    pub fn plan_ids(&self) -> Option<Vec<&str>> {
        self.plans
            .as_ref()
            .map(|plans| plans.value.iter().map(|p| p.value.as_str()).collect())
    }

    /// The customer's duties: the R and A roles of the customer share, which an ownership file
    /// gives to a team.
    pub fn customer_duty(&self) -> RoleSet {
        self.customer.value.intersection(RoleSet::DUTY)
    }

    /// An activity is a duty when the customer share includes R or A.
    pub fn is_duty(&self) -> bool {
        !self.customer_duty().is_empty()
    }

    /// Whether `role` is a duty the provider holds: an R or A the customer share lacks, which
    /// no team of the customer's may claim.
    pub fn held_by_provider(&self, role: Role) -> bool {
        RoleSet::DUTY.contains(role) && !self.customer.value.contains(role)
    }

    /// The customer's duties that no team holds, when teams hold `held`.
    pub fn unowned(&self, held: RoleSet) -> RoleSet {
        self.customer_duty().difference(held)
    }
}

#[derive(Clone, Debug)]
pub struct Pack {
    pub source: Arc<SourceFile>,
    pub origin: PackOrigin,
    pub id: Sp<String>,
    pub name: String,
    pub description: Option<String>,
    pub plans: Vec<Named>,
    pub products: Vec<Named>,
    pub offerings: Vec<Named>,
    pub activities: Vec<Activity>,
}

impl Pack {
    pub fn id(&self) -> &str {
        &self.id.value
    }

    pub fn activity(&self, id: &str) -> Option<&Activity> {
        self.activities.iter().find(|a| a.id.value == id)
    }

    pub fn has_plan(&self, id: &str) -> bool {
        self.plans.iter().any(|p| p.id.value == id)
    }

    pub fn has_product(&self, id: &str) -> bool {
        self.products.iter().any(|p| p.id.value == id)
    }

    pub fn has_offering(&self, id: &str) -> bool {
        self.offerings.iter().any(|p| p.id.value == id)
    }

    /// The product activities that override the generic activity `generic`.
    pub fn overriders<'a>(&'a self, generic: &'a str) -> impl Iterator<Item = &'a Activity> + 'a {
        self.activities
            .iter()
            .filter(move |a| a.overrides.as_ref().is_some_and(|o| o.value == generic))
    }
}

/// The packs in force for a run, by provider id.
#[derive(Clone, Debug, Default)]
pub struct Packs {
    /// The packs parsed so far. A provider id is here or in `deferred`, never in both.
    pub by_id: BTreeMap<String, Arc<Pack>>,
    /// Providers whose user pack had errors: files naming them are told so.
    pub broken: BTreeSet<String>,
    /// Built-in packs parsed only when first asked for: a run parses the packs its ownership
    /// files name, not every built-in one (on a small repository, parsing was most of the run).
    deferred: BTreeMap<String, Deferred>,
}

/// A built-in pack, parsed the first time it is asked for.
#[derive(Clone, Debug)]
pub struct Deferred {
    path: &'static str,
    text: &'static str,
    parse: fn(&'static str, &'static str) -> Option<Pack>,
    pack: OnceLock<Option<Arc<Pack>>>,
}

impl Deferred {
    /// `parse` turns (file name, text) into the pack; `None` when it has an error.
    pub fn new(
        path: &'static str,
        text: &'static str,
        parse: fn(&'static str, &'static str) -> Option<Pack>,
    ) -> Self {
        Deferred {
            path,
            text,
            parse,
            pack: OnceLock::new(),
        }
    }

    fn get(&self) -> Option<&Arc<Pack>> {
        self.pack
            .get_or_init(|| (self.parse)(self.path, self.text).map(Arc::new))
            .as_ref()
    }
}

impl Packs {
    pub fn get(&self, id: &str) -> Option<&Arc<Pack>> {
        self.by_id
            .get(id)
            .or_else(|| self.deferred.get(id).and_then(Deferred::get))
    }

    /// Every pack as (provider id, file), parsed or not, in id order.
    fn entries(&self) -> Vec<(&str, &str)> {
        let mut entries: Vec<(&str, &str)> = self
            .by_id
            .iter()
            .map(|(id, p)| (id.as_str(), p.source.path.as_str()))
            .chain(self.deferred.iter().map(|(id, d)| (id.as_str(), d.path)))
            .collect();
        entries.sort_unstable();
        entries
    }

    /// Every provider id, parsed or not, in order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.entries().into_iter().map(|(id, _)| id)
    }

    /// Every pack as `id (file)`, parsed or not, in id order.
    pub fn listing(&self) -> Vec<String> {
        self.entries()
            .into_iter()
            .map(|(id, path)| format!("{id} ({path})"))
            .collect()
    }

    /// Whether `id` is a built-in provider's, parsed or not.
    pub fn is_builtin(&self, id: &str) -> bool {
        self.deferred.contains_key(id)
            || self
                .by_id
                .get(id)
                .is_some_and(|p| p.origin == PackOrigin::Builtin)
    }

    /// Adds a built-in pack to parse when first asked for.
    pub fn defer(&mut self, id: &str, pack: Deferred) {
        self.by_id.remove(id);
        self.deferred.insert(id.to_owned(), pack);
    }

    /// Puts `pack` in force for its provider, in place of any other.
    pub fn insert(&mut self, pack: Arc<Pack>) {
        let id = pack.id().to_owned();
        self.deferred.remove(&id);
        self.by_id.insert(id, pack);
    }
}
