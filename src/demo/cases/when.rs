//! When cases are reported (上报时间) and where they stand (案件状态): more in summer and on
//! weekdays, few at night, more each year; recent cases partly still open.

use chrono::{Datelike, Days, NaiveDate, Weekday};

use super::super::rng::Rng;
use super::CASE_DAYS;

/// Cumulative weights of the hours of the day (few cases at night).
const HOURS: [u32; 24] = {
    let w = [
        2, 1, 1, 1, 1, 2, 5, 10, 14, 15, 14, 12, 9, 11, 13, 13, 12, 11, 9, 8, 7, 6, 4, 3,
    ];
    let mut acc = [0u32; 24];
    let mut sum = 0;
    let mut i = 0;
    while i < 24 {
        sum += w[i];
        acc[i] = sum;
        i += 1;
    }
    acc
};
/// Weight of each month (more in summer).
const MONTHS: [u32; 12] = [80, 70, 90, 100, 110, 125, 135, 135, 120, 100, 90, 85];
/// Status indices into [`super::CASE_STATUSES`].
const CLOSED: usize = 4;
const VOID: usize = 5;

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
}

/// The calendar of the cases: each day's text, year and cumulative weight.
pub(super) struct Calendar {
    /// `YYYY-MM-DD` of every day.
    pub days: Vec<String>,
    /// The year of every day.
    pub years: Vec<i32>,
    cumulative: Vec<u32>,
    /// Day index of 2025-04-01 and 2025-07-01 (the three months before the 2025 data).
    window: (u32, u32),
}

impl Calendar {
    /// Every day from [`CASE_DAYS`]`.0` to `.1`.
    pub fn new() -> Calendar {
        let (first, last) = (day(CASE_DAYS.0), day(CASE_DAYS.1));
        let (open_from, old_effective) = (day("2025-04-01"), day(super::super::OLD.1));
        let mut c = Calendar {
            days: Vec::new(),
            years: Vec::new(),
            cumulative: Vec::new(),
            window: (0, 0),
        };
        let mut acc = 0u32;
        let mut d = first;
        while d <= last {
            let weekday = match d.weekday() {
                Weekday::Sat => 6,
                Weekday::Sun => 5,
                _ => 10,
            };
            // More cases each year as the system is used more.
            let growth = (d.year() - first.year()).clamp(0, 3) as u32 + 9;
            acc += MONTHS[d.month0() as usize] * weekday * growth;
            if d == open_from {
                c.window.0 = c.days.len() as u32;
            }
            if d == old_effective {
                c.window.1 = c.days.len() as u32;
            }
            c.days.push(d.format("%Y-%m-%d").to_string());
            c.years.push(d.year());
            c.cumulative.push(acc);
            match d.checked_add_days(Days::new(1)) {
                Some(next) => d = next,
                None => break,
            }
        }
        c
    }

    /// The index of the first case of each year among sorted `times`: `(year, index)`.
    pub fn year_starts(&self, times: &[u32]) -> Vec<(i32, usize)> {
        let mut out: Vec<(i32, usize)> = Vec::new();
        for (d, &y) in self.years.iter().enumerate() {
            if out.last().is_none_or(|&(last, _)| last != y) {
                let from = d as u32 * 86_400;
                out.push((y, times.partition_point(|&t| t < from)));
            }
        }
        out
    }
}

/// Draws `n` report times, seconds after the first day's midnight, sorted.
pub(super) fn times(cal: &Calendar, n: usize, rng: &mut Rng) -> Vec<u32> {
    let mut t: Vec<u32> = (0..n)
        .map(|_| {
            let d = rng.weighted(&cal.cumulative) as u32;
            let h = rng.weighted(&HOURS) as u32;
            d * 86_400 + h * 3_600 + rng.below(3_600) as u32
        })
        .collect();
    t.sort_unstable();
    t
}

/// Whether a status (index into [`super::CASE_STATUSES`]) is open: not closed, not void.
pub(super) fn is_open(status: usize) -> bool {
    status != CLOSED && status != VOID
}

/// The status of a case reported at `t` (seconds), by its age at the export, the day the
/// new data takes effect (2026-07-01): the last three months partly open, the newest most;
/// the three months before last year's data took effect (2025-04-01 – 06-30) a few still
/// parked, supervised or in progress; the rest closed, about 8 % void.
pub(super) fn status(cal: &Calendar, t: u32, rng: &mut Rng) -> usize {
    let end = cal.days.len() as u32 * 86_400;
    let age = f64::from(end.saturating_sub(t)) / 86_400.0;
    let d = t / 86_400;
    if age < 91.0 {
        let fresh = 1.0 - age / 91.0;
        if rng.chance(0.08 + 0.6 * fresh * fresh) {
            return if age < 7.0 {
                // 待受理 立案派遣 处理中 核查结案
                rng.weighted(&[30, 60, 90, 100])
            } else {
                // 处理中 核查结案 挂账 督查
                [2, 3, 6, 7][rng.weighted(&[40, 60, 85, 100])]
            };
        }
    } else if (cal.window.0..cal.window.1).contains(&d) && rng.chance(0.12) {
        // 挂账 督查 处理中: left open at last year's change-over.
        return [6, 7, 2][rng.weighted(&[60, 85, 100])];
    }
    if rng.chance(0.08) {
        VOID
    } else {
        CLOSED
    }
}
