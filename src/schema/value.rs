//! Typed values: a field's text read as its Table Schema type.

use chrono::{NaiveDate, NaiveDateTime};

use super::table::{Field, FieldType};

/// A value read as its field's type.
#[derive(Debug, Clone, PartialEq, PartialOrd)]
pub enum Typed {
    /// Text (and `any`).
    Text,
    /// A number (integers too).
    Number(f64),
    /// A date.
    Date(NaiveDate),
    /// A date and time.
    DateTime(NaiveDateTime),
    /// A boolean.
    Bool(bool),
}

/// Date layouts accepted by the `any` format, besides ISO `YYYY-MM-DD`.
const ANY_DATE: &[&str] = &["%Y-%m-%d", "%Y%m%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"];
const ANY_DATETIME: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
];

/// Reads a date. `format` is the field's: `None`/`default` (ISO only), `any` (ISO,
/// `YYYYMMDD`, `YYYY/MM/DD`, `YYYY.MM.DD`, `YYYY年MM月DD日`, or a date-time whose date part
/// is taken), or a strftime pattern.
///
/// ```
/// use gridkeeper::schema::value::parse_date;
/// assert!(parse_date("2026-07-01", None).is_some());
/// assert!(parse_date("2026/7/1", Some("any")).is_some());
/// assert!(parse_date("2026/7/1", None).is_none());
/// assert!(parse_date("2026-02-30", Some("any")).is_none());
/// ```
pub fn parse_date(text: &str, format: Option<&str>) -> Option<NaiveDate> {
    let t = text.trim();
    if matches!(format, None | Some("default" | "any")) {
        if let Some(d) = iso_date(t.as_bytes()) {
            return Some(d);
        }
    }
    match format {
        None | Some("default") => NaiveDate::parse_from_str(t, "%Y-%m-%d").ok(),
        Some("any") => ANY_DATE
            .iter()
            .find_map(|f| NaiveDate::parse_from_str(t, f).ok())
            .or_else(|| parse_datetime(t, Some("any")).map(|d| d.date())),
        Some(pattern) => NaiveDate::parse_from_str(t, pattern).ok(),
    }
}

fn two_digits(b: &[u8], i: usize) -> Option<u32> {
    let (x, y) = (*b.get(i)?, *b.get(i + 1)?);
    (x.is_ascii_digit() && y.is_ascii_digit())
        .then(|| u32::from(x - b'0') * 10 + u32::from(y - b'0'))
}

/// `YYYY-MM-DD` exactly (ten bytes), as chrono's `%Y-%m-%d` reads it.
fn iso_date(b: &[u8]) -> Option<NaiveDate> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = two_digits(b, 0)? * 100 + two_digits(b, 2)?;
    NaiveDate::from_ymd_opt(year as i32, two_digits(b, 5)?, two_digits(b, 8)?)
}

/// Reads a date-time (`any` accepts the common layouts, and a bare date as midnight).
pub fn parse_datetime(text: &str, format: Option<&str>) -> Option<NaiveDateTime> {
    let t = text.trim();
    // The common layouts without chrono's format interpreter (the same answers, faster).
    let b = t.as_bytes();
    let sep_ok = match format {
        None | Some("default") => b.get(10) == Some(&b'T'),
        Some("any") => matches!(b.get(10), Some(b'T' | b' ')),
        _ => false,
    };
    if sep_ok && b.len() == 19 && b[13] == b':' && b[16] == b':' {
        let two = |i: usize| two_digits(b, i);
        if let (Some(d), Some(h), Some(m), Some(s)) =
            (iso_date(&b[..10]), two(11), two(14), two(17))
        {
            if let Some(dt) = d.and_hms_opt(h, m, s) {
                return Some(dt);
            }
        }
    } else if format == Some("any") {
        if let Some(d) = iso_date(b) {
            return d.and_hms_opt(0, 0, 0);
        }
    }
    match format {
        None | Some("default") => NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S").ok(),
        Some("any") => ANY_DATETIME
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok())
            .or_else(|| {
                ANY_DATE
                    .iter()
                    .find_map(|f| NaiveDate::parse_from_str(t, f).ok())
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
            }),
        Some(pattern) => NaiveDateTime::parse_from_str(t, pattern).ok(),
    }
}

/// Reads `text` as `field`'s type; `None` when it is not a value of that type.
pub fn parse(text: &str, field: &Field) -> Option<Typed> {
    let t = text.trim();
    let format = field.format.as_deref();
    Some(match field.kind {
        FieldType::String | FieldType::Any => Typed::Text,
        FieldType::Integer => {
            let v: i64 = t.strip_prefix('+').unwrap_or(t).parse().ok()?;
            Typed::Number(v as f64)
        }
        FieldType::Number => {
            let v: f64 = t.parse().ok()?;
            if !v.is_finite() {
                return None;
            }
            Typed::Number(v)
        }
        FieldType::Year => {
            if t.len() != 4 || !t.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            Typed::Number(t.parse().ok()?)
        }
        FieldType::Date => Typed::Date(parse_date(t, format)?),
        FieldType::Datetime => Typed::DateTime(parse_datetime(t, format)?),
        FieldType::Boolean => Typed::Bool(match t {
            "true" | "True" | "TRUE" | "1" => true,
            "false" | "False" | "FALSE" | "0" => false,
            _ => return None,
        }),
    })
}

/// Reads a `minimum`/`maximum` constraint for comparison with values of `field`.
pub fn parse_bound(bound: &serde_json::Value, field: &Field) -> Option<Typed> {
    match bound {
        serde_json::Value::Number(n) => Some(Typed::Number(n.as_f64()?)),
        serde_json::Value::String(s) => match field.kind {
            FieldType::Date => Some(Typed::Date(parse_date(s, None)?)),
            FieldType::Datetime => Some(Typed::DateTime(parse_datetime(s, None)?)),
            _ => Some(Typed::Number(s.trim().parse().ok()?)),
        },
        _ => None,
    }
}

/// A JSON value as the text it stands for in a field (for `enum` comparisons).
pub fn json_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod fast_path_tests {
    use super::*;

    /// The hand-written paths give exactly what chrono's format strings give.
    #[test]
    fn fast_dates_agree_with_chrono() {
        for t in [
            "2026-07-01",
            "2026-02-29",
            "2024-02-29",
            "2026-13-01",
            "0000-01-01",
            "2023-01-01 07:14:23",
            "2023-01-01T07:14:23",
            "2023-01-01 24:00:00",
            "2023-01-01 23:59:60",
            "2023-01-01X07:14:23",
            "2023-1-01 07:14:23",
            "20230101",
        ] {
            let slow_date = NaiveDate::parse_from_str(t, "%Y-%m-%d").ok();
            assert_eq!(parse_date(t, None), slow_date, "{t}");
            let slow_any = ANY_DATETIME
                .iter()
                .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok())
                .or_else(|| {
                    ANY_DATE
                        .iter()
                        .find_map(|f| NaiveDate::parse_from_str(t, f).ok())
                        .and_then(|d| d.and_hms_opt(0, 0, 0))
                });
            assert_eq!(parse_datetime(t, Some("any")), slow_any, "{t}");
            let slow_default = NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S").ok();
            assert_eq!(parse_datetime(t, None), slow_default, "{t}");
        }
    }
}
