package directory

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Place is a position in a snapshot file. Line and Col count from 1; Col counts
// characters (runes), not bytes, so it matches what an analyst sees in an editor on a
// line holding "Corban Sé". Zero Line or Col means unknown (YAML parse errors carry only
// a line; some carry none).
type Place struct {
	File string
	Line int
	Col  int
}

func (p Place) String() string {
	s := p.File
	if p.Line > 0 {
		s += ":" + strconv.Itoa(p.Line)
		if p.Col > 0 {
			s += ":" + strconv.Itoa(p.Col)
		}
	}
	return s
}

// Error is a problem at a place of a snapshot file: a syntax error, an unknown field, a
// malformed entry. Its text is "file:line:col: msg", the form editors and terminals jump to.
type Error struct {
	Place Place
	Msg   string // in English
	Pt    string // the same in Portuguese, a whole sentence of its own
}

func (e *Error) Error() string { return e.Place.String() + ": " + e.Msg }

// Text is the error in lang ("en", or Portuguese for anything else, the users' language).
func (e *Error) Text(lang string) string {
	if lang == "en" || e.Pt == "" {
		return e.Error()
	}
	return e.Place.String() + ": " + e.Pt
}

// errorL is an error at a place, worded in both languages, each from its own format.
func errorL(at Place, pt, en string, args ...any) *Error {
	return &Error{Place: at, Msg: fmt.Sprintf(en, args...), Pt: fmt.Sprintf(pt, args...)}
}

// textError is an error without a place, worded in both languages.
type textError struct{ en, pt string }

func (e *textError) Error() string { return e.en }

func errL(pt, en string, args ...any) error {
	return &textError{en: fmt.Sprintf(en, args...), pt: fmt.Sprintf(pt, args...)}
}

// ErrorText words an error of this package in lang: each *Error in it (alone, joined with
// others, or wrapped with a prefix) in that language; anything else as it is.
func ErrorText(err error, lang string) string {
	if err == nil {
		return ""
	}
	if e, ok := err.(*Error); ok {
		return e.Text(lang)
	}
	if lang != "en" {
		var te *textError
		if errors.As(err, &te) {
			return te.pt
		}
		var ue *UnreachableError
		if errors.As(err, &ue) {
			return ue.Text(lang)
		}
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var lines []string
		for _, e := range j.Unwrap() {
			lines = append(lines, ErrorText(e, lang))
		}
		return strings.Join(lines, "\n")
	}
	var e *Error
	if errors.As(err, &e) {
		return strings.Replace(err.Error(), e.Error(), e.Text(lang), 1)
	}
	return err.Error()
}

// placeAt turns a byte offset into a Place. It scans from the start of data, so it is
// meant for the error path and for a handful of entries; use lineCounter for many.
func placeAt(file string, data []byte, off int) Place {
	var c lineCounter
	c.data = data
	return c.at(file, off)
}

// lineCounter turns increasing byte offsets into places in time linear in the file, for
// walks that need the place of every entry (Index, Validate).
type lineCounter struct {
	data      []byte
	off       int // bytes before off are counted
	line      int // newlines before off
	lineStart int // offset of the first byte of the line holding off
	col       int // runes from lineStart to off: a file on one line (a minified snapshot) is
	// not counted again from its start for every entry
}

func (c *lineCounter) at(file string, off int) Place {
	if off < c.off { // not monotonic: start over rather than answer wrong
		*c = lineCounter{data: c.data}
	}
	seg := c.data[c.off:off]
	if n := bytes.Count(seg, []byte{'\n'}); n > 0 {
		c.line += n
		c.lineStart = c.off + bytes.LastIndexByte(seg, '\n') + 1
		c.col = utf8.RuneCount(c.data[c.lineStart:off])
	} else {
		c.col += utf8.RuneCount(seg)
	}
	c.off = off
	return Place{File: file, Line: c.line + 1, Col: c.col + 1}
}
