//! `check.html`: the center's check of one submission as a page — the summary, the headline
//! numbers, the findings per rule (a table and a chart) and every finding.

use std::collections::BTreeMap;

use super::charts::cards;
use super::render;
use super::svg::{bars, Series};
use crate::check::submitted::SectionState;
use crate::check::CheckReport;
use crate::finding::Severity;
use crate::i18n::center::CheckText as C;
use crate::i18n::html::HtmlText as H;
use crate::i18n::{Lang, Text};
use crate::report::check::summary;
use crate::report::document::{Block, Figure, Table};
use crate::report::text::{counts, place};

/// Findings per (severity, rule id), most severe first.
fn by_rule(r: &CheckReport) -> BTreeMap<(Severity, &'static str), (usize, &'static str)> {
    let mut m = BTreeMap::new();
    for f in &r.findings {
        m.entry((f.severity, f.rule.id()))
            .or_insert((0, f.rule.family()))
            .0 += 1;
    }
    m
}

fn headline(r: &CheckReport, lang: Lang) -> String {
    let (e, w, i) = counts(&r.findings);
    let mut items = vec![
        ("errors", e.to_string(), Text::Errors.get(lang)),
        ("warnings", w.to_string(), Text::Warnings.get(lang)),
        ("infos", i.to_string(), Text::Infos.get(lang)),
        (
            "lead",
            r.lead.map_or_else(|| "-".to_string(), |d| d.to_string()),
            H::LeadDays.get(lang),
        ),
    ];
    if let Some((_, states)) = &r.sections {
        let present = states
            .iter()
            .filter(|s| **s == SectionState::Present)
            .count();
        items.push((
            "sections",
            format!("{present}/5"),
            H::SectionsPresent.get(lang),
        ));
    }
    for (key, c, text) in [
        ("cases", r.cases, H::CasesMatching),
        ("grids", r.grids, H::GridsMatching),
    ] {
        if let Some(c) = c {
            items.push((key, format!("{}/{}", c.matching, c.derived), text.get(lang)));
        }
    }
    cards(&items, lang)
}

fn chart(r: &CheckReport, lang: Lang) -> String {
    let rules = by_rule(r);
    if rules.is_empty() {
        return String::new();
    }
    bars(
        "chart-findings",
        H::ChartFindings.get(lang),
        &rules
            .keys()
            .map(|(_, id)| id.to_string())
            .collect::<Vec<_>>(),
        &[Series {
            name: H::Count.get(lang).to_string(),
            class: "cases".to_string(),
            values: rules.values().map(|(n, _)| *n as f64).collect(),
        }],
    )
}

/// The check report as one self-contained page.
pub fn check(r: &CheckReport, lang: Lang) -> String {
    let town = [r.town.as_deref(), r.name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let mut blocks = vec![
        Block::Title(if town.is_empty() {
            H::CheckTitle.get(lang).to_string()
        } else {
            format!("{} — {town}", H::CheckTitle.get(lang))
        }),
        Block::Facts(summary(r, lang)),
        Block::Figure(Figure::CheckHeadline),
        Block::Heading {
            level: 2,
            id: "s1".into(),
            text: H::FindingsByRule.get(lang).to_string(),
        },
    ];
    let rules = by_rule(r);
    if rules.is_empty() {
        blocks.push(Block::Paragraph(Text::NoFindings.get(lang).to_string()));
    } else {
        blocks.push(Block::Table(Table {
            id: "t1".into(),
            head: [C::Rule, C::Severity, C::Family]
                .iter()
                .map(|t| t.get(lang).to_string())
                .chain([H::Count.get(lang).to_string()])
                .collect(),
            rows: rules
                .iter()
                .map(|((sev, id), (n, family))| {
                    vec![
                        id.to_string(),
                        Text::severity(*sev).get(lang).to_string(),
                        family.to_string(),
                        n.to_string(),
                    ]
                })
                .collect(),
            foot: Vec::new(),
        }));
        blocks.push(Block::Figure(Figure::FindingsChart));
        blocks.push(Block::Heading {
            level: 2,
            id: "s2".into(),
            text: H::AllFindings.get(lang).to_string(),
        });
        blocks.push(Block::Table(Table {
            id: "t2".into(),
            head: [C::Rule, C::Severity, C::Key, C::Message]
                .iter()
                .map(|t| t.get(lang).to_string())
                .collect(),
            rows: r
                .findings
                .iter()
                .map(|f| {
                    vec![
                        f.rule.id().to_string(),
                        Text::severity(f.severity).get(lang).to_string(),
                        place(f),
                        f.text(lang),
                    ]
                })
                .collect(),
            foot: Vec::new(),
        }));
    }
    render(
        &blocks,
        |figure| match figure {
            Figure::CheckHeadline => headline(r, lang),
            Figure::FindingsChart => chart(r, lang),
            _ => String::new(),
        },
        lang,
    )
}
