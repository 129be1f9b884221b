//! Which option leads over a grid of two parameters: one cell per grid point, coloured by the
//! leading option, with its key and value where they fit; ties and undecided points are
//! drawn apart.

use plotters::coord::Shift;

use super::grid::{Cell, CellSize, GridAxes, draw_grid};
use super::*;

/// Inputs of [`leader_map_chart`].
#[derive(Clone, Debug)]
pub struct LeaderMapData {
    /// The parameter along the x axis.
    pub x_param: String,
    /// The parameter along the y axis.
    pub y_param: String,
    /// Values of the x parameter (columns).
    pub x: Vec<f64>,
    /// Values of the y parameter (rows, bottom to top).
    pub y: Vec<f64>,
    /// What leading means, e.g. `"best option (highest mean NPV)"`.
    pub what: String,
    /// What a cell's value is, e.g. `"mean NPV"` (in the currency of the chart's meta).
    pub value_label: String,
    /// The options' names for the legend (may be Chinese), in option order.
    pub options: Vec<String>,
    /// The options' short labels written in the cells (`A`, `B`, …), in option order.
    pub keys: Vec<String>,
    /// `cells[iy][ix]`: the leader at the grid point of `x[ix]` and `y[iy]`.
    pub cells: Vec<Vec<LeaderCell>>,
}

/// The leader at one grid point.
#[derive(Clone, Debug, Default)]
pub struct LeaderCell {
    /// The leading option(s): several when they tie, none when undecided (no finite value).
    pub options: Vec<usize>,
    /// The leader's value (NaN: not shown).
    pub value: f64,
}

/// Draws the map of the leading option.
///
/// # Errors
/// [`ChartError`] if drawing or encoding fails; never for odd data.
pub fn leader_map_chart(
    data: &LeaderMapData,
    meta: &ChartMeta,
    format: ChartFormat,
) -> Result<Vec<u8>, ChartError> {
    render(&LeaderMapChart { data, meta }, format)
}

struct LeaderMapChart<'a> {
    data: &'a LeaderMapData,
    meta: &'a ChartMeta,
}

/// Widest legend label, in pixels.
const LEGEND_LABEL: i32 = 220;

impl Chart for LeaderMapChart<'_> {
    const NAME: &'static str = "leader map";

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let d = self.data;
        let title = titled(
            self.meta,
            &format!(
                "{} by {} and {}",
                d.what.trim(),
                d.x_param.trim(),
                d.y_param.trim()
            ),
        );
        if d.x.is_empty() || d.y.is_empty() {
            return draw_no_data(root, self.meta, &title, "no grid to plot");
        }
        let area = frame(root, self.meta, &title, &[self.subtitle()])?;
        let items: Vec<(Swatch, String)> = d
            .options
            .iter()
            .enumerate()
            .map(|(i, name)| (Swatch::Box(series_color(i).mix(1.0)), name.clone()))
            .collect();
        let legend_w = legend_box_width(&items, LEGEND_LABEL);
        let (plot_area, legend_area) =
            area.split_horizontally(area.dim_in_pixel().0 as i32 - legend_w - 12);
        let axes = GridAxes {
            x_param: &d.x_param,
            y_param: &d.y_param,
            x: &d.x,
            y: &d.y,
            style: self.meta.number_style,
        };
        draw_grid(root, &plot_area, &axes, &|ix, iy, size| {
            let c = d.cells.get(iy).and_then(|r| r.get(ix));
            self.cell(c, size)
        })?;
        legend_box(&legend_area, &items, (4, 12), LEGEND_LABEL)?;
        Ok(())
    }
}

impl LeaderMapChart<'_> {
    /// What the cells mean, with ties and undecided points when there are some.
    fn subtitle(&self) -> String {
        let d = self.data;
        let value = d.value_label.trim();
        let mut s = format!(
            "each cell: the leading option at that point{}",
            if value.is_empty() {
                String::new()
            } else {
                format!(" and its {value}{}", currency_suffix(self.meta))
            }
        );
        let all = || d.cells.iter().flatten();
        if all().any(|c| c.options.len() > 1) {
            s.push_str("  ·  split cell: a tie");
        }
        if all().any(|c| c.options.is_empty()) {
            s.push_str("  ·  grey: undecided");
        }
        s
    }

    /// What one grid point shows: the leader's colour (a stripe per option in a tie, grey
    /// when undecided) and as much of "KEY" and its value as fits.
    fn cell(&self, c: Option<&LeaderCell>, size: CellSize) -> Cell {
        let d = self.data;
        let options = c.map(|c| c.options.as_slice()).unwrap_or(&[]);
        let key = |o: &usize| {
            d.keys
                .get(*o)
                .cloned()
                .unwrap_or_else(|| (o + 1).to_string())
        };
        let (fills, name, ink) = match options {
            [] => (vec![GRID], "n/a".to_string(), MUTED),
            [o] => (vec![series_color(*o)], key(o), ink_on(series_color(*o))),
            tie => (
                tie.iter().map(|o| series_color(*o)).collect(),
                tie.iter().map(key).collect::<Vec<_>>().join(" = "),
                INK,
            ),
        };
        let value = c
            .map(|c| c.value)
            .filter(|v| v.is_finite() && !options.is_empty())
            .map(|v| crate::format::money(v, self.meta.number_style));
        let fits = |t: &str| text_width(t, size.text) + 8 <= size.w;
        let two_lines = size.h as f64 >= 2.0 * size.text + 10.0;
        let lines = match value {
            Some(v) if two_lines && fits(&name) && fits(&v) => vec![name, v],
            Some(v) if fits(&format!("{name} {v}")) => vec![format!("{name} {v}")],
            _ if fits(&name) => vec![name],
            _ => Vec::new(),
        };
        Cell {
            boxed: fills.len() > 1,
            fills,
            lines,
            ink,
        }
    }
}

/// Text colour that reads on a fill of colour `c`: white on dark colours, ink on light ones.
fn ink_on(c: RGBColor) -> RGBColor {
    let luma = 0.299 * c.0 as f64 + 0.587 * c.1 as f64 + 0.114 * c.2 as f64;
    if luma < 150.0 { WHITE } else { INK }
}

#[cfg(test)]
mod tests {
    use super::testutil::*;
    use super::*;

    pub(crate) fn fake() -> LeaderMapData {
        let x: Vec<f64> = (0..6).map(|k| 100.0 + 500.0 * k as f64).collect();
        let y: Vec<f64> = (0..5).map(|k| 0.02 + 0.04 * k as f64).collect();
        let cells = y
            .iter()
            .map(|&r| {
                x.iter()
                    .map(|&u| {
                        let (a, b) = (-300_000.0 + 600.0 * u, 150_000.0 + 250.0 * u - 1e6 * r);
                        let options = if u == 1100.0 && r > 0.1 {
                            vec![0, 1]
                        } else if a > b {
                            vec![0]
                        } else {
                            vec![1]
                        };
                        LeaderCell {
                            options,
                            value: a.max(b),
                        }
                    })
                    .collect()
            })
            .collect();
        LeaderMapData {
            x_param: "users".into(),
            y_param: "discount rate".into(),
            x,
            y,
            what: "best option (highest mean NPV)".into(),
            value_label: "mean NPV".into(),
            options: vec!["A: 买断 buy-out".into(), "B: 订阅 subscription".into()],
            keys: vec!["A".into(), "B".into()],
            cells,
        }
    }

    #[test]
    fn leader_map_renders_png_and_svg() {
        let data = fake();
        let png = leader_map_chart(&data, &meta(), ChartFormat::Png).unwrap();
        check_png(&png);
        save("leader_map.png", &png);
        let svg = leader_map_chart(&data, &meta(), ChartFormat::Svg).unwrap();
        save("leader_map.svg", &svg);
        check_svg(
            &svg,
            &[
                "best option (highest mean NPV) by users and discount rate",
                "split cell: a tie",
                "A = B",
                "B: 订阅 subscription",
                "1.1k",
            ],
        );
    }

    #[test]
    fn leader_map_survives_edge_cases() {
        let base = fake();
        let cases = [
            LeaderMapData {
                x: vec![],
                ..base.clone()
            },
            LeaderMapData {
                cells: vec![],
                ..base.clone()
            },
            LeaderMapData {
                keys: vec![],
                options: vec![],
                cells: vec![vec![LeaderCell {
                    options: vec![7, 3, 1],
                    value: f64::NAN,
                }]],
                ..base.clone()
            },
            LeaderMapData {
                x: (0..60).map(f64::from).collect(),
                y: (0..50).map(f64::from).collect(),
                cells: vec![vec![LeaderCell::default(); 60]; 50],
                ..base.clone()
            },
        ];
        renders_all(&cases, leader_map_chart);
    }
}
