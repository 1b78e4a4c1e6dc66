//! Duty layers (责任网格) through diff and plan: the fixture `duty-plan` moves three unit
//! grids (350582001001002, -003, -004) from enforcement grid 350582001ZF001 (第一中队) to
//! 350582001ZF002 (第二中队); the sanitation layer stays as it was.

use std::path::{Path, PathBuf};

use gridkeeper::dataset::{self, LoadOptions};
use gridkeeper::diff::{self, ChangeSet};
use gridkeeper::report::csv;
use gridkeeper::{Dataset, LayerKind};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

fn load(name: &str) -> (Dataset, gridkeeper::schema::Profile) {
    dataset::load(&fixture(name), &LoadOptions::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn change_set() -> (Dataset, Dataset, gridkeeper::schema::Profile, ChangeSet) {
    let (old, _) = load("duty-plan/old");
    let (new, profile) = load("duty-plan/new");
    let cs = diff::run(&old, &new, &profile, &profile.thresholds).expect("diff");
    (old, new, profile, cs)
}

#[test]
fn each_duty_layer_gets_its_lineage_and_crosswalk() {
    let (_, _, profile, cs) = change_set();
    let kinds: Vec<&str> = cs.layers.iter().map(|d| d.layer.name()).collect();
    assert_eq!(
        kinds,
        [
            "streets",
            "communities",
            "grids",
            "enforcement_grids",
            "sanitation_grids"
        ]
    );
    let enforcement = profile.kind("enforcement_grids").expect("declared");
    let rows = csv::crosswalk(cs.layer(enforcement).expect("diffed"));
    let rows: Vec<String> = rows.iter().map(|r| r.join(",")).collect();
    assert_eq!(
        rows,
        [
            "old_code,new_code,area_old,area_new,area_int,share_old,share_new,relation",
            "350582001ZF001,350582001ZF001,40000.000,10000.000,10000.000,0.250000,1.000000,reorganised",
            "350582001ZF001,350582001ZF002,40000.000,70000.000,30000.000,0.750000,0.428571,reorganised",
            "350582001ZF002,350582001ZF002,40000.000,70000.000,40000.000,1.000000,0.571429,reorganised",
            "350582101ZF001,350582101ZF001,80000.000,80000.000,80000.000,1.000000,1.000000,unchanged",
        ]
    );
    let sanitation = profile.kind("sanitation_grids").expect("declared");
    let counts = cs.layer(sanitation).expect("diffed").counts();
    assert_eq!(counts.len(), 1, "{counts:?}");
    assert_eq!(counts.get(&diff::Relation::Unchanged), Some(&2));
    // The unit grids themselves did not change.
    assert_eq!(
        cs.layer(LayerKind::Grids)
            .expect("grids")
            .counts()
            .get(&diff::Relation::Unchanged),
        Some(&16)
    );
}
