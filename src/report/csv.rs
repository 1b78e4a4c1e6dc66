//! CSV tables: crosswalks (对照表) and component changes. UTF-8 with a byte-order mark so that
//! Excel opens Chinese text right; fixed float formatting; text cells that Excel would run as
//! formulas are neutralised.

use std::path::Path;

use crate::diff::{ChangeSet, LayerDiff};
use crate::error::{Error, Result};
use crate::io::atomic;

/// Excel runs a cell beginning with `=`, `+`, `-`, `@`, tab or CR as a formula: such text
/// gets a leading apostrophe (numbers are written as numbers and never need it).
///
/// ```
/// use gridkeeper::report::csv::text_cell;
/// assert_eq!(text_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
/// assert_eq!(text_cell("350582001001001"), "350582001001001");
/// ```
pub fn text_cell(s: &str) -> String {
    if formula_like(s) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// Whether Excel would take text beginning like `s` for a formula (`=`, `+`, `-`, `@`, tab,
/// CR): CSV cells get a leading apostrophe, workbook cells Excel's quote prefix.
pub fn formula_like(s: &str) -> bool {
    matches!(s.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r'))
}

/// An area in m², three decimals.
pub fn area(v: f64) -> String {
    format!("{v:.3}")
}

/// A share, six decimals.
pub fn share(v: f64) -> String {
    format!("{v:.6}")
}

/// Writes rows (the first is the header) as a UTF-8 CSV with BOM, atomically.
pub fn write(path: &Path, rows: &[Vec<String>]) -> Result<()> {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    for r in rows {
        w.write_record(r)
            .map_err(|e| Error::io(path, std::io::Error::other(e.to_string())))?;
    }
    let body = w
        .into_inner()
        .map_err(|e| Error::io(path, std::io::Error::other(e.to_string())))?;
    let mut bytes = Vec::with_capacity(body.len() + 3);
    bytes.extend_from_slice(b"\xEF\xBB\xBF");
    bytes.extend_from_slice(&body);
    atomic::write_bytes(path, &bytes)
}

/// The crosswalk of one polygon layer: one row per old × new pair above the noise floor,
/// plus a row per added (no old code) and removed (no new code) feature, in the shape of
/// census relationship files. Sorted by old code, then new code. The codes are as the data
/// has them: [`write_crosswalk`] neutralises them for a spreadsheet, the workbook and the
/// JSON take them as they are.
pub fn crosswalk(d: &LayerDiff) -> Vec<Vec<String>> {
    let l = &d.lineage;
    let mut rows: Vec<Vec<String>> = Vec::new();
    for p in &l.pairs {
        rows.push(vec![
            d.old_codes[p.old].clone(),
            d.new_codes[p.new].clone(),
            area(l.old_area[p.old]),
            area(l.new_area[p.new]),
            area(p.area),
            share(p.share_old),
            share(p.share_new),
            p.relation.id().to_string(),
        ]);
    }
    for g in &l.groups {
        match (g.old.as_slice(), g.new.as_slice()) {
            ([], news) => {
                for &n in news {
                    rows.push(vec![
                        String::new(),
                        d.new_codes[n].clone(),
                        String::new(),
                        area(l.new_area[n]),
                        area(0.0),
                        String::new(),
                        share(0.0),
                        g.relation.id().to_string(),
                    ]);
                }
            }
            (olds, []) => {
                for &o in olds {
                    rows.push(vec![
                        d.old_codes[o].clone(),
                        String::new(),
                        area(l.old_area[o]),
                        String::new(),
                        area(0.0),
                        share(0.0),
                        String::new(),
                        g.relation.id().to_string(),
                    ]);
                }
            }
            _ => {}
        }
    }
    rows.sort();
    let header = [
        "old_code",
        "new_code",
        "area_old",
        "area_new",
        "area_int",
        "share_old",
        "share_new",
        "relation",
    ];
    let mut out = vec![header.iter().map(|s| s.to_string()).collect()];
    out.extend(rows);
    out
}

/// Writes [`crosswalk`] as a CSV, with the codes neutralised ([`text_cell`]).
pub fn write_crosswalk(path: &Path, d: &LayerDiff) -> Result<()> {
    let mut rows = crosswalk(d);
    for r in rows.iter_mut().skip(1) {
        for cell in r.iter_mut().take(2) {
            *cell = text_cell(cell);
        }
    }
    write(path, &rows)
}

/// Component changes: one row per change of a component.
pub fn component_changes(c: &ChangeSet) -> Vec<Vec<String>> {
    let mut out = vec![[
        "change",
        "old_code",
        "new_code",
        "old_value",
        "new_value",
        "distance_m",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect::<Vec<String>>()];
    for r in &c.components {
        out.push(vec![
            r.change.id().to_string(),
            text_cell(r.old_code.as_deref().unwrap_or("")),
            text_cell(r.new_code.as_deref().unwrap_or("")),
            text_cell(r.old_value.as_deref().unwrap_or("")),
            text_cell(r.new_value.as_deref().unwrap_or("")),
            r.distance.map(|d| format!("{d:.3}")).unwrap_or_default(),
        ]);
    }
    out
}

/// The case crosswalk (历史案件对照表): every case that involves a changed street, community
/// or grid, with its old and new codes, the method that decided them and its review flags.
pub fn case_crosswalk(plan: &crate::plan::Plan, remap: &crate::remap::Remap) -> Vec<Vec<String>> {
    let mut out = vec![[
        "case_id",
        "time",
        "kind",
        "major",
        "minor",
        "status",
        "old_grid",
        "new_grid",
        "old_community",
        "new_community",
        "old_street",
        "new_street",
        "method",
        "review",
        "component",
        "component_new",
        "owner_new",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect::<Vec<String>>()];
    let t = |v: &Option<&str>| text_cell(v.unwrap_or(""));
    for c in plan.crosswalk.iter().filter_map(|&k| remap.get(k)) {
        let review: Vec<&str> = c.review.iter().map(|r| r.id()).collect();
        out.push(vec![
            text_cell(&c.id),
            c.date.map(|d| d.to_string()).unwrap_or_default(),
            t(&c.kind),
            t(&c.major),
            t(&c.minor),
            t(&c.status),
            t(&c.old[0]),
            t(&c.new[0]),
            t(&c.old[1]),
            t(&c.new[1]),
            t(&c.old[2]),
            t(&c.new[2]),
            c.method.id().to_string(),
            review.join(" "),
            c.component
                .as_ref()
                .map(|x| text_cell(x.0))
                .unwrap_or_default(),
            c.component
                .as_ref()
                .and_then(|x| x.1)
                .map(text_cell)
                .unwrap_or_default(),
            c.owner
                .as_ref()
                .and_then(|o| o.1)
                .map(text_cell)
                .unwrap_or_default(),
        ]);
    }
    out
}
