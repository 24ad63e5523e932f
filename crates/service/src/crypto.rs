//! Secrets: random tokens, their at-rest hashes, and argon2id password hashing.

use std::sync::{Condvar, Mutex, OnceLock, PoisonError};

use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use rand::rngs::OsRng;
use sha2::{Digest, Sha256};

use crate::error::ServiceError;

/// `n` random bytes from the operating system, URL-safe base64 without padding.
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    OsRng.fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

/// `n` random bytes.
pub fn random_bytes(bytes: usize) -> Vec<u8> {
    let mut buf = vec![0u8; bytes];
    OsRng.fill_bytes(&mut buf);
    buf
}

/// A human-typeable random password (no look-alike characters).
pub fn random_password(len: usize) -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut buf = vec![0u8; len];
    OsRng.fill_bytes(&mut buf);
    buf.iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect()
}

/// SHA-256 of a high-entropy token, hex. (Tokens are random, so a fast hash suffices at rest.)
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// OWASP's recommended argon2id setting: 19 MiB, 2 iterations, 1 lane.
fn params() -> Params {
    Params::new(19 * 1024, 2, 1, None).unwrap_or_default()
}

/// Argon2 working memory (19 MiB each), reused. At most one per CPU exists: a burst of logins
/// neither allocates and frees 19 MiB per attempt (memory the allocator then keeps resident in
/// every thread's arena: over a gigabyte under load) nor runs more hashes at once than there
/// are cores; the others wait their turn.
struct Workspaces {
    state: Mutex<WorkspaceState>,
    returned: Condvar,
    limit: usize,
}

struct WorkspaceState {
    free: Vec<Vec<Block>>,
    created: usize,
}

/// A workspace on loan; handed back when dropped, even by a panic.
struct Loan {
    memory: Vec<Block>,
}

impl Drop for Loan {
    fn drop(&mut self) {
        let workspaces = Workspaces::global();
        let mut state = workspaces
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        state.free.push(std::mem::take(&mut self.memory));
        workspaces.returned.notify_one();
    }
}

impl Workspaces {
    fn global() -> &'static Workspaces {
        static WORKSPACES: OnceLock<Workspaces> = OnceLock::new();
        WORKSPACES.get_or_init(|| Workspaces {
            state: Mutex::new(WorkspaceState {
                free: Vec::new(),
                created: 0,
            }),
            returned: Condvar::new(),
            limit: std::thread::available_parallelism().map_or(2, |n| n.get().max(2)),
        })
    }

    /// Borrows a workspace, waiting while all are in use.
    fn borrow(&self) -> Loan {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            if let Some(memory) = state.free.pop() {
                return Loan { memory };
            }
            if state.created < self.limit {
                state.created += 1;
                return Loan { memory: Vec::new() };
            }
            state = self
                .returned
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

/// Raw argon2 of `password` and `salt` into `out`, in a reused workspace.
fn argon2_into(
    algorithm: Algorithm,
    version: Version,
    params: Params,
    password: &[u8],
    salt: &[u8],
    out: &mut [u8],
) -> Result<(), argon2::Error> {
    let blocks = params.block_count();
    let argon = Argon2::new(algorithm, version, params);
    let mut loan = Workspaces::global().borrow();
    if loan.memory.len() < blocks {
        loan.memory.resize(blocks, Block::default());
    }
    argon.hash_password_into_with_memory(password, salt, out, &mut loan.memory[..blocks])
}

/// Hashes a password with argon2id and a random salt; returns the PHC string.
pub fn hash_password(password: &str) -> Result<String, ServiceError> {
    let failed =
        |e: &dyn std::fmt::Display| ServiceError::Internal(format!("password hashing failed: {e}"));
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_buffer = [0u8; 64];
    let salt_bytes = salt
        .as_salt()
        .decode_b64(&mut salt_buffer)
        .map_err(|e| failed(&e))?;
    let params = params();
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    argon2_into(
        Algorithm::Argon2id,
        Version::V0x13,
        params.clone(),
        password.as_bytes(),
        salt_bytes,
        &mut out,
    )
    .map_err(|e| failed(&e))?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| failed(&e))?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(|e| failed(&e))?),
    };
    Ok(phc.to_string())
}

/// Checks `password` against a parsed PHC string (any argon2 variant and parameters).
fn matches(password: &str, phc: &PasswordHash<'_>) -> Option<bool> {
    let algorithm = Algorithm::try_from(phc.algorithm).ok()?;
    let version = match phc.version {
        Some(v) => Version::try_from(v).ok()?,
        None => Version::default(),
    };
    let params = Params::try_from(phc).ok()?;
    let expected = phc.hash?;
    let mut salt_buffer = [0u8; 64];
    let salt = phc.salt?.decode_b64(&mut salt_buffer).ok()?;
    let mut out = vec![0u8; expected.len()];
    argon2_into(
        algorithm,
        version,
        params,
        password.as_bytes(),
        salt,
        &mut out,
    )
    .ok()?;
    // `Output` compares in constant time.
    Some(Output::new(&out).ok()? == expected)
}

/// Checks `password` against a stored PHC string. With no stored hash it still spends the
/// time of one verification, so that response times do not reveal whether an account exists.
pub fn verify_password(password: &str, stored: Option<&str>) -> bool {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash_password("not a real password").unwrap_or_default());
    let (phc, real) = match stored {
        Some(phc) => (phc, true),
        None => (dummy.as_str(), false),
    };
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    matches(password, &parsed).unwrap_or(false) && real
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_hash_verifies_only_the_right_password() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", Some(&hash)));
        assert!(!verify_password("wrong horse", Some(&hash)));
        assert!(!verify_password("correct horse", None));
        assert!(!verify_password("x", Some("not a phc string")));
    }

    #[test]
    fn hashes_of_the_argon2_crate_itself_verify_and_ours_verify_there() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let library = Argon2::new(Algorithm::Argon2id, Version::V0x13, params());
        let salt = SaltString::generate(&mut OsRng);
        let theirs = library
            .hash_password(b"correct horse", &salt)
            .unwrap()
            .to_string();
        assert!(verify_password("correct horse", Some(&theirs)));
        assert!(!verify_password("wrong horse", Some(&theirs)));
        let ours = hash_password("correct horse").unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(library.verify_password(b"correct horse", &parsed).is_ok());
        // Other parameters (an older or stronger setting) verify too.
        let older = Argon2::new(
            Algorithm::Argon2i,
            Version::V0x10,
            Params::new(8 * 1024, 3, 1, None).unwrap(),
        )
        .hash_password(b"old", &salt)
        .unwrap()
        .to_string();
        assert!(verify_password("old", Some(&older)));
        assert!(!verify_password("new", Some(&older)));
    }

    #[test]
    fn tokens_are_random_and_hash_stably() {
        let (a, b) = (random_token(32), random_token(32));
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(token_hash(&a), token_hash(&a));
        assert_eq!(token_hash("abc").len(), 64);
        assert_eq!(random_password(16).len(), 16);
    }
}
