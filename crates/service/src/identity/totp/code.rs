//! TOTP (RFC 6238) over HOTP (RFC 4226) with HMAC-SHA1, 6 digits, 30-second steps: what every
//! authenticator app (FreeOTP, Aegis, Google Authenticator, Microsoft Authenticator) speaks.
//! Secrets travel as RFC 4648 base32 without padding, as in `otpauth://` URIs.

use hmac::{Hmac, Mac};
use sha1::Sha1;
use subtle::ConstantTimeEq;

/// Length of a step, in seconds.
pub const STEP_SECS: i64 = 30;
/// Digits of a code.
pub const DIGITS: u32 = 6;
/// Steps accepted either side of now (clock drift of the phone).
pub const DRIFT_STEPS: i64 = 1;
/// Bytes of a new secret (160 bits, RFC 4226's recommendation).
pub const SECRET_BYTES: usize = 20;

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// RFC 4648 base32 without padding.
pub fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(BASE32[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(BASE32[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// Decodes base32 (case-insensitive; spaces and padding ignored); `None` on other characters.
pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.chars().filter(|c| !matches!(c, ' ' | '=' | '-')) {
        let value = BASE32
            .iter()
            .position(|&b| b as char == c.to_ascii_uppercase())?;
        buffer = (buffer << 5) | value as u32;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(((buffer >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

/// The HOTP value of `secret` at `counter` (RFC 4226 §5.3).
pub fn hotp(secret: &[u8], counter: u64) -> u32 {
    // HMAC accepts keys of any length; `new_from_slice` cannot fail for it.
    let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(secret) else {
        return 0;
    };
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[19] & 0x0f);
    let binary = (u32::from(digest[offset]) & 0x7f) << 24
        | u32::from(digest[offset + 1]) << 16
        | u32::from(digest[offset + 2]) << 8
        | u32::from(digest[offset + 3]);
    binary % 10u32.pow(DIGITS)
}

/// The step a Unix time falls in.
pub fn step_at(unix_secs: i64) -> i64 {
    unix_secs.div_euclid(STEP_SECS)
}

/// The code of `secret` for `step`, zero-padded.
pub fn code_for_step(secret: &[u8], step: i64) -> String {
    format!(
        "{:0width$}",
        hotp(secret, u64::try_from(step).unwrap_or(0)),
        width = DIGITS as usize
    )
}

/// The step within the drift window whose code is `code`, if any, compared in constant time.
pub fn verify(secret: &[u8], code: &str, unix_secs: i64) -> Option<i64> {
    let code = code.trim().replace(' ', "");
    if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let now = step_at(unix_secs);
    let mut found = None;
    for step in (now - DRIFT_STEPS)..=(now + DRIFT_STEPS) {
        let expected = code_for_step(secret, step);
        if bool::from(expected.as_bytes().ct_eq(code.as_bytes())) {
            found = Some(step);
        }
    }
    found
}

/// The `otpauth://` URI an authenticator app reads from the QR code.
pub fn otpauth_uri(issuer: &str, account: &str, secret_base32: &str) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'@' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    format!(
        "otpauth://totp/{}:{}?secret={secret_base32}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECS}",
        enc(issuer),
        enc(account),
        enc(issuer)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The SHA-1 seed of RFC 6238 appendix B.
    const RFC_SECRET: &[u8] = b"12345678901234567890";

    #[test]
    fn rfc4226_hotp_test_values() {
        let expected = [
            755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489,
        ];
        for (counter, value) in expected.iter().enumerate() {
            assert_eq!(
                hotp(RFC_SECRET, counter as u64),
                *value,
                "counter {counter}"
            );
        }
    }

    #[test]
    fn rfc6238_totp_test_values_sha1() {
        // RFC 6238 appendix B lists 8-digit codes; the 6-digit code is its last six digits.
        for (time, eight) in [
            (59, "94287082"),
            (1111111109, "07081804"),
            (1111111111, "14050471"),
            (1234567890, "89005924"),
            (2000000000, "69279037"),
            (20000000000, "65353130"),
        ] {
            assert_eq!(
                code_for_step(RFC_SECRET, step_at(time)),
                eight[2..],
                "t={time}"
            );
        }
    }

    #[test]
    fn verification_allows_one_step_of_drift_and_no_more() {
        let t = 1_234_567_890;
        let code = code_for_step(RFC_SECRET, step_at(t));
        assert_eq!(verify(RFC_SECRET, &code, t), Some(step_at(t)));
        assert_eq!(verify(RFC_SECRET, &code, t + 30), Some(step_at(t)));
        assert_eq!(verify(RFC_SECRET, &code, t - 30), Some(step_at(t)));
        assert_eq!(verify(RFC_SECRET, &code, t + 90), None);
        assert_eq!(verify(RFC_SECRET, "12345", t), None);
        assert_eq!(verify(RFC_SECRET, "abcdef", t), None);
    }

    #[test]
    fn base32_round_trips_and_matches_rfc4648() {
        assert_eq!(base32_encode(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32_encode(b"f"), "MY");
        assert_eq!(base32_decode("MZXW6YTBOI======").unwrap(), b"foobar");
        assert_eq!(base32_decode("mzxw 6ytb oi").unwrap(), b"foobar");
        assert_eq!(base32_decode("MZ1"), None);
        let secret: Vec<u8> = (0u8..20).collect();
        assert_eq!(base32_decode(&base32_encode(&secret)).unwrap(), secret);
    }

    #[test]
    fn otpauth_uri_escapes_labels() {
        assert_eq!(
            otpauth_uri("Vakt UiO", "ola@uio.no", "ABC"),
            "otpauth://totp/Vakt%20UiO:ola@uio.no?secret=ABC&issuer=Vakt%20UiO&algorithm=SHA1&digits=6&period=30"
        );
    }
}
