//! Choosing where the grid differences go (变更选址): cells at the district edges for added
//! and removed grids, community borders for re-parented ones, anywhere else for the rest;
//! never two differences on the same or neighbouring cells (8-neighbourhood).

use super::admin::Hierarchy;
use super::rng::Rng;
use super::tiling::{Lattice, Side};
use super::versions::NONE;

/// Where each difference goes (cells of the lattice).
#[derive(Debug, Default)]
pub struct Plan {
    /// Cells only last year had (at the northern edge).
    pub removed: Vec<usize>,
    /// Cells only this year has (at the southern edge).
    pub added: Vec<usize>,
    /// Cells that belonged to another community last year: (cell, that community).
    pub reparents: Vec<(usize, u32)>,
    /// Runs of 2–3 cells of a row that were one grid last year.
    pub splits: Vec<Vec<usize>>,
    /// Cells that were two grids last year.
    pub merges: Vec<usize>,
    /// Western cells of pairs whose shared edge had a vertex elsewhere last year.
    pub reshapes: Vec<usize>,
    /// Cells whose grid had another code last year.
    pub recodes: Vec<usize>,
}

struct Picker<'a> {
    lat: &'a Lattice,
    hy: &'a Hierarchy,
    blocked: Vec<bool>,
    new_comm: Vec<u32>,
    old_comm: Vec<u32>,
    order: Vec<usize>,
}

impl Picker<'_> {
    fn free(&self, cell: usize) -> bool {
        !self.blocked[cell] && self.new_comm[cell] != NONE && self.old_comm[cell] != NONE
    }

    fn claim(&mut self, cells: &[usize]) {
        for &cell in cells {
            let (c, r) = self.lat.col_row(cell);
            for rr in r.saturating_sub(1)..=(r + 1).min(self.lat.h - 1) {
                for cc in c.saturating_sub(1)..=(c + 1).min(self.lat.w - 1) {
                    self.blocked[self.lat.cell(cc, rr)] = true;
                }
            }
        }
    }

    /// The cells of community `k` in a version (`comm`), with `extra` cells tested too.
    fn members(&self, k: u32, comm: &[u32], extra: &[usize]) -> Vec<usize> {
        let rect = self.hy.communities[k as usize].rect;
        let mut cells: Vec<usize> = (rect.r0..rect.r0 + rect.h)
            .flat_map(|r| (rect.c0..rect.c0 + rect.w).map(move |c| (c, r)))
            .map(|(c, r)| self.lat.cell(c, r))
            .chain(extra.iter().copied())
            .filter(|&cell| comm[cell] == k)
            .collect();
        cells.sort_unstable();
        cells.dedup();
        cells
    }

    /// Whether community `k` is one simple polygon in the version `comm`.
    fn simple(&self, k: u32, comm: &[u32], extra: &[usize]) -> bool {
        let cells = self.members(k, comm, extra);
        if cells.len() < 2 {
            return false;
        }
        let (rings, pinched) = self
            .lat
            .union_rings(&cells, |c| cells.binary_search(&c).is_ok());
        rings.len() == 1 && !pinched
    }

    /// Takes up to `n` free cells of row `row` (in the shuffled order) that can leave this
    /// year's version (`new`) or last year's without breaking their community's shape.
    fn edge_cells(&mut self, n: usize, row: usize, new: bool) -> Vec<usize> {
        let mut taken = Vec::new();
        let order = self.order.clone();
        for cell in order {
            if taken.len() == n {
                break;
            }
            if self.lat.col_row(cell).1 != row || !self.free(cell) {
                continue;
            }
            let k = self.hy.cell_community[cell];
            let comm = if new {
                &mut self.new_comm
            } else {
                &mut self.old_comm
            };
            comm[cell] = NONE;
            let comm = if new { &self.new_comm } else { &self.old_comm };
            if self.simple(k, comm, &[]) {
                self.claim(&[cell]);
                taken.push(cell);
            } else {
                let comm = if new {
                    &mut self.new_comm
                } else {
                    &mut self.old_comm
                };
                comm[cell] = k;
            }
        }
        taken
    }
}

/// Chooses the cells of every difference, `k` of each kind (`k + 1` splits). Returns the
/// plan and the community of every cell this year and last year ([`NONE`]: absent).
pub fn plan(lat: &Lattice, hy: &Hierarchy, k: usize, rng: &mut Rng) -> (Plan, Vec<u32>, Vec<u32>) {
    let mut order: Vec<usize> = (0..lat.cells()).collect();
    rng.shuffle(&mut order);
    let mut p = Picker {
        lat,
        hy,
        blocked: vec![false; lat.cells()],
        new_comm: hy.cell_community.clone(),
        old_comm: hy.cell_community.clone(),
        order,
    };
    let mut plan = Plan {
        removed: p.edge_cells(k, 0, true),
        added: p.edge_cells(k, lat.h - 1, false),
        ..Plan::default()
    };
    let order = p.order.clone();
    // Re-parented: a cell whose neighbour lies in another community of the same street.
    let mut extras: Vec<Vec<usize>> = vec![Vec::new(); hy.communities.len()];
    'cells: for &x in &order {
        if plan.reparents.len() == k {
            break;
        }
        if !p.free(x) {
            continue;
        }
        let a = p.new_comm[x];
        for side in Side::ALL {
            let Some(y) = lat.neighbour(x, side) else {
                continue;
            };
            let b = p.new_comm[y];
            if b == NONE || b == a || p.old_comm[y] != b {
                continue;
            }
            let same_street =
                hy.communities[a as usize].street == hy.communities[b as usize].street;
            if !same_street {
                continue;
            }
            p.old_comm[x] = b;
            let mut with_x = extras[b as usize].clone();
            with_x.push(x);
            if p.simple(a, &p.old_comm, &extras[a as usize]) && p.simple(b, &p.old_comm, &with_x) {
                extras[b as usize] = with_x;
                p.claim(&[x]);
                plan.reparents.push((x, b));
                continue 'cells;
            }
            p.old_comm[x] = a;
        }
    }
    // Split: 2–3 cells of one row and one community were one grid last year.
    for &x in &order {
        if plan.splits.len() == k + 1 {
            break;
        }
        let m = 2 + (plan.splits.len() % 2);
        let (c, r) = lat.col_row(x);
        if c + m > lat.w {
            continue;
        }
        let run: Vec<usize> = (c..c + m).map(|cc| lat.cell(cc, r)).collect();
        let comm = p.new_comm[x];
        if run.iter().all(|&y| p.free(y) && p.new_comm[y] == comm) {
            p.claim(&run);
            plan.splits.push(run);
        }
    }
    for &x in &order {
        if plan.merges.len() == k {
            break;
        }
        if p.free(x) {
            p.claim(&[x]);
            plan.merges.push(x);
        }
    }
    for &x in &order {
        if plan.reshapes.len() == k {
            break;
        }
        let (c, r) = lat.col_row(x);
        if c + 1 < lat.w && p.free(x) && p.free(lat.cell(c + 1, r)) {
            p.claim(&[x, lat.cell(c + 1, r)]);
            plan.reshapes.push(x);
        }
    }
    for &x in &order {
        if plan.recodes.len() == k {
            break;
        }
        if p.free(x) {
            p.claim(&[x]);
            plan.recodes.push(x);
        }
    }
    (plan, p.new_comm, p.old_comm)
}
