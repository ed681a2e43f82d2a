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
    let options = Options::default();
    let parser = Parser::new_from_str_with_options(text, options);
    let mut stack: Vec<Frame> = Vec::new();
    let mut documents = Vec::new();
    let offset = |m: granit_parser::Marker| m.byte_offset().unwrap_or(0).min(text.len());
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
