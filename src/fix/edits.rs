//! Edits built from the spans a finding already has: renaming a scalar inside its quotes,
//! removing a list item or a mapping entry (whole lines in block style, the item and one comma
//! in flow style), adding a list item in the list's own style, removing an inline allow comment.
//! Everything outside the returned ranges stays as written: comments, quoting, indentation, line
//! ends. A function that cannot tell how to edit the text returns `None`: no fix beats a wrong
//! one.

use crate::diag::fix::title;
use crate::diag::{Edit, Fix};
use crate::model::ownership::{DeclarationForm, Field, RoleClaim, Waiver};
use crate::model::{Declaration, OwnershipFile, Role};
use crate::source::{Sp, Span};

/// The file's line end: CRLF when its first line ends so, else LF.
pub fn line_end(text: &str) -> &'static str {
    match memchr::memchr(b'\n', text.as_bytes()) {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// A scalar's span without its quotes: a rename keeps the quoting as written.
pub fn unquoted(text: &str, span: Span) -> Span {
    let written = text.get(span.start..span.end).unwrap_or("");
    for quote in ['"', '\''] {
        if written.len() >= 2 && written.starts_with(quote) && written.ends_with(quote) {
            return Span::new(span.start + 1, span.end - 1);
        }
    }
    span
}

/// Replaces the scalar at `span` with `new`, inside its quotes. `None` when the new name would
/// need quoting or escaping that the old one did not have.
pub fn rename(text: &str, span: Span, new: &str) -> Option<Edit> {
    let plain = !new.is_empty()
        && new
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'));
    plain.then(|| Edit::replace(unquoted(text, span), new))
}

/// The unsafe fix of a misspelt name: `written` renamed to the one close name among `known`.
pub fn did_you_mean<'a>(
    text: &str,
    written: &Sp<String>,
    known: impl IntoIterator<Item = &'a str>,
) -> Option<Fix> {
    let to = crate::suggest::only(&written.value, known)?;
    let edit = rename(text, written.span, to)?;
    Some(Fix::unsafe_(title::rename(to), vec![edit]))
}

/// Byte range of the line holding `offset`: (start, end without line end, end with it).
fn line_at(text: &str, offset: usize) -> (usize, usize, usize) {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let with_end = text[offset..]
        .find('\n')
        .map_or(text.len(), |i| offset + i + 1);
    let mut end = with_end;
    if text[..end].ends_with('\n') {
        end -= 1;
    }
    if text[..end].ends_with('\r') {
        end -= 1;
    }
    (start, end, with_end)
}

/// Whole lines from the line holding `first` through the line holding `last`, line end included.
fn whole_lines(text: &str, first: usize, last: usize) -> Span {
    let (start, _, _) = line_at(text, first);
    let (_, _, end) = line_at(text, last.max(first));
    Span::new(start, end)
}

/// What follows `end` on its line is nothing or a comment.
fn rest_is_blank(text: &str, end: usize) -> bool {
    let (_, line_end, _) = line_at(text, end);
    let rest = text[end.min(line_end)..line_end].trim_start();
    rest.is_empty() || rest.starts_with('#')
}

/// `offset` moved back over spaces and tabs.
fn back_over_blanks(text: &str, mut offset: usize) -> usize {
    while offset > 0 && matches!(text.as_bytes()[offset - 1], b' ' | b'\t') {
        offset -= 1;
    }
    offset
}

/// `offset` moved forward over blanks (and line ends, with `lines`).
fn over_blanks(text: &str, mut offset: usize, lines: bool) -> usize {
    let bytes = text.as_bytes();
    while offset < bytes.len()
        && (matches!(bytes[offset], b' ' | b'\t')
            || (lines && matches!(bytes[offset], b'\n' | b'\r')))
    {
        offset += 1;
    }
    offset
}

/// Removes one item of a sequence or one entry of a mapping, `start..end` being its text (for a
/// mapping item of a block sequence, `start` is its first key). Block style: the whole lines it
/// covers. Flow style: the item and the comma after it, or before it when it is the last.
pub fn remove_item(text: &str, start: usize, end: usize) -> Option<Edit> {
    let (line_start, _, _) = line_at(text, start);
    let before = &text[line_start..start];
    let trimmed = before.trim_start();
    let block = trimmed.is_empty() || trimmed.trim_end() == "-";
    if block {
        // A block item written as a flow mapping (`- {code: x, reason: y}`) ends past its `}`.
        let end = close_flow_mapping(text, start, end);
        if !rest_is_blank(text, end) {
            return None;
        }
        return Some(Edit::delete(whole_lines(
            text,
            start,
            end.saturating_sub(1),
        )));
    }
    let end = close_flow_mapping(text, start, end);
    let after = over_blanks(text, end, true);
    if text[after..].starts_with(',') {
        let to = over_blanks(text, after + 1, false);
        return Some(Edit::delete(Span::new(start, to)));
    }
    let mut back = start;
    while back > 0 && text.as_bytes()[back - 1].is_ascii_whitespace() {
        back -= 1;
    }
    if back > 0 && text.as_bytes()[back - 1] == b',' {
        return Some(Edit::delete(Span::new(back - 1, end)));
    }
    Some(Edit::delete(Span::new(start, end)))
}

/// A flow mapping item starting with `{` ends past its `}`; its fields end at `end`.
fn close_flow_mapping(text: &str, start: usize, end: usize) -> usize {
    if !text[start..].starts_with('{') {
        return end;
    }
    let after = over_blanks(text, end, true);
    if text[after..].starts_with('}') {
        after + 1
    } else {
        end
    }
}

/// The flow list of `names` (`[a, b]`), or the one name alone.
fn list(names: &[&str]) -> String {
    match names {
        [one] => (*one).to_owned(),
        _ => format!("[{}]", names.join(", ")),
    }
}

/// `claims-provider-duty`: the team keeps its place as `informed`. The shorthand `a: team`
/// becomes `a: { informed: team }`; explicit `responsible:`/`accountable:` entries the customer
/// lacks become `informed:`, or join an `informed:` entry already there.
pub fn to_informed(text: &str, decl: &Declaration, offending: &[&RoleClaim]) -> Option<Vec<Edit>> {
    let claims = match &decl.form {
        DeclarationForm::Shorthand(team) => {
            let written = text.get(team.span.start..team.span.end)?;
            return Some(vec![Edit::replace(
                team.span,
                format!("{{ informed: {written} }}"),
            )]);
        }
        DeclarationForm::Explicit(claims) => claims,
    };
    let first = *offending.first()?;
    let informed = claims.iter().find(|c| c.role == Role::Informed);
    // Every team, as written, in the order met: those already informed first.
    let mut names: Vec<&str> = Vec::new();
    let mut values: Vec<&str> = Vec::new();
    for team in informed
        .into_iter()
        .chain(offending.iter().copied())
        .flat_map(|c| &c.teams)
    {
        if !values.contains(&team.value.as_str()) {
            values.push(&team.value);
            names.push(text.get(team.span.start..team.span.end)?);
        }
    }
    let mut edits = Vec::new();
    let (keep, removed): (&RoleClaim, &[&RoleClaim]) = match informed {
        Some(informed) => (informed, offending),
        None => {
            let key = first.role.key();
            if !text[first.span.start..].starts_with(key) {
                return None;
            }
            edits.push(Edit::replace(
                Span::new(first.span.start, first.span.start + key.len()),
                Role::Informed.key(),
            ));
            (first, &offending[1..])
        }
    };
    if names.len() > keep.teams.len() {
        edits.push(Edit::replace(keep.value_span, list(&names)));
    }
    for claim in removed {
        edits.push(remove_item(text, claim.span.start, claim.span.end)?);
    }
    Some(edits)
}

/// `product-not-declared`: adds `product` to `products` in the list's own style, or creates
/// `products: [product]` on the line after `plan` (or `provider`).
pub fn add_product(file: &OwnershipFile, product: &str) -> Option<Edit> {
    let text = &file.source.text;
    let eol = line_end(text);
    let Some(products) = &file.products else {
        let after = file.plan.as_ref().map_or(&file.provider, |p| p);
        let (line_start, _, with_end) = line_at(text, after.key.start);
        // A top-level mapping in flow style (`{provider: x}`) has no line to add.
        if !text[line_start..after.key.start].trim().is_empty() {
            return None;
        }
        let indent = &text[line_start..after.key.start];
        let line = format!("{indent}products: [{product}]");
        return Some(if text[..with_end].ends_with('\n') {
            Edit::insert(with_end, format!("{line}{eol}"))
        } else {
            Edit::insert(with_end, format!("{eol}{line}"))
        });
    };
    let items = &products.value.value;
    let value = products.value.span.start;
    if text[value..].starts_with('[') {
        return Some(match items.last() {
            Some(last) => Edit::insert(last.span.end, format!(", {product}")),
            None => Edit::insert(over_blanks(text, value + 1, true), product.to_owned()),
        });
    }
    let first = items.first()?;
    let last = items.last()?;
    let (line_start, _, _) = line_at(text, first.span.start);
    let dash = &text[line_start..first.span.start];
    if dash.trim() != "-" || !rest_is_blank(text, last.span.end) {
        return None;
    }
    let (_, _, with_end) = line_at(text, last.span.end);
    Some(if text[..with_end].ends_with('\n') {
        Edit::insert(with_end, format!("{dash}{product}{eol}"))
    } else {
        Edit::insert(with_end, format!("{eol}{dash}{product}"))
    })
}

/// `unused-waiver` of an ownership file: removes the waiver's entry; when it is the only one,
/// the whole `waivers:` key, so that no empty key is left behind.
pub fn remove_waiver(text: &str, field: &Field<Vec<Waiver>>, index: usize) -> Option<Edit> {
    let waiver = field.value.value.get(index)?;
    let end = [
        Some(&waiver.code),
        waiver.activity.as_ref(),
        waiver.path.as_ref(),
        waiver.reason.as_ref(),
        waiver.expires.as_ref(),
    ]
    .into_iter()
    .flatten()
    .map(|s| s.span.end)
    .max()?;
    let end = close_flow_mapping(text, waiver.span.start, end);
    let flow = text[field.value.span.start..].starts_with('[');
    if field.value.value.len() == 1 && !flow {
        let (line_start, _, _) = line_at(text, field.key.start);
        if !text[line_start..field.key.start].trim().is_empty() || !rest_is_blank(text, end) {
            return None;
        }
        return Some(Edit::delete(whole_lines(text, field.key.start, end - 1)));
    }
    remove_item(text, waiver.span.start, end)
}

/// Comment openers an inline allow may follow.
const OPENERS: &[&str] = &["<!--", "{#", "/*", "//", "--", "#", ";", "%", "'"];
const CLOSERS: &[&str] = &["*/", "-->", "#}"];

/// `unused-waiver` of an inline allow (`span` is `raci-lint: allow(...) reason`): removes the
/// whole line when the comment is alone on it, else the comment from its opener, else the allow.
pub fn remove_allow(text: &str, span: Span) -> Option<Edit> {
    // A line of many kilobytes (generated, or built to hold thousands of allows) gets no fix:
    // finding its ends for each allow would cost the line's length each time.
    const LONGEST: usize = 4096;
    let back = &text.as_bytes()[span.start.saturating_sub(LONGEST)..span.start];
    let ahead = &text.as_bytes()[span.end..text.len().min(span.end + LONGEST)];
    let starts_near = span.start <= LONGEST || memchr::memchr(b'\n', back).is_some();
    let ends_near = span.end + LONGEST >= text.len() || memchr::memchr(b'\n', ahead).is_some();
    if !starts_near || !ends_near {
        return None;
    }
    let (line_start, line_end, with_end) = line_at(text, span.start);
    if span.end > line_end {
        return None;
    }
    let before = text[line_start..span.start].trim_end();
    let after = text[span.end..line_end].trim();
    let closed = after.is_empty() || CLOSERS.contains(&after);
    let opener = OPENERS.iter().find(|o| before.ends_with(**o));
    match opener {
        Some(opener) if closed => {
            let code = &before[..before.len() - opener.len()];
            // After a line continued with `\`, the comment's line ends the command: removing
            // the line would join the next one to it (`yum update \` then `echo done`).
            let continued = text[..line_start]
                .trim_end_matches(['\n', '\r'])
                .ends_with('\\');
            if code.trim().is_empty() && continued {
                Some(Edit::delete(Span::new(line_start, line_end)))
            } else if code.trim().is_empty() {
                Some(Edit::delete(Span::new(line_start, with_end)))
            } else {
                let from = back_over_blanks(text, line_start + code.len());
                Some(Edit::delete(Span::new(from, line_end)))
            }
        }
        _ => Some(Edit::delete(Span::new(
            back_over_blanks(text, span.start),
            span.end,
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::apply;
    use crate::load::ownership::load;
    use crate::source::SourceFile;

    fn run(text: &str, edits: &[Edit]) -> String {
        let refs: Vec<&Edit> = edits.iter().collect();
        apply(text, &refs)
    }

    fn file(text: &str) -> OwnershipFile {
        load(&SourceFile::new("raci.yaml", text)).expect("loads")
    }

    #[test]
    fn rename_keeps_quotes() {
        let text = "provider: \"sysbe\"\n";
        let e = rename(text, Span::new(10, 17), "sysbee").unwrap();
        assert_eq!(run(text, &[e]), "provider: \"sysbee\"\n");
        assert!(rename(text, Span::new(10, 17), "a b").is_none());
    }

    #[test]
    fn products_grow_in_their_own_style() {
        let cases = [
            (
                "provider: p\nplan: x # why\nresponsibilities: {}\n",
                "provider: p\nplan: x # why\nproducts: [k]\nresponsibilities: {}\n",
            ),
            ("provider: p", "provider: p\nproducts: [k]"),
            (
                "provider: p\r\nproducts: [a, \"b\"] # c\r\n",
                "provider: p\r\nproducts: [a, \"b\", k] # c\r\n",
            ),
            (
                "provider: p\nproducts: [ ]\n",
                "provider: p\nproducts: [ k]\n",
            ),
            (
                "provider: p\nproducts:\n  - a # one\n  - b\nteams: {}\n",
                "provider: p\nproducts:\n  - a # one\n  - b\n  - k\nteams: {}\n",
            ),
        ];
        for (before, after) in cases {
            let e = add_product(&file(before), "k").unwrap();
            let fixed = run(before, &[e]);
            assert_eq!(fixed, after, "{before:?}");
            file(&fixed);
        }
    }

    #[test]
    fn waivers_are_removed_whole() {
        let block = "provider: p\nwaivers:\n  - code: a # c\n    reason: \"x\"\n  - code: b\n    reason: y\nteams: {}\n";
        let e = remove_waiver(block, file(block).waivers.as_ref().unwrap(), 0).unwrap();
        assert_eq!(
            run(block, &[e]),
            "provider: p\nwaivers:\n  - code: b\n    reason: y\nteams: {}\n"
        );
        let one = "provider: p\nwaivers:\n  - code: a\n    reason: >\n      folded\n# after\n";
        let e = remove_waiver(one, file(one).waivers.as_ref().unwrap(), 0).unwrap();
        assert_eq!(run(one, &[e]), "provider: p\n# after\n");
        let flow = "provider: p\nwaivers: [{code: a, reason: x}, {code: b, reason: 'z'}]\n";
        let f = file(flow);
        let w = f.waivers.as_ref().unwrap();
        let first = run(flow, &[remove_waiver(flow, w, 0).unwrap()]);
        assert_eq!(first, "provider: p\nwaivers: [{code: b, reason: 'z'}]\n");
        let last = run(flow, &[remove_waiver(flow, w, 1).unwrap()]);
        assert_eq!(last, "provider: p\nwaivers: [{code: a, reason: x}]\n");
        let again = file(&first);
        let only = run(
            &first,
            &[remove_waiver(&first, again.waivers.as_ref().unwrap(), 0).unwrap()],
        );
        assert_eq!(only, "provider: p\nwaivers: []\n");
        file(&only);
    }

    #[test]
    fn claims_become_informed() {
        let check = |before: &str, after: &str| {
            let f = file(before);
            let decl = &f.declarations()[0];
            let DeclarationForm::Explicit(claims) = &decl.form else {
                let e = to_informed(before, decl, &[]).unwrap();
                assert_eq!(run(before, &e), after);
                return;
            };
            let offending: Vec<&RoleClaim> = claims
                .iter()
                .filter(|c| matches!(c.role, Role::Responsible | Role::Accountable))
                .collect();
            let e = to_informed(before, decl, &offending).unwrap();
            let fixed = run(before, &e);
            assert_eq!(fixed, after, "{before:?}");
            file(&fixed);
        };
        check(
            "provider: p\nresponsibilities:\n  a: ops # mine\n",
            "provider: p\nresponsibilities:\n  a: { informed: ops } # mine\n",
        );
        check(
            "provider: p\nresponsibilities:\n  a:\n    responsible: ops\n    consulted: x\n",
            "provider: p\nresponsibilities:\n  a:\n    informed: ops\n    consulted: x\n",
        );
        check(
            "provider: p\nresponsibilities:\n  a:\n    responsible: ops\n    accountable: \"lead\"\n    informed: x\n",
            "provider: p\nresponsibilities:\n  a:\n    informed: [x, ops, \"lead\"]\n",
        );
        check(
            "provider: p\nresponsibilities:\n  a: { responsible: ops, accountable: ops }\n",
            "provider: p\nresponsibilities:\n  a: { informed: ops }\n",
        );
    }

    #[test]
    fn allow_comments_go_with_their_line_or_alone() {
        let cases = [
            ("a\n# raci-lint: allow(x) lab\nb\n", "a\nb\n"),
            ("run # raci-lint: allow(x) lab\n", "run\n"),
            ("/* raci-lint: allow(x) lab */\r\nb", "b"),
            ("# note raci-lint: allow(x) lab\n", "# note\n"),
        ];
        for (before, after) in cases {
            let start = before.find("raci-lint").unwrap();
            let end = before[start..]
                .find(['\n', '*', '\r'])
                .map_or(before.len(), |i| start + i)
                .min(
                    before[start..]
                        .find(" */")
                        .map_or(usize::MAX, |i| start + i),
                );
            let e = remove_allow(before, Span::new(start, end)).unwrap();
            assert_eq!(run(before, &[e]), after, "{before:?}");
        }
    }
}
