//! Section 2 of the plan, 数据变更情况: the change set, grouped by relation.

use super::{change_name, group_rows, relation_name, Ctx, Doc, Figure};
use crate::i18n::plan::PlanText as T;
use crate::i18n::Lang;
use crate::plan::GroupChange;

/// Section 2, 数据变更情况: every change of the change set, grouped by relation.
pub(super) fn section(d: &mut Doc, c: &Ctx) {
    let (plan, cs, lang) = (c.plan, c.cs, c.lang);
    d.section(T::S2.get(lang));
    d.sub(T::GridChanges.get(lang));
    let counts: Vec<String> = plan
        .changes
        .grid_counts
        .iter()
        .map(|(r, n)| format!("{} {n}", relation_name(*r, lang)))
        .collect();
    d.para(counts.join(" · "));
    let group_head = [T::Relation, T::OldCodes, T::NewCodes, T::Notes].map(|x| x.get(lang));
    if plan.changes.grids.is_empty() {
        d.para(T::None.get(lang).to_string());
    } else {
        d.table(&group_head, group_rows(&plan.changes.grids, lang));
        d.figure(Figure::StreetMaps);
    }
    d.sub(T::AdminChanges.get(lang));
    let admin: Vec<GroupChange> = plan
        .changes
        .streets
        .iter()
        .chain(&plan.changes.communities)
        .cloned()
        .collect();
    if admin.is_empty() {
        d.para(T::None.get(lang).to_string());
    } else {
        d.table(&group_head, group_rows(&admin, lang));
    }
    d.sub(T::ComponentChanges.get(lang));
    let counts: Vec<String> = plan
        .changes
        .component_counts
        .iter()
        .map(|(c, n)| format!("{} {n}", change_name(*c, lang)))
        .collect();
    if counts.is_empty() {
        d.para(T::None.get(lang).to_string());
    } else {
        d.para(counts.join(" · "));
        let rows: Vec<Vec<String>> = cs
            .components
            .iter()
            .map(|c| {
                vec![
                    change_name(c.change, lang).to_string(),
                    c.old_code.clone().unwrap_or_default(),
                    c.new_code.clone().unwrap_or_default(),
                    c.old_value.clone().unwrap_or_default(),
                    c.new_value.clone().unwrap_or_default(),
                    c.distance.map(|d| format!("{d:.2}")).unwrap_or_default(),
                ]
            })
            .collect();
        d.table(&component_head(lang), rows);
    }
    // What the comparison could not use or found suspicious: an invalid grid left out is
    // missing from every table above, so the plan names it.
    if !cs.findings.is_empty() {
        d.sub(T::DiffNotes.get(lang));
        let rows: Vec<Vec<String>> = cs
            .findings
            .iter()
            .map(|f| {
                vec![
                    f.rule.id().to_string(),
                    f.layer.clone(),
                    f.key.clone(),
                    f.text(lang),
                ]
            })
            .collect();
        d.table(
            &[T::Rule, T::Layer, T::Feature, T::Notes].map(|x| x.get(lang)),
            rows,
        );
    }
}

/// The column heads of the component changes (部件变更), in the document and the workbook.
pub fn component_head(lang: Lang) -> [&'static str; 6] {
    [
        T::Change,
        T::OldCode,
        T::NewCode,
        T::OldValue,
        T::NewValue,
        T::Distance,
    ]
    .map(|t| t.get(lang))
}
