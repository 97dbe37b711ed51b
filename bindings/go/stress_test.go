package rtms_test

import (
	"context"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	rtms "github.com/rtms-rs/rtms/bindings/go"
	"github.com/rtms-rs/rtms/bindings/go/rtmstest"
)

// rss is the resident set size in KiB (Linux), or 0.
func rss() int {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			n, _ := strconv.Atoi(strings.Fields(line)[1])
			return n
		}
	}
	return 0
}

// 200 clients join and leave one after another: no goroutine, thread or memory growth beyond noise.
func TestJoinLeave200(t *testing.T) {
	const rounds = 200
	sim := rtmstest.NewSimulator(t, rtmstest.WithMeetings(rounds))
	round := func(i int) {
		c, err := rtms.NewClient(rtms.WithMedia(rtms.MediaTranscript))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := c.Join(ctx, sim.JoinParams(i)); err != nil {
			t.Fatalf("round %d: join: %v", i, err)
		}
		if err := c.Leave(ctx); err != nil {
			t.Fatalf("round %d: leave: %v", i, err)
		}
	}
	settle := func() (int, int) {
		for range 3 {
			runtime.GC()
			time.Sleep(20 * time.Millisecond)
		}
		return runtime.NumGoroutine(), rss()
	}
	for i := range 20 { // warm up: runtime threads, caches
		round(i)
	}
	goroutines, mem := settle()
	start := time.Now()
	for i := 20; i < rounds; i++ {
		round(i)
	}
	goroutines2, mem2 := settle()
	t.Logf("%d join/leave rounds in %v; goroutines %d -> %d, RSS %d -> %d KiB", rounds-20, time.Since(start), goroutines, goroutines2, mem, mem2)
	if goroutines2 > goroutines+2 {
		t.Errorf("goroutines grew from %d to %d", goroutines, goroutines2)
	}
	if mem > 0 && mem2-mem > 40*1024 {
		t.Errorf("RSS grew by %d KiB", mem2-mem)
	}
}
