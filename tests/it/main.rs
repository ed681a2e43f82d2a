//! The integration tests, in one binary: one link instead of one per file, and every test
//! scheduled on one harness (the CI build and run took minutes less).

mod common;

mod authoring;
mod bad_input;
mod baseline;
mod builtin_packs;
mod cli;
mod codes;
mod config;
mod evidence;
mod evidence_corpus;
mod fixes;
mod fixtures;
mod forgiving;
mod formats;
mod hostile;
mod human;
mod json;
mod matchers;
mod output_file;
mod properties;
mod semantics;
mod tidy;
mod trust;
mod untrusted_packs;
mod waivers;
