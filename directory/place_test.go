package directory

import (
	"strings"
	"testing"
	"unicode/utf8"

	"pgregory.net/rapid"
)

// lineCounter, which keeps its count from one offset to the next, names the line and column
// that counting from the start of the file names, for any increasing offsets at rune
// boundaries, in text with newlines and accented names, and on a single line (a minified
// snapshot, where it used to count each column from the file's start again).
func TestLineCounterIsPlaceAt(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		parts := rapid.SliceOf(rapid.SampledFrom([]string{"a", "{", "\n", "ã", "João", "\r\n", " ", "€", "\"x\": 1,"})).Draw(t, "parts")
		text := strings.Join(parts, "")
		if rapid.Bool().Draw(t, "one line") {
			text = strings.NewReplacer("\r\n", " ", "\n", " ").Replace(text)
		}
		data := []byte(text)
		var bounds []int
		for i := range text { // rune boundaries
			bounds = append(bounds, i)
		}
		bounds = append(bounds, len(data))
		var c lineCounter
		c.data = data
		last := 0
		for _, b := range bounds {
			if b < last || !rapid.Bool().Draw(t, "ask") {
				continue
			}
			last = b
			nl := strings.LastIndexByte(text[:b], '\n')
			want := Place{File: "f.json", Line: strings.Count(text[:b], "\n") + 1, Col: utf8.RuneCountInString(text[nl+1:b]) + 1}
			got := c.at("f.json", b)
			if got != want {
				t.Fatalf("offset %d of %q: %v, want %v", b, text, got, want)
			}
			if !utf8.Valid(data[:b]) {
				t.Fatalf("offset %d is not at a rune boundary", b)
			}
		}
	})
}

// Places of every entry of a snapshot on one line: linear, where it was quadratic.
func BenchmarkLineCounterOneLine(b *testing.B) {
	entry := `{"sha256":"` + strings.Repeat("ab", 32) + `","partner":"Alfa","environment":"producao","active":true},`
	data := []byte(`{"keys":[` + strings.Repeat(entry, 20000) + `]}`)
	for b.Loop() {
		var c lineCounter
		c.data = data
		for off := 9; off < len(data)-2; off += len(entry) {
			c.at("one-line.json", off)
		}
	}
}
