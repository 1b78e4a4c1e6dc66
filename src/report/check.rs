//! The check report of one submission (`gridkeeper check`): text, JSON, and an xlsx for the
//! center's files (sheets 概况 and 检查发现).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{json, Map, Value};

use super::text::{counts, place};
use super::xlsx::{Cell, Sheet};
use crate::check::compare::Compared;
use crate::check::submitted::SectionState;
use crate::check::CheckReport;
use crate::finding::{Finding, Severity};
use crate::i18n::center::{CheckSay, CheckText as C};
use crate::i18n::check::section_title;
use crate::i18n::{Lang, Say, Text};

fn state(s: SectionState, lang: Lang) -> &'static str {
    match s {
        SectionState::Present => C::Present.get(lang),
        SectionState::Absent => C::Absent.get(lang),
        SectionState::Empty => C::Empty.get(lang),
    }
}

fn town_line(r: &CheckReport) -> String {
    match (&r.town, &r.name) {
        (Some(t), Some(n)) => format!("{t} {n}"),
        (Some(t), None) => t.clone(),
        (None, Some(n)) => n.clone(),
        (None, None) => "-".to_string(),
    }
}

fn compared(c: Option<Compared>, lang: Lang) -> String {
    match c {
        Some(c) => CheckSay::Compared {
            submitted: c.submitted,
            derived: c.derived,
            matching: c.matching,
        }
        .render(lang),
        None => C::NotCompared.get(lang).to_string(),
    }
}

/// The summary as label–value pairs (the text header and the xlsx's first sheet).
pub fn summary(r: &CheckReport, lang: Lang) -> Vec<(String, String)> {
    let mut rows = vec![
        (C::Package.get(lang).to_string(), r.package.clone()),
        (C::Town.get(lang).to_string(), town_line(r)),
        (
            C::Dataset.get(lang).to_string(),
            format!("{} · {}", r.dataset, r.profile),
        ),
        (
            C::Plan.get(lang).to_string(),
            match &r.plan {
                Some(p) => format!("{p} ({})", r.plan_files.join(", ")),
                None => C::NoPlan.get(lang).to_string(),
            },
        ),
        (C::Received.get(lang).to_string(), r.received.to_string()),
        (
            C::Effective.get(lang).to_string(),
            r.effective
                .map(|d| d.to_string())
                .unwrap_or_else(|| "-".into()),
        ),
        (
            C::LeadDays.get(lang).to_string(),
            format!(
                "{} {}",
                CheckSay::Lead {
                    days: r.lead,
                    required: r.lead_required,
                }
                .render(lang),
                if r.lead.is_some_and(|d| d >= r.lead_required) {
                    C::OnTime.get(lang)
                } else {
                    C::Late.get(lang)
                }
            ),
        ),
    ];
    let mut prior = r.prior.clone();
    if !r.scope.is_empty() {
        let _ = write!(prior, " ({})", r.scope.join(", "));
    }
    rows.push((C::Prior.get(lang).to_string(), prior));
    rows.push((
        C::Changes.get(lang).to_string(),
        CheckSay::Changes {
            grids: r.changes.grids,
            components: r.changes.components,
            cases: r.changes.cases,
        }
        .render(lang),
    ));
    let sections = match &r.sections {
        Some((file, states)) => {
            let list: Vec<String> = states
                .iter()
                .enumerate()
                .map(|(k, s)| format!("{} {}", section_title(k as u8 + 1, lang), state(*s, lang)))
                .collect();
            format!("{file}: {}", list.join(" · "))
        }
        None => C::Absent.get(lang).to_string(),
    };
    rows.push((C::Sections.get(lang).to_string(), sections));
    rows.push((
        C::CaseCrosswalk.get(lang).to_string(),
        compared(r.cases, lang),
    ));
    rows.push((
        C::GridCrosswalk.get(lang).to_string(),
        compared(r.grids, lang),
    ));
    rows
}

/// The check report as text: the summary, the counts by rule, then the findings of each
/// rule (at most `max_per_rule`, 0 for all).
pub fn text(r: &CheckReport, lang: Lang, max_per_rule: usize) -> String {
    let mut s = String::new();
    let rows = summary(r, lang);
    let w = rows.iter().map(|(k, _)| width(k)).max().unwrap_or(0);
    for (k, v) in &rows {
        let _ = writeln!(s, "{}{}  {v}", k, " ".repeat(w - width(k)));
    }
    let _ = writeln!(s);
    s += &findings_text(&r.findings, lang, max_per_rule);
    s
}

/// Terminal columns of a text (CJK characters take two).
pub fn width(s: &str) -> usize {
    s.chars().map(|c| if c >= '\u{1100}' { 2 } else { 1 }).sum()
}

/// Findings grouped by rule, most severe first.
pub fn findings_text(findings: &[Finding], lang: Lang, max_per_rule: usize) -> String {
    let mut s = String::new();
    if findings.is_empty() {
        let _ = writeln!(s, "{}", Text::NoFindings.get(lang));
        return s;
    }
    let (e, w, i) = counts(findings);
    let _ = writeln!(
        s,
        "{}: {} {e}, {} {w}, {} {i}",
        Text::Findings.get(lang),
        Text::Errors.get(lang),
        Text::Warnings.get(lang),
        Text::Infos.get(lang)
    );
    let mut groups: BTreeMap<(Severity, &'static str), Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        groups.entry((f.severity, f.rule.id())).or_default().push(f);
    }
    let idw = groups.keys().map(|(_, id)| id.len()).max().unwrap_or(4);
    for ((sev, id), list) in &groups {
        let _ = writeln!(
            s,
            "  {id:idw$}  {:>5}  {}",
            list.len(),
            Text::severity(*sev).get(lang)
        );
    }
    for ((sev, id), list) in &groups {
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "{id} ({}, {})",
            Text::severity(*sev).get(lang),
            list.len()
        );
        let shown = if max_per_rule == 0 {
            list.len()
        } else {
            max_per_rule.min(list.len())
        };
        for f in &list[..shown] {
            let _ = writeln!(s, "  {}: {}", place(f), f.text(lang));
        }
        if shown < list.len() {
            let more = list.len() - shown;
            let _ = writeln!(s, "  {}", Say::MoreFindings { more }.render(lang));
        }
    }
    s
}

fn compared_json(c: Option<Compared>) -> Value {
    c.map_or(
        Value::Null,
        |c| json!({"submitted": c.submitted, "derived": c.derived, "matching": c.matching}),
    )
}

/// The check report as JSON.
pub fn json(r: &CheckReport, lang: Lang) -> Value {
    let (e, w, i) = counts(&r.findings);
    let mut by_rule: Map<String, Value> = Map::new();
    let mut ids: Vec<&str> = r.findings.iter().map(|f| f.rule.id()).collect();
    ids.sort_unstable();
    for id in ids {
        let n = by_rule.get(id).and_then(Value::as_u64).unwrap_or(0);
        by_rule.insert(id.to_string(), json!(n + 1));
    }
    let sections = r.sections.as_ref().map_or(Value::Null, |(file, states)| {
        json!({
            "file": file,
            "sections": states
                .iter()
                .enumerate()
                .map(|(k, st)| json!({
                    "section": k + 1,
                    "title": section_title(k as u8 + 1, lang),
                    "state": st,
                }))
                .collect::<Vec<_>>(),
        })
    });
    json!({
        "tool": "gridkeeper",
        "version": crate::VERSION,
        "command": "check",
        "package": r.package,
        "prior": r.prior,
        "scope": r.scope,
        "town": r.town,
        "name": r.name,
        "received": r.received.to_string(),
        "effective": r.effective.map(|d| d.to_string()),
        "lead_days": r.lead,
        "lead_required": r.lead_required,
        "on_time": r.lead.is_some_and(|d| d >= r.lead_required),
        "dataset": r.dataset,
        "profile": r.profile,
        "plan": r.plan,
        "plan_files": r.plan_files,
        "sections": sections,
        "changes": r.changes,
        "case_crosswalk": compared_json(r.cases),
        "grid_crosswalk": compared_json(r.grids),
        "lang": lang,
        "summary": {"errors": e, "warnings": w, "infos": i, "by_rule": by_rule},
        "findings": r.findings.iter().map(|f| super::json::finding(f, lang)).collect::<Vec<_>>(),
    })
}

fn text_cell(s: impl Into<String>) -> Cell {
    let s = s.into();
    if s.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s)
    }
}

/// The findings as a sheet.
pub fn findings_sheet(findings: &[Finding], lang: Lang) -> Sheet {
    Sheet {
        name: C::SheetFindings.get(lang).to_string(),
        head: [
            C::Rule,
            C::Severity,
            C::Family,
            C::Layer,
            C::Key,
            C::Field,
            C::Message,
        ]
        .iter()
        .map(|t| t.get(lang).to_string())
        .collect(),
        rows: findings
            .iter()
            .map(|f| {
                vec![
                    text_cell(f.rule.id()),
                    text_cell(Text::severity(f.severity).get(lang)),
                    text_cell(f.rule.family()),
                    text_cell(f.layer.clone()),
                    text_cell(f.key.clone()),
                    text_cell(f.field.clone().unwrap_or_default()),
                    text_cell(f.text(lang)),
                ]
            })
            .collect(),
    }
}

/// The sheets of the check workbook: 概况 (the summary) and 检查发现 (every finding).
pub fn sheets(r: &CheckReport, lang: Lang) -> Vec<Sheet> {
    let (e, w, i) = counts(&r.findings);
    let mut rows: Vec<Vec<Cell>> = summary(r, lang)
        .into_iter()
        .map(|(k, v)| vec![text_cell(k), text_cell(v)])
        .collect();
    for (label, n) in [(Text::Errors, e), (Text::Warnings, w), (Text::Infos, i)] {
        rows.push(vec![text_cell(label.get(lang)), Cell::Int(n as i64)]);
    }
    vec![
        Sheet {
            name: C::SheetSummary.get(lang).to_string(),
            head: vec![
                C::What.get(lang).to_string(),
                C::Value.get(lang).to_string(),
            ],
            rows,
        },
        findings_sheet(&r.findings, lang),
    ]
}
