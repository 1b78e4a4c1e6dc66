//! The administrative hierarchy of the demo district: streets/towns (街道/镇) as rectangular
//! blocks of communities/villages (社区/村), communities as rectangular blocks of cells.

use super::rng::Rng;

/// A block of lattice cells: columns `c0..c0 + w`, rows `r0..r0 + h`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rect {
    /// First column.
    pub c0: usize,
    /// First row.
    pub r0: usize,
    /// Columns.
    pub w: usize,
    /// Rows.
    pub h: usize,
}

/// A street or town (街道/镇).
#[derive(Debug, Clone)]
pub struct StreetDef {
    /// 9-digit code: region + 001…099 for a 街道, 101… for a 镇.
    pub code: String,
    /// Its Chinese name.
    pub name: String,
    /// Its cells.
    pub rect: Rect,
}

/// A community or village (社区/村).
#[derive(Debug, Clone)]
pub struct CommunityDef {
    /// 12-digit code: street code + 3 digits.
    pub code: String,
    /// Its Chinese name.
    pub name: String,
    /// Index of its street.
    pub street: usize,
    /// Its cells.
    pub rect: Rect,
}

/// The hierarchy over a `w × h` lattice.
#[derive(Debug, Clone)]
pub struct Hierarchy {
    /// Streets in code order.
    pub streets: Vec<StreetDef>,
    /// Communities in code order.
    pub communities: Vec<CommunityDef>,
    /// The community (index) of every cell, row-major.
    pub cell_community: Vec<u32>,
}

const STREETS: [&str; 6] = ["青阳", "梅岭", "西园", "罗山", "灵源", "新塘"];
const TOWNS: [&str; 2] = ["安海", "磁灶"];
const COMMUNITY_STEMS: [&str; 40] = [
    "阳光", "梅峰", "桂山", "双沟", "曾井", "湖光", "新华", "青华", "洋埭", "象山", "岭山", "后洋",
    "前港", "御辇", "霞浦", "龙湖", "西滨", "英林", "金井", "深沪", "永和", "东石", "内坑", "紫帽",
    "池店", "灵水", "世纪", "泉安", "学府", "和平", "迎宾", "长兴", "五店", "竹树", "湖中", "大埔",
    "溪边", "钱头", "塘市", "凤竹",
];
const VILLAGE_STEMS: [&str; 30] = [
    "东山", "西畲", "南庄", "北湖", "上郭", "下浦", "前埔", "后坑", "石龟", "溪前", "古厝", "沙塘",
    "埭头", "坑口", "山前", "洪溪", "林边", "新店", "旧街", "庄头", "水头", "炉前", "后宅", "大宅",
    "曾坑", "苏厝", "柯坑", "吕厝", "蔡店", "黄墩",
];
const SUFFIXES: [&str; 8] = ["东", "西", "南", "北", "中", "新", "上", "下"];

/// How many streets a district of `cells` cells has (3–8).
pub fn street_count(cells: usize) -> usize {
    match cells {
        0..200 => 3,
        200..600 => 4,
        600..1_500 => 5,
        1_500..5_000 => 6,
        5_000..20_000 => 7,
        _ => 8,
    }
}

/// Cuts `total` into `weights.len()` runs of at least `min`, proportional to the weights
/// with a little jitter. Returns the run lengths.
fn split_len(total: usize, weights: &[usize], min: usize, rng: &mut Rng) -> Vec<usize> {
    let n = weights.len();
    let sum: usize = weights.iter().sum::<usize>().max(1);
    let mut bounds = vec![0usize; n + 1];
    bounds[n] = total;
    let mut acc = 0;
    for i in 1..n {
        acc += weights[i - 1];
        let ideal = total as f64 * acc as f64 / sum as f64;
        let step = total as f64 / n as f64;
        let jit = rng.range(-0.15, 0.15) * step;
        bounds[i] = (ideal + jit).round().max(0.0) as usize;
    }
    for i in 1..n {
        bounds[i] = bounds[i].max(bounds[i - 1] + min);
    }
    for i in (1..n).rev() {
        bounds[i] = bounds[i].min(bounds[i + 1].saturating_sub(min));
    }
    bounds.windows(2).map(|w| w[1] - w[0]).collect()
}

/// Splits a rectangle into at most `k` rectangles of at least `min × min`, in rows of
/// roughly equal blocks; returned north → south, west → east.
pub(super) fn partition(rect: Rect, k: usize, min: usize, rng: &mut Rng) -> Vec<Rect> {
    let mut k = k.max(1);
    let (rows, counts) = loop {
        let rows = ((k as f64 * rect.h as f64 / rect.w.max(1) as f64)
            .sqrt()
            .round() as usize)
            .clamp(1, k);
        let counts: Vec<usize> = (0..rows)
            .map(|i| k / rows + usize::from(i < k % rows))
            .collect();
        let widest = counts.iter().copied().max().unwrap_or(1);
        if k == 1 || (rect.h >= rows * min && rect.w >= widest * min) {
            break (rows, counts);
        }
        k -= 1;
    };
    let heights = split_len(rect.h, &counts, min, rng);
    let mut out = Vec::with_capacity(k);
    let mut r0 = rect.r0;
    for (row, &h) in heights.iter().enumerate().take(rows) {
        let widths = split_len(rect.w, &vec![1; counts[row]], min, rng);
        let mut c0 = rect.c0;
        for w in widths {
            out.push(Rect { c0, r0, w, h });
            c0 += w;
        }
        r0 += h;
    }
    out
}

fn community_name(stems: &[&str], i: usize, kind: &str) -> String {
    let stem = stems[i % stems.len()];
    let round = i / stems.len();
    if round == 0 {
        format!("{stem}{kind}")
    } else {
        let suffix = SUFFIXES[(round - 1) % SUFFIXES.len()];
        let again = (round - 1) / SUFFIXES.len();
        if again == 0 {
            format!("{stem}{suffix}{kind}")
        } else {
            format!("{stem}{suffix}{}{kind}", again + 1)
        }
    }
}

/// Lays out streets and communities over a `w × h` lattice.
pub fn build(region: &str, w: usize, h: usize, rng: &mut Rng) -> Hierarchy {
    let cells = w * h;
    let n_streets = street_count(cells);
    let blocks = partition(Rect { c0: 0, r0: 0, w, h }, n_streets, 4, rng);
    let n_towns = if blocks.len() <= 4 { 1 } else { 2 };
    let n_jd = blocks.len().saturating_sub(n_towns);
    let mut streets = Vec::with_capacity(blocks.len());
    for (i, rect) in blocks.iter().enumerate() {
        let (code, name) = if i < n_jd {
            (
                format!("{region}{:03}", i + 1),
                format!("{}街道", STREETS[i % 6]),
            )
        } else {
            let t = i - n_jd;
            (
                format!("{region}{:03}", 101 + t),
                format!("{}镇", TOWNS[t % 2]),
            )
        };
        streets.push(StreetDef {
            code,
            name,
            rect: *rect,
        });
    }
    let per_street = cells / streets.len().max(1);
    let target = (per_street / 150).max(30);
    let mut communities = Vec::new();
    let (mut n_comm, mut n_vil) = (0, 0);
    for (si, s) in streets.iter().enumerate() {
        let area = s.rect.w * s.rect.h;
        let k = ((area as f64 / target as f64).round() as usize).max(2);
        let town = si >= n_jd;
        for (ci, rect) in partition(s.rect, k, 2, rng).into_iter().enumerate() {
            // Towns: the first two are residents' committees (社区, 001…), then villages
            // (村, 201…); streets: all 社区.
            let (seq, name) = if town && ci >= 2 {
                n_vil += 1;
                (
                    201 + ci - 2,
                    community_name(&VILLAGE_STEMS, n_vil - 1, "村"),
                )
            } else {
                n_comm += 1;
                (ci + 1, community_name(&COMMUNITY_STEMS, n_comm - 1, "社区"))
            };
            communities.push(CommunityDef {
                code: format!("{}{seq:03}", s.code),
                name,
                street: si,
                rect,
            });
        }
    }
    let mut cell_community = vec![0u32; cells];
    for (k, c) in communities.iter().enumerate() {
        for r in c.rect.r0..c.rect.r0 + c.rect.h {
            for col in c.rect.c0..c.rect.c0 + c.rect.w {
                cell_community[r * w + col] = k as u32;
            }
        }
    }
    Hierarchy {
        streets,
        communities,
        cell_community,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_cover_the_lattice_once() {
        for (w, h) in [(8, 8), (9, 8), (22, 18), (34, 27), (60, 50), (250, 200)] {
            let mut rng = Rng::new(5);
            let hy = build("350582", w, h, &mut rng);
            let mut count = vec![0; w * h];
            for c in &hy.communities {
                assert!(c.rect.w >= 2 && c.rect.h >= 2, "{c:?}");
                let s = &hy.streets[c.street].rect;
                assert!(c.rect.c0 >= s.c0 && c.rect.c0 + c.rect.w <= s.c0 + s.w);
                assert!(c.rect.r0 >= s.r0 && c.rect.r0 + c.rect.h <= s.r0 + s.h);
                assert!(c.code.starts_with(&hy.streets[c.street].code));
                for r in c.rect.r0..c.rect.r0 + c.rect.h {
                    for col in c.rect.c0..c.rect.c0 + c.rect.w {
                        count[r * w + col] += 1;
                    }
                }
            }
            assert!(count.iter().all(|&n| n == 1));
            assert!((3..=8).contains(&hy.streets.len()));
            let mut names: Vec<&str> = hy.communities.iter().map(|c| c.name.as_str()).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), hy.communities.len(), "community names repeat");
            for s in 0..hy.streets.len() {
                assert!(hy.communities.iter().filter(|c| c.street == s).count() >= 2);
            }
        }
    }

    #[test]
    fn split_len_keeps_minimum_and_total() {
        let mut rng = Rng::new(9);
        for total in [4, 7, 20, 101] {
            for n in 1..=total / 2 {
                let runs = split_len(total, &vec![1; n], 2, &mut rng);
                assert_eq!(runs.iter().sum::<usize>(), total);
                assert!(runs.iter().all(|&r| r >= 2), "{runs:?}");
            }
        }
    }
}
