//! Scoring the data-maintenance items (数据维护评分) per town from the findings of `check`:
//! 地理信息更新 (2/1/0), 网格信息更新 (2/1/0), 部件信息更新 (3/2/1/0) under the tier rules of
//! [`ScoringRules`] (`schemas/scoring.toml`, or a city's own file).
//!
//! An item starts at its top tier; its rules are applied in order, each to the findings it
//! selects that no earlier rule of the item took; every step down is a [`Reason`] naming the
//! rule, the points it cost and the findings that caused it (rule ids with counts), so the
//! reasons add up to the points withheld.

pub mod rules;

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::Serialize;

use crate::check::CheckReport;
use crate::finding::Severity;

pub use self::rules::{Action, Item, ScoreRule, ScoringRules, Selector};

/// Why points were withheld (or a rule applied without costing more).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    /// The rule's number within its item (1-based).
    pub rule: usize,
    /// What the rule does.
    pub action: Action,
    /// Tiers of a `down` rule.
    pub tiers: u32,
    /// The families counted by a `down-per-family` rule.
    pub families: Vec<String>,
    /// Points this step cost.
    pub lost: u32,
    /// The findings that caused it: rule id and count, by id.
    pub causes: Vec<(String, usize)>,
}

/// One item's score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemScore {
    /// The item's id.
    pub id: String,
    /// Its Chinese name.
    pub name: String,
    /// Its English name.
    pub name_en: String,
    /// Points given.
    pub points: u32,
    /// Full marks.
    pub max: u32,
    /// Every rule that selected findings, in rule order.
    pub reasons: Vec<Reason>,
}

/// One town's score sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScoreSheet {
    /// The package as given.
    pub package: String,
    /// The town code.
    pub town: Option<String>,
    /// The town's name.
    pub name: Option<String>,
    /// When the center received it.
    pub received: NaiveDate,
    /// Days ahead of the effective date.
    pub lead: Option<i64>,
    /// The items.
    pub items: Vec<ItemScore>,
    /// Total points.
    pub total: u32,
    /// Full marks.
    pub max: u32,
    /// Findings of severity error.
    pub errors: usize,
    /// Findings of severity warning.
    pub warnings: usize,
}

/// Scores one checked submission.
pub fn score(report: &CheckReport, rules: &ScoringRules) -> ScoreSheet {
    let findings = &report.findings;
    let items: Vec<ItemScore> = rules
        .items
        .iter()
        .map(|item| {
            let last = item.points.len().saturating_sub(1);
            let mut tier = 0usize;
            let mut taken = vec![false; findings.len()];
            let mut reasons = Vec::new();
            for (k, rule) in item.rules.iter().enumerate() {
                let mut causes: BTreeMap<&str, usize> = BTreeMap::new();
                let mut families: BTreeSet<&str> = BTreeSet::new();
                for (i, f) in findings.iter().enumerate() {
                    if !taken[i] && rule.when.selects(f) {
                        taken[i] = true;
                        *causes.entry(f.rule.id()).or_insert(0) += 1;
                        families.insert(f.rule.family());
                    }
                }
                if causes.is_empty() {
                    continue;
                }
                let before = tier;
                let steps = rule.tiers as usize;
                tier = match rule.then {
                    Action::Zero => last,
                    Action::CapLowest => tier.max(last.saturating_sub(1)),
                    Action::Down => (tier + steps).min(last),
                    Action::DownPerFamily => (tier + steps * families.len()).min(last),
                };
                reasons.push(Reason {
                    rule: k + 1,
                    action: rule.then,
                    tiers: rule.tiers,
                    families: if rule.then == Action::DownPerFamily {
                        families.iter().map(|s| s.to_string()).collect()
                    } else {
                        Vec::new()
                    },
                    lost: item.points[before] - item.points[tier],
                    causes: causes
                        .into_iter()
                        .map(|(r, n)| (r.to_string(), n))
                        .collect(),
                });
            }
            ItemScore {
                id: item.id.clone(),
                name: item.name.clone(),
                name_en: item.name_en.clone(),
                points: item.points[tier],
                max: item.max(),
                reasons,
            }
        })
        .collect();
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    ScoreSheet {
        package: report.package.clone(),
        town: report.town.clone(),
        name: report.name.clone(),
        received: report.received,
        lead: report.lead,
        total: items.iter().map(|i| i.points).sum(),
        max: items.iter().map(|i| i.max).sum(),
        items,
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
    }
}

/// A sheet with its place in the ranking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ranked {
    /// 1 for the best; towns with equal totals share a rank.
    pub rank: usize,
    /// The sheet.
    pub sheet: ScoreSheet,
}

/// Ranks sheets by total, best first; equal totals share a rank and keep the order they
/// were given in.
pub fn rank(sheets: Vec<ScoreSheet>) -> Vec<Ranked> {
    let mut sheets = sheets;
    sheets.sort_by_key(|s| std::cmp::Reverse(s.total));
    let mut out: Vec<Ranked> = Vec::with_capacity(sheets.len());
    for (i, sheet) in sheets.into_iter().enumerate() {
        let rank = match out.last() {
            Some(prev) if prev.sheet.total == sheet.total => prev.rank,
            _ => i + 1,
        };
        out.push(Ranked { rank, sheet });
    }
    out
}
