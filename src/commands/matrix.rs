//! `raci-lint matrix PROVIDER|OWNERSHIP-FILE`: the rows of a provider's matrix (narrowed by
//! `--plan` and `--product`), or of an ownership file's plan and products with the teams it
//! declares and the duties no team holds. The formats are in `render::matrix`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::{PackOptions, Refusal, plan_and_products};
use crate::diag::{Severity, Sink};
use crate::load;
use crate::model::matrix::{FileInfo, Matrix, Row};
use crate::model::ownership::{DeclarationForm, PLACEHOLDER};
use crate::model::{Activity, OwnershipFile, Pack, Packs, Role, RoleSet};

/// `raci-lint matrix`'s options.
#[derive(Debug)]
pub struct MatrixOptions {
    /// A provider id or an ownership file.
    pub target: String,
    /// Narrow a provider's matrix to a plan, and to generic rows and these products' rows.
    pub plan: Option<String>,
    pub products: Vec<String>,
    pub format: MatrixFormat,
    /// Where to write it; `None`: standard output.
    pub output: Option<PathBuf>,
    pub packs: PackOptions,
}

/// The formats of `raci-lint matrix`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatrixFormat {
    Table,
    Markdown,
    Csv,
    Json,
    Html,
}

/// What `matrix` was asked for: a provider, or an ownership file and the pack it names.
pub enum Target {
    Provider(String),
    File(Box<OwnershipFile>),
}

/// A path that exists is an ownership file; otherwise the argument is a provider id.
pub fn target(args: &MatrixOptions, packs: &Packs) -> Result<Target, Refusal> {
    let path = Path::new(&args.target);
    if packs.get(&args.target).is_some() {
        return Ok(Target::Provider(args.target.clone()));
    }
    if !path.exists() {
        let looks_like_a_file = args.target.contains(['/', '\\'])
            || [".yaml", ".yml"].iter().any(|e| args.target.ends_with(e));
        if looks_like_a_file {
            return Err(Refusal::new(format!("no such file: {}", args.target))
                .help("give an ownership file that exists, or a provider id (`raci-lint providers` lists them)"));
        }
        return Ok(Target::Provider(args.target.clone()));
    }
    if !args.products.is_empty() || args.plan.is_some() {
        return Err(Refusal::new(
            "--plan and --product apply to a provider's matrix, not to an ownership file",
        )
        .help("an ownership file's matrix follows the file's own `plan` and `products`"));
    }
    let shown = crate::paths::display(path);
    let file = load::read::from_disk(path, &shown, load::FileKind::Ownership)
        .and_then(|source| load::ownership::load(&source))
        .map_err(|finding| file_refusal(&shown, vec![finding]))?;
    Ok(Target::File(Box::new(file)))
}

fn file_refusal(shown: &str, findings: Vec<crate::diag::Finding>) -> Refusal {
    Refusal {
        message: format!("{shown} cannot be shown as a matrix"),
        help: Some(format!("`raci-lint check {shown}` reports every problem")),
        findings,
    }
}

/// A provider's matrix, narrowed by plan and products.
pub fn of_provider<'a>(
    pack: &'a Pack,
    plan: Option<&str>,
    products: &[String],
) -> Result<Matrix<'a>, Refusal> {
    plan_and_products(pack, plan, products, false)?;
    let chosen: BTreeSet<&str> = products.iter().map(String::as_str).collect();
    let rows = pack
        .activities
        .iter()
        .filter(|a| {
            if chosen.is_empty() {
                plan.is_none_or(|p| a.on_plan(Some(p)))
            } else if plan.is_some() || pack.plans.is_empty() {
                pack.applies(a, plan, &chosen)
            } else {
                // Products without a plan: every plan's rows of those products and generics.
                pack.plans
                    .iter()
                    .any(|p| pack.applies(a, Some(&p.id.value), &chosen))
            }
        })
        .map(|activity| Row {
            activity,
            teams: Vec::new(),
            unowned: RoleSet::EMPTY,
        })
        .collect();
    Ok(Matrix {
        pack,
        plan: plan.map(str::to_owned),
        products: products.to_vec(),
        file: None,
        groups: group(rows),
    })
}

/// An ownership file's matrix: the activities that apply to it, with its teams.
pub fn of_file<'a>(file: OwnershipFile, packs: &'a Packs) -> Result<Matrix<'a>, Refusal> {
    let shown = file.source.path.clone();
    // The file must resolve (provider, plan, products known) for its matrix to mean anything.
    let mut sink = Sink::default();
    let resolved = crate::checks::ownership_file(file, packs, &mut sink);
    let Some(resolved) = resolved else {
        let findings = sink
            .into_sorted()
            .into_iter()
            .filter(|f| f.severity == Severity::Error)
            .collect();
        return Err(file_refusal(&shown, findings));
    };
    let pack: &'a Pack = packs
        .get(resolved.pack.id())
        .ok_or_else(|| Refusal::new("the file's provider has no pack"))?;
    let file = &resolved.file;
    let plan = file.plan();
    let products: BTreeSet<&str> = file.products().map(|p| p.value.as_str()).collect();
    let rows = pack
        .activities
        .iter()
        .filter(|a| pack.applies(a, plan, &products))
        .map(|activity| {
            let teams = teams_of(file, activity);
            let held: RoleSet = teams.iter().map(|(role, _)| *role).collect();
            let unowned = activity.unowned(held);
            Row {
                activity,
                teams,
                unowned,
            }
        })
        .collect();
    Ok(Matrix {
        pack,
        plan: plan.map(str::to_owned),
        products: file.products().map(|p| p.value.clone()).collect(),
        file: Some(FileInfo {
            path: shown,
            service: file
                .service()
                .map(|s| crate::render::escape::text(s).into_owned()),
        }),
        groups: group(rows),
    })
}

/// The teams the file declares for `activity`, per role; the shorthand gives its team the
/// whole customer share. The placeholder of `init` holds nothing.
fn teams_of(file: &OwnershipFile, activity: &Activity) -> Vec<(Role, Vec<String>)> {
    let mut out: Vec<(Role, Vec<String>)> = Vec::new();
    let mut add = |role: Role, team: &str| {
        if team == PLACEHOLDER {
            return;
        }
        // A repository's team names are printed line by line: escaped, line breaks included.
        let team = &*crate::render::escape::text(team);
        match out.iter_mut().find(|(r, _)| *r == role) {
            Some((_, teams)) if !teams.iter().any(|t| t == team) => teams.push(team.to_owned()),
            Some(_) => {}
            None => out.push((role, vec![team.to_owned()])),
        }
    };
    for decl in file
        .declarations()
        .iter()
        .filter(|d| d.activity.value == activity.id())
    {
        match &decl.form {
            DeclarationForm::Shorthand(team) => {
                for role in activity.customer.value.iter() {
                    add(role, &team.value);
                }
            }
            DeclarationForm::Explicit(claims) => {
                for claim in claims {
                    for team in &claim.teams {
                        add(claim.role, &team.value);
                    }
                }
            }
        }
    }
    out.sort_by_key(|(role, _)| *role);
    out
}

fn group(rows: Vec<Row<'_>>) -> Vec<(String, Vec<Row<'_>>)> {
    let mut groups: Vec<(String, Vec<Row<'_>>)> = Vec::new();
    for row in rows {
        let category = &row.activity.category;
        match groups.iter_mut().find(|(c, _)| c == category) {
            Some((_, rows)) => rows.push(row),
            None => groups.push((category.clone(), vec![row])),
        }
    }
    groups
}
