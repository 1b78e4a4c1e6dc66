//! Components (部件): points strictly inside their grid, with class, units, status and
//! dates; and last year's version of them, derived by recorded changes.

use geo::Coord;

use super::classes::{self, Classes};
use super::rng::Rng;
use super::tiling::{dist2_to_ring, mm, point_in_ring, CELL};
use super::truth::ComponentDiff;
use super::versions::{Grids, NONE};
use crate::diff::Change;

/// 部件状态: intact, damaged, lost, occupied.
pub const STATUSES: [&str; 4] = ["完好", "破损", "丢失", "占用"];
const STATUS_WEIGHTS: [u32; 4] = [90, 95, 97, 100];
/// 数据来源: survey, topographic map, field sketch, other.
pub const SOURCES: [&str; 4] = ["实测", "地形图", "调绘", "其它"];
const SOURCE_WEIGHTS: [u32; 4] = [60, 75, 95, 100];
/// Start dates are days after this one (`ORDATE`), all before last year's effective date.
pub const EPOCH: (i32, u32, u32) = (2012, 1, 1);
const START_DAYS: usize = 4_900;
/// Smallest distance from a component to any grid boundary, metres.
const MARGIN: f64 = 1.0;
/// Smallest distance between two components of one cell, metres (closer ones would look
/// like duplicates).
const SPACING: f64 = 1.0;
/// Largest serial a 6-digit serial can hold.
const MAX_SERIAL: u32 = 999_999;

/// One component of one version.
#[derive(Debug, Clone)]
pub struct Comp {
    /// Index of its class in [`Classes::list`].
    pub class: u16,
    /// 6-digit serial within the class.
    pub serial: u32,
    /// Where it is.
    pub at: Coord,
    /// The lattice cell it lies in.
    pub cell: u32,
    /// Index of its grid in its version.
    pub grid: u32,
    /// For this year's components: index of last year's grid at the same place, or
    /// [`NONE`] when last year had no grid there.
    pub old_grid: u32,
    /// 主管部门
    pub department: &'static str,
    /// 权属单位
    pub owner: &'static str,
    /// 养护单位
    pub maintainer: &'static str,
    /// Index into [`STATUSES`].
    pub status: u8,
    /// Start date, days after [`EPOCH`].
    pub start: u16,
    /// Index into [`SOURCES`].
    pub source: u8,
}

/// Both versions of the components and their differences.
#[derive(Debug, Clone)]
pub struct Components {
    /// This year's, sorted by code.
    pub new: Vec<Comp>,
    /// Last year's, sorted by code.
    pub old: Vec<Comp>,
    /// Differences, by change then code.
    pub diffs: Vec<ComponentDiff>,
    /// This year's components involved in a difference (by index in `new`).
    pub involved: Vec<bool>,
}

/// The 16-digit code: region 6 + class 4 + serial 6.
pub fn code(region: &str, classes: &Classes, class: u16, serial: u32) -> String {
    let c = classes.list.get(class as usize).map_or("0000", |c| c.code);
    format!("{region}{c}{serial:06}")
}

/// How many changes of each kind `n` components get.
pub fn change_count(n: usize) -> usize {
    (n / 1_000).clamp(3, 200)
}

/// A point at least [`MARGIN`] inside `primary`, away from every ring of `others`, and at
/// least [`SPACING`] from every point of `avoid`.
fn place(
    g: &Grids,
    cell: usize,
    primary: &[Coord],
    others: &[&[Coord]],
    avoid: &[Coord],
    rng: &mut Rng,
) -> Coord {
    let lat = &g.new.lattice;
    let ok = |p: Coord| {
        point_in_ring(p, primary)
            && dist2_to_ring(p, primary) >= MARGIN * MARGIN
            && others
                .iter()
                .all(|r| dist2_to_ring(p, r) >= MARGIN * MARGIN)
            && clear(p, avoid)
    };
    let at = |u: f64, v: f64| {
        let c = lat.bilinear(cell, u, v);
        Coord {
            x: mm(c.x),
            y: mm(c.y),
        }
    };
    for _ in 0..256 {
        let p = at(rng.range(0.04, 0.96), rng.range(0.04, 0.96));
        if ok(p) {
            return p;
        }
    }
    const FALLBACK: [(f64, f64); 6] = [
        (0.3, 0.5),
        (0.7, 0.5),
        (0.3, 0.3),
        (0.7, 0.7),
        (0.5, 0.3),
        (0.5, 0.7),
    ];
    FALLBACK
        .iter()
        .map(|&(u, v)| at(u, v))
        .find(|&p| ok(p))
        .unwrap_or_else(|| at(0.3, 0.5))
}

/// Whether `p` keeps [`SPACING`] from every point of `avoid`.
fn clear(p: Coord, avoid: &[Coord]) -> bool {
    avoid.iter().all(|q| {
        let (dx, dy) = (p.x - q.x, p.y - q.y);
        dx * dx + dy * dy >= SPACING * SPACING
    })
}

/// Rings a component in `cell` must keep away from, and the ring it must be inside.
fn rings_at(g: &Grids, cell: usize) -> (Vec<Coord>, Vec<&[Coord]>) {
    let others: Vec<&[Coord]> = if g.plain[cell] {
        Vec::new()
    } else {
        g.old
            .grids_at(cell)
            .map(|k| g.old.grids[k].ring.as_slice())
            .collect()
    };
    let primary = match g.new.grids_at(cell).next() {
        Some(k) => g.new.grids[k].ring.clone(),
        None => g.old.lattice.cell_ring(cell),
    };
    (primary, others)
}

struct Maker<'a> {
    g: &'a Grids,
    classes: &'a Classes,
    next_serial: Vec<u32>,
    /// The points placed so far in each cell, in either version.
    by_cell: Vec<Vec<Coord>>,
    rng: Rng,
}

impl Maker<'_> {
    fn draw_class(&mut self) -> u16 {
        let n = self.classes.list.len().max(1);
        let mut k = self.rng.weighted(&self.classes.cumulative);
        for _ in 0..n {
            if self.next_serial[k] < MAX_SERIAL {
                break;
            }
            k = (k + 1) % n;
        }
        k as u16
    }

    fn serial(&mut self, class: u16) -> u32 {
        let s = &mut self.next_serial[class as usize];
        *s = (*s + 1).min(MAX_SERIAL);
        *s
    }

    /// A component in `cell`; `new` says whether it is placed in this year's grids.
    fn make(&mut self, cell: usize, new: bool) -> Comp {
        let g = self.g;
        let class = self.draw_class();
        let serial = self.serial(class);
        let (primary, others) = rings_at(g, cell);
        let at = place(
            g,
            cell,
            &primary,
            &others,
            &self.by_cell[cell],
            &mut self.rng,
        );
        self.by_cell[cell].push(at);
        let old_grid = g
            .old
            .grids_at(cell)
            .find(|&k| point_in_ring(at, &g.old.grids[k].ring))
            .map_or(NONE, |k| k as u32);
        let grid = if new {
            g.new.grids_at(cell).next().map_or(NONE, |k| k as u32)
        } else {
            old_grid
        };
        let u = classes::units(self.classes.list[class as usize].code);
        let r = &mut self.rng;
        Comp {
            class,
            serial,
            at,
            cell: cell as u32,
            grid,
            old_grid,
            department: r.pick(u.department).copied().unwrap_or_default(),
            owner: r.pick(u.owner).copied().unwrap_or_default(),
            maintainer: r.pick(u.maintainer).copied().unwrap_or_default(),
            status: r.weighted(&STATUS_WEIGHTS) as u8,
            start: r.below(START_DAYS) as u16,
            source: r.weighted(&SOURCE_WEIGHTS) as u8,
        }
    }

    /// A random plain cell.
    fn plain_cell(&mut self) -> Option<usize> {
        let n = self.g.plain.len();
        for _ in 0..10_000 {
            let c = self.rng.below(n);
            if self.g.plain[c] {
                return Some(c);
            }
        }
        (0..n).find(|&c| self.g.plain[c])
    }

    /// Where a component at `p` would have been last year after moving: a point in a plain
    /// cell, clear of its boundary; returns the point and last year's grid.
    fn moved_from(&mut self, p: Coord) -> Option<(Coord, u32, f64)> {
        let lat = &self.g.old.lattice;
        for _ in 0..40 {
            let (mut dx, mut dy) = (self.rng.range(-1.0, 1.0), self.rng.range(-1.0, 1.0));
            let len = (dx * dx + dy * dy).sqrt();
            if !(0.1..=1.0).contains(&len) {
                continue;
            }
            let d = self.rng.range(5.0, 30.0);
            (dx, dy) = (dx / len * d, dy / len * d);
            let q = Coord {
                x: mm(p.x + dx),
                y: mm(p.y + dy),
            };
            let c = ((q.x - lat.x0) / CELL).floor() as i64;
            let r = ((lat.y0 - q.y) / CELL).floor() as i64;
            for rr in r - 1..=r + 1 {
                for cc in c - 1..=c + 1 {
                    if rr < 0 || cc < 0 || rr >= lat.h as i64 || cc >= lat.w as i64 {
                        continue;
                    }
                    let cell = lat.cell(cc as usize, rr as usize);
                    if !self.g.plain[cell] {
                        continue;
                    }
                    let Some(k) = self.g.old.grids_at(cell).next() else {
                        continue;
                    };
                    let ring = &self.g.old.grids[k].ring;
                    if point_in_ring(q, ring)
                        && dist2_to_ring(q, ring) >= MARGIN * MARGIN
                        && clear(q, &self.by_cell[cell])
                    {
                        self.by_cell[cell].push(q);
                        let (ex, ey) = (q.x - p.x, q.y - p.y);
                        return Some((q, k as u32, (ex * ex + ey * ey).sqrt()));
                    }
                }
            }
        }
        None
    }
}

/// Places `n` components over this year's grids and derives last year's.
pub fn generate(g: &Grids, classes: &Classes, region: &str, n: usize, seed: u64) -> Components {
    let cells = g.new.lattice.cells();
    let mut m = Maker {
        g,
        classes,
        next_serial: vec![0; classes.list.len()],
        by_cell: vec![Vec::new(); cells],
        rng: Rng::stream(seed, 30),
    };
    let present: Vec<usize> = (0..cells).filter(|&c| g.new.cell_comm[c] != NONE).collect();
    let mut per_cell = vec![0u32; cells];
    for _ in 0..n {
        if let Some(&c) = m.rng.pick(&present) {
            per_cell[c] += 1;
        }
    }
    let mut new = Vec::with_capacity(n);
    for (cell, &count) in per_cell.iter().enumerate() {
        for _ in 0..count {
            new.push(m.make(cell, true));
        }
    }
    new.sort_by_key(|c| (c.class, c.serial));

    let code_of = |c: &Comp| code(region, classes, c.class, c.serial);
    let grid_code = |old: bool, k: u32| {
        let v = if old { &g.old } else { &g.new };
        v.grids.get(k as usize).map(|r| r.code.clone())
    };
    let mut old_of: Vec<Option<Comp>> = new
        .iter()
        .map(|c| {
            (c.old_grid != NONE).then(|| Comp {
                grid: c.old_grid,
                ..c.clone()
            })
        })
        .collect();
    let mut involved = vec![false; new.len()];
    let mut diffs = Vec::new();
    let mut extra_old = Vec::new();

    // Components of whole grids added or removed.
    for (i, c) in new.iter().enumerate() {
        if c.old_grid == NONE {
            involved[i] = true;
            let mut d = ComponentDiff::new(Change::Added, None, Some(code_of(c)));
            d.reason = Some("grid-added".into());
            diffs.push(d);
        }
    }
    for &cell in &g.removed {
        let count = (n / present.len().max(1)).max(1);
        for _ in 0..m
            .rng
            .between(count.saturating_sub(count / 3), count + count / 3)
        {
            let c = m.make(cell, false);
            let mut d = ComponentDiff::new(Change::Removed, Some(code_of(&c)), None);
            d.reason = Some("grid-removed".into());
            diffs.push(d);
            extra_old.push(c);
        }
    }

    let k = change_count(n);
    let subject = |m: &mut Maker, involved: &mut Vec<bool>, want: &dyn Fn(&Comp) -> bool| {
        for _ in 0..(1_000 + 4 * new.len()) {
            let i = m.rng.below(new.len());
            if i < new.len() && !involved[i] && g.plain[new[i].cell as usize] && want(&new[i]) {
                involved[i] = true;
                return Some(i);
            }
        }
        None
    };
    let any = |_: &Comp| true;
    for change in Change::ALL {
        for _ in 0..k {
            if change == Change::Removed {
                let Some(cell) = m.plain_cell() else { break };
                let c = m.make(cell, false);
                diffs.push(ComponentDiff::new(change, Some(code_of(&c)), None));
                extra_old.push(c);
                continue;
            }
            if change == Change::GridChanged {
                break;
            }
            let reclass =
                |c: &Comp| classes::confusable(classes.list[c.class as usize].code).is_some();
            let want: &dyn Fn(&Comp) -> bool = if change == Change::Reclassified {
                &reclass
            } else {
                &any
            };
            let Some(i) = subject(&mut m, &mut involved, want) else {
                break;
            };
            let c = &new[i];
            let new_code = code_of(c);
            if change == Change::Added {
                old_of[i] = None;
                diffs.push(ComponentDiff::new(change, None, Some(new_code)));
                continue;
            }
            let Some(o) = old_of[i].as_mut() else {
                continue;
            };
            let mut d = ComponentDiff::new(change, None, Some(new_code));
            match change {
                Change::Moved => match m.moved_from(c.at) {
                    Some((q, grid, dist)) => {
                        o.at = q;
                        o.grid = grid;
                        d.old_grid = grid_code(true, grid);
                        d.new_grid = grid_code(false, c.grid);
                        d.distance = Some((dist * 100.0).round() / 100.0);
                    }
                    None => {
                        involved[i] = false;
                        continue;
                    }
                },
                Change::Recoded => {
                    o.serial = m.serial(c.class);
                }
                Change::Reclassified => {
                    let was = classes::confusable(classes.list[c.class as usize].code)
                        .and_then(|code| classes.index(code))
                        .unwrap_or(c.class as usize) as u16;
                    o.class = was;
                    o.serial = m.serial(was);
                    d.old_value = Some(classes.list[was as usize].code.to_string());
                    d.new_value = Some(classes.list[c.class as usize].code.to_string());
                }
                Change::OwnerChanged => {
                    let u = classes::units(classes.list[c.class as usize].code);
                    o.owner = former(&mut m.rng, u.owner, &classes::FORMER_OWNERS, c.owner);
                    (d.old_value, d.new_value) = (Some(o.owner.into()), Some(c.owner.into()));
                }
                Change::DepartmentChanged => {
                    o.department =
                        former(&mut m.rng, &[], &classes::FORMER_DEPARTMENTS, c.department);
                    (d.old_value, d.new_value) =
                        (Some(o.department.into()), Some(c.department.into()));
                }
                Change::MaintainerChanged => {
                    let u = classes::units(classes.list[c.class as usize].code);
                    o.maintainer = former(
                        &mut m.rng,
                        u.maintainer,
                        &classes::FORMER_MAINTAINERS,
                        c.maintainer,
                    );
                    (d.old_value, d.new_value) =
                        (Some(o.maintainer.into()), Some(c.maintainer.into()));
                }
                Change::StatusChanged => {
                    o.status = if c.status == 0 {
                        1 + m.rng.below(3) as u8
                    } else {
                        0
                    };
                    d.old_value = Some(STATUSES[o.status as usize].into());
                    d.new_value = Some(STATUSES[c.status as usize].into());
                }
                _ => {}
            }
            if let Some(o) = &old_of[i] {
                d.old_code = Some(code(region, classes, o.class, o.serial));
            }
            diffs.push(d);
        }
    }
    // Components whose grid changed code under them.
    for (i, c) in new.iter().enumerate() {
        if involved[i] || c.old_grid == NONE {
            continue;
        }
        let (og, ng) = (grid_code(true, c.old_grid), grid_code(false, c.grid));
        if og != ng {
            involved[i] = true;
            let cc = code_of(c);
            let mut d = ComponentDiff::new(Change::GridChanged, Some(cc.clone()), Some(cc));
            (d.old_grid, d.new_grid) = (og, ng);
            diffs.push(d);
        }
    }
    let mut old: Vec<Comp> = old_of.into_iter().flatten().chain(extra_old).collect();
    old.sort_by_key(|c| (c.class, c.serial));
    diffs.sort_by(|a, b| {
        let key = |d: &ComponentDiff| (d.change, d.new_code.clone().or_else(|| d.old_code.clone()));
        key(a).cmp(&key(b))
    });
    Components {
        new,
        old,
        diffs,
        involved,
    }
}

/// Last year's unit: another of `same` if there is one, else one of `former`.
fn former(
    rng: &mut Rng,
    same: &[&'static str],
    former: &[&'static str],
    now: &str,
) -> &'static str {
    let others: Vec<&'static str> = same.iter().copied().filter(|u| *u != now).collect();
    let pool = if others.is_empty() {
        former
    } else {
        &others[..]
    };
    rng.pick(pool).copied().unwrap_or("晋江市城市管理局")
}
