//! dBase (`.dbf`) attribute tables, read column-wise as text.
//!
//! A reader of its own rather than the `dbase` crate's because this domain needs things it
//! does not give: numeric fields kept as the text they hold (codes stored in `N(16,0)` fields
//! must keep every digit and leading zero), the encoding chosen before any text is decoded
//! (`.cpg`, `--encoding`, or strict UTF-8 then GB18030), header sizes checked against the
//! file size before anything is allocated, and streaming over millions of rows.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use encoding_rs::{Encoding, UTF_8};

use super::encoding;
use super::layer::{FieldDef, FieldKind, TextColumn};
use crate::error::{DbfFault, Error, Problem, Result};
use crate::progress;

/// How the text of a table was decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncodingChoice {
    /// Given by `--encoding` or a `.cpg`: decode with it (invalid bytes become U+FFFD).
    Given(&'static Encoding),
    /// Nothing given: UTF-8 if every text is valid UTF-8, else GB18030 with a note.
    Sniff,
}

/// A decoded attribute table.
#[derive(Debug)]
pub struct DbfTable {
    /// Field definitions in file order.
    pub fields: Vec<FieldDef>,
    /// One column per field.
    pub columns: Vec<TextColumn>,
    /// Number of records.
    pub rows: usize,
    /// The encoding used.
    pub encoding: &'static Encoding,
    /// True when the encoding was guessed (no `.cpg`, not UTF-8).
    pub guessed: bool,
    /// Bytes after the last record other than the 0x1A end-of-file marker.
    pub trailing_bytes: u64,
}

struct RawField {
    name: Vec<u8>,
    kind: u8,
    offset: usize,
    length: usize,
}

struct Header {
    records: u64,
    header_len: u64,
    record_len: usize,
    language_driver: u8,
    fields: Vec<RawField>,
}

/// Reads a whole `.dbf`.
pub fn read(path: &Path, choice: EncodingChoice) -> Result<DbfTable> {
    crate::io::atomic::note_input(path);
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let file_len = file.metadata().map_err(|e| Error::io(path, e))?.len();
    let mut reader = BufReader::with_capacity(1 << 16, file);
    let header = read_header(path, &mut reader, file_len)?;

    let (first, sniffing) = match choice {
        EncodingChoice::Given(e) => (e, false),
        EncodingChoice::Sniff => match encoding::from_language_driver(header.language_driver) {
            Some(e) => (e, false),
            None => (UTF_8, true),
        },
    };
    let (mut enc, mut sniff) = (first, sniffing);
    let table = loop {
        match decode_records(path, &mut reader, &header, enc, sniff)? {
            Some(mut t) => {
                t.guessed = sniffing && !sniff;
                break t;
            }
            None => {
                // Not valid UTF-8 and nothing said otherwise: read again as GB18030.
                reader
                    .seek(SeekFrom::Start(header.header_len))
                    .map_err(|e| Error::io(path, e))?;
                (enc, sniff) = (encoding::FALLBACK, false);
            }
        }
    };
    let used = header.header_len + header.records * header.record_len as u64;
    let extra = file_len.saturating_sub(used);
    let trailing_bytes = if extra <= 1 { 0 } else { extra };
    Ok(DbfTable {
        trailing_bytes,
        ..table
    })
}

fn read_header(path: &Path, reader: &mut impl Read, file_len: u64) -> Result<Header> {
    let mut fixed = [0u8; 32];
    if file_len < 33 {
        return Err(Error::malformed(
            path,
            Problem::TooShort {
                needed: 33,
                have: file_len,
            },
        ));
    }
    reader
        .read_exact(&mut fixed)
        .map_err(|e| Error::io(path, e))?;
    let records = u32::from_le_bytes([fixed[4], fixed[5], fixed[6], fixed[7]]) as u64;
    let header_len = u16::from_le_bytes([fixed[8], fixed[9]]) as u64;
    let record_len = u16::from_le_bytes([fixed[10], fixed[11]]) as usize;
    let language_driver = fixed[29];
    let bad = |reason| Error::malformed(path, Problem::BadDbfHeader { reason });
    if header_len < 33 {
        return Err(bad(DbfFault::HeaderLength));
    }
    if header_len > file_len {
        return Err(Error::malformed(
            path,
            Problem::TooShort {
                needed: header_len,
                have: file_len,
            },
        ));
    }
    let mut descriptors = vec![0u8; header_len as usize - 32];
    reader
        .read_exact(&mut descriptors)
        .map_err(|e| Error::io(path, e))?;
    let mut fields = Vec::new();
    let mut offset = 1usize; // byte 0 of a record is the deletion flag
    let mut pos = 0usize;
    // Descriptors end at 0x0D (some writers put 0x0A or 0x00), or where no whole
    // descriptor fits in the header any more.
    let terminator = |b: u8| matches!(b, 0x0D | 0x0A | 0x00);
    while pos + 32 <= descriptors.len() && !terminator(descriptors[pos]) {
        let d = &descriptors[pos..pos + 32];
        let name_end = d[..11].iter().position(|&b| b == 0).unwrap_or(11);
        let length = d[16] as usize;
        // A field of width 0 holds nothing, yet would cost a slot in every row: a header of
        // 2,000 of them over a million one-byte records asks for gigabytes.
        if length == 0 {
            return Err(bad(DbfFault::FieldWidth));
        }
        fields.push(RawField {
            name: d[..name_end].to_vec(),
            kind: d[11].to_ascii_uppercase(),
            offset,
            length,
        });
        offset += length;
        pos += 32;
    }
    // A header length that ends inside the descriptors: the last field is cut off (a part of
    // it is left over), or, cut at a descriptor's end, the fields read do not fill a record.
    let terminated = descriptors.get(pos).is_some_and(|&b| terminator(b));
    if !terminated && (pos < descriptors.len() || offset != record_len) {
        return Err(bad(DbfFault::HeaderLength));
    }
    if offset > record_len.max(1) {
        return Err(bad(DbfFault::RecordLength));
    }
    if record_len == 0 && records > 0 {
        return Err(bad(DbfFault::RecordLength));
    }
    let available = file_len - header_len;
    let present = available.checked_div(record_len as u64).unwrap_or(0);
    if records > present {
        return Err(Error::malformed(
            path,
            Problem::DbfTruncated {
                claimed: records,
                present,
            },
        ));
    }
    Ok(Header {
        records,
        header_len,
        record_len,
        language_driver,
        fields,
    })
}

fn field_kind(kind: u8, length: usize) -> FieldKind {
    match kind {
        b'C' => FieldKind::Text,
        b'N' | b'F' | b'I' | b'+' | b'Y' | b'O' => FieldKind::Number,
        b'B' if length == 8 => FieldKind::Number,
        b'D' => FieldKind::Date,
        b'L' => FieldKind::Boolean,
        _ => FieldKind::Other,
    }
}

/// Decodes all records. Returns `Ok(None)` when sniffing and a text is not UTF-8.
fn decode_records(
    path: &Path,
    reader: &mut impl Read,
    header: &Header,
    enc: &'static Encoding,
    sniffing: bool,
) -> Result<Option<DbfTable>> {
    let mut fields = Vec::with_capacity(header.fields.len());
    for f in &header.fields {
        let name = match encoding::decode_strict(enc, &f.name) {
            Some(n) => n,
            None if sniffing => return Ok(None),
            None => encoding::decode_lossy(enc, &f.name),
        };
        fields.push(FieldDef {
            name: name.trim().to_string(),
            kind: field_kind(f.kind, f.length),
        });
    }
    let rows = header.records as usize;
    let mut columns: Vec<TextColumn> = header
        .fields
        .iter()
        .map(|_| TextColumn::with_capacity(rows))
        .collect();
    let mut record = vec![0u8; header.record_len];
    let mut scratch = String::new();
    let bar = progress::reading(path, rows.saturating_mul(header.record_len) as u64);
    for row in 0..rows {
        if row % progress::RECORDS == 0 {
            bar.set((row * header.record_len) as u64);
        }
        reader
            .read_exact(&mut record)
            .map_err(|e| Error::io(path, e))?;
        for (i, f) in header.fields.iter().enumerate() {
            let raw = &record[f.offset..f.offset + f.length];
            let value = match decode_value(f.kind, raw, enc, sniffing, &mut scratch) {
                Ok(v) => v,
                Err(()) => return Ok(None),
            };
            if !columns[i].push(value) {
                return Err(Error::malformed(
                    path,
                    Problem::ColumnTooLarge {
                        field: fields[i].name.clone(),
                    },
                ));
            }
        }
    }
    Ok(Some(DbfTable {
        fields,
        columns,
        rows,
        encoding: enc,
        guessed: false,
        trailing_bytes: 0,
    }))
}

fn trim_text(raw: &[u8]) -> &[u8] {
    let end = raw
        .iter()
        .rposition(|&b| b != b' ' && b != 0)
        .map_or(0, |p| p + 1);
    &raw[..end]
}

fn trim_both(raw: &[u8]) -> &[u8] {
    let t = trim_text(raw);
    let start = t.iter().position(|&b| b != b' ').unwrap_or(t.len());
    &t[start..]
}

/// Decodes one field value into `scratch`; `Err(())` when sniffing meets invalid UTF-8.
fn decode_value<'s>(
    kind: u8,
    raw: &[u8],
    enc: &'static Encoding,
    sniffing: bool,
    scratch: &'s mut String,
) -> std::result::Result<Option<&'s str>, ()> {
    scratch.clear();
    match kind {
        b'N' | b'F' => {
            let t = trim_both(raw);
            if t.is_empty() || t.iter().all(|&b| b == b'*') {
                return Ok(None);
            }
            scratch.push_str(&String::from_utf8_lossy(t));
        }
        b'D' => {
            let t = trim_both(raw);
            if t.is_empty() || t.iter().all(|&b| b == b'0') {
                return Ok(None);
            }
            if t.len() == 8 && t.iter().all(u8::is_ascii_digit) {
                let s = String::from_utf8_lossy(t);
                scratch.push_str(&format!("{}-{}-{}", &s[0..4], &s[4..6], &s[6..8]));
            } else {
                scratch.push_str(&String::from_utf8_lossy(t));
            }
        }
        b'L' => match trim_both(raw).first() {
            Some(b'T' | b't' | b'Y' | b'y') => scratch.push_str("true"),
            Some(b'F' | b'f' | b'N' | b'n') => scratch.push_str("false"),
            _ => return Ok(None),
        },
        b'I' | b'+' if raw.len() == 4 => {
            let v = i32::from_le_bytes([raw[0], raw[1], raw[2], raw[3]]);
            scratch.push_str(&v.to_string());
        }
        b'O' | b'B' if raw.len() == 8 => {
            let mut b = [0u8; 8];
            b.copy_from_slice(raw);
            let v = f64::from_le_bytes(b);
            if !v.is_finite() {
                return Ok(None);
            }
            scratch.push_str(&v.to_string());
        }
        b'Y' if raw.len() == 8 => {
            let mut b = [0u8; 8];
            b.copy_from_slice(raw);
            let v = i64::from_le_bytes(b);
            // The sign apart: -5 (ten-thousandths) is -0.0005, where v / 10_000 is 0.
            let sign = if v < 0 { "-" } else { "" };
            let m = v.unsigned_abs();
            scratch.push_str(&format!("{sign}{}.{:04}", m / 10_000, m % 10_000));
        }
        b'T' | b'@' if raw.len() == 8 => {
            let day = u32::from_le_bytes([raw[0], raw[1], raw[2], raw[3]]);
            let ms = u32::from_le_bytes([raw[4], raw[5], raw[6], raw[7]]);
            if day == 0 {
                return Ok(None);
            }
            // Julian day number 2440588 is 1970-01-01.
            let days = day as i64 - 2_440_588;
            match chrono::DateTime::from_timestamp(days * 86_400 + (ms / 1000) as i64, 0) {
                Some(t) => scratch.push_str(&t.naive_utc().format("%Y-%m-%dT%H:%M:%S").to_string()),
                None => return Ok(None),
            }
        }
        b'M' | b'G' | b'P' | b'B' => return Ok(None), // memo blocks live in a .dbt/.fpt
        _ => {
            let t = trim_text(raw);
            if t.is_empty() {
                return Ok(None);
            }
            if t.is_ascii() {
                scratch.push_str(&String::from_utf8_lossy(t));
            } else if sniffing {
                match std::str::from_utf8(t) {
                    Ok(s) => scratch.push_str(s),
                    Err(_) => return Err(()),
                }
            } else if enc == UTF_8 {
                scratch.push_str(&String::from_utf8_lossy(t));
            } else {
                scratch.push_str(&enc.decode_without_bom_handling(t).0);
            }
        }
    }
    Ok(Some(scratch.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a DBF in memory: one C(20) field `NAME`, rows as bytes.
    pub(crate) fn tiny_dbf(rows: &[&[u8]], ldid: u8) -> Vec<u8> {
        let mut d = vec![0u8; 32];
        d[0] = 3;
        d[4..8].copy_from_slice(&(rows.len() as u32).to_le_bytes());
        d[8..10].copy_from_slice(&(65u16).to_le_bytes());
        d[10..12].copy_from_slice(&(21u16).to_le_bytes());
        d[29] = ldid;
        let mut f = [0u8; 32];
        f[..4].copy_from_slice(b"NAME");
        f[11] = b'C';
        f[16] = 20;
        d.extend_from_slice(&f);
        d.push(0x0D);
        for r in rows {
            d.push(b' ');
            let mut v = r.to_vec();
            v.resize(20, b' ');
            d.extend_from_slice(&v);
        }
        d.push(0x1A);
        d
    }

    #[test]
    fn sniffs_gb18030_when_not_utf8() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("t.dbf");
        let (gbk, _, _) = encoding_rs::GBK.encode("青阳街道");
        std::fs::write(&p, tiny_dbf(&[b"abc", &gbk], 0)).expect("write");
        let t = read(&p, EncodingChoice::Sniff).expect("read");
        assert!(t.guessed);
        assert_eq!(t.columns[0].get(1), Some("青阳街道"));
        assert_eq!(t.columns[0].get(0), Some("abc"));
        assert_eq!(t.trailing_bytes, 0);
    }

    #[test]
    fn utf8_is_not_guessed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("t.dbf");
        std::fs::write(&p, tiny_dbf(&["社区".as_bytes()], 0)).expect("write");
        let t = read(&p, EncodingChoice::Sniff).expect("read");
        assert!(!t.guessed);
        assert_eq!(t.columns[0].get(0), Some("社区"));
    }

    #[test]
    fn lying_record_count_is_an_error_before_allocation() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("t.dbf");
        let mut d = tiny_dbf(&[b"a"], 0);
        d[4..8].copy_from_slice(&800_000_000u32.to_le_bytes());
        std::fs::write(&p, d).expect("write");
        match read(&p, EncodingChoice::Sniff) {
            Err(Error::Malformed {
                problem: Problem::DbfTruncated { claimed, present },
                ..
            }) => {
                assert_eq!(claimed, 800_000_000);
                assert_eq!(present, 1);
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    /// Currency (`Y`): a signed count of ten-thousandths. Between -1 and 0 the sign is kept.
    #[test]
    fn currency_keeps_its_sign_below_one() {
        let mut scratch = String::new();
        for (v, text) in [
            (-5i64, "-0.0005"),
            (-12_345, "-1.2345"),
            (5, "0.0005"),
            (0, "0.0000"),
            (i64::MIN, "-922337203685477.5808"),
        ] {
            let got = decode_value(b'Y', &v.to_le_bytes(), UTF_8, false, &mut scratch);
            assert_eq!(got, Ok(Some(text)), "{v}");
        }
    }

    /// A field of width 0 is refused with the header, before any row is read.
    #[test]
    fn a_field_of_width_zero_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("t.dbf");
        let mut d = tiny_dbf(&[b"a"], 0);
        d[32 + 16] = 0;
        d[10..12].copy_from_slice(&1u16.to_le_bytes());
        std::fs::write(&p, d).expect("write");
        match read(&p, EncodingChoice::Sniff) {
            Err(Error::Malformed {
                problem:
                    Problem::BadDbfHeader {
                        reason: DbfFault::FieldWidth,
                    },
                ..
            }) => {}
            other => panic!("unexpected {other:?}"),
        }
    }
}
