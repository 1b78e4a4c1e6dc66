//! The demo's town submissions: four towns' packages (one a .zip) with their flaws, the
//! ranking the demo prints and writes, the same ranking from `gridkeeper score` on the
//! packages, and the same bytes on a second run.

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{gk, gk_ok, stderr, stdout};

mod common;

fn demo(out: &Path) -> Output {
    let o = out.to_string_lossy();
    gk_ok(&[
        "demo",
        "--out",
        &o,
        "--grids",
        "200",
        "--components",
        "2000",
        "--cases",
        "1000",
        "--lang",
        "en",
    ])
}

/// (town, package, total, withheld) of each ranking row.
fn ranking(csv: &Path) -> Vec<(String, String, String, String)> {
    let text = std::fs::read_to_string(csv).expect("ranking.csv");
    let mut r = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    r.records()
        .map(|rec| {
            let rec = rec.expect("row");
            let package = Path::new(&rec[3])
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (
                rec[1].to_string(),
                package,
                rec[9].to_string(),
                rec[13].to_string(),
            )
        })
        .collect()
}

#[test]
fn the_demo_scores_four_towns() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("d");
    let run = demo(&out);
    let text = stdout(&run);
    assert!(
        text.contains("4 towns' submissions checked and scored"),
        "{text}"
    );
    let rows = ranking(&out.join("score/ranking.csv"));
    let totals: Vec<&str> = rows.iter().map(|r| r.2.as_str()).collect();
    assert_eq!(totals, ["7", "6", "5", "4"]);
    assert_eq!(rows[0].3, "");
    assert!(
        rows[1].3.contains("XWALK-CASE-GRID ×1") && rows[1].3.contains("XWALK-CASE-MISSING ×1"),
        "{rows:?}"
    );
    assert!(
        rows[2].1.ends_with(".zip")
            && rows[2].3.contains("ATTR-TYPE ×1")
            && rows[2].3.contains("CODE-CLASS ×1"),
        "{rows:?}"
    );
    assert!(rows[3].3.contains("SUBMIT-LATE ×1"), "{rows:?}");
    // Every package holds the data, the plan and its manifest.
    for (town, package, _, _) in &rows {
        let p: PathBuf = out.join("submissions").join(package);
        assert!(p.exists(), "{}", p.display());
        if !package.ends_with(".zip") {
            assert!(p.join("submission.toml").is_file());
            assert!(p.join("data/dataset.toml").is_file());
            assert!(p.join("plan/plan.md").is_file());
            assert_eq!(package, town);
        }
    }
    // `gridkeeper score` on the packages ranks them as the demo did.
    let subs: Vec<String> = rows
        .iter()
        .map(|r| {
            out.join("submissions")
                .join(&r.1)
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let prior = out.join("2025").to_string_lossy().into_owned();
    let again = tmp.path().join("again");
    let again_s = again.to_string_lossy().into_owned();
    let mut args: Vec<&str> = vec![
        "score", "--lang", "en", "--prior", &prior, "--out", &again_s,
    ];
    args.extend(subs.iter().map(String::as_str));
    let o = gk(&args);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let rows2 = ranking(&again.join("ranking.csv"));
    assert_eq!(rows, rows2);
    // A second demo into the same folder writes the same bytes.
    let before: Vec<Vec<u8>> = [
        "score/ranking.csv",
        "score/ranking.xlsx",
        "score/score.json",
    ]
    .iter()
    .map(|f| std::fs::read(out.join(f)).expect("read"))
    .collect();
    let zip = out.join("submissions").join(&rows[2].1);
    let zip_before = std::fs::read(&zip).expect("zip");
    demo(&out);
    for (k, f) in [
        "score/ranking.csv",
        "score/ranking.xlsx",
        "score/score.json",
    ]
    .iter()
    .enumerate()
    {
        assert_eq!(std::fs::read(out.join(f)).expect("read"), before[k], "{f}");
    }
    assert_eq!(std::fs::read(&zip).expect("zip"), zip_before);
}
