//! Layout and drawing of each figure, generic over the plotters backend so
//! SVG and PNG come out of the same code.

use std::sync::OnceLock;

use image::ImageEncoder;
use plotters::coord::Shift;
use plotters::drawing::DrawingAreaErrorKind;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontStyle, register_font};

use crate::palette::{is_dark, series, viridis};
use crate::{
    BifurcationDiagram, Figure, HeatMap, LineChart, PhasePortrait, PlotError, Size, ValueStyle,
};

static FONT: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
const FAMILY: &str = "sans-serif";

type Result<T> = std::result::Result<T, PlotError>;

/// A tick label with as many decimals as the axis's spacing needs (about
/// ten ticks over `span`), without trailing zeros and without "-0".
pub(crate) fn tick_text(v: f64, span: f64) -> String {
    let step = span.abs() / 10.0;
    let decimals = if step > 0.0 && step.is_finite() {
        (-step.log10().floor()).clamp(0.0, 6.0) as usize
    } else {
        2
    };
    let mut s = format!("{v:.decimals$}");
    if s.contains('.') {
        s = s.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    if s == "-0" { "0".to_string() } else { s }
}

fn fonts() -> Result<()> {
    static LOADED: OnceLock<bool> = OnceLock::new();
    if *LOADED.get_or_init(|| register_font(FAMILY, FontStyle::Normal, FONT).is_ok()) {
        Ok(())
    } else {
        Err(PlotError::Draw(
            "the bundled font could not be loaded".into(),
        ))
    }
}

fn de<E: std::error::Error + Send + Sync>(e: DrawingAreaErrorKind<E>) -> PlotError {
    PlotError::Draw(e.to_string())
}

fn invalid(field: &'static str, message: impl Into<String>) -> PlotError {
    PlotError::InvalidData {
        field,
        message: message.into(),
    }
}

pub(crate) fn svg(figure: &Figure, size: Size) -> Result<String> {
    fonts()?;
    let mut text = String::new();
    {
        let root =
            SVGBackend::with_string(&mut text, (size.width, size.height)).into_drawing_area();
        draw_figure(&root, figure)?;
        root.present().map_err(de)?;
    }
    Ok(text)
}

pub(crate) fn png(figure: &Figure, size: Size) -> Result<Vec<u8>> {
    fonts()?;
    let (w, h) = (size.width, size.height);
    let mut pixels = vec![255u8; w as usize * h as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (w, h)).into_drawing_area();
        draw_figure(&root, figure)?;
        root.present().map_err(de)?;
    }
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(&pixels, w, h, image::ColorType::Rgb8)
        .map_err(|e| PlotError::Encode(e.to_string()))?;
    Ok(out)
}

fn draw_figure<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, figure: &Figure) -> Result<()> {
    root.fill(&WHITE).map_err(de)?;
    match figure {
        Figure::Lines(c) => line_chart(root, c),
        Figure::Phase(p) => phase(root, p),
        Figure::Heat(h) => heat(root, h),
        Figure::Bifurcation(b) => bifurcation(root, b),
    }
}

// ------------------------------------------------------------------ helpers

fn rgb((r, g, b): (u8, u8, u8)) -> RGBColor {
    RGBColor(r, g, b)
}

/// `c` at opacity `a` over white, as a solid colour (same look in SVG and PNG).
fn tint((r, g, b): (u8, u8, u8), a: f64) -> RGBColor {
    let m = |c: u8| (255.0 - a * (255.0 - c as f64)).round() as u8;
    RGBColor(m(r), m(g), m(b))
}

/// Text of about `size` pixels (plotters sets fonts at 0.8 of the size
/// asked for, so ask for a quarter more).
fn font(size: u32, colour: RGBColor) -> TextStyle<'static> {
    (FAMILY, f64::from(size) * 1.25).into_font().color(&colour)
}

fn anchored(size: u32, colour: RGBColor, h: HPos, v: VPos) -> TextStyle<'static> {
    font(size, colour).pos(Pos::new(h, v))
}

const GREY: RGBColor = RGBColor(110, 110, 110);
const GRID_LIGHT: RGBColor = RGBColor(238, 238, 238);
const GRID_BOLD: RGBColor = RGBColor(215, 215, 215);

/// The range of finite values, widened by `pad` of its length (or to a unit
/// interval around a single value). `None` when there is no finite value.
fn fit(values: impl Iterator<Item = f64>, pad: f64) -> Option<(f64, f64)> {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if !lo.is_finite() {
        return None;
    }
    if hi - lo <= 1e-12 * (1.0 + lo.abs()) {
        let half = 0.5f64.max(0.1 * lo.abs());
        return Some((lo - half, hi + half));
    }
    let d = (hi - lo) * pad;
    Some((lo - d, hi + d))
}

fn check_range(field: &'static str, (lo, hi): (f64, f64)) -> Result<()> {
    if lo.is_finite() && hi.is_finite() && hi > lo {
        Ok(())
    } else {
        Err(invalid(
            field,
            format!("({lo}, {hi}) is not a finite range with low < high"),
        ))
    }
}

/// Runs of consecutive finite points.
fn finite_runs(x: &[f64], y: &[f64]) -> Vec<Vec<(f64, f64)>> {
    let mut runs = Vec::new();
    let mut run = Vec::new();
    for (a, b) in x.iter().zip(y) {
        if a.is_finite() && b.is_finite() {
            run.push((*a, *b));
        } else if !run.is_empty() {
            runs.push(std::mem::take(&mut run));
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    runs
}

/// Cell edges around grid values: midpoints, extended by half a step at the
/// ends (a single value gets a cell of width 1, or 20 % of its size).
fn edges(v: &[f64]) -> Vec<f64> {
    if v.len() == 1 {
        let half = 0.5f64.max(0.1 * v[0].abs());
        return vec![v[0] - half, v[0] + half];
    }
    let n = v.len();
    let mut e = Vec::with_capacity(n + 1);
    e.push(v[0] - 0.5 * (v[1] - v[0]));
    for i in 0..n - 1 {
        e.push(0.5 * (v[i] + v[i + 1]));
    }
    e.push(v[n - 1] + 0.5 * (v[n - 1] - v[n - 2]));
    e
}

fn check_axis(field: &'static str, v: &[f64]) -> Result<()> {
    if v.is_empty() {
        return Err(invalid(field, "no values"));
    }
    if v.iter().any(|x| !x.is_finite()) {
        return Err(invalid(field, "a value is not a finite number"));
    }
    if v.windows(2).any(|w| w[1] <= w[0]) {
        return Err(invalid(field, "values must increase strictly"));
    }
    Ok(())
}

/// Moves labels apart vertically so that none overlaps the next (`gap`
/// pixels), keeping them inside [top, bottom].
fn spread_labels(ys: &mut [(i32, usize)], gap: i32, top: i32, bottom: i32) {
    ys.sort_by_key(|(y, _)| *y);
    for k in 1..ys.len() {
        if ys[k].0 < ys[k - 1].0 + gap {
            ys[k].0 = ys[k - 1].0 + gap;
        }
    }
    if let Some(last) = ys.last().map(|l| l.0)
        && last > bottom
    {
        let shift = last - bottom;
        for y in ys.iter_mut() {
            y.0 -= shift;
        }
        for k in 0..ys.len() {
            if ys[k].0 < top + gap * k as i32 {
                ys[k].0 = top + gap * k as i32;
            }
        }
    }
}

fn text_width(text: &str, size: u32) -> i32 {
    // DejaVu Sans averages about 0.6 em per character.
    (text.chars().count() as f64 * size as f64 * 0.6).ceil() as i32
}

/// Splits off a strip at the bottom for the small print.
type Areas<DB> = (DrawingArea<DB, Shift>, Option<DrawingArea<DB, Shift>>);

fn with_note<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, note: &str) -> Result<Areas<DB>> {
    if note.is_empty() {
        return Ok((root.clone(), None));
    }
    let (w, h) = root.dim_in_pixel();
    let (body, foot) = root.split_vertically(h as i32 - 26);
    // Cut what would run off the page, and say so with an ellipsis.
    let fits = ((w as f64 - 28.0) / (12.0 * 0.6)).max(4.0) as usize;
    let shown: String = if note.chars().count() > fits {
        note.chars()
            .take(fits - 1)
            .chain(std::iter::once('…'))
            .collect()
    } else {
        note.to_string()
    };
    foot.draw(&Text::new(
        shown,
        (14, 8),
        anchored(12, GREY, HPos::Left, VPos::Top),
    ))
    .map_err(de)?;
    Ok((body, Some(foot)))
}

// --------------------------------------------------------------- line chart

fn line_chart<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, c: &LineChart) -> Result<()> {
    for l in &c.lines {
        if l.x.len() != l.y.len() {
            return Err(invalid(
                "lines",
                format!(
                    "line `{}` has {} x values and {} y values",
                    l.label,
                    l.x.len(),
                    l.y.len()
                ),
            ));
        }
    }
    for b in &c.bands {
        if b.x.len() != b.low.len() || b.x.len() != b.high.len() {
            return Err(invalid(
                "bands",
                format!("band `{}` has columns of different lengths", b.label),
            ));
        }
    }
    let xs = c
        .lines
        .iter()
        .flat_map(|l| l.x.iter())
        .chain(c.bands.iter().flat_map(|b| b.x.iter()))
        .copied();
    let (x0, x1) = fit(xs, 0.0).ok_or_else(|| invalid("lines", "no finite point to draw"))?;
    let (y0, y1) = match c.y_range {
        Some(r) => {
            check_range("y_range", r)?;
            r
        }
        None => {
            let ys = c
                .lines
                .iter()
                .flat_map(|l| l.y.iter())
                .chain(c.bands.iter().flat_map(|b| b.low.iter().chain(&b.high)))
                .copied();
            fit(ys, 0.05).ok_or_else(|| invalid("lines", "no finite point to draw"))?
        }
    };
    let label_w = c
        .lines
        .iter()
        .map(|l| l.label.as_str())
        .chain(c.bands.iter().map(|b| b.label.as_str()))
        .map(|t| text_width(t, 13))
        .max()
        .unwrap_or(0)
        .clamp(20, 260)
        + 24;
    let (body, _foot) = with_note(root, &c.note)?;
    let mut chart = ChartBuilder::on(&body)
        .caption(&c.title, font(20, BLACK))
        .margin(14)
        .margin_right(label_w)
        .x_label_area_size(50)
        .y_label_area_size(74)
        .build_cartesian_2d(x0..x1, y0..y1)
        .map_err(de)?;
    chart
        .configure_mesh()
        .x_label_formatter(&|v: &f64| tick_text(*v, x1 - x0))
        .y_label_formatter(&|v: &f64| tick_text(*v, y1 - y0))
        .x_desc(c.x_label.as_str())
        .y_desc(c.y_label.as_str())
        .light_line_style(GRID_LIGHT)
        .bold_line_style(GRID_BOLD)
        .label_style(font(13, BLACK))
        .axis_desc_style(font(15, BLACK))
        .draw()
        .map_err(de)?;
    let (px, py) = chart.plotting_area().get_pixel_range();
    let mut labels: Vec<(i32, String, RGBColor)> = Vec::new();
    for (k, b) in c.bands.iter().enumerate() {
        let colour = series(k);
        let upper = finite_runs(&b.x, &b.high);
        let lower = finite_runs(&b.x, &b.low);
        for (u, l) in upper.iter().zip(&lower) {
            let mut polygon = u.clone();
            polygon.extend(l.iter().rev());
            chart
                .draw_series(std::iter::once(Polygon::new(
                    polygon,
                    rgb(colour).mix(0.22).filled(),
                )))
                .map_err(de)?;
        }
        if let Some(&(x, y)) = upper.last().and_then(|r| r.last()) {
            labels.push((chart.backend_coord(&(x, y)).1, b.label.clone(), rgb(colour)));
        }
    }
    for m in c.markers.iter().filter(|m| m.x.is_finite()) {
        chart
            .draw_series(DashedLineSeries::new(
                [(m.x, y0), (m.x, y1)],
                4,
                4,
                GREY.stroke_width(1),
            ))
            .map_err(de)?;
    }
    for (k, m) in c.markers.iter().filter(|m| m.x.is_finite()).enumerate() {
        let (mx, _) = chart.backend_coord(&(m.x, y1));
        root.draw(&Text::new(
            m.label.clone(),
            (mx + 4, py.start + 6 + 15 * (k as i32 % 3)),
            anchored(12, GREY, HPos::Left, VPos::Top),
        ))
        .map_err(de)?;
    }
    for (k, l) in c.lines.iter().enumerate() {
        let colour = rgb(series(k));
        let style = colour.stroke_width(2);
        let runs = finite_runs(&l.x, &l.y);
        for run in &runs {
            if l.dashed {
                chart
                    .draw_series(DashedLineSeries::new(run.clone(), 7, 5, style))
                    .map_err(de)?;
            } else {
                chart
                    .draw_series(LineSeries::new(run.clone(), style))
                    .map_err(de)?;
            }
        }
        if let Some(&(x, y)) = runs.last().and_then(|r| r.last()) {
            labels.push((chart.backend_coord(&(x, y)).1, l.label.clone(), colour));
        }
    }
    let mut order: Vec<(i32, usize)> = labels
        .iter()
        .enumerate()
        .map(|(i, (y, _, _))| (*y, i))
        .collect();
    spread_labels(&mut order, 16, py.start, py.end);
    for (y, i) in order {
        let (_, text, colour) = &labels[i];
        root.draw(&Text::new(
            text.clone(),
            (px.end + 8, y),
            anchored(13, *colour, HPos::Left, VPos::Center),
        ))
        .map_err(de)?;
    }
    Ok(())
}

// ----------------------------------------------------------- phase portrait

/// Colours of basins and of the attractors in them.
fn group_colour(g: usize) -> (u8, u8, u8) {
    series(g + 2)
}

fn phase<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, p: &PhasePortrait) -> Result<()> {
    check_range("x_range", p.x_range)?;
    check_range("y_range", p.y_range)?;
    let (x0, x1) = p.x_range;
    let (y0, y1) = p.y_range;
    let (body, _foot) = with_note(root, &p.note)?;
    let mut chart = ChartBuilder::on(&body)
        .caption(&p.title, font(20, BLACK))
        .margin(14)
        .margin_right(24)
        .x_label_area_size(50)
        .y_label_area_size(74)
        .build_cartesian_2d(x0..x1, y0..y1)
        .map_err(de)?;
    if let Some(b) = &p.basins {
        check_axis("basins.x_values", &b.x_values)?;
        check_axis("basins.y_values", &b.y_values)?;
        let (nx, ny) = (b.x_values.len(), b.y_values.len());
        if b.cells.len() != nx * ny {
            return Err(invalid(
                "basins.cells",
                format!("{} cells for a {nx}×{ny} grid", b.cells.len()),
            ));
        }
        let ex = edges(&b.x_values);
        let ey = edges(&b.y_values);
        let mut cells = Vec::with_capacity(nx * ny);
        for j in 0..ny {
            for i in 0..nx {
                let colour = match b.cells[j * nx + i] {
                    Some(g) => tint(group_colour(g), 0.2),
                    None => RGBColor(236, 236, 236),
                };
                cells.push(Rectangle::new(
                    [(ex[i], ey[j]), (ex[i + 1], ey[j + 1])],
                    colour.filled(),
                ));
            }
        }
        chart.draw_series(cells).map_err(de)?;
    }
    chart
        .configure_mesh()
        .x_label_formatter(&|v: &f64| tick_text(*v, x1 - x0))
        .y_label_formatter(&|v: &f64| tick_text(*v, y1 - y0))
        .x_desc(p.x_label.as_str())
        .y_desc(p.y_label.as_str())
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID_BOLD.mix(0.6))
        .label_style(font(13, BLACK))
        .axis_desc_style(font(15, BLACK))
        .draw()
        .map_err(de)?;
    let (px, py) = chart.plotting_area().get_pixel_range();
    let inside = |(x, y): (i32, i32)| px.contains(&x) && py.contains(&y);
    // Direction field: equal-length arrows in pixel space.
    let arrow_colour = RGBColor(150, 150, 150);
    let length = 13.0;
    for a in &p.arrows {
        if ![a.x, a.y, a.dx, a.dy].iter().all(|v| v.is_finite()) {
            continue;
        }
        let start = chart.backend_coord(&(a.x, a.y));
        let sx = (px.end - px.start) as f64 / (x1 - x0);
        let sy = (py.end - py.start) as f64 / (y1 - y0);
        let (vx, vy) = (a.dx * sx, -a.dy * sy);
        let norm = vx.hypot(vy);
        if !(norm > 0.0) || !inside(start) {
            continue;
        }
        let (ux, uy) = (vx / norm, vy / norm);
        let tip = (
            start.0 as f64 + length * ux - 0.5 * length * ux,
            start.1 as f64 + length * uy - 0.5 * length * uy,
        );
        let tail = (
            start.0 as f64 - 0.5 * length * ux,
            start.1 as f64 - 0.5 * length * uy,
        );
        let head = |side: f64| {
            (
                (tip.0 - 4.5 * ux + side * 3.0 * uy).round() as i32,
                (tip.1 - 4.5 * uy - side * 3.0 * ux).round() as i32,
            )
        };
        let t = (tip.0.round() as i32, tip.1.round() as i32);
        root.draw(&PathElement::new(
            vec![(tail.0.round() as i32, tail.1.round() as i32), t],
            arrow_colour.stroke_width(1),
        ))
        .map_err(de)?;
        root.draw(&PathElement::new(
            vec![head(1.0), t, head(-1.0)],
            arrow_colour.stroke_width(1),
        ))
        .map_err(de)?;
    }
    // Null clines, each labelled where it comes closest to the top right.
    let null_colours = [(213, 94, 0), (0, 114, 178)];
    for (k, n) in p.nullclines.iter().enumerate() {
        let colour = rgb(null_colours[k % 2]);
        let finite = |q: &(f64, f64)| q.0.is_finite() && q.1.is_finite();
        let segs: Vec<PathElement<(f64, f64)>> = n
            .segments
            .iter()
            .filter(|s| finite(&s[0]) && finite(&s[1]))
            .map(|s| PathElement::new(vec![s[0], s[1]], colour.stroke_width(2)))
            .collect();
        chart.draw_series(segs).map_err(de)?;
        // Label where the curve is farthest from the marked points (so
        // the labels do not sit on the equilibria), in box units.
        let (wx, wy) = (x1 - x0, y1 - y0);
        let marks: Vec<(f64, f64)> = p
            .points
            .iter()
            .map(|m| (m.x, m.y))
            .chain(
                p.trajectories
                    .iter()
                    .filter_map(|t| t.points.first().copied()),
            )
            .collect();
        let score = |q: &(f64, f64)| {
            let margin = ((q.0 - x0) / wx)
                .min((x1 - q.0) / wx)
                .min((q.1 - y0) / wy)
                .min((y1 - q.1) / wy);
            let away = marks
                .iter()
                .map(|m| ((q.0 - m.0) / wx).hypot((q.1 - m.1) / wy))
                .fold(1.0, f64::min);
            away.min(0.4) + 0.5 * margin.min(0.08)
        };
        let best = n
            .segments
            .iter()
            .flat_map(|s| s.iter())
            .filter(|q| finite(q) && q.0 >= x0 && q.0 <= x1 && q.1 >= y0 && q.1 <= y1)
            .max_by(|a, b| score(a).total_cmp(&score(b)));
        if let Some(q) = best {
            let (qx, qy) = chart.backend_coord(q);
            let w = text_width(&n.label, 13);
            let (hx, x) = if qx + 6 + w > px.end {
                (HPos::Right, qx - 6)
            } else {
                (HPos::Left, qx + 6)
            };
            let y = (qy + if k % 2 == 0 { -10 } else { 12 }).clamp(py.start + 8, py.end - 8);
            root.draw(&Text::new(
                n.label.clone(),
                (x, y),
                anchored(13, colour, hx, VPos::Center),
            ))
            .map_err(de)?;
        }
    }
    // Trajectories with their starts.
    for t in &p.trajectories {
        let (tx, ty): (Vec<f64>, Vec<f64>) = t.points.iter().copied().unzip();
        for run in finite_runs(&tx, &ty) {
            chart
                .draw_series(LineSeries::new(run, BLACK.stroke_width(2)))
                .map_err(de)?;
        }
        if let Some(&start) = t
            .points
            .first()
            .filter(|q| q.0.is_finite() && q.1.is_finite())
        {
            chart
                .draw_series(std::iter::once(Circle::new(start, 4, BLACK.filled())))
                .map_err(de)?;
            if !t.label.is_empty() {
                let (sx, sy) = chart.backend_coord(&start);
                root.draw(&Text::new(
                    t.label.clone(),
                    (sx + 7, sy + 7),
                    anchored(12, BLACK, HPos::Left, VPos::Top),
                ))
                .map_err(de)?;
            }
        }
    }
    // Equilibria: filled when stable, open otherwise.
    for m in &p.points {
        if !(m.x.is_finite() && m.y.is_finite()) {
            continue;
        }
        let colour = m.group.map_or(BLACK, |g| rgb(group_colour(g)));
        let fill = if m.stable { colour } else { WHITE };
        chart
            .draw_series([
                Circle::new((m.x, m.y), 7, fill.filled()),
                Circle::new((m.x, m.y), 7, BLACK.stroke_width(2)),
            ])
            .map_err(de)?;
        let (mx, my) = chart.backend_coord(&(m.x, m.y));
        let w = text_width(&m.label, 13);
        let (h, x) = if mx + 12 + w > px.end {
            (HPos::Right, mx - 12)
        } else {
            (HPos::Left, mx + 12)
        };
        root.draw(&Text::new(
            m.label.clone(),
            (x, (my - 12).max(py.start + 8)),
            anchored(13, BLACK, h, VPos::Center),
        ))
        .map_err(de)?;
    }
    Ok(())
}

// ----------------------------------------------------------------- heat map

fn show_value(v: f64, style: ValueStyle) -> String {
    match style {
        ValueStyle::Percent => format!("{:.0}", v * 100.0),
        ValueStyle::Plain => {
            if v.abs() >= 100.0 || v == 0.0 {
                format!("{v:.0}")
            } else {
                format!("{v:.2}")
            }
        }
    }
}

fn heat<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, h: &HeatMap) -> Result<()> {
    check_axis("x_values", &h.x_values)?;
    check_axis("y_values", &h.y_values)?;
    let (nx, ny) = (h.x_values.len(), h.y_values.len());
    if h.values.len() != nx * ny {
        return Err(invalid(
            "values",
            format!("{} values for a {nx}×{ny} grid", h.values.len()),
        ));
    }
    let (lo, hi) = match h.range {
        Some(r) => {
            check_range("range", r)?;
            r
        }
        None => fit(h.values.iter().copied(), 0.0).unwrap_or((0.0, 1.0)),
    };
    let scale = |v: f64| viridis((v - lo) / (hi - lo));
    let (body, _foot) = with_note(root, &h.note)?;
    let width = body.dim_in_pixel().0 as i32;
    let (main, bar) = body.split_horizontally(width - 130);
    let ex = edges(&h.x_values);
    let ey = edges(&h.y_values);
    let mut chart = ChartBuilder::on(&main)
        .caption(&h.title, font(20, BLACK))
        .margin(14)
        .x_label_area_size(50)
        .y_label_area_size(74)
        .build_cartesian_2d(ex[0]..ex[nx], ey[0]..ey[ny])
        .map_err(de)?;
    chart
        .configure_mesh()
        .x_label_formatter(&|v: &f64| tick_text(*v, ex[nx] - ex[0]))
        .y_label_formatter(&|v: &f64| tick_text(*v, ey[ny] - ey[0]))
        .disable_mesh()
        .x_desc(h.x_label.as_str())
        .y_desc(h.y_label.as_str())
        .label_style(font(13, BLACK))
        .axis_desc_style(font(15, BLACK))
        .draw()
        .map_err(de)?;
    let mut cells = Vec::with_capacity(nx * ny);
    for j in 0..ny {
        for i in 0..nx {
            let v = h.values[j * nx + i];
            let colour = if v.is_finite() {
                rgb(scale(v))
            } else {
                RGBColor(200, 200, 200)
            };
            cells.push(Rectangle::new(
                [(ex[i], ey[j]), (ex[i + 1], ey[j + 1])],
                colour.filled(),
            ));
        }
    }
    chart.draw_series(cells).map_err(de)?;
    // Values in the cells when they fit.
    let cell_w = {
        let a = chart.backend_coord(&(ex[0], ey[0]));
        let b = chart.backend_coord(&(ex[1], ey[1]));
        ((b.0 - a.0).abs(), (b.1 - a.1).abs())
    };
    let widest = h
        .values
        .iter()
        .map(|v| text_width(&show_value(*v, h.style), 11))
        .max()
        .unwrap_or(0);
    if cell_w.0 >= widest + 4 && cell_w.1 >= 14 {
        for j in 0..ny {
            for i in 0..nx {
                let v = h.values[j * nx + i];
                if !v.is_finite() {
                    continue;
                }
                let text_colour = if is_dark(scale(v)) { WHITE } else { BLACK };
                chart
                    .draw_series(std::iter::once(Text::new(
                        show_value(v, h.style),
                        (h.x_values[i], h.y_values[j]),
                        anchored(11, text_colour, HPos::Center, VPos::Center),
                    )))
                    .map_err(de)?;
            }
        }
    }
    // Colour bar, with its label wrapped above it.
    let mut line = String::new();
    let mut lines = Vec::new();
    for word in h.value_label.split_whitespace() {
        if !line.is_empty() && text_width(&line, 12) + text_width(word, 12) > 120 {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    let n = lines.len() as i32;
    let mut bar_chart = ChartBuilder::on(&bar)
        .margin_top(30 + 15 * n)
        .margin_bottom(64)
        .margin_right(50)
        .y_label_area_size(0)
        .right_y_label_area_size(44)
        .build_cartesian_2d(0.0..1.0, lo..hi)
        .map_err(de)?;
    let steps = 120;
    let strips = (0..steps).map(|k| {
        let a = lo + (hi - lo) * k as f64 / steps as f64;
        let b = lo + (hi - lo) * (k + 1) as f64 / steps as f64;
        Rectangle::new([(0.0, a), (1.0, b)], rgb(scale(0.5 * (a + b))).filled())
    });
    bar_chart.draw_series(strips).map_err(de)?;
    let percent = |v: &f64| format!("{:.0}%", v * 100.0);
    let plain = |v: &f64| format!("{v}");
    let formatter: &dyn Fn(&f64) -> String = match h.style {
        ValueStyle::Percent => &percent,
        ValueStyle::Plain => &plain,
    };
    bar_chart
        .configure_mesh()
        .disable_mesh()
        .disable_x_axis()
        .y_label_formatter(formatter)
        .y_labels(6)
        .label_style(font(12, BLACK))
        .draw()
        .map_err(de)?;
    let (bx, by) = bar_chart.plotting_area().get_pixel_range();
    for (k, l) in lines.into_iter().enumerate() {
        root.draw(&Text::new(
            l,
            (bx.start - 6, by.start - 8 - 14 * (n - 1 - k as i32)),
            anchored(12, BLACK, HPos::Left, VPos::Bottom),
        ))
        .map_err(de)?;
    }
    Ok(())
}

// ------------------------------------------------------ bifurcation diagram

fn bifurcation<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    b: &BifurcationDiagram,
) -> Result<()> {
    let xs = b
        .branches
        .iter()
        .flatten()
        .map(|p| p.param)
        .chain(b.maxima.iter().map(|m| m.0))
        .chain(b.special.iter().map(|s| s.param));
    let (x0, x1) = fit(xs, 0.0).ok_or_else(|| invalid("branches", "nothing to draw"))?;
    let ys = b
        .branches
        .iter()
        .flatten()
        .map(|p| p.value)
        .chain(b.maxima.iter().map(|m| m.1))
        .chain(b.special.iter().map(|s| s.value));
    let (y0, y1) = fit(ys, 0.08).ok_or_else(|| invalid("branches", "nothing to draw"))?;
    let (body, _foot) = with_note(root, &b.note)?;
    let mut chart = ChartBuilder::on(&body)
        .caption(&b.title, font(20, BLACK))
        .margin(14)
        .margin_right(30)
        .x_label_area_size(50)
        .y_label_area_size(74)
        .build_cartesian_2d(x0..x1, y0..y1)
        .map_err(de)?;
    chart
        .configure_mesh()
        .x_label_formatter(&|v: &f64| tick_text(*v, x1 - x0))
        .y_label_formatter(&|v: &f64| tick_text(*v, y1 - y0))
        .x_desc(b.x_label.as_str())
        .y_desc(b.y_label.as_str())
        .light_line_style(GRID_LIGHT)
        .bold_line_style(GRID_BOLD)
        .label_style(font(13, BLACK))
        .axis_desc_style(font(15, BLACK))
        .draw()
        .map_err(de)?;
    let (px, py) = chart.plotting_area().get_pixel_range();
    let stable_colour = rgb(series(0));
    let unstable_colour = rgb(series(1));
    let maxima_colour = rgb(series(2));
    if !b.maxima.is_empty() {
        let dots = b
            .maxima
            .iter()
            .filter(|m| m.0.is_finite() && m.1.is_finite())
            .map(|m| Circle::new(*m, 2, maxima_colour.filled()));
        chart.draw_series(dots).map_err(de)?;
    }
    // Longest run of each kind, for the direct labels.
    let mut longest: [Option<(usize, (f64, f64))>; 2] = [None, None];
    for branch in &b.branches {
        let points: Vec<_> = branch
            .iter()
            .filter(|p| p.param.is_finite() && p.value.is_finite())
            .collect();
        let mut start = 0;
        while start < points.len() {
            let stable = points[start].stable;
            let mut end = start;
            while end + 1 < points.len() && points[end + 1].stable == stable {
                end += 1;
            }
            // Include the next point so runs join up.
            let stop = (end + 1).min(points.len() - 1);
            let run: Vec<(f64, f64)> = points[start..=stop]
                .iter()
                .map(|p| (p.param, p.value))
                .collect();
            if stable {
                chart
                    .draw_series(LineSeries::new(run.clone(), stable_colour.stroke_width(3)))
                    .map_err(de)?;
            } else {
                chart
                    .draw_series(DashedLineSeries::new(
                        run.clone(),
                        7,
                        5,
                        unstable_colour.stroke_width(2),
                    ))
                    .map_err(de)?;
            }
            let slot = &mut longest[usize::from(!stable)];
            // Label at the middle of the run's parameter range (points
            // crowd near folds, so the middle index can sit at one end).
            let (a, z) = (run[0].0, run[run.len() - 1].0);
            let mid = run
                .iter()
                .copied()
                .min_by(|p, q| {
                    (p.0 - 0.5 * (a + z))
                        .abs()
                        .total_cmp(&(q.0 - 0.5 * (a + z)).abs())
                })
                .unwrap_or(run[0]);
            if slot.is_none_or(|(n, _)| run.len() > n) {
                *slot = Some((run.len(), mid));
            }
            start = end + 1;
        }
    }
    let label = |text: &str, at: (f64, f64), colour: RGBColor, dy: i32| -> Result<()> {
        let (x, y) = chart.backend_coord(&at);
        let w = text_width(text, 13);
        let x = (x - w / 2).clamp(px.start + 4, (px.end - w - 4).max(px.start + 4));
        root.draw(&Text::new(
            text.to_string(),
            (x, (y + dy).clamp(py.start + 8, py.end - 8)),
            anchored(13, colour, HPos::Left, VPos::Center),
        ))
        .map_err(de)
    };
    if let Some((_, at)) = longest[0] {
        label("stable equilibria", at, stable_colour, -22)?;
    }
    if let Some((_, at)) = longest[1] {
        label("unstable equilibria", at, unstable_colour, 22)?;
    }
    if let Some(top) = b
        .maxima
        .iter()
        .filter(|m| m.0.is_finite() && m.1.is_finite())
        .max_by(|a, c| a.1.total_cmp(&c.1))
    {
        label("maxima of the cycle", *top, maxima_colour, -14)?;
    }
    for s in &b.special {
        if !(s.param.is_finite() && s.value.is_finite()) {
            continue;
        }
        chart
            .draw_series(std::iter::once(Cross::new(
                (s.param, s.value),
                6,
                BLACK.stroke_width(2),
            )))
            .map_err(de)?;
        let (x, y) = chart.backend_coord(&(s.param, s.value));
        let w = text_width(&s.label, 13);
        let (h, x) = if x + 10 + w > px.end {
            (HPos::Right, x - 10)
        } else {
            (HPos::Left, x + 10)
        };
        root.draw(&Text::new(
            s.label.clone(),
            (x, (y + 14).min(py.end - 8)),
            anchored(13, BLACK, h, VPos::Center),
        ))
        .map_err(de)?;
    }
    Ok(())
}
