//! A remapped case (重新归属的案件): held compactly — the new grid, the component's fate and
//! the flags as indices and bits, 16 bytes a case — and read back as a [`CaseMapping`] whose
//! text borrows from the layers. Three million cases take 48 MB, not one and a half GB of
//! owned strings.

use std::borrow::Cow;

use chrono::NaiveDate;
use serde::Serialize;

use super::{FastMap, Method, Review};
use crate::model::{BoundLayer, FieldReader};

/// A set of [`Review`] flags.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Reviews(u8);

impl Reviews {
    /// No flag.
    pub const NONE: Reviews = Reviews(0);

    fn bit(r: Review) -> u8 {
        1 << (r as u8)
    }

    /// Adds a flag.
    pub fn insert(&mut self, r: Review) {
        self.0 |= Self::bit(r);
    }

    /// Whether it holds `r`.
    pub fn contains(self, r: Review) -> bool {
        self.0 & Self::bit(r) != 0
    }

    /// No flag set.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Number of flags set.
    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// The flags, in [`Review`] order.
    ///
    /// ```
    /// use gridkeeper::remap::{Review, Reviews};
    /// let mut r = Reviews::NONE;
    /// r.insert(Review::Redispatch);
    /// r.insert(Review::OutsideCoverage);
    /// assert_eq!(r.iter().collect::<Vec<_>>(), [Review::OutsideCoverage, Review::Redispatch]);
    /// ```
    pub fn iter(self) -> impl Iterator<Item = Review> {
        Review::ALL.into_iter().filter(move |r| self.contains(*r))
    }
}

impl Serialize for Reviews {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// One case, remapped: its own fields as filed and what the remapping decided, borrowed
/// from the layers (see [`Remap::get`](super::Remap::get)).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseMapping<'a> {
    /// Index in the cases layer.
    pub case: usize,
    /// 案件编号 (`#i` when the file has none).
    pub id: Cow<'a, str>,
    /// 上报时间 (date part).
    pub date: Option<NaiveDate>,
    /// Kind (部件/事件) as filed.
    pub kind: Option<&'a str>,
    /// Major class as filed.
    pub major: Option<&'a str>,
    /// Minor class as filed.
    pub minor: Option<&'a str>,
    /// Status as filed.
    pub status: Option<&'a str>,
    /// 问题描述 — what was reported, if the file says.
    pub description: Option<&'a str>,
    /// Whether it is still open (its status is not a closed one).
    pub open: bool,
    /// Old grid, community, street as filed.
    pub old: [Option<&'a str>; 3],
    /// New grid, community, street.
    pub new: [Option<&'a str>; 3],
    /// How the new grid was decided.
    pub method: Method,
    /// Review flags.
    pub review: Reviews,
    /// The component it concerns: old code, new code.
    pub component: Option<(&'a str, Option<&'a str>)>,
    /// The component's owner: old, new (when it changed).
    pub owner: Option<(Option<&'a str>, Option<&'a str>)>,
    /// It involves a changed street, community or grid.
    pub involved: bool,
}

/// What the remapping decided for a case, without its text: to choose cases by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// How the new grid was decided.
    pub method: Method,
    /// Review flags.
    pub review: Reviews,
    /// Still open.
    pub open: bool,
    /// It involves a changed street, community or grid.
    pub involved: bool,
}

/// "No index" in a [`Record`].
pub(super) const NONE: u32 = u32::MAX;

/// What the remapping decided for one case, by index.
#[derive(Debug, Clone, Copy)]
pub(super) struct Record {
    /// The new grid (feature index), or [`NONE`].
    pub new_grid: u32,
    /// The component's fate (index into the fates), or [`NONE`].
    pub fate: u32,
    pub date: Option<NaiveDate>,
    pub method: Method,
    pub review: Reviews,
    pub open: bool,
    pub involved: bool,
}

impl Record {
    pub fn summary(&self) -> Summary {
        Summary {
            method: self.method,
            review: self.review,
            open: self.open,
            involved: self.involved,
        }
    }
}

/// What became of a component, by its old code.
#[derive(Debug, Clone)]
pub(super) struct Fate<'a> {
    pub new_code: Option<&'a str>,
    pub removed: bool,
    pub owner_changed: bool,
    pub owner_old: Option<&'a str>,
    pub owner_new: Option<&'a str>,
}

/// The case fields a mapping reads, each column looked up once.
#[derive(Debug, Clone, Copy)]
pub(super) struct CaseFields<'a> {
    pub id: FieldReader<'a>,
    pub community: FieldReader<'a>,
    pub component: FieldReader<'a>,
    pub description: FieldReader<'a>,
    pub grid: FieldReader<'a>,
    pub kind: FieldReader<'a>,
    pub major: FieldReader<'a>,
    pub minor: FieldReader<'a>,
    pub status: FieldReader<'a>,
    pub street: FieldReader<'a>,
    pub time: FieldReader<'a>,
}

/// Each new grid's code, community and street; the community and street fall back on the
/// code's 12- and 9-digit prefixes when the layer leaves them out.
pub(super) fn grid_triples(grids: &BoundLayer) -> Vec<[Option<&str>; 3]> {
    let (code, community, street) = (
        grids.field("code"),
        grids.field("community"),
        grids.field("street"),
    );
    (0..grids.len())
        .map(|k| {
            let code = code.text(k);
            let community = community.text(k).or_else(|| code.and_then(|c| c.get(..12)));
            let street = street
                .text(k)
                .or_else(|| community.and_then(|c| c.get(..9)));
            [code, community, street]
        })
        .collect()
}

/// Everything a [`CaseMapping`] is read from.
#[derive(Debug, Clone)]
pub(super) struct Sources<'a> {
    pub cases: CaseFields<'a>,
    /// Each new grid's code, community and street.
    pub grids: Vec<[Option<&'a str>; 3]>,
    /// Each old grid's code, community and street, and the old grids by code.
    pub old_grids: Vec<[Option<&'a str>; 3]>,
    pub old_codes: FastMap<&'a str, usize>,
    pub fates: Vec<Fate<'a>>,
}

impl<'a> Sources<'a> {
    /// Case `i`'s id: its id field, else `#i`.
    pub fn id(&self, i: usize) -> Cow<'a, str> {
        match self.cases.id.get(i) {
            Some(id) if !id.trim().is_empty() => Cow::Borrowed(id),
            _ => Cow::Owned(format!("#{i}")),
        }
    }

    /// The old grid, community and street the case was filed under. A case file without the
    /// community or street (only the grid, as many systems export) takes them from the filed
    /// grid: its fields last year, else its code's prefixes.
    pub fn old(&self, i: usize) -> [Option<&'a str>; 3] {
        let grid = self.cases.grid.text(i);
        let filed = || {
            let g = grid?;
            match self.old_codes.get(g) {
                Some(&k) => Some(self.old_grids[k]),
                None => Some([Some(g), g.get(..12), g.get(..9)]),
            }
        };
        let community = self.cases.community.text(i);
        let street = self.cases.street.text(i);
        match (community, street) {
            (Some(_), Some(_)) => [grid, community, street],
            _ => {
                let f = filed().unwrap_or([None; 3]);
                [grid, community.or(f[1]), street.or(f[2])]
            }
        }
    }

    /// Case `i` read back with its record.
    pub fn mapping(&self, i: usize, r: &Record) -> CaseMapping<'a> {
        let c = &self.cases;
        let fate = (r.fate != NONE).then(|| &self.fates[r.fate as usize]);
        let component = c.component.text(i).map(|code| {
            let new_code = fate.map_or(Some(code), |f| f.new_code);
            (code, new_code)
        });
        let owner = fate
            .filter(|f| f.owner_changed)
            .map(|f| (f.owner_old, f.owner_new));
        CaseMapping {
            case: i,
            id: self.id(i),
            date: r.date,
            kind: c.kind.text(i),
            major: c.major.text(i),
            minor: c.minor.text(i),
            status: c.status.text(i),
            description: c.description.text(i),
            open: r.open,
            old: self.old(i),
            new: self
                .grids
                .get(r.new_grid as usize)
                .copied()
                .unwrap_or([None; 3]),
            method: r.method,
            review: r.review,
            component,
            owner,
            involved: r.involved,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_is_sixteen_bytes() {
        assert_eq!(std::mem::size_of::<Record>(), 16);
    }

    #[test]
    fn reviews_hold_each_flag_once_in_order() {
        let mut r = Reviews::NONE;
        assert!(r.is_empty());
        for f in [Review::Redispatch, Review::UnknownGrid, Review::Redispatch] {
            r.insert(f);
        }
        assert_eq!(r.len(), 2);
        assert!(r.contains(Review::UnknownGrid) && !r.contains(Review::ComponentRemoved));
        assert_eq!(
            serde_json::to_string(&r).expect("json"),
            r#"["unknown-grid","redispatch"]"#
        );
    }
}
