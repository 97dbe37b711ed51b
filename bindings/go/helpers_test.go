package rtms_test

import (
	"hash/crc32"
	"sync"
)

// tally accumulates what a client received of one media type.
type tally struct {
	mu      sync.Mutex
	packets uint64
	bytes   uint64
	crc     uint32
}

func (t *tally) add(data []byte) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.packets++
	t.bytes += uint64(len(data))
	t.crc = crc32.Update(t.crc, crc32.IEEETable, data)
}

func (t *tally) get() (uint64, uint64, uint32) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.packets, t.bytes, t.crc
}
