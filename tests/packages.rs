//! Submission packages and the command line: a zipped folder scores as the folder does;
//! zip-slip entries, absolute paths, links, oversized expansions and too many entries are
//! refused, and so is a manifest naming files outside the package; `check` and `score`
//! through the binary — exit codes, JSON, the xlsx, the ranking files byte for byte, a city's
//! own scoring rules.

use std::io::Write;
use std::path::Path;

use gridkeeper::check::{self, CheckReport};
use gridkeeper::score::{self, ScoringRules};
use gridkeeper::submission::{Limits, Package, PackageFault};
use gridkeeper::{Error, Problem};
use zip::write::SimpleFileOptions;

use common::center::{center, check_path};
use common::{copy_dir, fixture, gk, json, stderr, stdout};

mod common;

fn scored(r: &CheckReport) -> score::ScoreSheet {
    let mut s = score::score(r, &ScoringRules::builtin().expect("rules"));
    s.package.clear();
    s
}

/// Zips `dir` under the top folder `top` into `zip`.
fn zip_dir(dir: &Path, top: &str, zip: &Path) {
    let mut w = zip::ZipWriter::new(std::fs::File::create(zip).expect("create"));
    let opts = SimpleFileOptions::default();
    let mut stack = vec![dir.to_path_buf()];
    let mut files = Vec::new();
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir").flatten() {
            if e.path().is_dir() {
                stack.push(e.path());
            } else {
                files.push(e.path());
            }
        }
    }
    files.sort();
    for f in files {
        let rel = f
            .strip_prefix(dir)
            .expect("rel")
            .to_string_lossy()
            .replace('\\', "/");
        w.start_file(format!("{top}/{rel}"), opts).expect("start");
        w.write_all(&std::fs::read(&f).expect("read"))
            .expect("write");
    }
    w.finish().expect("finish");
}

#[test]
fn a_zipped_folder_scores_as_the_folder_does() {
    let c = center();
    let tmp = tempfile::tempdir().expect("tmp");
    let z = tmp.path().join("350582101.zip");
    zip_dir(&fixture("submissions/late"), "安海镇报送", &z);
    let folder = check_path(&c, &fixture("submissions/late"), &check::Options::default());
    let zipped = check_path(&c, &z, &check::Options::default());
    assert_eq!(scored(&zipped), scored(&folder));
    assert_eq!(zipped.findings, folder.findings);
    assert_eq!(zipped.dataset, "data");
}

/// A zip with the entries `(name, bytes)`, plus a symlink when `link` is given.
fn zip_with(path: &Path, entries: &[(&str, &[u8])], link: Option<(&str, &str)>) {
    let mut w = zip::ZipWriter::new(std::fs::File::create(path).expect("create"));
    let opts = SimpleFileOptions::default();
    for (name, bytes) in entries {
        w.start_file(*name, opts).expect("start");
        w.write_all(bytes).expect("write");
    }
    if let Some((name, target)) = link {
        w.add_symlink(name, target, opts).expect("link");
    }
    w.finish().expect("finish");
}

fn refusal(path: &Path, limits: &Limits) -> PackageFault {
    match Package::open(path, limits) {
        Err(Error::Malformed {
            problem: Problem::Package(f),
            ..
        }) => *f,
        Err(e) => panic!("another error: {e}"),
        Ok(p) => panic!("opened {}", p.root.display()),
    }
}

#[test]
fn unsafe_zips_are_refused() {
    let tmp = tempfile::tempdir().expect("tmp");
    let at = |n: &str| tmp.path().join(n);
    let manifest: &[u8] = b"town = \"350582101\"\n";
    zip_with(
        &at("slip.zip"),
        &[("submission.toml", manifest), ("data/../../evil.txt", b"x")],
        None,
    );
    assert_eq!(
        refusal(&at("slip.zip"), &Limits::default()),
        PackageFault::ZipEscapes {
            entry: "data/../../evil.txt".into()
        }
    );
    zip_with(&at("abs.zip"), &[("/tmp/evil.txt", b"x")], None);
    assert_eq!(
        refusal(&at("abs.zip"), &Limits::default()),
        PackageFault::ZipAbsolute {
            entry: "/tmp/evil.txt".into()
        }
    );
    zip_with(
        &at("link.zip"),
        &[("submission.toml", manifest)],
        Some(("data", "/etc")),
    );
    assert_eq!(
        refusal(&at("link.zip"), &Limits::default()),
        PackageFault::ZipLink {
            entry: "data".into()
        }
    );
    // 8 MiB of zeros compress to a few KiB: past a 1 MiB limit.
    let zeros = vec![0u8; 8 << 20];
    zip_with(&at("bomb.zip"), &[("data/grids.geojson", &zeros)], None);
    assert!(std::fs::metadata(at("bomb.zip")).expect("meta").len() < 100_000);
    let small = Limits {
        max_entries: 100,
        max_bytes: 1 << 20,
    };
    assert_eq!(
        refusal(&at("bomb.zip"), &small),
        PackageFault::ZipTooLarge { limit: 1 << 20 }
    );
    let many: Vec<(String, &[u8])> = (0..5).map(|i| (format!("f{i}.txt"), &b"x"[..])).collect();
    let many: Vec<(&str, &[u8])> = many.iter().map(|(n, b)| (n.as_str(), *b)).collect();
    zip_with(&at("many.zip"), &many, None);
    let few = Limits {
        max_entries: 3,
        max_bytes: 1 << 20,
    };
    assert_eq!(
        refusal(&at("many.zip"), &few),
        PackageFault::ZipTooManyEntries { count: 5, limit: 3 }
    );
    // Two entries of one name (Python's zipfile writes them, with a warning): the zip
    // library would keep one of them, so the package is refused.
    zip_with(
        &at("twice.zip"),
        &[
            ("submission.toml", manifest),
            ("data/a.txt", b"1"),
            ("data/b.txt", b"2"),
        ],
        None,
    );
    let mut bytes = std::fs::read(at("twice.zip")).expect("read");
    let mut renamed = 0;
    for i in 0..bytes.len().saturating_sub(10) {
        if &bytes[i..i + 10] == b"data/b.txt" {
            bytes[i + 5] = b'a';
            renamed += 1;
        }
    }
    assert_eq!(renamed, 2); // the local header and the central directory
    std::fs::write(at("twice.zip"), bytes).expect("write");
    assert_eq!(
        refusal(&at("twice.zip"), &Limits::default()),
        PackageFault::ZipRepeatedName
    );
    // Nothing escaped: no evil.txt beside the temporary folders.
    assert!(!std::env::temp_dir().join("evil.txt").exists() || cfg!(windows));
}

#[test]
fn a_manifest_naming_files_outside_the_package_is_refused() {
    // fixtures/plan/new's dataset.toml takes streets from ../../clean.
    let tmp = tempfile::tempdir().expect("tmp");
    let pkg = tmp.path().join("pkg");
    copy_dir(&fixture("plan/new"), &pkg.join("data"));
    std::fs::create_dir_all(tmp.path().join("clean")).expect("mkdir");
    copy_dir(&fixture("clean"), &tmp.path().join("clean"));
    match refusal(&pkg, &Limits::default()) {
        PackageFault::OutsidePackage { path } => assert!(path.contains("clean"), "{path}"),
        other => panic!("{other:?}"),
    }
}

const CENTER: [&str; 4] = [
    "--prior",
    "fixtures/plan/old",
    "--cases",
    "fixtures/plan/cases.csv",
];

#[test]
fn check_on_the_command_line() {
    let mut args = vec!["check", "fixtures/submissions/on-time"];
    args.extend(CENTER);
    let ok = gk(&args);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    let tmp = tempfile::tempdir().expect("tmp");
    let json_path = tmp.path().join("check.json");
    let xlsx_path = tmp.path().join("check.xlsx");
    let mut args = vec![
        "check",
        "fixtures/submissions/late",
        "--format",
        "json",
        "--lang",
        "en",
    ];
    args.extend(CENTER);
    let (j, x) = (json_path.to_string_lossy(), xlsx_path.to_string_lossy());
    args.extend(["-o", &j, "--xlsx", &x]);
    let late = gk(&args);
    assert_eq!(late.status.code(), Some(1));
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&json_path).expect("json")).expect("parse");
    assert_eq!(v["command"], "check");
    assert_eq!(v["lead_days"], 20);
    assert_eq!(v["on_time"], false);
    assert_eq!(v["summary"]["by_rule"]["SUBMIT-LATE"], 1);
    use calamine::{open_workbook, Reader, Xlsx};
    let mut wb: Xlsx<_> = open_workbook(&xlsx_path).expect("xlsx");
    assert_eq!(wb.sheet_names(), ["Summary", "Findings"]);
    let findings = wb.worksheet_range("Findings").expect("sheet");
    assert!(findings
        .rows()
        .any(|r| r.first().map(|c| c.to_string()) == Some("SUBMIT-LATE".into())));
    // No received date anywhere: exit 2 with a message saying how to give one.
    let tmp_pkg = tmp.path().join("no-date");
    copy_dir(&fixture("submissions/on-time"), &tmp_pkg);
    std::fs::write(tmp_pkg.join("submission.toml"), "dataset = \"data\"\n").expect("write");
    let p = tmp_pkg.to_string_lossy();
    let mut args = vec!["check", &p, "--lang", "en"];
    args.extend(CENTER);
    let none = gk(&args);
    assert_eq!(none.status.code(), Some(2));
    assert!(stderr(&none).contains("--received"));
    args.extend(["--received", "2026-06-01"]);
    assert_eq!(gk(&args).status.code(), Some(0));
}

#[test]
fn a_refused_zip_stops_check_with_exit_2() {
    let tmp = tempfile::tempdir().expect("tmp");
    let z = tmp.path().join("slip.zip");
    zip_with(&z, &[("../evil.txt", b"x")], None);
    let p = z.to_string_lossy();
    let mut args = vec!["check", &p, "--received", "2026-06-01"];
    args.extend(CENTER);
    let o = gk(&args);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("zip-slip") && err.contains("../evil.txt"),
        "{err}"
    );
}

#[test]
fn a_package_is_checked_by_the_center_s_profile_not_its_own() {
    // The on-time package naming a profile folder of its own (here one that does not even
    // load): the center checks it by the prior's profile, as if it named that one.
    let tmp = tempfile::tempdir().expect("tmp");
    let pkg = tmp.path().join("own-profile");
    copy_dir(&fixture("submissions/on-time"), &pkg);
    let data = pkg.join("data");
    std::fs::create_dir(data.join("lax")).expect("mkdir");
    std::fs::write(data.join("lax/profile.toml"), "required_layers = [\n").expect("write");
    let manifest = std::fs::read_to_string(data.join("dataset.toml")).expect("manifest");
    assert!(
        manifest.contains("profile = \"gbt30428-2013\""),
        "{manifest}"
    );
    std::fs::write(
        data.join("dataset.toml"),
        manifest.replace("profile = \"gbt30428-2013\"", "profile = \"lax\""),
    )
    .expect("write");
    let check = |p: &str, more: &[&str]| {
        let mut args = vec!["check", p, "--format", "json"];
        args.extend(CENTER);
        args.extend(more);
        gk(&args)
    };
    let p = pkg.to_string_lossy();
    let own = check(&p, &[]);
    let plain = check("fixtures/submissions/on-time", &[]);
    assert_eq!(own.status.code(), Some(0), "{}", stderr(&own));
    assert_eq!(json(&own)["summary"], json(&plain)["summary"]);
    // The center may choose it with --profile: then it is read, and does not load.
    let lax = data.join("lax");
    let chosen = check(&p, &["--profile", &lax.to_string_lossy()]);
    assert_eq!(chosen.status.code(), Some(2));
    assert!(
        stderr(&chosen).contains("profile.toml"),
        "{}",
        stderr(&chosen)
    );
}

#[test]
fn score_ranks_the_towns_and_writes_the_same_files_twice() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut outs = Vec::new();
    for k in 0..2 {
        let out = tmp.path().join(format!("score{k}"));
        let o = out.to_string_lossy().into_owned();
        let mut args = vec![
            "score",
            "fixtures/submissions/data-errors",
            "fixtures/submissions/late",
            "fixtures/submissions/on-time",
            "fixtures/submissions/missing-sections",
            "--lang",
            "en",
            "--out",
            &o,
        ];
        args.extend(CENTER);
        let run = gk(&args);
        assert_eq!(run.status.code(), Some(1));
        outs.push(out);
        if k == 0 {
            let text = stdout(&run);
            let ranks: Vec<&str> = text
                .lines()
                .filter(|l| l.contains("350582101"))
                .take(4)
                .collect();
            // Ties keep the order given: late before missing-sections.
            assert!(
                ranks[0].contains("on-time") && ranks[0].contains("7/7"),
                "{text}"
            );
            assert!(
                ranks[1].starts_with("  2 ") && ranks[1].contains("late"),
                "{text}"
            );
            assert!(
                ranks[2].starts_with("  2 ") && ranks[2].contains("missing-sections"),
                "{text}"
            );
            assert!(
                ranks[3].starts_with("  4 ") && ranks[3].contains("data-errors"),
                "{text}"
            );
        }
    }
    for f in ["ranking.csv", "ranking.xlsx", "score.json"] {
        let a = std::fs::read(outs[0].join(f)).expect("a");
        let b = std::fs::read(outs[1].join(f)).expect("b");
        assert_eq!(a, b, "{f} differs between runs");
    }
    let csv =
        String::from_utf8(std::fs::read(outs[0].join("ranking.csv")).expect("csv")).expect("utf8");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "\u{feff}rank,town,name,package,received,lead_days,geo,grids,components,total,max,errors,warnings,withheld"
    );
    assert!(
        lines[1].starts_with(
            "1,350582101,安海镇,fixtures/submissions/on-time,2026-06-01,30,2,2,3,7,7,0,4,"
        ),
        "{}",
        lines[1]
    );
}

#[test]
fn score_names_the_first_package_it_cannot_check() {
    // Two packages whose dataset folder is missing: the error is the first one's, in the
    // order given, however the checks finish.
    let tmp = tempfile::tempdir().expect("tmp");
    let mut paths = Vec::new();
    for name in ["first", "second"] {
        let p = tmp.path().join(name);
        std::fs::create_dir(&p).expect("mkdir");
        std::fs::write(
            p.join("submission.toml"),
            "town = \"350582101\"\nreceived = 2026-06-01\ndataset = \"data\"\nplan = \"plan\"\n",
        )
        .expect("write");
        paths.push(p.to_string_lossy().into_owned());
    }
    for (a, b, named, not) in [(0, 1, "first", "second"), (1, 0, "second", "first")] {
        let mut args = vec![
            "score",
            "fixtures/submissions/on-time",
            &paths[a],
            &paths[b],
        ];
        args.extend(CENTER);
        let o = gk(&args);
        assert_eq!(o.status.code(), Some(2));
        let err = stderr(&o);
        assert!(
            err.contains(&format!("{named}/data")) && !err.contains(&format!("{not}/data")),
            "{err}"
        );
    }
}

#[test]
fn a_city_may_score_with_its_own_rules() {
    let tmp = tempfile::tempdir().expect("tmp");
    let rules = tmp.path().join("rules.toml");
    std::fs::write(
        &rules,
        "lead_days = 10\n[[items]]\nid = \"grids\"\nname = \"网格\"\npoints = [5, 3, 0]\n\
         [[items.rules]]\nwhen = { families = [\"crosswalk\"], severity = \"error\" }\nthen = \"down\"\ntiers = 2\n",
    )
    .expect("write");
    let r = rules.to_string_lossy();
    let mut args = vec![
        "score",
        "fixtures/submissions/tampered",
        "fixtures/submissions/late",
        "--rules",
        &r,
        "--format",
        "json",
    ];
    args.extend(CENTER);
    let o = gk(&args);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["lead_days"], 10);
    let towns = v["towns"].as_array().expect("towns");
    // Late by the built-in rules, on time by these (20 ≥ 10): full marks first.
    assert_eq!(towns[0]["package"], "fixtures/submissions/late");
    assert_eq!(towns[0]["total"], 5);
    assert_eq!(towns[1]["total"], 0);
    assert_eq!(towns[1]["items"][0]["reasons"][0]["lost"], 5);
}
