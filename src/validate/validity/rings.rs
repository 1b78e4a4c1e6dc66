//! Rings prepared for analysis: repeated consecutive vertices removed, envelope, segment
//! index and orientation; and the search for duplicate rings.

use std::borrow::Cow;
use std::collections::HashMap;

use geo::kernels::{Kernel, Orientation, RobustKernel};
use geo::Coord;

use super::index::{Env, SegIndex};

/// One ring of one part, ready for the segment and topology checks.
pub(super) struct Ring<'a> {
    /// Part index in the multipolygon.
    pub part: usize,
    /// 0 = shell, 1.. = holes.
    pub ring: usize,
    /// Closed (last = first), no repeated consecutive points, at least 4 points.
    pub pts: Cow<'a, [Coord]>,
    pub env: Env,
    pub index: SegIndex,
    /// Counter-clockwise (meaningful for simple rings only).
    pub ccw: bool,
}

impl<'a> Ring<'a> {
    /// Prepares `pts` (closed, at least 4 points, no repeats: see [`dedup`]).
    pub fn new(part: usize, ring: usize, pts: Cow<'a, [Coord]>) -> Ring<'a> {
        let env = Env::of(&pts);
        let index = SegIndex::build(&pts);
        let ccw = is_ccw(&pts);
        Ring {
            part,
            ring,
            pts,
            env,
            index,
            ccw,
        }
    }

    /// Number of segments.
    pub fn n(&self) -> usize {
        self.pts.len() - 1
    }

    /// The start of the segment before segment `i`.
    pub fn prev(&self, i: usize) -> Coord {
        let n = self.n();
        self.pts[(i + n - 1) % n]
    }

    /// Whether segments `i` and `j` share a vertex in the ring.
    pub fn adjacent(&self, i: usize, j: usize) -> bool {
        let d = i.abs_diff(j);
        d == 1 || d + 1 == self.n()
    }
}

/// The ring without repeated consecutive points, closed. Borrows when nothing changes.
pub(super) fn dedup(coords: &[Coord]) -> Cow<'_, [Coord]> {
    let clean = coords.windows(2).all(|w| w[0] != w[1]);
    let closed = coords.first() == coords.last();
    if clean && closed {
        return Cow::Borrowed(coords);
    }
    let mut v = coords.to_vec();
    v.dedup();
    if let (Some(&first), Some(&last)) = (v.first(), v.last()) {
        if first != last {
            v.push(first);
        }
    }
    Cow::Owned(v)
}

/// Orientation from the lowest-leftmost vertex, a convex corner of a simple ring.
fn is_ccw(pts: &[Coord]) -> bool {
    let n = pts.len().saturating_sub(1);
    if n < 3 {
        return false;
    }
    let mut m = 0;
    for (i, p) in pts[..n].iter().enumerate() {
        let q = pts[m];
        if p.x < q.x || (p.x == q.x && p.y < q.y) {
            m = i;
        }
    }
    let prev = pts[(m + n - 1) % n];
    let next = pts[m + 1];
    RobustKernel::orient2d(prev, pts[m], next) == Orientation::CounterClockwise
}

/// Pairs `(a, b)`, `a < b`, of rings with the same vertex cycle (whatever start and
/// direction). Candidates share their size and envelope, then a hash of their undirected
/// edges.
pub(super) fn duplicates(rings: &[Ring]) -> Vec<(usize, usize)> {
    if rings.len() < 2 {
        return Vec::new();
    }
    let env_key = |r: &Ring| {
        let e = r.env;
        let bits = [e.min.x, e.min.y, e.max.x, e.max.y].map(f64::to_bits);
        (r.n(), bits)
    };
    let mut by_env: HashMap<(usize, [u64; 4]), Vec<usize>> = HashMap::new();
    for (i, r) in rings.iter().enumerate() {
        by_env.entry(env_key(r)).or_default().push(i);
    }
    let mut groups: HashMap<(usize, [u64; 4], u64), Vec<usize>> = HashMap::new();
    for ((n, bits), members) in by_env {
        if members.len() > 1 {
            for i in members {
                let hash = cycle_hash(&rings[i].pts);
                groups.entry((n, bits, hash)).or_default().push(i);
            }
        }
    }
    let mut out = Vec::new();
    for members in groups.values() {
        for (k, &b) in members.iter().enumerate() {
            // One match per ring is enough: equality of cycles is transitive.
            if let Some(&a) = members[..k]
                .iter()
                .find(|&&a| same_cycle(&rings[a].pts, &rings[b].pts))
            {
                out.push((a, b));
            }
        }
    }
    out.sort_unstable();
    out
}

/// A hash of the multiset of undirected edges: the same for every start and direction.
fn cycle_hash(pts: &[Coord]) -> u64 {
    let key = |c: Coord| mix(c.x.to_bits() ^ mix(c.y.to_bits()));
    pts.windows(2).fold(0u64, |acc, w| {
        let (a, b) = (key(w[0]), key(w[1]));
        acc.wrapping_add(mix(a.min(b) ^ mix(a.max(b))))
    })
}

/// splitmix64's finaliser.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Whether two closed rings have the same vertex cycle.
fn same_cycle(a: &[Coord], b: &[Coord]) -> bool {
    let open = |r: &[Coord]| -> usize { r.len().saturating_sub(1) };
    a.len() == b.len() && crate::geom::same_cycle(&a[..open(a)], &b[..open(b)])
}
