//! The scoring rules file (`schemas/scoring.toml`, or a city's own through `--rules`).

use std::collections::BTreeSet;
use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Expected, Problem, Result};
use crate::finding::{Finding, Rule, Severity};

/// The most points one item may give: with at most [`MAX_ITEMS`] items, a town's total
/// stays far inside a `u32`.
pub const MAX_ITEM_POINTS: u32 = 1_000;

/// The most items a scoring rules file may hold.
pub const MAX_ITEMS: usize = 64;

/// The built-in rules' text.
pub const BUILTIN: &str = include_str!("../../schemas/scoring.toml");

/// What a rule's findings cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// The item scores 0.
    Zero,
    /// At most the lowest tier above 0.
    CapLowest,
    /// `tiers` tiers down.
    Down,
    /// `tiers` tiers down per family among the findings.
    DownPerFamily,
}

impl Action {
    /// The id used in the rules file.
    pub fn id(self) -> &'static str {
        match self {
            Action::Zero => "zero",
            Action::CapLowest => "cap-lowest",
            Action::Down => "down",
            Action::DownPerFamily => "down-per-family",
        }
    }

    const ALL: [Action; 4] = [
        Action::Zero,
        Action::CapLowest,
        Action::Down,
        Action::DownPerFamily,
    ];
}

/// Which findings a rule selects.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Selector {
    /// Rule ids (empty: any).
    pub rules: Vec<String>,
    /// Rule families (empty: any).
    pub families: Vec<String>,
    /// Finding layers (empty: any).
    pub layers: Vec<String>,
    /// The least severity selected.
    pub severity: Severity,
}

impl Selector {
    /// Whether `f` is selected.
    pub fn selects(&self, f: &Finding) -> bool {
        (self.rules.is_empty() || self.rules.iter().any(|r| r == f.rule.id()))
            && (self.families.is_empty() || self.families.iter().any(|x| x == f.rule.family()))
            && (self.layers.is_empty() || self.layers.contains(&f.layer))
            && f.severity <= self.severity
    }
}

/// One rule of an item.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ScoreRule {
    /// Which findings.
    pub when: Selector,
    /// What they cost.
    pub then: Action,
    /// Tiers for `down` and `down-per-family`.
    pub tiers: u32,
}

/// One scored item.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Item {
    /// Its id (`geo`, `grids`, `components`).
    pub id: String,
    /// Its Chinese name.
    pub name: String,
    /// Its English name.
    pub name_en: String,
    /// The tiers' points, best first.
    pub points: Vec<u32>,
    /// Its rules, in order.
    pub rules: Vec<ScoreRule>,
}

impl Item {
    /// Full marks.
    pub fn max(&self) -> u32 {
        self.points.first().copied().unwrap_or(0)
    }
}

/// A whole rules file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ScoringRules {
    /// Where it came from: `built-in`, or the file.
    pub source: String,
    /// Days a package must arrive before it takes effect.
    pub lead_days: i64,
    /// The items, in report order.
    pub items: Vec<Item>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileToml {
    lead_days: Option<i64>,
    items: Vec<ItemToml>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemToml {
    id: String,
    name: String,
    name_en: Option<String>,
    points: Vec<u32>,
    #[serde(default)]
    rules: Vec<RuleToml>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleToml {
    when: WhenToml,
    then: String,
    tiers: Option<u32>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct WhenToml {
    #[serde(default)]
    rules: Vec<String>,
    #[serde(default)]
    families: Vec<String>,
    #[serde(default)]
    layers: Vec<String>,
    severity: Option<String>,
}

impl ScoringRules {
    /// The built-in rules (`schemas/scoring.toml`).
    pub fn builtin() -> Result<ScoringRules> {
        ScoringRules::parse(BUILTIN, "built-in")
    }

    /// Rules from a file.
    pub fn load(path: &Path) -> Result<ScoringRules> {
        crate::io::atomic::note_input(path);
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        ScoringRules::parse(&text, &path.display().to_string())
    }

    /// Rules from the text of a rules file; `source` names it in errors and reports.
    pub fn parse(text: &str, source: &str) -> Result<ScoringRules> {
        let err = |problem| Error::Manifest {
            path: source.into(),
            problem,
        };
        let bad = |key: String, value: String, expected: Expected| {
            err(Problem::BadValue {
                key,
                value,
                expected,
            })
        };
        let raw: FileToml = toml::from_str(text).map_err(|e| {
            err(Problem::Toml {
                message: e.to_string(),
            })
        })?;
        let families: BTreeSet<&str> = Rule::ALL.iter().map(|r| r.family()).collect();
        let lead_days = raw.lead_days.unwrap_or(crate::check::LEAD_DAYS);
        if lead_days < 0 {
            return Err(bad(
                "lead_days".into(),
                lead_days.to_string(),
                Expected::Count,
            ));
        }
        if raw.items.len() > MAX_ITEMS {
            return Err(bad(
                "items".into(),
                raw.items.len().to_string(),
                Expected::Between {
                    min: 0,
                    max: MAX_ITEMS,
                },
            ));
        }
        let mut items = Vec::new();
        for (i, it) in raw.items.into_iter().enumerate() {
            let at = format!("items[{i}]");
            // Best first, down to 0: `zero` is the last tier, `cap-lowest` the one before it.
            let decreasing = it.points.windows(2).all(|w| w[0] > w[1]);
            if it.points.len() < 2 || !decreasing || it.points.last() != Some(&0) {
                let text: Vec<String> = it.points.iter().map(u32::to_string).collect();
                return Err(bad(
                    format!("{at}.points"),
                    format!("[{}]", text.join(", ")),
                    Expected::OneOf(vec!["[2, 1, 0]".into(), "[3, 2, 1, 0]".into()]),
                ));
            }
            // The totals add the items up: bounded, they cannot overflow.
            if it.points[0] > MAX_ITEM_POINTS {
                return Err(bad(
                    format!("{at}.points"),
                    it.points[0].to_string(),
                    Expected::Between {
                        min: 1,
                        max: MAX_ITEM_POINTS as usize,
                    },
                ));
            }
            let mut rules = Vec::new();
            for (k, r) in it.rules.into_iter().enumerate() {
                let at = format!("{at}.rules[{k}]");
                for id in &r.when.rules {
                    if Rule::from_id(id).is_none() {
                        return Err(bad(
                            format!("{at}.when.rules"),
                            id.clone(),
                            Expected::OneOf(vec!["docs/rules.md".into()]),
                        ));
                    }
                }
                for f in &r.when.families {
                    if !families.contains(f.as_str()) {
                        return Err(bad(
                            format!("{at}.when.families"),
                            f.clone(),
                            Expected::OneOf(families.iter().map(|s| s.to_string()).collect()),
                        ));
                    }
                }
                let severity = match r.when.severity.as_deref() {
                    None | Some("info") => Severity::Info,
                    Some("warning") => Severity::Warning,
                    Some("error") => Severity::Error,
                    Some(other) => {
                        return Err(bad(
                            format!("{at}.when.severity"),
                            other.to_string(),
                            Expected::OneOf(vec!["error".into(), "warning".into(), "info".into()]),
                        ))
                    }
                };
                let then = Action::ALL
                    .into_iter()
                    .find(|a| a.id() == r.then)
                    .ok_or_else(|| {
                        bad(
                            format!("{at}.then"),
                            r.then.clone(),
                            Expected::OneOf(Action::ALL.iter().map(|a| a.id().into()).collect()),
                        )
                    })?;
                rules.push(ScoreRule {
                    when: Selector {
                        rules: r.when.rules,
                        families: r.when.families,
                        layers: r.when.layers,
                        severity,
                    },
                    then,
                    tiers: r.tiers.unwrap_or(1),
                });
            }
            items.push(Item {
                name_en: it.name_en.unwrap_or_else(|| it.id.clone()),
                id: it.id,
                name: it.name,
                points: it.points,
                rules,
            });
        }
        Ok(ScoringRules {
            source: source.to_string(),
            lead_days,
            items,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_rules_parse() {
        let r = ScoringRules::builtin().expect("built-in");
        assert_eq!(r.lead_days, 21);
        let ids: Vec<&str> = r.items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["geo", "grids", "components"]);
        let max: Vec<u32> = r.items.iter().map(Item::max).collect();
        assert_eq!(max, [2, 2, 3]);
    }

    #[test]
    fn bad_rules_are_named() {
        for (text, key) in [
            ("[[items]]\nid='a'\nname='甲'\npoints=[1,2]\n", "items[0].points"),
            ("[[items]]\nid='a'\nname='甲'\npoints=[3,2,1]\n", "items[0].points"),
            (
                "[[items]]\nid='a'\nname='甲'\npoints=[4294967295,0]\n[[items]]\nid='b'\nname='乙'\npoints=[4294967295,0]\n",
                "items[0].points",
            ),
            ("[[items]]\nid='a'\nname='甲'\npoints=[1001,0]\n", "items[0].points"),
            (
                "[[items]]\nid='a'\nname='甲'\npoints=[1,0]\n".repeat(65).as_str(),
                "items",
            ),
            (
                "[[items]]\nid='a'\nname='甲'\npoints=[2,0]\n[[items.rules]]\nwhen={rules=['NOPE']}\nthen='zero'\n",
                "items[0].rules[0].when.rules",
            ),
            (
                "[[items]]\nid='a'\nname='甲'\npoints=[2,0]\n[[items.rules]]\nwhen={families=['x']}\nthen='zero'\n",
                "items[0].rules[0].when.families",
            ),
            (
                "[[items]]\nid='a'\nname='甲'\npoints=[2,0]\n[[items.rules]]\nwhen={}\nthen='halve'\n",
                "items[0].rules[0].then",
            ),
        ] {
            match ScoringRules::parse(text, "x.toml") {
                Err(Error::Manifest {
                    problem: Problem::BadValue { key: k, .. },
                    ..
                }) => assert_eq!(k, key),
                other => panic!("{key}: {other:?}"),
            }
        }
    }
}
