// Package memo is a bounded, concurrent memory of answers keyed by text, for what a batch asks
// again and again from every worker (is this printed text clean, is this key path personal).
// Reads take no lock: a frozen map answers them, and what is added since waits in a small map
// behind a mutex until it is a quarter of the frozen one (at first, a single answer), when a
// new frozen map folds it in (copying costs O(1) per entry over a run). A read-write lock's
// shared counter, or sync.Map's hashing and trie, made the workers' cores fight over a cache
// line or cost a tenth of a batch.
package memo

import (
	"sync"
	"sync/atomic"
)

// Map remembers at most Max answers; further ones are computed again each time (hostile
// input may bring any number of distinct keys).
type Map[V any] struct {
	Max    int64
	frozen atomic.Pointer[map[string]V]
	mu     sync.Mutex
	fresh  map[string]V
	n      atomic.Int64
	// inFresh is len(fresh): a miss looks no further than the frozen map while fresh is
	// empty, without taking the lock (most asks of a batch are misses once Max is reached).
	inFresh atomic.Int64
}

// Get is the answer remembered for k.
func (m *Map[V]) Get(k string) (V, bool) {
	if f := m.frozen.Load(); f != nil {
		if v, ok := (*f)[k]; ok {
			return v, true
		}
	}
	if m.inFresh.Load() == 0 {
		var zero V
		return zero, false
	}
	m.mu.Lock()
	v, ok := m.fresh[k]
	m.mu.Unlock()
	return v, ok
}

// GetBytes is Get for a key held in a buffer, without copying it into a string.
func (m *Map[V]) GetBytes(k []byte) (V, bool) {
	if f := m.frozen.Load(); f != nil {
		if v, ok := (*f)[string(k)]; ok {
			return v, true
		}
	}
	if m.inFresh.Load() == 0 {
		var zero V
		return zero, false
	}
	m.mu.Lock()
	v, ok := m.fresh[string(k)]
	m.mu.Unlock()
	return v, ok
}

// Put remembers v for k, while fewer than Max answers are.
func (m *Map[V]) Put(k string, v V) {
	// Loaded first: once full, a miss (which every unknown text is) writes nothing shared.
	if m.n.Load() >= m.Max || m.n.Add(1) > m.Max {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fresh == nil {
		m.fresh = map[string]V{}
	}
	m.fresh[k] = v
	m.inFresh.Store(int64(len(m.fresh)))
	old := m.frozen.Load()
	n := 0
	if old != nil {
		n = len(*old)
	}
	// Once Max answers are in, the last ones are frozen too, so that fresh stays empty.
	if len(m.fresh) < max(1, n/4) && m.n.Load() < m.Max {
		return
	}
	f := make(map[string]V, n+len(m.fresh))
	if old != nil {
		for k, v := range *old {
			f[k] = v
		}
	}
	for k, v := range m.fresh {
		f[k] = v
	}
	m.frozen.Store(&f)
	m.fresh = map[string]V{}
	m.inFresh.Store(0)
}
