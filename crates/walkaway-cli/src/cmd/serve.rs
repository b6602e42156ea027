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
    /// Most simulated futures one forecast may ask for, and most particles
    /// (simulated partners) one journal analysis may ask for (100 to 20000;
    /// lower it to keep a shared or test server quick).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_LIMITS.max_trajectories)]
    max_trajectories: u64,
    /// Longest forecast horizon one request may ask for, in days (30 to 730).
    #[arg(long, value_name = "DAYS", default_value_t = DEFAULT_LIMITS.max_horizon_days)]
    max_horizon_days: f64,
}

const DEFAULT_LIMITS: walkaway_server::Limits = walkaway_server::Limits::DEFAULT;

/// The request limits: the defaults, or lower caps from the flags.
fn limits(args: &Args) -> Result<walkaway_server::Limits, Failure> {
    if !(100..=DEFAULT_LIMITS.max_trajectories).contains(&args.max_trajectories) {
        return Err(Failure::Input(format!(
            "--max-trajectories {} is out of range; allowed: a whole number from 100 to {}",
            args.max_trajectories, DEFAULT_LIMITS.max_trajectories
        )));
    }
    if !(30.0..=DEFAULT_LIMITS.max_horizon_days).contains(&args.max_horizon_days) {
        return Err(Failure::Input(format!(
            "--max-horizon-days {} is out of range; allowed: a number of days from 30 to {}",
            walkaway_core::model::short(args.max_horizon_days),
            DEFAULT_LIMITS.max_horizon_days
        )));
    }
    Ok(walkaway_server::Limits {
        max_trajectories: args.max_trajectories,
        max_horizon_days: args.max_horizon_days,
        ..DEFAULT_LIMITS
    })
}

pub fn run(args: &Args) -> Result<(), Failure> {
    let addr: SocketAddr = args.addr.parse().map_err(|_| {
        Failure::Input(format!(
            "--addr `{}` is not an address; allowed: IP:PORT, e.g. 127.0.0.1:8080",
            args.addr
        ))
    })?;
    let limits = limits(args)?;
    let database = args
        .database
        .clone()
        .unwrap_or_else(walkaway_server::default_database_url);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::Internal(format!("cannot start the async runtime: {e}")))?;
    runtime
        .block_on(walkaway_server::serve(addr, &database, limits, |bound, db, access| {
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
