//! Test support for the Discord end-to-end tests: a loopback Discord
//! ([`fake`]), Discord's JSON ([`payloads`]) and the real `hexhelp serve`
//! binary as a child process ([`BotProcess`]).

#![allow(dead_code)]

pub mod fake;
pub mod payloads;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub use fake::FakeDiscord;

/// Looks like a bot token; the fake accepts only this one.
pub const TOKEN: &str =
    "MTE4MDAwMDAwMDAwMDAwMDAwMQ.GhXyZw.test-token-never-logged_0123456789abcdef";

/// `hexhelp serve` running against the fake, killed when dropped.
pub struct BotProcess {
    child: Child,
    stderr: Arc<Mutex<String>>,
}

/// How to start the bot.
pub struct Launch {
    pub db: PathBuf,
    /// The working directory (no stray `hexhelp.toml` from the repository).
    pub dir: PathBuf,
    pub token: Option<String>,
    pub args: Vec<String>,
    pub log: String,
}

impl Launch {
    /// Through the fake as an API proxy.
    pub fn proxy(fake: &FakeDiscord, dir: &Path, db: &Path) -> Launch {
        Launch {
            db: db.to_path_buf(),
            dir: dir.to_path_buf(),
            token: Some(TOKEN.to_string()),
            args: vec!["--api-proxy".into(), fake.proxy_url()],
            log: "info,hexhelp=debug".into(),
        }
    }

    /// Straight to "discord.com", resolved to the fake's TLS port, with
    /// serenity's own rate limiter.
    pub fn tls(fake: &FakeDiscord, dir: &Path, db: &Path) -> Launch {
        let ca: PathBuf = dir.join("test-ca.pem");
        std::fs::write(&ca, &fake.ca_pem).unwrap();
        Launch {
            db: db.to_path_buf(),
            dir: dir.to_path_buf(),
            token: Some(TOKEN.to_string()),
            args: vec![
                "--resolve".into(),
                format!("discord.com={}", fake.tls_addr),
                "--extra-ca".into(),
                ca.display().to_string(),
            ],
            log: "info,hexhelp=debug".into(),
        }
    }
}

impl BotProcess {
    pub fn start(launch: Launch) -> BotProcess {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_hexhelp"));
        cmd.arg("serve")
            .arg("--db")
            .arg(&launch.db)
            .args(&launch.args);
        cmd.current_dir(&launch.dir);
        cmd.env_remove("DISCORD_TOKEN");
        for var in [
            "HEXHELP_TOKEN_FILE",
            "HEXHELP_CONFIG",
            "HEXHELP_DB",
            "HEXHELP_API_PROXY",
            "HEXHELP_SHARDS",
            "HEXHELP_SHARD_TOTAL",
            "HEXHELP_NO_MESSAGE_CONTENT",
        ] {
            cmd.env_remove(var);
        }
        if let Some(t) = launch.token {
            cmd.env("DISCORD_TOKEN", t);
        }
        cmd.env("RUST_LOG", &launch.log).env("NO_COLOR", "1");
        cmd.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("start hexhelp serve");
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut pipe = child.stderr.take().unwrap();
        let sink = stderr.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        BotProcess { child, stderr }
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Sends SIGTERM and waits (bounded) for the exit.
    pub fn terminate(&mut self, timeout: Duration) -> ExitStatus {
        // SAFETY: kill(2) with our own child's pid and a valid signal.
        unsafe {
            libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM);
        }
        self.wait(timeout)
    }

    /// Sends `signal` (SIGTERM, SIGINT) without waiting.
    pub fn signal(&self, signal: i32) {
        // SAFETY: kill(2) with our own child's pid and a valid signal.
        unsafe {
            libc::kill(self.child.id() as libc::pid_t, signal);
        }
    }

    /// Waits (bounded) until the log contains `text`.
    pub fn wait_for_log(&self, text: &str, timeout: Duration) -> String {
        self.wait_for_log_count(text, 1, timeout)
    }

    /// Waits (bounded) until the log contains `text` `n` times.
    pub fn wait_for_log_count(&self, text: &str, n: usize, timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            let log = self.stderr();
            if log.matches(text).count() >= n {
                return log;
            }
            if Instant::now() > deadline {
                panic!("the log never said {text:?}:\n{log}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits (bounded) for the process to exit on its own.
    pub fn wait(&mut self, timeout: Duration) -> ExitStatus {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Let the reader thread drain the pipe.
                std::thread::sleep(Duration::from_millis(50));
                return status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!(
                    "hexhelp did not exit within {timeout:?}; log:\n{}",
                    self.stderr()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for BotProcess {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        // The bot's log is shown when a test fails, or always with
        // HEXHELP_E2E_LOG=1.
        if std::thread::panicking() || std::env::var_os("HEXHELP_E2E_LOG").is_some() {
            eprintln!("---- hexhelp serve log ----\n{}", self.stderr());
        }
    }
}
