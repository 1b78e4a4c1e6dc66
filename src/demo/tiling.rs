//! The jittered lattice the unit grids (单元网格) are cut from, and exact unions of its cells.
//!
//! The district is a lattice of `w × h` cells of about 100 m × 100 m. Every lattice vertex
//! is jittered; every lattice edge carries one or two extra vertices, derived from the edge
//! alone, so the two cells on either side of an edge use exactly the same coordinates (in
//! opposite order). Rings of cells, of blocks of cells (communities 社区, streets 街道, the
//! district) and of half cells all draw on these shared vertices: the tiling has no gaps,
//! no overlaps, and shared boundaries are vertex-to-vertex identical.
//!
//! Rows run north → south, columns west → east. Rings are closed and clockwise.

use geo::{Coord, LineString, MultiPolygon, Polygon};

use super::rng::{hash, Rng};

/// Nominal cell size in metres.
pub const CELL: f64 = 100.0;
/// Largest jitter of a lattice vertex along each axis, metres.
const CORNER_JITTER: f64 = 15.0;
/// Largest sideways offset of an edge's extra vertex, metres.
const EDGE_OFFSET: f64 = 6.0;

/// Rounds to the millimetre, so that coordinates print short and compare exactly.
pub fn mm(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// The extra vertices of one lattice edge, in the edge's canonical direction
/// (west → east for horizontal edges, north → south for vertical ones).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EdgePoints {
    pts: [Coord; 2],
    len: u8,
}

impl EdgePoints {
    /// The points, in canonical order.
    pub fn points(&self) -> &[Coord] {
        &self.pts[..self.len as usize]
    }

    /// Replaces point `i` (for last year's version of a reshaped boundary).
    pub fn set(&mut self, i: usize, c: Coord) {
        if i < self.len as usize {
            self.pts[i] = c;
        }
    }
}

/// One side of a cell, as walked clockwise around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The northern side, walked west → east.
    North,
    /// The eastern side, walked north → south.
    East,
    /// The southern side, walked east → west.
    South,
    /// The western side, walked south → north.
    West,
}

impl Side {
    /// The four sides in clockwise order from the north-west corner.
    pub const ALL: [Side; 4] = [Side::North, Side::East, Side::South, Side::West];
}

/// The jittered lattice: corners and edge vertices of every cell.
#[derive(Debug, Clone)]
pub struct Lattice {
    /// Columns (west → east).
    pub w: usize,
    /// Rows (north → south).
    pub h: usize,
    /// Easting of the western border (before jitter).
    pub x0: f64,
    /// Northing of the northern border (before jitter).
    pub y0: f64,
    corners: Vec<Coord>,
    hedges: Vec<EdgePoints>,
    vedges: Vec<EdgePoints>,
}

fn jitter_edge(seed: u64, kind: u64, i: usize, j: usize, a: Coord, b: Coord) -> EdgePoints {
    let mut r = Rng::new(hash(seed, &[kind, i as u64, j as u64]));
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len = (dx * dx + dy * dy).sqrt().max(1.0);
    let (nx, ny) = (-dy / len, dx / len);
    let ts: [f64; 2] = if r.chance(0.5) {
        [r.range(0.3, 0.7), 0.0]
    } else {
        [r.range(0.2, 0.4), r.range(0.6, 0.8)]
    };
    let n = if ts[1] == 0.0 { 1 } else { 2 };
    let mut pts = [Coord { x: 0.0, y: 0.0 }; 2];
    for (k, &t) in ts.iter().take(n).enumerate() {
        let off = r.range(-EDGE_OFFSET, EDGE_OFFSET);
        pts[k] = Coord {
            x: mm(a.x + dx * t + nx * off),
            y: mm(a.y + dy * t + ny * off),
        };
    }
    EdgePoints { pts, len: n as u8 }
}

impl Lattice {
    /// A lattice of `w × h` cells whose north-west corner is near `(x0, y0)`.
    pub fn new(seed: u64, w: usize, h: usize, x0: f64, y0: f64) -> Lattice {
        let mut corners = Vec::with_capacity((w + 1) * (h + 1));
        for j in 0..=h {
            for i in 0..=w {
                let mut r = Rng::new(hash(seed, &[1, i as u64, j as u64]));
                corners.push(Coord {
                    x: mm(x0 + i as f64 * CELL + r.range(-CORNER_JITTER, CORNER_JITTER)),
                    y: mm(y0 - j as f64 * CELL + r.range(-CORNER_JITTER, CORNER_JITTER)),
                });
            }
        }
        let mut lat = Lattice {
            w,
            h,
            x0,
            y0,
            corners,
            hedges: Vec::with_capacity(w * (h + 1)),
            vedges: Vec::with_capacity((w + 1) * h),
        };
        for j in 0..=h {
            for i in 0..w {
                let (a, b) = (lat.corner(i, j), lat.corner(i + 1, j));
                lat.hedges.push(jitter_edge(seed, 2, i, j, a, b));
            }
        }
        for j in 0..h {
            for i in 0..=w {
                let (a, b) = (lat.corner(i, j), lat.corner(i, j + 1));
                lat.vedges.push(jitter_edge(seed, 3, i, j, a, b));
            }
        }
        lat
    }

    /// Number of cells.
    pub fn cells(&self) -> usize {
        self.w * self.h
    }

    /// The cell at column `c`, row `r`.
    pub fn cell(&self, c: usize, r: usize) -> usize {
        r * self.w + c
    }

    /// `(column, row)` of a cell.
    pub fn col_row(&self, cell: usize) -> (usize, usize) {
        (cell % self.w, cell / self.w)
    }

    /// The lattice vertex at column `i`, row `j` (both `0..=w`, `0..=h`).
    pub fn corner(&self, i: usize, j: usize) -> Coord {
        self.corners[j * (self.w + 1) + i]
    }

    fn vertex_id(&self, i: usize, j: usize) -> usize {
        j * (self.w + 1) + i
    }

    /// The extra vertices of the horizontal edge from vertex `(i, j)` to `(i + 1, j)`.
    pub fn hedge(&self, i: usize, j: usize) -> &EdgePoints {
        &self.hedges[j * self.w + i]
    }

    /// The extra vertices of the vertical edge from vertex `(i, j)` to `(i, j + 1)`.
    pub fn vedge(&self, i: usize, j: usize) -> &EdgePoints {
        &self.vedges[j * (self.w + 1) + i]
    }

    /// Mutable access to a vertical edge (to move one of its vertices in last year's lattice).
    pub fn vedge_mut(&mut self, i: usize, j: usize) -> &mut EdgePoints {
        let w = self.w;
        &mut self.vedges[j * (w + 1) + i]
    }

    /// The neighbour across `side`, if inside the lattice.
    pub fn neighbour(&self, cell: usize, side: Side) -> Option<usize> {
        let (c, r) = self.col_row(cell);
        match side {
            Side::North => r.checked_sub(1).map(|r| self.cell(c, r)),
            Side::South => (r + 1 < self.h).then(|| self.cell(c, r + 1)),
            Side::West => c.checked_sub(1).map(|c| self.cell(c, r)),
            Side::East => (c + 1 < self.w).then(|| self.cell(c + 1, r)),
        }
    }

    /// One side of a cell walked clockwise: start vertex id, end vertex id, and the
    /// points from the start corner up to (not including) the end corner.
    fn side(&self, cell: usize, side: Side, out: &mut Vec<Coord>) -> (usize, usize) {
        let (c, r) = self.col_row(cell);
        let (a, b) = match side {
            Side::North => ((c, r), (c + 1, r)),
            Side::East => ((c + 1, r), (c + 1, r + 1)),
            Side::South => ((c + 1, r + 1), (c, r + 1)),
            Side::West => ((c, r + 1), (c, r)),
        };
        out.push(self.corner(a.0, a.1));
        match side {
            Side::North => out.extend_from_slice(self.hedge(c, r).points()),
            Side::East => out.extend_from_slice(self.vedge(c + 1, r).points()),
            Side::South => out.extend(self.hedge(c, r + 1).points().iter().rev()),
            Side::West => out.extend(self.vedge(c, r).points().iter().rev()),
        }
        (self.vertex_id(a.0, a.1), self.vertex_id(b.0, b.1))
    }

    /// The closed clockwise ring of one cell.
    pub fn cell_ring(&self, cell: usize) -> Vec<Coord> {
        let mut ring = Vec::with_capacity(13);
        for s in Side::ALL {
            self.side(cell, s, &mut ring);
        }
        if let Some(&first) = ring.first() {
            ring.push(first);
        }
        ring
    }

    /// Bilinear interpolation between a cell's four corners (`u` west → east, `v` north → south).
    pub fn bilinear(&self, cell: usize, u: f64, v: f64) -> Coord {
        let (c, r) = self.col_row(cell);
        let (nw, ne) = (self.corner(c, r), self.corner(c + 1, r));
        let (sw, se) = (self.corner(c, r + 1), self.corner(c + 1, r + 1));
        let top = Coord {
            x: nw.x + (ne.x - nw.x) * u,
            y: nw.y + (ne.y - nw.y) * u,
        };
        let bottom = Coord {
            x: sw.x + (se.x - sw.x) * u,
            y: sw.y + (se.y - sw.y) * u,
        };
        Coord {
            x: top.x + (bottom.x - top.x) * v,
            y: top.y + (bottom.y - top.y) * v,
        }
    }

    /// The two halves of a cell cut along a polyline from an extra vertex of its northern
    /// edge, through an interior point, to an extra vertex of its southern edge: `(west,
    /// east)` closed rings that tile the cell exactly. `mid` is the interior point.
    pub fn halves(&self, cell: usize, mid: Coord) -> (Vec<Coord>, Vec<Coord>) {
        let (c, r) = self.col_row(cell);
        let top = self.hedge(c, r).points();
        let bottom = self.hedge(c, r + 1).points();
        let (kt, kb) = (0, bottom.len().saturating_sub(1).min(1));
        let (nw, ne) = (self.corner(c, r), self.corner(c + 1, r));
        let (sw, se) = (self.corner(c, r + 1), self.corner(c + 1, r + 1));
        let mut west = vec![nw];
        west.extend_from_slice(&top[..=kt]);
        west.push(mid);
        west.extend(bottom[..=kb].iter().rev());
        west.push(sw);
        west.extend(self.vedge(c, r).points().iter().rev());
        west.push(nw);
        let mut east = vec![top[kt]];
        east.extend_from_slice(&top[kt + 1..]);
        east.push(ne);
        east.extend_from_slice(self.vedge(c + 1, r).points());
        east.push(se);
        east.extend(bottom[kb..].iter().rev());
        east.push(mid);
        east.push(top[kt]);
        (west, east)
    }

    /// A point between the cut vertices of [`Lattice::halves`], moved by `(dx, dy)`.
    pub fn cut_middle(&self, cell: usize, dx: f64, dy: f64) -> Coord {
        let (c, r) = self.col_row(cell);
        let t = self.hedge(c, r).points()[0];
        let bottom = self.hedge(c, r + 1).points();
        let b = bottom[bottom.len().saturating_sub(1).min(1)];
        Coord {
            x: mm((t.x + b.x) / 2.0 + dx),
            y: mm((t.y + b.y) / 2.0 + dy),
        }
    }

    /// The boundary of the union of `cells` (membership given by `member`) as closed
    /// clockwise outer rings and counter-clockwise holes, walked along the shared vertices.
    /// Also says whether any vertex is touched twice (two cells meeting only at a corner).
    pub fn union_rings(
        &self,
        cells: &[usize],
        member: impl Fn(usize) -> bool,
    ) -> (Vec<Vec<Coord>>, bool) {
        // Every side whose far cell is outside the set is a boundary piece.
        let mut pieces: Vec<(usize, usize, Vec<Coord>)> = Vec::new();
        for &cell in cells {
            for s in Side::ALL {
                if self.neighbour(cell, s).is_some_and(&member) {
                    continue;
                }
                let mut pts = Vec::with_capacity(3);
                let (a, b) = self.side(cell, s, &mut pts);
                pieces.push((a, b, pts));
            }
        }
        pieces.sort_by_key(|p| p.0);
        let mut pinched = false;
        for w in pieces.windows(2) {
            if w[0].0 == w[1].0 {
                pinched = true;
            }
        }
        let mut used = vec![false; pieces.len()];
        let mut rings = Vec::new();
        for start in 0..pieces.len() {
            if used[start] {
                continue;
            }
            let mut ring = Vec::new();
            let mut at = start;
            loop {
                used[at] = true;
                ring.extend_from_slice(&pieces[at].2);
                let end = pieces[at].1;
                let from = pieces.partition_point(|p| p.0 < end);
                let next = (from..pieces.len())
                    .take_while(|&k| pieces[k].0 == end)
                    .find(|&k| !used[k]);
                match next {
                    Some(k) => at = k,
                    None => break,
                }
            }
            if let Some(&first) = ring.first() {
                ring.push(first);
            }
            rings.push(ring);
        }
        (rings, pinched)
    }

    /// The union of `cells` as one polygon (a multipolygon only if the set is not connected).
    pub fn union_polygon(&self, cells: &[usize], member: impl Fn(usize) -> bool) -> MultiPolygon {
        let (rings, _) = self.union_rings(cells, member);
        rings_to_polygons(rings)
    }
}

/// Twice the signed area of a closed ring (positive when counter-clockwise).
pub fn signed_area2(ring: &[Coord]) -> f64 {
    let Some(o) = ring.first() else { return 0.0 };
    let mut s = 0.0;
    for w in ring.windows(2) {
        s += (w[0].x - o.x) * (w[1].y - o.y) - (w[1].x - o.x) * (w[0].y - o.y);
    }
    s
}

/// Sorts walked rings into polygons: clockwise rings are shells, the others holes of the
/// shell that holds them.
pub fn rings_to_polygons(rings: Vec<Vec<Coord>>) -> MultiPolygon {
    let (shells, holes): (Vec<_>, Vec<_>) = rings.into_iter().partition(|r| signed_area2(r) < 0.0);
    let mut polys: Vec<(Vec<Coord>, Vec<LineString>)> =
        shells.into_iter().map(|s| (s, Vec::new())).collect();
    for hole in holes {
        let probe = hole.first().copied().unwrap_or(Coord { x: 0.0, y: 0.0 });
        let owner = polys
            .iter()
            .position(|(s, _)| point_in_ring(probe, s) || dist2_to_ring(probe, s) == 0.0);
        if let Some(k) = owner {
            polys[k].1.push(LineString(hole));
        }
    }
    MultiPolygon(
        polys
            .into_iter()
            .map(|(s, h)| Polygon::new(LineString(s), h))
            .collect(),
    )
}

/// Whether `p` is inside the closed ring (crossing number; points on the boundary may go
/// either way, which is why callers keep a margin).
pub fn point_in_ring(p: Coord, ring: &[Coord]) -> bool {
    let mut inside = false;
    for w in ring.windows(2) {
        let (a, b) = (w[0], w[1]);
        if (a.y > p.y) != (b.y > p.y) {
            let x = a.x + (p.y - a.y) * (b.x - a.x) / (b.y - a.y);
            if p.x < x {
                inside = !inside;
            }
        }
    }
    inside
}

/// Squared distance from `p` to the nearest segment of the ring.
pub fn dist2_to_ring(p: Coord, ring: &[Coord]) -> f64 {
    let mut best = f64::INFINITY;
    for w in ring.windows(2) {
        let (a, b) = (w[0], w[1]);
        let (dx, dy) = (b.x - a.x, b.y - a.y);
        let len2 = dx * dx + dy * dy;
        let t = if len2 > 0.0 {
            (((p.x - a.x) * dx + (p.y - a.y) * dy) / len2).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let (ex, ey) = (a.x + dx * t - p.x, a.y + dy * t - p.y);
        best = best.min(ex * ex + ey * ey);
    }
    best
}

#[cfg(test)]
mod tests {
    use geo::{Area, BooleanOps, Validation};

    use super::*;

    fn area(ring: &[Coord]) -> f64 {
        signed_area2(ring).abs() / 2.0
    }

    fn lattice() -> Lattice {
        Lattice::new(42, 6, 5, 350_000.0, 2_745_000.0)
    }

    #[test]
    fn neighbouring_cells_share_their_edge_vertex_for_vertex() {
        let lat = lattice();
        for cell in 0..lat.cells() {
            let ring = lat.cell_ring(cell);
            assert!(signed_area2(&ring) < 0.0, "cell {cell} is not clockwise");
            assert!(Polygon::new(LineString(ring.clone()), vec![]).is_valid());
            assert!(
                (7_000.0..13_500.0).contains(&area(&ring)),
                "{}",
                area(&ring)
            );
            for s in [Side::East, Side::South] {
                let Some(n) = lat.neighbour(cell, s) else {
                    continue;
                };
                let other = lat.cell_ring(n);
                // The shared stretch: vertices of this ring found in the neighbour's ring.
                let shared: Vec<Coord> = ring[..ring.len() - 1]
                    .iter()
                    .filter(|c| other.contains(c))
                    .copied()
                    .collect();
                // Two corners and one or two extra vertices.
                assert!((3..=4).contains(&shared.len()), "{shared:?}");
            }
        }
    }

    #[test]
    fn cells_tile_the_lattice_without_gaps_or_overlaps() {
        let lat = lattice();
        let all: Vec<usize> = (0..lat.cells()).collect();
        let union = lat.union_polygon(&all, |_| true);
        assert_eq!(union.0.len(), 1);
        assert!(union.0[0].interiors().is_empty());
        let sum: f64 = all.iter().map(|&c| area(&lat.cell_ring(c))).sum();
        let total = union.unsigned_area();
        assert!((sum - total).abs() / total < 1e-9, "{sum} vs {total}");
        // Pairwise: neighbours intersect in no area.
        for cell in 0..lat.cells() {
            let a = Polygon::new(LineString(lat.cell_ring(cell)), vec![]);
            for s in [Side::East, Side::South] {
                if let Some(n) = lat.neighbour(cell, s) {
                    let b = Polygon::new(LineString(lat.cell_ring(n)), vec![]);
                    assert!(a.intersection(&b).unsigned_area() < 1e-3);
                }
            }
        }
    }

    #[test]
    fn halves_tile_their_cell() {
        let lat = lattice();
        for cell in 0..lat.cells() {
            let mid = lat.cut_middle(cell, 2.0, -3.0);
            let (w, e) = lat.halves(cell, mid);
            let (aw, ae, a) = (area(&w), area(&e), area(&lat.cell_ring(cell)));
            assert!(((aw + ae) - a).abs() < 1e-6, "{aw}+{ae} vs {a}");
            assert!(aw > 2_000.0 && ae > 2_000.0);
            for r in [&w, &e] {
                assert!(Polygon::new(LineString(r.clone()), vec![]).is_valid());
            }
        }
    }

    #[test]
    fn unions_of_blocks_and_notched_blocks() {
        let lat = lattice();
        let block: Vec<usize> = (0..lat.cells())
            .filter(|&c| {
                let (x, y) = lat.col_row(c);
                (1..4).contains(&x) && (1..4).contains(&y)
            })
            .collect();
        let inside = |c: usize| block.contains(&c);
        let (rings, pinched) = lat.union_rings(&block, inside);
        assert_eq!(rings.len(), 1);
        assert!(!pinched);
        let sum: f64 = block.iter().map(|&c| area(&lat.cell_ring(c))).sum();
        assert!((area(&rings[0]) - sum).abs() < 1e-6);
        // Removing the centre cell leaves a hole.
        let centre = lat.cell(2, 2);
        let ring_cells: Vec<usize> = block.iter().copied().filter(|&c| c != centre).collect();
        let (rings, _) = lat.union_rings(&ring_cells, |c| ring_cells.contains(&c));
        assert_eq!(rings.len(), 2);
        let mp = rings_to_polygons(rings);
        assert_eq!(mp.0.len(), 1);
        assert_eq!(mp.0[0].interiors().len(), 1);
        // Two cells meeting at a corner are reported as pinched.
        let diag = [lat.cell(1, 1), lat.cell(2, 2)];
        let (_, pinched) = lat.union_rings(&diag, |c| diag.contains(&c));
        assert!(pinched);
    }

    #[test]
    fn point_tests() {
        let ring = vec![
            Coord { x: 0.0, y: 10.0 },
            Coord { x: 10.0, y: 10.0 },
            Coord { x: 10.0, y: 0.0 },
            Coord { x: 0.0, y: 0.0 },
            Coord { x: 0.0, y: 10.0 },
        ];
        assert!(point_in_ring(Coord { x: 5.0, y: 5.0 }, &ring));
        assert!(!point_in_ring(Coord { x: 15.0, y: 5.0 }, &ring));
        assert_eq!(dist2_to_ring(Coord { x: 5.0, y: 8.0 }, &ring), 4.0);
        assert_eq!(mm(1.23456), 1.235);
    }
}
