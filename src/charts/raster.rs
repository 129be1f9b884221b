//! The PNG drawing backend: plotters' [`BitMapBackend`] with its own text rasteriser.
//!
//! plotters 0.3.7's `ab_glyph` text path places every glyph at its advance position but drops
//! the glyph's left side bearing (`px_bounds().min.x`) and rounds positions to whole pixels,
//! so letters are unevenly spaced ("mon ths"). This wrapper delegates everything to
//! `BitMapBackend` except `draw_text`, which lays glyphs out with ab_glyph at sub-pixel
//! positions. Text widths are the same as plotters' estimates (sum of advances and kerning),
//! so plotters' own layout (tick labels, axis descriptions) stays consistent. Vertically, the
//! cap height is centred in plotters' text box (`size / 1.24` high).

use ab_glyph::{Font, FontRef, PxScale, ScaleFont, point};
use plotters::prelude::BitMapBackend;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};

/// [`BitMapBackend`] with correct glyph placement (see the module docs).
pub(crate) struct PngBackend<'a> {
    inner: BitMapBackend<'a>,
    face: Option<FontRef<'static>>,
    /// Cap height as a share of the font size.
    cap: f32,
}

impl<'a> PngBackend<'a> {
    /// Wraps `inner`, drawing text with the face currently registered by [`super::font`](mod@super::font)
    /// (falling back to plotters' text path if there is none).
    pub fn new(inner: BitMapBackend<'a>) -> Self {
        let face = super::font::current_face_bytes().and_then(|b| FontRef::try_from_slice(b).ok());
        let cap = face
            .as_ref()
            .and_then(|f| {
                let s = f.as_scaled(PxScale::from(100.0));
                let g = s.scaled_glyph('H');
                f.outline_glyph(g).map(|o| -o.px_bounds().min.y / 100.0)
            })
            .filter(|c| *c > 0.2 && *c < 1.0)
            .unwrap_or(0.7);
        PngBackend { inner, face, cap }
    }
}

type Error<'a> = DrawingErrorKind<<BitMapBackend<'a> as DrawingBackend>::ErrorType>;

impl<'a> DrawingBackend for PngBackend<'a> {
    type ErrorType = <BitMapBackend<'a> as DrawingBackend>::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), Error<'a>> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), Error<'a>> {
        self.inner.present()
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result<(), Error<'a>> {
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), Error<'a>> {
        self.inner.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), Error<'a>> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), Error<'a>> {
        self.inner.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), Error<'a>> {
        self.inner.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), Error<'a>> {
        self.inner.fill_polygon(vert, style)
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), Error<'a>> {
        self.inner.blit_bitmap(pos, size, src)
    }

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), Error<'a>> {
        self.inner.estimate_text_size(text, style)
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), Error<'a>> {
        let Some(face) = self.face.clone() else {
            return self.inner.draw_text(text, style, pos);
        };
        let color = style.color();
        let size = style.size() as f32;
        if color.alpha == 0.0 || text.is_empty() || !(size.is_finite() && size > 0.0) {
            return Ok(());
        }
        let scale = PxScale::from(size);
        let scaled = face.as_scaled(scale);

        // Horizontal layout in f32, as plotters measures it (advances plus kerning).
        let mut glyphs = Vec::with_capacity(text.len());
        let mut pen = 0f32;
        let mut prev = None;
        for c in text.chars() {
            let id = scaled.glyph_id(c);
            if let Some(p) = prev {
                pen += scaled.kern(p, id);
            }
            glyphs.push((id, pen));
            pen += scaled.h_advance(id);
            prev = Some(id);
        }
        let width = pen.trunc();
        let height = (size / 1.24).trunc();
        let dx = match style.anchor().h_pos {
            HPos::Left => 0.0,
            HPos::Right => -width,
            HPos::Center => -(width / 2.0).trunc(),
        };
        let dy = match style.anchor().v_pos {
            VPos::Top => 0.0,
            VPos::Center => -(height / 2.0).trunc(),
            VPos::Bottom => -height,
        };
        let baseline = dy + (height + self.cap * size) / 2.0;

        let trans = style.transform();
        let (w, h) = self.inner.get_size();
        for (id, x) in glyphs {
            let glyph = id.with_scale_and_position(scale, point(dx + x, baseline));
            let Some(outline) = face.outline_glyph(glyph) else {
                continue;
            };
            let bounds = outline.px_bounds();
            let inner = &mut self.inner;
            let mut result = Ok(());
            outline.draw(|gx, gy, coverage| {
                if result.is_err() || coverage <= 0.0 {
                    return;
                }
                let lx = bounds.min.x as i32 + gx as i32;
                let ly = bounds.min.y as i32 + gy as i32;
                let (tx, ty) = trans.transform(lx, ly);
                let (px, py) = (pos.0 + tx, pos.1 + ty);
                if px >= 0 && py >= 0 && (px as u32) < w && (py as u32) < h {
                    result = inner.draw_pixel((px, py), color.mix(coverage.min(1.0) as f64));
                }
            });
            result?;
        }
        Ok(())
    }
}
