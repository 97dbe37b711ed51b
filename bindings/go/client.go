package rtms

/*
#include <stdint.h>
#include <stdlib.h>
#include "rtms.h"

extern rtms_callbacks_t rtmsgo_callbacks(uintptr_t handle);
*/
import "C"

import (
	"context"
	"runtime/cgo"
	"sync"
	"time"
	"unsafe"
)

// Client receives one RTMS stream at a time. Create it with [NewClient], register callbacks
// or take channels, then [Client.Join] (or [Client.Run]); [Client.Close] frees it. Methods are
// safe for concurrent use.
type Client struct {
	mu       sync.Mutex
	native   *C.rtms_client_t
	d        *dispatch
	inflight sync.WaitGroup // blocking native calls in progress
	closed   bool
}

// NewClient creates a client with its native dispatcher thread.
func NewClient(opts ...Option) (*Client, error) {
	var native *C.rtms_client_t
	var cerr *C.rtms_error_t
	if err := fromC(C.rtms_client_new(&native, &cerr), cerr); err != nil {
		return nil, err
	}
	d := &dispatch{buffer: 256, closing: make(chan struct{})}
	c := &Client{native: native, d: d}
	cb := C.rtmsgo_callbacks(C.uintptr_t(cgo.NewHandle(d)))
	if err := fromC(C.rtms_client_set_callbacks(native, &cb, &cerr), cerr); err != nil {
		C.rtms_client_free(native)
		return nil, err
	}
	for _, opt := range opts {
		if err := opt(c); err != nil {
			c.Close()
			return nil, err
		}
	}
	return c, nil
}

// acquire returns the native handle for a call, or ErrClosed; release with c.inflight.Done.
func (c *Client) acquire() (*C.rtms_client_t, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil, ErrClosed
	}
	c.inflight.Add(1)
	return c.native, nil
}

// do runs a native call that returns a status and an error.
func (c *Client) do(f func(*C.rtms_client_t, **C.rtms_error_t) C.rtms_code_t) error {
	native, err := c.acquire()
	if err != nil {
		return err
	}
	defer c.inflight.Done()
	var cerr *C.rtms_error_t
	return fromC(f(native, &cerr), cerr)
}

// OnJoinConfirm registers a func for the join outcome (0 on success, else the join code).
func (c *Client) OnJoinConfirm(f func(reason int64)) {
	c.set(func(d *dispatch) { d.onJoinConfirm = f })
}

// OnLeave registers a func for the end of the stream.
func (c *Client) OnLeave(f func(reason StopReason, err error)) {
	c.set(func(d *dispatch) { d.onLeave = f })
}

// OnAudioData registers a func for every audio packet.
func (c *Client) OnAudioData(f func(AudioFrame)) { c.set(func(d *dispatch) { d.onAudio = f }) }

// OnVideoData registers a func for every video frame.
func (c *Client) OnVideoData(f func(VideoFrame)) { c.set(func(d *dispatch) { d.onVideo = f }) }

// OnDeskshareData registers a func for every screen-share frame.
func (c *Client) OnDeskshareData(f func(VideoFrame)) { c.set(func(d *dispatch) { d.onDeskshare = f }) }

// OnTranscriptData registers a func for every transcript line.
func (c *Client) OnTranscriptData(f func(TranscriptSegment)) {
	c.set(func(d *dispatch) { d.onTranscript = f })
}

// OnChatData registers a func for every chat message.
func (c *Client) OnChatData(f func(ChatMessage)) { c.set(func(d *dispatch) { d.onChat = f }) }

// OnEvent registers a func for every non-media [Event] (join, leave, session, participants, ...).
func (c *Client) OnEvent(f func(Event)) { c.set(func(d *dispatch) { d.onEvent = f }) }

func (c *Client) set(f func(*dispatch)) {
	c.d.mu.Lock()
	defer c.d.mu.Unlock()
	f(c.d)
}

// Audio is a channel of every audio packet from the first call on; read it until it closes
// (at Close), or the dispatcher waits for you.
func (c *Client) Audio() <-chan AudioFrame { return lazyChan(c.d, &c.d.audio) }

// Video is a channel of video frames (see [Client.Audio]).
func (c *Client) Video() <-chan VideoFrame { return lazyChan(c.d, &c.d.video) }

// Deskshare is a channel of screen-share frames (see [Client.Audio]).
func (c *Client) Deskshare() <-chan VideoFrame { return lazyChan(c.d, &c.d.deskshare) }

// Transcripts is a channel of transcript lines (see [Client.Audio]).
func (c *Client) Transcripts() <-chan TranscriptSegment { return lazyChan(c.d, &c.d.transcripts) }

// Chat is a channel of chat messages (see [Client.Audio]).
func (c *Client) Chat() <-chan ChatMessage { return lazyChan(c.d, &c.d.chats) }

// Events is a channel of every non-media [Event], a [Leave] ending each stream (see [Client.Audio]).
func (c *Client) Events() <-chan Event { return lazyChan(c.d, &c.d.events) }

// EnableMedia enables media types.
func (c *Client) EnableMedia(types MediaType) error {
	return c.do(func(n *C.rtms_client_t, e **C.rtms_error_t) C.rtms_code_t {
		return C.rtms_client_enable_media(n, C.uint32_t(types), e)
	})
}

// SetAudioParams sets audio params (validated natively with the official rules).
func (c *Client) SetAudioParams(p AudioParams) error {
	cp := C.rtms_audio_params_t{C.int32_t(p.ContentType), C.int32_t(p.SampleRate), C.int32_t(p.Channel), C.int32_t(p.Codec), C.int32_t(p.DataOpt), C.int32_t(p.SendRate)}
	return c.do(func(n *C.rtms_client_t, e **C.rtms_error_t) C.rtms_code_t {
		return C.rtms_client_set_audio_params(n, &cp, e)
	})
}

// SetVideoParams sets video params.
func (c *Client) SetVideoParams(p VideoParams) error {
	cp := C.rtms_video_params_t{C.int32_t(p.ContentType), C.int32_t(p.Codec), C.int32_t(p.Resolution), C.int32_t(p.DataOpt), C.int32_t(p.FPS)}
	return c.do(func(n *C.rtms_client_t, e **C.rtms_error_t) C.rtms_code_t {
		return C.rtms_client_set_video_params(n, &cp, e)
	})
}

// SetDeskshareParams sets screen-share params.
func (c *Client) SetDeskshareParams(p DeskshareParams) error {
	cp := C.rtms_deskshare_params_t{C.int32_t(p.ContentType), C.int32_t(p.Codec), C.int32_t(p.Resolution), C.int32_t(p.FPS)}
	return c.do(func(n *C.rtms_client_t, e **C.rtms_error_t) C.rtms_code_t {
		return C.rtms_client_set_deskshare_params(n, &cp, e)
	})
}

// SetTranscriptParams sets transcript params.
func (c *Client) SetTranscriptParams(p TranscriptParams) error {
	cp := C.rtms_transcript_params_t{content_type: C.int32_t(p.ContentType), src_language: C.int32_t(p.SrcLanguage), enable_lid: C.bool(p.EnableLID)}
	return c.do(func(n *C.rtms_client_t, e **C.rtms_error_t) C.rtms_code_t {
		return C.rtms_client_set_transcript_params(n, &cp, e)
	})
}

// SetMediaLayout chooses split or combined media connections.
func (c *Client) SetMediaLayout(l MediaLayout) error {
	return c.do(func(n *C.rtms_client_t, e **C.rtms_error_t) C.rtms_code_t {
		return C.rtms_client_set_media_layout(n, C.int32_t(l), e)
	})
}

// SubscribeEvents subscribes to meeting event types (before or after joining).
func (c *Client) SubscribeEvents(types ...EventType) error {
	if len(types) == 0 {
		return nil
	}
	list := (*C.int32_t)(C.malloc(C.size_t(len(types)) * C.size_t(unsafe.Sizeof(C.int32_t(0)))))
	defer C.free(unsafe.Pointer(list))
	for i, t := range types {
		unsafe.Slice(list, len(types))[i] = C.int32_t(t)
	}
	return c.do(func(n *C.rtms_client_t, e **C.rtms_error_t) C.rtms_code_t {
		return C.rtms_client_subscribe_events(n, list, C.size_t(len(types)), e)
	})
}

// SubscribeVideo starts (or stops) one participant's video; a [VideoSubscribed] answers.
func (c *Client) SubscribeVideo(userID int64, subscribe bool) error {
	return c.do(func(n *C.rtms_client_t, e **C.rtms_error_t) C.rtms_code_t {
		return C.rtms_client_subscribe_video(n, C.int64_t(userID), C.bool(subscribe), e)
	})
}

// cJoin holds the C copy of JoinParams.
type cJoin struct {
	p       C.rtms_join_params_t
	strings []*C.char
}

func (j *cJoin) str(s string) *C.char {
	if s == "" {
		return nil
	}
	cs := C.CString(s)
	j.strings = append(j.strings, cs)
	return cs
}

func (j *cJoin) free() {
	for _, s := range j.strings {
		C.free(unsafe.Pointer(s))
	}
}

func joinTimeout(ctx context.Context, p JoinParams) time.Duration {
	t := p.Timeout
	if deadline, ok := ctx.Deadline(); ok {
		if left := time.Until(deadline); t == 0 || left < t {
			t = max(left, time.Millisecond)
		}
	}
	return t
}

// Join joins a stream and returns once joined. Cancelling ctx returns ctx.Err() at once; the
// native join goes on in the background until it finishes or times out (a join that completes
// is left at once), and until then another Join on this client fails with
// [ErrInvalidStatus]. The ctx deadline bounds the join. Media and
// events then flow to the callbacks and channels until the stream ends ([Client.Done]).
func (c *Client) Join(ctx context.Context, p JoinParams) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	native, err := c.acquire()
	if err != nil {
		return err
	}
	defer c.inflight.Done()
	var j cJoin
	defer j.free()
	j.p = C.rtms_join_params_t{
		product: C.int32_t(p.Product), instance_id: j.str(p.InstanceID), stream_id: j.str(p.StreamID), server_urls: j.str(p.ServerURLs),
		signature: j.str(p.Signature), client_id: j.str(p.ClientID), client_secret: j.str(p.ClientSecret),
		timeout_ms: C.uint32_t(joinTimeout(ctx, p) / time.Millisecond),
	}
	s := newSession()
	c.set(func(d *dispatch) { d.session = s })
	stop := context.AfterFunc(ctx, func() { C.rtms_client_cancel_join(native) })
	var cerr *C.rtms_error_t
	err = fromC(C.rtms_client_join(native, &j.p, &cerr), cerr)
	stop()
	if err != nil {
		s.end()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return err
	}
	if ctx.Err() != nil {
		C.rtms_client_leave(native, nil)
		return ctx.Err()
	}
	return nil
}

// Done is closed when the current stream has ended and its [Leave] was delivered (at once
// when never joined).
func (c *Client) Done() <-chan struct{} {
	c.d.mu.Lock()
	defer c.d.mu.Unlock()
	if c.d.session == nil {
		c.d.session = newSession()
		c.d.session.end()
	}
	return c.d.session.done
}

// Leave leaves the stream and waits until the leave was delivered, or ctx ends (the leave
// still completes in the background). [ErrInvalidStatus] when not joined.
func (c *Client) Leave(ctx context.Context) error {
	native, err := c.acquire()
	if err != nil {
		return err
	}
	result := make(chan error, 1)
	go func() {
		defer c.inflight.Done()
		var cerr *C.rtms_error_t
		result <- fromC(C.rtms_client_leave(native, &cerr), cerr)
	}()
	select {
	case err := <-result:
		if err != nil {
			return err
		}
		select { // the native leave returns once queued for delivery; wait for the delivery
		case <-c.Done():
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	case <-ctx.Done():
		return ctx.Err()
	}
}

// RequestLeave asks to leave without waiting (safe inside callbacks); reports whether a
// stream was joined.
func (c *Client) RequestLeave() bool {
	native, err := c.acquire()
	if err != nil {
		return false
	}
	defer c.inflight.Done()
	return bool(C.rtms_client_request_leave(native))
}

// IsJoined reports whether a stream is joined.
func (c *Client) IsJoined() bool {
	native, err := c.acquire()
	if err != nil {
		return false
	}
	defer c.inflight.Done()
	return bool(C.rtms_client_is_joined(native))
}

// Run joins and blocks until the stream ends (nil) or ctx is cancelled; then it leaves and
// returns ctx.Err().
func (c *Client) Run(ctx context.Context, p JoinParams) error {
	if err := c.Join(ctx, p); err != nil {
		return err
	}
	select {
	case <-c.Done():
		return nil
	case <-ctx.Done():
		leaveCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if err := c.Leave(leaveCtx); err != nil && !isNotJoined(err) {
			return err
		}
		return ctx.Err()
	}
}

func isNotJoined(err error) bool {
	e, ok := err.(*Error)
	return ok && e.Code == CodeInvalidStatus
}

// Close leaves if joined, delivers what is queued, stops the dispatcher thread, closes the
// channels and frees the native client. It must not be called from a callback. Idempotent.
func (c *Client) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	native := c.native
	c.native = nil
	c.mu.Unlock()

	close(c.d.closing) // channel sends stop blocking
	C.rtms_client_cancel_join(native)
	c.inflight.Wait()
	C.rtms_client_free(native) // frees the cgo.Handle through free_user_data
	c.d.closeChannels()
	if s := c.d.snapshot().session; s != nil {
		s.end()
	}
	return nil
}
