package diagnose

import (
	"testing"
	"time"

	"pgregory.net/rapid"
)

// The two shapes read at once give what the reading of every layout gives, whatever their
// digits (a 13th month, a 25th hour, a day a daylight-saving change skipped).
func TestCommonTimeShapesAsEveryLayout(t *testing.T) {
	zones := []string{"America/Sao_Paulo", "UTC", "America/New_York"}
	rapid.Check(t, func(t *rapid.T) {
		loc, err := time.LoadLocation(rapid.SampledFrom(zones).Draw(t, "zone"))
		if err != nil {
			t.Skip(err)
		}
		d := func(name string, lo, hi int) int { return rapid.IntRange(lo, hi).Draw(t, name) }
		y, mo, day, h, mi := d("y", 1900, 2100), d("mo", 0, 13), d("d", 0, 32), d("h", 0, 25), d("mi", 0, 61)
		var s string
		if rapid.Bool().Draw(t, "slashes") {
			s = pad(day) + "/" + pad(mo) + "/" + itoa4(y) + " " + pad(h) + ":" + pad(mi)
		} else {
			s = itoa4(y) + "-" + pad(mo) + "-" + pad(day) + " " + pad(h) + ":" + pad(mi)
		}
		if localLayoutOf(s) == "" {
			t.Fatalf("%q: not one of the two shapes", s)
		}
		gt, gn, gerr := ParseTimeNote(s, loc)
		wt, wn, werr := parseTimeNote(s, loc)
		if !gt.Equal(wt) || gt.Location().String() != wt.Location().String() || gn != wn || (gerr == nil) != (werr == nil) {
			t.Fatalf("%q in %s: %v %v %v, every layout gives %v %v %v", s, loc, gt, gn, gerr, wt, wn, werr)
		}
	})
	for s, want := range map[string]string{
		"2026-11-18 11:18": "2006-01-02 15:04", "18/11/2026 11:18": "02/01/2006 15:04",
		"2026-11-18T11:18": "", "2026-11-18 11:18:05": "", "18/11/2026 10h15": "", "1/2/2026 10:15": "",
		"2026/11/18 11:18": "", "18-11-2026 11:18": "", "2026-11-1x 11:18": "",
	} {
		if got := localLayoutOf(s); got != want {
			t.Errorf("localLayoutOf(%q) = %q, want %q", s, got, want)
		}
	}
}

func pad(n int) string   { return string([]byte{byte('0' + n/10%10), byte('0' + n%10)}) }
func itoa4(n int) string { return pad(n/100) + pad(n%100) }
