//! The administrative code list (行政区划代码): street and community codes and names checked
//! against a dated list such as the national statistical division codes.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::{Error, Problem, Result};
use crate::finding::{Finding, Rule};
use crate::i18n::Msg;
use crate::model::{Dataset, LayerKind};

/// Codes and names of counties, streets (towns) and communities (villages).
#[derive(Debug, Clone, Default)]
pub struct AdminCodes {
    /// Code (6, 9 or 12 digits) → name.
    pub names: BTreeMap<String, String>,
}

/// A code in its short form: the statistical lists' 12-digit forms with trailing zeros
/// (`350582001000` for a street, `350582000000` for a county) shortened to 9 and 6 digits.
fn short_form(code: &str) -> &str {
    if code.len() == 12 && code.bytes().all(|b| b.is_ascii_digit()) {
        if code.ends_with("000000") {
            return &code[..6];
        }
        if code.ends_with("000") {
            return &code[..9];
        }
    }
    code
}

impl AdminCodes {
    /// Reads a CSV list: columns `code` and `name` (or `代码`/`名称`), or the first two
    /// columns when there is no such header (UTF-8, with or without BOM; else GB18030).
    pub fn load(path: &Path) -> Result<AdminCodes> {
        crate::io::atomic::note_input(path);
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        let text = match std::str::from_utf8(body) {
            Ok(s) => s.to_string(),
            Err(_) => crate::io::encoding::decode_lossy(crate::io::encoding::FALLBACK, body),
        };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let csv_err = |e: csv::Error| {
            Error::malformed(
                path,
                Problem::Csv {
                    message: e.to_string(),
                },
            )
        };
        let mut names = BTreeMap::new();
        let mut cols = (0usize, 1usize);
        let mut first = true;
        for rec in reader.records() {
            let rec = rec.map_err(csv_err)?;
            if first {
                first = false;
                let header: Vec<String> = rec.iter().map(|h| h.trim().to_lowercase()).collect();
                let find = |names: &[&str]| header.iter().position(|h| names.contains(&h.as_str()));
                if let (Some(c), Some(n)) =
                    (find(&["code", "代码", "区划代码"]), find(&["name", "名称"]))
                {
                    cols = (c, n);
                    continue;
                }
            }
            let (Some(code), Some(name)) = (rec.get(cols.0), rec.get(cols.1)) else {
                continue;
            };
            let code = code.trim();
            if code.is_empty() || !code.bytes().all(|b| b.is_ascii_digit()) {
                continue;
            }
            names.insert(short_form(code).to_string(), name.trim().to_string());
        }
        Ok(AdminCodes { names })
    }
}

pub(super) fn check(ds: &Dataset, list: &AdminCodes, out: &mut Vec<Finding>) {
    for kind in [LayerKind::Streets, LayerKind::Communities] {
        let Some(bound) = ds.layer(kind) else {
            continue;
        };
        for i in 0..bound.len() {
            let Some(code) = bound
                .get(i, "code")
                .map(str::trim)
                .filter(|c| !c.is_empty())
            else {
                continue;
            };
            match list.names.get(code) {
                None => out.push(
                    Finding::new(
                        Rule::AdminUnknown,
                        kind.name(),
                        Msg::AdminUnknown {
                            code: code.to_string(),
                        },
                    )
                    .at(i, bound.key(i))
                    .field("code"),
                ),
                Some(expected) => {
                    let Some(name) = bound.get(i, "name").map(str::trim) else {
                        continue;
                    };
                    if !name.is_empty() && name != expected {
                        out.push(
                            Finding::new(
                                Rule::AdminName,
                                kind.name(),
                                Msg::AdminName {
                                    code: code.to_string(),
                                    name: name.to_string(),
                                    expected: expected.clone(),
                                },
                            )
                            .at(i, bound.key(i))
                            .field("name"),
                        );
                    }
                }
            }
        }
    }
}
