//! Stable finding fingerprints: a 64-bit FNV-1a hash over the fields that identify a finding,
//! never over line numbers, so that edits above a finding leave it unchanged. FNV is written
//! out here rather than taken from `std::hash` because std's hashers may change between Rust
//! releases and fingerprints are stored in users' baselines.

use super::Finding;

const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0000_0100_0000_01b3;

fn fnv1a(parts: &[&str]) -> u64 {
    let mut hash = OFFSET;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0xff)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(PRIME);
        }
    }
    hash
}

/// The fingerprint of a finding: path, code, provider, activity and subject (for evidence, the
/// rule id and the matched line's trimmed text), as 16 lower-case hex digits.
pub fn of(finding: &Finding) -> String {
    let hash = fnv1a(&[
        finding.path.as_deref().unwrap_or(""),
        finding.code.as_str(),
        finding.provider.as_deref().unwrap_or(""),
        finding.activity.as_deref().unwrap_or(""),
        finding.subject.as_deref().unwrap_or(""),
    ]);
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;
    use crate::source::{SourceFile, Span};

    #[test]
    fn fingerprint_ignores_position_but_not_identity() {
        let a = SourceFile::new("infra/raci.yaml", "provider: sysbee\nx: 1\n");
        let b = SourceFile::new("infra/raci.yaml", "# moved\n\nprovider: sysbee\nx: 1\n");
        let f = |src, span| {
            Finding::new(Code::ClaimsProviderDuty, "m")
                .at(src, span, "")
                .provider("sysbee")
                .activity("server-os-patching")
        };
        let fa = of(&f(&a, Span::new(0, 8)));
        assert_eq!(fa, of(&f(&b, Span::new(9, 17))));
        assert_eq!(fa.len(), 16);
        let other = f(&a, Span::new(0, 8)).activity("server-setup");
        assert_ne!(fa, of(&other));
    }

    #[test]
    fn fnv1a_matches_the_reference_value() {
        // FNV-1a 64 of the empty input is the offset basis; of "a" it is a published constant.
        assert_eq!(fnv1a(&[]), OFFSET);
        let mut h = OFFSET;
        h ^= u64::from(b'a');
        h = h.wrapping_mul(PRIME);
        assert_eq!(h, 0xaf63_dc4c_8601_ec8c);
    }
}
