//! The demo district's duty layers (责任网格): law-enforcement and sanitation grids in both
//! versions — validated clean, diffed into exactly the truth's differences, and the plan's
//! workload section naming the team the hand-over of unit grids gains.

use std::collections::BTreeMap;

use gridkeeper::demo::{self, Demo, DemoOptions, DemoPaths, DutyFacts};
use gridkeeper::diff::{self, ChangeSet};
use gridkeeper::{validate, LayerKind};

use common::{load, plan_of};

mod common;

const DUTY: [&str; 2] = ["enforcement_grids", "sanitation_grids"];

fn written(seed: u64, grids: usize, defects: bool) -> (Demo, tempfile::TempDir, DemoPaths) {
    let demo = demo::generate(&DemoOptions {
        seed,
        grids,
        components: 5_000,
        defects,
        ..Default::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let paths = demo::write(&demo, dir.path()).unwrap();
    (demo, dir, paths)
}

fn facts<'a>(demo: &'a Demo, layer: &str) -> &'a DutyFacts {
    demo.truth
        .duty
        .iter()
        .find(|d| d.layer == layer)
        .unwrap_or_else(|| panic!("no {layer} in the truth"))
}

/// A layer diff's changed groups as (relation, old codes, new codes), sorted.
fn changed(cs: &ChangeSet, kind: LayerKind) -> Vec<(String, Vec<String>, Vec<String>)> {
    let d = cs
        .layer(kind)
        .unwrap_or_else(|| panic!("{kind} not diffed"));
    let mut out: Vec<_> = d
        .changed()
        .map(|g| {
            let codes = |idx: &[usize], codes: &[String]| -> Vec<String> {
                let mut v: Vec<String> = idx.iter().map(|&i| codes[i].clone()).collect();
                v.sort();
                v
            };
            (
                g.relation.id().to_string(),
                codes(&g.old, &d.old_codes),
                codes(&g.new, &d.new_codes),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn the_duty_layers_validate_clean_in_both_versions() {
    for seed in [1, 2026] {
        let (demo, _dir, paths) = written(seed, 400, true);
        for dir in [&paths.old, &paths.new, &paths.geojson_new] {
            let (ds, profile) = load(dir);
            let kinds: Vec<&str> = ds.layers.keys().map(|k| k.name()).collect();
            assert_eq!(
                kinds,
                [
                    "streets",
                    "communities",
                    "grids",
                    "enforcement_grids",
                    "sanitation_grids",
                    "components",
                    "pois"
                ]
                .into_iter()
                .chain(if dir == &paths.old {
                    Some("cases")
                } else {
                    None
                })
                .collect::<Vec<_>>(),
            );
            let found = validate::run(&ds, &profile, &validate::Options::default());
            let duty: Vec<_> = found
                .iter()
                .filter(|f| DUTY.contains(&f.layer.as_str()) || f.rule.id() == "DUTY-GRID-SPLIT")
                .collect();
            assert!(duty.is_empty(), "seed {seed} {}: {duty:#?}", dir.display());
            // The duty grids hold every unit grid and carry their team, staff and contact.
            for name in DUTY {
                let kind = profile.kind(name).unwrap();
                let l = ds.layer(kind).unwrap();
                let f = facts(&demo, name);
                let want = if dir == &paths.old { f.old } else { f.new };
                assert_eq!(l.len(), want, "seed {seed} {name}");
                for i in 0..l.len() {
                    for field in [
                        "code", "name", "street", "team", "staff", "contact", "start",
                    ] {
                        assert!(
                            l.get(i, field).is_some_and(|v| !v.is_empty()),
                            "{name} {i} {field}"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn the_seeds_town_scales_with_the_district() {
    // About five unit grids to an enforcement grid and twenty to a sanitation grid, so the
    // default district's streets have about 36 and 9 (the seed's town: 41 and 9).
    let demo = demo::generate(&DemoOptions::default());
    let streets = demo.truth.new.counts.streets;
    let (e, s) = (facts(&demo, DUTY[0]), facts(&demo, DUTY[1]));
    assert_eq!((streets, e.old, s.old), (5, 181, 46));
    assert_eq!((e.teams, s.teams), (62, 24));
    let staff = |l: &gridkeeper::io::Layer| l.columns[4].get(0).unwrap().to_string();
    assert_eq!(staff(&demo.new.enforcement).split('、').count(), 2);
    assert_eq!(staff(&demo.new.sanitation).split('、').count(), 1);
}

#[test]
fn diff_finds_exactly_the_truths_duty_differences() {
    for seed in [1, 2026] {
        let (demo, _dir, paths) = written(seed, 400, true);
        let ((old, _), (new, profile)) = (load(&paths.old), load(&paths.new));
        let cs = diff::run(&old, &new, &profile, &profile.thresholds).unwrap();
        for name in DUTY {
            let f = facts(&demo, name);
            let mut want: Vec<_> = f
                .changes
                .iter()
                .map(|d| (d.relation.id().to_string(), d.old.clone(), d.new.clone()))
                .collect();
            want.sort();
            assert_eq!(
                changed(&cs, profile.kind(name).unwrap()),
                want,
                "seed {seed} {name}"
            );
            // One split, one merge, one hand-over in each layer.
            let count = |r: &str| want.iter().filter(|w| w.0 == r).count();
            assert_eq!(
                (count("split"), count("merged")),
                (1, 1),
                "seed {seed} {name}"
            );
            let moved = f.moved.as_ref().expect("a hand-over");
            assert_ne!(moved.from_team, moved.to_team);
            let pair = {
                let mut p = vec![moved.from.clone(), moved.to.clone()];
                p.sort();
                p
            };
            assert!(want.contains(&("reshaped".into(), pair.clone(), pair)));
        }
    }
}

#[test]
fn the_plan_names_the_team_the_hand_over_gains() {
    let (demo, _dir, paths) = written(2026, 400, true);
    let ((old, _), (new, profile)) = (load(&paths.old), load(&paths.new));
    let cs = diff::run(&old, &new, &profile, &profile.thresholds).unwrap();
    let (remapped, plan) = plan_of(&old, &new, &profile, &cs);
    let layers: Vec<&str> = plan.workload.iter().map(|w| w.layer.name()).collect();
    assert_eq!(layers, DUTY);
    for (w, name) in plan.workload.iter().zip(DUTY) {
        let f = facts(&demo, name);
        // Every team's unit grids as the generator counted them.
        let changed: BTreeMap<&str, (usize, usize)> = f
            .teams_changed
            .iter()
            .map(|t| (t.team.as_str(), (t.old, t.new)))
            .collect();
        assert_eq!(w.teams.len(), f.teams);
        for row in &w.teams {
            let (b, a) = (row.before.unwrap(), row.after.unwrap());
            match changed.get(row.key.as_str()) {
                Some(&want) => assert_eq!((b.grids, a.grids), want, "{}", row.key),
                None => assert_eq!(b.grids, a.grids, "{}", row.key),
            }
        }
    }
    let e = facts(&demo, DUTY[0]);
    let moved = e.moved.as_ref().unwrap();
    assert_eq!(
        (
            moved.from_team.as_str(),
            moved.to_team.as_str(),
            moved.grids.len()
        ),
        ("梅岭街道执法三中队", "梅岭街道执法四中队", 2)
    );
    let md = gridkeeper::report::markdown::plan(
        &plan,
        &remapped,
        &cs,
        &profile.thresholds,
        gridkeeper::Lang::Zh,
    );
    let line = md.lines().find(|l| l.starts_with("执法网格共")).unwrap();
    assert_eq!(
        line,
        "执法网格共 32 个责任单位；年均案件按 4 个自然年计；198 件案件改变责任网格。\
         增加最多：梅岭街道执法四中队（单元网格 +2，年均案件 +10.25）。\
         减少最多：梅岭街道执法三中队（单元网格 -2，年均案件 -10.25）。"
    );
}
