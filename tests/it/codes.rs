//! The list of codes is user-facing: a snapshot keeps any code from being renamed, dropped or
//! given another default severity by accident.

use raci_lint::diag::Code;

#[test]
fn every_code_with_its_default_severity() {
    let list: Vec<String> = Code::ALL
        .iter()
        .map(|c| {
            format!(
                "{:<26} {:<8} {}",
                c.as_str(),
                c.default_severity().as_str(),
                c.summary()
            )
        })
        .collect();
    insta::assert_snapshot!(list.join("\n"));
}

#[test]
fn names_round_trip() {
    for code in Code::ALL {
        assert_eq!(Code::from_name(code.as_str()), Some(*code));
    }
}
