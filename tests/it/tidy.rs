//! Habits the compiler does not check: every module says what it owns, no leftover debugging,
//! every diagnostic code documented in the README, and the module dependencies ARCHITECTURE.md
//! promises (no import cycles, only `render` prints).

use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_module_opens_with_a_doc_comment_and_has_no_leftovers() {
    let mut files = Vec::new();
    rust_files(Path::new("src"), &mut files);
    assert!(files.len() > 10);
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.starts_with("//!"), "{} has no //! doc", file.display());
        for leftover in ["dbg!(", "todo!(", "unimplemented!("] {
            assert!(
                !text.contains(leftover),
                "{} contains {leftover}",
                file.display()
            );
        }
    }
}

#[test]
fn every_code_is_documented_in_the_readme() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    for code in raci_lint::diag::Code::ALL {
        let row = format!(
            "| `{}` | {} |",
            code.as_str(),
            code.default_severity().as_str()
        );
        assert!(
            readme.contains(&row),
            "README lacks the row for {code}: {row}"
        );
    }
}

/// The Rust files under `dir`, each with its code: comments removed, and the contents of string
/// and character literals blanked, so that a word in a comment or a message is not code.
fn code_under(dir: &str) -> Vec<(std::path::PathBuf, String)> {
    let mut files = Vec::new();
    rust_files(Path::new(dir), &mut files);
    assert!(!files.is_empty(), "no Rust files under {dir}");
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            let code = code_only(&text);
            (path, code)
        })
        .collect()
}

/// `text` without comments and without what its string and character literals hold.
fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if c == 'r'
            && (next == Some('"') || next == Some('#'))
            && (i == 0 || !ident(chars[i - 1]))
        {
            // A raw string: r"...", r#"..."#.
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            let closing: String = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            let closing: Vec<char> = closing.chars().collect();
            while j < chars.len() && !chars[j..].starts_with(&closing) {
                j += 1;
            }
            out.push_str("\"\"");
            i = j + closing.len();
        } else if c == '"' {
            let mut j = i + 1;
            while j < chars.len() && chars[j] != '"' {
                j += if chars[j] == '\\' { 2 } else { 1 };
            }
            out.push_str("\"\"");
            i = j + 1;
        } else if c == '\'' {
            // A character literal ('x', '\n', '\u{..}') or a lifetime ('a).
            if next == Some('\\') {
                let mut j = i + 2;
                while j < chars.len() && chars[j] != '\'' {
                    j += 1;
                }
                out.push_str("' '");
                i = j + 1;
            } else if chars.get(i + 2) == Some(&'\'') {
                out.push_str("' '");
                i += 3;
            } else {
                out.push(c);
                i += 1;
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

#[test]
fn code_only_leaves_out_comments_and_literals() {
    let code = code_only(
        "use a; // crate::x\n/* crate::y */ let s = \"crate::z\"; let c = '\"'; let r = r#\"crate::w\"#; fn f<'a>() { crate::v }",
    );
    for hidden in ["crate::x", "crate::y", "crate::z", "crate::w"] {
        assert!(!code.contains(hidden), "{hidden} in {code}");
    }
    assert!(code.contains("crate::v") && code.contains("<'a>"), "{code}");
}

/// Whether `code` names the crate's module `module`: `crate::module` or, in a grouped import,
/// `crate::{.., module, ..}`.
fn uses_module(code: &str, module: &str) -> bool {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let direct = format!("crate::{module}");
    let named = code
        .match_indices(&direct)
        .any(|(at, _)| !code[at + direct.len()..].starts_with(ident));
    let grouped = code.match_indices("crate::{").any(|(at, _)| {
        let group = &code[at + "crate::{".len()..];
        let mut depth = 1;
        let end = group
            .char_indices()
            .find(|&(_, c)| {
                depth += match c {
                    '{' => 1,
                    '}' => -1,
                    _ => 0,
                };
                depth == 0
            })
            .map_or(group.len(), |(i, _)| i);
        group[..end]
            .split(|c: char| !ident(c))
            .any(|word| word == module)
    });
    named || grouped
}

#[test]
fn uses_module_sees_plain_and_grouped_imports() {
    assert!(uses_module("use crate::baseline::Entry;", "baseline"));
    assert!(uses_module("use crate::{paths, baseline};", "baseline"));
    assert!(!uses_module("use crate::baselines;", "baseline"));
    assert!(!uses_module(
        "use crate::diag::{baseline_help};",
        "baseline"
    ));
}

/// Fails when a file under `dir` uses the crate's module `module`.
fn never_imports(dir: &str, module: &str) {
    for (file, code) in code_under(dir) {
        assert!(
            !uses_module(&code, module),
            "{} uses crate::{module}: ARCHITECTURE.md says {dir} must not (an import cycle)",
            file.display()
        );
    }
}

#[test]
fn diag_never_imports_the_baseline() {
    // The baseline reports its unused entries through diag; diag takes their facts.
    never_imports("src/diag", "baseline");
}

#[test]
fn loading_never_imports_discovery() {
    // Discovery hands loading a path, its display and maybe its contents.
    never_imports("src/load", "discover");
}

#[test]
fn render_never_imports_the_commands() {
    // Commands call render; what render formats for them (matrices, replies) is plain data in
    // model::matrix and reply.
    never_imports("src/render", "commands");
}

#[test]
fn the_command_line_is_read_only_where_it_is_converted() {
    // clap's types become plain values in one place per front end; past it nothing reads them.
    let allowed = [
        "src/cli.rs",
        // Settings::resolve: `check` and `config`.
        "src/settings.rs",
        // Request::from: the authoring commands.
        "src/commands/request.rs",
        // The server keeps its arguments to resolve the settings again when the config changes.
        "src/server/mod.rs",
        "src/server/workspace.rs",
        // The output format and colour choice that Settings carries are clap's value enums.
        "src/render/mod.rs",
    ];
    for (file, code) in code_under("src") {
        let name = file.to_string_lossy().replace('\\', "/");
        if !allowed.contains(&name.as_str()) {
            assert!(
                !uses_module(&code, "cli"),
                "{name} reads the command line's types: convert them in Settings::resolve or commands::Request::from"
            );
        }
    }
}

/// Whether `code` invokes the macro `name!` (plain or path-qualified, not `xname!`).
fn calls_macro(code: &str, name: &str) -> bool {
    let call = format!("{name}!");
    code.match_indices(&call)
        .any(|(at, _)| !code[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_'))
}

#[test]
fn only_render_prints() {
    // The print macros write to stdout or stderr behind the renderers' back (a closed pipe
    // panics, escaping is skipped); clippy.toml disallows them too.
    for (file, code) in code_under("src") {
        if file.starts_with("src/render") {
            continue;
        }
        for name in ["print", "println", "eprint", "eprintln"] {
            assert!(
                !calls_macro(&code, name),
                "{} uses {name}!: only src/render writes output",
                file.display()
            );
        }
    }
}

#[test]
fn the_print_check_sees_qualified_macros_and_ignores_words() {
    let code = code_only("fn f() { std::println!(\"x\"); } // eprintln!()\nlet s = \"print!\";");
    assert!(calls_macro(&code, "println"));
    assert!(!calls_macro(&code, "eprintln") && !calls_macro(&code, "print"));
}

/// `code` without its unit tests (the `#[cfg(test)]` module closes a file).
fn without_tests(code: &str) -> &str {
    code.split("#[cfg(test)]").next().unwrap_or(code)
}

#[test]
fn findings_are_made_and_worded_in_diag_only() {
    // Checks, loaders and the run pass facts to diag::kinds and get a Finding back.
    for (file, code) in code_under("src") {
        if file.starts_with("src/diag") {
            continue;
        }
        let code = without_tests(&code);
        for made in ["Finding::new(", ".message = "] {
            assert!(
                !code.contains(made),
                "{} words a finding itself ({made}): write it in src/diag/kinds",
                file.display()
            );
        }
    }
}

#[test]
fn checks_do_no_io() {
    for (file, code) in code_under("src/checks") {
        for io in ["std::fs", "std::io", "std::env", "std::process", "std::net"] {
            assert!(
                !code.contains(io),
                "{} uses {io}: checks read the model only",
                file.display()
            );
        }
    }
}
