package report

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// ErrPlotFormat is returned for a plot file name with an unsupported extension.
var ErrPlotFormat = errors.New("report: plot file must end in .png, .svg or .html")

// Plot size per panel.
const (
	plotWidth       = 10 * vg.Inch
	plotPanelHeight = 3.5 * vg.Inch
)

// line is one named series of a panel.
type line struct {
	name   string
	xs, ys []float64
	limit  bool // a threshold, drawn dashed so that it is not read as a measurement
}

// panel is one chart of a figure.
type panel struct {
	title, xLabel, yLabel string
	lines                 []line
	points                bool // mark each value: a capacity search has only a few, one per step
}

// PlotSeries draws the run's per-second input latency percentiles and server
// tick times to path (.png, .svg or .html).
func PlotSeries(path, title string, pts []Point) error {
	return drawPanels(path, title, seriesPanels(pts))
}

func seriesPanels(pts []Point) []panel {
	var t, l50, l95, l99, k50, k99, bots []float64
	for _, p := range pts {
		t = append(t, p.T)
		l50, l95, l99 = append(l50, p.Latency.P50), append(l95, p.Latency.P95), append(l99, p.Latency.P99)
		k50, k99 = append(k50, p.Tick.P50), append(k99, p.Tick.P99)
		bots = append(bots, float64(p.Bots))
	}
	return []panel{
		{title: "input latency", xLabel: "s", yLabel: "ms", lines: []line{{name: "p50", xs: t, ys: l50}, {name: "p95", xs: t, ys: l95}, {name: "p99", xs: t, ys: l99}}},
		{title: "server tick duration", xLabel: "s", yLabel: "ms", lines: []line{{name: "p50", xs: t, ys: k50}, {name: "p99", xs: t, ys: k99}}},
		{title: "bots connected", xLabel: "s", yLabel: "bots", lines: []line{{name: "bots", xs: t, ys: bots}}},
	}
}

func drawPanels(path, title string, panels []panel) error {
	plots := make([][]*plot.Plot, len(panels))
	for i, pn := range panels {
		p := plot.New()
		p.Title.Text = pn.title
		if i == 0 && title != "" {
			p.Title.Text = title + " - " + pn.title
		}
		p.X.Label.Text, p.Y.Label.Text = pn.xLabel, pn.yLabel
		p.Y.Min = 0
		p.Add(plotter.NewGrid())
		for j, ln := range pn.lines {
			xys := make(plotter.XYs, len(ln.xs))
			for k := range ln.xs {
				xys[k] = plotter.XY{X: ln.xs[k], Y: ln.ys[k]}
			}
			l, err := plotter.NewLine(xys)
			if err != nil {
				return fmt.Errorf("report: plot %s: %w", pn.title, err)
			}
			l.Color = plotutil.Color(j)
			l.Width = vg.Points(1.5)
			if ln.limit {
				l.Dashes = []vg.Length{vg.Points(6), vg.Points(4)}
			}
			p.Add(l)
			if pn.points && !ln.limit {
				s, err := plotter.NewScatter(xys)
				if err != nil {
					return fmt.Errorf("report: plot %s: %w", pn.title, err)
				}
				s.Color, s.Shape = l.Color, draw.CircleGlyph{}
				p.Add(s)
				p.Legend.Add(ln.name, l, s)
				continue
			}
			p.Legend.Add(ln.name, l)
		}
		p.Legend.Top = true
		plots[i] = []*plot.Plot{p}
	}
	w, h := plotWidth, plotPanelHeight*vg.Length(len(panels))
	ext := strings.ToLower(filepath.Ext(path))
	var canvas interface {
		vg.CanvasSizer
		io.WriterTo
	}
	switch ext {
	case ".png":
		canvas = vgimg.PngCanvas{Canvas: vgimg.New(w, h)}
	case ".svg", ".html", ".htm":
		canvas = vgsvg.New(w, h)
	default:
		return fmt.Errorf("%w: %s", ErrPlotFormat, path)
	}
	dc := draw.New(canvas)
	tiles := draw.Tiles{Rows: len(panels), Cols: 1, PadTop: vg.Points(4), PadBottom: vg.Points(4), PadX: vg.Points(4), PadY: vg.Points(12)}
	for i, row := range plot.Align(plots, tiles, dc) {
		plots[i][0].Draw(row[0])
	}
	var buf bytes.Buffer
	if _, err := canvas.WriteTo(&buf); err != nil {
		return fmt.Errorf("report: plot: %w", err)
	}
	out := buf.Bytes()
	if ext == ".html" || ext == ".htm" {
		out = htmlPage(title, out)
	}
	if err := os.WriteFile(path, out, 0o644); err != nil {
		return fmt.Errorf("report: plot: %w", err)
	}
	return nil
}

// htmlPage wraps an SVG document in a page, inline so that the file stands
// alone; the SVG's XML declaration has no place inside HTML.
func htmlPage(title string, svg []byte) []byte {
	if i := bytes.Index(svg, []byte("?>")); bytes.HasPrefix(svg, []byte("<?xml")) && i >= 0 {
		svg = bytes.TrimLeft(svg[i+2:], "\r\n")
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>%s</title></head><body>\n", html.EscapeString(title))
	b.Write(svg)
	b.WriteString("\n</body></html>\n")
	return b.Bytes()
}
