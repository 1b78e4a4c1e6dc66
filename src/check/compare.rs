//! Comparing a submitted crosswalk with the one re-derived from the data, row by row.
//!
//! Cases are matched by id: a re-derived case not submitted is `XWALK-CASE-MISSING`; a
//! submitted one not re-derived is `XWALK-CASE-EXTRA`; one listed twice `XWALK-CASE-DUPLICATE`;
//! of a matched case each new code that differs is `XWALK-CASE-GRID`, `-COMMUNITY` or
//! `-STREET`, and each old code that differs from the case as filed `XWALK-CASE-OLD`.
//! Grid rows are matched by their (old code, new code) pair: `XWALK-GRID-MISSING`,
//! `XWALK-GRID-EXTRA`, `XWALK-GRID-RELATION`, and `XWALK-GRID-AREA` for the first area or
//! share that differs by more than the tolerance (0.01 m² or a millionth of the area; 1e-5
//! of a share).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::submitted::{CaseRow, GridRow, Table, NUMBER_COLUMNS};
use crate::finding::{Finding, Rule};
use crate::i18n::Msg;

/// How many rows were compared and how many were alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Compared {
    /// Rows submitted.
    pub submitted: usize,
    /// Rows re-derived.
    pub derived: usize,
    /// Rows alike in every compared value.
    pub matching: usize,
}

const LEVELS: [&str; 3] = ["grid", "community", "street"];
const NEW_RULES: [Rule; 3] = [
    Rule::XwalkCaseGrid,
    Rule::XwalkCaseCommunity,
    Rule::XwalkCaseStreet,
];

/// Compares the submitted case crosswalk with the re-derived one; `own_ids` are the ids of
/// every historical case of the package's streets (involved or not), `all_ids` of every
/// historical case the center holds.
///
/// Re-derived rows under one key, in order, and how many at its front are paired already:
/// a row is paired once, so each queue is walked once whatever the number of rows of an id.
#[derive(Default)]
struct Queue {
    rows: Vec<usize>,
    next: usize,
}

impl Queue {
    /// The first row not yet paired.
    fn first_free(&mut self, paired: &[bool]) -> Option<usize> {
        while let Some(&i) = self.rows.get(self.next) {
            if !paired[i] {
                return Some(i);
            }
            self.next += 1;
        }
        None
    }
}

/// Rows are paired by case id. A case file may hold an id more than once (the center's data,
/// not the town's doing): the table then has as many rows for it as the data gives, each
/// paired with a re-derived row of the same id — the one alike in every value, else the one
/// with the same old grid, community and street, else the next — and only rows beyond that
/// number are duplicates.
pub fn cases(
    submitted: &Table<CaseRow>,
    derived: &[CaseRow],
    own_ids: &BTreeSet<String>,
    all_ids: &BTreeSet<String>,
    out: &mut Vec<Finding>,
) -> Compared {
    let layer = submitted.file.as_str();
    // Each id's re-derived rows, by index, and whether a submitted row stands for each;
    // also by id and old grid triple, and by id and both triples, to pick from.
    let mut by_id: BTreeMap<&str, Queue> = BTreeMap::new();
    let mut by_old: HashMap<(&str, &[String; 3]), Queue> = HashMap::new();
    let mut by_both: HashMap<(&str, &[String; 3], &[String; 3]), Queue> = HashMap::new();
    for (i, d) in derived.iter().enumerate() {
        let id = d.id.as_str();
        by_id.entry(id).or_default().rows.push(i);
        by_old.entry((id, &d.old)).or_default().rows.push(i);
        by_both
            .entry((id, &d.old, &d.new))
            .or_default()
            .rows
            .push(i);
    }
    let mut paired = vec![false; derived.len()];
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &submitted.rows {
        *seen.entry(r.id.as_str()).or_insert(0) += 1;
    }
    let mut matching = 0;
    let mut reported_dup = BTreeSet::new();
    for r in &submitted.rows {
        let n = seen.get(r.id.as_str()).copied().unwrap_or(0);
        let given = by_id.get(r.id.as_str()).map_or(0, |q| q.rows.len());
        if n > given.max(1) && reported_dup.insert(r.id.as_str()) {
            out.push(
                Finding::new(
                    Rule::XwalkCaseDuplicate,
                    layer,
                    Msg::XwalkCaseDuplicate { rows: n },
                )
                .at(r.row, r.id.clone()),
            );
        }
        let id = r.id.as_str();
        let Some(all) = by_id.get_mut(id) else {
            out.push(
                Finding::new(
                    Rule::XwalkCaseExtra,
                    layer,
                    Msg::XwalkCaseExtra {
                        known: own_ids.contains(&r.id),
                        elsewhere: !own_ids.contains(&r.id) && all_ids.contains(&r.id),
                    },
                )
                .at(r.row, r.id.clone()),
            );
            continue;
        };
        // The re-derived row this one stands for: the first not yet paired alike in every
        // value, else with the same old triple, else of the id; none left: a duplicate,
        // reported above.
        let pick = by_both
            .get_mut(&(id, &r.old, &r.new))
            .and_then(|q| q.first_free(&paired))
            .or_else(|| {
                by_old
                    .get_mut(&(id, &r.old))
                    .and_then(|q| q.first_free(&paired))
            })
            .or_else(|| all.first_free(&paired));
        let Some(pick) = pick else {
            continue;
        };
        paired[pick] = true;
        let d = &derived[pick];
        let mut alike = true;
        for k in 0..3 {
            if r.new[k] != d.new[k] {
                alike = false;
                out.push(
                    Finding::new(
                        NEW_RULES[k],
                        layer,
                        Msg::XwalkCaseDiffers {
                            level: LEVELS[k].to_string(),
                            submitted: r.new[k].clone(),
                            derived: d.new[k].clone(),
                        },
                    )
                    .at(r.row, r.id.clone())
                    .field(format!("new_{}", LEVELS[k])),
                );
            }
            if r.old[k] != d.old[k] {
                alike = false;
                out.push(
                    Finding::new(
                        Rule::XwalkCaseOld,
                        layer,
                        Msg::XwalkCaseOld {
                            level: LEVELS[k].to_string(),
                            submitted: r.old[k].clone(),
                            filed: d.old[k].clone(),
                        },
                    )
                    .at(r.row, r.id.clone())
                    .field(format!("old_{}", LEVELS[k])),
                );
            }
        }
        if alike {
            matching += 1;
        }
    }
    for (d, _) in derived.iter().zip(&paired).filter(|(_, &p)| !p) {
        let mut f = Finding::new(
            Rule::XwalkCaseMissing,
            layer,
            Msg::XwalkCaseMissing {
                old_grid: d.old[0].clone(),
                new_grid: d.new[0].clone(),
            },
        );
        f.key = d.id.clone();
        out.push(f);
    }
    Compared {
        submitted: submitted.rows.len(),
        derived: derived.len(),
        matching,
    }
}

fn dash(s: &str) -> &str {
    if s.is_empty() {
        "-"
    } else {
        s
    }
}

/// The key of a grid crosswalk row: `old→new` (`-` for no code).
pub fn pair_key(old: &str, new: &str) -> String {
    format!("{}→{}", dash(old), dash(new))
}

fn differs(column: usize, a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (None, None) => false,
        (Some(a), Some(b)) => {
            let tol = if column >= 3 {
                1e-5
            } else {
                (b.abs() * 1e-6).max(0.01)
            };
            (a - b).abs() > tol
        }
        _ => true,
    }
}

fn number(v: Option<f64>, column: usize) -> String {
    match v {
        None => String::new(),
        Some(x) if column >= 3 => format!("{x:.6}"),
        Some(x) => format!("{x:.3}"),
    }
}

/// Compares the submitted grid crosswalk with the re-derived one.
pub fn grids(submitted: &Table<GridRow>, derived: &[GridRow], out: &mut Vec<Finding>) -> Compared {
    let layer = submitted.file.as_str();
    let by_pair: BTreeMap<(&str, &str), &GridRow> = derived
        .iter()
        .map(|r| ((r.old.as_str(), r.new.as_str()), r))
        .collect();
    let mut seen: BTreeSet<(&str, &str)> = BTreeSet::new();
    let mut matching = 0;
    for r in &submitted.rows {
        let pair = (r.old.as_str(), r.new.as_str());
        let key = pair_key(&r.old, &r.new);
        let first = seen.insert(pair);
        let Some(d) = by_pair.get(&pair).filter(|_| first) else {
            out.push(
                Finding::new(
                    Rule::XwalkGridExtra,
                    layer,
                    Msg::XwalkGridExtra {
                        old: r.old.clone(),
                        new: r.new.clone(),
                        relation: r.relation.clone(),
                    },
                )
                .at(r.row, key),
            );
            continue;
        };
        let mut alike = true;
        if r.relation != d.relation {
            alike = false;
            out.push(
                Finding::new(
                    Rule::XwalkGridRelation,
                    layer,
                    Msg::XwalkGridRelation {
                        old: r.old.clone(),
                        new: r.new.clone(),
                        submitted: r.relation.clone(),
                        derived: d.relation.clone(),
                    },
                )
                .at(r.row, key.clone())
                .field("relation"),
            );
        }
        if let Some(c) = (0..5).find(|&c| differs(c, r.numbers[c], d.numbers[c])) {
            alike = false;
            out.push(
                Finding::new(
                    Rule::XwalkGridArea,
                    layer,
                    Msg::XwalkGridArea {
                        old: r.old.clone(),
                        new: r.new.clone(),
                        column: NUMBER_COLUMNS[c].to_string(),
                        submitted: number(r.numbers[c], c),
                        derived: number(d.numbers[c], c),
                    },
                )
                .at(r.row, key)
                .field(NUMBER_COLUMNS[c]),
            );
        }
        if alike {
            matching += 1;
        }
    }
    for d in derived {
        if !seen.contains(&(d.old.as_str(), d.new.as_str())) {
            let mut f = Finding::new(
                Rule::XwalkGridMissing,
                layer,
                Msg::XwalkGridMissing {
                    old: d.old.clone(),
                    new: d.new.clone(),
                    relation: d.relation.clone(),
                },
            );
            f.key = pair_key(&d.old, &d.new);
            out.push(f);
        }
    }
    Compared {
        submitted: submitted.rows.len(),
        derived: derived.len(),
        matching,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(row: usize, id: &str, old: &str, new: &str) -> CaseRow {
        CaseRow {
            row,
            id: id.into(),
            old: [old.into(), old[..12].into(), old[..9].into()],
            new: [new.into(), new[..12].into(), new[..9].into()],
        }
    }

    #[test]
    fn case_rows_are_matched_by_id() {
        let derived = vec![
            case(0, "C1", "350582101001001", "350582101001009"),
            case(1, "C2", "350582101001001", "350582101001010"),
            case(2, "C3", "350582001001001", "350582001002001"),
        ];
        let submitted = Table {
            file: "plan/case_crosswalk.csv".into(),
            rows: vec![
                case(0, "C1", "350582101001001", "350582101001009"),
                case(1, "C2", "350582101001001", "350582101001009"),
                case(2, "C9", "350582101001001", "350582101001009"),
                case(3, "C1", "350582101001001", "350582101001009"),
            ],
        };
        let ids: BTreeSet<String> = ["C1", "C2", "C3", "C9"].map(String::from).into();
        let mut out = Vec::new();
        let c = cases(&submitted, &derived, &ids, &ids, &mut out);
        let rules: Vec<&str> = out.iter().map(|f| f.rule.id()).collect();
        assert_eq!(
            rules,
            [
                "XWALK-CASE-DUPLICATE",
                "XWALK-CASE-GRID",
                "XWALK-CASE-EXTRA",
                "XWALK-CASE-MISSING"
            ]
        );
        // The first C1 row stands for the one the data gives, and is alike.
        assert_eq!(
            c,
            Compared {
                submitted: 4,
                derived: 3,
                matching: 1
            }
        );
    }

    #[test]
    fn an_id_the_data_gives_twice_takes_two_rows() {
        // The case file holds C1 twice, filed under two grids.
        let derived = vec![
            case(0, "C1", "350582101001001", "350582101001009"),
            case(1, "C1", "350582101001002", "350582101001010"),
        ];
        let table = |rows| Table {
            file: "plan/case_crosswalk.csv".into(),
            rows,
        };
        let ids: BTreeSet<String> = ["C1"].map(String::from).into();
        // Both rows, in the other order: alike.
        let both = table(vec![
            case(0, "C1", "350582101001002", "350582101001010"),
            case(1, "C1", "350582101001001", "350582101001009"),
        ]);
        let mut out = Vec::new();
        let c = cases(&both, &derived, &ids, &ids, &mut out);
        assert!(out.is_empty(), "{out:?}");
        assert_eq!(c.matching, 2);
        // One of them: the other is missing.
        let one = table(vec![case(0, "C1", "350582101001002", "350582101001010")]);
        let mut out = Vec::new();
        let c = cases(&one, &derived, &ids, &ids, &mut out);
        let found: Vec<(&str, &str)> = out.iter().map(|f| (f.rule.id(), f.key.as_str())).collect();
        assert_eq!(found, [("XWALK-CASE-MISSING", "C1")]);
        assert_eq!(c.matching, 1);
        // Three: one too many.
        let three = table(vec![
            case(0, "C1", "350582101001001", "350582101001009"),
            case(1, "C1", "350582101001002", "350582101001010"),
            case(2, "C1", "350582101001002", "350582101001010"),
        ]);
        let mut out = Vec::new();
        cases(&three, &derived, &ids, &ids, &mut out);
        let found: Vec<&str> = out.iter().map(|f| f.rule.id()).collect();
        assert_eq!(found, ["XWALK-CASE-DUPLICATE"]);
    }

    /// A row stands for the first free re-derived row of its id alike in every value, else
    /// with its old triple, else the first free one; each id's rows are walked once, so
    /// an id the data gives 20,000 times costs 20,000 steps, not 2 × 10^8.
    #[test]
    fn repeated_ids_pair_alike_then_same_old_then_first() {
        let derived = vec![
            case(0, "C1", "350582101001001", "350582101001009"),
            case(1, "C1", "350582101001001", "350582101001010"),
            case(2, "C1", "350582101001002", "350582101001011"),
        ];
        let submitted = Table {
            file: "plan/case_crosswalk.csv".into(),
            rows: vec![
                case(0, "C1", "350582101001001", "350582101001010"), // alike: derived 1
                case(1, "C1", "350582101001001", "350582101001012"), // same old: derived 0
                case(2, "C1", "350582101001003", "350582101001011"), // first free: derived 2
            ],
        };
        let ids: BTreeSet<String> = ["C1"].map(String::from).into();
        let mut out = Vec::new();
        let c = cases(&submitted, &derived, &ids, &ids, &mut out);
        let found: Vec<(&str, usize, String)> = out
            .iter()
            .map(|f| {
                (
                    f.rule.id(),
                    f.feature.unwrap_or(usize::MAX),
                    f.field.clone().unwrap_or_default(),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("XWALK-CASE-GRID", 1, "new_grid".to_string()),
                ("XWALK-CASE-OLD", 2, "old_grid".to_string()),
            ]
        );
        assert_eq!(c.matching, 1);

        let many = |n: usize, swap: bool| -> Vec<CaseRow> {
            (0..n)
                .map(|k| {
                    let old = if (k % 2 == 0) != swap {
                        "350582101001001"
                    } else {
                        "350582101001002"
                    };
                    case(k, "C1", old, "350582101001009")
                })
                .collect()
        };
        let derived = many(20_000, false);
        let submitted = Table {
            file: "plan/case_crosswalk.csv".into(),
            rows: many(20_000, true),
        };
        let mut out = Vec::new();
        let c = cases(&submitted, &derived, &ids, &ids, &mut out);
        assert!(out.is_empty(), "{:?}", &out[..out.len().min(3)]);
        assert_eq!(c.matching, 20_000);
    }

    #[test]
    fn grid_rows_are_matched_by_pair() {
        let row = |old: &str, new: &str, rel: &str, a: f64| GridRow {
            row: 0,
            old: old.into(),
            new: new.into(),
            numbers: [Some(a), Some(a), Some(a), Some(1.0), Some(1.0)],
            relation: rel.into(),
        };
        let derived = vec![
            row("a", "b", "reshaped", 100.0),
            row("c", "d", "split", 50.0),
        ];
        let submitted = Table {
            file: "g.csv".into(),
            rows: vec![
                row("a", "b", "split", 100.004),
                row("e", "f", "merged", 1.0),
            ],
        };
        let mut out = Vec::new();
        let c = grids(&submitted, &derived, &mut out);
        let rules: Vec<&str> = out.iter().map(|f| f.rule.id()).collect();
        assert_eq!(
            rules,
            [
                "XWALK-GRID-RELATION",
                "XWALK-GRID-EXTRA",
                "XWALK-GRID-MISSING"
            ]
        );
        assert_eq!(c.matching, 0);
        assert!(differs(0, Some(100.0), Some(100.02)));
        assert!(!differs(3, Some(0.5), Some(0.500001)));
    }
}
