package web

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// A printed page as poppler sees it: how far down its content box the ink
// goes (from a raster of the page) and its text rows (words with their
// boxes). Lengths are in mm from the top of the sheet.
type printedPage struct {
	InkBottom float64  // the lowest dark pixel row inside the content box, 0 when none
	Rows      []pdfRow // text rows, top to bottom
}

// pdfRow is the words that share a top edge, left to right.
type pdfRow struct {
	Text        string
	Top, Bottom float64
}

// popplerTool finds one of poppler's command-line tools: skipped on a
// developer machine without it, a failure on CI (.ci/run installs
// poppler-utils), like Chromium.
func popplerTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s not found (install poppler-utils): the board pack's page checks must run on CI", name)
	}
	t.Skipf("%s not found: install poppler-utils to measure the printed pages", name)
	return ""
}

// pdfPages reads a PDF's pages with poppler: the raster at 50 dpi (gray)
// for the ink, pdftotext -bbox for the words. top and bottom are the
// page's margins in mm (the content box lies between them); the footer's
// margin boxes are outside it and do not count as ink.
func pdfPages(t testing.TB, pdf []byte, top, bottom float64) []printedPage {
	t.Helper()
	toppm, totext := popplerTool(t, "pdftoppm"), popplerTool(t, "pdftotext")
	dir := t.TempDir()
	file := filepath.Join(dir, "pack.pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	const dpi = 50
	if out, err := exec.Command(toppm, "-r", strconv.Itoa(dpi), "-gray", file, filepath.Join(dir, "p")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
	rasters, _ := filepath.Glob(filepath.Join(dir, "p-*.pgm"))
	sort.Strings(rasters) // pdftoppm pads the page numbers to one width
	var pages []printedPage
	for _, r := range rasters {
		w, h, px, err := readPGM(r)
		if err != nil {
			t.Fatalf("%s: %v", r, err)
		}
		mm := 25.4 / dpi
		p := printedPage{}
		// A row counts as ink with two dark pixels: text and chart marks,
		// not the light card borders and fills (#dfe3ea is 227 in gray).
		for y := int(top / mm); y < h && float64(y)*mm < float64(h)*mm-bottom; y++ {
			dark := 0
			for _, v := range px[y*w : (y+1)*w] {
				if v < 170 {
					dark++
				}
			}
			if dark >= 2 {
				p.InkBottom = float64(y+1) * mm
			}
		}
		pages = append(pages, p)
	}
	out, err := exec.Command(totext, "-bbox", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	words, err := readBBox(out)
	if err != nil {
		t.Fatalf("pdftotext -bbox: %v", err)
	}
	if len(words) != len(pages) {
		t.Fatalf("pdftoppm gave %d pages, pdftotext %d", len(pages), len(words))
	}
	for i, ws := range words {
		pages[i].Rows = rows(ws)
	}
	return pages
}

// readPGM reads a binary PGM (P5, 8 bits), as pdftoppm -gray writes it.
func readPGM(file string) (w, h int, px []byte, err error) {
	f, err := os.Open(file)
	if err != nil {
		return 0, 0, nil, err
	}
	defer f.Close()
	r := bufio.NewReader(f)
	var magic string
	var maxval int
	if _, err := fmt.Fscan(r, &magic, &w, &h, &maxval); err != nil {
		return 0, 0, nil, err
	}
	if magic != "P5" || maxval != 255 {
		return 0, 0, nil, fmt.Errorf("not an 8-bit P5 PGM: %s %d", magic, maxval)
	}
	if _, err := r.ReadByte(); err != nil { // the one whitespace after the header
		return 0, 0, nil, err
	}
	px = make([]byte, w*h)
	_, err = io.ReadFull(r, px)
	return w, h, px, err
}

type pdfWord struct {
	Text                   string
	XMin, YMin, XMax, YMax float64 // points
}

// readBBox reads pdftotext -bbox's XHTML: the words of each page.
func readBBox(doc []byte) ([][]pdfWord, error) {
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = false
	var pages [][]pdfWord
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return pages, nil
		}
		if err != nil {
			return nil, err
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "page":
			pages = append(pages, nil)
		case "word":
			var w pdfWord
			for _, a := range se.Attr {
				v, _ := strconv.ParseFloat(a.Value, 64)
				switch a.Name.Local {
				case "xMin":
					w.XMin = v
				case "yMin":
					w.YMin = v
				case "xMax":
					w.XMax = v
				case "yMax":
					w.YMax = v
				}
			}
			var text string
			if err := d.DecodeElement(&text, &se); err != nil {
				return nil, err
			}
			w.Text = text
			if len(pages) == 0 {
				return nil, fmt.Errorf("a word outside a page")
			}
			pages[len(pages)-1] = append(pages[len(pages)-1], w)
		}
	}
}

// rows groups a page's words by their top edge (within half a point: one
// font on one line), left to right, in mm.
func rows(ws []pdfWord) []pdfRow {
	sort.SliceStable(ws, func(i, j int) bool {
		if d := ws[i].YMin - ws[j].YMin; d < -0.5 || d > 0.5 {
			return d < 0
		}
		return ws[i].XMin < ws[j].XMin
	})
	const mm = 25.4 / 72
	var out []pdfRow
	for i := 0; i < len(ws); {
		j := i
		var text []string
		bottom := 0.0
		for ; j < len(ws) && ws[j].YMin-ws[i].YMin <= 0.5; j++ {
			text = append(text, ws[j].Text)
			bottom = max(bottom, ws[j].YMax)
		}
		out = append(out, pdfRow{Text: strings.Join(text, " "), Top: ws[i].YMin * mm, Bottom: bottom * mm})
		i = j
	}
	return out
}

// find finds text (whitespace normalised) on a page: a row that is the
// text, or the text wrapped over consecutive rows; it returns the bottom
// of the text's last row.
func (p printedPage) find(text string) (bottom float64, ok bool) {
	text = strings.Join(strings.Fields(text), " ")
	for i := range p.Rows {
		got := ""
		for j := i; j < len(p.Rows) && j < i+3; j++ {
			got = strings.TrimSpace(got + " " + p.Rows[j].Text)
			if got == text {
				return p.Rows[j].Bottom, true
			}
			if !strings.HasPrefix(text, got) {
				break
			}
		}
	}
	return 0, false
}

// text is the page's words, row by row.
func (p printedPage) text() string {
	var b strings.Builder
	for _, r := range p.Rows {
		b.WriteString(r.Text)
		b.WriteByte('\n')
	}
	return b.String()
}

// pdfImage is one image of a PDF as pdfimages -list reports it: the
// page, the pixel size and the resolution it is printed at (pixels per
// inch across and down).
type pdfImage struct {
	Page, Width, Height int
	XPPI, YPPI          float64
}

// pdfImages lists a PDF's images (not their soft masks) with poppler's
// pdfimages: Chromium prints each chart's canvas as one.
func pdfImages(t testing.TB, pdf []byte) []pdfImage {
	t.Helper()
	tool := popplerTool(t, "pdfimages")
	file := filepath.Join(t.TempDir(), "pack.pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-list", file).Output()
	if err != nil {
		t.Fatalf("pdfimages: %v", err)
	}
	var ims []pdfImage
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		// page num type width height color comp bpc enc interp object ID x-ppi y-ppi size ratio
		if len(f) < 14 || f[2] != "image" {
			continue
		}
		var im pdfImage
		var err error
		for _, c := range []struct {
			s string
			v any
		}{{f[0], &im.Page}, {f[3], &im.Width}, {f[4], &im.Height}, {f[12], &im.XPPI}, {f[13], &im.YPPI}} {
			if _, e := fmt.Sscan(c.s, c.v); e != nil && err == nil {
				err = fmt.Errorf("%q: %v", line, e)
			}
		}
		if err != nil {
			t.Fatalf("pdfimages -list: %v", err)
		}
		ims = append(ims, im)
	}
	return ims
}
