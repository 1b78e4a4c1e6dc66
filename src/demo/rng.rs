//! The demo's own pseudo-random numbers (伪随机数): SplitMix64.
//!
//! Written out here rather than taken from a crate so that a seed gives the same district
//! on every platform and with every version of every dependency. Only integer arithmetic
//! and exactly rounded float operations (`+ - * /`) are used on its output.

/// The SplitMix64 finaliser: a strong 64-bit mixing function.
pub fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A hash of a seed and a few integers, for values that must depend only on what they
/// belong to (an edge of the lattice, a cell), not on the order they are generated in.
pub fn hash(seed: u64, parts: &[u64]) -> u64 {
    let mut h = mix(seed ^ 0x9E37_79B9_7F4A_7C15);
    for &p in parts {
        h = mix(h ^ p.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    }
    h
}

/// SplitMix64 (Steele, Lea and Flood 2014): one 64-bit state, full period 2⁶⁴.
#[derive(Debug, Clone)]
pub struct Rng {
    state: u64,
}

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng { state: seed }
    }

    /// An independent generator for a named purpose (`stream`), so that adding draws in one
    /// part of the generator does not shift the numbers of another.
    pub fn stream(seed: u64, stream: u64) -> Rng {
        Rng::new(hash(seed, &[stream]))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.state)
    }

    /// A number in `0..n` (0 when `n` is 0), by the multiply-shift reduction.
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi.saturating_sub(lo) + 1)
    }

    /// A float in `[0, 1)` with 53 random bits.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A float in `[lo, hi)`.
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// An element of a non-empty slice (`None` for an empty one).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        if items.is_empty() {
            None
        } else {
            items.get(self.below(items.len()))
        }
    }

    /// An index drawn with the given cumulative weights (last element = total).
    pub fn weighted(&mut self, cumulative: &[u32]) -> usize {
        let total = cumulative.last().copied().unwrap_or(0);
        if total == 0 {
            return 0;
        }
        let x = self.below(total as usize) as u32;
        cumulative.partition_point(|&c| c <= x)
    }

    /// Shuffles `items` in place (Fisher–Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_matches_the_reference_sequence() {
        // Reference values of SplitMix64 seeded with 1234567 (from the C reference code).
        let mut r = Rng::new(1_234_567);
        let got: Vec<u64> = (0..5).map(|_| r.next_u64()).collect();
        assert_eq!(
            got,
            vec![
                6_457_827_717_110_365_317,
                3_203_168_211_198_807_973,
                9_817_491_932_198_370_423,
                4_593_380_528_125_082_431,
                16_408_922_859_458_223_821,
            ]
        );
    }

    #[test]
    fn same_seed_same_numbers_other_seed_other_numbers() {
        let a: Vec<u64> = {
            let mut r = Rng::new(7);
            (0..100).map(|_| r.next_u64()).collect()
        };
        let b: Vec<u64> = {
            let mut r = Rng::new(7);
            (0..100).map(|_| r.next_u64()).collect()
        };
        let c: Vec<u64> = {
            let mut r = Rng::new(8);
            (0..100).map(|_| r.next_u64()).collect()
        };
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(Rng::stream(7, 1).next_u64(), Rng::stream(7, 2).next_u64());
        assert_eq!(hash(7, &[1, 2]), hash(7, &[1, 2]));
        assert_ne!(hash(7, &[1, 2]), hash(7, &[2, 1]));
    }

    #[test]
    fn ranges_hold_and_cover() {
        let mut r = Rng::new(2026);
        let mut seen = [0usize; 10];
        for _ in 0..10_000 {
            let u = r.unit();
            assert!((0.0..1.0).contains(&u));
            let k = r.below(10);
            seen[k] += 1;
            let b = r.between(3, 5);
            assert!((3..=5).contains(&b));
            let f = r.range(-2.0, 2.0);
            assert!((-2.0..2.0).contains(&f));
        }
        // Each bucket near 1,000 (a loose bound: a broken reduction would miss it widely).
        assert!(seen.iter().all(|&n| (850..1150).contains(&n)), "{seen:?}");
        assert_eq!(r.below(0), 0);
    }

    #[test]
    fn weighted_follows_weights_and_shuffle_permutes() {
        let mut r = Rng::new(1);
        let cumulative = [1, 1, 4]; // weights 1, 0, 3
        let mut n = [0usize; 3];
        for _ in 0..8_000 {
            n[r.weighted(&cumulative)] += 1;
        }
        assert_eq!(n[1], 0);
        assert!((1_700..2_300).contains(&n[0]), "{n:?}");
        let mut v: Vec<u32> = (0..50).collect();
        r.shuffle(&mut v);
        assert_ne!(v, (0..50).collect::<Vec<_>>());
        v.sort_unstable();
        assert_eq!(v, (0..50).collect::<Vec<_>>());
    }
}
