//! What coordinate systems and GDAL sources make gridkeeper say: the findings about
//! reprojection and implausible coordinates, the errors of transformations that cannot be
//! done, and those of sources GDAL cannot read.

use super::{Lang, Msg};
use crate::error::{Problem, TransformFault};

/// The message of a CRS finding.
pub(super) fn render(m: &Msg, lang: Lang) -> String {
    match m {
        Msg::CrsReprojected { from, to } => tr!(
            lang,
            "图层坐标系为 {from}，已转换到清单要求的 {to} 后检查",
            "the layer, in {from}, was reprojected to the manifest's {to} before checking"
        ),
        Msg::CrsOutOfArea { crs, count, area } => tr!(
            lang,
            "{count} 个要素的坐标不在坐标系 {crs} 的适用范围（{area}）内；请核对坐标系是否声明正确",
            "{count} feature(s) with coordinates outside where {crs} applies ({area}): check that the CRS is declared right"
        ),
        Msg::CrsAxesSwapped {
            crs,
            count,
            geographic: true,
        } => tr!(
            lang,
            "{count} 个要素的经纬度像是颠倒了（x 为纬度、y 为经度）；{crs} 要求 x 为经度、y 为纬度",
            "{count} feature(s) look as if longitude and latitude were swapped (x holds the latitude, y the longitude); {crs} wants x = longitude, y = latitude"
        ),
        Msg::CrsAxesSwapped {
            crs,
            count,
            geographic: false,
        } => tr!(
            lang,
            "{count} 个要素的坐标像是东坐标与北坐标颠倒了；{crs} 要求 x 为东坐标（Y）、y 为北坐标（X）",
            "{count} feature(s) look as if easting and northing were swapped; {crs} wants x = easting, y = northing"
        ),
        Msg::CrsZonePrefix {
            crs,
            count,
            expected,
            found,
            fits,
        } => {
            let fits = match fits {
                Some(f) => tr!(lang, "；这些坐标与 {f} 相符", "; they fit {f}"),
                None => String::new(),
            };
            match (expected, found) {
                (Some(e), Some(f)) => tr!(
                    lang,
                    "{count} 个要素的东坐标带号前缀为 {f}，而 {crs} 的带号为 {e}{fits}",
                    "{count} feature(s) have eastings with the zone prefix {f}, {crs} expects {e}{fits}"
                ),
                (Some(z), None) => tr!(
                    lang,
                    "{count} 个要素的东坐标缺少带号前缀 {z}（{crs} 的东坐标应含带号）{fits}",
                    "{count} feature(s) have eastings without the zone prefix {z} that {crs} expects{fits}"
                ),
                (None, Some(z)) => tr!(
                    lang,
                    "{count} 个要素的东坐标带有带号前缀 {z}，而 {crs} 的东坐标不含带号{fits}",
                    "{count} feature(s) have eastings with a zone prefix {z}, which {crs} does not use{fits}"
                ),
                (None, None) => tr!(
                    lang,
                    "{count} 个要素的东坐标带号与 {crs} 不符{fits}",
                    "{count} feature(s) have eastings whose zone does not match {crs}{fits}"
                ),
            }
        }
        _ => String::new(),
    }
}

/// Why a transformation cannot be done.
fn fault(f: &TransformFault, zh: bool) -> String {
    let lang = if zh { Lang::Zh } else { Lang::En };
    match f {
        TransformFault::Unrecognised { crs } => tr!(
            lang,
            "无法识别坐标系“{crs}”，不能转换（请用 EPSG:代码，或 gridkeeper 能识别的 .prj/WKT；用 --features gdal 构建可转换任意 WKT）",
            "“{crs}” is not a CRS gridkeeper can transform (give EPSG:code, or a .prj/WKT gridkeeper recognises; a build with --features gdal transforms any WKT)"
        ),
        TransformFault::NeedsParameters { datum } => tr!(
            lang,
            "需要更换基准（{datum} → CGCS2000），但未提供本市的七参数；请在 dataset.toml 中加入 towgs84 = [dx, dy, dz, rx, ry, rz, ds]（米、角秒、ppm，位置矢量法），或用 --towgs84 指定；gridkeeper 不会猜测参数",
            "a datum change ({datum} → CGCS2000) needs the city's seven parameters: add towgs84 = [dx, dy, dz, rx, ry, rz, ds] (metres, arc-seconds, ppm, position vector) to dataset.toml, or give --towgs84; gridkeeper does not guess them"
        ),
        TransformFault::Definition { message } => tr!(
            lang,
            "坐标转换库不接受该坐标系的定义：{message}",
            "the transformation library refused the CRS's definition: {message}"
        ),
        TransformFault::NoTarget => tr!(
            lang,
            "没有可转换到的坐标系：请在 dataset.toml 中写明 crs = \"EPSG:…\"，或用 --crs 指定",
            "there is no CRS to reproject to: set crs = \"EPSG:…\" in dataset.toml, or give --crs"
        ),
        TransformFault::Coordinate {
            feature: Some(i),
            at: [x, y],
        } => tr!(
            lang,
            "第 {i} 个要素（从 0 计）的坐标 ({x}, {y}) 无法转换（超出该投影的范围）",
            "feature {i} (zero-based): the coordinate ({x}, {y}) cannot be transformed (outside what the projection covers)"
        ),
        TransformFault::Coordinate { feature: None, at: [x, y] } => tr!(
            lang,
            "坐标 ({x}, {y}) 无法转换（超出该投影的范围）",
            "the coordinate ({x}, {y}) cannot be transformed (outside what the projection covers)"
        ),
    }
}

/// The text of a CRS problem.
pub(super) fn problem(p: &Problem, zh: bool) -> String {
    let lang = if zh { Lang::Zh } else { Lang::En };
    match p {
        Problem::Reproject {
            layer,
            from,
            to,
            fault: f,
        } => {
            let why = fault(f, zh);
            match layer {
                Some(l) => tr!(
                    lang,
                    "图层 {l} 无法从 {from} 转换到 {to}：{why}",
                    "layer {l} cannot be reprojected from {from} to {to}: {why}"
                ),
                None => tr!(
                    lang,
                    "无法从 {from} 转换到 {to}：{why}",
                    "cannot reproject from {from} to {to}: {why}"
                ),
            }
        }
        Problem::Gdal { message } => tr!(
            lang,
            "GDAL 无法读取：{message}",
            "GDAL cannot read it: {message}"
        ),
        Problem::GdalLayer {
            wanted: Some(w),
            layers,
        } => tr!(
            lang,
            "没有名为“{w}”的图层（现有图层：{}）",
            "there is no layer “{w}” (its layers: {})",
            layers.join(", ")
        ),
        Problem::GdalLayer {
            wanted: None,
            layers,
        } => tr!(
            lang,
            "该数据源有多个图层（{}），请写作 文件:图层，例如 district.gpkg:grids",
            "the source has several layers ({}): name one as file:layer, e.g. district.gpkg:grids",
            layers.join(", ")
        ),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gdal_problems_read_in_both_languages() {
        for p in [
            Problem::Gdal {
                message: "not recognized as a supported file format".into(),
            },
            Problem::GdalLayer {
                wanted: Some("grid".into()),
                layers: vec!["grids".into(), "streets".into()],
            },
            Problem::GdalLayer {
                wanted: None,
                layers: vec!["grids".into(), "streets".into()],
            },
        ] {
            let (zh, en) = (problem(&p, true), problem(&p, false));
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{zh}"
            );
            assert!(
                !en.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{en}"
            );
        }
    }

    #[test]
    fn every_fault_reads_in_both_languages() {
        for f in [
            TransformFault::Unrecognised { crs: "foo".into() },
            TransformFault::NeedsParameters {
                datum: "Xian 1980".into(),
            },
            TransformFault::Definition {
                message: "bad".into(),
            },
            TransformFault::NoTarget,
            TransformFault::Coordinate {
                feature: Some(3),
                at: [1.0, 2.0],
            },
            TransformFault::Coordinate {
                feature: None,
                at: [1.0, 2.0],
            },
        ] {
            for layer in [Some("grids".to_string()), None] {
                let p = Problem::Reproject {
                    layer,
                    from: "EPSG:2385".into(),
                    to: "EPSG:4549".into(),
                    fault: Box::new(f.clone()),
                };
                let zh = problem(&p, true);
                let en = problem(&p, false);
                assert!(
                    zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                    "{zh}"
                );
                assert!(
                    en.is_ascii() || !en.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                    "{en}"
                );
                assert!(en.contains("EPSG:2385") && zh.contains("EPSG:4549"));
            }
        }
    }
}
