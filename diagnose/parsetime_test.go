package diagnose

import (
	"testing"
	"time"
)

func TestParseTimeEverydayShapes(t *testing.T) {
	loc, err := time.LoadLocation("America/Sao_Paulo")
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2026, 11, 18, 10, 15, 0, 0, loc)
	for _, s := range []string{
		"18/11/2026 10h15", "18/11/2026 às 10:15", "18/11/2026, 10:15", "18/11/2026 as 10:15",
		"18/11/2026 - 10:15", "2026-11-18t10:15:00-03:00", "2026-11-18T13:15:00z", "Wed, 18 Nov 2026 13:15:00 GMT",
		"18/11/2026 10:15h", "  18/11/2026   10:15 ", "2026-11-18 10:15",
	} {
		got, note, err := ParseTimeNote(s, loc)
		if err != nil {
			t.Errorf("%q: %v", s, err)
			continue
		}
		if !got.Equal(want) || note != TimeExact {
			t.Errorf("%q = %v (%v), want %v", s, got, note, want)
		}
	}
	if got, _, err := ParseTimeNote("18/11/2026, 10:15:32", loc); err != nil || !got.Equal(want.Add(32*time.Second)) {
		t.Errorf("seconds after a comma: %v %v", got, err)
	}
	if got, _, err := ParseTimeNote("8/1/2026 9:05", loc); err != nil || got.Day() != 8 || got.Month() != 1 || got.Hour() != 9 {
		t.Errorf("single digits: %v %v", got, err)
	}
	for _, bad := range []string{"ontem", "31/02/2026 25:00", "18/11/2026 às", "10h15"} {
		if _, _, err := ParseTimeNote(bad, loc); err == nil {
			t.Errorf("%q was read as a time", bad)
		}
	}
}

// Brazil's daylight saving time: 2018-11-04 00:00 did not exist (clocks went to 01:00), and
// 2019-02-16 23:00-23:59 happened twice. The tz database's rule: a time in the gap moves
// forward by the gap's length; a repeated time is the earlier instant.
func TestParseTimeAcrossDaylightSaving(t *testing.T) {
	loc, _ := time.LoadLocation("America/Sao_Paulo")
	got, note, err := ParseTimeNote("2018-11-04 00:30", loc)
	if err != nil || note != TimeInGap {
		t.Fatalf("gap: %v %v %v", got, note, err)
	}
	if want := time.Date(2018, 11, 4, 3, 30, 0, 0, time.UTC); !got.Equal(want) || got.Weekday() != time.Sunday || got.Hour() != 1 {
		t.Errorf("gap: %v, want %v (01:30 -02, a Sunday)", got, want.In(loc))
	}
	got, note, err = ParseTimeNote("16/02/2019 23:30", loc)
	if err != nil || note != TimeRepeats {
		t.Fatalf("repeat: %v %v %v", got, note, err)
	}
	if want := time.Date(2019, 2, 17, 1, 30, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("repeat: %v, want the earlier instant %v", got, want)
	}
	if _, note, _ := ParseTimeNote("2026-11-18 10:15", loc); note != TimeExact {
		t.Errorf("an ordinary time is noted %v", note)
	}
}
