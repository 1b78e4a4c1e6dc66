//! Where cases happen (案件位置): anywhere in the district, near a POI, along a main road, at
//! a component; and the grid (单元网格) each point lies in, found among the grids of a known
//! lattice cell and its eight neighbours, never by scanning all grids.

use std::fmt::Write as _;

use geo::Coord;

use super::super::rng::Rng;
use super::super::tiling::{dist2_to_ring, point_in_ring, Side, CELL};
use super::super::versions::{Version, NONE};

/// Smallest distance of a case point from a grid boundary, metres (the point lies plainly
/// inside one grid, also as written with 2 decimals).
const MARGIN: f64 = 0.05;

/// Rounds to the centimetre (the coordinates are written with 2 decimals).
pub(super) fn cm(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// Appends a value rounded to the centimetre with 2 decimals (what `{:.2}` writes, faster).
pub(super) fn centimetres(out: &mut String, v: f64) {
    let c = (v * 100.0).round() as i64;
    let sign = if c < 0 { "-" } else { "" };
    let c = c.unsigned_abs();
    let _ = write!(out, "{sign}{}.{:02}", c / 100, c % 100);
}

/// A point in the disk of radius `r` around `c`, rounded to the centimetre (rejection
/// sampling: only exactly rounded float operations, the same on every platform).
pub(super) fn near(c: Coord, r: f64, rng: &mut Rng) -> Coord {
    loop {
        let (dx, dy) = (rng.range(-r, r), rng.range(-r, r));
        if dx * dx + dy * dy <= r * r {
            return Coord {
                x: cm(c.x + dx),
                y: cm(c.y + dy),
            };
        }
    }
}

/// Places points in last year's grids.
pub(super) struct Places<'a> {
    v: &'a Version,
    /// Cells present in the version.
    present: Vec<usize>,
    /// Main roads: lattice vertex rows (horizontal roads) and columns (vertical ones).
    rows: Vec<usize>,
    cols: Vec<usize>,
}

impl Places<'_> {
    /// Places in version `v`.
    pub fn new(v: &Version) -> Places<'_> {
        let lat = &v.lattice;
        Places {
            v,
            present: (0..lat.cells())
                .filter(|&c| v.cell_comm[c] != NONE)
                .collect(),
            rows: [lat.h / 4, lat.h / 2, lat.h * 3 / 4]
                .into_iter()
                .filter(|&j| j > 0)
                .collect(),
            cols: [lat.w / 3, lat.w * 2 / 3]
                .into_iter()
                .filter(|&i| i > 0)
                .collect(),
        }
    }

    /// The grid `p` lies plainly inside (at least [`MARGIN`] from its boundary), and the
    /// lattice cell it was found in.
    pub fn locate(&self, p: Coord) -> Option<(usize, usize)> {
        let lat = &self.v.lattice;
        let c = ((p.x - lat.x0) / CELL).floor() as i64;
        let r = ((lat.y0 - p.y) / CELL).floor() as i64;
        // The cell the lattice puts it in first, then its neighbours (vertices are jittered).
        const ORDER: [(i64, i64); 9] = [
            (0, 0),
            (-1, 0),
            (1, 0),
            (0, -1),
            (0, 1),
            (-1, -1),
            (1, -1),
            (-1, 1),
            (1, 1),
        ];
        for (dc, dr) in ORDER {
            let (cc, rr) = (c + dc, r + dr);
            if cc < 0 || rr < 0 || cc >= lat.w as i64 || rr >= lat.h as i64 {
                continue;
            }
            let cell = lat.cell(cc as usize, rr as usize);
            for g in self.v.grids_at(cell) {
                let ring = &self.v.grids[g].ring;
                if point_in_ring(p, ring) {
                    return (dist2_to_ring(p, ring) >= MARGIN * MARGIN).then_some((g, cell));
                }
            }
        }
        None
    }

    /// A point anywhere in the district.
    pub fn anywhere(&self, rng: &mut Rng) -> Coord {
        let cell = self.present.get(rng.below(self.present.len())).copied();
        let (u, v) = (rng.range(0.03, 0.97), rng.range(0.03, 0.97));
        let c = self.v.lattice.bilinear(cell.unwrap_or(0), u, v);
        Coord {
            x: cm(c.x),
            y: cm(c.y),
        }
    }

    /// A point 3–15 m from a main road.
    pub fn road(&self, rng: &mut Rng) -> Coord {
        let lat = &self.v.lattice;
        let horizontal = rng.chance(0.6) || self.cols.is_empty();
        let off = rng.range(3.0, 15.0) * if rng.chance(0.5) { 1.0 } else { -1.0 };
        let t = rng.unit();
        let (a, b, dx, dy) = if horizontal {
            let j = rng.pick(&self.rows).copied().unwrap_or(0);
            let i = rng.below(lat.w);
            (lat.corner(i, j), lat.corner(i + 1, j), 0.0, off)
        } else {
            let i = rng.pick(&self.cols).copied().unwrap_or(0);
            let j = rng.below(lat.h);
            (lat.corner(i, j), lat.corner(i, j + 1), off, 0.0)
        };
        Coord {
            x: cm(a.x + (b.x - a.x) * t + dx),
            y: cm(a.y + (b.y - a.y) * t + dy),
        }
    }

    /// A grid next to `grid` (sharing `cell` or in a neighbouring cell), for a case filed
    /// under the wrong grid.
    pub fn neighbour(&self, grid: usize, cell: usize, rng: &mut Rng) -> Option<usize> {
        let lat = &self.v.lattice;
        let mut cands: Vec<usize> = Vec::with_capacity(8);
        let cells = std::iter::once(Some(cell)).chain(Side::ALL.map(|s| lat.neighbour(cell, s)));
        for c in cells.flatten() {
            for g in self.v.grids_at(c) {
                if g != grid && !cands.contains(&g) {
                    cands.push(g);
                }
            }
        }
        rng.pick(&cands).copied()
    }
}
