//! Populations of the towns (人口), for the case quota base (`--population FILE`).

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::{Error, Expected, Problem, Result};

/// Population by street (town) code.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Populations {
    /// Street code (9 digits) → population.
    pub by_street: BTreeMap<String, f64>,
}

impl Populations {
    /// Reads a CSV of `code,population` (or `代码,人口`; or the first two columns), UTF-8 with
    /// or without BOM, else GB18030. 12-digit statistical codes with trailing `000` are read
    /// as the 9-digit street code.
    pub fn load(path: &Path) -> Result<Populations> {
        crate::io::atomic::note_input(path);
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        let text = match std::str::from_utf8(body) {
            Ok(s) => s.to_string(),
            Err(_) => crate::io::encoding::decode_lossy(crate::io::encoding::FALLBACK, body),
        };
        let csv_err = |message: String| Error::malformed(path, Problem::Csv { message });
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut cols = (0, 1);
        let mut by_street = BTreeMap::new();
        for (row, rec) in reader.records().enumerate() {
            let rec = rec.map_err(|e| csv_err(e.to_string()))?;
            if row == 0 {
                let h: Vec<String> = rec.iter().map(|c| c.trim().to_lowercase()).collect();
                let find = |names: &[&str]| h.iter().position(|c| names.contains(&c.as_str()));
                if let (Some(c), Some(p)) = (
                    find(&["code", "代码", "street"]),
                    find(&["population", "人口", "pop"]),
                ) {
                    cols = (c, p);
                    continue;
                }
            }
            let (Some(code), Some(pop)) = (rec.get(cols.0), rec.get(cols.1)) else {
                continue;
            };
            let code = code.trim();
            let code = if code.len() == 12 && code.ends_with("000") {
                &code[..9]
            } else {
                code
            };
            let bad = || {
                Error::malformed(
                    path,
                    Problem::BadValue {
                        key: format!("{}:{}", row + 1, cols.1 + 1),
                        value: pop.trim().to_string(),
                        expected: Expected::Count,
                    },
                )
            };
            let pop: f64 = pop.trim().replace(',', "").parse().map_err(|_| bad())?;
            if !pop.is_finite() || pop < 0.0 {
                return Err(bad());
            }
            by_street.insert(code.to_string(), pop);
        }
        Ok(Populations { by_street })
    }
}
