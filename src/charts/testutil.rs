//! Helpers for the chart tests.

use super::*;

/// Meta with a plain English scenario name.
pub fn meta() -> ChartMeta {
    ChartMeta {
        scenario: "Cloud office IM".to_string(),
        currency: "CNY".to_string(),
        number_style: NumberStyle::Short,
        footer: "100,000 trials · seed 42 · payback 0.1.0".to_string(),
    }
}

/// Decodes a PNG and checks its size.
pub fn decode_png(bytes: &[u8]) -> image::RgbImage {
    let img = image::load_from_memory_with_format(bytes, image::ImageFormat::Png)
        .expect("PNG decodes")
        .to_rgb8();
    assert_eq!(img.dimensions(), SIZE, "PNG size");
    img
}

/// Pixels that are clearly not white in the rectangle `[x0, x1) × [y0, y1)`.
pub fn non_white(img: &image::RgbImage, x0: u32, y0: u32, x1: u32, y1: u32) -> usize {
    let mut n = 0;
    for y in y0..y1.min(img.height()) {
        for x in x0..x1.min(img.width()) {
            let p = img.get_pixel(x, y);
            if p.0.iter().any(|&c| c < 200) {
                n += 1;
            }
        }
    }
    n
}

/// Pixels darker than mid-grey in the rectangle.
pub fn dark(img: &image::RgbImage, x0: u32, y0: u32, x1: u32, y1: u32) -> usize {
    let mut n = 0;
    for y in y0..y1.min(img.height()) {
        for x in x0..x1.min(img.width()) {
            let p = img.get_pixel(x, y);
            if p.0.iter().map(|&c| c as u32).sum::<u32>() < 3 * 110 {
                n += 1;
            }
        }
    }
    n
}

/// Checks a PNG: decodes, right size, the plot area (below the title, above the footer)
/// has plenty of ink.
pub fn check_png(bytes: &[u8]) -> image::RgbImage {
    let img = decode_png(bytes);
    let ink = non_white(&img, 60, 90, 980, 580);
    assert!(ink > 4_000, "plot area looks blank: {ink} non-white pixels");
    img
}

/// Checks an SVG: UTF-8, starts with `<svg`, contains every string in `needles`
/// (XML-escaped as plotters writes them).
pub fn check_svg(bytes: &[u8], needles: &[&str]) -> String {
    let svg = String::from_utf8(bytes.to_vec()).expect("SVG is UTF-8");
    assert!(
        svg.trim_start().starts_with("<svg"),
        "SVG starts with <svg: {}",
        &svg[..svg.len().min(80)]
    );
    assert!(svg.trim_end().ends_with("</svg>"), "SVG is closed");
    for needle in needles {
        let escaped = xml_escape(needle);
        assert!(
            svg.contains(&escaped),
            "SVG lacks {needle:?} (as {escaped:?})"
        );
    }
    svg
}

pub fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// Writes `bytes` to `$PAYBACK_CHART_OUT/name` when that variable is set (for looking at
/// the charts by eye); does nothing otherwise.
pub fn save(name: &str, bytes: &[u8]) {
    if let Some(dir) = std::env::var_os("PAYBACK_CHART_OUT") {
        let dir = std::path::PathBuf::from(dir);
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(dir.join(name), bytes);
    }
}

/// A deterministic pseudo-random generator for fake data (no rand dependency).
pub struct Lcg(pub u64);

impl Lcg {
    /// Uniform in [0, 1).
    pub fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Standard normal (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u1 = self.next().max(1e-12);
        let u2 = self.next();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
}

/// Renders every case as PNG and as SVG with [`meta`]; each must succeed.
pub fn renders_all<D>(
    cases: &[D],
    chart: impl Fn(&D, &ChartMeta, ChartFormat) -> Result<Vec<u8>, ChartError>,
) {
    for (i, data) in cases.iter().enumerate() {
        for format in [ChartFormat::Png, ChartFormat::Svg] {
            let out = chart(data, &meta(), format);
            assert!(out.is_ok(), "case {i} {format}: {:?}", out.err());
        }
    }
}
