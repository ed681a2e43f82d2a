//! Did-you-mean: the closest known name to a misspelt one, if any is close enough.

/// Suggestions are for typos in hand-written files: past this many candidates (a generated or
/// hostile file), none is offered, so that each finding costs little whatever the input.
pub const MAX_CANDIDATES: usize = 500;

/// The edit distance within which a name is close to `word` (about a third of its length), and
/// the candidates; `None` past [`MAX_CANDIDATES`] or for a word too long to be a typo.
fn bounded<'a, I>(word: &str, candidates: I) -> Option<(usize, Vec<&'a str>)>
where
    I: IntoIterator<Item = &'a str>,
{
    let limit = (word.chars().count() / 3).max(1);
    let candidates: Vec<&str> = candidates.into_iter().take(MAX_CANDIDATES + 1).collect();
    (candidates.len() <= MAX_CANDIDATES && word.len() <= 200).then_some((limit, candidates))
}

/// The candidate closest to `word` by edit distance, if it is within about a third of the
/// word's length (so `sysbe` finds `sysbee` but `gcp` finds nothing).
pub fn did_you_mean<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let (limit, candidates) = bounded(word, candidates)?;
    candidates
        .into_iter()
        .filter(|c| *c != word)
        .map(|c| (strsim::levenshtein(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by(|(da, a), (db, b)| {
            da.cmp(db).then_with(|| {
                strsim::jaro_winkler(word, b)
                    .total_cmp(&strsim::jaro_winkler(word, a))
                    .then_with(|| a.cmp(b))
            })
        })
        .map(|(_, c)| c)
}

/// The one candidate close enough to `word` to be what was meant, when exactly one is (ties and
/// several near names give none): what an unsafe fix may rename `word` to.
pub fn only<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let (limit, candidates) = bounded(word, candidates)?;
    let mut close = candidates
        .into_iter()
        .filter(|c| *c != word && strsim::levenshtein(word, c) <= limit);
    let first = close.next()?;
    close.all(|c| c == first).then_some(first)
}

/// " Did you mean `x`?" or nothing, to end a help text.
pub fn hint<'a, I>(word: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    did_you_mean(word, candidates).map(|c| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::{did_you_mean, only};

    #[test]
    fn only_one_close_name_is_a_fix() {
        assert_eq!(only("sysbe", ["sysbee", "cegedim-cloud"]), Some("sysbee"));
        assert_eq!(only("ops1", ["ops2", "ops3"]), None);
        assert_eq!(only("gcp", ["sysbee"]), None);
    }

    #[test]
    fn suggestions_cover_typos_and_refuse_strangers() {
        let cases: &[(&str, &[&str], Option<&str>)] = &[
            ("sysbe", &["sysbee", "cegedim-cloud"], Some("sysbee")),
            (
                "self-servce",
                &["self-service", "on-request"],
                Some("self-service"),
            ),
            (
                "responsibilites",
                &["responsibilities", "provider"],
                Some("responsibilities"),
            ),
            ("platfrom", &["platform", "data"], Some("platform")),
            ("gcp", &["sysbee", "cegedim-cloud"], None),
            ("kubernetess", &["kubernetes", "kafka"], Some("kubernetes")),
            ("plan", &["plan"], None),
        ];
        for (word, candidates, expected) in cases {
            assert_eq!(
                did_you_mean(word, candidates.iter().copied()),
                *expected,
                "{word}"
            );
        }
    }
}
