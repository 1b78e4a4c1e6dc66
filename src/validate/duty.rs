//! Duty layers (责任网格) over the unit grids: each unit grid lies in exactly one duty grid
//! of each duty layer; one that several share is reported with the shares it is split by.
//! (Coverage, nesting in the parent layer, codes and fields are the common rules'.)

use rayon::prelude::*;

use super::coverage::Coverage;
use super::nesting::place;
use crate::finding::{Finding, Rule};
use crate::i18n::Msg;
use crate::schema::Thresholds;

/// `DUTY-GRID-SPLIT`: unit grids (`grids`) that more than one duty grid of `duty` holds a
/// part of larger than `nesting_tolerance_m2`. Parts in the duty layer's gaps are its
/// `COVER-GAP`s, not a split.
pub(crate) fn split_grids(grids: &Coverage, duty: &Coverage, t: &Thresholds) -> Vec<Finding> {
    let found: Vec<Option<Finding>> = (0..grids.geometries.len())
        .into_par_iter()
        .map(|i| {
            let p = place(grids, duty, i)?;
            let parts: Vec<(String, f64)> = p
                .shares
                .iter()
                .filter(|&&(_, s)| s * p.area > t.nesting_tolerance_m2)
                .map(|&(j, s)| (duty.keys[j].clone(), s))
                .collect();
            if parts.len() < 2 {
                return None;
            }
            Some(
                Finding::new(
                    Rule::DutyGridSplit,
                    grids.name,
                    Msg::DutyGridSplit {
                        duty: duty.name.to_string(),
                        shares: parts,
                    },
                )
                .at(i, grids.keys[i].clone())
                .measured(p.outside),
            )
        })
        .collect();
    found.into_iter().flatten().collect()
}
