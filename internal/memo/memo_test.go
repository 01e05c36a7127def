package memo

import (
	"strconv"
	"sync"
	"testing"
)

// What was put is got back, from the frozen map or the fresh one, by any goroutine, by string
// or by bytes; past Max nothing more is remembered.
func TestMapRemembersUpToMax(t *testing.T) {
	m := &Map[int]{Max: 1000}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < 1500; i += 4 {
				m.Put(strconv.Itoa(i), i)
			}
		}()
	}
	wg.Wait()
	got := 0
	for i := range 1500 {
		k := strconv.Itoa(i)
		v, ok := m.Get(k)
		vb, okb := m.GetBytes([]byte(k))
		if ok != okb || v != vb {
			t.Fatalf("%s: Get %d %v, GetBytes %d %v", k, v, ok, vb, okb)
		}
		if ok {
			if v != i {
				t.Fatalf("%s: got %d", k, v)
			}
			got++
		}
	}
	if got != 1000 {
		t.Errorf("%d answers remembered, want Max (1000)", got)
	}
	if _, ok := m.Get("absent"); ok {
		t.Error("an answer for a key never put")
	}
}
