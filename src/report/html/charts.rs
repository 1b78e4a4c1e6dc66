//! Headline numbers (要点) and charts (统计图).

use std::fmt::Write as _;

use super::esc;
use super::svg::{bars, Series};
use crate::diff::ChangeSet;
use crate::i18n::html::HtmlText as H;
use crate::i18n::Lang;
use crate::plan::{Plan, Town};

/// Headline cards: `(key, number, label)` each.
pub fn cards(items: &[(&str, String, &str)], lang: Lang) -> String {
    let mut s = format!(
        r#"<section class="cards" aria-label="{}">"#,
        esc(H::Headline.get(lang))
    );
    for (key, n, text) in items {
        let _ = write!(
            s,
            r#"<div class="card" data-key="{key}"><b>{}</b><span>{}</span></div>"#,
            esc(n),
            esc(text)
        );
    }
    s.push_str("</section>\n");
    s
}

/// The plan's headline cards.
pub fn headline(plan: &Plan, cs: &ChangeSet, lang: Lang) -> String {
    let i = &plan.impact;
    let items = [
        ("grid-changes", plan.changes.grids.len(), H::GridChanges),
        (
            "component-changes",
            cs.components.len(),
            H::ComponentChanges,
        ),
        ("cases", i.total, H::Cases),
        ("involved", i.involved, H::Involved),
        ("review", plan.disposal.review_cases, H::ForReview),
        ("redispatch", i.redispatch, H::Redispatch),
    ]
    .map(|(k, n, t)| (k, n.to_string(), t.get(lang)));
    cards(&items, lang)
}

fn label(code: &str, name: &str) -> String {
    if name.is_empty() {
        code.to_string()
    } else {
        name.to_string()
    }
}

/// A chart of one value before and after for each item (nothing when there are no items).
fn before_after<T>(
    id: &str,
    title: H,
    items: &[T],
    name: impl Fn(&T) -> String,
    value: impl Fn(&T) -> (f64, f64),
    lang: Lang,
) -> String {
    if items.is_empty() {
        return String::new();
    }
    let series = |text: H, class: &str, pick: fn((f64, f64)) -> f64| Series {
        name: text.get(lang).to_string(),
        class: class.to_string(),
        values: items.iter().map(|i| pick(value(i))).collect(),
    };
    bars(
        id,
        title.get(lang),
        &items.iter().map(name).collect::<Vec<_>>(),
        &[
            series(H::Before, "before", |v| v.0),
            series(H::After, "after", |v| v.1),
        ],
    )
}

/// Grid area before and after, per street.
pub fn area(plan: &Plan, lang: Lang) -> String {
    before_after(
        "chart-area",
        H::ChartArea,
        &plan.basics.streets,
        |r| label(&r.code, &r.name),
        |r| (r.old_area.round(), r.new_area.round()),
        lang,
    )
}

/// Historical cases per town, before and after the update (what each gains or loses).
pub fn town_cases(plan: &Plan, lang: Lang) -> String {
    before_after(
        "chart-town-cases",
        H::ChartMoving,
        &plan.impact.towns,
        |t| label(&t.code, &t.name),
        |t| (t.cases_old as f64, t.cases_new as f64),
        lang,
    )
}

/// Involved cases per month.
pub fn months(plan: &Plan, lang: Lang) -> String {
    let m = &plan.impact.by_month;
    if m.is_empty() {
        return String::new();
    }
    bars(
        "chart-months",
        H::ChartMonths.get(lang),
        &m.keys().cloned().collect::<Vec<_>>(),
        &[Series {
            name: H::Involved.get(lang).to_string(),
            class: "cases".to_string(),
            values: m.values().map(|&n| n as f64).collect(),
        }],
    )
}

/// The case quota base before and after, per town (to one decimal), where it was computed.
pub fn quota(plan: &Plan, lang: Lang) -> String {
    let towns: Vec<&Town> = plan
        .impact
        .towns
        .iter()
        .filter(|t| t.quota_old.is_some() || t.quota_new.is_some())
        .collect();
    let tenth = |v: Option<f64>| (v.unwrap_or(0.0) * 10.0).round() / 10.0;
    before_after(
        "chart-quota",
        H::ChartQuota,
        &towns,
        |t| label(&t.code, &t.name),
        |t| (tenth(t.quota_old), tenth(t.quota_new)),
        lang,
    )
}
