//! The message catalogue (消息目录): every sentence a user reads, in Chinese and English.
//!
//! Findings carry a [`Msg`] (what was found, with its values); errors are rendered by
//! [`error_text`]; report headings and summaries by [`Text`]. Chinese is the default.

use std::fmt::Write as _;

use crate::error::{DbfFault, Error, Expected, Problem, RecordFault};
use crate::io::ShxFault;

/// A report language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// 中文 (default).
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// Picks between the two texts.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// What a finding says, with the values it says it about.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[non_exhaustive]
#[allow(missing_docs)]
pub enum Msg {
    LayerMissing {
        layer: String,
    },
    LayerEmpty,
    FieldMissing {
        tried: Vec<String>,
    },
    CrsMismatch {
        found: String,
        expected: String,
    },
    CrsMissing {
        expected: Option<String>,
    },
    CrsUnrecognised {
        text: String,
    },
    EncodingGuessed {
        encoding: String,
    },
    ShxMissing,
    ShxMismatch {
        fault: ShxFault,
    },
    TrailingBytes {
        file: String,
        bytes: u64,
    },
    RecordCountMismatch {
        shapes: usize,
        records: usize,
    },
    DbfMissing,
    MultiPatch,
    AttrRequired,
    AttrType {
        value: String,
        expected: String,
        format: Option<String>,
    },
    AttrPattern {
        value: String,
        pattern: String,
    },
    AttrEnum {
        value: String,
        allowed: Vec<String>,
    },
    AttrRange {
        value: String,
        minimum: Option<String>,
        maximum: Option<String>,
    },
    AttrLength {
        value: String,
        min: Option<usize>,
        max: Option<usize>,
    },
    AttrUnique {
        value: String,
        first: String,
    },
    KeyDuplicate {
        value: String,
        first: usize,
    },
    KeyForeign {
        value: String,
        layer: String,
    },
    CodeLength {
        value: String,
        found: usize,
        expected: usize,
    },
    CodeSegment {
        value: String,
        segment: String,
        text: String,
        pattern: String,
    },
    CodeRegion {
        value: String,
        part: String,
        region: String,
    },
    CodeParent {
        value: String,
        segments: String,
        part: String,
        field: String,
        expected: String,
    },
    ClassUnknown {
        class: String,
        table: String,
    },
    ClassTableEmpty {
        table: String,
    },
    DateOrder {
        start: String,
        end: String,
    },
    AdminUnknown {
        code: String,
    },
    AdminName {
        code: String,
        name: String,
        expected: String,
    },
    GeomInvalid {
        defect: String,
        polygon: usize,
        ring: usize,
    },
    RingNotClosed {
        ring: usize,
    },
    TooFewPoints {
        part: usize,
        points: usize,
    },
    InvalidCoordinate {
        part: usize,
    },
    CoordinateText {
        text: String,
    },
    GeomNull,
    GeomType {
        found: String,
        expected: String,
    },
    GeomZm,
    RepeatedVertex {
        count: usize,
    },
    ShortSegment {
        length: f64,
        min: f64,
    },
    Sliver {
        area: f64,
        thinness: f64,
    },
    SmallArea {
        area: f64,
        min: f64,
    },
    GridArea {
        area: f64,
        nominal: f64,
        factor: f64,
    },
    Overlap {
        other: String,
        area: f64,
    },
    Gap {
        area: f64,
        sliver: bool,
        edge: bool,
        neighbours: Vec<String>,
    },
    Hole {
        area: f64,
        owner: String,
    },
    VertexMismatch {
        other: String,
        count: usize,
    },
    NestOutsideParent {
        parent: String,
        outside: f64,
        shares: Vec<(String, f64)>,
    },
    NestWrongParent {
        stated: String,
        actual: String,
        share: f64,
    },
    NestUncovered {
        area: f64,
        covered_by: Vec<String>,
    },
    CompOutsideGrid,
    CompOnBoundary {
        grids: Vec<String>,
    },
    CompWrongGrid {
        stated: String,
        actual: String,
    },
    CompOutsideJurisdiction,
    CompDuplicate {
        other: String,
        distance: f64,
    },
    PoiOutsideJurisdiction,
    PoiDuplicate {
        other: String,
        distance: f64,
    },
}

fn list(items: &[String]) -> String {
    items.join(", ")
}

/// An area for messages: m² with two decimals.
fn m2(v: f64) -> String {
    format!("{v:.2}")
}

fn validity_text(kind: &str, zh: bool) -> &'static str {
    match (kind, zh) {
        ("too-few-points", true) => "环的不同顶点少于 3 个",
        ("too-few-points", false) => "a ring has fewer than 3 distinct points",
        ("invalid-coordinate", true) => "坐标为 NaN 或无穷大",
        ("invalid-coordinate", false) => "a coordinate is NaN or infinite",
        ("self-intersection", true) => "自相交（边相交或重叠）",
        ("self-intersection", false) => "self-intersection (edges cross or overlap)",
        ("ring-self-intersection", true) => "环自接触（环在一点与自身相接）",
        ("ring-self-intersection", false) => {
            "ring self-intersection (a ring touches itself at a point)"
        }
        ("hole-outside-shell", true) => "内环（洞）在外环之外",
        ("hole-outside-shell", false) => "hole outside shell",
        ("nested-holes", true) => "内环嵌套在另一内环中",
        ("nested-holes", false) => "nested holes",
        ("disconnected-interior", true) => "内环相接使面内部不连通",
        ("disconnected-interior", false) => {
            "disconnected interior (touching rings split the polygon)"
        }
        ("nested-shells", true) => "多部件面的一个部件位于另一部件内",
        ("nested-shells", false) => "nested shells (a part lies inside another part)",
        ("duplicate-rings", true) => "重复的环",
        ("duplicate-rings", false) => "duplicate rings",
        ("parts-share-edge", true) => "多部件面的部件共边",
        ("parts-share-edge", false) => "parts of the multipolygon share an edge",
        (_, true) => "几何无效",
        (_, false) => "invalid geometry",
    }
}

impl Msg {
    /// The sentence in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            Msg::LayerMissing { layer } => {
                if zh {
                    format!("缺少图层 {layer}：清单未列出，也未找到约定文件名")
                } else {
                    format!("layer {layer} is missing: not in the manifest and no file of a conventional name")
                }
            }
            Msg::LayerEmpty => lang
                .pick("图层没有要素", "the layer has no features")
                .into(),
            Msg::FieldMissing { tried } => {
                if zh {
                    format!("文件中没有该字段（已查找：{}）", list(tried))
                } else {
                    format!("the file has no such field (looked for: {})", list(tried))
                }
            }
            Msg::CrsMismatch { found, expected } => {
                if zh {
                    format!("坐标系为 {found}，与清单要求的 {expected} 不一致")
                } else {
                    format!("CRS is {found}, the manifest requires {expected}")
                }
            }
            Msg::CrsMissing { expected } => match (zh, expected) {
                (true, Some(e)) => format!("文件未说明坐标系（缺少 .prj 或 crs），清单要求 {e}"),
                (true, None) => "文件未说明坐标系（缺少 .prj 或 crs）".into(),
                (false, Some(e)) => format!(
                    "the file states no CRS (no .prj or crs member); the manifest requires {e}"
                ),
                (false, None) => "the file states no CRS (no .prj or crs member)".into(),
            },
            Msg::CrsUnrecognised { text } => {
                if zh {
                    format!("无法识别坐标系：{text}")
                } else {
                    format!("the CRS could not be recognised: {text}")
                }
            }
            Msg::EncodingGuessed { encoding } => {
                if zh {
                    format!("属性文本不是 UTF-8，且没有 .cpg 说明编码，已按 {encoding} 读取；请核对中文是否正确，或用 --encoding 指定")
                } else {
                    format!("attribute text is not UTF-8 and no .cpg names its encoding: read as {encoding}; check the Chinese text, or give --encoding")
                }
            }
            Msg::ShxMissing => lang
                .pick(
                    "缺少 .shx 索引文件，已直接扫描 .shp 读取",
                    "the .shx index is missing: records were read by scanning the .shp",
                )
                .into(),
            Msg::ShxMismatch { fault } => {
                let detail = match (zh, fault) {
                    (true, ShxFault::NotIndex) => ".shx 文件头不是 shapefile 索引".to_string(),
                    (false, ShxFault::NotIndex) => {
                        "its header is not a shapefile index header".to_string()
                    }
                    (true, ShxFault::Count { shx, shp }) => {
                        format!(".shx 列出 {shx} 条记录，.shp 有 {shp} 条")
                    }
                    (false, ShxFault::Count { shx, shp }) => {
                        format!("it lists {shx} records, the .shp holds {shp}")
                    }
                    (true, ShxFault::Offset { record, shx, shp }) => {
                        format!("第 {record} 条记录：.shx 给出偏移 {shx}，.shp 中实际位于 {shp}")
                    }
                    (false, ShxFault::Offset { record, shx, shp }) => {
                        format!(
                            "record {record}: the .shx says offset {shx}, the .shp has it at {shp}"
                        )
                    }
                };
                if zh {
                    format!(".shx 与 .shp 不一致（{detail}），已按 .shp 读取")
                } else {
                    format!("the .shx disagrees with the .shp ({detail}); the .shp was read")
                }
            }
            Msg::TrailingBytes { file, bytes } => {
                if zh {
                    format!("{file} 中有 {bytes} 字节不属于任何记录，已跳过")
                } else {
                    format!("{bytes} bytes of {file} belong to no record and were skipped")
                }
            }
            Msg::RecordCountMismatch { shapes, records } => {
                if zh {
                    format!(
                        ".shp 有 {shapes} 个图形，.dbf 有 {records} 条属性记录：属性可能与图形错位"
                    )
                } else {
                    format!("the .shp holds {shapes} shapes and the .dbf {records} records: attributes may not belong to their shapes")
                }
            }
            Msg::DbfMissing => lang
                .pick("缺少 .dbf 属性文件", "the .dbf attribute file is missing")
                .into(),
            Msg::MultiPatch => lang
                .pick(
                    "MultiPatch 三维面已按平面多边形读取",
                    "MultiPatch surfaces were read as flat polygons",
                )
                .into(),
            Msg::AttrRequired => lang.pick("必填值为空", "a required value is empty").into(),
            Msg::AttrType {
                value,
                expected,
                format,
            } => {
                let type_zh = match expected.as_str() {
                    "integer" => "整数",
                    "number" => "数值",
                    "date" => "日期",
                    "datetime" => "日期时间",
                    "year" => "年份",
                    "boolean" => "布尔值",
                    _ => "文本",
                };
                let fmt = match format.as_deref() {
                    None | Some("default") => match expected.as_str() {
                        "date" => " (YYYY-MM-DD)".to_string(),
                        _ => String::new(),
                    },
                    Some("any") => String::new(),
                    Some(f) => format!(" ({f})"),
                };
                if zh {
                    format!("“{value}”不是{type_zh}{fmt}")
                } else {
                    format!("“{value}” is not a valid {expected}{fmt}")
                }
            }
            Msg::AttrPattern { value, pattern } => {
                if zh {
                    format!("“{value}”不符合格式 {pattern}")
                } else {
                    format!("“{value}” does not match {pattern}")
                }
            }
            Msg::AttrEnum { value, allowed } => {
                if zh {
                    format!("“{value}”不是允许值（{}）", list(allowed))
                } else {
                    format!("“{value}” is not one of {}", list(allowed))
                }
            }
            Msg::AttrRange {
                value,
                minimum,
                maximum,
            } => {
                let range = format!(
                    "[{}, {}]",
                    minimum.as_deref().unwrap_or("-∞"),
                    maximum.as_deref().unwrap_or("+∞")
                );
                if zh {
                    format!("{value} 超出范围 {range}")
                } else {
                    format!("{value} is outside {range}")
                }
            }
            Msg::AttrLength { value, min, max } => {
                let n = value.chars().count();
                let range = format!(
                    "[{}, {}]",
                    min.map_or("0".to_string(), |m| m.to_string()),
                    max.map_or("∞".to_string(), |m| m.to_string())
                );
                if zh {
                    format!("“{value}”长 {n} 个字符，应在 {range} 之间")
                } else {
                    format!("“{value}” has {n} characters, allowed {range}")
                }
            }
            Msg::AttrUnique { value, first } => {
                if zh {
                    format!("“{value}”重复，已被 {first} 使用")
                } else {
                    format!("“{value}” repeats a value of {first}")
                }
            }
            Msg::KeyDuplicate { value, first } => {
                if zh {
                    format!("编码 {value} 重复，第 #{first} 个要素已使用")
                } else {
                    format!("code {value} is already used by feature #{first}")
                }
            }
            Msg::KeyForeign { value, layer } => {
                if zh {
                    format!("引用的 {value} 在图层 {layer} 中不存在")
                } else {
                    format!("{value} does not exist in layer {layer}")
                }
            }
            Msg::CodeLength {
                value,
                found,
                expected,
            } => {
                if zh {
                    format!("编码 {value} 为 {found} 位，应为 {expected} 位")
                } else {
                    format!("code {value} has {found} characters, {expected} are required")
                }
            }
            Msg::CodeSegment {
                value,
                segment,
                text,
                pattern,
            } => {
                if zh {
                    format!("编码 {value} 的 {segment} 段“{text}”不符合 {pattern}")
                } else {
                    format!("segment {segment} “{text}” of code {value} does not match {pattern}")
                }
            }
            Msg::CodeRegion {
                value,
                part,
                region,
            } => {
                if zh {
                    format!("编码 {value} 的区县代码 {part} 不是本区 {region}")
                } else {
                    format!("code {value}: county part {part} is not the region {region}")
                }
            }
            Msg::CodeParent {
                value,
                segments,
                part,
                field,
                expected,
            } => {
                if zh {
                    format!(
                        "编码 {value} 的 {segments} 部分为 {part}，而字段 {field} 为 {expected}"
                    )
                } else {
                    format!("code {value}: its {segments} part is {part} but field {field} is {expected}")
                }
            }
            Msg::ClassUnknown { class, table } => {
                if zh {
                    format!("类型 {class} 不在类型表 {table} 中")
                } else {
                    format!("class {class} is not in the {table} table")
                }
            }
            Msg::ClassTableEmpty { table } => {
                if zh {
                    format!("配置的类型表 {table} 为空（需由本市补充），未检查部件类型")
                } else {
                    format!("the profile's {table} table is empty (the city supplies it): classes were not checked")
                }
            }
            Msg::DateOrder { start, end } => {
                if zh {
                    format!("开始日期 {start} 晚于结束日期 {end}")
                } else {
                    format!("start date {start} is after end date {end}")
                }
            }
            Msg::AdminUnknown { code } => {
                if zh {
                    format!("区划代码 {code} 不在行政区划代码表中")
                } else {
                    format!("code {code} is not in the administrative code list")
                }
            }
            Msg::AdminName {
                code,
                name,
                expected,
            } => {
                if zh {
                    format!("{code} 的名称为“{name}”，代码表中为“{expected}”")
                } else {
                    format!("{code} is named “{name}”, the code list says “{expected}”")
                }
            }
            Msg::GeomInvalid {
                defect,
                polygon,
                ring,
            } => {
                let what = validity_text(defect, zh);
                let ring_zh = if *ring == 0 {
                    "外环".to_string()
                } else {
                    format!("第 {ring} 个内环")
                };
                let ring_en = if *ring == 0 {
                    "shell".to_string()
                } else {
                    format!("hole {ring}")
                };
                if zh {
                    format!("{what}（第 {} 个面，{ring_zh}）", polygon + 1)
                } else {
                    format!("{what} (part {}, {ring_en})", polygon + 1)
                }
            }
            Msg::RingNotClosed { ring } => {
                if zh {
                    format!("第 {} 个环未闭合（首末点不同）", ring + 1)
                } else {
                    format!(
                        "ring {} is not closed (first and last points differ)",
                        ring + 1
                    )
                }
            }
            Msg::TooFewPoints { part, points } => {
                if zh {
                    format!("第 {} 个环或部件只有 {points} 个点", part + 1)
                } else {
                    format!("ring or part {} has only {points} points", part + 1)
                }
            }
            Msg::InvalidCoordinate { part } => {
                if zh {
                    format!("坐标为 NaN 或无穷大（第 {} 部分）", part + 1)
                } else {
                    format!("a coordinate is NaN or infinite (part {})", part + 1)
                }
            }
            Msg::CoordinateText { text } => {
                if zh {
                    format!("坐标“{text}”不是数字")
                } else {
                    format!("coordinates “{text}” are not numbers")
                }
            }
            Msg::GeomNull => lang
                .pick("要素没有几何", "the feature has no geometry")
                .into(),
            Msg::GeomType { found, expected } => {
                if zh {
                    format!("几何类型为 {found}，图层要求 {expected}")
                } else {
                    format!("geometry is a {found}, the layer needs {expected}")
                }
            }
            Msg::GeomZm => lang
                .pick(
                    "数据含 Z 或 M 值（应为二维）",
                    "Z or M values present (2-D expected)",
                )
                .into(),
            Msg::RepeatedVertex { count } => {
                if zh {
                    format!("有 {count} 处连续重复顶点")
                } else {
                    format!("{count} repeated consecutive vertices")
                }
            }
            Msg::ShortSegment { length, min } => {
                if zh {
                    format!("边长 {length:.4} 米，短于 {min} 米")
                } else {
                    format!("a segment of {length:.4} m, shorter than {min} m")
                }
            }
            Msg::Sliver { area, thinness } => {
                if zh {
                    format!("狭长碎面：面积 {} 平方米，紧凑度 {thinness:.4}", m2(*area))
                } else {
                    format!("sliver: area {} m², thinness {thinness:.4}", m2(*area))
                }
            }
            Msg::SmallArea { area, min } => {
                if zh {
                    format!("面积 {} 平方米，小于 {min} 平方米", m2(*area))
                } else {
                    format!("area {} m² is below {min} m²", m2(*area))
                }
            }
            Msg::GridArea {
                area,
                nominal,
                factor,
            } => {
                if zh {
                    format!(
                        "网格面积 {} 平方米，远离标称面积 {nominal} 平方米（超出 {factor} 倍范围）",
                        m2(*area)
                    )
                } else {
                    format!(
                        "grid area {} m² is far from the nominal {nominal} m² (beyond a factor of {factor})",
                        m2(*area)
                    )
                }
            }
            Msg::Overlap { other, area } => {
                if zh {
                    format!("与 {other} 重叠 {} 平方米", m2(*area))
                } else {
                    format!("overlaps {other} by {} m²", m2(*area))
                }
            }
            Msg::Gap {
                area,
                sliver,
                edge,
                neighbours,
            } => {
                let kind = match (sliver, zh) {
                    (true, true) => "缝隙",
                    (false, true) => "未覆盖区域",
                    (true, false) => "sliver gap",
                    (false, false) => "uncovered area",
                };
                let place = match (edge, zh) {
                    (true, true) => "位于辖区边缘",
                    (false, true) => "位于辖区内部",
                    (true, false) => "at the edge of the jurisdiction",
                    (false, false) => "inside the jurisdiction",
                };
                if zh {
                    format!(
                        "{kind} {} 平方米，{place}，相邻：{}",
                        m2(*area),
                        list(neighbours)
                    )
                } else {
                    format!(
                        "{kind} of {} m² {place}, next to {}",
                        m2(*area),
                        list(neighbours)
                    )
                }
            }
            Msg::Hole { area, owner } => {
                if zh {
                    format!("{owner} 内的洞 {} 平方米未被其他要素覆盖", m2(*area))
                } else {
                    format!(
                        "a hole of {} m² in {owner} is covered by no other feature",
                        m2(*area)
                    )
                }
            }
            Msg::VertexMismatch { other, count } => {
                if zh {
                    format!("与 {other} 的公共边界有 {count} 个顶点不对应")
                } else {
                    format!(
                        "{count} vertices on the boundary shared with {other} have no counterpart"
                    )
                }
            }
            Msg::NestOutsideParent {
                parent,
                outside,
                shares,
            } => {
                let parts: Vec<String> = shares
                    .iter()
                    .map(|(c, s)| format!("{c} {:.1}%", s * 100.0))
                    .collect();
                let word = match (parent.as_str(), zh) {
                    ("streets", true) => "街道",
                    ("streets", false) => "street",
                    ("communities", true) => "社区",
                    (_, true) => "上级区域",
                    (_, false) => "community",
                };
                if zh {
                    format!(
                        "不在单一{word}内：{} 平方米在其主要所属{word}之外（占比：{}）",
                        m2(*outside),
                        parts.join("，")
                    )
                } else {
                    format!(
                        "not inside one {word}: {} m² lie outside its main {word} (shares: {})",
                        m2(*outside),
                        parts.join(", ")
                    )
                }
            }
            Msg::NestWrongParent {
                stated,
                actual,
                share,
            } => {
                if zh {
                    format!(
                        "编码/字段为 {stated}，几何位于 {actual}（占 {:.1}%）",
                        share * 100.0
                    )
                } else {
                    format!(
                        "its code/field says {stated}, its geometry lies in {actual} ({:.1}%)",
                        share * 100.0
                    )
                }
            }
            Msg::NestUncovered { area, covered_by } => {
                if zh {
                    format!(
                        "有 {} 平方米未被本社区的网格覆盖，而由其他社区的网格覆盖：{}",
                        m2(*area),
                        list(covered_by)
                    )
                } else {
                    format!(
                        "{} m² are covered not by its own grids but by grids of other communities: {}",
                        m2(*area),
                        list(covered_by)
                    )
                }
            }
            Msg::CompOutsideGrid => lang
                .pick("部件不在任何单元网格内", "the component lies in no grid")
                .into(),
            Msg::CompOnBoundary { grids } => {
                if zh {
                    format!("部件位于网格边界上（{}），归属不明确", list(grids))
                } else {
                    format!(
                        "the component lies on the boundary of {}: its grid is ambiguous",
                        list(grids)
                    )
                }
            }
            Msg::CompWrongGrid { stated, actual } => {
                if zh {
                    format!("所在网格字段为 {stated}，实际位于 {actual}")
                } else {
                    format!("its grid field says {stated}, it lies in {actual}")
                }
            }
            Msg::CompOutsideJurisdiction => lang
                .pick(
                    "部件位于辖区之外",
                    "the component lies outside the jurisdiction",
                )
                .into(),
            Msg::CompDuplicate { other, distance } => {
                if zh {
                    format!("与同类部件 {other} 相距 {distance:.3} 米，疑似重复")
                } else {
                    format!("{distance:.3} m from {other} of the same class: a duplicate?")
                }
            }
            Msg::PoiOutsideJurisdiction => lang
                .pick(
                    "地址位于辖区之外",
                    "the address lies outside the jurisdiction",
                )
                .into(),
            Msg::PoiDuplicate { other, distance } => {
                if zh {
                    format!("与同名地址 {other} 相距 {distance:.3} 米，疑似重复")
                } else {
                    format!("{distance:.3} m from {other} of the same name: a duplicate?")
                }
            }
        }
    }
}

fn record_fault(f: RecordFault, zh: bool) -> &'static str {
    match (f, zh) {
        (RecordFault::PastEnd, true) => "记录长度超出文件末尾",
        (RecordFault::PastEnd, false) => "its length runs past the end of the file",
        (RecordFault::TooShortForCounts, true) => "记录内容短于其部件数和点数所需",
        (RecordFault::TooShortForCounts, false) => {
            "its content is shorter than its part and point counts need"
        }
        (RecordFault::BadCount, true) => "部件数或点数为负",
        (RecordFault::BadCount, false) => "a negative part or point count",
        (RecordFault::BadPartIndex, true) => "部件起点索引越界或乱序",
        (RecordFault::BadPartIndex, false) => "a part index outside the points or out of order",
        (RecordFault::TypeMismatch, true) => "图形类型与文件头不一致",
        (RecordFault::TypeMismatch, false) => "its shape type differs from the file's",
    }
}

fn expected_text(e: &Expected, zh: bool) -> String {
    match (e, zh) {
        (Expected::Date, true) => "日期 YYYY-MM-DD".into(),
        (Expected::Date, false) => "a date YYYY-MM-DD".into(),
        (Expected::RegionCode, true) => "6 位区县代码".into(),
        (Expected::RegionCode, false) => "a 6-digit county code".into(),
        (Expected::Year, true) => "年份".into(),
        (Expected::Year, false) => "a year".into(),
        (Expected::OneOf(v), true) => format!("以下之一：{}", v.join(", ")),
        (Expected::OneOf(v), false) => format!("one of {}", v.join(", ")),
        (Expected::Regex, true) => "有效的正则表达式".into(),
        (Expected::Regex, false) => "a valid regular expression".into(),
        (Expected::CanonicalField, true) => "该图层的标准字段名".into(),
        (Expected::CanonicalField, false) => "a canonical field name of the layer".into(),
        (Expected::LayerName, true) => {
            "图层名（streets、communities、grids、components、pois、cases）".into()
        }
        (Expected::LayerName, false) => {
            "a layer name (streets, communities, grids, components, pois, cases)".into()
        }
        (Expected::NonEmpty, true) => "非空值".into(),
        (Expected::NonEmpty, false) => "a non-empty value".into(),
        (Expected::FieldPairs, true) => "以逗号分隔的 名称=名称".into(),
        (Expected::FieldPairs, false) => "name=name pairs separated by commas".into(),
    }
}

fn problem_text(p: &Problem, zh: bool) -> String {
    match p {
        Problem::TooShort { needed, have } => {
            if zh {
                format!("文件不完整：至少需要 {needed} 字节，只有 {have} 字节")
            } else {
                format!("the file is truncated: {needed} bytes needed, {have} present")
            }
        }
        Problem::NotShapefile { code } => {
            if zh {
                format!("不是 shapefile（文件标识 {code}，应为 9994）")
            } else {
                format!("not a shapefile (file code {code}, expected 9994)")
            }
        }
        Problem::UnknownShapeType { shape_type } => {
            if zh {
                format!("未知的图形类型 {shape_type}")
            } else {
                format!("unknown shape type {shape_type}")
            }
        }
        Problem::BadRecord {
            record,
            offset,
            reason,
        } => {
            if zh {
                format!(
                    "第 {record} 条记录（偏移 {offset}）损坏：{}",
                    record_fault(*reason, zh)
                )
            } else {
                format!(
                    "record {record} (offset {offset}) is damaged: {}",
                    record_fault(*reason, zh)
                )
            }
        }
        Problem::BadDbfHeader { reason } => {
            let r = match (reason, zh) {
                (DbfFault::HeaderLength, true) => "文件头长度过小",
                (DbfFault::HeaderLength, false) => "the header length is too small",
                (DbfFault::RecordLength, true) => "字段宽度之和超过记录长度",
                (DbfFault::RecordLength, false) => "the field widths do not fit the record length",
            };
            if zh {
                format!("DBF 文件头错误：{r}")
            } else {
                format!("bad DBF header: {r}")
            }
        }
        Problem::DbfTruncated { claimed, present } => {
            if zh {
                format!("DBF 文件头声称有 {claimed} 条记录，文件中只有 {present} 条完整记录（文件被截断？）")
            } else {
                format!("the DBF header claims {claimed} records, the file holds {present} whole records (truncated?)")
            }
        }
        Problem::ColumnTooLarge { field } => {
            if zh {
                format!("字段 {field} 的文本超过 4 GiB")
            } else {
                format!("the text of field {field} passes 4 GiB")
            }
        }
        Problem::Json { message } => {
            if zh {
                format!("JSON 格式错误：{message}")
            } else {
                format!("malformed JSON: {message}")
            }
        }
        Problem::NotGeoJson { found } => {
            if zh {
                format!(
                    "不是 GeoJSON（type 为“{found}”，应为 FeatureCollection、Feature 或几何类型）"
                )
            } else {
                format!("not GeoJSON (type “{found}”; a FeatureCollection, Feature or geometry is needed)")
            }
        }
        Problem::BadGeoJsonGeometry { feature, message } => {
            if zh {
                format!("第 {feature} 个要素（从 0 计）的几何无法读取：{message}")
            } else {
                format!("feature {feature} (zero-based): unreadable geometry: {message}")
            }
        }
        Problem::Csv { message } => {
            if zh {
                format!("CSV 格式错误：{message}")
            } else {
                format!("malformed CSV: {message}")
            }
        }
        Problem::NoCoordinateColumns { columns } => {
            if zh {
                format!(
                    "找不到坐标列（表头为：{}）；可用 x/y、lon/lat、经度/纬度，或在清单中映射 x、y",
                    columns.join(", ")
                )
            } else {
                format!(
                    "no coordinate columns (header: {}); use x/y, lon/lat, 经度/纬度, or map x and y in the manifest",
                    columns.join(", ")
                )
            }
        }
        Problem::Toml { message } => {
            if zh {
                format!("TOML 格式错误：{message}")
            } else {
                format!("malformed TOML: {message}")
            }
        }
        Problem::BadValue {
            key,
            value,
            expected,
        } => {
            if zh {
                format!(
                    "{key} 的值“{value}”无效，应为{}",
                    expected_text(expected, zh)
                )
            } else {
                format!(
                    "{key} = “{value}” is invalid: expected {}",
                    expected_text(expected, zh)
                )
            }
        }
        Problem::UnknownProfile { name, known } => {
            if zh {
                format!(
                    "未知的配置“{name}”：既不是内置配置（{}），也不是文件夹",
                    known.join(", ")
                )
            } else {
                format!(
                    "unknown profile “{name}”: neither built in ({}) nor a folder",
                    known.join(", ")
                )
            }
        }
        Problem::DanglingReference { at, name } => {
            if zh {
                format!("{at} 引用了不存在的“{name}”")
            } else {
                format!("{at} refers to “{name}”, which does not exist")
            }
        }
        Problem::OutputNotEmpty => lang_pick(
            zh,
            "输出文件夹已存在且不为空",
            "the output folder exists and is not empty",
        ),
    }
}

fn lang_pick(zh: bool, a: &str, b: &str) -> String {
    if zh { a } else { b }.to_string()
}

/// The message of an error in `lang`.
pub fn error_text(e: &Error, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut s = String::new();
    match e {
        Error::Io { path, source } => {
            if zh {
                let _ = write!(s, "{}：无法读写（{source}）", path.display());
            } else {
                let _ = write!(
                    s,
                    "{}: cannot be read or written ({source})",
                    path.display()
                );
            }
        }
        Error::Missing { path, needed_by } => match (zh, needed_by) {
            (true, Some(by)) => {
                let _ = write!(
                    s,
                    "{}：文件不存在（{} 需要它）",
                    path.display(),
                    by.display()
                );
            }
            (true, None) => {
                let _ = write!(s, "{}：文件不存在", path.display());
            }
            (false, Some(by)) => {
                let _ = write!(
                    s,
                    "{}: no such file (needed by {})",
                    path.display(),
                    by.display()
                );
            }
            (false, None) => {
                let _ = write!(s, "{}: no such file", path.display());
            }
        },
        Error::Malformed { path, problem } => {
            let sep = if zh { "：" } else { ": " };
            let _ = write!(s, "{}{sep}{}", path.display(), problem_text(problem, zh));
        }
        Error::UnknownEncoding { path, label } => {
            if zh {
                let _ = write!(
                    s,
                    "{}：未知的编码“{label}”（可用 GBK、GB18030、UTF-8、936 等）",
                    path.display()
                );
            } else {
                let _ = write!(
                    s,
                    "{}: unknown encoding “{label}” (try GBK, GB18030, UTF-8, 936, …)",
                    path.display()
                );
            }
        }
        Error::UnsupportedFormat { path, needs_gdal } => match (zh, needs_gdal) {
            (true, true) => {
                let _ = write!(s, "{}：此版本不含 GDAL 支持，无法读取该格式；请用 `cargo build --release --features gdal` 构建，或先用 ogr2ogr 转为 Shapefile/GeoJSON", path.display());
            }
            (false, true) => {
                let _ = write!(s, "{}: this build lacks GDAL support for this format; build with `cargo build --release --features gdal`, or convert it to Shapefile/GeoJSON with ogr2ogr", path.display());
            }
            (true, false) => {
                let _ = write!(
                    s,
                    "{}：不支持的文件格式（支持 .shp、.geojson、.json、.csv、.dbf）",
                    path.display()
                );
            }
            (false, false) => {
                let _ = write!(
                    s,
                    "{}: unsupported file format (.shp, .geojson, .json, .csv, .dbf are read)",
                    path.display()
                );
            }
        },
        Error::WrongGeometry {
            path,
            layer,
            expected,
            found,
        } => {
            if zh {
                let _ = write!(
                    s,
                    "{}：图层 {layer} 应为 {} 几何，文件中为 {}",
                    path.display(),
                    expected.name(),
                    found.name()
                );
            } else {
                let _ = write!(
                    s,
                    "{}: layer {layer} needs {} geometries, the file holds {}",
                    path.display(),
                    expected.name(),
                    found.name()
                );
            }
        }
        Error::Manifest { path, problem } => {
            if zh {
                let _ = write!(
                    s,
                    "{}：数据集清单有误：{}",
                    path.display(),
                    problem_text(problem, zh)
                );
            } else {
                let _ = write!(
                    s,
                    "{}: bad dataset manifest: {}",
                    path.display(),
                    problem_text(problem, zh)
                );
            }
        }
        Error::Profile { source, problem } => {
            if zh {
                let _ = write!(s, "配置 {source}：{}", problem_text(problem, zh));
            } else {
                let _ = write!(s, "profile {source}: {}", problem_text(problem, zh));
            }
        }
        Error::Usage { problem } => {
            let _ = write!(s, "{}", problem_text(problem, zh));
        }
    }
    s
}

/// Fixed report texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Text {
    Findings,
    NoFindings,
    Errors,
    Warnings,
    Infos,
    Rule,
    Count,
    Dataset,
    Profile,
    Layers,
    Features,
    ErrorPrefix,
}

impl Text {
    /// The text in `lang`.
    pub fn get(self, lang: Lang) -> &'static str {
        match self {
            Text::Findings => lang.pick("检查发现", "findings"),
            Text::NoFindings => lang.pick("未发现问题", "no findings"),
            Text::Errors => lang.pick("错误", "errors"),
            Text::Warnings => lang.pick("警告", "warnings"),
            Text::Infos => lang.pick("提示", "notes"),
            Text::Rule => lang.pick("规则", "rule"),
            Text::Count => lang.pick("数量", "count"),
            Text::Dataset => lang.pick("数据集", "dataset"),
            Text::Profile => lang.pick("数据标准", "profile"),
            Text::Layers => lang.pick("图层", "layers"),
            Text::Features => lang.pick("个要素", "features"),
            Text::ErrorPrefix => lang.pick("错误", "error"),
        }
    }
}
