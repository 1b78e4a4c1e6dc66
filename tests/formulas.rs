//! Text from the inputs that Excel would run as a formula (`=`, `+`, `-`, `@`, tab, CR at the
//! start) is neutralised in what `plan` writes: a leading apostrophe in the CSVs, Excel's
//! quote prefix in the workbook (the text itself unchanged).

use std::io::Read;
use std::path::Path;

use common::{command, fixture, stderr};

mod common;

/// One part of the workbook as text.
fn part(xlsx: &Path, name: &str) -> String {
    let file = std::fs::File::open(xlsx).expect("open xlsx");
    let mut zip = zip::ZipArchive::new(file).expect("xlsx is a zip");
    let mut text = String::new();
    zip.by_name(name)
        .expect("part")
        .read_to_string(&mut text)
        .expect("read part");
    text
}

#[test]
fn formulas_in_case_ids_and_descriptions_are_neutralised() {
    let tmp = tempfile::tempdir().expect("tempdir");
    // The plan fixture's cases with a description column; C02's id and C03's description
    // are formulas.
    let cases = std::fs::read_to_string(fixture("plan/cases.csv")).expect("cases");
    let mut lines = cases.lines();
    let mut text = format!("{},description\n", lines.next().expect("header"));
    for line in lines {
        let (line, description) = match line.split_once(',') {
            Some(("C02", rest)) => (format!("=1+2,{rest}"), "井盖缺失"),
            Some(("C03", _)) => (line.to_string(), "=HYPERLINK(\"http://x\",\"看\")"),
            _ => (line.to_string(), "路灯不亮"),
        };
        let quoted = description.replace('"', "\"\"");
        text.push_str(&format!("{line},\"{quoted}\"\n"));
    }
    let cases = tmp.path().join("cases.csv");
    std::fs::write(&cases, text).expect("write cases");
    let out = tmp.path().join("plan");
    let o = command(&["plan", "fixtures/plan/old", "fixtures/plan/new", "--cases"])
        .arg(&cases)
        .arg("--out")
        .arg(&out)
        .args(["--quiet", "--lang", "en"])
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    // CSV: the apostrophe.
    let csv = std::fs::read_to_string(out.join("case_crosswalk.csv")).expect("csv");
    assert!(csv.contains("\n'=1+2,"), "{csv}");
    assert!(!csv.contains("\n=1+2,"), "{csv}");

    // Workbook: the strings as written, in cells whose style has the quote prefix.
    let xlsx = out.join("plan.xlsx");
    let strings = part(&xlsx, "xl/sharedStrings.xml");
    let items: Vec<&str> = strings.split("<si>").skip(1).collect();
    let index = |needle: &str| {
        items
            .iter()
            .position(|s| s.contains(needle))
            .unwrap_or_else(|| panic!("{needle} not in the shared strings"))
    };
    let styles = part(&xlsx, "xl/styles.xml");
    let xfs = styles
        .split("<cellXfs")
        .nth(1)
        .and_then(|s| s.split("</cellXfs>").next())
        .expect("cellXfs");
    let quoted: Vec<usize> = xfs
        .split("<xf ")
        .skip(1)
        .enumerate()
        .filter(|(_, xf)| xf.contains("quotePrefix=\"1\""))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(quoted.len(), 1, "{xfs}");
    let cells_of = |k: usize| -> Vec<String> {
        let mut found = Vec::new();
        for sheet in 1..=12 {
            let name = format!("xl/worksheets/sheet{sheet}.xml");
            let file = std::fs::File::open(&xlsx).expect("open");
            let mut zip = zip::ZipArchive::new(file).expect("zip");
            let Ok(mut f) = zip.by_name(&name) else {
                break;
            };
            let mut xml = String::new();
            f.read_to_string(&mut xml).expect("read");
            for c in xml.split("<c ").skip(1) {
                let head = c.split('>').next().unwrap_or("");
                if head.contains("t=\"s\"") && c.contains(&format!("<v>{k}</v>")) {
                    found.push(head.to_string());
                }
            }
        }
        found
    };
    for needle in [">=1+2<", "=HYPERLINK("] {
        let cells = cells_of(index(needle));
        assert!(!cells.is_empty(), "{needle} is in no cell");
        for head in cells {
            assert!(
                head.contains(&format!("s=\"{}\"", quoted[0])),
                "{needle}: {head}"
            );
        }
    }
    // Plain text is written plainly.
    for head in cells_of(index(">路灯不亮<")) {
        assert!(!head.contains(&format!("s=\"{}\"", quoted[0])), "{head}");
    }
}

#[test]
fn a_code_that_reads_as_a_formula_is_neutralised_once() {
    // fixtures/diff/split with a new grid coded `-350582001001001`: the crosswalk CSV carries
    // the apostrophe, diff.json the code as the data has it.
    let tmp = tempfile::tempdir().expect("tempdir");
    for version in ["old", "new"] {
        common::copy_version(&format!("diff/split/{version}"), &tmp.path().join(version));
    }
    let grids = tmp.path().join("new/grids.geojson");
    let text = std::fs::read_to_string(&grids).expect("grids");
    assert!(text.contains("\"BGID\": \"350582001001001\""));
    let text = text.replacen(
        "\"BGID\": \"350582001001001\"",
        "\"BGID\": \"-350582001001001\"",
        1,
    );
    std::fs::write(&grids, text).expect("write");
    let out = tmp.path().join("out");
    let o = command(&["diff"])
        .arg(tmp.path().join("old"))
        .arg(tmp.path().join("new"))
        .arg("--out")
        .arg(&out)
        .args(["--quiet", "--lang", "en"])
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let csv = std::fs::read_to_string(out.join("grid_crosswalk.csv")).expect("csv");
    assert!(csv.contains(",'-350582001001001,"), "{csv}");
    let json = std::fs::read_to_string(out.join("diff.json")).expect("json");
    assert!(
        json.contains("\"new_code\": \"-350582001001001\""),
        "{json}"
    );
    assert!(!json.contains("'-350582001001001"), "{json}");
}
