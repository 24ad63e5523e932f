//! The SSRF guard: a webhook may only point at public addresses unless an administrator allows
//! private ones. The host is resolved and every address checked, when the webhook is saved and
//! again at each delivery; the delivery then connects to the addresses that were checked, so a
//! name that resolves to a public address first and a private one later (DNS rebinding) cannot
//! get through.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};

/// Why a target was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetError {
    /// Not an `http`/`https` URL with a host.
    Invalid(String),
    /// The host does not resolve.
    Unresolvable(String),
    /// The host resolves to an address that is not public.
    NotPublic(IpAddr),
}

impl std::fmt::Display for TargetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TargetError::Invalid(why) => write!(f, "{why}"),
            TargetError::Unresolvable(why) => write!(f, "the host does not resolve: {why}"),
            TargetError::NotPublic(ip) => write!(
                f,
                "resolves to {ip}, which is not a public address (allow private targets in the \
                 webhook settings to use it)"
            ),
        }
    }
}

/// The host and port of an `http`/`https` URL.
pub fn host_and_port(url: &str) -> Result<(String, u16), TargetError> {
    let parsed =
        url::Url::parse(url).map_err(|e| TargetError::Invalid(format!("not a URL: {e}")))?;
    let default_port = match parsed.scheme() {
        "https" => 443,
        "http" => 80,
        _ => return Err(TargetError::Invalid("must be an http or https URL".into())),
    };
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(TargetError::Invalid(
            "must not contain credentials; the signature authenticates Vakt".into(),
        ));
    }
    let host = match parsed.host() {
        Some(url::Host::Domain(d)) => d.to_owned(),
        Some(url::Host::Ipv4(ip)) => ip.to_string(),
        Some(url::Host::Ipv6(ip)) => ip.to_string(),
        None => return Err(TargetError::Invalid("must name a host".into())),
    };
    Ok((host, parsed.port().unwrap_or(default_port)))
}

/// Resolves `host:port` and checks every address; the addresses to connect to.
pub fn resolve_checked(
    host: &str,
    port: u16,
    allow_private: bool,
) -> Result<Vec<SocketAddr>, TargetError> {
    let addrs: Vec<SocketAddr> = (host, port)
        .to_socket_addrs()
        .map_err(|e| TargetError::Unresolvable(e.to_string()))?
        .collect();
    if addrs.is_empty() {
        return Err(TargetError::Unresolvable("no addresses".into()));
    }
    if !allow_private && let Some(bad) = addrs.iter().find(|a| !is_public(a.ip())) {
        return Err(TargetError::NotPublic(bad.ip()));
    }
    Ok(addrs)
}

/// Checks a URL as a webhook target.
pub fn check_url(url: &str, allow_private: bool) -> Result<Vec<SocketAddr>, TargetError> {
    let (host, port) = host_and_port(url)?;
    resolve_checked(&host, port, allow_private)
}

/// Whether an address is on the public internet: not loopback, link-local, private,
/// unspecified, shared (CGNAT), multicast, broadcast, documentation or otherwise reserved.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public_v4(v4);
            }
            is_public_v6(v6)
        }
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b))
        || (a == 192 && b == 0 && c == 0)
        || (a == 198 && (b == 18 || b == 19))
        || a >= 240)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    !(ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00 // unique local
        || (first & 0xffc0) == 0xfe80 // link-local
        || (first & 0xffc0) == 0xfec0 // site-local (deprecated)
        || first == 0x2001 && ip.segments()[1] == 0x0db8 // documentation
        || first == 0x0064 && ip.segments()[1] == 0xff9b // NAT64 (may reach private v4)
        || first == 0x2002) // 6to4 (may embed private v4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_loopback_link_local_and_unspecified_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["93.184.215.14", "1.1.1.1", "2606:4700::1111"] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn urls_need_http_a_host_and_no_credentials() {
        assert!(host_and_port("ftp://example.com/").is_err());
        assert!(host_and_port("https://user:pw@example.com/").is_err());
        assert_eq!(
            host_and_port("https://example.com/hook").unwrap(),
            ("example.com".into(), 443)
        );
        assert_eq!(
            host_and_port("http://[::1]:8080/").unwrap(),
            ("::1".into(), 8080)
        );
    }

    #[test]
    fn loopback_is_refused_unless_allowed() {
        assert!(matches!(
            check_url("http://127.0.0.1:9/x", false),
            Err(TargetError::NotPublic(_))
        ));
        assert!(check_url("http://127.0.0.1:9/x", true).is_ok());
        assert!(matches!(
            check_url("http://localhost:9/x", false),
            Err(TargetError::NotPublic(_))
        ));
    }
}
