//! Loading a knowledge directory that someone broke on purpose: links
//! that loop, a FIFO or a device named like a knowledge file, files too
//! large to be knowledge. Each is refused with its path, without hanging
//! or reading without bound.
#![cfg(unix)]

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use hexhelp::kb::{KnowledgeBase, Problems, dir_sources};

mod kb_copy;
use kb_copy::knowledge_copy;

/// Loads `dir` on another thread; a loader that hangs (a FIFO opened for
/// reading blocks forever) fails the test instead of hanging it.
fn load_guarded(dir: &Path) -> Result<KnowledgeBase, Problems> {
    let (tx, rx) = mpsc::channel();
    let dir = dir.to_path_buf();
    std::thread::spawn(move || {
        let _ = tx.send(KnowledgeBase::from_dir(&dir));
    });
    rx.recv_timeout(Duration::from_secs(120))
        .expect("the loader hung")
}

#[track_caller]
fn refused(dir: &Path, name: &str) -> Vec<String> {
    let problems: Vec<String> = match load_guarded(dir) {
        Ok(_) => panic!("{name} was accepted"),
        Err(p) => p.iter().map(|p| p.to_string()).collect(),
    };
    assert!(
        problems.iter().any(|p| p.contains(name)),
        "no problem names {name}: {problems:?}"
    );
    problems
}

#[test]
fn a_fifo_named_like_a_knowledge_file_is_refused_not_opened() {
    let (_tmp, dir) = knowledge_copy();
    let fifo = dir.join("windows-update").join("x.toml");
    let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    let p = refused(&dir, "x.toml");
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].contains("not a regular file"), "{p:?}");
}

#[test]
fn symbolic_link_loops_are_not_followed() {
    let (_tmp, dir) = knowledge_copy();
    std::os::unix::fs::symlink(".", dir.join("a")).unwrap();
    std::os::unix::fs::symlink(".", dir.join("b")).unwrap();
    let p = refused(&dir, "knowledge/a");
    assert!(p.iter().any(|p| p.contains("knowledge/b")), "{p:?}");
    assert_eq!(p.len(), 2, "{p:?}");
    assert!(p.iter().all(|p| p.contains("symbolic link")), "{p:?}");
}

#[test]
fn a_link_to_dev_zero_is_refused_without_reading_it() {
    let (_tmp, dir) = knowledge_copy();
    std::os::unix::fs::symlink("/dev/zero", dir.join("fixes").join("zero.toml")).unwrap();
    let p = refused(&dir, "zero.toml");
    assert_eq!(p.len(), 1, "{p:?}");
}

#[test]
fn a_link_to_a_file_outside_the_directory_is_refused() {
    let (tmp, dir) = knowledge_copy();
    let outside = tmp.path().join("outside.toml");
    std::fs::copy(dir.join("ladders.toml"), &outside).unwrap();
    std::fs::remove_file(dir.join("ladders.toml")).unwrap();
    std::os::unix::fs::symlink(&outside, dir.join("ladders.toml")).unwrap();
    refused(&dir, "ladders.toml");
}

#[test]
fn a_file_over_the_size_cap_is_refused_with_its_size() {
    let (_tmp, dir) = knowledge_copy();
    let big = format!("# {}\n", "x".repeat(2 << 20));
    std::fs::write(dir.join("boot").join("big.toml"), big).unwrap();
    let p = refused(&dir, "big.toml");
    assert!(p.iter().any(|p| p.contains("KiB")), "{p:?}");
}

#[test]
fn too_many_files_stop_the_walk_with_a_problem() {
    let tmp = tempfile::tempdir().unwrap();
    let area = tmp.path().join("area");
    std::fs::create_dir(&area).unwrap();
    for i in 0..5_001 {
        std::fs::write(area.join(format!("e{i}.toml")), "").unwrap();
    }
    let p = match dir_sources(tmp.path()) {
        Ok(f) => panic!("{} files accepted", f.len()),
        Err(p) => p,
    };
    assert!(p.iter().any(|p| p.message.contains("more than")), "{p}");
}

#[test]
fn a_regular_knowledge_copy_still_loads() {
    let (_tmp, dir) = knowledge_copy();
    let kb = load_guarded(&dir).expect("the repository knowledge loads");
    assert!(!kb.entries.is_empty());
}
