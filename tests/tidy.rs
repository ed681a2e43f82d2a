//! Habits the compiler does not check: every module says what it owns, no leftover debugging,
//! every diagnostic code documented in the README.

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
