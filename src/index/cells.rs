//! A raster over a layer's polygons that knows where a point falls (点定位栅格).
//!
//! A cell that no edge or vertex of any polygon touches lies wholly inside or wholly
//! outside each polygon, so every point in it has the same [`Location`]; so has every
//! point of a connected region of such cells, since no boundary runs through it. Each
//! region is located once, through one point of it, the slow way (R-tree and ring tests:
//! the same [`locate`](super::locate)), and its cells keep the answer. A cell a boundary
//! touches is mixed: its points take the slow way.

use std::sync::atomic::{AtomicU32, Ordering};

use geo::{Coord, CoordsIter, Geometry, Line, LineString, Rect};
use rayon::prelude::*;

use super::Location;

/// Not located yet (while building).
const UNKNOWN: u32 = 0;
/// A boundary touches the cell.
const MIXED: u32 = 1;
/// In no polygon.
const OUTSIDE: u32 = 2;
/// `FIRST + i`: inside polygon `i`.
const FIRST: u32 = 3;

/// About this many cells per polygon (by the median envelope's area): about a sixth of the
/// cells of a 100 m grid are then crossed by its edges.
const CELLS_PER_POLYGON: f64 = 192.0;
/// At most this many cells (32 MiB).
const MAX_CELLS: f64 = (1u64 << 23) as f64;
/// However few the polygons, up to this many cells.
const FEW_CELLS: f64 = (1u64 << 16) as f64;
/// The margin, in cells, by which a boundary marks the cells next to it: far more than the
/// rounding of a coordinate's cell (checked in [`Cells::new`]).
const MARGIN: f64 = 1e-6;

/// The raster: cell `(cx, cy)` covers `x0 + [cx, cx + 1) · size`, likewise in y.
#[derive(Clone)]
pub(crate) struct Cells {
    x0: f64,
    y0: f64,
    /// 1 / cell size.
    inv: f64,
    nx: usize,
    ny: usize,
    cells: Vec<u32>,
}

impl std::fmt::Debug for Cells {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cells")
            .field("nx", &self.nx)
            .field("ny", &self.ny)
            .finish_non_exhaustive()
    }
}

/// Calls `f` with each edge of a geometry (rings and line strings; none for points).
pub(super) fn each_line(g: &Geometry, f: &mut dyn FnMut(Line)) {
    let mut string = |l: &LineString| l.lines().for_each(&mut *f);
    match g {
        Geometry::Polygon(p) => {
            string(p.exterior());
            p.interiors().iter().for_each(string);
        }
        Geometry::MultiPolygon(mp) => {
            for p in &mp.0 {
                string(p.exterior());
                p.interiors().iter().for_each(&mut string);
            }
        }
        Geometry::LineString(l) => string(l),
        Geometry::MultiLineString(ml) => ml.0.iter().for_each(string),
        Geometry::Line(l) => f(*l),
        Geometry::Rect(r) => string(r.to_polygon().exterior()),
        Geometry::Triangle(t) => string(t.to_polygon().exterior()),
        Geometry::GeometryCollection(gc) => gc.0.iter().for_each(|g| each_line(g, f)),
        Geometry::Point(_) | Geometry::MultiPoint(_) => {}
    }
}

impl Cells {
    /// A raster over `bounds` (the envelope of the indexed geometries): the cells that the
    /// geometries with `indexed(i)` touch are mixed, every other region is located by
    /// `locate`. `None` when there is nothing to gain or the coordinates are too large for
    /// the cell size to be exact.
    pub(crate) fn new(
        geometries: &[Option<Geometry>],
        bounds: Rect,
        indexed: impl Fn(usize) -> bool + Sync,
        locate: impl Fn(Coord) -> Location,
    ) -> Option<Cells> {
        if geometries.len() as u64 >= u64::from(u32::MAX - FIRST) {
            return None;
        }
        let mut areas: Vec<f64> = geometries
            .iter()
            .enumerate()
            .filter(|(i, _)| indexed(*i))
            .filter_map(|(_, g)| geo::BoundingRect::bounding_rect(g.as_ref()?))
            .map(|r| r.width() * r.height())
            .collect();
        if areas.is_empty() {
            return None;
        }
        let mid = areas.len() / 2;
        let (_, median, _) = areas.select_nth_unstable_by(mid, f64::total_cmp);
        let (w, h) = (bounds.width(), bounds.height());
        let mut size = (*median / CELLS_PER_POLYGON).sqrt();
        if !(size.is_finite() && size > 0.0 && w.is_finite() && h.is_finite()) {
            return None;
        }
        let count = |size: f64| ((w / size).floor() + 1.0) * ((h / size).floor() + 1.0);
        // No more cells than the polygons are worth (a few tiny polygons far apart must not
        // cost millions of cells), nor than MAX_CELLS.
        let most = MAX_CELLS.min((areas.len() as f64 * 4.0 * CELLS_PER_POLYGON).max(FEW_CELLS));
        if count(size) > most {
            size *= (count(size) / most).sqrt() * 1.01;
        }
        let inv = 1.0 / size;
        let (nx, ny) = ((w * inv) as usize + 1, (h * inv) as usize + 1);
        if (nx * ny) as f64 > most * 1.1 {
            return None;
        }
        // A coordinate's cell must be exact to far within the margin.
        let largest = [
            bounds.min().x,
            bounds.min().y,
            bounds.max().x,
            bounds.max().y,
        ]
        .iter()
        .fold(0.0f64, |m, v| m.max(v.abs()));
        if largest * f64::EPSILON * inv * 64.0 > MARGIN {
            return None;
        }
        let mut cells = Cells {
            x0: bounds.min().x,
            y0: bounds.min().y,
            inv,
            nx,
            ny,
            cells: Vec::new(),
        };
        // The marking's work, counted first: a coordinate that is not finite or too large,
        // or edges that cross the raster again and again (a zigzag of a million long edges),
        // leave the layer to the slow way rather than cost hours or misplace a point. A
        // tiling's edges run about twice its cells in half-cell pieces, whatever its vertices.
        let work: Option<u64> = geometries
            .par_iter()
            .enumerate()
            .filter(|(i, _)| indexed(*i))
            .filter_map(|(_, g)| g.as_ref())
            .map(|g| cells.marking_work(g))
            .try_reduce(|| 0, |a, b| Some(a + b));
        let budget = 16 * (nx * ny) as u64 + 4 * areas.len() as u64 * CELLS_PER_POLYGON as u64;
        if work.is_none_or(|w| w > budget) {
            return None;
        }
        // The geometries marked in parallel (a relaxed store of the same value: the order
        // does not matter).
        let marks: Vec<AtomicU32> = (0..nx * ny).map(|_| AtomicU32::new(UNKNOWN)).collect();
        geometries
            .par_iter()
            .enumerate()
            .filter(|(i, _)| indexed(*i))
            .for_each(|(_, g)| {
                if let Some(g) = g {
                    cells.mark(g, &marks);
                }
            });
        cells.cells = marks.into_iter().map(AtomicU32::into_inner).collect();
        cells.fill(locate);
        Some(cells)
    }

    /// Locates each connected region of unmixed cells through its first cell's centre and
    /// gives all its cells the answer (a depth-first fill over the four neighbours).
    fn fill(&mut self, locate: impl Fn(Coord) -> Location) {
        let (nx, ny) = (self.nx, self.ny);
        let mut stack: Vec<usize> = Vec::new();
        for seed in 0..self.cells.len() {
            if self.cells[seed] != UNKNOWN {
                continue;
            }
            let centre = Coord {
                x: self.x0 + ((seed % nx) as f64 + 0.5) / self.inv,
                y: self.y0 + ((seed / nx) as f64 + 0.5) / self.inv,
            };
            let value = match locate(centre) {
                Location::Inside(i) => FIRST + i as u32,
                Location::Outside => OUTSIDE,
                // No boundary runs through an unmixed cell; should one, its region is
                // left to the slow way.
                Location::OnBoundary(_) => MIXED,
            };
            self.cells[seed] = value;
            stack.push(seed);
            while let Some(c) = stack.pop() {
                let (x, y) = (c % nx, c / nx);
                let mut visit = |n: usize, cells: &mut Vec<u32>| {
                    if cells[n] == UNKNOWN {
                        cells[n] = value;
                        stack.push(n);
                    }
                };
                if x > 0 {
                    visit(c - 1, &mut self.cells);
                }
                if x + 1 < nx {
                    visit(c + 1, &mut self.cells);
                }
                if y > 0 {
                    visit(c - nx, &mut self.cells);
                }
                if y + 1 < ny {
                    visit(c + nx, &mut self.cells);
                }
            }
        }
    }

    /// The pieces beyond one an edge that [`mark`](Self::mark) will mark for `g` (the
    /// work that does not grow with the vertices but with how far the edges run across the
    /// raster); `None` when a coordinate is not finite, or so large that a point on an edge
    /// through it cannot be placed in its cell within the margin (a hole far outside its
    /// shell, whose box the raster's bounds leave out).
    fn marking_work(&self, g: &Geometry) -> Option<u64> {
        for c in g.coords_iter() {
            if !(c.x.is_finite() && c.y.is_finite())
                || c.x.abs().max(c.y.abs()) * f64::EPSILON * self.inv * 64.0 > MARGIN
            {
                return None;
            }
        }
        let mut work = 0u64;
        each_line(g, &mut |line| {
            if let Some((_, _, pieces)) = self.clipped(line.start, line.end) {
                work += pieces as u64 - 1;
            }
        });
        Some(work)
    }

    /// The part of edge `a`–`b` within the raster (grown by a cell a side) and the pieces
    /// at most half a cell long it is cut into; `None` when it misses the raster. The part
    /// is the edge itself when the edge lies inside (so its ends are exact).
    fn clipped(&self, a: Coord, b: Coord) -> Option<(Coord, Coord, usize)> {
        let size = 1.0 / self.inv;
        let (lo_x, lo_y) = (self.x0 - size, self.y0 - size);
        let (hi_x, hi_y) = (
            self.x0 + (self.nx + 1) as f64 * size,
            self.y0 + (self.ny + 1) as f64 * size,
        );
        // Liang–Barsky: the range of t in [0, 1] where a + t (b - a) is inside.
        let (dx, dy) = (b.x - a.x, b.y - a.y);
        let (mut t0, mut t1) = (0.0f64, 1.0f64);
        for (p, q) in [
            (-dx, a.x - lo_x),
            (dx, hi_x - a.x),
            (-dy, a.y - lo_y),
            (dy, hi_y - a.y),
        ] {
            if p == 0.0 {
                if q < 0.0 {
                    return None;
                }
            } else {
                let r = q / p;
                if p < 0.0 {
                    t0 = t0.max(r);
                } else {
                    t1 = t1.min(r);
                }
            }
        }
        // Also when a bound is NaN (an edge of NaN cannot reach this: see marking_work).
        if t0
            .partial_cmp(&t1)
            .is_none_or(|o| o == std::cmp::Ordering::Greater)
        {
            return None;
        }
        let at = |t: f64| -> Coord {
            if t == 0.0 {
                a
            } else if t == 1.0 {
                b
            } else {
                Coord {
                    x: a.x + dx * t,
                    y: a.y + dy * t,
                }
            }
        };
        let (a, b) = (at(t0), at(t1));
        // Pieces at most half a cell long: each piece's box spans at most two cells a side.
        let long = (b.x - a.x).abs().max((b.y - a.y).abs()) * self.inv;
        let pieces = (long * 2.0).ceil().clamp(1.0, 1e9) as usize;
        Some((a, b, pieces))
    }

    /// Marks the cells the geometry's vertices and edges touch.
    fn mark(&self, g: &Geometry, marks: &[AtomicU32]) {
        for c in g.coords_iter() {
            self.mark_box(c, c, marks);
        }
        each_line(g, &mut |line| {
            let Some((a, b, pieces)) = self.clipped(line.start, line.end) else {
                return;
            };
            let at = |k: usize| -> Coord {
                if k == 0 {
                    a
                } else if k == pieces {
                    b
                } else {
                    let t = k as f64 / pieces as f64;
                    Coord {
                        x: a.x + (b.x - a.x) * t,
                        y: a.y + (b.y - a.y) * t,
                    }
                }
            };
            for k in 0..pieces {
                let (p, q) = (at(k), at(k + 1));
                self.mark_box(
                    Coord {
                        x: p.x.min(q.x),
                        y: p.y.min(q.y),
                    },
                    Coord {
                        x: p.x.max(q.x),
                        y: p.y.max(q.y),
                    },
                    marks,
                );
            }
        });
    }

    fn mark_box(&self, lo: Coord, hi: Coord, marks: &[AtomicU32]) {
        let range = |lo: f64, hi: f64, n: usize| -> (usize, usize) {
            let a = (lo - MARGIN).floor().max(0.0);
            let b = (hi + MARGIN).floor().min(n as f64 - 1.0);
            (a as usize, b as usize)
        };
        let (xa, xb) = range(
            (lo.x - self.x0) * self.inv,
            (hi.x - self.x0) * self.inv,
            self.nx,
        );
        let (ya, yb) = range(
            (lo.y - self.y0) * self.inv,
            (hi.y - self.y0) * self.inv,
            self.ny,
        );
        for y in ya..=yb {
            for x in xa..=xb {
                marks[y * self.nx + x].store(MIXED, Ordering::Relaxed);
            }
        }
    }

    /// The point's location, when its cell knows it.
    pub(crate) fn lookup(&self, p: Coord) -> Option<Location> {
        let (tx, ty) = ((p.x - self.x0) * self.inv, (p.y - self.y0) * self.inv);
        // Also false for NaN.
        if !(tx >= 0.0 && ty >= 0.0 && tx < self.nx as f64 && ty < self.ny as f64) {
            return None;
        }
        match self.cells[ty as usize * self.nx + tx as usize] {
            OUTSIDE => Some(Location::Outside),
            v if v >= FIRST => Some(Location::Inside((v - FIRST) as usize)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::coord;

    fn square(x: f64, y: f64, side: f64) -> Option<Geometry> {
        Some(
            Rect::new(coord! {x: x, y: y}, coord! {x: x + side, y: y + side})
                .to_polygon()
                .into(),
        )
    }

    #[test]
    fn few_polygons_far_apart_get_few_cells() {
        // Two 1 m squares 100 km apart: 192 cells a square would be 10^12 cells.
        let g = vec![square(0.0, 0.0, 1.0), square(100_000.0, 100_000.0, 1.0)];
        let bounds = Rect::new(coord! {x: 0.0, y: 0.0}, coord! {x: 100_001.0, y: 100_001.0});
        let cells = Cells::new(&g, bounds, |_| true, |_| Location::Outside).expect("a raster");
        assert!(cells.nx * cells.ny <= 72_000, "{} x {}", cells.nx, cells.ny);
        // Many polygons get their 192 cells each, up to MAX_CELLS.
        let g: Vec<Option<Geometry>> = (0..100)
            .map(|k| square((k % 10) as f64 * 10.0, (k / 10) as f64 * 10.0, 10.0))
            .collect();
        let bounds = Rect::new(coord! {x: 0.0, y: 0.0}, coord! {x: 100.0, y: 100.0});
        let cells = Cells::new(&g, bounds, |_| true, |_| Location::Outside).expect("a raster");
        assert!(
            (19_000..21_000).contains(&(cells.nx * cells.ny)),
            "{} x {}",
            cells.nx,
            cells.ny
        );
    }

    /// A hole far outside its shell's box (an invalid polygon): its edges are clipped to the
    /// raster, not cut into a billion pieces each; the cells it does not reach are located.
    /// Past the marking budget (a thousand edges across the raster) there is no raster.
    #[test]
    fn edges_far_outside_the_raster_are_clipped() {
        let layer = |vertices: usize| {
            let shell = Rect::new(coord! {x: 0.0, y: 0.0}, coord! {x: 20.0, y: 20.0})
                .to_polygon()
                .exterior()
                .clone();
            let mut hole: Vec<Coord> = (0..vertices)
                .map(|k| {
                    let y = 10.0 + (k / 2) as f64 * 0.001;
                    coord! {x: if k % 2 == 0 { 10.0 } else { 1e6 }, y: y}
                })
                .collect();
            hole.push(hole[0]);
            let polygon = geo::Polygon::new(shell, vec![LineString(hole)]);
            vec![Some(Geometry::Polygon(polygon))]
        };
        let bounds = Rect::new(coord! {x: 0.0, y: 0.0}, coord! {x: 20.0, y: 20.0});
        let cells =
            Cells::new(&layer(10), bounds, |_| true, |_| Location::Inside(0)).expect("a raster");
        assert_eq!(
            cells.lookup(coord! {x: 2.0, y: 2.0}),
            Some(Location::Inside(0))
        );
        // The hole's edges run along y = 10 to the right of x = 10: those cells are mixed.
        assert_eq!(cells.lookup(coord! {x: 15.0, y: 10.002}), None);
        assert!(Cells::new(&layer(1_000), bounds, |_| true, |_| Location::Inside(0)).is_none());
        // A hole reaching 10^20: a point on its edges cannot be placed in its cell, so no
        // raster (the clipped edge through the strip 5 < y < 6 would mark one cell, and the
        // strip's points would be found inside the shell, where they are in the hole).
        let shell = Rect::new(coord! {x: 0.0, y: 0.0}, coord! {x: 20.0, y: 20.0}).to_polygon();
        let hole = LineString::from(vec![(-1e20, 5.0), (1e20, 5.0), (1e20, 6.0), (-1e20, 6.0)]);
        let far = vec![Some(Geometry::Polygon(geo::Polygon::new(
            shell.exterior().clone(),
            vec![hole],
        )))];
        assert!(Cells::new(&far, bounds, |_| true, |_| Location::Inside(0)).is_none());
    }

    /// A vertex that is not finite leaves the layer to the slow way: marked, it would mark
    /// the whole raster (NaN clamps to both ends of every range).
    #[test]
    fn a_coordinate_that_is_not_finite_gives_no_raster() {
        let mut g = vec![square(0.0, 0.0, 1.0), square(5.0, 5.0, 1.0)];
        if let Some(Geometry::Polygon(p)) = &mut g[1] {
            p.exterior_mut(|r| r.0[2].x = f64::NAN);
        }
        let bounds = Rect::new(coord! {x: 0.0, y: 0.0}, coord! {x: 6.0, y: 6.0});
        assert!(Cells::new(&g, bounds, |_| true, |_| Location::Outside).is_none());
    }
}
