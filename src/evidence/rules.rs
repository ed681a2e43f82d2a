//! Evidence rules compiled for scanning: globs into glob sets, patterns into line regexes, and
//! one whole-file prefilter per pack that rejects most files before any line is looked at.

use std::sync::Arc;

use globset::GlobSet;
use regex::bytes::{Regex, RegexBuilder};

use crate::checks::pack::REGEX_SIZE_LIMIT;
use crate::discover;
use crate::model::{Activity, Pack};

/// One evidence rule, ready to run.
pub struct Rule {
    pub activity: usize,
    pub id: String,
    pub description: Option<String>,
    files: GlobSet,
    exclude: GlobSet,
    /// Matched against one line at a time, without its line end.
    line: Regex,
    /// The pattern has a group named `evidence`: that group, not the whole match, is what
    /// the finding underlines (patterns often need a prefix such as `^[^#]*` to skip
    /// comments, which is not the evidence itself).
    group: bool,
}

/// The capture group whose text a finding underlines, when a pattern has it.
pub const EVIDENCE_GROUP: &str = "evidence";

impl Rule {
    /// The byte ranges in `line` that this rule matches.
    pub fn matches(&self, line: &[u8]) -> Vec<(usize, usize)> {
        if self.group {
            self.line
                .captures_iter(line)
                .filter_map(|c| c.name(EVIDENCE_GROUP).or_else(|| c.get(0)))
                .map(|m| (m.start(), m.end()))
                .collect()
        } else {
            self.line
                .find_iter(line)
                .map(|m| (m.start(), m.end()))
                .collect()
        }
    }

    /// Whether this rule looks at a file, by its path relative to the scanned root.
    pub fn covers(&self, rel: &std::path::Path) -> bool {
        self.files.is_match(rel) && !self.exclude.is_match(rel)
    }
}

/// Every evidence rule of one pack.
pub struct PackRules {
    pub pack: Arc<Pack>,
    pub rules: Vec<Rule>,
    /// All patterns in one multi-line regex: a file it does not match has no evidence. It may
    /// match across a line end where no rule matches a line; lines are checked one by one then.
    prefilter: Option<Regex>,
}

fn build(pattern: &str, multi_line: bool) -> Option<Regex> {
    RegexBuilder::new(pattern)
        .multi_line(multi_line)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .build()
        .ok()
}

impl PackRules {
    /// Compiles a validated pack's rules. Validation has already rejected bad globs and
    /// patterns, so a rule that still fails to compile is left out rather than trusted.
    pub fn compile(pack: &Arc<Pack>) -> PackRules {
        let mut rules = Vec::new();
        for (index, activity) in pack.activities.iter().enumerate() {
            for rule in &activity.evidence {
                let globs = |list: &[crate::source::Sp<String>]| {
                    let globs: Vec<String> = list.iter().map(|g| g.value.clone()).collect();
                    discover::globset(&globs).ok()
                };
                let (Some(files), Some(exclude), Some(line)) = (
                    globs(&rule.files),
                    globs(&rule.exclude),
                    build(&rule.pattern.value, false),
                ) else {
                    continue;
                };
                let group = line.capture_names().any(|n| n == Some(EVIDENCE_GROUP));
                rules.push(Rule {
                    activity: index,
                    id: rule.id.value.clone(),
                    description: rule.description.clone(),
                    files,
                    exclude,
                    line,
                    group,
                });
            }
        }
        let prefilter = if rules.is_empty() {
            None
        } else {
            let alternatives: Vec<String> = pack
                .activities
                .iter()
                .flat_map(|a| &a.evidence)
                // Every pattern may name its `evidence` group, and one regex cannot hold a
                // name twice: the prefilter only asks whether anything matches, so unname them.
                .map(|r| {
                    let unnamed = r
                        .pattern
                        .value
                        .replace("(?P<evidence>", "(?:")
                        .replace("(?<evidence>", "(?:");
                    format!("(?:{unnamed})")
                })
                .collect();
            build(&alternatives.join("|"), true)
        };
        PackRules {
            pack: Arc::clone(pack),
            rules,
            prefilter,
        }
    }

    pub fn activity(&self, rule: &Rule) -> &Activity {
        &self.pack.activities[rule.activity]
    }

    /// Whether the pack has a whole-file prefilter (it may not compile when the joined patterns
    /// exceed the size limit; files are then checked line by line).
    pub fn has_prefilter(&self) -> bool {
        self.prefilter.is_some() || self.rules.is_empty()
    }

    /// False when no line of `text` can match any rule of the pack.
    pub fn may_match(&self, text: &[u8]) -> bool {
        // Without a combined prefilter (too large to compile), every file is checked by line.
        self.prefilter.as_ref().is_none_or(|p| p.is_match(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::registry;

    #[test]
    fn builtin_packs_have_a_prefilter() {
        let (packs, _) = registry::builtin();
        for pack in packs {
            let rules = PackRules::compile(&Arc::new(pack));
            assert!(!rules.rules.is_empty(), "{}", rules.pack.id());
            assert!(rules.has_prefilter(), "{}", rules.pack.id());
            assert!(rules.may_match(b"x\n  sudo apt-get -y dist-upgrade\n"));
            assert!(!rules.may_match(b"nothing to see here\n"));
        }
    }
}
