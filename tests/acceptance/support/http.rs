//! A small blocking HTTP client for the tests: every response, including 4xx/5xx, comes back as
//! a [`Response`].

use serde_json::Value;

use super::TestApp;

/// A response, whatever its status.
#[derive(Debug)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Headers (lower-case names; last value wins).
    pub headers: std::collections::HashMap<String, String>,
    /// Body bytes.
    pub body: Vec<u8>,
}

impl Response {
    /// The body as JSON (panics with the body when it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// A header value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }

    /// Asserts a problem+json response with this status and code, and returns the document.
    #[track_caller]
    pub fn assert_problem(&self, status: u16, code: &str) -> Value {
        assert_eq!(
            self.status,
            status,
            "unexpected status; body: {}",
            self.text()
        );
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json"),
            "not problem+json: {}",
            self.text()
        );
        let doc = self.json();
        assert_eq!(doc["code"], code, "{doc}");
        assert_eq!(doc["status"], status, "{doc}");
        assert_eq!(doc["type"], format!("urn:vakt:problem:{code}"), "{doc}");
        assert!(
            doc["title"].is_string() && doc["detail"].is_string(),
            "{doc}"
        );
        doc
    }
}

fn convert(result: Result<ureq::Response, ureq::Error>) -> Response {
    let response = match result {
        Ok(response) => response,
        Err(ureq::Error::Status(_, response)) => response,
        Err(error) => panic!("request failed: {error}"),
    };
    let status = response.status();
    let headers = response
        .headers_names()
        .into_iter()
        .filter_map(|name| {
            response
                .header(&name)
                .map(|v| (name.to_ascii_lowercase(), v.to_owned()))
        })
        .collect();
    let mut body = Vec::new();
    std::io::Read::read_to_end(&mut response.into_reader(), &mut body).expect("read body");
    Response {
        status,
        headers,
        body,
    }
}

impl TestApp {
    /// Any request with raw headers and body.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> Response {
        let mut request = self
            .agent
            .request(method, &format!("{}{path}", self.base_url()));
        for (name, value) in headers {
            request = request.set(name, value);
        }
        convert(match body {
            Some(bytes) => request.send_bytes(bytes),
            None => request.call(),
        })
    }

    fn with_token<'a>(token: Option<&'a str>, bearer: &'a mut String) -> Vec<(&'a str, &'a str)> {
        match token {
            Some(token) => {
                *bearer = format!("Bearer {token}");
                vec![("authorization", bearer.as_str())]
            }
            None => vec![],
        }
    }

    /// GET with an optional bearer token.
    pub fn get(&self, path: &str, token: Option<&str>) -> Response {
        let mut bearer = String::new();
        self.request("GET", path, &Self::with_token(token, &mut bearer), None)
    }

    /// DELETE with an optional bearer token.
    pub fn delete(&self, path: &str, token: Option<&str>) -> Response {
        let mut bearer = String::new();
        self.request("DELETE", path, &Self::with_token(token, &mut bearer), None)
    }

    /// A JSON request with an optional bearer token.
    pub fn send_json(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: &Value,
    ) -> Response {
        let mut bearer = String::new();
        let mut headers = Self::with_token(token, &mut bearer);
        headers.push(("content-type", "application/json"));
        self.request(method, path, &headers, Some(body.to_string().as_bytes()))
    }

    /// POST JSON.
    pub fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Response {
        self.send_json("POST", path, token, body)
    }

    /// PATCH JSON.
    pub fn patch(&self, path: &str, token: Option<&str>, body: &Value) -> Response {
        self.send_json("PATCH", path, token, body)
    }
}

impl TestApp {
    /// A client that does not follow redirects.
    pub fn agent_without_redirects(&self) -> ureq::Agent {
        ureq::AgentBuilder::new().redirects(0).build()
    }
}

impl TestApp {
    /// A JSON request with a bearer token and extra headers.
    pub fn send_json_with(
        &self,
        method: &str,
        path: &str,
        token: &str,
        extra: &[(&str, &str)],
        body: &Value,
    ) -> Response {
        let bearer = format!("Bearer {token}");
        let mut headers = vec![
            ("authorization", bearer.as_str()),
            ("content-type", "application/json"),
        ];
        headers.extend_from_slice(extra);
        self.request(method, path, &headers, Some(body.to_string().as_bytes()))
    }
}
