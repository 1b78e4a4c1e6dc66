//! The documentation stays current with the code.

#[test]
fn every_rule_is_in_the_catalogue() {
    let doc = include_str!("../docs/rules.md");
    for rule in gridkeeper::Rule::ALL {
        let row = format!("| `{}` | {} |", rule.id(), rule.severity().as_str());
        assert!(
            doc.contains(&row),
            "docs/rules.md lacks the row for {} ({})",
            rule.id(),
            rule.severity().as_str()
        );
    }
}

#[test]
fn readme_shows_the_two_commands() {
    let readme = include_str!("../README.md");
    assert!(readme.contains("cargo run --release -- demo"));
    assert!(readme.contains("cargo test"));
}

#[test]
fn every_fixture_folder_is_described() {
    let readme = include_str!("../fixtures/README.md");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    for e in std::fs::read_dir(&dir).expect("fixtures").flatten() {
        if e.path().is_dir() {
            let name = e.file_name().to_string_lossy().into_owned();
            assert!(
                readme.contains(&format!("`{name}`")),
                "fixtures/README.md does not describe {name}"
            );
        }
    }
    for e in std::fs::read_dir(dir.join("broken"))
        .expect("broken")
        .flatten()
    {
        let name = e.file_name().to_string_lossy().into_owned();
        assert!(
            readme.contains(&format!("`{name}`")),
            "fixtures/README.md does not describe broken/{name}"
        );
    }
}
