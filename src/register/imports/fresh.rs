//! Lookups an import into an empty register can skip. Each row asks the register for a
//! contact with the row's email, then for one with the id made from it; in a register that
//! had no contact when the import began, only the import's own earlier rows can answer yes.
//! A Bloom filter of the emails and ids written so far says "certainly not" for nearly every
//! new member (false positives, ~0.5 % at a million rows, are looked up as before), so the
//! writer thread does two index lookups fewer per row. It never answers "no" for a value
//! that was added: a skipped lookup is one that would have found nothing.

use std::hash::BuildHasher;

/// 2^24 bits (2 MiB) per filter; three probes.
const BITS: u64 = 1 << 24;
const PROBES: usize = 3;

pub(super) struct Filter {
    bits: Vec<u64>,
    hasher: std::hash::RandomState,
}

impl Filter {
    pub(super) fn new() -> Filter {
        Filter {
            bits: vec![0; (BITS / 64) as usize],
            hasher: std::hash::RandomState::new(),
        }
    }

    fn probes(&self, value: &str) -> [u64; PROBES] {
        let hash = self.hasher.hash_one(value);
        // Two halves of one 64-bit hash give the probes (Kirsch–Mitzenmacher).
        let (a, b) = (hash & 0xffff_ffff, (hash >> 32) | 1);
        let mut out = [0; PROBES];
        for (i, bit) in (0u64..).zip(out.iter_mut()) {
            *bit = a.wrapping_add(i.wrapping_mul(b)) % BITS;
        }
        out
    }

    pub(super) fn add(&mut self, value: &str) {
        for bit in self.probes(value) {
            self.bits[(bit / 64) as usize] |= 1 << (bit % 64);
        }
    }

    /// `false`: `value` was certainly never added.
    pub(super) fn may_hold(&self, value: &str) -> bool {
        self.probes(value)
            .into_iter()
            .all(|bit| self.bits[(bit / 64) as usize] & (1 << (bit % 64)) != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn added_values_are_always_held_and_others_mostly_not() {
        let mut f = Filter::new();
        for i in 0..200_000 {
            f.add(&format!("member.{i}@example.de"));
        }
        for i in 0..200_000 {
            assert!(f.may_hold(&format!("member.{i}@example.de")), "{i}");
        }
        let false_positives = (0..100_000)
            .filter(|i| f.may_hold(&format!("other.{i}@example.de")))
            .count();
        assert!(false_positives < 100, "{false_positives}");
    }
}
