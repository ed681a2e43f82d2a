//! Hover, completion and code actions (DESIGN section 10) over one document's text: what the
//! cursor is on is read from the loaded file's spans where it loads, and from the line and its
//! parents' indentation while it is half-typed.

use std::collections::BTreeSet;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CompletionItem, CompletionItemKind,
    Diagnostic, Hover, HoverContents, MarkupContent, MarkupKind, Range, TextEdit, Uri,
};

use super::convert::{self, Encoding};
use crate::diag::explain::explain;
use crate::diag::{Code, Finding};
use crate::model::ownership::DeclarationForm;
use crate::model::{Activity, OwnershipFile, Pack, Packs, Role};
use crate::source::{SourceFile, Span};

/// The keys of an ownership file, for completion at the top level.
const TOP_KEYS: &[&str] = crate::load::ownership::KEYS;

fn markdown(text: String) -> Hover {
    Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: text,
        }),
        range: None,
    }
}

fn inside(span: Span, at: usize) -> bool {
    span.start <= at && at <= span.end
}

/// What an activity is, for this file: title, both parties' roles, the source's comment, and
/// what the file declares for it.
fn activity_hover(pack: &Pack, activity: &Activity, file: &OwnershipFile) -> String {
    let mut text = format!(
        "**{}** (`{}`)\n\n{}: {} · customer: {} · on {}",
        activity.title,
        activity.id(),
        pack.name,
        role_names(activity.provider.value),
        role_names(activity.customer.value),
        crate::diag::kinds::plans_text(activity),
    );
    if let Some(product) = &activity.product {
        text.push_str(&format!(" · product `{}`", product.value));
    }
    if let Some(comment) = &activity.comment {
        text.push_str(&format!("\n\n{comment}"));
    }
    if let Some(decl) = file
        .declarations()
        .iter()
        .find(|d| d.activity.value == activity.id())
    {
        let declared = match &decl.form {
            DeclarationForm::Shorthand(team) => {
                format!("`{}` holds the customer share", team.value)
            }
            DeclarationForm::Explicit(claims) => claims
                .iter()
                .map(|c| {
                    let teams: Vec<&str> = c.teams.iter().map(|t| t.value.as_str()).collect();
                    format!("{}: {}", c.role.key(), teams.join(", "))
                })
                .collect::<Vec<_>>()
                .join("; "),
        };
        text.push_str(&format!("\n\nThis file: {declared}"));
    }
    text
}

fn role_names(roles: crate::model::RoleSet) -> String {
    if roles.is_empty() {
        "no role".to_owned()
    } else {
        roles.names()
    }
}

fn named_hover(kind: &str, named: &crate::model::pack::Named) -> String {
    let mut text = format!("**{}** (`{}`), {kind}", named.name, named.id.value);
    if let Some(d) = &named.description {
        text.push_str(&format!("\n\n{d}"));
    }
    text
}

/// The word (an id) around byte `at`.
fn word_at(text: &str, at: usize) -> &str {
    let id = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/' | '.');
    let at = at.min(text.len());
    let start = text[..at].rfind(|c: char| !id(c)).map_or(0, |i| i + 1);
    let end = text[at..]
        .find(|c: char| !id(c))
        .map_or(text.len(), |i| at + i);
    &text[start..end]
}

/// Hover while the file does not load (half-typed): a code or an activity id under the cursor.
fn hover_word(text: &str, packs: &Packs, at: usize) -> Option<Hover> {
    let word = word_at(text, at);
    if let Some(code) = Code::from_name(word) {
        return Some(code_hover(code));
    }
    let pack = packs.get(provider_of(text)?)?;
    let activity = pack.activity(word)?;
    let empty =
        crate::load::ownership::load(&SourceFile::new("raci.yaml", "provider: x\n")).ok()?;
    Some(markdown(activity_hover(pack, activity, &empty)))
}

fn code_hover(code: Code) -> Hover {
    let e = explain(code);
    markdown(format!(
        "**{}** ({})\n\n{}\n\nFix: {}",
        code.as_str(),
        code.default_severity().as_str(),
        e.meaning,
        e.fix
    ))
}

/// Hover at byte `at` of an ownership file.
pub fn hover(source: &std::sync::Arc<SourceFile>, packs: &Packs, at: usize) -> Option<Hover> {
    let Ok(file) = crate::load::ownership::load(source) else {
        return hover_word(&source.text, packs, at);
    };
    // A code in a waiver: its explanation.
    for waiver in file.waivers.iter().flat_map(|w| &w.value.value) {
        if inside(waiver.code.span, at) {
            return Code::from_name(&waiver.code.value).map(code_hover);
        }
    }
    let pack = packs.get(&file.provider.value.value)?;
    if inside(file.provider.value.span, at) {
        let mut text = format!("**{}** (`{}`), provider", pack.name, pack.id());
        if let Some(d) = &pack.description {
            text.push_str(&format!("\n\n{d}"));
        }
        text.push_str(&format!("\n\n{} activities", pack.activities.len()));
        return Some(markdown(text));
    }
    if let Some(plan) = &file.plan
        && inside(plan.value.span, at)
    {
        let named = pack.plans.iter().find(|p| p.id.value == plan.value.value)?;
        return Some(markdown(named_hover("plan", named)));
    }
    if let Some(offering) = &file.offering
        && inside(offering.value.span, at)
    {
        let named = pack
            .offerings
            .iter()
            .find(|p| p.id.value == offering.value.value)?;
        return Some(markdown(named_hover("offering", named)));
    }
    for product in file.products() {
        if inside(product.span, at) {
            let named = pack.products.iter().find(|p| p.id.value == product.value)?;
            return Some(markdown(named_hover("product", named)));
        }
    }
    for waiver in file.waivers.iter().flat_map(|w| &w.value.value) {
        if let Some(activity) = &waiver.activity
            && inside(activity.span, at)
        {
            let a = pack.activity(&activity.value)?;
            return Some(markdown(activity_hover(pack, a, &file)));
        }
    }
    let decl = file
        .declarations()
        .iter()
        .find(|d| inside(d.activity.span, at))?;
    let activity = pack.activity(&decl.activity.value)?;
    Some(markdown(activity_hover(pack, activity, &file)))
}

/// Where the cursor is, read from the text: the keys of the lines above with less indentation,
/// and whether it stands at a key or after `key:`.
struct Context<'a> {
    /// Parent keys, outermost first.
    parents: Vec<&'a str>,
    /// The key of the cursor's line when the cursor is after its colon.
    key: Option<&'a str>,
    /// The line so far holds a list item (`- `) or an open flow list.
    in_list: bool,
    /// The word being typed.
    word: &'a str,
}

fn key_of(line: &str) -> Option<&str> {
    let t = line.trim_start().trim_start_matches("- ");
    let (key, _) = t.split_once(':')?;
    let key = key.trim().trim_matches(['"', '\'']);
    (!key.is_empty() && !key.contains(' ')).then_some(key)
}

fn context(text: &str, at: usize) -> Context<'_> {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..at];
    let indent = before.len() - before.trim_start().len();
    let word_start = before
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/' | '.')))
        .map_or(0, |i| i + 1);
    let word = &before[word_start..];
    let key = before.contains(':').then(|| key_of(before)).flatten();
    let in_list = before.trim_start().starts_with("- ") || before.contains('[');
    let mut parents = Vec::new();
    let mut want = indent;
    // A list item's parent is the key above it with less or equal indentation.
    let list_item = before.trim_start().starts_with('-');
    for line in text[..line_start].lines().rev() {
        let t = line.trim_start();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let i = line.len() - t.len();
        if (i < want || (list_item && i <= want && !t.starts_with('-')))
            && let Some(k) = key_of(line)
        {
            if !t.starts_with('-') {
                parents.push(k);
            }
            want = i;
            if i == 0 {
                break;
            }
        }
    }
    parents.reverse();
    Context {
        parents,
        key,
        in_list,
        word,
    }
}

/// The value of the top-level `provider:` as written, even when the file does not load.
fn provider_of(text: &str) -> Option<&str> {
    text.lines().find_map(|l| {
        let v = l.strip_prefix("provider:")?;
        let v = v.split('#').next()?.trim().trim_matches(['"', '\'']);
        (!v.is_empty()).then_some(v)
    })
}

fn item(
    label: &str,
    kind: CompletionItemKind,
    detail: Option<String>,
    sort: &str,
) -> CompletionItem {
    CompletionItem {
        label: label.to_owned(),
        kind: Some(kind),
        detail,
        sort_text: Some(format!("{sort}{label}")),
        ..CompletionItem::default()
    }
}

/// Completion at byte `at` of an ownership file.
pub fn complete(source: &SourceFile, packs: &Packs, at: usize) -> Vec<CompletionItem> {
    let text = &source.text;
    let at = at.min(text.len());
    let ctx = context(text, at);
    let pack = provider_of(text).and_then(|p| packs.get(p));
    // A half-typed line often keeps the file from loading: read it without that line.
    let loaded = crate::load::ownership::load(&SourceFile::new(source.path.clone(), text.as_str()))
        .ok()
        .or_else(|| {
            let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
            let without = format!("{}{}", &text[..line_start], &text[line_end..]);
            crate::load::ownership::load(&SourceFile::new(source.path.clone(), without)).ok()
        });
    let value = CompletionItemKind::VALUE;
    let mut items = Vec::new();
    let parent = ctx.parents.first().copied();
    match (parent, ctx.parents.len(), ctx.key) {
        (None, _, Some("provider")) => {
            for p in packs.by_id.values() {
                items.push(item(p.id(), value, Some(p.name.clone()), "0"));
            }
        }
        (None, _, Some(key @ ("plan" | "offering" | "products")))
        | (Some(key @ "products"), 1, None) => {
            let list = match (pack, key) {
                (Some(p), "plan") => &p.plans,
                (Some(p), "offering") => &p.offerings,
                (Some(p), _) => &p.products,
                (None, _) => return items,
            };
            for n in list {
                items.push(item(&n.id.value, value, Some(n.name.clone()), "0"));
            }
        }
        (None, _, None) if !ctx.in_list => {
            let present: BTreeSet<&str> = text
                .lines()
                .filter_map(|l| l.split_once(':').map(|(k, _)| k))
                .collect();
            for key in TOP_KEYS.iter().filter(|k| !present.contains(*k)) {
                items.push(item(key, CompletionItemKind::FIELD, None, "0"));
            }
        }
        (Some("responsibilities"), 1, None) => {
            let Some(pack) = pack else { return items };
            let declared: BTreeSet<&str> = text
                .lines()
                .filter_map(|l| l.strip_prefix("  ").and_then(key_of))
                .collect();
            let (plan, products) = match &loaded {
                Some(f) => (
                    f.plan().map(str::to_owned),
                    f.products().map(|p| p.value.clone()).collect(),
                ),
                None => (None, BTreeSet::new()),
            };
            let products: BTreeSet<&str> = products.iter().map(String::as_str).collect();
            for a in &pack.activities {
                if declared.contains(a.id()) && a.id() != ctx.word {
                    continue;
                }
                let applies = pack.applies(a, plan.as_deref(), &products);
                let sort = if applies { "0" } else { "1" };
                items.push(item(
                    a.id(),
                    CompletionItemKind::PROPERTY,
                    Some(a.title.clone()),
                    sort,
                ));
            }
        }
        (Some("responsibilities"), 1, Some(_)) | (Some("responsibilities"), 2, Some(_)) => {
            if ctx.parents.len() == 2 && ctx.key.and_then(Role::from_key).is_none() {
                return items;
            }
            items.extend(teams(loaded.as_ref()));
        }
        (Some("responsibilities"), 2, None) => {
            for role in Role::ALL {
                items.push(item(
                    role.key(),
                    CompletionItemKind::FIELD,
                    Some(role.name().to_owned()),
                    "0",
                ));
            }
        }
        (Some("waivers"), _, Some("code")) => {
            for code in Code::ALL {
                items.push(item(
                    code.as_str(),
                    value,
                    Some(code.summary().to_owned()),
                    "0",
                ));
            }
        }
        (Some("waivers"), _, Some("activity")) => {
            if let Some(pack) = pack {
                for a in &pack.activities {
                    items.push(item(a.id(), value, Some(a.title.clone()), "0"));
                }
            }
        }
        _ => {}
    }
    items
}

/// Team names: the `teams` registry, then those already used.
fn teams(file: Option<&OwnershipFile>) -> Vec<CompletionItem> {
    let mut names: Vec<String> = Vec::new();
    if let Some(file) = file {
        for t in file.teams.iter().flat_map(|t| &t.value.value) {
            names.push(t.name.value.clone());
        }
        for d in file.declarations() {
            for t in d.teams() {
                names.push(t.value.clone());
            }
        }
    }
    let mut seen = BTreeSet::new();
    names
        .into_iter()
        .filter(|n| seen.insert(n.clone()) && n != crate::model::ownership::PLACEHOLDER)
        .map(|n| item(&n, CompletionItemKind::VALUE, Some("team".to_owned()), "0"))
        .collect()
}

/// Completion of activity ids inside an inline allow (`raci-lint: allow(`), in any file.
pub fn complete_allow(text: &str, at: usize, packs: &Packs) -> Vec<CompletionItem> {
    let line_start = text[..at.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..at.min(text.len())];
    let Some(open) = before.rfind("raci-lint: allow(") else {
        return Vec::new();
    };
    if before[open..].contains(')') {
        return Vec::new();
    }
    let mut items = Vec::new();
    for pack in packs.by_id.values() {
        for a in &pack.activities {
            items.push(item(
                a.id(),
                CompletionItemKind::VALUE,
                Some(format!("{}: {}", pack.name, a.title)),
                "0",
            ));
        }
    }
    items
}

/// Quick fixes for the findings overlapping `range`, and the two actions that are not fixes:
/// declaring the missing duties of `unowned-duty`, allowing an evidence match with a reason.
pub fn code_actions(
    uri: &Uri,
    source: &SourceFile,
    findings: &[Finding],
    range: Range,
    encoding: Encoding,
    cwd: &std::path::Path,
) -> Vec<CodeActionOrCommand> {
    let text = &source.text;
    let from = convert::offset(text, range.start, encoding);
    let to = convert::offset(text, range.end, encoding);
    let touches = |f: &Finding| {
        f.primary
            .as_ref()
            .is_some_and(|l| l.span.start <= to && from <= l.span.end)
    };
    let mut actions = Vec::new();
    let mut unowned: Vec<&Finding> = Vec::new();
    for finding in findings.iter().filter(|f| touches(f)) {
        let diagnostic: Diagnostic = convert::diagnostic(finding, source, encoding, cwd);
        if let Some(fix) = &finding.fix {
            let edits = convert::edits(fix, source, encoding);
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: fix.title.clone(),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic.clone()]),
                edit: Some(convert::workspace_edit(uri, edits)),
                is_preferred: Some(fix.applicability == crate::diag::Applicability::Safe),
                ..CodeAction::default()
            }));
        }
        match finding.code {
            Code::UnownedDuty => unowned.push(finding),
            Code::PerformsProviderDuty => {
                if let Some(action) = allow_action(uri, source, finding, encoding, diagnostic) {
                    actions.push(action);
                }
            }
            _ => {}
        }
    }
    if !unowned.is_empty() {
        // Every unowned duty of the file, not only those under the cursor: one action fills them all.
        let all: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.code == Code::UnownedDuty)
            .collect();
        if let Some(action) = declare_action(uri, source, &all, encoding) {
            actions.push(action);
        }
    }
    actions
}

/// "Declare the missing duties": one `activity: TODO` line each (the placeholder of `init`),
/// after the last declaration.
fn declare_action(
    uri: &Uri,
    source: &SourceFile,
    unowned: &[&Finding],
    encoding: Encoding,
) -> Option<CodeActionOrCommand> {
    let text = &source.text;
    let file =
        crate::load::ownership::load(&SourceFile::new(source.path.clone(), text.as_str())).ok()?;
    let eol = crate::fix::edits::line_end(text);
    let mut ids: Vec<&str> = unowned
        .iter()
        .filter_map(|f| f.activity.as_deref())
        .collect();
    ids.dedup();
    if ids.is_empty() {
        return None;
    }
    let placeholder = crate::model::ownership::PLACEHOLDER;
    let (at, indent, prefix) = match &file.responsibilities {
        Some(field) => {
            let decls = &field.value.value;
            let last = decls.last()?;
            let first = decls.first()?;
            let line_start = text[..first.activity.span.start]
                .rfind('\n')
                .map_or(0, |i| i + 1);
            let indent = &text[line_start..first.activity.span.start];
            if !indent.trim().is_empty() {
                return None; // flow style: no line to add
            }
            let end = last.span.end.max(last.activity.span.end);
            let at = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
            let prefix = if text[..at].ends_with('\n') { "" } else { eol };
            (at, indent.to_owned(), prefix)
        }
        None => {
            let prefix = if text.is_empty() || text.ends_with('\n') {
                ""
            } else {
                eol
            };
            let mut insert = format!("{prefix}responsibilities:{eol}");
            for id in &ids {
                insert.push_str(&format!("  {id}: {placeholder}{eol}"));
            }
            let pos = convert::position(source, text.len(), encoding);
            let edit = TextEdit::new(Range::new(pos, pos), insert);
            return Some(action(
                uri,
                "Declare the missing duties (team TODO)",
                vec![edit],
            ));
        }
    };
    let mut insert = prefix.to_owned();
    for id in &ids {
        insert.push_str(&format!("{indent}{id}: {placeholder}{eol}"));
    }
    let pos = convert::position(source, at, encoding);
    Some(action(
        uri,
        "Declare the missing duties (team TODO)",
        vec![TextEdit::new(Range::new(pos, pos), insert)],
    ))
}

fn action(uri: &Uri, title: &str, edits: Vec<TextEdit>) -> CodeActionOrCommand {
    CodeActionOrCommand::CodeAction(CodeAction {
        title: title.to_owned(),
        kind: Some(CodeActionKind::QUICKFIX),
        edit: Some(convert::workspace_edit(uri, edits)),
        ..CodeAction::default()
    })
}

/// The comment opener of a file, by its name.
fn comment_opener(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    match ext {
        "js" | "ts" | "go" | "rs" | "java" | "c" | "h" | "cpp" | "cs" | "kt" | "groovy" | "tf"
        | "hcl" | "jsonnet" => "//",
        "sql" | "lua" => "--",
        _ => "#",
    }
}

/// "Allow with a reason": an allow comment on its own line above the match, its reason the
/// placeholder [`REASON`].
fn allow_action(
    uri: &Uri,
    source: &SourceFile,
    finding: &Finding,
    encoding: Encoding,
    diagnostic: Diagnostic,
) -> Option<CodeActionOrCommand> {
    let text = &source.text;
    let activity = finding.activity.as_deref()?;
    let start = finding.primary.as_ref()?.span.start;
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start..];
    let indent: String = line
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let eol = crate::fix::edits::line_end(text);
    let insert = format!(
        "{indent}{} raci-lint: allow({activity}) {REASON}{eol}",
        comment_opener(&source.path)
    );
    let pos = convert::position(source, line_start, encoding);
    // No `command` to select the placeholder: several clients take a code action that has one
    // for a bare command and drop its edit.
    Some(CodeActionOrCommand::CodeAction(CodeAction {
        title: format!("Allow `{activity}` here, with a reason"),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic]),
        edit: Some(convert::workspace_edit(
            uri,
            vec![TextEdit::new(Range::new(pos, pos), insert)],
        )),
        ..CodeAction::default()
    }))
}

/// The placeholder reason of an allow added by a code action, for the user to replace.
pub const REASON: &str = "REASON";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_reads_parents_and_keys() {
        let text = "provider: sysbee\nresponsibilities:\n  server-os-patching:\n    responsible: o";
        let c = context(text, text.len());
        assert_eq!(c.parents, vec!["responsibilities", "server-os-patching"]);
        assert_eq!(c.key, Some("responsible"));
        assert_eq!(c.word, "o");
        let text = "provider: sysbee\nresponsibilities:\n  serv";
        let c = context(text, text.len());
        assert_eq!(c.parents, vec!["responsibilities"]);
        assert_eq!(c.key, None);
        let text = "provider: sysbee\nwaivers:\n  - code: unu";
        let c = context(text, text.len());
        assert_eq!(c.parents, vec!["waivers"]);
        assert_eq!(c.key, Some("code"));
    }
}
