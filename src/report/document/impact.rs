//! Section 3 of the plan, 历史案件影响分析: which cases the change touches, where, when,
//! of what class, and what it does to each town's baseline and quota base.

use super::{a, relation_name, Ctx, Doc, Figure};
use crate::i18n::plan::{PlanSay, PlanText as T};

/// Section 3, 历史案件影响分析: involved cases per grid, town, time and class; towns' baselines and quota bases.
pub(super) fn section(d: &mut Doc, c: &Ctx) {
    let (plan, lang) = (c.plan, c.lang);
    let i = &plan.impact;
    d.section(T::S3.get(lang));
    d.para(
        PlanSay::ImpactHeadline {
            total: i.total,
            involved: i.involved,
            open: i.open_involved,
            responsible: i.responsible_changed,
            redispatch: i.redispatch,
        }
        .render(lang),
    );
    d.sub(T::CasesByGrid.get(lang));
    let rows: Vec<Vec<String>> = i
        .by_grid
        .iter()
        .map(|g| {
            vec![
                g.code.clone(),
                relation_name(g.relation, lang).to_string(),
                g.new_codes.join("，"),
                g.cases.to_string(),
                g.open.to_string(),
            ]
        })
        .collect();
    d.table(
        &[T::OldGrid, T::Relation, T::Successors, T::Cases, T::Open].map(|x| x.get(lang)),
        rows,
    );
    d.sub(T::CasesMoving.get(lang));
    let rows: Vec<Vec<String>> = i
        .by_street
        .iter()
        .chain(&i.by_community)
        .map(|u| {
            vec![
                u.code.clone(),
                u.name.clone(),
                u.lost.to_string(),
                u.gained.to_string(),
                u.open_moving.to_string(),
            ]
        })
        .collect();
    d.table(
        &[T::StreetCode, T::Name, T::Lost, T::Gained, T::OpenMoving].map(|x| x.get(lang)),
        rows,
    );
    d.sub(T::CasesByTime.get(lang));
    let rows: Vec<Vec<String>> = i
        .by_year
        .iter()
        .map(|(y, n)| vec![y.to_string(), n.to_string()])
        .collect();
    d.table(&[T::Year, T::Cases].map(|x| x.get(lang)), rows);
    let rows: Vec<Vec<String>> = i
        .by_month
        .iter()
        .map(|(m, n)| vec![m.clone(), n.to_string()])
        .collect();
    d.table(&[T::Month, T::Cases].map(|x| x.get(lang)), rows);
    d.figure(Figure::MonthChart);
    d.sub(T::CasesByClass.get(lang));
    let rows: Vec<Vec<String>> = i
        .by_class
        .iter()
        .map(|(c, n)| vec![c.clone(), n.to_string()])
        .collect();
    d.table(&[T::CaseClass, T::Cases].map(|x| x.get(lang)), rows);
    d.sub(T::Towns.get(lang));
    if let Some((from, to)) = i.window {
        d.para(
            PlanSay::Window {
                from: from.to_string(),
                to: to.to_string(),
                total: i.window_total,
            }
            .render(lang),
        );
    }
    let with_pop = i.towns.iter().any(|t| t.quota_old.is_some());
    d.para(
        if with_pop {
            PlanSay::QuotaRule
        } else {
            PlanSay::NoPopulation
        }
        .render(lang),
    );
    let opt = |v: Option<f64>| v.map(|x| format!("{x:.2}")).unwrap_or_default();
    let rows: Vec<Vec<String>> = i
        .towns
        .iter()
        .map(|t| {
            vec![
                t.code.clone(),
                t.name.clone(),
                t.cases_old.to_string(),
                t.cases_new.to_string(),
                t.window_old.to_string(),
                t.window_new.to_string(),
                format!("{:+}", t.window_new as i64 - t.window_old as i64),
                a(t.area_old),
                a(t.area_new),
                t.population.map(|p| format!("{p:.0}")).unwrap_or_default(),
                opt(t.quota_old),
                opt(t.quota_new),
            ]
        })
        .collect();
    d.table(
        &[
            T::StreetCode,
            T::Name,
            T::CasesBefore,
            T::CasesAfter,
            T::BaselineBefore,
            T::BaselineAfter,
            T::Delta,
            T::OldArea,
            T::NewArea,
            T::Population,
            T::QuotaBefore,
            T::QuotaAfter,
        ]
        .map(|x| x.get(lang)),
        rows,
    );
    d.figure(Figure::TownCasesChart);
    if with_pop {
        d.figure(Figure::QuotaChart);
    }
}
