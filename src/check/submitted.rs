//! Reading what a town submitted as its plan: the sections of `plan.md` (or the sheets of
//! `plan.xlsx`), and the rows of its case and grid crosswalks (`case_crosswalk.csv` and
//! `grid_crosswalk.csv`, else the matching sheets of `plan.xlsx`), as `gridkeeper plan`
//! writes them. A file that cannot be read is a finding (`PLAN-FILE-BAD`), not a stop.

use std::path::{Path, PathBuf};

use calamine::{open_workbook, Data, Reader, Xlsx};

use crate::diff::Relation;
use crate::finding::{Finding, Rule};
use crate::i18n::plan::PlanText as T;
use crate::i18n::{Lang, Msg};

/// Where a section stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SectionState {
    /// There, with content.
    Present,
    /// Not there.
    Absent,
    /// There, without content.
    Empty,
}

/// One row of a submitted case crosswalk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRow {
    /// Zero-based data row in its file or sheet.
    pub row: usize,
    /// The case id.
    pub id: String,
    /// Old grid, community, street.
    pub old: [String; 3],
    /// New grid, community, street.
    pub new: [String; 3],
}

/// One row of a submitted grid crosswalk.
#[derive(Debug, Clone, PartialEq)]
pub struct GridRow {
    /// Zero-based data row in its file or sheet.
    pub row: usize,
    /// Old code (empty for an added grid).
    pub old: String,
    /// New code (empty for a removed grid).
    pub new: String,
    /// `area_old`, `area_new`, `area_int`, `share_old`, `share_new` as submitted.
    pub numbers: [Option<f64>; 5],
    /// The relation id.
    pub relation: String,
}

/// The names of [`GridRow::numbers`], as the CSV's columns.
pub const NUMBER_COLUMNS: [&str; 5] =
    ["area_old", "area_new", "area_int", "share_old", "share_new"];

/// A table read from a file: its rows and the file's name in the package.
#[derive(Debug, Clone, PartialEq)]
pub struct Table<R> {
    /// The file (and sheet) it came from, relative to the package.
    pub file: String,
    /// Its rows.
    pub rows: Vec<R>,
}

/// What the plan folder holds.
#[derive(Debug, Clone, Default)]
pub struct Submitted {
    /// The plan files present, relative to the package.
    pub files: Vec<String>,
    /// The five sections' states and the file they were judged from (`None`: no plan.md
    /// and no plan.xlsx).
    pub sections: Option<(String, [SectionState; 5])>,
    /// The case crosswalk, when one could be read.
    pub cases: Option<Table<CaseRow>>,
    /// The grid crosswalk, when one could be read.
    pub grids: Option<Table<GridRow>>,
    /// No file or sheet holds a case crosswalk.
    pub no_cases: bool,
    /// No file or sheet holds a grid crosswalk.
    pub no_grids: bool,
    /// Files that could not be read.
    pub findings: Vec<Finding>,
}

/// Key phrases of each section's heading, Chinese and English (lower case).
const SECTION_KEYS: [&[&str]; 5] = [
    &["基本情况", "basic situation"],
    &["数据变更", "变更情况", "data changes"],
    &["影响分析", "impact"],
    &["处置办法", "how historical cases are handled", "disposal"],
    &["对照表", "cross-reference", "crosswalk"],
];

/// The sections of a Markdown plan: a section is a heading (any level) holding one of its
/// key phrases; it has content when a line other than a heading or a blank line comes
/// before the next heading of the same or a higher level.
pub fn markdown_sections(text: &str) -> [SectionState; 5] {
    // Notepad and WPS save UTF-8 with a byte-order mark before the first heading.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Lines walked again for each section, not collected: 16 bytes a line of a file of
    // newlines would be 16 times its size.
    let lines = || text.lines();
    let heading = |l: &str| -> Option<(usize, String)> {
        let t = l.trim_start();
        let level = t.chars().take_while(|&c| c == '#').count();
        (level > 0 && t[level..].starts_with([' ', '\t']))
            .then(|| (level, t[level..].trim().to_lowercase()))
    };
    let mut out = [SectionState::Absent; 5];
    for (n, keys) in SECTION_KEYS.iter().enumerate() {
        let found = lines().enumerate().find_map(|(i, l)| {
            let (level, title) = heading(l)?;
            keys.iter().any(|k| title.contains(k)).then_some((i, level))
        });
        let Some((at, level)) = found else { continue };
        let content = lines()
            .skip(at + 1)
            .take_while(|l| heading(l).is_none_or(|(lv, _)| lv > level))
            .any(|l| !l.trim().is_empty() && heading(l).is_none());
        out[n] = if content {
            SectionState::Present
        } else {
            SectionState::Empty
        };
    }
    out
}

fn bad(file: &str, column: Option<&str>, detail: Option<String>) -> Finding {
    Finding::new(
        Rule::PlanFileBad,
        "plan",
        Msg::PlanFileBad {
            file: file.to_string(),
            column: column.map(str::to_string),
            detail,
        },
    )
}

/// A cell as written: a leading apostrophe that neutralised a formula is dropped.
fn clean(s: &str) -> String {
    let s = s.trim();
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest.to_string(),
        _ => s.to_string(),
    }
}

/// The first word of a `code name` cell.
fn code_part(s: &str) -> String {
    clean(s).split_whitespace().next().unwrap_or("").to_string()
}

/// A relation as written: its id or its Chinese or English name.
fn relation_id(s: &str) -> String {
    let s = clean(s);
    Relation::ALL
        .iter()
        .find(|r| r.id() == s || r.chinese() == s)
        .map_or(s, |r| r.id().to_string())
}

/// The most bytes a plan file (`plan.md`, a crosswalk CSV) may hold: a folder package has no
/// expansion limit, and a district's case crosswalk is some tens of megabytes.
const MAX_PLAN_FILE_BYTES: u64 = 1 << 30;

/// The most cells a crosswalk CSV may hold, all its rows together: each costs a string in
/// memory (a case row has about a dozen).
const MAX_CSV_CELLS: usize = 32_000_000;

/// The most columns a row of a crosswalk CSV may have (as a sheet's first 64 are read).
const MAX_CSV_COLUMNS: usize = 64;

/// Whether the file at `path` holds at most `limit` bytes, asked of the file system.
fn size_within(path: &Path, limit: u64) -> Result<(), String> {
    let size = std::fs::metadata(path).map_err(|e| e.to_string())?.len();
    if size > limit {
        return Err(format!("{size} bytes, more than {} MiB", limit >> 20));
    }
    Ok(())
}

/// The bytes of a plan file, refused past `limit` before any is read.
fn plan_file(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    crate::io::atomic::note_input(path);
    size_within(path, limit)?;
    std::fs::read(path).map_err(|e| e.to_string())
}

/// The most fields a record of the CSV `bytes` has, counted field by field as the `csv`
/// crate parses them (quotes and all), without holding any record.
fn widest_record(bytes: &[u8]) -> usize {
    use csv_core::ReadFieldResult;

    let mut reader = csv_core::Reader::new();
    let mut field = [0u8; 4096];
    let (mut input, mut fields, mut widest) = (bytes, 0usize, 0usize);
    loop {
        let (result, read, _) = reader.read_field(input, &mut field);
        input = &input[read..];
        match result {
            // the rest of a long field, or (input used up) the end, on the next call
            ReadFieldResult::InputEmpty | ReadFieldResult::OutputFull => {}
            ReadFieldResult::Field { record_end } => {
                fields += 1;
                if record_end {
                    widest = widest.max(fields);
                    fields = 0;
                }
            }
            ReadFieldResult::End => return widest.max(fields),
        }
    }
}

/// A header and its rows of text, from a CSV (UTF-8 with or without BOM) of at most
/// `max_cells` cells and [`MAX_CSV_COLUMNS`] columns a row, refused before it is held.
fn csv_rows(path: &Path, max_cells: usize) -> Result<Vec<Vec<String>>, String> {
    let bytes = plan_file(path, MAX_PLAN_FILE_BYTES)?;
    let text = String::from_utf8(bytes).map_err(|e| e.to_string())?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let widest = widest_record(text.as_bytes());
    if widest > MAX_CSV_COLUMNS {
        return Err(format!(
            "a row of {widest} columns, more than {MAX_CSV_COLUMNS}"
        ));
    }
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let (mut out, mut cells) = (Vec::new(), 0usize);
    for rec in r.records() {
        let rec = rec.map_err(|e| e.to_string())?;
        cells += rec.len();
        if cells > max_cells {
            return Err(format!("more than {max_cells} cells"));
        }
        out.push(rec.iter().map(str::to_string).collect());
    }
    Ok(out)
}

/// The most bytes a plan workbook's parts may expand to, together: calamine reads its shared
/// strings whole, so a compressed bomb in `xl/sharedStrings.xml` is stopped first. 1 GiB is
/// several times a workbook of a million case rows.
const MAX_WORKBOOK_BYTES: u64 = 1 << 30;

/// The most parts a plan workbook may hold (gridkeeper's have about fifteen).
const MAX_WORKBOOK_PARTS: usize = 10_000;

/// Whether the workbook at `path` expands to at most `limit` bytes, counted by decompressing
/// each part (not from the sizes its directory claims), stopping once past the limit.
fn workbook_within(path: &Path, limit: u64) -> Result<(), String> {
    use std::io::Read;

    size_within(path, limit)?;
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(|e| e.to_string())?;
    if zip.len() > MAX_WORKBOOK_PARTS {
        return Err(format!(
            "it holds {} parts, more than {MAX_WORKBOOK_PARTS}",
            zip.len()
        ));
    }
    let mut left = limit;
    for i in 0..zip.len() {
        let part = zip.by_index(i).map_err(|e| e.to_string())?;
        let read = std::io::copy(&mut part.take(left + 1), &mut std::io::sink())
            .map_err(|e| e.to_string())?;
        if read > left {
            return Err(format!("it expands to more than {} MiB", limit >> 20));
        }
        left -= read;
    }
    Ok(())
}

/// The rows of the sheet called one of `names`, as text; `Ok(None)` without such a sheet.
fn sheet_rows(path: &Path, names: &[&str]) -> Result<Option<Vec<Vec<String>>>, String> {
    crate::io::atomic::note_input(path);
    let mut wb: Xlsx<_> = open_workbook(path).map_err(|e: calamine::XlsxError| e.to_string())?;
    let Some(name) = wb
        .sheet_names()
        .into_iter()
        .find(|n| names.contains(&n.as_str()))
    else {
        return Ok(None);
    };
    // Cell by cell, not as calamine's dense range: a sheet of two cells, at A1 and at
    // XFD1048576, would be a range of 17 billion cells.
    let mut cells: Vec<(u32, u32, String)> = Vec::new();
    let mut reader = wb
        .worksheet_cells_reader(&name)
        .map_err(|e| e.to_string())?;
    while let Some(cell) = reader.next_cell().map_err(|e| e.to_string())? {
        let (row, col) = cell.get_position();
        // calamine takes any row a cell names; rows past Excel's would each be a row here.
        if row >= EXCEL_ROWS || col >= EXCEL_COLUMNS {
            return Err(format!(
                "a cell at row {} column {} lies past Excel's last cell XFD1048576",
                u64::from(row) + 1,
                u64::from(col) + 1
            ));
        }
        let text = match Data::from(cell.get_value().clone()) {
            Data::Empty => continue,
            other => other.to_string(),
        };
        cells.push((row, col, text));
    }
    Ok(Some(sparse_rows(cells)))
}

/// Rows and columns of an Excel sheet (XFD1048576 is its last cell).
const EXCEL_ROWS: u32 = 1 << 20;
const EXCEL_COLUMNS: u32 = 1 << 14;

/// Columns of a sheet read, from its first: the tables have eight.
const SHEET_COLUMNS: u32 = 64;

/// Rows of text from the cells `(row, column, text)` a sheet has, from its first row and
/// column that hold something (as calamine's ranges start); each row as long as its last
/// cell, and only the first [`SHEET_COLUMNS`] columns.
fn sparse_rows(mut cells: Vec<(u32, u32, String)>) -> Vec<Vec<String>> {
    let (Some(top), Some(left)) = (
        cells.iter().map(|c| c.0).min(),
        cells.iter().map(|c| c.1).min(),
    ) else {
        return Vec::new();
    };
    cells.retain(|c| c.1 - left < SHEET_COLUMNS);
    cells.sort_by_key(|c| (c.0, c.1));
    let mut rows: Vec<Vec<String>> = Vec::new();
    for (row, col, text) in cells {
        let (r, c) = ((row - top) as usize, (col - left) as usize);
        if rows.len() <= r {
            rows.resize_with(r + 1, Vec::new);
        }
        let cells = &mut rows[r];
        if cells.len() <= c {
            cells.resize(c + 1, String::new());
        }
        cells[c] = text;
    }
    rows
}

/// The column holding one of `heads` in `header`.
fn column(header: &[String], heads: &[&str]) -> Option<usize> {
    header
        .iter()
        .position(|h| heads.contains(&clean(h).as_str()))
}

fn both(t: T) -> [&'static str; 2] {
    [t.get(Lang::Zh), t.get(Lang::En)]
}

/// Case rows from a header and rows: by the CSV's column names, or the sheet's heads; the
/// name of a column not found.
pub(super) fn case_table(rows: &[Vec<String>], sheet: bool) -> Result<Vec<CaseRow>, &'static str> {
    let Some((header, data)) = rows.split_first() else {
        return Ok(Vec::new());
    };
    let cols: [(&str, Vec<&str>); 7] = [
        ("case_id", both(T::CaseId).to_vec()),
        ("old_grid", both(T::OldGrid).to_vec()),
        ("old_community", both(T::OldCommunity).to_vec()),
        ("old_street", both(T::OldStreet).to_vec()),
        ("new_grid", both(T::NewGrid).to_vec()),
        ("new_community", both(T::NewCommunity).to_vec()),
        ("new_street", both(T::NewStreet).to_vec()),
    ];
    let mut at = [0usize; 7];
    for (k, (name, heads)) in cols.iter().enumerate() {
        let found = if sheet {
            column(header, heads)
        } else {
            column(header, &[name])
        };
        at[k] = found.ok_or(*name)?;
    }
    let cell = |r: &Vec<String>, k: usize| -> String {
        let s = r.get(at[k]).map(String::as_str).unwrap_or("");
        if k == 0 || k == 1 || k == 4 {
            clean(s)
        } else {
            code_part(s)
        }
    };
    Ok(data
        .iter()
        .enumerate()
        .filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()))
        .map(|(i, r)| CaseRow {
            row: i,
            id: cell(r, 0),
            old: [cell(r, 1), cell(r, 2), cell(r, 3)],
            new: [cell(r, 4), cell(r, 5), cell(r, 6)],
        })
        .collect())
}

/// Grid rows from a header and rows; the name of a column not found.
pub(super) fn grid_table(rows: &[Vec<String>], sheet: bool) -> Result<Vec<GridRow>, &'static str> {
    let Some((header, data)) = rows.split_first() else {
        return Ok(Vec::new());
    };
    let cols: [(&str, T); 8] = [
        ("old_code", T::OldCode),
        ("new_code", T::NewCode),
        ("area_old", T::OldArea),
        ("area_new", T::NewArea),
        ("area_int", T::AreaInt),
        ("share_old", T::ShareOld),
        ("share_new", T::ShareNew),
        ("relation", T::Relation),
    ];
    let mut at = [0usize; 8];
    for (k, (name, t)) in cols.iter().enumerate() {
        let found = if sheet {
            column(header, &both(*t))
        } else {
            column(header, &[name])
        };
        at[k] = found.ok_or(*name)?;
    }
    let cell = |r: &Vec<String>, k: usize| clean(r.get(at[k]).map(String::as_str).unwrap_or(""));
    Ok(data
        .iter()
        .enumerate()
        .filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()))
        .map(|(i, r)| GridRow {
            row: i,
            old: cell(r, 0),
            new: cell(r, 1),
            // `NaN` and `inf` parse as numbers but are none: unreadable, like text.
            numbers: [2, 3, 4, 5, 6]
                .map(|k| cell(r, k).parse::<f64>().ok().filter(|x| x.is_finite())),
            relation: relation_id(&cell(r, 7)),
        })
        .collect())
}

/// The plan workbook, read sheet by sheet; after one failure it is not read again.
struct Book {
    path: Option<PathBuf>,
    name: String,
    ok: bool,
    /// Whether its size and expansion were found within the limits.
    within: bool,
}

impl Book {
    fn sheet(&mut self, t: T, findings: &mut Vec<Finding>) -> Option<(String, Vec<Vec<String>>)> {
        let p = self.path.as_ref()?;
        if !self.ok {
            return None;
        }
        // Its size and expansion, once, before calamine reads any of it.
        if !self.within {
            if let Err(e) = workbook_within(p, MAX_WORKBOOK_BYTES) {
                self.ok = false;
                findings.push(bad(&self.name, None, Some(e)));
                return None;
            }
            self.within = true;
        }
        let names = both(t);
        match sheet_rows(p, &names) {
            Ok(rows) => rows.map(|r| (format!("{}#{}", self.name, names[0]), r)),
            Err(e) => {
                self.ok = false;
                findings.push(bad(&self.name, None, Some(e)));
                None
            }
        }
    }
}

/// A crosswalk's rows from its CSV, else from its sheet of the workbook.
fn source(
    csv: Option<&PathBuf>,
    book: &mut Book,
    sheet: T,
    rel: &dyn Fn(&Path) -> String,
    findings: &mut Vec<Finding>,
) -> Option<(String, Vec<Vec<String>>, bool)> {
    match csv {
        Some(p) => match csv_rows(p, MAX_CSV_CELLS) {
            Ok(rows) => Some((rel(p), rows, false)),
            Err(e) => {
                findings.push(bad(&rel(p), None, Some(e)));
                None
            }
        },
        None => book.sheet(sheet, findings).map(|(f, r)| (f, r, true)),
    }
}

/// Reads the plan folder `dir`; `rel` names a path as the report shows it.
pub fn read(dir: Option<&Path>, rel: &dyn Fn(&Path) -> String) -> Submitted {
    let mut s = Submitted::default();
    let Some(dir) = dir else { return s };
    let at = |name: &str| -> Option<PathBuf> {
        let p = dir.join(name);
        p.is_file().then_some(p)
    };
    let (md, xlsx) = (at("plan.md"), at("plan.xlsx"));
    let (case_csv, grid_csv) = (at("case_crosswalk.csv"), at("grid_crosswalk.csv"));
    for p in [&md, &xlsx, &case_csv, &grid_csv].into_iter().flatten() {
        s.files.push(rel(p));
    }
    let mut book = Book {
        name: xlsx.as_deref().map(rel).unwrap_or_default(),
        path: xlsx,
        ok: true,
        within: false,
    };
    if let Some(p) = &md {
        match plan_file(p, MAX_PLAN_FILE_BYTES).map(String::from_utf8) {
            Ok(Ok(text)) => s.sections = Some((rel(p), markdown_sections(&text))),
            Ok(Err(e)) => s.findings.push(bad(&rel(p), None, Some(e.to_string()))),
            Err(e) => s.findings.push(bad(&rel(p), None, Some(e))),
        }
    } else if book.path.is_some() {
        // No plan.md: the workbook's sheets stand for sections 2, 3 and 5.
        let mut states = [SectionState::Absent; 5];
        for (n, t) in [
            (1, T::SheetChanges),
            (2, T::SheetImpact),
            (4, T::SheetCases),
        ] {
            if book.sheet(t, &mut s.findings).is_some() {
                states[n] = SectionState::Present;
            }
        }
        if book.ok {
            s.sections = Some((book.name.clone(), states));
        }
    }
    let cases = source(
        case_csv.as_ref(),
        &mut book,
        T::SheetCases,
        rel,
        &mut s.findings,
    );
    s.no_cases = case_csv.is_none() && cases.is_none() && book.ok;
    if let Some((file, rows, is_sheet)) = cases {
        match case_table(&rows, is_sheet) {
            Ok(rows) => s.cases = Some(Table { file, rows }),
            Err(column) => s.findings.push(bad(&file, Some(column), None)),
        }
    }
    let grids = source(
        grid_csv.as_ref(),
        &mut book,
        T::SheetGrids,
        rel,
        &mut s.findings,
    );
    s.no_grids = grid_csv.is_none() && grids.is_none() && book.ok;
    if let Some((file, rows, is_sheet)) = grids {
        match grid_table(&rows, is_sheet) {
            Ok(rows) => s.grids = Some(Table { file, rows }),
            Err(column) => s.findings.push(bad(&file, Some(column), None)),
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A workbook whose shared strings expand past the limit is refused before calamine
    /// reads them, counted by decompressing, whatever its directory claims.
    #[test]
    fn plan_files_are_refused_past_their_limits() {
        let tmp = tempfile::tempdir().expect("tmp");
        let md = tmp.path().join("plan.md");
        std::fs::write(&md, vec![b'\n'; (1 << 20) + 1]).expect("write");
        assert_eq!(
            plan_file(&md, 1 << 20),
            Err("1048577 bytes, more than 1 MiB".to_string())
        );
        assert_eq!(plan_file(&md, 2 << 20).map(|b| b.len()), Ok((1 << 20) + 1));
        let csv = tmp.path().join("case_crosswalk.csv");
        std::fs::write(&csv, "case_id,new_grid\n1,a\n2,b\n").expect("write");
        assert_eq!(csv_rows(&csv, 5), Err("more than 5 cells".to_string()));
        assert_eq!(csv_rows(&csv, 6).map(|r| r.len()), Ok(3));
        // A row of commas: refused by its width before any record is held.
        let wide = format!("case_id,new_grid\n{}\n", ",".repeat(64));
        std::fs::write(&csv, wide).expect("write");
        assert_eq!(
            csv_rows(&csv, MAX_CSV_CELLS),
            Err("a row of 65 columns, more than 64".to_string())
        );
        // Commas inside quotes are text, as the csv crate reads them.
        let quoted = format!("case_id,note\n1,\"{}\"\"\"\n", ",".repeat(100));
        std::fs::write(&csv, quoted).expect("write");
        assert_eq!(widest_record(&std::fs::read(&csv).expect("read")), 2);
        assert_eq!(csv_rows(&csv, MAX_CSV_CELLS).map(|r| r[1].len()), Ok(2));
    }

    #[test]
    fn a_workbook_bomb_is_stopped_at_the_limit() {
        use std::io::Write;

        let tmp = tempfile::tempdir().expect("tmp");
        let path = tmp.path().join("plan.xlsx");
        let mut z = zip::ZipWriter::new(std::fs::File::create(&path).expect("create"));
        let o = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        z.start_file("[Content_Types].xml", o).expect("start");
        z.write_all(b"<Types/>").expect("write");
        z.start_file("xl/sharedStrings.xml", o).expect("start");
        z.write_all(&vec![b'a'; 3 << 20]).expect("write");
        z.finish().expect("finish");
        assert!(std::fs::metadata(&path).expect("size").len() < 64 << 10);
        assert_eq!(
            workbook_within(&path, 1 << 20),
            Err("it expands to more than 1 MiB".to_string())
        );
        assert_eq!(workbook_within(&path, 4 << 20), Ok(()));
    }

    /// A cell past Excel's last row (calamine takes any row a cell names) is refused: the
    /// rows up to it would be held, a few GB for a workbook of 1 KB.
    #[test]
    fn a_cell_past_excels_last_row_is_refused() {
        use std::io::Write;

        let tmp = tempfile::tempdir().expect("tmp");
        let path = tmp.path().join("plan.xlsx");
        let write = |last: &str| {
            let mut z = zip::ZipWriter::new(std::fs::File::create(&path).expect("create"));
            let o = zip::write::SimpleFileOptions::default();
            let mut put = |name: &str, text: &str| {
                z.start_file(name, o).expect("start");
                z.write_all(text.as_bytes()).expect("write");
            };
            put(
                "[Content_Types].xml",
                r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
            );
            put(
                "xl/workbook.xml",
                r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Changes" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
            );
            put(
                "xl/_rels/workbook.xml.rels",
                r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
            );
            put(
                "xl/worksheets/sheet1.xml",
                &format!(
                    r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row><c r="{last}"><v>2</v></c></row></sheetData></worksheet>"#
                ),
            );
            z.finish().expect("finish");
        };
        // (A row of ten digits or more overflows calamine's reading of the reference: a
        // panic in a debug build; in a release build, the one shipped, a wrapped row that
        // this check meets like any other.)
        write("A999999999");
        assert_eq!(
            sheet_rows(&path, &["Changes"]),
            Err(
                "a cell at row 999999999 column 1 lies past Excel's last cell XFD1048576"
                    .to_string()
            )
        );
        // Its last row is read, as a row of its own.
        write("B1048576");
        let rows = sheet_rows(&path, &["Changes"])
            .expect("read")
            .expect("sheet");
        assert_eq!(rows.len(), 1 << 20);
        assert_eq!(rows[0], ["1"]);
        assert_eq!(rows[(1 << 20) - 1], ["", "2"]);
        assert_eq!(sheet_rows(&path, &["变更清单"]), Ok(None));
    }

    /// A sheet's rows from its cells: from the first row and column that hold something,
    /// each row as long as its last cell, the far columns left out — not a dense range.
    #[test]
    fn sheet_rows_are_built_from_the_cells_present() {
        let cell = |r, c, t: &str| (r, c, t.to_string());
        let rows = sparse_rows(vec![
            cell(3, 2, "new_code"),
            cell(2, 1, "old_code"),
            cell(4, 1, "0101"),
            cell(1_048_575, 16_383, "far"),
            cell(6, 3, "x"),
        ]);
        assert_eq!(rows.len(), 5);
        assert_eq!(rows[0], ["old_code"]);
        assert_eq!(rows[1], ["", "new_code"]);
        assert_eq!(rows[2], ["0101"]);
        assert!(rows[3].is_empty());
        assert_eq!(rows[4], ["", "", "x"]);
        assert!(sparse_rows(Vec::new()).is_empty());
    }

    #[test]
    fn sections_are_found_by_their_headings() {
        let md =
            "# 更新方案\n\n## 一、基本情况\n\n### （一）各街道\n\n| a |\n\n## 二、数据变更情况\n\n\
                  ## 三、历史案件影响分析\n\ntext\n\n## 五、历史案件对照表\n\n无\n";
        use SectionState::*;
        assert_eq!(
            markdown_sections(md),
            [Present, Empty, Present, Absent, Present]
        );
        let en = "## 1. Basic situation\nx\n## 2. Data changes\nx\n## 3. Impact on historical cases\nx\n\
                  ## 4. How historical cases are handled\nx\n## 5. Cross-reference table of historical cases\nx\n";
        assert_eq!(markdown_sections(en), [Present; 5]);
        // Saved with a byte-order mark before the first heading.
        assert_eq!(markdown_sections(&format!("\u{feff}{en}")), [Present; 5]);
    }

    #[test]
    fn numbers_that_are_not_finite_are_unreadable() {
        let row = |v: &str| -> Vec<String> {
            [
                "350582001001001",
                "350582001001001",
                v,
                "1",
                "1",
                "1",
                "1",
                "unchanged",
            ]
            .map(String::from)
            .to_vec()
        };
        let head = [
            "old_code",
            "new_code",
            "area_old",
            "area_new",
            "area_int",
            "share_old",
            "share_new",
            "relation",
        ]
        .map(String::from)
        .to_vec();
        let rows = grid_table(&[head, row("NaN"), row("inf"), row("2.5")], false).expect("table");
        let first: Vec<Option<f64>> = rows.iter().map(|r| r.numbers[0]).collect();
        assert_eq!(first, [None, None, Some(2.5)]);
    }

    #[test]
    fn cells_are_cleaned() {
        assert_eq!(clean(" '=1+1 "), "=1+1");
        assert_eq!(clean("'abc"), "'abc");
        assert_eq!(code_part("350582001 青阳街道"), "350582001");
        assert_eq!(relation_id("拆分"), "split");
        assert_eq!(relation_id("split"), "split");
        assert_eq!(relation_id("odd"), "odd");
    }
}
