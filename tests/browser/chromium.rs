//! Headless Chromium for the report tests: find the browser, take a screenshot of a page,
//! dump the DOM it parsed, each with a time limit and a throw-away profile.
//!
//! Chromium is optional on a developer machine (the tests print a note and pass) but
//! required in CI (`CI` set): `.ci/run` installs the Debian packages `chromium` and
//! `fonts-wqy-microhei` (a CJK font, without which Chinese text shows as empty boxes).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Longest a single Chromium run may take.
pub const TIMEOUT: Duration = Duration::from_secs(90);

/// The Chromium executable on PATH, if any.
pub fn find() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for name in ["chromium", "chromium-browser"] {
        for dir in std::env::split_paths(&path) {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// Chromium, or `None` after printing why the browser checks are skipped. Panics when
/// `CI` is set, since CI installs Chromium.
pub fn require(test: &str) -> Option<PathBuf> {
    match find() {
        Some(p) => Some(p),
        None if std::env::var_os("CI").is_some() => panic!(
            "{test}: chromium is not on PATH but CI is set; .ci/run must `apt-get install -y chromium fonts-wqy-microhei`"
        ),
        None => {
            eprintln!(
                "note: {test}: chromium not found on PATH; skipping the browser check \
                 (install it with `apt-get install -y chromium fonts-wqy-microhei`)"
            );
            None
        }
    }
}

/// A `file://` URL for an absolute path.
pub fn file_url(p: &Path) -> String {
    let abs = std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let mut url = String::from("file://");
    for b in abs.to_string_lossy().bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                url.push(b as char)
            }
            _ => url.push_str(&format!("%{b:02X}")),
        }
    }
    url
}

/// Run Chromium headless with `extra` arguments on `url`, stdout to `stdout_file`, in a new
/// profile under `work`. Panics (with the end of Chromium's stderr) on failure or timeout.
fn run(chromium: &Path, work: &Path, extra: &[String], url: &str, stdout_file: &Path) {
    let profile = tempfile::tempdir_in(work).expect("profile dir");
    let err_path = work.join(format!(
        "chromium-stderr-{}.txt",
        stdout_file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    ));
    let mut cmd = Command::new(chromium);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
    ])
    .arg(format!("--user-data-dir={}", profile.path().display()))
    .args(extra)
    .arg(url)
    .stdin(Stdio::null())
    .stdout(std::fs::File::create(stdout_file).expect("stdout file"))
    .stderr(std::fs::File::create(&err_path).expect("stderr file"));
    let mut child = cmd.spawn().expect("start chromium");
    let start = Instant::now();
    let status = loop {
        match child.try_wait().expect("wait for chromium") {
            Some(st) => break st,
            None if start.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "chromium did not finish within {TIMEOUT:?}; stderr:\n{}",
                    tail(&err_path)
                );
            }
            None => std::thread::sleep(Duration::from_millis(50)),
        }
    };
    assert!(
        status.success(),
        "chromium failed ({status}); stderr:\n{}",
        tail(&err_path)
    );
}

fn tail(p: &Path) -> String {
    let s = std::fs::read_to_string(p).unwrap_or_default();
    let lines: Vec<&str> = s.lines().collect();
    lines[lines.len().saturating_sub(30)..].join("\n")
}

/// Screenshot of `page` at `width`×`height` CSS pixels, as PNG bytes.
pub fn screenshot(chromium: &Path, work: &Path, page: &Path, width: u32, height: u32) -> Vec<u8> {
    let stem = page
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let png = work.join(format!("{stem}-screenshot.png"));
    let _ = std::fs::remove_file(&png);
    run(
        chromium,
        work,
        &[
            format!("--window-size={width},{height}"),
            format!("--screenshot={}", png.display()),
        ],
        &file_url(page),
        &work.join(format!("{stem}-screenshot-stdout.txt")),
    );
    std::fs::read(&png).unwrap_or_else(|e| panic!("no screenshot at {}: {e}", png.display()))
}

/// The DOM Chromium built from `page`, serialised.
pub fn dump_dom(chromium: &Path, work: &Path, page: &Path) -> String {
    let stem = page
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let out = work.join(format!("{stem}-dom.html"));
    run(
        chromium,
        work,
        &["--dump-dom".to_string()],
        &file_url(page),
        &out,
    );
    std::fs::read_to_string(&out).expect("DOM dump is UTF-8")
}

/// Pixels that are not (nearly) white.
pub fn non_white(img: &image::RgbImage) -> usize {
    img.pixels()
        .filter(|p| p.0.iter().any(|c| *c < 235))
        .count()
}

/// Distinct colours, each channel reduced to 4 bits.
pub fn distinct_colours(img: &image::RgbImage) -> usize {
    let mut seen = std::collections::HashSet::new();
    for p in img.pixels() {
        seen.insert((p.0[0] >> 4, p.0[1] >> 4, p.0[2] >> 4));
    }
    seen.len()
}

/// The pixels of a rectangle, for comparing two regions.
pub fn region(img: &image::RgbImage, x0: u32, y0: u32, w: u32, h: u32) -> Vec<[u8; 3]> {
    let mut v = Vec::with_capacity((w * h) as usize);
    for y in y0..(y0 + h).min(img.height()) {
        for x in x0..(x0 + w).min(img.width()) {
            v.push(img.get_pixel(x, y).0);
        }
    }
    v
}
