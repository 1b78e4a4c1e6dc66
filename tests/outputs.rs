//! What a run leaves on disk: a run that fails halfway leaves the outputs of the last one as
//! they were and no temporary file; inputs are never written; the same inputs give the same
//! bytes whatever the number of threads.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Output;

use gridkeeper::demo::{self, DemoOptions};

use common::{command, root, stderr};

mod common;

fn gk(args: &[&str], threads: Option<usize>) -> Output {
    let mut c = command(args);
    c.args(["--lang", "en", "--quiet"]);
    match threads {
        Some(n) => c.env("RAYON_NUM_THREADS", n.to_string()),
        None => c.env_remove("RAYON_NUM_THREADS"),
    };
    c.output().expect("run gridkeeper")
}

/// Every file under `dir` (relative path → bytes); folders are walked.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).expect("prefix").display().to_string();
                out.insert(rel, std::fs::read(&p).expect("read"));
            }
        }
    }
    out
}

/// The files that differ between two snapshots (by name only: the bytes are long).
fn changed(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let names: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    names
        .into_iter()
        .filter(|n| a.get(*n) != b.get(*n))
        .cloned()
        .collect()
}

fn no_temporary_files(dir: &Path) {
    for name in files(dir).keys() {
        assert!(!name.contains("tmp"), "{name} left in {}", dir.display());
    }
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn a_run_failing_halfway_leaves_the_last_outputs_intact() {
    let inputs_before = files(&root().join("fixtures"));
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("plan");
    let plan = |new: &str| {
        gk(
            &[
                "plan",
                "fixtures/plan/old",
                new,
                "--cases",
                "fixtures/plan/cases.csv",
                "--out",
                s(&out),
            ],
            None,
        )
    };
    let o = plan("fixtures/plan/new");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let first = files(&out);
    for f in [
        "plan.md",
        "plan.html",
        "plan.xlsx",
        "grid_crosswalk.csv",
        "case_crosswalk.csv",
        "changes.geojson",
        "run.json",
    ] {
        assert!(first.contains_key(f), "{f}: {:?}", first.keys());
    }

    // A folder where case_crosswalk.csv goes: the next run (of another version, so every
    // output would change) writes plan.md, plan.html, plan.xlsx and grid_crosswalk.csv,
    // then fails on it.
    std::fs::remove_file(out.join("case_crosswalk.csv")).expect("remove");
    std::fs::create_dir(out.join("case_crosswalk.csv")).expect("mkdir");
    std::fs::write(out.join("case_crosswalk.csv").join("keep.txt"), "mine").expect("write");
    let before = files(&out);
    let o = plan("fixtures/diff/split/new");
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("case_crosswalk.csv"), "{err}");
    assert_eq!(changed(&files(&out), &before), Vec::<String>::new());
    no_temporary_files(&out);

    // Without the obstacle the same run succeeds and replaces every output.
    std::fs::remove_dir_all(out.join("case_crosswalk.csv")).expect("rmdir");
    let o = plan("fixtures/diff/split/new");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let second = files(&out);
    assert_eq!(
        second.keys().collect::<Vec<_>>(),
        first.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &second {
        assert_ne!(bytes, &first[name], "{name} was not replaced");
    }
    no_temporary_files(&out);

    // diff --out and validate -o the same way.
    let out = tmp.path().join("diff");
    let diff = |new: &str| gk(&["diff", "fixtures/plan/old", new, "--out", s(&out)], None);
    assert_eq!(diff("fixtures/plan/new").status.code(), Some(0));
    std::fs::remove_file(out.join("diff.json")).expect("remove");
    std::fs::create_dir(out.join("diff.json")).expect("mkdir");
    let before = files(&out);
    assert_eq!(diff("fixtures/diff/split/new").status.code(), Some(2));
    assert_eq!(changed(&files(&out), &before), Vec::<String>::new());
    no_temporary_files(&out);

    let report = tmp.path().join("report.json");
    let errors = tmp.path().join("errors.geojson");
    std::fs::write(&report, "last report").expect("write");
    std::fs::create_dir(&errors).expect("mkdir");
    let o = gk(
        &[
            "validate",
            "fixtures/cover-overlap",
            "--format",
            "json",
            "-o",
            s(&report),
            "--errors-geojson",
            s(&errors),
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read(&report).expect("read"), b"last report");
    no_temporary_files(tmp.path());

    // Nothing under fixtures/ (every input above) was written.
    assert_eq!(
        changed(&files(&root().join("fixtures")), &inputs_before),
        Vec::<String>::new()
    );
}

#[test]
fn outputs_do_not_depend_on_the_number_of_threads() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let d = demo::generate(&DemoOptions {
        seed: 3,
        grids: 300,
        components: 3_000,
        defects: true,
        ..Default::default()
    });
    let paths = demo::write(&d, &tmp.path().join("demo")).expect("write demo");
    let out = tmp.path().join("out");
    let run = |threads: usize| {
        let _ = std::fs::remove_dir_all(&out);
        std::fs::create_dir_all(&out).expect("mkdir");
        let runs: Vec<Vec<String>> = vec![
            vec![
                "validate".into(),
                s(&paths.new).into(),
                "--format".into(),
                "json".into(),
                "-o".into(),
                s(&out.join("validate.json")).into(),
                "--errors-geojson".into(),
                s(&out.join("errors.geojson")).into(),
            ],
            vec![
                "diff".into(),
                s(&paths.old).into(),
                s(&paths.new).into(),
                "--out".into(),
                s(&out.join("diff")).into(),
            ],
            vec![
                "plan".into(),
                s(&paths.old).into(),
                s(&paths.new).into(),
                "--cases".into(),
                s(&paths.cases).into(),
                "--out".into(),
                s(&out.join("plan")).into(),
            ],
        ];
        for args in &runs {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let o = gk(&args, Some(threads));
            assert!(
                matches!(o.status.code(), Some(0 | 1)),
                "{args:?}: {}",
                stderr(&o)
            );
        }
        files(&out)
    };
    let one = run(1);
    let many = run(8);
    for f in [
        "validate.json",
        "errors.geojson",
        "diff/diff.json",
        "diff/grid_crosswalk.csv",
        "diff/changes.geojson",
        "plan/plan.md",
        "plan/plan.html",
        "plan/plan.xlsx",
        "plan/case_crosswalk.csv",
        "plan/run.json",
    ] {
        assert!(one.contains_key(f), "{f}: {:?}", one.keys());
    }
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        many.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &one {
        assert!(
            bytes == &many[name],
            "{name} differs between 1 and 8 threads"
        );
    }
}

#[test]
fn an_output_that_would_replace_an_input_is_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = tmp.path().join("data");
    common::copy_dir(&root().join("fixtures/cover-overlap"), &data);
    // Its manifest takes the communities and streets from ../clean.
    common::copy_dir(&root().join("fixtures/clean"), &tmp.path().join("clean"));
    let before = files(tmp.path());
    let grids = data.join("grids.geojson");
    // The findings over the layer they are about: `--errors-geojson` names the input.
    let o = gk(&["validate", s(&data), "--errors-geojson", s(&grids)], None);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("is one of this run's inputs and is not overwritten"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("grids.geojson"), "{}", stderr(&o));
    // The report over the manifest, named by another path to the same file.
    let manifest = format!("{}/../data/dataset.toml", data.display());
    let o = gk(&["validate", s(&data), "-o", &manifest], None);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(changed(&before, &files(tmp.path())), Vec::<String>::new());
    no_temporary_files(tmp.path());
    // A layer read through a symbolic link: the rename would replace the link itself.
    #[cfg(unix)]
    {
        let link = tmp.path().join("linked.geojson");
        std::os::unix::fs::symlink(&grids, &link).expect("symlink");
        let o = gk(&["validate", s(&link), "--errors-geojson", s(&link)], None);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(std::fs::symlink_metadata(&link)
            .expect("link")
            .file_type()
            .is_symlink());
    }
    // The same outputs beside the inputs are written.
    let report = data.join("report.json");
    let o = gk(&["validate", s(&data), "-o", s(&report)], None);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(report.exists());
}

#[test]
fn a_profile_with_schemas_in_a_subfolder_exports_whole() {
    // A city profile keeping its schemas in layers/: the export makes the subfolder.
    let tmp = tempfile::tempdir().expect("tempdir");
    let profile = tmp.path().join("city");
    common::copy_dir(&root().join("schemas/gbt30428-2013"), &profile);
    std::fs::create_dir(profile.join("layers")).expect("mkdir");
    std::fs::rename(
        profile.join("grids.schema.json"),
        profile.join("layers/grids.schema.json"),
    )
    .expect("move");
    let toml = std::fs::read_to_string(profile.join("profile.toml")).expect("toml");
    let toml = toml.replace(
        "grids = \"grids.schema.json\"",
        "grids = \"layers/grids.schema.json\"",
    );
    std::fs::write(profile.join("profile.toml"), toml).expect("write");
    let out = tmp.path().join("export");
    let o = gk(&["schema", "export", s(&profile), s(&out)], None);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(out.join("layers/grids.schema.json")).expect("exported"),
        std::fs::read(profile.join("layers/grids.schema.json")).expect("source")
    );
    assert!(out.join("profile.toml").exists());
    // Exported onto itself: its files are its inputs.
    let o = gk(&["schema", "export", s(&profile), s(&profile)], None);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn outputs_the_last_run_listed_and_this_one_does_not_write_are_removed() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("diff");
    let diff = || {
        gk(
            &[
                "diff",
                "fixtures/plan/old",
                "fixtures/plan/new",
                "--out",
                s(&out),
            ],
            None,
        )
    };
    let o = diff();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // diff.json lists the run's files.
    let record = |out: &Path| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(out.join("diff.json")).expect("read")).expect("json")
    };
    let listed: Vec<String> = record(&out)["outputs"]
        .as_array()
        .expect("outputs")
        .iter()
        .map(|o| {
            let p = Path::new(o.as_str().expect("path"));
            p.file_name().expect("name").to_string_lossy().into_owned()
        })
        .collect();
    assert_eq!(
        listed,
        [
            "grid_crosswalk.csv",
            "community_crosswalk.csv",
            "street_crosswalk.csv",
            "component_changes.csv",
            "changes.geojson",
            "diff.json"
        ]
    );
    // As if the last run had compared a duty layer and written a GeoPackage: its record
    // names them (and, by hand, a file of another kind and one outside the folder).
    let outside = tmp.path().join("mine_crosswalk.csv");
    let mut last = record(&out);
    let outputs = last["outputs"].as_array_mut().expect("outputs");
    for name in [
        "enforcement_grid_crosswalk.csv",
        "changes.gpkg",
        "notes.txt",
        "folder_crosswalk.csv",
    ] {
        outputs.push(s(&out.join(name)).into());
    }
    outputs.push(s(&out.join("..").join("mine_crosswalk.csv")).into());
    std::fs::write(out.join("diff.json"), last.to_string()).expect("write");
    for name in [
        "enforcement_grid_crosswalk.csv",
        "changes.gpkg",
        "notes.txt",
    ] {
        std::fs::write(out.join(name), "last run's").expect("write");
    }
    std::fs::create_dir(out.join("folder_crosswalk.csv")).expect("mkdir");
    std::fs::write(&outside, "mine").expect("write");
    // not listed: the user's own; nor is the one of that name in the folder, which the
    // record names in the folder above
    std::fs::write(out.join("own_crosswalk.csv"), "mine").expect("write");
    std::fs::write(out.join("mine_crosswalk.csv"), "mine").expect("write");

    // A run that fails removes nothing.
    std::fs::remove_file(out.join("changes.geojson")).expect("remove");
    std::fs::create_dir(out.join("changes.geojson")).expect("mkdir");
    let before = files(&out);
    assert_eq!(diff().status.code(), Some(2));
    assert_eq!(changed(&files(&out), &before), Vec::<String>::new());
    std::fs::remove_dir(out.join("changes.geojson")).expect("rmdir");

    let o = diff();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!out.join("enforcement_grid_crosswalk.csv").exists());
    assert!(!out.join("changes.gpkg").exists());
    assert!(out.join("notes.txt").exists());
    assert!(out.join("folder_crosswalk.csv").is_dir());
    assert!(out.join("own_crosswalk.csv").exists());
    assert!(out.join("mine_crosswalk.csv").exists());
    assert!(outside.exists());
    assert!(out.join("grid_crosswalk.csv").exists());
    no_temporary_files(&out);

    // plan the same way, through run.json.
    let out = tmp.path().join("plan");
    let plan = || {
        gk(
            &[
                "plan",
                "fixtures/plan/old",
                "fixtures/plan/new",
                "--out",
                s(&out),
            ],
            None,
        )
    };
    assert_eq!(plan().status.code(), Some(0));
    let run: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("run.json")).expect("read")).expect("json");
    let mut last = run.clone();
    last["outputs"]
        .as_array_mut()
        .expect("outputs")
        .push(s(&out.join("sanitation_grid_crosswalk.csv")).into());
    std::fs::write(out.join("run.json"), last.to_string()).expect("write");
    std::fs::write(out.join("sanitation_grid_crosswalk.csv"), "last run's").expect("write");
    assert_eq!(plan().status.code(), Some(0));
    assert!(!out.join("sanitation_grid_crosswalk.csv").exists());
    assert!(out.join("grid_crosswalk.csv").exists());
    assert!(out.join("case_crosswalk.csv").exists());
    assert_eq!(std::fs::read(out.join("run.json")).expect("read"), {
        let mut s = serde_json::to_string_pretty(&run).expect("json");
        s.push('\n');
        s.into_bytes()
    });
}

#[test]
fn two_outputs_onto_one_file_are_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let report = tmp.path().join("r.json");
    std::fs::write(&report, "last report").expect("write");
    let again = tmp.path().join(".").join("r.json");
    let o = gk(
        &[
            "validate",
            "fixtures/cover-overlap",
            "--format",
            "json",
            "--errors-geojson",
            s(&report),
            "-o",
            s(&again),
        ],
        None,
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("is named for two of this run's outputs; give each its own file"),
        "{err}"
    );
    assert!(err.contains("r.json"), "{err}");
    assert_eq!(std::fs::read(&report).expect("read"), b"last report");
    no_temporary_files(tmp.path());
}
