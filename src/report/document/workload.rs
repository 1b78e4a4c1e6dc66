//! Section 6 of the plan, 责任网格工作量: per duty grid and per team, the workload before
//! and after, the teams that gain or lose most named first.

use super::{a, group_rows, signed, Ctx, Doc};
use crate::i18n::plan::{PlanSay, PlanText as T};
use crate::i18n::Lang;
use crate::plan::{Load, LoadRow, Workload};

/// Section 6, 责任网格工作量: the workload of each duty layer, when both versions have one.
pub(super) fn section(d: &mut Doc, c: &Ctx) {
    let (plan, remap, lang) = (c.plan, c.remap, c.lang);
    if !plan.workload.is_empty() {
        d.section(T::S6.get(lang));
        for w in &plan.workload {
            let term = lang.pick(w.layer.chinese(), w.layer.english());
            d.sub(term);
            d.para(workload_say(w, lang).render(lang));
            let sub = |t: T| format!("{term}{}{}", lang.pick("", ": "), t.get(lang));
            d.sub(&sub(T::DutyChanges));
            if w.changes.is_empty() {
                d.para(T::None.get(lang).to_string());
            } else {
                let group_head =
                    [T::Relation, T::OldCodes, T::NewCodes, T::Notes].map(|x| x.get(lang));
                d.table(&group_head, group_rows(&w.changes, lang));
            }
            d.sub(&sub(T::PerTeam));
            d.table(&load_head(false, lang), load_rows(&w.teams, false, lang));
            d.sub(&sub(T::PerDutyGrid));
            d.table(&load_head(true, lang), load_rows(&w.grids, true, lang));
            if !w.moving.is_empty() {
                d.sub(&sub(T::CasesChangingDuty));
                let rows = w
                    .moving
                    .iter()
                    .filter_map(|m| {
                        let c = remap.get(m.case)?;
                        Some(vec![
                            c.id.to_string(),
                            c.old[0].unwrap_or_default().to_string(),
                            m.old.0.clone().unwrap_or_default(),
                            m.old.1.clone().unwrap_or_default(),
                            c.new[0].unwrap_or_default().to_string(),
                            m.new.0.clone().unwrap_or_default(),
                            m.new.1.clone().unwrap_or_default(),
                        ])
                    })
                    .collect();
                d.table(
                    &[
                        T::CaseId,
                        T::OldGrid,
                        T::OldDutyGrid,
                        T::OldTeam,
                        T::NewGrid,
                        T::NewDutyGrid,
                        T::NewTeam,
                    ]
                    .map(|x| x.get(lang)),
                    rows,
                );
            }
        }
    }
}

/// Whether a row's load grows (1), shrinks (-1) or stays (0): by cases per year, then unit
/// grids, then area.
pub fn load_direction(r: &LoadRow) -> i32 {
    let d = r.delta();
    let sign = |v: f64| {
        if v > 1e-9 {
            1
        } else if v < -1e-9 {
            -1
        } else {
            0
        }
    };
    match (
        sign(d.per_year),
        r.grids_delta().signum() as i32,
        sign(d.area),
    ) {
        (0, 0, a) => a,
        (0, g, _) => g,
        (p, _, _) => p,
    }
}

/// The sentence of a duty layer's workload: teams that gain and lose most.
pub fn workload_say(w: &Workload, lang: Lang) -> PlanSay {
    let pick = |dir: i32| {
        w.teams
            .iter()
            .find(|r| load_direction(r) == dir)
            .map(|r| (team_name(&r.key, lang), r.grids_delta(), r.delta().per_year))
    };
    PlanSay::Workload {
        layer: lang.pick(w.layer.chinese(), w.layer.english()).to_string(),
        years: w.years,
        teams: w.teams.len(),
        gainer: pick(1),
        loser: pick(-1),
        moving: w.moving.len(),
    }
}

fn team_name(team: &str, lang: Lang) -> String {
    if team.is_empty() {
        T::NoTeam.get(lang).to_string()
    } else {
        team.to_string()
    }
}

/// The column heads of a workload table: per duty grid (`grids`) or per team.
pub fn load_head(grids: bool, lang: Lang) -> Vec<&'static str> {
    let mut head = if grids {
        vec![T::DutyGrid, T::Team]
    } else {
        vec![T::Team]
    };
    head.extend([
        T::OldArea,
        T::NewArea,
        T::GridsBefore,
        T::GridsAfter,
        T::ComponentsBefore,
        T::ComponentsAfter,
        T::PerYearBefore,
        T::PerYearAfter,
        T::PerYearDelta,
    ]);
    head.iter().map(|t| t.get(lang)).collect()
}

/// The rows of a workload table, as [`load_head`] heads them.
pub fn load_rows(rows: &[LoadRow], grids: bool, lang: Lang) -> Vec<Vec<String>> {
    let opt = |v: Option<Load>, f: &dyn Fn(Load) -> String| v.map(f).unwrap_or_else(|| "-".into());
    rows.iter()
        .map(|r| {
            let mut v = if grids {
                vec![r.key.clone(), team_name(&r.team, lang)]
            } else {
                vec![team_name(&r.key, lang)]
            };
            v.extend([
                opt(r.before, &|l| a(l.area)),
                opt(r.after, &|l| a(l.area)),
                opt(r.before, &|l| l.grids.to_string()),
                opt(r.after, &|l| l.grids.to_string()),
                opt(r.before, &|l| l.components.to_string()),
                opt(r.after, &|l| l.components.to_string()),
                opt(r.before, &|l| format!("{:.2}", l.per_year)),
                opt(r.after, &|l| format!("{:.2}", l.per_year)),
                signed(r.delta().per_year),
            ]);
            v
        })
        .collect()
}
