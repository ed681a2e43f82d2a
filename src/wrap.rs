//! Word wrapping for the plain-text documents raci-lint prints (`explain`, the title of the
//! `matrix` table): words are never broken, and examples (lines starting with a space) are kept
//! as they are.

/// Word-wraps `text` to `width` columns, each line starting with `indent`; blank lines and
/// lines that start with spaces (examples) are kept as they are.
pub fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    for paragraph in text.lines() {
        if paragraph.trim().is_empty() || paragraph.starts_with(' ') {
            out.push_str(indent);
            out.push_str(paragraph);
            out.push('\n');
            continue;
        }
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && indent.len() + line.len() + 1 + word.chars().count() > width {
                out.push_str(indent);
                out.push_str(&line);
                out.push('\n');
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        out.push_str(indent);
        out.push_str(&line);
        out.push('\n');
    }
    out
}
