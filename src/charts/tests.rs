use super::*;

#[test]
fn chart_format_has_extensions_and_parses() {
    assert_eq!(ChartFormat::Png.extension(), "png");
    assert_eq!(ChartFormat::Svg.extension(), "svg");
    assert_eq!("SVG".parse::<ChartFormat>(), Ok(ChartFormat::Svg));
    assert!("pdf".parse::<ChartFormat>().is_err());
}

#[test]
fn nice_ticks_cover_the_range() {
    let (t, step) = nice_ticks(0.0, 36.0, 8);
    assert_eq!(step, 5.0);
    assert_eq!(t.first(), Some(&0.0));
    assert_eq!(t.last(), Some(&35.0));
    assert_eq!(nice_step(4.1e6, 8), 5e5);
    assert_eq!(nice_step(0.62, 6), 0.1);
    let (t, _) = nice_ticks(-0.3, 0.3, 6);
    assert!(t.contains(&0.0), "{t:?}");
    assert!(ticks_with_step(1.0, 0.0, 1.0).is_empty());
    assert!(ticks_with_step(0.0, f64::NAN, 1.0).is_empty());
    assert!(ticks_with_step(0.0, 1e300, 1e-300).len() <= 200);
}

#[test]
fn padded_ranges_are_always_drawable() {
    for r in [
        None,
        Some((3.0, 3.0)),
        Some((f64::NAN, 1.0)),
        Some((0.0, 0.0)),
        Some((5.0, -5.0)),
    ] {
        let (lo, hi) = padded(r, 0.05);
        assert!(
            lo.is_finite() && hi.is_finite() && lo < hi,
            "{r:?} -> {lo}..{hi}"
        );
    }
    let (lo, hi) = padded(Some((-f64::MAX, f64::MAX)), 0.5);
    assert!(lo.is_finite() && hi.is_finite() && lo < hi);
}

#[test]
fn tick_labels_have_the_decimals_their_step_needs() {
    assert_eq!(tick_number(12.0, 2.0), "12");
    assert_eq!(tick_number(0.25, 0.25), "0.25");
    assert_eq!(tick_number(2.5, 2.5), "2.5");
    assert_eq!(tick_percent(20.0, 10.0), "20%");
}

#[test]
fn long_labels_wrap_at_spaces_then_between_characters() {
    font::ensure_registered(None).unwrap();
    let w = text_width("mature and stable", LABEL_SIZE);
    assert_eq!(
        wrap_lines("B: mature and stable vendor", LABEL_SIZE, w, 2),
        vec!["B: mature and", "stable vendor"]
    );
    assert_eq!(wrap_lines("short", LABEL_SIZE, w, 2), vec!["short"]);
    let hanzi = wrap_lines("方案甲：私有化部署与定制开发", LABEL_SIZE, w, 2);
    assert_eq!(hanzi.len(), 2);
    assert!(
        hanzi.iter().all(|l| text_width(l, LABEL_SIZE) <= w),
        "{hanzi:?}"
    );
    let three = wrap_lines(
        "one two three four five six seven eight nine ten",
        LABEL_SIZE,
        w,
        2,
    );
    assert!(three[1].ends_with('…'), "{three:?}");
}

#[test]
fn crowded_labels_are_pushed_apart_in_one_row() {
    let placed = pack_row(&[100, 102, 104], &[40, 40, 40], 0, 1000, 10);
    assert_eq!(placed, vec![80, 130, 180]);
    // Kept inside the plot: pushed back left at the right edge.
    assert_eq!(pack_row(&[995], &[40], 0, 1000, 10), vec![960]);
    assert_eq!(
        pack_row(&[990, 995], &[40, 40], 0, 1000, 10),
        vec![910, 960]
    );
    // Order follows the markers whatever the input order.
    assert_eq!(pack_row(&[300, 100], &[40, 40], 0, 1000, 10), vec![280, 80]);
}

/// The Chinese scenario name renders as real glyphs in the PNG title (not as the boxes or
/// blanks a glyph the font lacks gives) and as text in the SVG.
#[test]
fn chinese_titles_render_in_png_and_svg() {
    use testutil::*;
    let data = crate::charts::tco::TcoData {
        categories: vec![crate::charts::tco::TcoCategory {
            name: "许可证".into(),
            mean: 5.0e5,
            p10: 4.0e5,
            p90: 6.0e5,
        }],
        total_mean: 5.0e5,
        horizon: 36.0,
    };
    let chinese = ChartMeta {
        scenario: "云办公即时通讯".into(),
        ..meta()
    };
    let missing = ChartMeta {
        scenario: "\u{E000}".repeat(7),
        ..meta()
    };
    let png = tco_chart(&data, &chinese, ChartFormat::Png).unwrap();
    save("chinese_title.png", &png);
    let zh = check_png(&png);
    let tofu = decode_png(&tco_chart(&data, &missing, ChartFormat::Png).unwrap());
    // The scenario name sits at the start of the title line.
    let (x0, y0, x1, y1) = (EDGE as u32, 8, 260, 46);
    let ink = dark(&zh, x0, y0, x1, y1);
    assert!(
        ink > 300,
        "the Chinese title has too few dark pixels: {ink}"
    );
    let mut differ = 0;
    for y in y0..y1 {
        for x in x0..x1 {
            let (a, b) = (zh.get_pixel(x, y).0, tofu.get_pixel(x, y).0);
            if a.iter().zip(b.iter()).any(|(p, q)| p.abs_diff(*q) > 60) {
                differ += 1;
            }
        }
    }
    assert!(
        differ > 300,
        "Chinese glyphs look like the missing-glyph rendering ({differ} pixels differ)"
    );
    let svg = tco_chart(&data, &chinese, ChartFormat::Svg).unwrap();
    let svg = check_svg(
        &svg,
        &["云办公即时通讯: 36-month total cost of ownership", "许可证"],
    );
    assert!(
        svg.contains(&format!("font-family=\"{FONT_FAMILY}\"")),
        "SVG uses the CSS font list"
    );
}

#[test]
fn ellipsize_shortens_long_text() {
    font::ensure_registered(None).unwrap();
    let long = "a very long input name that will never fit in the label area";
    let short = ellipsize(long, TICK_SIZE, 120);
    assert!(short.ends_with('…'));
    assert!(text_width(&short, TICK_SIZE) <= 120);
    assert_eq!(ellipsize("ok", TICK_SIZE, 120), "ok");
}
