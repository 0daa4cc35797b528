//! Who casegraph is to a store: a user name and a password read from an environment variable or
//! a netrc file (never from the command line, where `ps` and shell histories would show it),
//! and the `Authorization` header that the store's challenge asks for (Basic or Digest).

use crate::remote::RemoteError;
use base64::Engine as _;
use std::path::{Path, PathBuf};

/// A user name and password, and where the password came from (for messages, never the
/// password itself).
#[derive(Clone)]
pub struct Credentials {
    /// The user name.
    pub user: String,
    password: String,
    /// Where the password was read: `$VAR` or the netrc file's path.
    pub from: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("user", &self.user)
            .field("from", &self.from)
            .finish_non_exhaustive()
    }
}

impl Credentials {
    /// `user` with the password held by the environment variable `var`.
    pub fn from_env(user: &str, var: &str) -> Result<Self, RemoteError> {
        match std::env::var(var) {
            Ok(password) => Ok(Self {
                user: user.to_owned(),
                password,
                from: format!("${var}"),
            }),
            Err(_) => Err(RemoteError::Credentials(format!(
                "--password-env {var}: the environment variable {var} is not set (or not UTF-8)"
            ))),
        }
    }

    /// The entry of the netrc file for `host` (`$NETRC`, else `~/.netrc`), if the file exists
    /// and has one: the `machine` entry for the host, else the `default` entry. With `user`,
    /// only an entry for that login counts.
    pub fn from_netrc(host: &str, user: Option<&str>) -> Result<Option<Self>, RemoteError> {
        let Some(path) = netrc_path() else {
            return Ok(None);
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(RemoteError::Credentials(format!(
                    "{}: cannot read the netrc file: {e}",
                    path.display()
                )))
            }
        };
        Ok(
            netrc_entry(&text, host, user).map(|(login, password)| Self {
                user: login,
                password,
                from: path.display().to_string(),
            }),
        )
    }

    /// The password.
    pub(crate) fn password(&self) -> &str {
        &self.password
    }

    /// The value of an `Authorization: Basic` header.
    pub(crate) fn basic(&self) -> String {
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD
                .encode(format!("{}:{}", self.user, self.password))
        )
    }
}

/// `$NETRC`, else `~/.netrc`.
fn netrc_path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("NETRC") {
        return Some(PathBuf::from(path));
    }
    std::env::var_os("HOME").map(|home| Path::new(&home).join(".netrc"))
}

/// The login and password of `text`'s entry for `host` (curl's reading of the format:
/// `machine`, `login`, `password` tokens anywhere on the lines, `default` as the fallback,
/// `macdef` bodies skipped up to the next empty line).
fn netrc_entry(text: &str, host: &str, user: Option<&str>) -> Option<(String, String)> {
    #[derive(Default)]
    struct Entry {
        machine: Option<String>,
        login: Option<String>,
        password: Option<String>,
    }
    let mut entries: Vec<Entry> = Vec::new();
    let mut in_macro = false;
    for line in text.lines() {
        if in_macro {
            in_macro = !line.trim().is_empty();
            continue;
        }
        let mut tokens = line.split_whitespace();
        while let Some(token) = tokens.next() {
            match token {
                "machine" => entries.push(Entry {
                    machine: tokens.next().map(str::to_owned),
                    ..Entry::default()
                }),
                "default" => entries.push(Entry::default()),
                "login" | "password" | "account" => {
                    let value = tokens.next().map(str::to_owned);
                    if let Some(entry) = entries.last_mut() {
                        match token {
                            "login" => entry.login = value,
                            "password" => entry.password = value,
                            _ => {}
                        }
                    }
                }
                "macdef" => {
                    in_macro = true;
                    break;
                }
                _ => {}
            }
        }
    }
    let matches = |entry: &&Entry| user.is_none_or(|u| entry.login.as_deref() == Some(u));
    let found = entries
        .iter()
        .filter(matches)
        .find(|e| e.machine.as_deref() == Some(host))
        .or_else(|| entries.iter().filter(matches).find(|e| e.machine.is_none()))?;
    Some((found.login.clone()?, found.password.clone()?))
}

/// The scheme a store asked for, remembered so that later requests answer it at once.
pub(crate) enum Challenge {
    /// `WWW-Authenticate: Basic`.
    Basic,
    /// `WWW-Authenticate: Digest ...`: its nonce and counter.
    Digest(Box<digest_auth::WwwAuthenticateHeader>),
}

impl Challenge {
    /// The challenge of a 401 answer's `WWW-Authenticate` headers, Digest preferred.
    pub(crate) fn parse<'a>(headers: impl Iterator<Item = &'a str>) -> Option<Self> {
        let mut basic = false;
        for header in headers {
            let scheme = header.split_whitespace().next().unwrap_or_default();
            if scheme.eq_ignore_ascii_case("digest") {
                if let Ok(prompt) = digest_auth::parse(header) {
                    return Some(Self::Digest(Box::new(prompt)));
                }
            } else if scheme.eq_ignore_ascii_case("basic") {
                basic = true;
            }
        }
        basic.then_some(Self::Basic)
    }

    /// The `Authorization` header for a request (`method` on `target`, the path and query of
    /// its URL) that carries `body`.
    pub(crate) fn answer(
        &mut self,
        credentials: &Credentials,
        method: &str,
        target: &str,
        body: &[u8],
    ) -> Result<String, RemoteError> {
        match self {
            Self::Basic => Ok(credentials.basic()),
            Self::Digest(prompt) => {
                let context = digest_auth::AuthContext::new_with_method(
                    credentials.user.as_str(),
                    credentials.password(),
                    target,
                    Some(body),
                    digest_auth::HttpMethod(method.to_owned().into()),
                );
                prompt
                    .respond(&context)
                    .map(|header| header.to_header_string())
                    .map_err(|e| {
                        RemoteError::Credentials(format!(
                            "cannot answer the store's Digest challenge: {e}"
                        ))
                    })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_is_base64_of_user_and_password() {
        let credentials = Credentials {
            user: "dba".to_owned(),
            password: "dba".to_owned(),
            from: "test".to_owned(),
        };
        assert_eq!(credentials.basic(), "Basic ZGJhOmRiYQ==");
    }

    #[test]
    fn netrc_machine_entry_wins_over_default() {
        let text = "default login anon password x\n\
                    machine store.example login dba\n  password secret\n\
                    macdef init\nmachine fake login no password no\n\n\
                    machine other login o password p\n";
        assert_eq!(
            netrc_entry(text, "store.example", None),
            Some(("dba".to_owned(), "secret".to_owned()))
        );
        assert_eq!(
            netrc_entry(text, "elsewhere", None),
            Some(("anon".to_owned(), "x".to_owned()))
        );
        // A macro body is not read as entries.
        assert_eq!(
            netrc_entry(text, "fake", None),
            Some(("anon".to_owned(), "x".to_owned()))
        );
        assert_eq!(
            netrc_entry(text, "other", None),
            Some(("o".to_owned(), "p".to_owned()))
        );
        assert_eq!(netrc_entry(text, "store.example", Some("someone")), None);
    }

    #[test]
    fn digest_preferred_and_basic_understood() {
        let digest = r#"Digest realm="virtuoso", nonce="abc", qop="auth", algorithm="MD5""#;
        assert!(matches!(
            Challenge::parse(["Basic realm=\"x\"", digest].into_iter()),
            Some(Challenge::Digest(_))
        ));
        assert!(matches!(
            Challenge::parse(["Basic realm=\"x\""].into_iter()),
            Some(Challenge::Basic)
        ));
        assert!(Challenge::parse(["Bearer"].into_iter()).is_none());
    }
}
