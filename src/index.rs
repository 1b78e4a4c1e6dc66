//! The R-tree vocabulary shared by validate, diff and remap (空间索引): envelope joins of
//! polygons (grids × grids, old × new) and point location in polygons.

use geo::coordinate_position::CoordPos;
use geo::{BoundingRect, Coord, CoordinatePosition, Geometry, Rect};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};

type Entry = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// An R-tree over feature envelopes; each entry carries the feature's index.
#[derive(Debug, Clone)]
pub struct EnvelopeIndex {
    tree: RTree<Entry>,
}

fn rectangle(r: Rect) -> Rectangle<[f64; 2]> {
    Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y])
}

impl EnvelopeIndex {
    /// Bulk-loads the envelopes of the geometries that have one (finite coordinates).
    ///
    /// ```
    /// use geo::{Geometry, Rect, coord};
    /// let g: Vec<Option<Geometry>> = vec![
    ///     Some(Rect::new(coord! {x: 0., y: 0.}, coord! {x: 1., y: 1.}).into()),
    ///     Some(Rect::new(coord! {x: 1., y: 0.}, coord! {x: 2., y: 1.}).into()),
    ///     None,
    /// ];
    /// let index = gridkeeper::index::EnvelopeIndex::new(&g);
    /// assert_eq!(index.self_pairs(), vec![(0, 1)]);
    /// ```
    pub fn new(geometries: &[Option<Geometry>]) -> EnvelopeIndex {
        let entries: Vec<Entry> = geometries
            .iter()
            .enumerate()
            .filter_map(|(i, g)| {
                let r = g.as_ref()?.bounding_rect()?;
                let finite = [r.min().x, r.min().y, r.max().x, r.max().y]
                    .iter()
                    .all(|v| v.is_finite());
                finite.then(|| GeomWithData::new(rectangle(r), i))
            })
            .collect();
        EnvelopeIndex {
            tree: RTree::bulk_load(entries),
        }
    }

    /// Number of indexed envelopes.
    pub fn len(&self) -> usize {
        self.tree.size()
    }

    /// True when nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.tree.size() == 0
    }

    /// Pairs `(i, j)`, `i < j`, of features whose envelopes intersect (touching counts),
    /// sorted.
    pub fn self_pairs(&self) -> Vec<(usize, usize)> {
        let mut pairs: Vec<(usize, usize)> = self
            .tree
            .intersection_candidates_with_other_tree(&self.tree)
            .filter_map(|(a, b)| (a.data < b.data).then_some((a.data, b.data)))
            .collect();
        pairs.sort_unstable();
        pairs
    }

    /// Pairs `(i, j)` of a feature `i` here and `j` in `other` whose envelopes intersect,
    /// sorted.
    pub fn pairs_with(&self, other: &EnvelopeIndex) -> Vec<(usize, usize)> {
        let mut pairs: Vec<(usize, usize)> = self
            .tree
            .intersection_candidates_with_other_tree(&other.tree)
            .map(|(a, b)| (a.data, b.data))
            .collect();
        pairs.sort_unstable();
        pairs
    }

    /// Features whose envelopes intersect `rect`, in index order.
    pub fn in_rect(&self, rect: Rect) -> Vec<usize> {
        let env = AABB::from_corners([rect.min().x, rect.min().y], [rect.max().x, rect.max().y]);
        let mut v: Vec<usize> = self
            .tree
            .locate_in_envelope_intersecting(&env)
            .map(|e| e.data)
            .collect();
        v.sort_unstable();
        v
    }

    /// Features whose envelopes contain the point, in index order.
    pub fn at(&self, p: Coord) -> Vec<usize> {
        self.in_rect(Rect::new(p, p))
    }
}

/// Where a point lies among polygons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// Strictly inside this polygon.
    Inside(usize),
    /// On the boundary of these polygons (and inside none), in index order.
    OnBoundary(Vec<usize>),
    /// In no polygon.
    Outside,
}

/// Locates a point among polygon geometries using their envelope index.
///
/// Inside one polygon wins; on a shared edge the point is `OnBoundary` of every polygon
/// whose boundary it is on (the caller decides, deterministically, what that means).
pub fn locate(p: Coord, index: &EnvelopeIndex, geometries: &[Option<Geometry>]) -> Location {
    let mut boundary = Vec::new();
    for i in index.at(p) {
        let Some(g) = geometries.get(i).and_then(Option::as_ref) else {
            continue;
        };
        match g.coordinate_position(&p) {
            CoordPos::Inside => return Location::Inside(i),
            CoordPos::OnBoundary => boundary.push(i),
            CoordPos::Outside => {}
        }
    }
    if boundary.is_empty() {
        Location::Outside
    } else {
        Location::OnBoundary(boundary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::coord;

    fn square(x: f64, y: f64) -> Option<Geometry> {
        Some(
            Rect::new(coord! {x: x, y: y}, coord! {x: x + 1.0, y: y + 1.0})
                .to_polygon()
                .into(),
        )
    }

    #[test]
    fn locate_inside_boundary_outside() {
        let g = vec![square(0.0, 0.0), square(1.0, 0.0), None];
        let idx = EnvelopeIndex::new(&g);
        assert_eq!(
            locate(coord! {x: 0.5, y: 0.5}, &idx, &g),
            Location::Inside(0)
        );
        assert_eq!(
            locate(coord! {x: 1.0, y: 0.5}, &idx, &g),
            Location::OnBoundary(vec![0, 1])
        );
        assert_eq!(locate(coord! {x: 5.0, y: 0.5}, &idx, &g), Location::Outside);
    }

    #[test]
    fn joins() {
        let a = vec![square(0.0, 0.0), square(3.0, 0.0)];
        let b = vec![square(0.5, 0.5), square(10.0, 0.0), square(3.5, 0.0)];
        let (ia, ib) = (EnvelopeIndex::new(&a), EnvelopeIndex::new(&b));
        assert_eq!(ia.pairs_with(&ib), vec![(0, 0), (1, 2)]);
        assert!(ia.self_pairs().is_empty());
    }
}
