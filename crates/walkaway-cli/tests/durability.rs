//! kill -9 durability of the real `walkaway serve`: a client saves and
//! deletes as fast as it can, the server is killed (SIGKILL) at a point
//! that varies from round to round, and a restarted server must hold every
//! save it acknowledged (201) and none it acknowledged deleting (204), in a
//! database SQLite finds consistent. A few rounds here; scripts/durability.sh
//! runs many.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Starts the server on a free port; returns it and its address.
fn start(database: &str) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_walkaway"))
        .args(["serve", "--addr", "127.0.0.1:0", "--database", database])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("walkaway serve starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    (child, addr)
}

/// One HTTP/1.1 request (connection closed after it); the status and body,
/// or None if the server was gone before it answered.
fn request(addr: &str, method: &str, path: &str, body: Option<&str>) -> Option<(u16, String)> {
    let mut s = TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    let body = body.unwrap_or("");
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).ok()?;
    s.write_all(body.as_bytes()).ok()?;
    let mut answer = String::new();
    s.read_to_string(&mut answer).ok()?;
    let status = answer.split_whitespace().nth(1)?.parse().ok()?;
    let body = answer.split_once("\r\n\r\n").map(|(_, b)| b.to_string())?;
    Some((status, body))
}

fn id_of(body: &str) -> Option<i64> {
    serde_json::from_str::<serde_json::Value>(body).ok()?["id"].as_i64()
}

#[derive(Default)]
struct Acknowledged {
    saved: Vec<i64>,
    deleted: Vec<i64>,
    undecided: Vec<i64>,
}

#[test]
fn acknowledged_saves_and_deletes_survive_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("d.db").display());
    let acked = Arc::new(Mutex::new(Acknowledged::default()));
    // scripts/durability.sh asks for many more.
    let rounds: u64 = std::env::var("WALKAWAY_DURABILITY_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    for round in 0..rounds {
        let (mut server, addr) = start(&database);
        let stop = Arc::new(AtomicBool::new(false));
        let client = {
            let (acked, stop, addr) = (acked.clone(), stop.clone(), addr.clone());
            std::thread::spawn(move || {
                let mut i = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    i += 1;
                    let body = format!(
                        r#"{{"kind":"scenario","title":"r{round}-{i}","body":{{"i":{i}}}}}"#
                    );
                    match request(&addr, "POST", "/api/saved", Some(&body)) {
                        Some((201, b)) => {
                            let id = id_of(&b).expect("a 201 names the id");
                            acked.lock().unwrap().saved.push(id);
                            // Delete every third save once it is acknowledged;
                            // a delete cut off by the kill may or may not have
                            // happened, so that item is not checked.
                            if i.is_multiple_of(3) {
                                let answer =
                                    request(&addr, "DELETE", &format!("/api/saved/{id}"), None);
                                let mut a = acked.lock().unwrap();
                                match answer {
                                    Some((204, _)) => a.deleted.push(id),
                                    _ => a.undecided.push(id),
                                }
                            }
                        }
                        Some((code, b)) => panic!("save answered {code}: {b}"),
                        None => break,
                    }
                }
            })
        };
        // A different moment each round (no timing is asserted).
        std::thread::sleep(Duration::from_millis(300 + 170 * (round % 7)));
        server.kill().unwrap(); // SIGKILL on Unix
        server.wait().unwrap();
        stop.store(true, Ordering::Relaxed);
        client.join().unwrap();
    }
    let acked = acked.lock().unwrap();
    assert!(acked.saved.len() > 10, "the client saved something");
    eprintln!(
        "{rounds} kill -9 rounds: {} acknowledged saves, {} acknowledged deletes, {} deletes cut off",
        acked.saved.len(),
        acked.deleted.len(),
        acked.undecided.len()
    );

    let (mut server, addr) = start(&database);
    for id in acked
        .saved
        .iter()
        .filter(|id| !acked.undecided.contains(id))
    {
        let (code, _) = request(&addr, "GET", &format!("/api/saved/{id}"), None).unwrap();
        let want = if acked.deleted.contains(id) { 404 } else { 200 };
        assert_eq!(code, want, "saved item {id}");
    }
    server.kill().unwrap();
    server.wait().unwrap();

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let check = runtime.block_on(async {
        let store = walkaway_store::Store::connect(&database).await.unwrap();
        store.integrity_check().await.unwrap()
    });
    assert_eq!(check, "ok");
}
