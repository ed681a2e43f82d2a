//! The authoring and audit commands (`explain`, `providers`, `matrix`, `init`, `schema`,
//! `manpage`): each turns its arguments and the packs in force into text, or refuses with a
//! [`Refusal`]. They never write: `main` hands their [`Output`] to `render`. Both types live in
//! [`crate::reply`], which `render` reads without depending on the commands.

pub mod explain;
pub mod init;
pub mod manpage;
pub mod matrix;
pub mod providers;
pub mod request;
pub mod schema;

use std::path::PathBuf;

use matrix::MatrixFormat;
pub use request::{PackOptions, Request};
use schema::SchemaKind;

use crate::diag::{Finding, Severity};
use crate::model::{Pack, Packs};
pub use crate::reply::{Output, Refusal};
use crate::{config, load, suggest};

/// The packs with every text of a user pack (names, titles, categories, comments,
/// descriptions) escaped as the text formats escape them: a repository's own pack may carry
/// line breaks and escape sequences, and these commands print its text line by line.
fn displayable(mut packs: Packs) -> Packs {
    let clean = |s: &mut String| {
        if let std::borrow::Cow::Owned(escaped) = crate::render::escape::text(s) {
            *s = escaped;
        }
    };
    for pack in packs.by_id.values_mut() {
        if pack.origin == crate::model::PackOrigin::Builtin {
            continue;
        }
        let pack = std::sync::Arc::make_mut(pack);
        clean(&mut pack.name);
        pack.description.iter_mut().for_each(clean);
        for named in pack
            .plans
            .iter_mut()
            .chain(&mut pack.products)
            .chain(&mut pack.offerings)
        {
            clean(&mut named.name);
            named.description.iter_mut().for_each(clean);
        }
        for activity in &mut pack.activities {
            clean(&mut activity.title);
            clean(&mut activity.category);
            activity.comment.iter_mut().for_each(clean);
            for rule in &mut activity.evidence {
                rule.description.iter_mut().for_each(clean);
            }
        }
    }
    packs
}

/// The packs in force: built-in, the config file's `packs`, then `--packs`. A pack with an
/// error, or a broken config file, refuses the command.
pub fn packs(args: &PackOptions) -> Result<Packs, Refusal> {
    let mut paths: Vec<PathBuf> = Vec::new();
    let mut confined = 0;
    let mut root = config::current_root();
    let mut problems = Vec::new();
    if let Some((_, loaded)) = config::load_located(args.config.clone()) {
        match loaded {
            Ok(config) => {
                paths.extend(config.packs.unwrap_or_default());
                confined = paths.len();
                root = config.root;
                // Config paths that lead outside the repository refuse the command too.
                problems = config.problems;
            }
            Err(finding) => {
                return Err(Refusal {
                    message: "the config file has a problem".to_owned(),
                    help: None,
                    findings: vec![finding],
                });
            }
        }
    }
    paths.extend(args.packs.iter().cloned());
    let (packs, mut findings) = load::registry::load_confined(&paths, confined, &root);
    findings.extend(problems);
    let errors: Vec<Finding> = findings
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    if errors.is_empty() {
        Ok(displayable(packs))
    } else {
        Err(Refusal {
            message: "a rule pack has errors".to_owned(),
            help: Some("`raci-lint check --packs PATH` reports every problem of a pack".to_owned()),
            findings: errors,
        })
    }
}

/// The pack of `id`, or a refusal that lists the providers and suggests the nearest.
pub fn provider<'a>(packs: &'a Packs, id: &str) -> Result<&'a Pack, Refusal> {
    packs
        .get(id)
        .map(|p| &**p)
        .ok_or_else(|| unknown("provider", id, packs.ids()))
}

/// "unknown plan `self-servce`", with did-you-mean or the list of what is known.
pub fn unknown<'a>(what: &str, written: &str, known: impl Iterator<Item = &'a str>) -> Refusal {
    let known: Vec<&str> = known.collect();
    let help = suggest::hint(written, known.iter().copied()).unwrap_or_else(|| {
        if known.is_empty() {
            format!("there is no {what} to choose from")
        } else {
            format!("known: {}", known.join(", "))
        }
    });
    Refusal::new(format!("unknown {what} `{written}`")).help(help)
}

/// Checks `--plan` and `--product` against `pack`: the plan is required when the provider has
/// plans (`required_plan`), refused when it has none.
pub fn plan_and_products(
    pack: &Pack,
    plan: Option<&str>,
    products: &[String],
    required_plan: bool,
) -> Result<(), Refusal> {
    match plan {
        Some(plan) if pack.plans.is_empty() => {
            return Err(Refusal::new(format!(
                "{} has no plans, so `--plan {plan}` does not apply",
                pack.name
            ))
            .help("leave out --plan"));
        }
        Some(plan) if !pack.has_plan(plan) => {
            return Err(unknown(
                "plan",
                plan,
                pack.plans.iter().map(|p| p.id.value.as_str()),
            ));
        }
        None if required_plan && !pack.plans.is_empty() => {
            let ids: Vec<&str> = pack.plans.iter().map(|p| p.id.value.as_str()).collect();
            return Err(
                Refusal::new(format!("{} has plans: name one with --plan", pack.name))
                    .help(format!("plans: {}", ids.join(", "))),
            );
        }
        _ => {}
    }
    for product in products {
        if !pack.has_product(product) {
            return Err(unknown(
                "product",
                product,
                pack.products.iter().map(|p| p.id.value.as_str()),
            ));
        }
    }
    Ok(())
}

/// Runs an authoring command: a [`Request`], or the command line's subcommand it is made from.
/// `width` is the terminal's, for the matrix table (80 when the output is not a terminal).
pub fn run(request: impl Into<Request>, width: u16) -> Result<Output, Refusal> {
    use crate::render;
    let to = |text: String, path: Option<PathBuf>| match path {
        Some(path) => Output::File {
            path,
            text,
            overwrite: true,
        },
        None => Output::Stdout(text),
    };
    match request.into() {
        Request::Explain { what, packs: from } => match what.as_deref() {
            None => Ok(Output::Stdout(explain::codes_text())),
            Some(what) => explain::run(what, &packs(&from)?).map(Output::Stdout),
        },
        Request::Providers(from) => Ok(Output::Stdout(providers::run(&packs(&from)?))),
        Request::Matrix(options) => {
            let packs = packs(&options.packs)?;
            let matrix = match matrix::target(&options, &packs)? {
                matrix::Target::Provider(id) => {
                    let pack = provider(&packs, &id)?;
                    matrix::of_provider(pack, options.plan.as_deref(), &options.products)?
                }
                matrix::Target::File(file) => matrix::of_file(*file, &packs)?,
            };
            let width = if options.output.is_some() { 80 } else { width };
            let text = match options.format {
                MatrixFormat::Table => render::matrix::table(&matrix, width),
                MatrixFormat::Markdown => render::matrix::markdown(&matrix),
                MatrixFormat::Csv => render::matrix::csv(&matrix),
                MatrixFormat::Json => render::matrix::json(&matrix),
                MatrixFormat::Html => render::matrix::html(&matrix),
            };
            Ok(to(text, options.output))
        }
        Request::Init(options) => {
            let text = init::run(
                &packs(&options.packs)?,
                options.provider.as_deref(),
                options.plan.as_deref(),
                &options.products,
            )?;
            Ok(if options.output.as_os_str() == "-" {
                Output::Stdout(text)
            } else {
                Output::File {
                    path: options.output,
                    text,
                    overwrite: options.force,
                }
            })
        }
        Request::Schema { kind, packs: from } => {
            // Only the ownership schema names providers; the others need no pack (and a broken
            // config file must not stop `schema config`, which helps to mend it).
            let packs = match kind {
                SchemaKind::Ownership => Some(packs(&from)?),
                _ => None,
            };
            Ok(Output::Stdout(schema::run(kind, packs.as_ref())))
        }
        Request::Completions { shell, mut command } => {
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut command, "raci-lint", &mut buf);
            Ok(Output::Stdout(String::from_utf8_lossy(&buf).into_owned()))
        }
        Request::Manpage(command) => manpage::render(*command)
            .map(Output::Stdout)
            .map_err(|e| Refusal::new(format!("cannot render the manual page: {e}"))),
        Request::NotAuthoring => Err(Refusal::new(
            "check, config and server are not authoring commands",
        )),
    }
}
