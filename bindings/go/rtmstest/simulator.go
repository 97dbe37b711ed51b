// Package rtmstest runs the rtms simulator (rtms-sim) in-process, for tests of code built on
// package rtms: a scripted meeting with real encoded media, joined like a real one.
//
//	sim := rtmstest.NewSimulator(t, rtmstest.WithScenario("quick"), rtmstest.WithSpeed(4))
//	client, _ := rtms.NewClient(rtms.WithMedia(rtms.MediaAudio))
//	_ = client.Run(ctx, sim.JoinParams(0))
//	summary, _ := sim.Wait(30 * time.Second) // what was sent, with CRC32s
package rtmstest

/*
#include <stdlib.h>
#include "rtms.h"
*/
import "C"

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"
	"unsafe"

	rtms "github.com/rtms-rs/rtms/bindings/go"
)

// Simulator is a running rtms-sim. Close it (NewSimulator does, at the test's cleanup).
type Simulator struct {
	mu     sync.Mutex
	native *C.rtms_sim_t
}

type options struct {
	scenario, toml, webhookURL, webhookSecret string
	speed                                     float64
	meetings                                  int
}

// Option configures [NewSimulator].
type Option func(*options)

// WithScenario picks a built-in scenario: "minimal" (default), "quick" or "demo".
func WithScenario(name string) Option { return func(o *options) { o.scenario = name } }

// WithScenarioTOML plays a scenario given as TOML text.
func WithScenarioTOML(toml string) Option { return func(o *options) { o.toml = toml } }

// WithSpeed plays the scenario faster (4 = four times as fast).
func WithSpeed(speed float64) Option { return func(o *options) { o.speed = speed } }

// WithMeetings runs n meetings at once.
func WithMeetings(n int) Option { return func(o *options) { o.meetings = n } }

// WithWebhook makes the simulator POST *.rtms_started / *.rtms_stopped to url, signed with
// secret when not empty.
func WithWebhook(url, secret string) Option {
	return func(o *options) { o.webhookURL, o.webhookSecret = url, secret }
}

func cstr(s string) *C.char {
	if s == "" {
		return nil
	}
	return C.CString(s)
}

// Start starts a simulator; the caller closes it.
func Start(opts ...Option) (*Simulator, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	var co C.rtms_sim_options_t
	strs := []*C.char{cstr(o.scenario), cstr(o.toml), cstr(o.webhookURL), cstr(o.webhookSecret)}
	defer func() {
		for _, s := range strs {
			C.free(unsafe.Pointer(s))
		}
	}()
	co.scenario, co.scenario_toml, co.webhook_url, co.webhook_secret = strs[0], strs[1], strs[2], strs[3]
	co.speed = C.double(o.speed)
	co.meetings = C.uint32_t(o.meetings)
	var native *C.rtms_sim_t
	var cerr *C.rtms_error_t
	if code := C.rtms_sim_start(&co, &native, &cerr); code != C.RTMS_OK {
		return nil, nativeError(code, cerr)
	}
	return &Simulator{native: native}, nil
}

// NewSimulator starts a simulator for t and closes it when t ends; it fails t if it cannot start.
func NewSimulator(t testing.TB, opts ...Option) *Simulator {
	t.Helper()
	s, err := Start(opts...)
	if err != nil {
		t.Fatalf("rtmstest: starting the simulator: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

func nativeError(code C.rtms_code_t, e *C.rtms_error_t) error {
	if e == nil {
		return &rtms.Error{Code: rtms.Code(code)}
	}
	defer C.rtms_error_free(e)
	return &rtms.Error{Code: rtms.Code(e.code), Status: int64(e.status), Message: C.GoString(e.message)}
}

func (s *Simulator) handle() *C.rtms_sim_t {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.native
}

// Meetings is how many meetings run.
func (s *Simulator) Meetings() int { return int(C.rtms_sim_meeting_count(s.handle())) }

// JoinParams are the params to join meeting i, with the simulator's credentials.
func (s *Simulator) JoinParams(i int) rtms.JoinParams {
	n := s.handle()
	return rtms.JoinParams{
		Product:      rtms.ProductMeeting,
		InstanceID:   C.GoString(C.rtms_sim_meeting_uuid(n, C.size_t(i))),
		StreamID:     C.GoString(C.rtms_sim_meeting_stream_id(n, C.size_t(i))),
		ServerURLs:   C.GoString(C.rtms_sim_meeting_server_urls(n, C.size_t(i))),
		ClientID:     C.GoString(C.rtms_sim_client_id(n)),
		ClientSecret: C.GoString(C.rtms_sim_client_secret(n)),
	}
}

// Wait waits until every meeting has ended (at most timeout) and returns the summary.
func (s *Simulator) Wait(timeout time.Duration) (*Summary, error) {
	var out *C.char
	var cerr *C.rtms_error_t
	ms := max(timeout.Milliseconds(), 1)
	if code := C.rtms_sim_wait_json(s.handle(), C.uint32_t(ms), &out, &cerr); code != C.RTMS_OK {
		return nil, nativeError(code, cerr)
	}
	defer C.rtms_string_free(out)
	return parse(C.GoString(out))
}

// Summary is the summary as of now.
func (s *Simulator) Summary() (*Summary, error) {
	out := C.rtms_sim_summary_json(s.handle())
	if out == nil {
		return nil, fmt.Errorf("rtmstest: no summary (simulator closed?)")
	}
	defer C.rtms_string_free(out)
	return parse(C.GoString(out))
}

func parse(text string) (*Summary, error) {
	var sum Summary
	if err := json.Unmarshal([]byte(text), &sum); err != nil {
		return nil, fmt.Errorf("rtmstest: summary: %w", err)
	}
	return &sum, nil
}

// EndMeeting ends every meeting now with this stop reason.
func (s *Simulator) EndMeeting(reason rtms.StopReason) {
	C.rtms_sim_end_meeting(s.handle(), C.int32_t(reason))
}

// RefuseNextHandshake answers the next handshake with this Zoom status code.
func (s *Simulator) RefuseNextHandshake(status int) {
	C.rtms_sim_refuse_next_handshake(s.handle(), C.int64_t(status))
}

// IgnoreHandshakes leaves handshakes unanswered while on (to test timeouts and cancellation).
func (s *Simulator) IgnoreHandshakes(on bool) { C.rtms_sim_ignore_handshakes(s.handle(), C.bool(on)) }

// Close shuts the simulator down. Idempotent.
func (s *Simulator) Close() {
	s.mu.Lock()
	n := s.native
	s.native = nil
	s.mu.Unlock()
	if n != nil {
		C.rtms_sim_free(n)
	}
}
