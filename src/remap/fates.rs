//! What became of each component a case concerns (部件去向): its new code, whether it was
//! removed, and its owner when that changed — from the change set of `diff`.

use super::mapping::Fate;
use super::FastMap;
use crate::diff::{Change, ChangeSet};
use crate::model::{Dataset, LayerKind};

/// The fates of the components the change set names, and each one's index by old code.
pub(super) fn build<'a>(
    old: &'a Dataset,
    new: &'a Dataset,
    cs: &'a ChangeSet,
) -> (Vec<Fate<'a>>, FastMap<&'a str, u32>) {
    let mut fates: Vec<Fate<'a>> = Vec::new();
    let mut of_code: FastMap<&'a str, u32> = FastMap::default();
    let (Some(oc), Some(nc)) = (
        old.layer(LayerKind::Components),
        new.layer(LayerKind::Components),
    ) else {
        return (fates, of_code);
    };
    let (owner_old, owner_new) = (oc.field("owner"), nc.field("owner"));
    for c in &cs.components {
        let Some(code) = c.old_code.as_deref() else {
            continue;
        };
        let k = *of_code.entry(code).or_insert_with(|| {
            fates.push(Fate {
                new_code: Some(code),
                removed: false,
                owner_changed: false,
                owner_old: c.old.and_then(|o| owner_old.text(o)),
                owner_new: c.new.and_then(|n| owner_new.text(n)),
            });
            (fates.len() - 1) as u32
        });
        let fate = &mut fates[k as usize];
        match c.change {
            Change::Removed => {
                fate.removed = true;
                fate.new_code = None;
            }
            Change::Recoded | Change::Reclassified => fate.new_code = c.new_code.as_deref(),
            Change::OwnerChanged => fate.owner_changed = true,
            _ => {}
        }
    }
    (fates, of_code)
}
