//! Data defects (数据缺陷) seeded into this year's version, one per rule, each on a feature
//! that no difference involves, so that `validate` finds exactly these and nothing else.

use std::collections::BTreeMap;

use super::admin::Hierarchy;
use super::classes::{self, Classes};
use super::components::{code, Components};
use super::rng::Rng;
use super::truth::Defect;
use super::versions::Grids;

/// Values that replace a feature's own: `(feature index, canonical field) → value`.
pub type Overrides = BTreeMap<(usize, &'static str), String>;

/// The seeded defects and the values that make them.
#[derive(Debug, Clone, Default)]
pub struct Seeded {
    /// As listed in `truth.json`, by layer then feature.
    pub defects: Vec<Defect>,
    /// Replacements in this year's grids.
    pub grids: Overrides,
    /// Replacements in this year's components.
    pub components: Overrides,
}

/// The end date given to the DATE-ORDER grid: before every grid's start date.
pub const EARLY_END: &str = "2017-12-31";
/// A class that is not in the class table.
pub const UNKNOWN_CLASS: &str = "0199";
/// A status that is not in the enum.
pub const BAD_STATUS: &str = "损坏";

/// Picks the features and makes the defects.
pub fn seed(
    g: &Grids,
    c: &Components,
    hy: &Hierarchy,
    classes: &Classes,
    region: &str,
    seed: u64,
) -> Seeded {
    let mut rng = Rng::stream(seed, 50);
    let mut out = Seeded::default();
    let comps = &c.new;
    let mut taken = vec![false; comps.len()];
    let eligible =
        |i: usize, taken: &[bool]| !taken[i] && !c.involved[i] && g.plain[comps[i].cell as usize];
    let pick = |rng: &mut Rng, taken: &mut [bool], want: &dyn Fn(usize) -> bool| {
        let n = comps.len();
        let start = rng.below(n);
        let found = (0..n)
            .map(|k| (start + k) % n)
            .find(|&i| eligible(i, taken) && want(i));
        if let Some(i) = found {
            taken[i] = true;
        }
        found
    };
    let code_at = |i: usize| code(region, classes, comps[i].class, comps[i].serial);
    let class_code = |i: usize| classes.list[comps[i].class as usize].code;

    // KEY-DUPLICATE: a component takes the code of the one before it (same class).
    let n = comps.len();
    let s0 = rng.below(n);
    let dup = (0..n).map(|k| (s0 + k) % n).find(|&j| {
        j > 0
            && comps[j - 1].class == comps[j].class
            && eligible(j, &taken)
            && eligible(j - 1, &taken)
    });
    if let Some(j) = dup {
        taken[j] = true;
        taken[j - 1] = true;
        let first = code_at(j - 1);
        out.components.insert((j, "code"), first.clone());
        let what = format!("code of feature {} repeated", j - 1);
        push(
            &mut out,
            "KEY-DUPLICATE",
            "components",
            first,
            j,
            "code",
            what,
        );
    }
    // CODE-CLASS: the class field says another class than the code.
    if let Some(i) = pick(&mut rng, &mut taken, &|i| {
        classes::confusable(class_code(i)).is_some()
    }) {
        let other = classes::confusable(class_code(i)).unwrap_or(UNKNOWN_CLASS);
        out.components.insert((i, "class"), other.to_string());
        let what = format!("class field {other}, code class {}", class_code(i));
        push(
            &mut out,
            "CODE-CLASS",
            "components",
            code_at(i),
            i,
            "class",
            what,
        );
    }
    // CLASS-UNKNOWN: code and class field both use a class the table lacks.
    if let Some(i) = pick(&mut rng, &mut taken, &|_| true) {
        let bad = format!("{region}{UNKNOWN_CLASS}{:06}", comps[i].serial);
        out.components.insert((i, "code"), bad.clone());
        out.components
            .insert((i, "class"), UNKNOWN_CLASS.to_string());
        let what = format!("class {UNKNOWN_CLASS} not in the class table");
        push(
            &mut out,
            "CLASS-UNKNOWN",
            "components",
            bad,
            i,
            "code",
            what,
        );
    }
    // ATTR-REQUIRED: no owner.
    if let Some(i) = pick(&mut rng, &mut taken, &|_| true) {
        out.components.insert((i, "owner"), String::new());
        push(
            &mut out,
            "ATTR-REQUIRED",
            "components",
            code_at(i),
            i,
            "owner",
            "owner empty".into(),
        );
    }
    // ATTR-ENUM: a status outside the enum.
    if let Some(i) = pick(&mut rng, &mut taken, &|_| true) {
        out.components.insert((i, "status"), BAD_STATUS.to_string());
        let what = format!("status {BAD_STATUS}");
        push(
            &mut out,
            "ATTR-ENUM",
            "components",
            code_at(i),
            i,
            "status",
            what,
        );
    }

    // Grids: two plain cells, one with a community field that is not its code's, one
    // ended before it started.
    let cells = g.new.lattice.cells();
    let start = rng.below(cells);
    let plain_grids: Vec<usize> = (0..cells)
        .map(|k| (start + k * 7919) % cells)
        .filter(|&cell| g.plain[cell])
        .filter_map(|cell| g.new.grids_at(cell).next())
        .take(2)
        .collect();
    if let Some(&k) = plain_grids.first() {
        let grid = &g.new.grids[k];
        let own = grid.community as usize;
        let street = hy.communities.get(own).map_or(usize::MAX, |c| c.street);
        let sibling = hy
            .communities
            .iter()
            .enumerate()
            .find(|(i, c)| *i != own && c.street == street)
            .map(|(_, c)| c.code.as_str());
        // The code carries the neighbouring community's part (as if copied from there);
        // the community field stays right, and so do the grid's components.
        let taken = |code: &str| {
            g.new
                .grids
                .binary_search_by(|r| r.code.as_str().cmp(code))
                .is_ok()
        };
        let seq = grid.code.get(12..).unwrap_or("001");
        let bad = sibling.and_then(|sib| {
            std::iter::once(format!("{sib}{seq}"))
                .chain((1..1000).rev().map(|n| format!("{sib}{n:03}")))
                .find(|c| !taken(c))
        });
        if let Some(bad) = bad {
            out.grids.insert((k, "code"), bad.clone());
            for (i, comp) in comps.iter().enumerate() {
                if comp.grid as usize == k {
                    out.components.insert((i, "grid"), bad.clone());
                }
            }
            let what = format!(
                "code {bad}: community part of another community (was {})",
                grid.code
            );
            push(&mut out, "CODE-PARENT", "grids", bad, k, "community", what);
        }
    }
    if let Some(&k) = plain_grids.get(1) {
        let grid = &g.new.grids[k];
        out.grids.insert((k, "end"), EARLY_END.to_string());
        let what = format!("end {EARLY_END} before start {}", grid.start);
        push(
            &mut out,
            "DATE-ORDER",
            "grids",
            grid.code.clone(),
            k,
            "end",
            what,
        );
    }
    out.defects
        .sort_by(|a, b| (&a.layer, a.feature, &a.rule).cmp(&(&b.layer, b.feature, &b.rule)));
    out
}

fn push(
    out: &mut Seeded,
    rule: &str,
    layer: &str,
    key: String,
    feature: usize,
    field: &str,
    what: String,
) {
    out.defects.push(Defect {
        rule: rule.into(),
        layer: layer.into(),
        key,
        feature,
        field: field.into(),
        what,
    });
}
