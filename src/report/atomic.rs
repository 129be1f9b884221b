//! The only code that puts output files in place: write to a temporary file in the same
//! directory, flush and sync it, then rename it over the target. An interrupted run
//! leaves either the old file or the new one, never half a file.

use std::io::Write;
use std::path::Path;

/// Write `bytes` to `path` atomically.
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".payback-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    publish(tmp.as_file())?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Write with a streaming writer, atomically.
pub fn write_with(
    path: &Path,
    f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let tmp = tempfile::Builder::new()
        .prefix(".payback-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    let mut w = std::io::BufWriter::with_capacity(1 << 20, tmp);
    f(&mut w)?;
    let tmp = w.into_inner().map_err(|e| e.into_error())?;
    publish(tmp.as_file())?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Flush to disk and give the file ordinary permissions (temporary files are created 0600).
fn publish(f: &std::fs::File) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        f.set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    f.sync_all()
}
