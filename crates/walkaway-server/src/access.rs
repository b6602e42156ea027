//! Who may talk to the server.
//!
//! Two checks, both in one middleware ([`guard`]):
//! - **Host**: on a loopback address only requests naming that address
//!   (`127.0.0.1:PORT`, `localhost:PORT`, `[::1]:PORT` or the address given
//!   to `--addr`) are answered. A web page on another domain that re-points
//!   its name at 127.0.0.1 (DNS rebinding) sends its own name as `Host`, so
//!   it cannot read or delete anyone's saves.
//! - **Access token**: on any other address the server is reachable from
//!   other machines, so every API call must carry the token printed at
//!   start, as `Authorization: Bearer TOKEN` or as the cookie that opening
//!   `/?token=TOKEN` once in a browser sets. Pages themselves hold no data
//!   and are served without it.

use std::net::SocketAddr;

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

/// The cookie a browser keeps the token in after `/?token=…`.
const COOKIE: &str = "walkaway_token";

/// What [`guard`] lets through.
#[derive(Clone, PartialEq, Eq)]
pub struct Access {
    /// `Host` header values that are answered; `None` accepts any (an
    /// unspecified address such as 0.0.0.0 has no one name).
    hosts: Option<Vec<String>>,
    /// The token every API call must carry, if any.
    token: Option<String>,
}

impl std::fmt::Debug for Access {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never log the token itself.
        f.debug_struct("Access")
            .field("hosts", &self.hosts)
            .field("token", &self.token.as_ref().map(|_| "…"))
            .finish()
    }
}

impl Access {
    /// No checks at all (for tests that call [`crate::app`] directly).
    pub fn open() -> Self {
        Self {
            hosts: None,
            token: None,
        }
    }

    /// The checks for a server asked to listen on `configured` and bound to
    /// `bound` (they differ when the port was 0).
    pub fn for_address(configured: SocketAddr, bound: SocketAddr) -> Self {
        let port = bound.port();
        if bound.ip().is_loopback() {
            let mut hosts = vec![
                format!("127.0.0.1:{port}"),
                format!("localhost:{port}"),
                format!("[::1]:{port}"),
                SocketAddr::new(bound.ip(), port).to_string(),
            ];
            if configured.port() != 0 {
                hosts.push(configured.to_string());
            }
            hosts.sort();
            hosts.dedup();
            return Self {
                hosts: Some(hosts),
                token: None,
            };
        }
        let hosts = (!bound.ip().is_unspecified()).then(|| vec![bound.to_string()]);
        Self {
            hosts,
            token: Some(random_hex()),
        }
    }

    /// Requires `token` on every API call (and checks `Host` as `self` does).
    pub fn with_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// The token to print once at start, if API calls need one.
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    fn host_allowed(&self, headers: &HeaderMap) -> bool {
        let Some(hosts) = &self.hosts else {
            return true;
        };
        headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .is_some_and(|h| hosts.iter().any(|allowed| allowed.eq_ignore_ascii_case(h)))
    }

    fn token_given(&self, headers: &HeaderMap) -> bool {
        let Some(token) = &self.token else {
            return true;
        };
        let bearer = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        let cookie = headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|kv| kv.trim().split_once('='))
            .find(|(k, _)| *k == COOKIE)
            .map(|(_, v)| v);
        [bearer, cookie]
            .into_iter()
            .flatten()
            .any(|given| same_secret(given, token))
    }
}

/// Compares without stopping at the first differing byte, so the answer
/// time does not tell how much of a guess was right.
fn same_secret(given: &str, token: &str) -> bool {
    let (a, b) = (given.as_bytes(), token.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// 32 hex digits from the operating system's random source.
pub(crate) fn random_hex() -> String {
    let mut bytes = [0u8; 16];
    let from_os = std::fs::File::open("/dev/urandom")
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut bytes));
    if from_os.is_err() {
        // No /dev/urandom (not a Unix): std's hasher keys are seeded from
        // the OS's random source once per process.
        use std::hash::{BuildHasher, Hasher};
        for chunk in bytes.chunks_mut(8) {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u128(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_nanos()),
            );
            chunk.copy_from_slice(&h.finish().to_le_bytes()[..chunk.len()]);
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The middleware: wrong `Host` → 403 for everything; missing token → 401
/// for the API; `/?token=…` with the right token stores it in a cookie.
pub async fn guard(
    axum::extract::State(access): axum::extract::State<Access>,
    request: Request,
    next: Next,
) -> Response {
    let headers = request.headers();
    if !access.host_allowed(headers) {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("")
            .to_string();
        return ApiError::Forbidden {
            field: "Host".into(),
            value: host,
            allowed: format!(
                "the address the server listens on: {}",
                access.hosts.as_deref().unwrap_or_default().join(", ")
            ),
        }
        .into_response();
    }
    let path = request.uri().path();
    if access.token.is_some() && path == "/" {
        let query_token = request
            .uri()
            .query()
            .unwrap_or("")
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| *k == "token")
            .map(|(_, v)| v.to_string());
        if let Some(given) = query_token {
            let mut probe = HeaderMap::new();
            if let Ok(v) = HeaderValue::from_str(&format!("Bearer {given}")) {
                probe.insert(header::AUTHORIZATION, v);
            }
            if access.token_given(&probe) {
                // Strict: other sites' pages never send it along.
                let cookie = format!("{COOKIE}={given}; Path=/; HttpOnly; SameSite=Strict");
                let mut res = (StatusCode::SEE_OTHER, [(header::LOCATION, "/")]).into_response();
                if let Ok(v) = HeaderValue::from_str(&cookie) {
                    res.headers_mut().insert(header::SET_COOKIE, v);
                }
                return res;
            }
        }
    }
    if (path == "/api" || path.starts_with("/api/")) && !access.token_given(headers) {
        let mut res = ApiError::Unauthorized.into_response();
        res.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return res;
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_host(h: &str) -> HeaderMap {
        let mut m = HeaderMap::new();
        m.insert(header::HOST, HeaderValue::from_str(h).unwrap());
        m
    }

    #[test]
    fn loopback_answers_its_own_names_only() {
        let a = Access::for_address(
            "127.0.0.1:0".parse().unwrap(),
            "127.0.0.1:4321".parse().unwrap(),
        );
        assert!(a.token().is_none());
        for ok in [
            "127.0.0.1:4321",
            "localhost:4321",
            "LOCALHOST:4321",
            "[::1]:4321",
        ] {
            assert!(a.host_allowed(&with_host(ok)), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:4321",
            "127.0.0.1:80",
            "127.0.0.1",
            "",
        ] {
            assert!(!a.host_allowed(&with_host(bad)), "{bad}");
        }
        assert!(!a.host_allowed(&HeaderMap::new()));
    }

    #[test]
    fn other_addresses_need_the_token() {
        let a = Access::for_address(
            "0.0.0.0:8080".parse().unwrap(),
            "0.0.0.0:8080".parse().unwrap(),
        );
        let token = a.token().unwrap().to_string();
        assert_eq!(token.len(), 32);
        assert!(a.host_allowed(&with_host("my-laptop.local:8080")));
        let mut h = HeaderMap::new();
        assert!(!a.token_given(&h));
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer nope"),
        );
        assert!(!a.token_given(&h));
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_str(&format!("Bearer {token}")).unwrap(),
        );
        assert!(a.token_given(&h));
        let mut c = HeaderMap::new();
        c.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("a=b; {COOKIE}={token}")).unwrap(),
        );
        assert!(a.token_given(&c));
        let b = Access::for_address(
            "0.0.0.0:8080".parse().unwrap(),
            "0.0.0.0:8080".parse().unwrap(),
        );
        assert_ne!(b.token(), a.token(), "a new token each start");
    }

    #[test]
    fn a_specific_lan_address_is_also_checked_as_host() {
        let a = Access::for_address(
            "192.168.1.5:8080".parse().unwrap(),
            "192.168.1.5:8080".parse().unwrap(),
        );
        assert!(a.token().is_some());
        assert!(a.host_allowed(&with_host("192.168.1.5:8080")));
        assert!(!a.host_allowed(&with_host("evil.example")));
    }
}
