//! `plan.xlsx`: the plan's tables as a workbook — one sheet per table, Chinese headers, the
//! header row frozen, column widths fitted, numbers as numbers and dates as dates. The
//! document date is the new version's effective date, so the same inputs give the same bytes.

use std::borrow::Cow;
use std::path::Path;

use chrono::NaiveDate;
use rust_xlsxwriter::{DocProperties, Format, FormatBorder, Workbook, Worksheet, XlsxError};

use super::csv;
use super::document::{case_head, case_row, component_head, described, names};
use crate::diff::{ChangeSet, LayerDiff};
use crate::error::{Error, Result};
use crate::i18n::plan::PlanText as T;
use crate::i18n::Lang;
use crate::io::atomic;
use crate::model::LayerKind;
use crate::plan::Plan;
use crate::remap::Remap;

/// A cell of a sheet.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text.
    Text(String),
    /// A whole number.
    Int(i64),
    /// An area or other measure (two decimals shown).
    Num(f64),
    /// A share (six decimals shown).
    Share(f64),
    /// A date.
    Date(NaiveDate),
    /// Nothing.
    Empty,
}

/// One sheet: its name, header and rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// The sheet's name.
    pub name: String,
    /// Column heads.
    pub head: Vec<String>,
    /// Rows.
    pub rows: Vec<Vec<Cell>>,
}

/// Display width of text: CJK characters count two.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| if (c as u32) >= 0x2E80 { 2 } else { 1 })
        .sum()
}

fn text(s: impl Into<String>) -> Cell {
    let s = s.into();
    if s.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s)
    }
}

fn layer_name(kind: LayerKind, lang: Lang) -> String {
    lang.pick(kind.chinese(), kind.name()).to_string()
}

fn crosswalk_sheet(d: &LayerDiff, name: &str, lang: Lang) -> Sheet {
    let rows = csv::crosswalk(d);
    let num = |s: &str, share: bool| match s.parse::<f64>() {
        Ok(v) if share => Cell::Share(v),
        Ok(v) => Cell::Num(v),
        Err(_) => Cell::Empty,
    };
    Sheet {
        name: name.to_string(),
        head: [
            T::OldCode,
            T::NewCode,
            T::OldArea,
            T::NewArea,
            T::AreaInt,
            T::ShareOld,
            T::ShareNew,
            T::Relation,
        ]
        .iter()
        .map(|t| t.get(lang).to_string())
        .collect(),
        rows: rows[1..]
            .iter()
            .map(|r| {
                let relation = crate::diff::Relation::ALL
                    .iter()
                    .find(|x| x.id() == r[7])
                    .map_or(r[7].clone(), |x| lang.pick(x.chinese(), x.id()).to_string());
                vec![
                    text(r[0].clone()),
                    text(r[1].clone()),
                    num(&r[2], false),
                    num(&r[3], false),
                    num(&r[4], false),
                    num(&r[5], true),
                    num(&r[6], true),
                    text(relation),
                ]
            })
            .collect(),
    }
}

/// The sheets of the plan workbook, in order.
pub fn sheets(plan: &Plan, remap: &Remap, cs: &ChangeSet, lang: Lang) -> Vec<Sheet> {
    let names = names(plan);
    let mut out = Vec::new();
    // 变更清单: every changed group of every polygon layer.
    let mut rows = Vec::new();
    for (kind, groups) in [
        (LayerKind::Streets, &plan.changes.streets),
        (LayerKind::Communities, &plan.changes.communities),
        (LayerKind::Grids, &plan.changes.grids),
    ] {
        for g in groups.iter() {
            let codes =
                |v: &[(String, f64)]| v.iter().map(|x| x.0.clone()).collect::<Vec<_>>().join(" ");
            let sum = |v: &[(String, f64)]| v.iter().map(|x| x.1).sum::<f64>();
            rows.push(vec![
                text(layer_name(kind, lang)),
                text(lang.pick(g.relation.chinese(), g.relation.id())),
                text(codes(&g.old)),
                text(codes(&g.new)),
                Cell::Num(sum(&g.old)),
                Cell::Num(sum(&g.new)),
            ]);
        }
    }
    out.push(Sheet {
        name: T::SheetChanges.get(lang).to_string(),
        head: [
            T::Layer,
            T::Relation,
            T::OldCode,
            T::NewCode,
            T::OldArea,
            T::NewArea,
        ]
        .iter()
        .map(|t| t.get(lang).to_string())
        .collect(),
        rows,
    });
    if let Some(d) = cs.layer(LayerKind::Grids) {
        out.push(crosswalk_sheet(d, T::SheetGrids.get(lang), lang));
    }
    out.push(Sheet {
        name: T::SheetComponents.get(lang).to_string(),
        head: component_head(lang).map(String::from).to_vec(),
        rows: cs
            .components
            .iter()
            .map(|c| {
                vec![
                    text(lang.pick(c.change.chinese(), c.change.id())),
                    text(c.old_code.clone().unwrap_or_default()),
                    text(c.new_code.clone().unwrap_or_default()),
                    text(c.old_value.clone().unwrap_or_default()),
                    text(c.new_value.clone().unwrap_or_default()),
                    c.distance.map_or(Cell::Empty, Cell::Num),
                ]
            })
            .collect(),
    });
    let described = described(remap);
    let case_rows = |ids: &mut dyn Iterator<Item = usize>| -> Vec<Vec<Cell>> {
        ids.filter_map(|k| remap.get(k))
            .map(|c| {
                let row = case_row(&c, &names, described, lang);
                row.into_iter()
                    .enumerate()
                    .map(|(col, v)| match (col, c.date) {
                        (1, Some(d)) => Cell::Date(d),
                        _ => text(v),
                    })
                    .collect()
            })
            .collect()
    };
    out.push(Sheet {
        name: T::SheetCases.get(lang).to_string(),
        head: case_head(described, lang)
            .iter()
            .map(|s| s.to_string())
            .collect(),
        rows: case_rows(&mut plan.crosswalk.iter().copied()),
    });
    // 影响分析: per changed grid, then per town.
    let i = &plan.impact;
    let mut rows: Vec<Vec<Cell>> = i
        .by_grid
        .iter()
        .map(|g| {
            vec![
                text(g.code.clone()),
                text(lang.pick(g.relation.chinese(), g.relation.id())),
                text(g.new_codes.join(" ")),
                Cell::Int(g.cases as i64),
                Cell::Int(g.open as i64),
            ]
        })
        .collect();
    rows.push(vec![Cell::Empty]);
    rows.push(
        [
            T::StreetCode,
            T::Name,
            T::CasesBefore,
            T::CasesAfter,
            T::BaselineBefore,
            T::BaselineAfter,
            T::OldArea,
            T::NewArea,
            T::Population,
            T::QuotaBefore,
            T::QuotaAfter,
        ]
        .iter()
        .map(|t| text(t.get(lang)))
        .collect(),
    );
    for t in &i.towns {
        rows.push(vec![
            text(t.code.clone()),
            text(t.name.clone()),
            Cell::Int(t.cases_old as i64),
            Cell::Int(t.cases_new as i64),
            Cell::Int(t.window_old as i64),
            Cell::Int(t.window_new as i64),
            Cell::Num(t.area_old),
            Cell::Num(t.area_new),
            t.population.map_or(Cell::Empty, Cell::Num),
            t.quota_old.map_or(Cell::Empty, Cell::Num),
            t.quota_new.map_or(Cell::Empty, Cell::Num),
        ]);
    }
    out.push(Sheet {
        name: T::SheetImpact.get(lang).to_string(),
        head: [T::OldGrid, T::Relation, T::Successors, T::Cases, T::Open]
            .iter()
            .map(|t| t.get(lang).to_string())
            .collect(),
        rows,
    });
    // 工作量: per duty layer, each team and then each duty grid, before and after.
    if !plan.workload.is_empty() {
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        let numbers = |v: Vec<String>, keys: usize| -> Vec<Cell> {
            v.into_iter()
                .enumerate()
                .map(|(c, x)| match x.trim_start_matches('+').parse::<f64>() {
                    Ok(n) if c >= keys => Cell::Num(n),
                    _ if c >= keys && x == "-" => Cell::Empty,
                    _ => text(x),
                })
                .collect()
        };
        for w in &plan.workload {
            let term = lang.pick(w.layer.chinese(), w.layer.english()).to_string();
            for r in crate::report::document::load_rows(&w.teams, false, lang) {
                let mut row = vec![text(term.clone()), text(T::Team.get(lang)), Cell::Empty];
                row.extend(numbers(r, 1));
                rows.push(row);
            }
            for r in crate::report::document::load_rows(&w.grids, true, lang) {
                let mut row = vec![text(term.clone()), text(T::DutyGrid.get(lang))];
                row.extend(numbers(r, 2));
                rows.push(row);
            }
        }
        // Layer, row kind (team or duty grid), duty grid, team, then the loads.
        let mut head: Vec<String> = vec![
            T::Layer.get(lang).to_string(),
            format!("{}/{}", T::Team.get(lang), T::DutyGrid.get(lang)),
            T::DutyGrid.get(lang).to_string(),
            T::Team.get(lang).to_string(),
        ];
        head.extend(
            crate::report::document::load_head(false, lang)[1..]
                .iter()
                .map(|s| s.to_string()),
        );
        out.push(Sheet {
            name: T::SheetWorkload.get(lang).to_string(),
            head,
            rows,
        });
    }
    let review: Vec<usize> = remap
        .select(|s| !s.review.is_empty())
        .map(|c| c.case)
        .collect();
    out.push(Sheet {
        name: T::SheetReview.get(lang).to_string(),
        head: case_head(described, lang)
            .iter()
            .map(|s| s.to_string())
            .collect(),
        rows: case_rows(&mut review.into_iter()),
    });
    out
}

fn xlsx_err(path: &Path, e: XlsxError) -> Error {
    Error::io(path, std::io::Error::other(e.to_string()))
}

fn fill(
    ws: &mut Worksheet,
    sheet: &Sheet,
    formats: &Formats,
) -> std::result::Result<(), XlsxError> {
    fill_within(ws, sheet, formats, MAX_DATA_ROWS)
}

/// [`fill`] with at most `max_rows` data rows.
fn fill_within(
    ws: &mut Worksheet,
    sheet: &Sheet,
    formats: &Formats,
    max_rows: usize,
) -> std::result::Result<(), XlsxError> {
    ws.set_name(&sheet.name)?;
    let mut widths: Vec<usize> = sheet.head.iter().map(|h| width(h)).collect();
    for (c, h) in sheet.head.iter().enumerate() {
        let format = if super::csv::formula_like(h) {
            &formats.head_literal
        } else {
            &formats.head
        };
        ws.write_string_with_format(0, c as u16, cut_to_cell(h).as_ref(), format)?;
    }
    // Excel's limits: a sheet of 1,048,576 rows (the head and a last row that says how many
    // were left out) and cells of 32,767 characters (longer text is cut, ending in "…").
    let shown = sheet.rows.len().min(max_rows);
    if shown < sheet.rows.len() {
        let note = format!("… +{} 行 rows (CSV)", sheet.rows.len() - shown);
        ws.write_string(shown as u32 + 1, 0, &note)?;
    }
    for (r, row) in sheet.rows[..shown].iter().enumerate() {
        let r = (r + 1) as u32;
        for (c, cell) in row.iter().enumerate() {
            let col = c as u16;
            if widths.len() <= c {
                widths.resize(c + 1, 0);
            }
            let cut;
            let cell = match cell {
                Cell::Text(s) => match cut_to_cell(s) {
                    Cow::Owned(t) => {
                        cut = Cell::Text(t);
                        &cut
                    }
                    Cow::Borrowed(_) => cell,
                },
                other => other,
            };
            let w = match cell {
                Cell::Text(s) if super::csv::formula_like(s) => {
                    // Shown as written; Excel keeps it text even when the cell is edited.
                    ws.write_string_with_format(r, col, s, &formats.literal)?;
                    width(s)
                }
                Cell::Text(s) => {
                    ws.write_string(r, col, s)?;
                    width(s)
                }
                Cell::Int(v) => {
                    ws.write_number(r, col, *v as f64)?;
                    v.to_string().len()
                }
                Cell::Num(v) => {
                    ws.write_number_with_format(r, col, *v, &formats.num)?;
                    format!("{v:.2}").len()
                }
                Cell::Share(v) => {
                    ws.write_number_with_format(r, col, *v, &formats.share)?;
                    8
                }
                Cell::Date(d) => {
                    ws.write_date_with_format(r, col, d, &formats.date)?;
                    10
                }
                Cell::Empty => 0,
            };
            widths[c] = widths[c].max(w);
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, (*w as f64 + 2.0).clamp(6.0, 60.0))?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// Data rows a sheet can hold under its head, keeping one for the note of rows left out.
const MAX_DATA_ROWS: usize = 1_048_576 - 2;

/// The most UTF-16 units Excel keeps in a cell (a character outside the basic plane, such
/// as 𠀀 in a place name, takes two).
const MAX_CELL_UNITS: usize = 32_767;

/// The text cut to fit a cell, ending in "…" when cut.
fn cut_to_cell(s: &str) -> Cow<'_, str> {
    if s.encode_utf16().count() <= MAX_CELL_UNITS {
        return Cow::Borrowed(s);
    }
    let mut units = 0;
    let mut t = String::new();
    for c in s.chars() {
        units += c.len_utf16();
        if units > MAX_CELL_UNITS - 1 {
            break;
        }
        t.push(c);
    }
    t.push('…');
    Cow::Owned(t)
}

struct Formats {
    head: Format,
    /// A head that would otherwise read as a formula (an item id from a rules file).
    head_literal: Format,
    /// Text that would otherwise read as a formula: Excel's quote prefix.
    literal: Format,
    num: Format,
    share: Format,
    date: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            head: Format::new()
                .set_bold()
                .set_border_bottom(FormatBorder::Thin),
            head_literal: Format::new()
                .set_bold()
                .set_border_bottom(FormatBorder::Thin)
                .set_quote_prefix(),
            literal: Format::new().set_quote_prefix(),
            num: Format::new().set_num_format("0.00"),
            share: Format::new().set_num_format("0.000000"),
            date: Format::new().set_num_format("yyyy-mm-dd"),
        }
    }
}

/// Writes the sheets as an xlsx workbook, atomically; `date` is the document's date.
pub fn write(path: &Path, sheets: &[Sheet], date: NaiveDate) -> Result<()> {
    let formats = Formats::new();
    let mut wb = Workbook::new();
    let stamp = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    wb.set_properties(&DocProperties::new().set_creation_datetime(&stamp));
    for sheet in sheets {
        let ws = wb.add_worksheet();
        fill(ws, sheet, &formats).map_err(|e| xlsx_err(path, e))?;
    }
    let bytes = wb.save_to_buffer().map_err(|e| xlsx_err(path, e))?;
    atomic::write_bytes(path, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};

    /// Past Excel's limits a sheet keeps what fits and says what it left out, instead of
    /// failing the run: rows past the limit become a note, text past 32,767 characters is cut.
    #[test]
    fn a_sheet_past_excels_limits_is_cut_with_a_note() {
        let long = "长".repeat(20_000) + &"𠀀".repeat(10_000);
        let sheet = Sheet {
            name: "cases".into(),
            head: vec!["id".into(), "=note".into()],
            rows: (0..5)
                .map(|i| vec![Cell::Int(i), Cell::Text(long.clone())])
                .collect(),
        };
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        fill_within(ws, &sheet, &Formats::new(), 3).expect("fill");
        let bytes = wb.save_to_buffer().expect("save");
        let mut book = Xlsx::new(std::io::Cursor::new(bytes)).expect("open");
        let range = book.worksheet_range("cases").expect("sheet");
        let rows: Vec<&[Data]> = range.rows().collect();
        assert_eq!(rows.len(), 5); // head, three rows, the note
        assert_eq!(rows[1][0], Data::Float(0.0));
        assert_eq!(rows[0][1], Data::String("=note".into()));
        match &rows[3][1] {
            Data::String(t) => {
                assert_eq!(t.encode_utf16().count(), MAX_CELL_UNITS);
                assert!(t.starts_with("长长") && t.ends_with("𠀀…"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(rows[4][0], Data::String("… +2 行 rows (CSV)".into()));
    }
}
