//! The demo's duty layers (责任网格): law-enforcement grids (执法网格, two officers each) and
//! sanitation grids (环卫网格, one worker each), laid over the unit grids of both versions,
//! and what changes between them.
//!
//! Each street's rectangle of lattice cells is cut into rectangular blocks of about
//! [`Spec::cells`] unit grids (the seed's town: about 41 enforcement and 9 sanitation grids),
//! with no cut through the cells of one unit-grid difference (a split run, a reshaped pair),
//! so every unit grid lies in one duty grid in both versions. A duty grid's polygon is the
//! lattice's exact union of its cells ([`Lattice::union_polygon`]: the shared vertices
//! walked, no boolean operations), so the duty grids tile the district as the unit grids do.
//! Runs of neighbouring blocks in a row form the teams (执法一中队, 环卫一班, …).
//!
//! Last year's layer is the blocks as cut; this year's has three designed differences, on
//! blocks without unit grids added or removed: up to three cells of a column handed from a duty
//! grid to its neighbour of another team (both reshaped), a block cut in two (split, the
//! western or northern part keeping the code), and two neighbours of one team joined
//! (merged). The blocks that lose or gain unit grids at the district's edges are reshaped.

use std::collections::{BTreeMap, BTreeSet, HashMap};

mod blocks;

use self::blocks::{atoms, blocks, cells_of, halves, number, Block};
use super::admin::{Hierarchy, Rect};
use super::rng::{hash, Rng};
use super::staff;
use super::tiling::{signed_area2, Lattice};
use super::truth::{DutyFacts, DutyMove, GridDiff, GridRelation, TeamGrids};
use super::versions::{Grids, NONE};
use crate::io::Layer;

/// What sets one duty layer apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    /// The layer's name in the profile and the manifest.
    pub name: &'static str,
    /// The Chinese term.
    pub zh: &'static str,
    /// The English term.
    pub en: &'static str,
    /// The letters of the code's kind segment.
    pub letters: &'static str,
    /// The word in the names of grids and teams.
    pub word: &'static str,
    /// What a team is called (中队, 班).
    pub unit: &'static str,
    /// About how many unit grids a duty grid holds.
    pub cells: usize,
    /// About how many duty grids a team holds.
    pub per_team: usize,
    /// People on each duty grid.
    pub staff: usize,
    /// The random stream.
    stream: u64,
}

/// 执法网格: about five unit grids each, two officers, five grids to a squad (中队).
pub const ENFORCEMENT: Spec = Spec {
    name: "enforcement_grids",
    zh: "执法网格",
    en: "enforcement grids",
    letters: "ZF",
    word: "执法",
    unit: "中队",
    cells: 5,
    per_team: 5,
    staff: 2,
    stream: 70,
};

/// 环卫网格: about twenty unit grids each, one worker, three grids to a crew (班).
pub const SANITATION: Spec = Spec {
    name: "sanitation_grids",
    zh: "环卫网格",
    en: "sanitation grids",
    letters: "HW",
    word: "环卫",
    unit: "班",
    cells: 20,
    per_team: 3,
    staff: 1,
    stream: 71,
};

/// The most enforcement grids of a street (the sequence has three digits and a split takes
/// one); larger duty grids have as many fewer as they are larger.
const MAX_PER_STREET: usize = 900;

/// Start dates of the duty grids that do not change.
const STARTS: [&str; 3] = ["2021-07-01", "2023-01-01", "2024-07-01"];

/// One duty grid of one version.
#[derive(Debug, Clone, PartialEq)]
pub struct DutyRec {
    /// Code: street code + letters + sequence of three digits.
    pub code: String,
    /// Its name (青阳街道执法网格001).
    pub name: String,
    /// Index of its street.
    pub street: usize,
    /// Its team (责任单位/班组).
    pub team: String,
    /// Its staff (责任人), joined with `、`.
    pub staff: String,
    /// The contact number (联系电话).
    pub contact: String,
    /// Start date (`ORDATE`).
    pub start: &'static str,
    /// Its cells in this version, ascending.
    pub cells: Vec<usize>,
}

/// One version of a duty layer.
#[derive(Debug, Clone)]
pub struct DutyVersion {
    /// The duty grids, by code.
    pub grids: Vec<DutyRec>,
    /// The duty grid of every cell ([`NONE`]: the cell is not in this version).
    pub of_cell: Vec<u32>,
}

impl DutyVersion {
    /// The duty grid `k` as one polygon: the exact union of its cells in `lattice`.
    pub fn polygon(&self, k: usize, lattice: &Lattice) -> geo::MultiPolygon {
        let cells = self.grids.get(k).map_or(&[][..], |g| &g.cells[..]);
        lattice.union_polygon(cells, |c| self.of_cell[c] == k as u32)
    }
}

/// A duty layer in both versions with its truth.
#[derive(Debug, Clone)]
pub struct Duty {
    /// Last year's.
    pub old: DutyVersion,
    /// This year's.
    pub new: DutyVersion,
    /// What changed.
    pub facts: DutyFacts,
}

struct Ctx<'a> {
    g: &'a Grids,
    hy: &'a Hierarchy,
    spec: Spec,
    seed: u64,
    /// Cells in last year's version / this year's.
    in_old: Vec<bool>,
    in_new: Vec<bool>,
    /// The area of every cell (this year's lattice).
    cell_area: Vec<f64>,
}

impl Ctx<'_> {
    fn lat(&self) -> &Lattice {
        &self.g.new.lattice
    }

    /// Whether every cell of `r` is in both versions.
    fn whole(&self, r: Rect) -> bool {
        cells_of(r, self.lat()).all(|c| self.in_old[c] && self.in_new[c])
    }

    fn area(&self, cells: impl Iterator<Item = usize>) -> f64 {
        cells.map(|c| self.cell_area[c]).sum()
    }

    /// Unit grids among `cells` last year (distinct grids) and this year.
    fn unit_grids(&self, cells: &[usize]) -> (usize, usize) {
        let old: BTreeSet<usize> = cells
            .iter()
            .filter(|&&c| self.in_old[c])
            .flat_map(|&c| self.g.old.grids_at(c))
            .collect();
        let new = cells.iter().filter(|&&c| self.in_new[c]).count();
        (old.len(), new)
    }

    fn code(&self, b: &Block) -> String {
        format!(
            "{}{}{:03}",
            self.hy.streets[b.street].code, self.spec.letters, b.seq
        )
    }

    fn team(&self, b: &Block) -> String {
        let s = &self.hy.streets[b.street];
        format!(
            "{}{}{}{}",
            s.name,
            self.spec.word,
            staff::numeral(b.team + 1),
            self.spec.unit
        )
    }

    fn record(&self, p: &Piece, present: &[bool]) -> DutyRec {
        let b = &p.block;
        let key = hash(
            self.seed,
            &[self.spec.stream, b.street as u64, b.seq as u64],
        );
        let mut cells: Vec<usize> = p.cells.iter().copied().filter(|&c| present[c]).collect();
        cells.sort_unstable();
        DutyRec {
            code: self.code(b),
            name: format!(
                "{}{}网格{:03}",
                self.hy.streets[b.street].name, self.spec.word, b.seq
            ),
            street: b.street,
            team: self.team(b),
            staff: staff::names(key, self.spec.staff),
            contact: staff::phone(key),
            start: p.start,
            cells,
        }
    }

    fn version(&self, pieces: &[Piece], present: &[bool]) -> DutyVersion {
        let mut grids: Vec<DutyRec> = pieces
            .iter()
            .map(|p| self.record(p, present))
            .filter(|r| !r.cells.is_empty())
            .collect();
        grids.sort_by(|a, b| a.code.cmp(&b.code));
        let mut of_cell = vec![NONE; present.len()];
        for (k, r) in grids.iter().enumerate() {
            for &c in &r.cells {
                of_cell[c] = k as u32;
            }
        }
        DutyVersion { grids, of_cell }
    }

    /// Cases filed last year under the unit grids of `cells`.
    fn cases(&self, cells: &[usize], cases: &HashMap<&str, usize>) -> usize {
        cells
            .iter()
            .filter_map(|&c| self.g.new.grids_at(c).next())
            .map(|k| {
                let code = self.g.new.grids[k].code.as_str();
                cases.get(code).copied().unwrap_or(0)
            })
            .sum()
    }
}

/// A duty grid's block with the cells it holds (before leaving out the cells a version
/// lacks) and its start date.
struct Piece {
    block: Block,
    cells: Vec<usize>,
    start: &'static str,
}

/// A candidate hand-over: block `from` gives `cells` (up to three of its column next to
/// `to`) to block `to`.
struct Move {
    from: usize,
    to: usize,
    cells: Vec<usize>,
    cases: usize,
}

/// Builds one duty layer over both versions of the grids; `cases` counts last year's cases
/// per unit-grid code (the hand-over takes the unit grids with the most).
pub fn build(
    spec: Spec,
    g: &Grids,
    hy: &Hierarchy,
    cases: &HashMap<&str, usize>,
    seed: u64,
) -> Duty {
    let mut rng = Rng::stream(seed, spec.stream);
    let lat = &g.new.lattice;
    let atom = atoms(g);
    let cx = Ctx {
        g,
        hy,
        spec,
        seed,
        in_old: g.old.cell_comm.iter().map(|&c| c != NONE).collect(),
        in_new: g.new.cell_comm.iter().map(|&c| c != NONE).collect(),
        cell_area: (0..lat.cells())
            .map(|c| signed_area2(&lat.cell_ring(c)).abs() / 2.0)
            .collect(),
    };
    let rects: Vec<Vec<Rect>> = hy
        .streets
        .iter()
        .map(|s| blocks(s.rect, spec.cells, &atom, lat, &mut rng))
        .collect();
    let base = number(rects, spec.per_team);
    let whole: Vec<bool> = base.iter().map(|b| cx.whole(b.rect)).collect();
    let all: Vec<Vec<usize>> = base
        .iter()
        .map(|b| cells_of(b.rect, lat).collect())
        .collect();
    // A team is neutral when its unit grids are as many this year as last year.
    let mut team_delta: BTreeMap<(usize, usize), i64> = BTreeMap::new();
    for (b, cells) in base.iter().zip(&all) {
        let (o, n) = cx.unit_grids(cells);
        *team_delta.entry((b.street, b.team)).or_default() += n as i64 - o as i64;
    }
    let neutral = |b: &Block| team_delta.get(&(b.street, b.team)) == Some(&0);
    // Neighbours in a row of blocks, both with all their cells in both versions.
    let pairs: Vec<(usize, usize)> = (1..base.len())
        .filter(|&i| {
            let (l, r) = (&base[i - 1], &base[i]);
            l.street == r.street
                && l.rect.r0 == r.rect.r0
                && l.rect.h == r.rect.h
                && whole[i - 1]
                && whole[i]
        })
        .map(|i| (i - 1, i))
        .collect();

    // The hand-over: up to three plain cells of a column to the neighbour of another team.
    let mut moves: Vec<Move> = Vec::new();
    for &(l, r) in pairs.iter().filter(|&&(l, r)| base[l].team != base[r].team) {
        let (bl, br) = (base[l].rect, base[r].rect);
        for (from, to, col) in [(l, r, bl.c0 + bl.w - 1), (r, l, br.c0)] {
            let (giver, taker) = (base[from].rect, base[to].rect);
            let m = giver.h.min(3);
            for first in giver.r0..=giver.r0 + giver.h - m {
                let cells: Vec<usize> = (first..first + m).map(|row| lat.cell(col, row)).collect();
                if !cells.iter().all(|&c| g.plain[c]) {
                    continue;
                }
                let moved = cx.area(cells.iter().copied());
                let kept = cx.area(cells_of(giver, lat)) - moved;
                if kept <= 1.5 * moved || cx.area(cells_of(taker, lat)) <= 1.5 * moved {
                    continue;
                }
                let count = cx.cases(&cells, cases);
                moves.push(Move {
                    from,
                    to,
                    cells,
                    cases: count,
                });
            }
        }
    }
    rng.shuffle(&mut moves);
    let rank = |m: &Move| (neutral(&base[m.from]) && neutral(&base[m.to]), m.cases);
    let chosen = moves
        .iter()
        .enumerate()
        .max_by(|a, b| rank(a.1).cmp(&rank(b.1)).then(b.0.cmp(&a.0)))
        .map(|(_, m)| m);
    let mut used: BTreeSet<usize> = chosen
        .map(|m| [m.from, m.to])
        .into_iter()
        .flatten()
        .collect();

    // The split: the largest block that can be cut in the middle (a block of two rows or
    // columns is cut into two of one).
    let mut order: Vec<usize> = (0..base.len()).filter(|i| whole[*i]).collect();
    rng.shuffle(&mut order);
    order.sort_by_key(|&i| std::cmp::Reverse(base[i].rect.w * base[i].rect.h));
    let split = order
        .iter()
        .copied()
        .filter(|i| !used.contains(i))
        .find_map(|i| {
            let (a, z) = halves(base[i].rect, &atom, lat)?;
            Some((i, a, z))
        });
    if let Some((i, _, _)) = split {
        used.insert(i);
    }
    // The merge: the smallest two neighbours of one team.
    let mut merge_pairs: Vec<(usize, usize)> = pairs
        .iter()
        .copied()
        .filter(|&(l, r)| base[l].team == base[r].team && !used.contains(&l) && !used.contains(&r))
        .collect();
    rng.shuffle(&mut merge_pairs);
    let size = |(l, r): (usize, usize)| all[l].len() + all[r].len();
    let merge = merge_pairs.into_iter().min_by_key(|&p| size(p));

    // This year's duty grids, and the differences.
    let effective = super::NEW.1;
    let start_of = |b: &Block| {
        let h = hash(seed, &[spec.stream, 1, b.street as u64, b.seq as u64]);
        STARTS[(h % STARTS.len() as u64) as usize]
    };
    let mut last_seq: BTreeMap<usize, usize> = BTreeMap::new();
    for b in &base {
        let e = last_seq.entry(b.street).or_insert(0);
        *e = (*e).max(b.seq);
    }
    let old_pieces: Vec<Piece> = base
        .iter()
        .zip(&all)
        .map(|(b, cells)| Piece {
            block: *b,
            cells: cells.clone(),
            start: start_of(b),
        })
        .collect();
    let code = |b: &Block| cx.code(b);
    let mut new_pieces: Vec<Piece> = Vec::new();
    let mut changes: Vec<GridDiff> = Vec::new();
    for (i, b) in base.iter().enumerate() {
        let piece = |block: Block, cells: Vec<usize>| Piece {
            block,
            cells,
            start: effective,
        };
        if let Some(m) = chosen.filter(|m| m.from == i || m.to == i) {
            let cells: Vec<usize> = if m.from == i {
                all[i]
                    .iter()
                    .copied()
                    .filter(|c| !m.cells.contains(c))
                    .collect()
            } else {
                all[i].iter().chain(&m.cells).copied().collect()
            };
            new_pieces.push(piece(*b, cells));
        } else if let Some((_, a, z)) = split.filter(|s| s.0 == i) {
            let seq = last_seq.entry(b.street).or_insert(b.seq);
            *seq += 1;
            let first = Block { rect: a, ..*b };
            let second = Block {
                rect: z,
                seq: *seq,
                ..*b
            };
            let mut new = vec![code(&first), code(&second)];
            new.sort();
            changes.push(GridDiff {
                relation: GridRelation::Split,
                old: vec![code(b)],
                new,
            });
            new_pieces.push(piece(first, cells_of(a, lat).collect()));
            new_pieces.push(piece(second, cells_of(z, lat).collect()));
        } else if let Some((_, r)) = merge.filter(|p| p.0 == i) {
            changes.push(GridDiff {
                relation: GridRelation::Merged,
                old: vec![code(b), code(&base[r])],
                new: vec![code(b)],
            });
            new_pieces.push(piece(*b, all[i].iter().chain(&all[r]).copied().collect()));
        } else if merge.is_some_and(|p| p.1 == i) {
            // Joined to its western neighbour.
        } else if !whole[i] {
            // Unit grids added or removed at the district's edge.
            changes.push(GridDiff {
                relation: GridRelation::Reshaped,
                old: vec![code(b)],
                new: vec![code(b)],
            });
            new_pieces.push(piece(*b, all[i].clone()));
        } else {
            new_pieces.push(Piece {
                block: *b,
                cells: all[i].clone(),
                start: start_of(b),
            });
        }
    }
    let moved = chosen.map(|m| {
        let (from, to) = (&base[m.from], &base[m.to]);
        let mut codes = vec![code(from), code(to)];
        codes.sort();
        changes.push(GridDiff {
            relation: GridRelation::Reshaped,
            old: codes.clone(),
            new: codes,
        });
        let mut grids: Vec<String> = m
            .cells
            .iter()
            .filter_map(|&c| g.new.grids_at(c).next())
            .map(|k| g.new.grids[k].code.clone())
            .collect();
        grids.sort();
        DutyMove {
            grids,
            from: code(from),
            to: code(to),
            from_team: cx.team(from),
            to_team: cx.team(to),
        }
    });
    changes.sort_by(|a, b| (a.relation, &a.old, &a.new).cmp(&(b.relation, &b.old, &b.new)));
    let old = cx.version(&old_pieces, &cx.in_old);
    let new = cx.version(&new_pieces, &cx.in_new);

    // The teams' unit grids in each version.
    let mut per_team: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for r in &old.grids {
        per_team.entry(r.team.clone()).or_default().0 += cx.unit_grids(&r.cells).0;
    }
    for r in &new.grids {
        per_team.entry(r.team.clone()).or_default().1 += cx.unit_grids(&r.cells).1;
    }
    let teams = per_team.len();
    let teams_changed = per_team
        .into_iter()
        .filter(|(_, (o, n))| o != n)
        .map(|(team, (old, new))| TeamGrids { team, old, new })
        .collect();
    let facts = DutyFacts {
        layer: spec.name.to_string(),
        old: old.grids.len(),
        new: new.grids.len(),
        teams,
        changes,
        moved,
        teams_changed,
    };
    Duty { old, new, facts }
}

/// Last year's cases per unit-grid code they were filed under.
pub fn cases_per_grid(cases: &Layer) -> HashMap<&str, usize> {
    let mut out = HashMap::new();
    let Some(col) = cases.fields.iter().position(|f| f.name == "grid") else {
        return out;
    };
    for i in 0..cases.len() {
        if let Some(code) = cases.columns[col].get(i).filter(|c| !c.is_empty()) {
            *out.entry(code).or_insert(0) += 1;
        }
    }
    out
}
