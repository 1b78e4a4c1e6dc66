//! Section 1, 基本情况: grids and areas per street and community, components per class and
//! owner, old and new.

use std::collections::{BTreeMap, HashMap};

use foldhash::fast::FixedState;

use serde::Serialize;

use super::unit_names;
use crate::diff::ChangeSet;
use crate::model::{BoundLayer, Dataset, FieldReader, LayerKind};

/// Grids and area of one street or community (or the whole district), old and new.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AreaRow {
    /// The code (empty for the total).
    pub code: String,
    /// The name (the new one, else the old one).
    pub name: String,
    /// Grids last year.
    pub old_grids: usize,
    /// Their area (m²).
    pub old_area: f64,
    /// Grids this year.
    pub new_grids: usize,
    /// Their area (m²).
    pub new_area: f64,
}

/// A count old and new (components of a class or an owner).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CountRow {
    /// The class code or the owner.
    pub key: String,
    /// The class name (empty for owners).
    pub name: String,
    /// Last year.
    pub old: usize,
    /// This year.
    pub new: usize,
}

/// Section 1.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Basics {
    /// Per street (街道/镇), in code order.
    pub streets: Vec<AreaRow>,
    /// Per community (社区/村), in code order.
    pub communities: Vec<AreaRow>,
    /// The district.
    pub total: AreaRow,
    /// Components per class (大类+小类), in code order.
    pub classes: Vec<CountRow>,
    /// Components per owner (权属单位), most first.
    pub owners: Vec<CountRow>,
    /// Components in all, old and new.
    pub components: (usize, usize),
}

/// The community and street a grid belongs to: its fields, else its code's prefixes.
fn parents(layer: &BoundLayer, i: usize, code: &str) -> (String, String) {
    let field = |f: &str| layer.get(i, f).map(str::trim).filter(|v| !v.is_empty());
    let community = field("community")
        .or_else(|| code.get(..12))
        .unwrap_or("")
        .to_string();
    let street = field("street")
        .or_else(|| community.get(..9))
        .unwrap_or("")
        .to_string();
    (community, street)
}

pub(super) fn build(old: &Dataset, new: &Dataset, cs: &ChangeSet) -> Basics {
    let mut streets: BTreeMap<String, AreaRow> = BTreeMap::new();
    let mut communities: BTreeMap<String, AreaRow> = BTreeMap::new();
    let mut total = AreaRow::default();
    if let (Some(d), Some(og), Some(ng)) = (
        cs.layer(LayerKind::Grids),
        old.layer(LayerKind::Grids),
        new.layer(LayerKind::Grids),
    ) {
        for (side, layer, codes, areas) in [
            (0, og, &d.old_codes, &d.lineage.old_area),
            (1, ng, &d.new_codes, &d.lineage.new_area),
        ] {
            for (i, code) in codes.iter().enumerate() {
                if areas[i] <= 0.0 {
                    continue; // retired or left out
                }
                let (c, s) = parents(layer, i, code);
                for row in [
                    communities.entry(c.clone()).or_default(),
                    streets.entry(s.clone()).or_default(),
                    &mut total,
                ] {
                    if side == 0 {
                        row.old_grids += 1;
                        row.old_area += areas[i];
                    } else {
                        row.new_grids += 1;
                        row.new_area += areas[i];
                    }
                }
            }
        }
    }
    let (street_names, community_names) = (
        unit_names(old, new, LayerKind::Streets),
        unit_names(old, new, LayerKind::Communities),
    );
    let finish = |m: BTreeMap<String, AreaRow>, names: &BTreeMap<String, String>| -> Vec<AreaRow> {
        m.into_iter()
            .map(|(code, mut r)| {
                r.name = names.get(&code).cloned().unwrap_or_default();
                r.code = code;
                r
            })
            .collect()
    };
    // Counted by the text in the layers, named once per key.
    let mut classes: HashMap<&str, CountRow, FixedState> = HashMap::default();
    let mut owners: HashMap<&str, CountRow, FixedState> = HashMap::default();
    let mut components = (0, 0);
    fn text<'a>(f: &FieldReader<'a>, i: usize) -> &'a str {
        f.get(i).map(str::trim).unwrap_or("")
    }
    for (side, d) in [(0, old), (1, new)] {
        let Some(l) = d.layer(LayerKind::Components) else {
            continue;
        };
        let (class_of, owner_of, name_of) = (l.field("class"), l.field("owner"), l.field("name"));
        // Void (作废) and retired components are no longer there, as in `diff`.
        let retired = crate::diff::retired(l, d.manifest.effective);
        for i in (0..l.len()).filter(|&i| !retired[i]) {
            let (class, owner) = (text(&class_of, i), text(&owner_of, i));
            let c = classes.entry(class).or_insert_with(|| CountRow {
                key: class.to_string(),
                ..CountRow::default()
            });
            if c.name.is_empty() {
                c.name = text(&name_of, i).to_string();
            }
            let o = owners.entry(owner).or_insert_with(|| CountRow {
                key: owner.to_string(),
                ..CountRow::default()
            });
            if side == 0 {
                c.old += 1;
                o.old += 1;
                components.0 += 1;
            } else {
                c.new += 1;
                o.new += 1;
                components.1 += 1;
            }
        }
    }
    let mut classes: Vec<CountRow> = classes.into_values().collect();
    classes.sort_by(|a, b| a.key.cmp(&b.key));
    let mut owners: Vec<CountRow> = owners.into_values().collect();
    owners.sort_by(|a, b| {
        (b.new + b.old)
            .cmp(&(a.new + a.old))
            .then(a.key.cmp(&b.key))
    });
    Basics {
        streets: finish(streets, &street_names),
        communities: finish(communities, &community_names),
        total,
        classes,
        owners,
        components,
    }
}
