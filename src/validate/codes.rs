//! Codes (编码): segment structure, region and parent prefixes, class part and class table,
//! primary-key uniqueness, and references between layers (grid → community → street).

use std::collections::{HashMap, HashSet};

use foldhash::fast::FixedState;

use crate::finding::{Finding, Rule};
use crate::i18n::Msg;
use crate::model::{BoundLayer, Dataset, LayerKind};
use crate::schema::code::{CodeLayout, FormatFault, Target};
use crate::schema::{LayerSchema, Profile};

/// Maps and sets keyed by codes: foldhash with a fixed seed (the keys come from the user's
/// own files, and no output depends on iteration order).
type FastMap<K, V> = HashMap<K, V, FixedState>;
type FastSet<K> = HashSet<K, FixedState>;

pub(super) fn check(ds: &Dataset, profile: &Profile, out: &mut Vec<Finding>) {
    for (kind, bound) in &ds.layers {
        let Some(schema) = profile.layer(*kind) else {
            continue;
        };
        // The three families side by side; their findings in this order.
        let (mut structure, mut key, mut foreign) = (Vec::new(), Vec::new(), Vec::new());
        rayon::join(
            || {
                if let Some(layout) = &schema.code {
                    check_structure(ds, profile, bound, layout, &mut structure);
                }
            },
            || {
                rayon::join(
                    || check_primary_key(bound, schema, &mut key),
                    || check_foreign_keys(ds, bound, schema, &mut foreign),
                )
            },
        );
        out.append(&mut structure);
        out.append(&mut key);
        out.append(&mut foreign);
    }
}

fn check_structure(
    ds: &Dataset,
    profile: &Profile,
    bound: &BoundLayer,
    layout: &CodeLayout,
    out: &mut Vec<Finding>,
) {
    let layer = bound.kind.name();
    let region = ds.manifest.region.as_deref();
    for lk in &layout.lookups {
        if profile
            .tables
            .get(&lk.table)
            .is_some_and(|t| t.rows.is_empty())
        {
            out.push(Finding::new(
                Rule::ClassTableEmpty,
                layer,
                Msg::ClassTableEmpty {
                    table: lk.table.clone(),
                },
            ));
        }
    }
    let Some(col) = bound.fields.column(&layout.field) else {
        return;
    };
    // The fields the code's parts are compared with, looked up once.
    let targets: Vec<_> = layout
        .equals
        .iter()
        .map(|eq| match &eq.target {
            Target::Field(f) => Some(bound.field(f)),
            Target::Region => None,
        })
        .collect();
    for i in 0..bound.len() {
        let Some(code) = bound.layer.value(i, col).filter(|c| !c.trim().is_empty()) else {
            continue; // ATTR-REQUIRED
        };
        let finding = |rule, msg| {
            Finding::new(rule, layer, msg)
                .at(i, bound.key(i))
                .field(&layout.field)
        };
        match layout.check(code) {
            Err(FormatFault::Length { found, expected }) => {
                out.push(finding(
                    Rule::CodeFormat,
                    Msg::CodeLength {
                        value: code.to_string(),
                        found,
                        expected,
                    },
                ));
                continue;
            }
            Err(FormatFault::Character { found, at }) => {
                out.push(finding(
                    Rule::CodeFormat,
                    Msg::CodeCharacter {
                        value: code.to_string(),
                        character: found.to_string(),
                        at,
                    },
                ));
                continue;
            }
            Err(FormatFault::Segment {
                name,
                text,
                pattern,
            }) => {
                out.push(finding(
                    Rule::CodeFormat,
                    Msg::CodeSegment {
                        value: code.to_string(),
                        segment: name,
                        text,
                        pattern,
                    },
                ));
                continue;
            }
            Ok(()) => {}
        }
        for (eq, target) in layout.equals.iter().zip(&targets) {
            let Some(part) = layout.part(code, &eq.range) else {
                continue;
            };
            match &eq.target {
                Target::Region => {
                    if let Some(r) = region {
                        if part != r {
                            out.push(finding(
                                eq.rule,
                                Msg::CodeRegion {
                                    value: code.to_string(),
                                    part: part.to_string(),
                                    region: r.to_string(),
                                },
                            ));
                        }
                    }
                }
                Target::Field(f) => {
                    let Some(expected) = target.as_ref().and_then(|t| t.text(i)) else {
                        continue;
                    };
                    if part != expected {
                        out.push(
                            Finding::new(
                                eq.rule,
                                layer,
                                Msg::CodeParent {
                                    value: code.to_string(),
                                    segments: eq.label.clone(),
                                    part: part.to_string(),
                                    field: f.clone(),
                                    expected: expected.to_string(),
                                },
                            )
                            .at(i, bound.key(i))
                            .field(f),
                        );
                    }
                }
            }
        }
        for lk in &layout.lookups {
            let Some(table) = profile.tables.get(&lk.table) else {
                continue;
            };
            if table.rows.is_empty() {
                continue;
            }
            if let Some(part) = layout.part(code, &lk.range) {
                if !table.rows.contains_key(part) {
                    out.push(finding(
                        Rule::ClassUnknown,
                        Msg::ClassUnknown {
                            class: part.to_string(),
                            table: lk.table.clone(),
                        },
                    ));
                }
            }
        }
    }
}

fn check_primary_key(bound: &BoundLayer, schema: &LayerSchema, out: &mut Vec<Finding>) {
    if schema.primary_key.is_empty() {
        return;
    }
    let cols: Vec<usize> = match schema
        .primary_key
        .iter()
        .map(|f| bound.fields.column(f))
        .collect::<Option<Vec<_>>>()
    {
        Some(c) => c,
        None => return,
    };
    if let [col] = cols[..] {
        // One key field (the usual case): no key vector per feature.
        let mut seen: FastMap<&str, usize> = FastMap::default();
        seen.reserve(bound.len());
        for i in 0..bound.len() {
            let Some(v) = bound.layer.value(i, col).filter(|v| !v.trim().is_empty()) else {
                continue;
            };
            match seen.entry(v) {
                std::collections::hash_map::Entry::Occupied(first) => out.push(
                    Finding::new(
                        Rule::KeyDuplicate,
                        bound.kind.name(),
                        Msg::KeyDuplicate {
                            value: v.to_string(),
                            first: *first.get(),
                        },
                    )
                    .at(i, bound.key(i))
                    .field(schema.primary_key.join("+")),
                ),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(i);
                }
            }
        }
        return;
    }
    let mut seen: FastMap<Vec<&str>, usize> = FastMap::default();
    for i in 0..bound.len() {
        let key: Option<Vec<&str>> = cols
            .iter()
            .map(|&c| bound.layer.value(i, c).filter(|v| !v.trim().is_empty()))
            .collect();
        let Some(key) = key else { continue };
        if let Some(&first) = seen.get(&key) {
            out.push(
                Finding::new(
                    Rule::KeyDuplicate,
                    bound.kind.name(),
                    Msg::KeyDuplicate {
                        value: key.join("/"),
                        first,
                    },
                )
                .at(i, bound.key(i))
                .field(schema.primary_key.join("+")),
            );
        } else {
            seen.insert(key, i);
        }
    }
}

fn check_foreign_keys(
    ds: &Dataset,
    bound: &BoundLayer,
    schema: &LayerSchema,
    out: &mut Vec<Finding>,
) {
    for fk in &schema.table.foreign_keys {
        let (from, to) = (fk.fields.to_vec(), fk.reference.fields.to_vec());
        if from.len() != 1 || to.len() != 1 {
            continue; // composite keys: none in the built-in profiles
        }
        let Some(target_kind) = LayerKind::from_name(&fk.reference.resource) else {
            continue;
        };
        let Some(target) = ds.layer(target_kind) else {
            continue; // LAYER-MISSING says it
        };
        let (Some(col), Some(tcol)) = (bound.fields.column(&from[0]), target.fields.column(&to[0]))
        else {
            continue;
        };
        let keys: FastSet<&str> = (0..target.len())
            .filter_map(|j| target.layer.value(j, tcol))
            .collect();
        for i in 0..bound.len() {
            let Some(v) = bound.layer.value(i, col).filter(|v| !v.trim().is_empty()) else {
                continue;
            };
            if !keys.contains(v) {
                out.push(
                    Finding::new(
                        Rule::KeyForeign,
                        bound.kind.name(),
                        Msg::KeyForeign {
                            value: v.to_string(),
                            layer: target_kind.name().to_string(),
                        },
                    )
                    .at(i, bound.key(i))
                    .field(&from[0]),
                );
            }
        }
    }
}
