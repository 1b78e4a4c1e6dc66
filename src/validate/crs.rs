//! Each layer's CRS against the manifest's, and the sanity of its coordinates in the CRS it
//! declares (area of use, swapped axes, Gauss-Krüger zone prefixes).

use crate::finding::{Finding, Rule};
use crate::i18n::Msg;
use crate::io::crs::sanity::{self, Hint, HintKind};
use crate::io::crs::{Area, Crs, CrsSource};
use crate::io::{Format, Layer, ReadNote};
use crate::model::Dataset;

pub(super) fn check(ds: &Dataset, out: &mut Vec<Finding>) {
    let expected = ds
        .manifest
        .crs
        .as_deref()
        .map(|c| Crs::parse(c, CrsSource::Manifest));
    for (kind, bound) in &ds.layers {
        let layer = kind.name();
        // A feature's key, made only for the first feature of a hint.
        let key = |i: usize| bound.key(i);
        // CSV and bare DBF files cannot state a CRS: the manifest's applies.
        if matches!(
            Format::of(&bound.layer.source),
            Some(Format::Csv) | Some(Format::Dbf)
        ) {
            if let Some(want) = bound.layer.crs.as_ref().or(expected.as_ref()) {
                hint_findings(&bound.layer, want, layer, &key, out);
            }
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
                None => out.push(unrecognised(found, layer)),
            },
            (Some(found), None) => {
                if found.epsg.is_none() && found.definition().is_none() {
                    out.push(unrecognised(found, layer));
                }
            }
        }
        if let Some(found) = &bound.layer.crs {
            hint_findings(&bound.layer, found, layer, &key, out);
        }
    }
}

/// The sanity hints of one file checked without a profile.
pub(super) fn check_file(layer: &Layer, name: &str, keys: &[String], out: &mut Vec<Finding>) {
    if let Some(crs) = &layer.crs {
        let key = |i: usize| keys.get(i).cloned().unwrap_or_else(|| format!("#{i}"));
        hint_findings(layer, crs, name, &key, out);
    }
}

fn unrecognised(found: &Crs, layer: &str) -> Finding {
    Finding::new(
        Rule::CrsUnrecognised,
        layer,
        Msg::CrsUnrecognised {
            text: found.label(),
        },
    )
}

/// The hints of a layer: those taken before it was reprojected (in the CRS it was read in),
/// else those of its coordinates in `crs`.
fn hint_findings(
    layer: &Layer,
    crs: &Crs,
    name: &str,
    key: &dyn Fn(usize) -> String,
    out: &mut Vec<Finding>,
) {
    let reprojected = layer.notes.iter().find_map(|n| match n {
        ReadNote::Reprojected { from, hints, .. } => Some((from.clone(), hints.clone())),
        _ => None,
    });
    let (label, hints) = match reprojected {
        Some(r) => r,
        None => (crs.code_or_label(), sanity::hints(&layer.geometries, crs)),
    };
    for h in hints {
        out.push(hint_finding(&h, &label, name, key(h.first)));
    }
}

fn hint_finding(h: &Hint, crs: &str, layer: &str, key: String) -> Finding {
    let crs = crs.to_string();
    let count = h.count;
    let (rule, msg) = match &h.kind {
        HintKind::OutOfArea { area } => (
            Rule::CrsOutOfArea,
            Msg::CrsOutOfArea {
                crs,
                count,
                area: area_text(area),
            },
        ),
        HintKind::AxesSwapped { geographic } => (
            Rule::CrsAxesSwapped,
            Msg::CrsAxesSwapped {
                crs,
                count,
                geographic: *geographic,
            },
        ),
        HintKind::ZonePrefix {
            expected,
            found,
            fits,
        } => (
            Rule::CrsZonePrefix,
            Msg::CrsZonePrefix {
                crs,
                count,
                expected: *expected,
                found: *found,
                fits: fits.map(|c| format!("EPSG:{c}")),
            },
        ),
    };
    Finding::new(rule, layer, msg)
        .at(h.first, key)
        .located(h.at)
        .measured(count as f64)
}

/// `118.0°E–122.0°E, 3.0°N–54.0°N`.
fn area_text(a: &Area) -> String {
    let lon = |v: f64| {
        if v < 0.0 {
            format!("{:.1}°W", -v)
        } else {
            format!("{v:.1}°E")
        }
    };
    let lat = |v: f64| {
        if v < 0.0 {
            format!("{:.1}°S", -v)
        } else {
            format!("{v:.1}°N")
        }
    };
    format!(
        "{}–{}, {}–{}",
        lon(a.west),
        lon(a.east),
        lat(a.south),
        lat(a.north)
    )
}
