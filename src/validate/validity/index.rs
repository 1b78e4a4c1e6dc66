//! Envelopes and the two indexes the checker uses: chunks of consecutive ring segments
//! (scanned directly for small rings, an R-tree above [`SMALL`] segments) and a join of
//! envelopes that yields every intersecting pair (nested loops when few, R-tree otherwise).

use geo::Coord;
use rstar::{RTree, RTreeObject, AABB};

/// Consecutive segments per chunk: the R-tree indexes chunks, not single segments, so a
/// ring of 10 million vertices costs 1.25 million tree entries.
pub(super) const CHUNK: usize = 8;

/// Rings (and envelope lists) up to this many segments are compared pair by pair.
pub(super) const SMALL: usize = 64;

/// An axis-aligned envelope, inclusive on all sides.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Env {
    pub min: Coord,
    pub max: Coord,
}

impl Env {
    /// The envelope of `pts`; inverted (empty) when `pts` is empty.
    pub fn of(pts: &[Coord]) -> Env {
        let mut env = Env {
            min: Coord {
                x: f64::INFINITY,
                y: f64::INFINITY,
            },
            max: Coord {
                x: f64::NEG_INFINITY,
                y: f64::NEG_INFINITY,
            },
        };
        for p in pts {
            env.min.x = env.min.x.min(p.x);
            env.min.y = env.min.y.min(p.y);
            env.max.x = env.max.x.max(p.x);
            env.max.y = env.max.y.max(p.y);
        }
        env
    }

    pub fn intersects(&self, o: &Env) -> bool {
        self.min.x <= o.max.x
            && o.min.x <= self.max.x
            && self.min.y <= o.max.y
            && o.min.y <= self.max.y
    }

    pub fn covers(&self, o: &Env) -> bool {
        self.min.x <= o.min.x
            && self.min.y <= o.min.y
            && o.max.x <= self.max.x
            && o.max.y <= self.max.y
    }

    pub fn contains(&self, p: Coord) -> bool {
        self.min.x <= p.x && p.x <= self.max.x && self.min.y <= p.y && p.y <= self.max.y
    }

    pub fn aabb(&self) -> AABB<[f64; 2]> {
        AABB::from_corners([self.min.x, self.min.y], [self.max.x, self.max.y])
    }
}

/// An envelope with the number of what it bounds (a chunk, a ring, a part).
#[derive(Debug, Clone, Copy)]
pub(super) struct Boxed {
    pub aabb: AABB<[f64; 2]>,
    pub id: usize,
}

impl RTreeObject for Boxed {
    type Envelope = AABB<[f64; 2]>;

    fn envelope(&self) -> Self::Envelope {
        self.aabb
    }
}

/// The chunks of one ring: a list for small rings, an R-tree for large ones.
pub(super) enum SegIndex {
    Small(Vec<Boxed>),
    Tree(RTree<Boxed>),
}

/// The segments of chunk `k` of a ring with `n` segments.
pub(super) fn chunk_range(k: usize, n: usize) -> std::ops::Range<usize> {
    k * CHUNK..((k + 1) * CHUNK).min(n)
}

impl SegIndex {
    /// Indexes the segments of a closed ring (`pts.len() >= 2`, last point = first).
    pub fn build(pts: &[Coord]) -> SegIndex {
        let n = pts.len().saturating_sub(1);
        let chunks: Vec<Boxed> = (0..n.div_ceil(CHUNK))
            .map(|k| {
                let r = chunk_range(k, n);
                Boxed {
                    aabb: Env::of(&pts[r.start..=r.end]).aabb(),
                    id: k,
                }
            })
            .collect();
        if n > SMALL {
            SegIndex::Tree(RTree::bulk_load(chunks))
        } else {
            SegIndex::Small(chunks)
        }
    }

    /// Calls `f` with every chunk whose envelope intersects `aabb`, until `f` returns true.
    /// Returns whether `f` asked to stop.
    pub fn each_in(&self, aabb: &AABB<[f64; 2]>, mut f: impl FnMut(usize) -> bool) -> bool {
        match self {
            SegIndex::Small(chunks) => {
                for c in chunks {
                    if intersects(&c.aabb, aabb) && f(c.id) {
                        return true;
                    }
                }
            }
            SegIndex::Tree(tree) => {
                for c in tree.locate_in_envelope_intersecting(aabb) {
                    if f(c.id) {
                        return true;
                    }
                }
            }
        }
        false
    }
}

/// Whether two AABBs intersect (boundaries included).
pub(super) fn intersects(a: &AABB<[f64; 2]>, b: &AABB<[f64; 2]>) -> bool {
    let (al, au, bl, bu) = (a.lower(), a.upper(), b.lower(), b.upper());
    al[0] <= bu[0] && bl[0] <= au[0] && al[1] <= bu[1] && bl[1] <= au[1]
}

/// The pairs of meeting ring envelopes one geometry's check may visit in all
/// ([`crate::index::pair_budget`] of its rings): rings nested or stacked by the thousand
/// (100,000 concentric squares) would otherwise be compared in the square of their number.
pub(super) struct Budget {
    left: usize,
    exceeded: bool,
}

impl Budget {
    /// The budget of a geometry of `rings` rings.
    pub fn for_rings(rings: usize) -> Budget {
        Budget {
            left: crate::index::pair_budget(rings),
            exceeded: false,
        }
    }

    /// Takes one pair from the budget; false (and exceeded from then on) when none is left.
    fn spend(&mut self) -> bool {
        if self.left == 0 {
            self.exceeded = true;
            return false;
        }
        self.left -= 1;
        true
    }

    /// Whether a pair was refused: the check stopped short.
    pub fn exceeded(&self) -> bool {
        self.exceeded
    }
}

/// Calls `f(i, j)` with `i < j` for every pair of envelopes that intersect, until `f`
/// returns true or `budget` runs out. Envelopes must be finite (or inverted for nothing,
/// which never matches).
pub(super) fn intersecting_pairs(
    envs: &[Env],
    budget: &mut Budget,
    mut f: impl FnMut(usize, usize) -> bool,
) {
    if envs.len() <= SMALL {
        for i in 0..envs.len() {
            for j in i + 1..envs.len() {
                if envs[i].intersects(&envs[j]) && (!budget.spend() || f(i, j)) {
                    return;
                }
            }
        }
        return;
    }
    let boxes: Vec<Boxed> = envs
        .iter()
        .enumerate()
        .filter(|(_, e)| e.min.x <= e.max.x)
        .map(|(id, e)| Boxed { aabb: e.aabb(), id })
        .collect();
    let tree = RTree::bulk_load(boxes);
    for (a, b) in tree.intersection_candidates_with_other_tree(&tree) {
        if a.id < b.id && (!budget.spend() || f(a.id, b.id)) {
            return;
        }
    }
}
