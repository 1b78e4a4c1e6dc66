//! This year's grids (单元网格) and last year's, derived from them by isolated, recorded
//! differences: split, merged, reshaped, recoded, re-parented, added, removed.
//!
//! This year's version is the lattice itself: one grid per cell, cells grouped into
//! rectangular communities (minus the cells removed at one edge). Last year's is the same
//! lattice with each difference undone. No two differences touch the same or neighbouring
//! cells (8-neighbourhood), so every one of them stays isolated for `diff` to classify.

use geo::Coord;

use super::admin::Hierarchy;
use super::plan::plan;
use super::rng::{hash, Rng};
use super::tiling::{signed_area2, Lattice};
use super::truth::{GridDiff, GridRelation};

/// Marks an absent cell, community or grid.
pub const NONE: u32 = u32::MAX;

/// One grid of one version.
#[derive(Debug, Clone)]
pub struct GridRec {
    /// 15-digit code.
    pub code: String,
    /// Index of its community.
    pub community: u32,
    /// Closed clockwise ring.
    pub ring: Vec<Coord>,
    /// Start date (`ORDATE`).
    pub start: &'static str,
}

impl GridRec {
    /// Planar area in m².
    pub fn area(&self) -> f64 {
        signed_area2(&self.ring).abs() / 2.0
    }
}

/// One version of the grids.
#[derive(Debug, Clone)]
pub struct Version {
    /// The lattice of this version (last year's has the reshaped vertices where they were).
    pub lattice: Lattice,
    /// The community of every cell; [`NONE`] for a cell not in this version.
    pub cell_comm: Vec<u32>,
    /// The grids, sorted by code.
    pub grids: Vec<GridRec>,
    /// The grids covering part of each cell (one, or two for a cut or reshaped cell);
    /// [`NONE`]-padded.
    pub cell_grids: Vec<[u32; 2]>,
}

impl Version {
    /// Indices of the grids covering part of `cell`.
    pub fn grids_at(&self, cell: usize) -> impl Iterator<Item = usize> + '_ {
        self.cell_grids[cell]
            .iter()
            .filter(|&&g| g != NONE)
            .map(|&g| g as usize)
    }

    fn sort_by_code(&mut self) {
        let mut order: Vec<usize> = (0..self.grids.len()).collect();
        order.sort_by(|&a, &b| self.grids[a].code.cmp(&self.grids[b].code));
        let mut rank = vec![0u32; order.len()];
        for (new, &old) in order.iter().enumerate() {
            rank[old] = new as u32;
        }
        let mut grids: Vec<Option<GridRec>> = self.grids.drain(..).map(Some).collect();
        self.grids = order.iter().filter_map(|&i| grids[i].take()).collect();
        for slots in &mut self.cell_grids {
            for g in slots.iter_mut().filter(|g| **g != NONE) {
                *g = rank[*g as usize];
            }
        }
    }
}

/// Both versions and what differs between them.
#[derive(Debug, Clone)]
pub struct Grids {
    /// This year's grids.
    pub new: Version,
    /// Last year's grids.
    pub old: Version,
    /// Cells present in both versions and involved in no difference.
    pub plain: Vec<bool>,
    /// Cells only last year's version has.
    pub removed: Vec<usize>,
    /// The differences, by relation then code.
    pub diffs: Vec<GridDiff>,
}

/// How many differences of each kind a district of `grids` grids gets (splits get one more).
pub fn change_count(grids: usize) -> usize {
    match grids {
        0..200 => 1,
        200..2_000 => 2,
        2_000..20_000 => 3,
        _ => 4,
    }
}

const STARTS: [&str; 4] = ["2018-07-01", "2020-07-01", "2022-07-01", "2024-07-01"];

fn base_start(seed: u64, cell: usize) -> &'static str {
    STARTS[(hash(seed, &[11, cell as u64]) % 4) as usize]
}

/// Builds both versions of the grids over `lat` and `hy`.
pub fn build(seed: u64, lat: Lattice, hy: &Hierarchy, k: usize, effective: &'static str) -> Grids {
    let mut rng = Rng::stream(seed, 20);
    let (plan, new_comm, old_comm) = plan(&lat, hy, k, &mut rng);
    let n = lat.cells();
    let ncomm = hy.communities.len();

    // This year's codes: west → east, then north → south within each community.
    let mut next = vec![0usize; ncomm];
    let mut new_code: Vec<String> = vec![String::new(); n];
    for cell in 0..n {
        let c = new_comm[cell];
        if c != NONE {
            next[c as usize] += 1;
            new_code[cell] = format!("{}{:03}", hy.communities[c as usize].code, next[c as usize]);
        }
    }
    // Codes only last year had come after every code of the community this year.
    let mut fresh = |c: u32| -> String {
        next[c as usize] += 1;
        format!("{}{:03}", hy.communities[c as usize].code, next[c as usize])
    };

    let mut role = vec![0u8; n]; // 0 plain, else a difference
    let mut new_start: Vec<&'static str> = (0..n).map(|c| base_start(seed, c)).collect();
    let mut diffs = Vec::new();
    let mark = |cells: &[usize], role: &mut [u8], r: u8| cells.iter().for_each(|&c| role[c] = r);

    let mut old_lat = lat.clone();
    for &x in &plan.reshapes {
        let (c, r) = lat.col_row(x);
        let e = lat.vedge(c + 1, r).points()[0];
        let d = rng.range(10.0, 15.0) * if rng.chance(0.5) { 1.0 } else { -1.0 };
        old_lat.vedge_mut(c + 1, r).set(
            0,
            Coord {
                x: super::tiling::mm(e.x + d),
                y: e.y,
            },
        );
        let y = lat.cell(c + 1, r);
        mark(&[x, y], &mut role, 3);
        let codes = vec![new_code[x].clone(), new_code[y].clone()];
        diffs.push(GridDiff {
            relation: GridRelation::Reshaped,
            old: codes.clone(),
            new: codes,
        });
    }

    let mut old = Version {
        lattice: old_lat,
        cell_comm: old_comm.clone(),
        grids: Vec::new(),
        cell_grids: vec![[NONE, NONE]; n],
    };
    let push_old = |old: &mut Version,
                    cells: &[usize],
                    code: String,
                    comm: u32,
                    ring: Vec<Coord>,
                    start: &'static str| {
        let g = old.grids.len() as u32;
        old.grids.push(GridRec {
            code,
            community: comm,
            ring,
            start,
        });
        for &c in cells {
            let slot = &mut old.cell_grids[c];
            if slot[0] == NONE {
                slot[0] = g;
            } else {
                slot[1] = g;
            }
        }
    };

    // Split: one old grid over 2–3 new cells. The first split keeps no code.
    for (i, run) in plan.splits.iter().enumerate() {
        let comm = new_comm[run[0]];
        let keep = (i > 0).then(|| rng.below(run.len()));
        let code = match keep {
            Some(j) => new_code[run[j]].clone(),
            None => fresh(comm),
        };
        let ring = old
            .lattice
            .union_rings(run, |c| run.contains(&c))
            .0
            .into_iter()
            .next()
            .unwrap_or_default();
        push_old(
            &mut old,
            run,
            code.clone(),
            comm,
            ring,
            base_start(seed, run[0]),
        );
        mark(run, &mut role, 1);
        run.iter().for_each(|&c| new_start[c] = effective);
        diffs.push(GridDiff {
            relation: GridRelation::Split,
            old: vec![code],
            new: run.iter().map(|&c| new_code[c].clone()).collect(),
        });
    }
    // Merged: last year the cell was two grids, cut along a line between its edge vertices.
    for (i, &x) in plan.merges.iter().enumerate() {
        let comm = new_comm[x];
        let mid = lat.cut_middle(x, rng.range(-5.0, 5.0), rng.range(-5.0, 5.0));
        let (west, east) = old.lattice.halves(x, mid);
        let keeper = (i > 0).then(|| rng.below(2));
        let wc = if keeper == Some(0) {
            new_code[x].clone()
        } else {
            fresh(comm)
        };
        let ec = if keeper == Some(1) {
            new_code[x].clone()
        } else {
            fresh(comm)
        };
        push_old(&mut old, &[x], wc.clone(), comm, west, base_start(seed, x));
        push_old(&mut old, &[x], ec.clone(), comm, east, base_start(seed, x));
        role[x] = 2;
        new_start[x] = effective;
        diffs.push(GridDiff {
            relation: GridRelation::Merged,
            old: vec![wc, ec],
            new: vec![new_code[x].clone()],
        });
    }
    for &x in &plan.recodes {
        let code = fresh(new_comm[x]);
        role[x] = 4;
        new_start[x] = effective;
        diffs.push(GridDiff {
            relation: GridRelation::Recoded,
            old: vec![code.clone()],
            new: vec![new_code[x].clone()],
        });
        let ring = old.lattice.cell_ring(x);
        push_old(&mut old, &[x], code, new_comm[x], ring, base_start(seed, x));
    }
    for &(x, b) in &plan.reparents {
        let code = fresh(b);
        role[x] = 5;
        new_start[x] = effective;
        diffs.push(GridDiff {
            relation: GridRelation::Reparented,
            old: vec![code.clone()],
            new: vec![new_code[x].clone()],
        });
        let ring = old.lattice.cell_ring(x);
        push_old(&mut old, &[x], code, b, ring, base_start(seed, x));
    }
    for &x in &plan.added {
        role[x] = 6;
        new_start[x] = effective;
        diffs.push(GridDiff {
            relation: GridRelation::Added,
            old: vec![],
            new: vec![new_code[x].clone()],
        });
    }
    for &x in &plan.removed {
        let comm = old_comm[x];
        let code = fresh(comm);
        role[x] = 7;
        diffs.push(GridDiff {
            relation: GridRelation::Removed,
            old: vec![code.clone()],
            new: vec![],
        });
        let ring = old.lattice.cell_ring(x);
        push_old(&mut old, &[x], code, comm, ring, base_start(seed, x));
    }
    // Every other cell of last year: the same grid, the same code.
    for cell in 0..n {
        if old_comm[cell] == NONE || (role[cell] != 0 && role[cell] != 3) {
            continue;
        }
        let ring = old.lattice.cell_ring(cell);
        push_old(
            &mut old,
            &[cell],
            new_code[cell].clone(),
            old_comm[cell],
            ring,
            base_start(seed, cell),
        );
    }
    // A reshaped cell may reach into its partner's old grid.
    for &x in &plan.reshapes {
        let (c, r) = lat.col_row(x);
        let y = lat.cell(c + 1, r);
        let (gx, gy) = (old.cell_grids[x][0], old.cell_grids[y][0]);
        old.cell_grids[x] = [gx, gy];
        old.cell_grids[y] = [gy, gx];
    }

    let mut new = Version {
        cell_comm: new_comm.clone(),
        grids: Vec::with_capacity(n),
        cell_grids: vec![[NONE, NONE]; n],
        lattice: lat,
    };
    for cell in 0..n {
        if new_comm[cell] == NONE {
            continue;
        }
        new.cell_grids[cell][0] = new.grids.len() as u32;
        let ring = new.lattice.cell_ring(cell);
        new.grids.push(GridRec {
            code: std::mem::take(&mut new_code[cell]),
            community: new_comm[cell],
            ring,
            start: new_start[cell],
        });
    }
    new.sort_by_code();
    old.sort_by_code();
    let plain = (0..n)
        .map(|c| role[c] == 0 && new_comm[c] != NONE && old_comm[c] != NONE)
        .collect();
    diffs.sort_by(|a, b| (a.relation, &a.old, &a.new).cmp(&(b.relation, &b.old, &b.new)));
    Grids {
        new,
        old,
        plain,
        removed: plan.removed,
        diffs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::admin;

    fn grids(seed: u64, w: usize, h: usize, k: usize) -> (Grids, Hierarchy) {
        let lat = Lattice::new(seed, w, h, 340_000.0, 2_750_000.0);
        let hy = admin::build("350582", w, h, &mut Rng::new(seed));
        (build(seed, lat, &hy, k, "2026-07-01"), hy)
    }

    #[test]
    fn differences_are_isolated_and_versions_tile_alike() {
        for seed in [1, 2, 3] {
            let (g, _) = grids(seed, 24, 20, 3);
            let lat = &g.new.lattice;
            assert_eq!(g.diffs.len(), 3 * 7 + 1);
            // Cells in a difference: every cell not plain and present in some version.
            let touched: Vec<usize> = (0..lat.cells()).filter(|&c| !g.plain[c]).collect();
            // Group touched cells by the difference they belong to (4-connected runs and
            // pairs), then require no two groups to touch, even at a corner.
            let mut group = vec![usize::MAX; lat.cells()];
            let mut n = 0;
            for &c in &touched {
                if group[c] != usize::MAX {
                    continue;
                }
                let mut stack = vec![c];
                group[c] = n;
                while let Some(x) = stack.pop() {
                    for s in crate::demo::tiling::Side::ALL {
                        if let Some(y) = lat.neighbour(x, s) {
                            if !g.plain[y] && group[y] == usize::MAX {
                                group[y] = n;
                                stack.push(y);
                            }
                        }
                    }
                }
                n += 1;
            }
            assert_eq!(n, 3 * 7 + 1, "differences merged into one another");
            for &c in &touched {
                let (x, y) = lat.col_row(c);
                for yy in y.saturating_sub(1)..=(y + 1).min(lat.h - 1) {
                    for xx in x.saturating_sub(1)..=(x + 1).min(lat.w - 1) {
                        let d = lat.cell(xx, yy);
                        assert!(
                            g.plain[d] || group[d] == group[c],
                            "seed {seed}: {c} and {d}"
                        );
                    }
                }
            }
            // Both versions tile the cells they have: areas add up per version.
            for v in [&g.new, &g.old] {
                let cells: Vec<usize> = (0..lat.cells())
                    .filter(|&c| v.cell_comm[c] != NONE)
                    .collect();
                let union = v.lattice.union_polygon(&cells, |c| v.cell_comm[c] != NONE);
                let total: f64 = v.grids.iter().map(GridRec::area).sum();
                let want = geo::Area::unsigned_area(&union);
                assert!((total - want).abs() < 1e-6 * want, "{total} vs {want}");
                let mut codes: Vec<&str> = v.grids.iter().map(|r| r.code.as_str()).collect();
                codes.dedup();
                assert_eq!(codes.len(), v.grids.len(), "codes repeat");
            }
        }
    }

    #[test]
    fn reshaped_pairs_trade_area_and_keep_the_sum() {
        let (g, _) = grids(9, 20, 16, 2);
        for d in g
            .diffs
            .iter()
            .filter(|d| d.relation == GridRelation::Reshaped)
        {
            let area = |v: &Version, code: &str| {
                v.grids
                    .iter()
                    .find(|r| r.code == code)
                    .map(GridRec::area)
                    .unwrap_or_default()
            };
            let (a, b) = (&d.new[0], &d.new[1]);
            let moved = area(&g.new, a) - area(&g.old, a);
            assert!(moved.abs() > 50.0, "{moved}");
            assert!((moved + area(&g.new, b) - area(&g.old, b)).abs() < 1e-6);
        }
    }
}
