//! Text encodings of attribute files (编码): `.cpg` labels, code-page numbers, and the
//! UTF-8-then-GB18030 guess for files that say nothing.

use encoding_rs::{Encoding, GB18030, GBK, UTF_8};

/// Resolves an encoding label as `.cpg` files and users write it.
///
/// Accepts encoding names (`GBK`, `GB2312`, `GB18030`, `UTF-8`, `Big5`, `ISO-8859-1`, …),
/// Windows code-page numbers (`936`, `54936`, `65001`, `1252`, …), and the `ANSI 936` /
/// `CP936` forms ArcGIS writes. A leading byte-order mark and surrounding space are ignored.
///
/// ```
/// use gridkeeper::io::encoding::resolve_label;
/// assert_eq!(resolve_label("936").map(|e| e.name()), Some("GBK"));
/// assert_eq!(resolve_label("ANSI 936").map(|e| e.name()), Some("GBK"));
/// assert_eq!(resolve_label("GB18030").map(|e| e.name()), Some("gb18030"));
/// assert_eq!(resolve_label(" utf8 ").map(|e| e.name()), Some("UTF-8"));
/// assert!(resolve_label("klingon").is_none());
/// ```
pub fn resolve_label(label: &str) -> Option<&'static Encoding> {
    let trimmed = label.trim_start_matches('\u{feff}').trim();
    let mut core = trimmed;
    for prefix in ["ANSI ", "ansi ", "Ansi "] {
        if let Some(rest) = core.strip_prefix(prefix) {
            core = rest.trim();
        }
    }
    let digits = core
        .strip_prefix("CP")
        .or_else(|| core.strip_prefix("cp"))
        .or_else(|| core.strip_prefix("Cp"))
        .filter(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()))
        .unwrap_or(core);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return code_page(digits.parse().ok()?);
    }
    match core.to_ascii_lowercase().as_str() {
        "utf8" => Some(UTF_8),
        "gb2312" | "gbk" | "cp936" | "ms936" | "windows-936" => Some(GBK),
        "gb18030" | "gb-18030" => Some(GB18030),
        other => Encoding::for_label_no_replacement(other.as_bytes()),
    }
}

/// The encoding of a Windows code page, as far as `encoding_rs` has it.
fn code_page(number: u32) -> Option<&'static Encoding> {
    let label: &str = match number {
        936 => return Some(GBK),
        54936 => return Some(GB18030),
        65001 => return Some(UTF_8),
        950 => "big5",
        932 => "shift_jis",
        949 => "euc-kr",
        866 => "ibm866",
        874 => "windows-874",
        1250..=1258 => return Encoding::for_label(format!("windows-{number}").as_bytes()),
        28591 | 88591 => "iso-8859-1",
        28592..=28599 => {
            return Encoding::for_label(format!("iso-8859-{}", number - 28590).as_bytes())
        }
        20936 => "gb2312",
        _ => return None,
    };
    Encoding::for_label(label.as_bytes())
}

/// The encoding a DBF language-driver byte states unambiguously: only the Chinese
/// code pages (0x4D, 0x7A = 936). Others (0x57 "ANSI") mean "the writer's system code
/// page", which on Chinese systems is GBK, so they decide nothing.
pub fn from_language_driver(byte: u8) -> Option<&'static Encoding> {
    match byte {
        0x4D | 0x7A => Some(GBK),
        _ => None,
    }
}

/// Decodes `bytes` strictly: `None` when they are not valid in `encoding`.
pub fn decode_strict(encoding: &'static Encoding, bytes: &[u8]) -> Option<String> {
    if encoding == UTF_8 {
        return std::str::from_utf8(bytes).ok().map(str::to_string);
    }
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|c| c.into_owned())
}

/// Decodes `bytes`, replacing what cannot be decoded with U+FFFD.
pub fn decode_lossy(encoding: &'static Encoding, bytes: &[u8]) -> String {
    if encoding == UTF_8 {
        return String::from_utf8_lossy(bytes).into_owned();
    }
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

/// The name reports use for an encoding (`GBK`, `GB18030`, `UTF-8`, `WINDOWS-1252`).
pub fn display_name(encoding: &'static Encoding) -> String {
    encoding.name().to_ascii_uppercase()
}

/// The fallback for text that is not UTF-8 and says nothing about itself.
pub const FALLBACK: &Encoding = GB18030;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_arcgis_writes() {
        for l in [
            "GBK",
            "gb2312",
            "936",
            "CP936",
            "ANSI 936",
            "\u{feff}GBK\r\n",
        ] {
            assert_eq!(resolve_label(l), Some(GBK), "{l}");
        }
        for l in ["UTF-8", "65001", "utf8"] {
            assert_eq!(resolve_label(l), Some(UTF_8), "{l}");
        }
        assert_eq!(resolve_label("54936"), Some(GB18030));
        assert_eq!(
            resolve_label("ISO-8859-1").map(|e| e.name()),
            Some("windows-1252")
        );
        assert_eq!(
            resolve_label("1252").map(|e| e.name()),
            Some("windows-1252")
        );
        assert_eq!(resolve_label("12345"), None);
    }

    /// Labels the Encoding Standard maps to its "replacement" decoder, which turns any text,
    /// ASCII included, into one U+FFFD: unknown here, so the user hears the name is not read.
    #[test]
    fn labels_of_the_replacement_decoder_are_unknown() {
        for l in ["HZ-GB-2312", "ISO-2022-CN", "iso-2022-kr", "csiso2022kr"] {
            assert_eq!(resolve_label(l), None, "{l}");
        }
    }

    #[test]
    fn gbk_round_trip_strict() {
        let (bytes, _, _) = GBK.encode("青阳街道");
        assert_eq!(decode_strict(GBK, &bytes).as_deref(), Some("青阳街道"));
        assert_eq!(decode_strict(UTF_8, &bytes), None);
    }
}
