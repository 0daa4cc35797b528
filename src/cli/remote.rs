//! `--endpoint` and its options, turned into the library's connection to a store.

use crate::cli::args::RemoteArgs;
use anyhow::{anyhow, Result};
use casegraph::rdf::prefixes::Prefixes;
use casegraph::remote::auth::Credentials;
use casegraph::remote::sparql::{Endpoint, Namespace};
use casegraph::remote::{self, Client, Connection};

/// The store `args` name, or `None` without `--endpoint`. `prefixes` are the case's, whose
/// `case:` is the default namespace. `timeout`, a query's own limit, shortens the read timeout.
pub fn endpoint(
    args: &RemoteArgs,
    prefixes: &Prefixes,
    timeout: Option<std::time::Duration>,
) -> Result<Option<Endpoint>> {
    let Some(url) = &args.endpoint else {
        return Ok(None);
    };
    remote::check_url(url)?;
    let namespace = match &args.namespace {
        Some(iri) => Namespace::new(iri)?,
        None => Namespace::of_case(prefixes)?,
    };
    let mut read_timeout = args.read_timeout.duration();
    if let Some(limit) = timeout {
        read_timeout = read_timeout.min(limit);
    }
    let connection = Connection {
        credentials: credentials(args, url)?,
        connect_timeout: args.connect_timeout.duration(),
        read_timeout,
        retries: args.retries,
    };
    Ok(Some(Endpoint::new(
        Client::new(connection),
        url,
        namespace,
    )?))
}

/// The user and password: `--user` with `--password-env`, else the netrc entry for the
/// endpoint's host (for `--user`'s login when given).
fn credentials(args: &RemoteArgs, url: &str) -> Result<Option<Credentials>> {
    if let (Some(user), Some(var)) = (&args.user, &args.password_env) {
        return Ok(Some(Credentials::from_env(user, var)?));
    }
    let host = remote::host_of(url).unwrap_or_default();
    let found = Credentials::from_netrc(&host, args.user.as_deref())?;
    match (&args.user, found) {
        (_, Some(credentials)) => Ok(Some(credentials)),
        (Some(user), None) => Err(anyhow!(
            "--user {user}: no password: give --password-env VAR (an environment variable holding it) or a netrc entry `machine {host} login {user} password ...` in $NETRC or ~/.netrc"
        )),
        (None, None) => Ok(None),
    }
}
