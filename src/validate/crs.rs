//! Each layer's CRS against the manifest's.

use crate::finding::{Finding, Rule};
use crate::i18n::Msg;
use crate::io::crs::{Crs, CrsSource};
use crate::io::Format;
use crate::model::Dataset;

pub(super) fn check(ds: &Dataset, out: &mut Vec<Finding>) {
    let expected = ds
        .manifest
        .crs
        .as_deref()
        .map(|c| Crs::parse(c, CrsSource::Manifest));
    for (kind, bound) in &ds.layers {
        let layer = kind.name();
        // CSV and bare DBF files cannot state a CRS: the manifest's applies.
        if matches!(
            Format::of(&bound.layer.source),
            Some(Format::Csv) | Some(Format::Dbf)
        ) {
            continue;
        }
        match (&bound.layer.crs, &expected) {
            (None, _) => out.push(Finding::new(
                Rule::CrsMissing,
                layer,
                Msg::CrsMissing {
                    expected: expected.as_ref().map(Crs::label),
                },
            )),
            (Some(found), Some(want)) => match found.same_as(want) {
                Some(true) => {}
                Some(false) => out.push(Finding::new(
                    Rule::CrsMismatch,
                    layer,
                    Msg::CrsMismatch {
                        found: found.label(),
                        expected: want.label(),
                    },
                )),
                None => out.push(Finding::new(
                    Rule::CrsUnrecognised,
                    layer,
                    Msg::CrsUnrecognised {
                        text: found.label(),
                    },
                )),
            },
            (Some(found), None) => {
                if found.epsg.is_none() {
                    out.push(Finding::new(
                        Rule::CrsUnrecognised,
                        layer,
                        Msg::CrsUnrecognised {
                            text: found.label(),
                        },
                    ));
                }
            }
        }
    }
}
