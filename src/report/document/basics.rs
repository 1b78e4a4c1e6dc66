//! Section 1 of the plan, 基本情况: grids and areas per street and community, components
//! per class and owner.

use super::{a, signed, Ctx, Doc, Figure};
use crate::i18n::plan::{PlanSay, PlanText as T};
use crate::i18n::Lang;
use crate::plan::AreaRow;

fn area_row(r: &AreaRow) -> Vec<String> {
    vec![
        r.code.clone(),
        r.name.clone(),
        r.old_grids.to_string(),
        a(r.old_area),
        r.new_grids.to_string(),
        a(r.new_area),
        signed(r.new_area - r.old_area),
    ]
}

fn area_rows(rows: &[AreaRow]) -> Vec<Vec<String>> {
    rows.iter().map(area_row).collect()
}

fn total_row(total: &AreaRow, lang: Lang) -> Vec<String> {
    let mut row = area_row(total);
    row[0] = T::Total.get(lang).to_string();
    row[1] = String::new();
    row
}

/// Section 1, 基本情况: grids and areas per street and community, components per class and owner.
pub(super) fn section(d: &mut Doc, c: &Ctx) {
    let (plan, lang) = (c.plan, c.lang);
    d.section(T::S1.get(lang));
    let area_head = [
        T::StreetCode,
        T::Name,
        T::OldGrids,
        T::OldArea,
        T::NewGrids,
        T::NewArea,
        T::Delta,
    ]
    .map(|x| x.get(lang));
    d.sub(T::GridsByStreet.get(lang));
    d.table_with_foot(
        &area_head,
        area_rows(&plan.basics.streets),
        vec![total_row(&plan.basics.total, lang)],
    );
    d.figure(Figure::AreaChart);
    d.sub(T::GridsByCommunity.get(lang));
    let mut community_head = area_head;
    community_head[0] = T::CommunityCode.get(lang);
    d.table(&community_head, area_rows(&plan.basics.communities));
    d.sub(T::ComponentsByClass.get(lang));
    let (co, cn) = plan.basics.components;
    d.para(PlanSay::ComponentTotals { old: co, new: cn }.render(lang));
    let count_rows = |rows: &[crate::plan::CountRow], with_name: bool| -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| {
                let mut v = vec![r.key.clone()];
                if with_name {
                    v.push(r.name.clone());
                }
                v.extend([
                    r.old.to_string(),
                    r.new.to_string(),
                    format!("{:+}", r.new as i64 - r.old as i64),
                ]);
                v
            })
            .collect()
    };
    d.table(
        &[T::ClassCode, T::Name, T::Before, T::After, T::Delta].map(|x| x.get(lang)),
        count_rows(&plan.basics.classes, true),
    );
    d.sub(T::ComponentsByOwner.get(lang));
    d.table(
        &[T::Owner, T::Before, T::After, T::Delta].map(|x| x.get(lang)),
        count_rows(&plan.basics.owners, false),
    );
}
