//! `walkaway serve`: the web app on 127.0.0.1:8080, with a SQLite file in
//! your data folder unless `--database` says otherwise.

use std::net::SocketAddr;

use crate::common::Failure;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: String,
    /// Database URL: sqlite://PATH or postgres://… (default: a SQLite file in
    /// $XDG_DATA_HOME/walkaway, else ~/.local/share/walkaway).
    #[arg(long)]
    database: Option<String>,
}

pub fn run(args: &Args) -> Result<(), Failure> {
    let addr: SocketAddr = args.addr.parse().map_err(|_| {
        Failure::Input(format!(
            "--addr `{}` is not an address; allowed: IP:PORT, e.g. 127.0.0.1:8080",
            args.addr
        ))
    })?;
    let database = args
        .database
        .clone()
        .unwrap_or_else(walkaway_server::default_database_url);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::Internal(format!("cannot start the async runtime: {e}")))?;
    runtime
        .block_on(walkaway_server::serve(addr, &database, |bound, db, access| {
            // The browser tests read this line to find the port.
            println!("walkaway: listening on http://{bound} (data: {db})");
            if let Some(token) = access.token() {
                println!(
                    "walkaway: {bound} is not a loopback address, so other machines can reach this server; \
                     every API call needs this access token (shown only now): {token}\n\
                     walkaway: open http://{bound}/?token={token} once in your browser (it keeps it in a cookie), \
                     or send `Authorization: Bearer {token}`; use --addr 127.0.0.1:PORT to stay private"
                );
            }
        }))
        .map_err(|e| match e {
            walkaway_server::ServeError::Store(s) => Failure::Input(format!("--database: {s}")),
            other => Failure::Input(other.to_string()),
        })
}
