package store

import "sync"

// staleWatch answers a queued save at once when another save of this
// process commits the same record meanwhile, instead of after its turn
// at the writer. Under concurrent edits of one record every save queued
// behind the one that commits holds the version that commit replaced, so
// each would wait its turn only to read the record inside its transaction
// and be refused: their waits were most of the writer's queue.
//
// A save registers the record and the version it replaces before it
// checks the version on the reader (checkLineVersion) and queues; a commit
// of the record at version v then marks every registered save of it with
// another version stale: at that commit the record's version was v, so
// theirs was stale, as the check inside their transaction would have found
// (a record's version only grows). A commit that happened before a save
// registered is one the reader's check sees. Commits of other processes
// mark nothing: their saves are refused inside the transaction, as before.
type staleWatch struct {
	mu sync.Mutex
	m  map[recordKey][]*staleWaiter
}

type recordKey struct {
	entity string
	id     int64
}

type staleWaiter struct {
	version int64
	stale   chan struct{} // closed when the version is stale
}

// watch registers a save of (entity, id) at version; stop unregisters it.
func (w *staleWatch) watch(entity string, id, version int64) (stale <-chan struct{}, stop func()) {
	k := recordKey{entity, id}
	sw := &staleWaiter{version: version, stale: make(chan struct{})}
	w.mu.Lock()
	if w.m == nil {
		w.m = make(map[recordKey][]*staleWaiter)
	}
	w.m[k] = append(w.m[k], sw)
	w.mu.Unlock()
	return sw.stale, func() {
		w.mu.Lock()
		defer w.mu.Unlock()
		list := w.m[k]
		for i, x := range list {
			if x == sw {
				list = append(list[:i], list[i+1:]...)
				break
			}
		}
		if len(list) == 0 {
			delete(w.m, k)
		} else {
			w.m[k] = list
		}
	}
}

// committed marks the saves of (entity, id) at any version but version
// stale: called after a commit left the record at version.
func (w *staleWatch) committed(entity string, id, version int64) {
	k := recordKey{entity, id}
	w.mu.Lock()
	defer w.mu.Unlock()
	list := w.m[k]
	keep := list[:0]
	for _, x := range list {
		if x.version != version {
			close(x.stale)
			continue
		}
		keep = append(keep, x)
	}
	clear(list[len(keep):])
	if len(keep) == 0 {
		delete(w.m, k)
	} else {
		w.m[k] = keep
	}
}
