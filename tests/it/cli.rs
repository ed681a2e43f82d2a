//! Command-line cases (`tests/cmd/*.toml`): one per exit status, per format, and `--help`,
//! run against the built binary with trycmd.

#[test]
fn cli_cases() {
    trycmd::TestCases::new()
        .default_bin_name("raci-lint")
        .case("tests/cmd/*.toml");
}
