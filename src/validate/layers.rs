//! Layers and fields present, and what the readers had to work around.

use crate::finding::{Finding, Rule};
use crate::i18n::Msg;
use crate::io::{Layer, ReadNote};
use crate::model::Dataset;
use crate::schema::Profile;

pub(super) fn check(ds: &Dataset, profile: &Profile, out: &mut Vec<Finding>) {
    for kind in &profile.required_layers {
        if ds.layer(*kind).is_none() {
            out.push(Finding::new(
                Rule::LayerMissing,
                kind.name(),
                Msg::LayerMissing {
                    layer: kind.name().to_string(),
                },
            ));
        }
    }
    for (kind, bound) in &ds.layers {
        let layer = kind.name();
        if bound.is_empty() {
            out.push(Finding::new(Rule::LayerEmpty, layer, Msg::LayerEmpty));
        }
        for note in &bound.layer.notes {
            out.push(note_finding(layer, note));
        }
        let Some(schema) = profile.layer(*kind) else {
            continue;
        };
        // An empty GeoJSON or CSV layer cannot name its fields: nothing to say about them.
        if bound.is_empty() && bound.layer.fields.is_empty() {
            continue;
        }
        for f in &schema.table.fields {
            if let Some(local) = bound.fields.unresolved.get(&f.name) {
                out.push(
                    Finding::new(
                        Rule::FieldMissing,
                        layer,
                        Msg::FieldMissing {
                            tried: vec![local.clone()],
                        },
                    )
                    .field(&f.name),
                );
            } else if f.constraints.required && bound.fields.column(&f.name).is_none() {
                let mut tried = vec![f.name.clone()];
                tried.extend(f.aliases.iter().cloned());
                out.push(
                    Finding::new(Rule::FieldMissing, layer, Msg::FieldMissing { tried })
                        .field(&f.name),
                );
            }
        }
    }
}

fn note_finding(layer: &str, note: &ReadNote) -> Finding {
    match note {
        ReadNote::EncodingGuessed { encoding } => Finding::new(
            Rule::EncodingGuessed,
            layer,
            Msg::EncodingGuessed {
                encoding: encoding.clone(),
            },
        ),
        ReadNote::ShxMissing => Finding::new(Rule::ShxMissing, layer, Msg::ShxMissing),
        ReadNote::ShxMismatch { fault } => Finding::new(
            Rule::ShxMismatch,
            layer,
            Msg::ShxMismatch {
                fault: fault.clone(),
            },
        ),
        ReadNote::DbfMissing => Finding::new(Rule::DbfMissing, layer, Msg::DbfMissing),
        ReadNote::RecordCountMismatch { shapes, records } => Finding::new(
            Rule::RecordCountMismatch,
            layer,
            Msg::RecordCountMismatch {
                shapes: *shapes,
                records: *records,
            },
        ),
        ReadNote::TrailingBytes { file, bytes } => Finding::new(
            Rule::FileTrailingBytes,
            layer,
            Msg::TrailingBytes {
                file: file.clone(),
                bytes: *bytes,
            },
        ),
        ReadNote::MultiPatch => Finding::new(Rule::MultiPatch, layer, Msg::MultiPatch),
        // Its hints are the CRS family's (`validate/crs.rs`).
        ReadNote::Reprojected { from, to, .. } => Finding::new(
            Rule::CrsReprojected,
            layer,
            Msg::CrsReprojected {
                from: from.clone(),
                to: to.clone(),
            },
        ),
    }
}

/// The id field of a single file, if it has one (`id`, `fid`, `objectid`, `code`).
pub(super) fn id_field(layer: &Layer) -> Option<usize> {
    ["id", "fid", "objectid", "code"]
        .iter()
        .find_map(|n| layer.field_index(n))
}

pub(super) fn check_file(layer: &Layer, name: &str, out: &mut Vec<Finding>) {
    if layer.is_empty() {
        out.push(Finding::new(Rule::LayerEmpty, name, Msg::LayerEmpty));
    }
    for note in &layer.notes {
        out.push(note_finding(name, note));
    }
    match &layer.crs {
        None => out.push(Finding::new(
            Rule::CrsMissing,
            name,
            Msg::CrsMissing { expected: None },
        )),
        Some(c) if c.epsg.is_none() => out.push(Finding::new(
            Rule::CrsUnrecognised,
            name,
            Msg::CrsUnrecognised { text: c.label() },
        )),
        Some(_) => {}
    }
}
