//! The blocks of a duty layer (责任网格): each street's rectangle of lattice cells cut into
//! rectangles of about so many cells, never through the cells of one unit-grid difference
//! (an atom), numbered and grouped into teams.

use super::{ENFORCEMENT, MAX_PER_STREET};
use crate::demo::admin::{self, Rect};
use crate::demo::rng::Rng;
use crate::demo::tiling::Lattice;
use crate::demo::versions::Grids;

/// A block of cells with its street, sequence and team.
#[derive(Debug, Clone, Copy)]
pub(super) struct Block {
    /// Its cells.
    pub rect: Rect,
    /// Index of its street.
    pub street: usize,
    /// Its sequence in the street (from 1).
    pub seq: usize,
    /// Its team within the street (from 0).
    pub team: usize,
}

/// Cells of the same unit-grid difference (a split run, a reshaped pair) share a root.
pub(super) fn atoms(g: &Grids) -> Vec<usize> {
    let n = g.old.cell_comm.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    let mut first = vec![usize::MAX; g.old.grids.len()];
    for cell in 0..n {
        for k in g.old.grids_at(cell) {
            if first[k] == usize::MAX {
                first[k] = cell;
            } else {
                let (a, b) = (find(&mut parent, cell), find(&mut parent, first[k]));
                parent[a.max(b)] = a.min(b);
            }
        }
    }
    (0..n).map(|c| find(&mut parent, c)).collect()
}

pub(super) fn cells_of(r: Rect, lat: &Lattice) -> impl Iterator<Item = usize> + '_ {
    (r.r0..r.r0 + r.h).flat_map(move |row| (r.c0..r.c0 + r.w).map(move |c| lat.cell(c, row)))
}

/// Whether a vertical cut before column `x` over `rows` separates cells of one atom.
pub(super) fn cuts_atom(
    atom: &[usize],
    lat: &Lattice,
    x: usize,
    rows: std::ops::Range<usize>,
) -> bool {
    x > 0
        && x < lat.w
        && rows
            .into_iter()
            .any(|r| atom[lat.cell(x - 1, r)] == atom[lat.cell(x, r)])
}

/// Whether a horizontal cut before row `y` over `cols` separates cells of one atom.
pub(super) fn cuts_atom_h(
    atom: &[usize],
    lat: &Lattice,
    y: usize,
    cols: std::ops::Range<usize>,
) -> bool {
    y > 0
        && y < lat.h
        && cols
            .into_iter()
            .any(|c| atom[lat.cell(c, y - 1)] == atom[lat.cell(c, y)])
}

/// Cuts a street's rectangle into blocks of about `cells` cells, moving (or dropping) any
/// cut between two blocks of a row that would separate the cells of one atom.
pub(super) fn blocks(
    rect: Rect,
    cells: usize,
    atom: &[usize],
    lat: &Lattice,
    rng: &mut Rng,
) -> Vec<Rect> {
    let k = ((rect.w * rect.h) as f64 / cells as f64).round() as usize;
    let mut out: Vec<Rect> = Vec::new();
    // The largest layers keep the ratio of their grids' sizes: fewer than the most per street.
    let most = MAX_PER_STREET * ENFORCEMENT.cells / cells.max(ENFORCEMENT.cells);
    for r in admin::partition(rect, k.clamp(2, most.max(2)), 2, rng) {
        let Some(left) = out.last_mut().filter(|l| l.r0 == r.r0 && l.h == r.h) else {
            out.push(r);
            continue;
        };
        let rows = r.r0..r.r0 + r.h;
        let (lo, hi) = (left.c0 + 2, r.c0 + r.w - 2);
        let cut = [0i64, -1, 1, -2, 2, -3, 3]
            .into_iter()
            .map(|d| r.c0 as i64 + d)
            .filter(|&x| x >= lo as i64 && x <= hi as i64)
            .map(|x| x as usize)
            .find(|&x| !cuts_atom(atom, lat, x, rows.clone()));
        match cut {
            Some(x) => {
                left.w = x - left.c0;
                out.push(Rect {
                    c0: x,
                    r0: r.r0,
                    w: r.c0 + r.w - x,
                    h: r.h,
                });
            }
            None => left.w += r.w,
        }
    }
    out
}

/// Numbers each street's blocks and groups them into teams of about `per_team` consecutive
/// blocks of a row of blocks (a row of three or more has two teams at least, so that the
/// row has neighbours of one team and neighbours of two).
pub(super) fn number(streets: Vec<Vec<Rect>>, per_team: usize) -> Vec<Block> {
    let mut out = Vec::new();
    for (s, rects) in streets.into_iter().enumerate() {
        let mut team = 0;
        let mut i = 0;
        while i < rects.len() {
            let row = rects[i..]
                .iter()
                .take_while(|r| r.r0 == rects[i].r0 && r.h == rects[i].h)
                .count();
            let mut teams = ((row as f64 / per_team as f64).round() as usize).clamp(1, row);
            if row >= 3 {
                teams = teams.max(2);
            }
            for (j, &rect) in rects[i..i + row].iter().enumerate() {
                out.push(Block {
                    rect,
                    street: s,
                    seq: i + j + 1,
                    team: team + j * teams / row,
                });
            }
            team += teams;
            i += row;
        }
    }
    out
}

/// A block cut in the middle across its longer side (`(west, east)` or `(north, south)`),
/// unless the cut would separate the cells of one atom.
pub(super) fn halves(r: Rect, atom: &[usize], lat: &Lattice) -> Option<(Rect, Rect)> {
    let x = r.c0 + r.w / 2;
    let y = r.r0 + r.h / 2;
    if r.w >= r.h && r.w >= 2 && !cuts_atom(atom, lat, x, r.r0..r.r0 + r.h) {
        let west = Rect { w: x - r.c0, ..r };
        let east = Rect {
            c0: x,
            w: r.c0 + r.w - x,
            ..r
        };
        Some((west, east))
    } else if r.h >= 2 && !cuts_atom_h(atom, lat, y, r.c0..r.c0 + r.w) {
        let north = Rect { h: y - r.r0, ..r };
        let south = Rect {
            r0: y,
            h: r.r0 + r.h - y,
            ..r
        };
        Some((north, south))
    } else {
        None
    }
}
