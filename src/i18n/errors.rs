//! What errors say: [`error_text`], the message of an [`Error`] that stopped a command.

use std::fmt::Write as _;

use super::Lang;
use crate::error::{DbfFault, Error, Expected, Problem, RecordFault};

/// Why a shapefile record could not be read.
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
        (RecordFault::TooManyRings, true) => "环过多且外框相互包含, 无法在限定的计算量内分出外环与内环",
        (RecordFault::TooManyRings, false) => {
            "too many rings whose boxes hold each other to tell shells from holes within the reader's budget"
        }
    }
}

/// What a value should have been.
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
            "图层名（streets、communities、grids、components、pois、cases，或数据标准声明的责任网格图层）".into()
        }
        (Expected::LayerName, false) => {
            "a layer name (streets, communities, grids, components, pois, cases, or a duty layer the profile declares)".into()
        }
        (Expected::NonEmpty, true) => "非空值".into(),
        (Expected::NonEmpty, false) => "a non-empty value".into(),
        (Expected::FieldPairs, true) => "以逗号分隔的 名称=名称".into(),
        (Expected::FieldPairs, false) => "name=name pairs separated by commas".into(),
        (Expected::Count, true) => "不小于 0 的数".into(),
        (Expected::Count, false) => "a number not below zero".into(),
        (Expected::NumberBetween { min, max }, true) if *max == f64::MAX => {
            format!("不小于 {min} 的有限数")
        }
        (Expected::NumberBetween { min, max }, false) if *max == f64::MAX => {
            format!("a finite number not below {min}")
        }
        (Expected::NumberBetween { min, max }, true) => format!("{min} 到 {max} 之间的数"),
        (Expected::NumberBetween { min, max }, false) => format!("a number from {min} to {max}"),
        (Expected::Between { min, max }, true) => format!("{min} 到 {max} 之间的整数"),
        (Expected::Between { min, max }, false) => format!("a whole number from {min} to {max}"),
        (Expected::Towgs84, true) => "7 个数 [dx, dy, dz, rx, ry, rz, ds]（米、角秒、ppm）".into(),
        (Expected::Towgs84, false) => {
            "seven numbers [dx, dy, dz, rx, ry, rz, ds] (metres, arc-seconds, ppm)".into()
        }
    }
}

/// What is wrong in a file, a manifest, a profile or a command line.
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
                (DbfFault::FieldWidth, true) => "有宽度为 0 的字段",
                (DbfFault::FieldWidth, false) => "a field has width 0",
                (DbfFault::NoFields, true) => "表中没有字段",
                (DbfFault::NoFields, false) => "the table has no fields",
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
                format!("字段 {field} 的文本超过 2 GiB")
            } else {
                format!("the text of field {field} passes 2 GiB")
            }
        }
        Problem::OutputIsInput { path } => {
            if zh {
                format!("输出文件 {path} 是本次运行读取的输入文件之一，不会覆盖它；请写到别处")
            } else {
                format!("the output {path} is one of this run's inputs and is not overwritten; write it elsewhere")
            }
        }
        Problem::OutputTwice { path } => {
            if zh {
                format!("输出文件 {path} 被本次运行的两个输出同时指定；请给每个输出不同的文件名")
            } else {
                format!("the output {path} is named for two of this run's outputs; give each its own file")
            }
        }
        Problem::TooManyCells { fields, rows } => {
            if zh {
                format!(
                    "{fields} 个不同的属性名 × {rows} 个要素，远超文件大小所能容纳的表格（多数要素没有这些属性？）"
                )
            } else {
                format!(
                    "{fields} distinct property names × {rows} features is far more table than the file's size holds (properties that most features lack?)"
                )
            }
        }
        Problem::Stacked { polygons, budget } => {
            if zh {
                format!(
                    "{polygons} 个面要素的外包矩形两两相交超过 {budget} 对（正常图层每个要素约 4 对）：要素大量叠放（重复复制？），为免逐对比较耗时过长，停止运行"
                )
            } else {
                format!(
                    "the boxes of its {polygons} polygons meet in more than {budget} pairs (a coverage has about 4 a polygon): features piled on each other (stacked copies?); stopped rather than compare every pair"
                )
            }
        }
        Problem::VersionsCrossed { old, new, budget } => {
            if zh {
                format!(
                    "本年 {new} 个面要素与上年 {old} 个面要素的外包矩形相交超过 {budget} 对（重新划分的图层每个要素只与附近几个相交）：两个版本并非同一片区域的逐格调整，为免逐对比较耗时过长，停止运行"
                )
            } else {
                format!(
                    "the boxes of its {new} polygons and last year's {old} meet in more than {budget} pairs (a redrawn layer meets a few near each polygon): the versions are not one area redrawn grid by grid; stopped rather than compare every pair"
                )
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
        Problem::Reproject { .. } | Problem::Gdal { .. } | Problem::GdalLayer { .. } => {
            super::crs::problem(p, zh)
        }
        Problem::Package(f) => super::check::package_fault(f, zh),
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
