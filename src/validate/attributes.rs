//! Table Schema constraints on every value: required, type, pattern, enum, range, length,
//! unique; and start ≤ end for features with a lifespan.

use std::collections::HashMap;

use foldhash::fast::FixedState;
use rayon::prelude::*;

use crate::finding::{Finding, Rule};
use crate::i18n::Msg;
use crate::model::{BoundLayer, Dataset};
use crate::schema::table::Field;
use crate::schema::value::{self, Typed};
use crate::schema::{LayerSchema, Profile};

pub(super) fn check(ds: &Dataset, profile: &Profile, out: &mut Vec<Finding>) {
    for (kind, bound) in &ds.layers {
        if let Some(schema) = profile.layer(*kind) {
            check_layer(bound, schema, out);
        }
    }
}

fn is_missing(v: Option<&str>, schema: &LayerSchema) -> bool {
    match v {
        None => true,
        Some(t) => match &schema.table.missing_values {
            Some(list) => list.iter().any(|m| m == t),
            None => t.trim().is_empty(),
        },
    }
}

fn check_layer(bound: &BoundLayer, schema: &LayerSchema, out: &mut Vec<Finding>) {
    // Each field on its own (in parallel); the findings in field order, as one after the
    // other would give them.
    let fields: Vec<Vec<Finding>> = schema
        .table
        .fields
        .par_iter()
        .enumerate()
        .map(|(fi, field)| check_field(bound, schema, fi, field))
        .collect();
    out.extend(fields.into_iter().flatten());
    check_lifespan(bound, schema, out);
}

/// The findings of field `fi` of the schema, feature by feature.
fn check_field(bound: &BoundLayer, schema: &LayerSchema, fi: usize, field: &Field) -> Vec<Finding> {
    let mut out = Vec::new();
    let Some(col) = bound.fields.column(&field.name) else {
        return out; // reported as FIELD-MISSING when required
    };
    let (layer, pk) = (bound.kind.name(), &schema.primary_key);
    let c = &field.constraints;
    let bounds = (
        c.minimum
            .as_ref()
            .and_then(|b| value::parse_bound(b, field)),
        c.maximum
            .as_ref()
            .and_then(|b| value::parse_bound(b, field)),
    );
    let allowed: Option<Vec<String>> = c
        .allowed
        .as_ref()
        .map(|vs| vs.iter().map(value::json_text).collect());
    // A single-field primary key is checked as KEY-DUPLICATE, not ATTR-UNIQUE.
    let unique = c.unique && !(pk.len() == 1 && pk[0] == field.name);
    let mut seen: HashMap<&str, usize, FixedState> = HashMap::default();
    for i in 0..bound.len() {
        let raw = bound.layer.value(i, col);
        let finding = |rule, msg| {
            Finding::new(rule, layer, msg)
                .at(i, bound.key(i))
                .field(&field.name)
        };
        if is_missing(raw, schema) {
            if c.required {
                out.push(finding(Rule::AttrRequired, Msg::AttrRequired));
            }
            continue;
        }
        let Some(text) = raw else { continue };
        let Some(typed) = value::parse(text, field) else {
            out.push(finding(
                Rule::AttrType,
                Msg::AttrType {
                    value: text.to_string(),
                    expected: field.kind.name().to_string(),
                    format: field.format.clone(),
                },
            ));
            continue;
        };
        if let (Some(re), Some(p)) = (&schema.patterns[fi], &c.pattern) {
            if !re.is_match(text) {
                out.push(finding(
                    Rule::AttrPattern,
                    Msg::AttrPattern {
                        value: text.to_string(),
                        pattern: p.clone(),
                    },
                ));
            }
        }
        if let Some(list) = &allowed {
            if !list.iter().any(|a| a == text) {
                out.push(finding(
                    Rule::AttrEnum,
                    Msg::AttrEnum {
                        value: text.to_string(),
                        allowed: list.clone(),
                    },
                ));
            }
        }
        if out_of_range(&typed, &bounds) {
            out.push(finding(
                Rule::AttrRange,
                Msg::AttrRange {
                    value: text.to_string(),
                    minimum: c.minimum.as_ref().map(value::json_text),
                    maximum: c.maximum.as_ref().map(value::json_text),
                },
            ));
        }
        let chars = text.chars().count();
        if c.min_length.is_some_and(|m| chars < m) || c.max_length.is_some_and(|m| chars > m) {
            out.push(finding(
                Rule::AttrLength,
                Msg::AttrLength {
                    value: text.to_string(),
                    min: c.min_length,
                    max: c.max_length,
                },
            ));
        }
        if unique {
            if let Some(&first) = seen.get(text) {
                out.push(finding(
                    Rule::AttrUnique,
                    Msg::AttrUnique {
                        value: text.to_string(),
                        first: bound.key(first),
                    },
                ));
            } else {
                seen.insert(text, i);
            }
        }
    }
    out
}

fn out_of_range(v: &Typed, (min, max): &(Option<Typed>, Option<Typed>)) -> bool {
    let below = |b: &Typed| matches!(v.partial_cmp(b), Some(std::cmp::Ordering::Less));
    let above = |b: &Typed| matches!(v.partial_cmp(b), Some(std::cmp::Ordering::Greater));
    min.as_ref().is_some_and(below) || max.as_ref().is_some_and(above)
}

fn date_of(bound: &BoundLayer, i: usize, field: &Field) -> Option<Typed> {
    let text = bound.get(i, &field.name)?;
    value::parse(text, field).filter(|t| matches!(t, Typed::Date(_) | Typed::DateTime(_)))
}

fn check_lifespan(bound: &BoundLayer, schema: &LayerSchema, out: &mut Vec<Finding>) {
    let Some(span) = schema
        .table
        .spatial
        .as_ref()
        .and_then(|s| s.lifespan.as_ref())
    else {
        return;
    };
    let (Some(start_f), Some(end_f)) = (schema.field(&span.start), schema.field(&span.end)) else {
        return;
    };
    for i in 0..bound.len() {
        let (Some(s), Some(e)) = (date_of(bound, i, start_f), date_of(bound, i, end_f)) else {
            continue;
        };
        if s > e {
            out.push(
                Finding::new(
                    Rule::DateOrder,
                    bound.kind.name(),
                    Msg::DateOrder {
                        start: bound.get(i, &span.start).unwrap_or_default().to_string(),
                        end: bound.get(i, &span.end).unwrap_or_default().to_string(),
                    },
                )
                .at(i, bound.key(i))
                .field(&span.end),
            );
        }
    }
}
