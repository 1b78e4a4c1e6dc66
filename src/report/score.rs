//! The scores of `gridkeeper score`: the ranking of the towns as text, CSV, JSON and xlsx,
//! with every point withheld and the findings that caused it.

use std::fmt::Write as _;

use serde_json::{json, Value};

use super::check::width;
use super::csv::text_cell;
use super::xlsx::{Cell, Sheet};
use crate::i18n::center::{CheckSay, CheckText as C};
use crate::i18n::Lang;
use crate::score::{ItemScore, Ranked, Reason, ScoreSheet, ScoringRules};

fn item_name(i: &ItemScore, lang: Lang) -> &str {
    lang.pick(&i.name, &i.name_en)
}

fn town(s: &ScoreSheet) -> (String, String) {
    (
        s.town.clone().unwrap_or_default(),
        s.name.clone().unwrap_or_default(),
    )
}

/// A reason in words: `最高为最低非零档（SUBMIT-LATE ×1）`.
pub fn reason_text(r: &Reason, lang: Lang) -> String {
    let action = CheckSay::Action {
        action: r.action.id().to_string(),
        tiers: r.tiers,
        families: r.families.clone(),
    }
    .render(lang);
    let causes: Vec<String> = r
        .causes
        .iter()
        .map(|(id, n)| format!("{id} ×{n}"))
        .collect();
    match lang {
        Lang::Zh => format!("{action}（{}）", causes.join("，")),
        Lang::En => format!("{action} ({})", causes.join(", ")),
    }
}

/// What a sheet withholds, item by item: `网格信息更新 −1：…；…` (empty for full marks).
pub fn withheld(s: &ScoreSheet, lang: Lang) -> String {
    let sep = lang.pick("；", "; ");
    s.items
        .iter()
        .filter(|i| i.points < i.max)
        .map(|i| {
            let reasons: Vec<String> = i
                .reasons
                .iter()
                .filter(|r| r.lost > 0)
                .map(|r| format!("−{} {}", r.lost, reason_text(r, lang)))
                .collect();
            format!("{} {}", item_name(i, lang), reasons.join(sep))
        })
        .collect::<Vec<_>>()
        .join(sep)
}

/// The last part of a package's path (`submissions/350582001.zip` → `350582001.zip`).
fn package_name(p: &str) -> String {
    std::path::Path::new(p)
        .file_name()
        .map_or_else(|| p.to_string(), |n| n.to_string_lossy().into_owned())
}

fn pad(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(width(s))))
}

/// The first columns of the ranking, in the text and the workbook alike: rank, town, package,
/// received date, lead time, then each scoring item's points.
fn ranking_head(rules: &ScoringRules, lang: Lang) -> Vec<String> {
    let fixed = [
        C::Rank,
        C::TownCode,
        C::Name,
        C::PackageFile,
        C::Received,
        C::LeadDays,
    ]
    .map(|t| t.get(lang).to_string());
    let items = rules
        .items
        .iter()
        .map(|i| lang.pick(&i.name, &i.name_en).to_string());
    fixed.into_iter().chain(items).collect()
}

/// The ranking as text: a table of the towns, then what each lost and why.
pub fn text(ranked: &[Ranked], rules: &ScoringRules, lang: Lang) -> String {
    let mut s = String::new();
    let source = if rules.source == "built-in" {
        C::BuiltIn.get(lang).to_string()
    } else {
        rules.source.clone()
    };
    let _ = writeln!(s, "{} {source}", C::ScoringRules.get(lang));
    let mut head = ranking_head(rules, lang);
    head.push(C::Total.get(lang).to_string());
    let mut rows: Vec<Vec<String>> = Vec::new();
    for r in ranked {
        let (code, name) = town(&r.sheet);
        let mut row = vec![
            r.rank.to_string(),
            code,
            name,
            package_name(&r.sheet.package),
            r.sheet.received.to_string(),
            r.sheet
                .lead
                .map(|d| d.to_string())
                .unwrap_or_else(|| "-".into()),
        ];
        for i in &r.sheet.items {
            row.push(format!("{}/{}", i.points, i.max));
        }
        row.push(format!("{}/{}", r.sheet.total, r.sheet.max));
        rows.push(row);
    }
    let widths: Vec<usize> = (0..head.len())
        .map(|c| {
            rows.iter()
                .map(|r| r.get(c).map_or(0, |v| width(v)))
                .chain([width(&head[c])])
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in std::iter::once(&head).chain(&rows) {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, v)| pad(v, widths[c]))
            .collect();
        let _ = writeln!(s, "  {}", cells.join("  ").trim_end());
    }
    let _ = writeln!(s);
    let _ = writeln!(s, "{}", C::Withheld.get(lang));
    for r in ranked {
        let (code, name) = town(&r.sheet);
        let w = withheld(&r.sheet, lang);
        let w = if w.is_empty() {
            C::FullMarks.get(lang).to_string()
        } else {
            w
        };
        let _ = writeln!(
            s,
            "  {code} {name} [{}]: {w}",
            package_name(&r.sheet.package)
        );
    }
    s
}

/// The ranking as CSV rows (header first): rank, town, name, package, received, lead days,
/// one column per item, total, max, errors, warnings, and the points withheld in words.
pub fn csv_rows(ranked: &[Ranked], rules: &ScoringRules, lang: Lang) -> Vec<Vec<String>> {
    let mut head: Vec<String> = ["rank", "town", "name", "package", "received", "lead_days"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    // Item ids come from the rules file: neutralised like any text from outside.
    head.extend(rules.items.iter().map(|i| text_cell(&i.id)));
    head.extend(["total", "max", "errors", "warnings", "withheld"].map(String::from));
    let mut out = vec![head];
    for r in ranked {
        let s = &r.sheet;
        let (code, name) = town(s);
        let mut row = vec![
            r.rank.to_string(),
            text_cell(&code),
            text_cell(&name),
            text_cell(&s.package),
            s.received.to_string(),
            s.lead.map(|d| d.to_string()).unwrap_or_default(),
        ];
        row.extend(s.items.iter().map(|i| i.points.to_string()));
        row.extend([
            s.total.to_string(),
            s.max.to_string(),
            s.errors.to_string(),
            s.warnings.to_string(),
            text_cell(&withheld(s, lang)),
        ]);
        out.push(row);
    }
    out
}

/// The ranking as JSON: the rules used and each town's sheet with its reasons.
pub fn json(ranked: &[Ranked], rules: &ScoringRules, lang: Lang) -> Value {
    json!({
        "tool": "gridkeeper",
        "version": crate::VERSION,
        "command": "score",
        "rules": rules.source,
        "lead_days": rules.lead_days,
        "lang": lang,
        "towns": ranked
            .iter()
            .map(|r| {
                let mut v = serde_json::to_value(&r.sheet).unwrap_or(Value::Null);
                if let Value::Object(m) = &mut v {
                    m.insert("rank".into(), json!(r.rank));
                    m.insert("withheld".into(), json!(withheld(&r.sheet, lang)));
                }
                v
            })
            .collect::<Vec<_>>(),
    })
}

/// The ranking workbook: 排名 (a row per town) and 扣分明细 (a row per reason).
pub fn sheets(ranked: &[Ranked], rules: &ScoringRules, lang: Lang) -> Vec<Sheet> {
    let mut head = ranking_head(rules, lang);
    head.extend(
        [C::Total, C::Max, C::Errors, C::Warnings, C::Withheld].map(|t| t.get(lang).to_string()),
    );
    let cell = |s: String| {
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s)
        }
    };
    let mut rank_rows = Vec::new();
    let mut reason_rows = Vec::new();
    for r in ranked {
        let s = &r.sheet;
        let (code, name) = town(s);
        let mut row = vec![
            Cell::Int(r.rank as i64),
            cell(code.clone()),
            cell(name.clone()),
            cell(s.package.clone()),
            Cell::Date(s.received),
            s.lead.map_or(Cell::Empty, Cell::Int),
        ];
        row.extend(s.items.iter().map(|i| Cell::Int(i.points as i64)));
        row.extend([
            Cell::Int(s.total as i64),
            Cell::Int(s.max as i64),
            Cell::Int(s.errors as i64),
            Cell::Int(s.warnings as i64),
            cell(withheld(s, lang)),
        ]);
        rank_rows.push(row);
        for i in &s.items {
            for reason in &i.reasons {
                reason_rows.push(vec![
                    cell(code.clone()),
                    cell(name.clone()),
                    cell(item_name(i, lang).to_string()),
                    Cell::Int(reason.rule as i64),
                    Cell::Int(reason.lost as i64),
                    cell(reason_text(reason, lang)),
                ]);
            }
        }
    }
    vec![
        Sheet {
            name: C::SheetRanking.get(lang).to_string(),
            head,
            rows: rank_rows,
        },
        Sheet {
            name: C::SheetReasons.get(lang).to_string(),
            head: [
                C::TownCode,
                C::Name,
                C::Item,
                C::ScoringRule,
                C::Lost,
                C::Causes,
            ]
            .iter()
            .map(|t| t.get(lang).to_string())
            .collect(),
            rows: reason_rows,
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An item id from a rules file heads a column of ranking.csv: neutralised like any text
    /// from outside.
    #[test]
    fn item_ids_that_read_as_formulas_are_neutralised_in_the_head() {
        let text = crate::score::rules::BUILTIN.replacen("id = \"grids\"", "id = \"=grids\"", 1);
        let rules = ScoringRules::parse(&text, "rules.toml").expect("rules");
        let head = &csv_rows(&[], &rules, Lang::En)[0];
        assert!(head.iter().any(|h| h == "'=grids"), "{head:?}");
        assert!(!head.iter().any(|h| h == "=grids"), "{head:?}");
    }
}
