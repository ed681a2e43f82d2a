//! YAML files read as a tree with byte spans, for the `ansible` matcher and the commands held in
//! YAML (Ansible command tasks, cloud-init `runcmd`, Kubernetes containers). Read with
//! granit-parser, the event parser under serde-saphyr: no second YAML library, byte offsets on
//! every event, nesting bounded by the parser, and aliases never expanded (an alias is a leaf),
//! so a hostile file costs what its size says. A file that stops parsing keeps what was read
//! before the error: templates (`.yml.j2`) often break YAML further down.

use granit_parser::{Event, Options, Parser, ScalarStyle};

#[derive(Debug)]
pub enum Node {
    Scalar(Scalar),
    Seq(Vec<Node>, Extent),
    Map(Vec<(Node, Node)>, Extent),
    /// An alias, or a node that could not be read.
    Other(Extent),
}

/// The bytes a node spans in the file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Extent {
    pub start: usize,
    pub end: usize,
}

#[derive(Debug)]
pub struct Scalar {
    pub value: String,
    pub style: ScalarStyle,
    pub extent: Extent,
}

impl Node {
    pub fn extent(&self) -> Extent {
        match self {
            Node::Scalar(s) => s.extent,
            Node::Seq(_, e) | Node::Map(_, e) | Node::Other(e) => *e,
        }
    }

    pub fn scalar(&self) -> Option<&Scalar> {
        match self {
            Node::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The value of `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Map(entries, _) => entries
                .iter()
                .find(|(k, _)| k.scalar().is_some_and(|s| s.value == key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// A null value: `key:` with nothing after it, `~` or `null`.
    pub fn is_null(&self) -> bool {
        self.scalar().is_some_and(|s| {
            s.style == ScalarStyle::Plain
                && matches!(s.value.as_str(), "" | "~" | "null" | "Null" | "NULL")
        })
    }
}

enum Frame {
    Seq(Vec<Node>, usize),
    Map(Vec<(Node, Node)>, Option<Node>, usize),
}

/// Every document of `text`, as far as it parses.
pub fn parse(text: &str) -> Vec<Node> {
    parse_at(text, 0)
}

/// The parts of `text` for which `keep(start, end)` holds, parsed: a top-level list (an
/// Ansible task file, a playbook) is cut into its items and a stream into its documents, and
/// only the items or documents kept are read. Most of a task file is tasks no rule can match;
/// reading YAML is the scan's largest cost. Extents are offsets of `text`.
pub fn parse_parts(text: &str, keep: &dyn Fn(usize, usize) -> bool) -> Vec<Node> {
    #[derive(Clone, Copy, PartialEq)]
    enum Top {
        /// The document is a block list: each item is a part.
        Items,
        /// The document is a block mapping: each top-level key is a part.
        Keys,
        /// Anything else (a flow collection, a scalar): the document is one part.
        Whole,
    }
    let mut documents = Vec::new();
    let mut start = 0;
    let mut top: Option<Top> = None;
    let mut at = 0;
    let flush = |from: usize, to: usize, documents: &mut Vec<Node>| {
        if from < to && keep(from, to) {
            documents.extend(parse_at(&text[from..to], from));
        }
    };
    let all = text.as_bytes();
    while at < all.len() {
        let end = memchr::memchr(b'\n', &all[at..]).map_or(all.len(), |i| at + i + 1);
        let bytes = &all[at..end];
        let document = bytes.starts_with(b"---") || bytes.starts_with(b"...");
        let content = !bytes
            .first()
            .is_none_or(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'#'));
        if document {
            flush(start, at, &mut documents);
            start = at;
            top = None;
        } else if content {
            let item = bytes[0] == b'-' && bytes.get(1).is_none_or(|b| b.is_ascii_whitespace());
            let key = block_key(bytes);
            match top {
                None => {
                    top = Some(if item {
                        Top::Items
                    } else if key {
                        Top::Keys
                    } else {
                        Top::Whole
                    })
                }
                Some(Top::Items) if item => {
                    flush(start, at, &mut documents);
                    start = at;
                }
                Some(Top::Keys) if key => {
                    flush(start, at, &mut documents);
                    start = at;
                }
                _ => {}
            }
        }
        at = end;
    }
    flush(start, text.len(), &mut documents);
    documents
}

/// Whether a line at column 0 starts a block mapping entry: `name:` followed by a space or the
/// line's end, the name plain (no flow indicator, no quote, no `?` complex key).
fn block_key(line: &[u8]) -> bool {
    if line
        .first()
        .is_none_or(|b| b"-{}[]?#'\"&*!|>%@`,".contains(b) || b.is_ascii_whitespace())
    {
        return false;
    }
    let Some(colon) = memchr::memchr(b':', line) else {
        return false;
    };
    line.get(colon + 1).is_none_or(|b| b.is_ascii_whitespace())
}

/// Every document of `text`, extents shifted by `base`.
fn parse_at(text: &str, base: usize) -> Vec<Node> {
    let options = Options::default();
    let parser = Parser::new_from_str_with_options(text, options);
    let mut stack: Vec<Frame> = Vec::new();
    let mut documents = Vec::new();
    let offset = |m: granit_parser::Marker| base + m.byte_offset().unwrap_or(0).min(text.len());
    for event in parser {
        let Ok((event, span)) = event else {
            break;
        };
        let extent = Extent {
            start: offset(span.start),
            end: offset(span.end),
        };
        let node = match event {
            Event::Scalar(value, style, _, _) => Node::Scalar(Scalar {
                value: value.into_owned(),
                style,
                extent,
            }),
            Event::Alias(_) => Node::Other(extent),
            Event::SequenceStart(..) => {
                stack.push(Frame::Seq(Vec::new(), extent.start));
                continue;
            }
            Event::MappingStart(..) => {
                stack.push(Frame::Map(Vec::new(), None, extent.start));
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(frame) => close(frame),
                None => continue,
            },
            _ => continue,
        };
        add(&mut stack, &mut documents, node);
    }
    // A file that stopped parsing: what was read so far.
    while let Some(frame) = stack.pop() {
        let node = close(frame);
        add(&mut stack, &mut documents, node);
    }
    documents
}

fn close(frame: Frame) -> Node {
    match frame {
        Frame::Seq(items, start) => {
            let end = items.last().map_or(start, |n| n.extent().end);
            Node::Seq(items, Extent { start, end })
        }
        Frame::Map(entries, _, start) => {
            let end = entries.last().map_or(start, |(_, v)| v.extent().end);
            Node::Map(entries, Extent { start, end })
        }
    }
}

fn add(stack: &mut [Frame], documents: &mut Vec<Node>, node: Node) {
    match stack.last_mut() {
        None => documents.push(node),
        Some(Frame::Seq(items, _)) => items.push(node),
        Some(Frame::Map(entries, key, _)) => match key.take() {
            None => *key = Some(node),
            Some(k) => entries.push((k, node)),
        },
    }
}

/// Calls `visit` on every node under `node`, with the node it sits in.
pub fn walk<'n>(node: &'n Node, visit: &mut dyn FnMut(&'n Node, Option<&'n Node>)) {
    fn go<'n>(
        node: &'n Node,
        parent: Option<&'n Node>,
        visit: &mut dyn FnMut(&'n Node, Option<&'n Node>),
    ) {
        visit(node, parent);
        match node {
            Node::Seq(items, _) => items.iter().for_each(|i| go(i, Some(node), visit)),
            Node::Map(entries, _) => entries.iter().for_each(|(_, v)| go(v, Some(node), visit)),
            _ => {}
        }
    }
    go(node, None, visit);
}

/// `key=value` words of an Ansible free-form string (`upgrade=dist update_cache=yes`), quotes
/// taken off; words without `=` are left out.
pub fn key_values(text: &str) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    for word in words(text) {
        if let Some((k, v)) = word.split_once('=')
            && !k.is_empty()
            && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            pairs.push((k.to_owned(), v.to_owned()));
        }
    }
    pairs
}

/// Words split at spaces outside quotes, quotes taken off.
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                any = true;
            }
            (None, c) if c.is_whitespace() => {
                if any || !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
                any = false;
            }
            (None, c) => word.push(c),
        }
    }
    if any || !word.is_empty() {
        out.push(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_byte_offsets_of_the_file() {
        let text = "# é\n- name: x\n  apt:\n    upgrade: dist\n";
        let docs = parse(text);
        let Node::Seq(items, _) = &docs[0] else {
            panic!("{docs:?}")
        };
        let task = &items[0];
        let (key, _) = match task {
            Node::Map(entries, _) => &entries[1],
            _ => panic!(),
        };
        let e = key.extent();
        assert_eq!(&text[e.start..e.end], "apt");
        assert_eq!(
            &text[task.extent().start..task.extent().end],
            "name: x\n  apt:\n    upgrade: dist"
        );
    }

    #[test]
    fn parts_are_the_items_and_documents_that_hold_a_wanted_offset() {
        let text = "# tasks\n- name: a\n  apt: {upgrade: dist}\n- name: b\n  ufw: {rule: allow}\n---\nkind: Pod\nspec: {x: 1}\n";
        let holding = |at: usize| move |from: usize, to: usize| (from..to).contains(&at);
        let ufw = text.find("ufw").unwrap();
        let parts = parse_parts(text, &holding(ufw));
        assert_eq!(parts.len(), 1);
        let Node::Seq(items, _) = &parts[0] else {
            panic!("{parts:?}")
        };
        let key = match &items[0] {
            Node::Map(entries, _) => entries[1].0.extent(),
            other => panic!("{other:?}"),
        };
        assert_eq!(&text[key.start..key.end], "ufw");
        let pod = text.find("Pod").unwrap();
        let parts = parse_parts(text, &holding(pod));
        assert!(matches!(&parts[0], Node::Map(..)), "{parts:?}");
        assert!(parse_parts(text, &|_, _| false).is_empty());
        // Every part together reads as the whole file does: two items, two keys.
        assert_eq!(parse_parts(text, &|_, _| true).len(), 4);
        // A mapping is cut at its top-level keys; a key's block value stays with it.
        let vars = "a: 1\nrun:\n  - x\n  - |\n    y\nlast: {b: 2}\n";
        let x = vars.find('x').unwrap();
        let parts = parse_parts(vars, &holding(x));
        let Node::Map(entries, _) = &parts[0] else {
            panic!("{parts:?}")
        };
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].0.scalar().unwrap().value, "run");
    }

    #[test]
    fn a_broken_file_keeps_what_came_before() {
        let docs = parse("- apt: {upgrade: dist}\n- {{ broken\n");
        assert!(!docs.is_empty());
    }

    #[test]
    fn key_value_strings() {
        assert_eq!(
            key_values("name=* state=latest job=\"apt-get -y upgrade\" free"),
            [
                ("name".into(), "*".into()),
                ("state".into(), "latest".into()),
                ("job".into(), "apt-get -y upgrade".into())
            ]
        );
    }
}
