//! Addresses and points of interest (地址/兴趣点): housing estates, schools, clinics,
//! shops, banks, parks and offices, each with a full postal address.

use geo::Coord;

use super::admin::Hierarchy;
use super::rng::Rng;
use super::tiling::mm;
use super::versions::Grids;

/// One address point.
#[derive(Debug, Clone)]
pub struct Poi {
    /// Address code.
    pub code: String,
    /// 名称
    pub name: String,
    /// 地址
    pub address: String,
    /// 类别
    pub class: &'static str,
    /// Where it is.
    pub at: Coord,
}

const ROADS: [&str; 16] = [
    "世纪大道",
    "泉安路",
    "青梅路",
    "梅岭路",
    "晋江大道",
    "曾井路",
    "学府路",
    "和平路",
    "迎宾路",
    "长兴路",
    "桂山路",
    "双沟路",
    "兰峰路",
    "陈村路",
    "罗裳路",
    "发展大道",
];
const ESTATES: [&str; 12] = [
    "阳光", "世纪", "金色", "锦绣", "宝龙", "万科", "泰禾", "滨江", "书香", "御景", "凤凰", "绿洲",
];
const BANKS: [&str; 5] = [
    "中国工商银行",
    "中国建设银行",
    "中国农业银行",
    "中国银行",
    "晋江农商银行",
];

/// How many points a district of `grids` grids gets.
pub fn count(grids: usize) -> usize {
    (grids / 3).clamp(60, 3_000)
}

/// Places `n` address points in cells both versions share, the same in both.
pub fn generate(g: &Grids, hy: &Hierarchy, region: &str, n: usize, seed: u64) -> Vec<Poi> {
    let mut rng = Rng::stream(seed, 40);
    let lat = &g.new.lattice;
    let cells: Vec<usize> = (0..lat.cells()).filter(|&c| g.plain[c]).collect();
    let mut out = Vec::with_capacity(n);
    let mut schools = 0;
    let mut placed: Vec<Vec<Coord>> = vec![Vec::new(); lat.cells()];
    for i in 0..n {
        let Some(&cell) = rng.pick(&cells) else { break };
        let comm = &hy.communities[hy.cell_community[cell] as usize];
        let street = &hy.streets[comm.street];
        let short = comm.name.trim_end_matches("社区").trim_end_matches('村');
        let place = street.name.trim_end_matches("街道").trim_end_matches('镇');
        let estate = rng.pick(&ESTATES).copied().unwrap_or("阳光");
        let (class, name) = match rng.below(10) {
            0..=3 => {
                let kind = ["花园", "小区", "新村", "苑"][rng.below(4)];
                ("住宅小区", format!("{estate}{kind}"))
            }
            4 => {
                schools += 1;
                if comm.name.ends_with('村') {
                    ("学校", format!("{short}小学"))
                } else {
                    ("学校", format!("晋江市{place}第{}小学", schools))
                }
            }
            5 => ("医疗卫生", format!("{}卫生服务站", comm.name)),
            6 => {
                let bank = rng.pick(&BANKS).copied().unwrap_or("中国银行");
                ("金融", format!("{bank}晋江{place}支行"))
            }
            7 => ("商业", format!("{estate}购物广场")),
            8 => ("公园广场", format!("{short}公园")),
            _ => {
                let office = if comm.name.ends_with('村') {
                    "村民委员会"
                } else {
                    "居民委员会"
                };
                ("机关团体", format!("{short}{office}"))
            }
        };
        let road = rng.pick(&ROADS).copied().unwrap_or("世纪大道");
        let number = 1 + rng.below(600);
        // Keep points apart: two like-named addresses a metre apart look doubled.
        let mut c = lat.bilinear(cell, rng.range(0.15, 0.85), rng.range(0.15, 0.85));
        for _ in 0..16 {
            let near = |q: &Coord| (q.x - c.x) * (q.x - c.x) + (q.y - c.y) * (q.y - c.y) < 4.0;
            if !placed[cell].iter().any(near) {
                break;
            }
            c = lat.bilinear(cell, rng.range(0.15, 0.85), rng.range(0.15, 0.85));
        }
        placed[cell].push(c);
        out.push(Poi {
            code: format!("{region}{:08}", i + 1),
            name,
            address: format!(
                "福建省泉州市晋江市{}{}{road}{number}号",
                street.name, comm.name
            ),
            class,
            at: Coord {
                x: mm(c.x),
                y: mm(c.y),
            },
        });
    }
    out
}
