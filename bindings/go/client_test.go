package rtms_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	rtms "github.com/rtms-rs/rtms/bindings/go"
	"github.com/rtms-rs/rtms/bindings/go/rtmstest"
)

var (
	l16Multi = rtms.AudioParams{ContentType: rtms.ContentRawAudio, SampleRate: rtms.SampleRate16K, Channel: rtms.ChannelMono, Codec: rtms.CodecL16, DataOpt: rtms.AudioMultiStreams, SendRate: 20}
	jpg      = rtms.VideoParams{ContentType: rtms.ContentRawVideo, Codec: rtms.CodecJPG, Resolution: rtms.ResolutionSD, DataOpt: rtms.VideoSingleActiveStream, FPS: 5}
	png      = rtms.DeskshareParams{ContentType: rtms.ContentRawVideo, Codec: rtms.CodecPNG, Resolution: rtms.ResolutionSD, FPS: 1}
)

func newClient(t *testing.T, opts ...rtms.Option) *rtms.Client {
	t.Helper()
	c, err := rtms.NewClient(opts...)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestVersion(t *testing.T) {
	if rtms.Version() == "" || rtms.NativeABIVersion() != rtms.ABIVersion {
		t.Fatalf("version %q, ABI %d (package expects %d)", rtms.Version(), rtms.NativeABIVersion(), rtms.ABIVersion)
	}
}

// Every media type (channels and callbacks) and every event arrive as the simulator sent them.
func TestEveryMediaTypeAndEvent(t *testing.T) {
	sim := rtmstest.NewSimulator(t, rtmstest.WithScenario("quick"), rtmstest.WithSpeed(4))
	events := make([]rtms.EventType, 0, 9)
	for e := rtms.EventFirstPacketTimestamp; e <= rtms.EventParticipantVideoOff; e++ {
		events = append(events, e)
	}
	c := newClient(t, rtms.WithAudioParams(l16Multi), rtms.WithVideoParams(jpg), rtms.WithDeskshareParams(png),
		rtms.WithTranscriptParams(rtms.DefaultTranscriptParams()), rtms.WithMedia(rtms.MediaChat), rtms.WithEvents(events...))

	var audio, video, share, transcript, chat tally
	var mu sync.Mutex
	var texts, chats []string
	var got []rtms.Event
	// Audio, screen share, chat and events through channels; video and transcripts through callbacks.
	var readers sync.WaitGroup
	drain := func(f func()) { readers.Add(1); go func() { defer readers.Done(); f() }() }
	audioCh, shareCh, chatCh, eventCh := c.Audio(), c.Deskshare(), c.Chat(), c.Events()
	drain(func() {
		for f := range audioCh {
			if f.UserName == "" {
				t.Errorf("audio without user name")
			}
			audio.add(f.Data)
		}
	})
	drain(func() {
		for f := range shareCh {
			share.add(f.Data)
		}
	})
	drain(func() {
		for m := range chatCh {
			chat.add([]byte(m.Text))
			mu.Lock()
			chats = append(chats, m.Text)
			mu.Unlock()
		}
	})
	drain(func() {
		for e := range eventCh {
			mu.Lock()
			got = append(got, e)
			mu.Unlock()
		}
	})
	c.OnVideoData(func(f rtms.VideoFrame) { video.add(f.Data) })
	c.OnTranscriptData(func(s rtms.TranscriptSegment) {
		transcript.add([]byte(s.Text))
		if s.Start == 0 || s.End == 0 {
			t.Errorf("transcript without start/end: %+v", s)
		}
		mu.Lock()
		texts = append(texts, s.Text)
		mu.Unlock()
	})

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.Run(ctx, sim.JoinParams(0)); err != nil {
		t.Fatalf("Run: %v", err)
	}
	sum, err := sim.Wait(10 * time.Second)
	if err != nil {
		t.Fatalf("Wait: %v", err)
	}
	c.Close() // closes the channels once everything was delivered
	readers.Wait()
	m := sum.Meetings[0]
	for kind, tl := range map[string]*tally{"audio": &audio, "video": &video, "deskshare": &share, "transcript": &transcript, "chat": &chat} {
		sent := m.MediaStats(kind)
		p, b, crc := tl.get()
		if sent.Packets == 0 || p != sent.Packets || b != sent.Bytes || crc != sent.CRC32 {
			t.Errorf("%s: received %d packets, %d bytes, crc %08x; sent %+v", kind, p, b, crc, sent)
		}
	}
	if !equal(texts, m.Transcripts) || !equal(chats, m.Chats) {
		t.Errorf("texts differ: transcripts %q vs %q, chats %q vs %q", texts, m.Transcripts, chats, m.Chats)
	}

	if len(got) == 0 || got[0] != (rtms.JoinConfirm{Reason: 0}) {
		t.Fatalf("first event %v", got)
	}
	leave, ok := got[len(got)-1].(rtms.Leave)
	if !ok || m.StopReason == nil || int(leave.Reason) != *m.StopReason || leave.Err != nil {
		t.Errorf("last event %#v, stop reason %v", got[len(got)-1], m.StopReason)
	}
	var raw []int
	seen := map[string]bool{}
	for _, e := range got {
		switch e := e.(type) {
		case rtms.RawEvent:
			raw = append(raw, int(e.Type))
			if !json.Valid([]byte(e.JSON)) {
				t.Errorf("raw event is not JSON: %q", e.JSON)
			}
		case rtms.SessionUpdate:
			seen["session"] = e.Op == rtms.SessionAdd && e.Session.StreamID == m.StreamID || seen["session"]
		case rtms.ActiveSpeaker:
			seen["speaker"] = e.UserID != 0 && e.UserName != "" || seen["speaker"]
		case rtms.ParticipantsChanged:
			seen["joined"] = e.Joined && len(e.Participants) > 0 || seen["joined"]
		case rtms.UserUpdate:
			seen["user left"] = e.Op == rtms.UserLeave || seen["user left"]
		case rtms.Sharing:
			seen["sharing"] = true
		case rtms.ParticipantVideo:
			seen["video on"] = e.On && len(e.UserIDs) > 0 || seen["video on"]
		}
	}
	if want := m.EventTypes(); !equalInts(raw, want) {
		t.Errorf("raw event types %v, sent %v", raw, want)
	}
	for _, k := range []string{"session", "speaker", "joined", "user left", "sharing", "video on"} {
		if !seen[k] {
			t.Errorf("no %s event", k)
		}
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Cancelling Run's context while media flows leaves the stream (reason 20) and returns ctx.Err().
func TestContextCancellationLeaves(t *testing.T) {
	sim := rtmstest.NewSimulator(t, rtmstest.WithScenario("quick"), rtmstest.WithSpeed(1))
	c := newClient(t, rtms.WithAudioParams(l16Multi))
	ctx, cancel := context.WithCancel(context.Background())
	var once sync.Once
	c.OnAudioData(func(rtms.AudioFrame) { once.Do(cancel) })
	var leaveReason rtms.StopReason = -1
	c.OnLeave(func(r rtms.StopReason, err error) { leaveReason = r })
	start := time.Now()
	err := c.Run(ctx, sim.JoinParams(0))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run: %v, want context.Canceled", err)
	}
	if time.Since(start) > 4*time.Second || c.IsJoined() {
		t.Fatalf("after %v joined=%v", time.Since(start), c.IsJoined())
	}
	select {
	case <-c.Done():
	default:
		t.Fatal("Done not closed after Run returned")
	}
	if leaveReason != rtms.StopReceiverRequestClose {
		t.Errorf("leave reason %d", leaveReason)
	}
	sum, _ := sim.Summary()
	var observed struct {
		Closes int `json:"stream_close_requests"`
	}
	_ = json.Unmarshal(sum.Meetings[0].Observed, &observed)
	if observed.Closes != 1 {
		t.Errorf("stream close requests: %d", observed.Closes)
	}
	if err := c.Leave(context.Background()); !errors.Is(err, rtms.ErrInvalidStatus) {
		t.Errorf("second leave: %v", err)
	}
}

// Cancelling a join that hangs (handshake never answered) returns promptly.
func TestCancelJoin(t *testing.T) {
	sim := rtmstest.NewSimulator(t)
	sim.IgnoreHandshakes(true)
	c := newClient(t, rtms.WithMedia(rtms.MediaTranscript))
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	p := sim.JoinParams(0)
	p.Timeout = 20 * time.Second
	start := time.Now()
	if err := c.Join(ctx, p); !errors.Is(err, context.Canceled) {
		t.Fatalf("Join: %v", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("cancel took %v", d)
	}
	// The cancelled native join still holds c until its own timeout; a deadline bounds a join too.
	c2 := newClient(t, rtms.WithMedia(rtms.MediaTranscript))
	ctx2, cancel2 := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel2()
	if err := c2.Join(ctx2, p); !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, rtms.ErrTimeout) {
		t.Fatalf("Join with deadline: %v", err)
	}
}

func TestRefusedJoinAndBadParams(t *testing.T) {
	sim := rtmstest.NewSimulator(t)
	c := newClient(t, rtms.WithMedia(rtms.MediaAudio))
	p := sim.JoinParams(0)
	p.ClientSecret = "wrong"
	err := c.Join(context.Background(), p)
	var e *rtms.Error
	if !errors.Is(err, rtms.ErrRefused) || !errors.As(err, &e) || e.Status != 3 || e.Message == "" {
		t.Fatalf("Join with a wrong secret: %#v", err)
	}
	bad := l16Multi
	bad.Codec = rtms.CodecOpus // OPUS needs 48 kHz
	if err := c.SetAudioParams(bad); !errors.Is(err, rtms.ErrInvalidArgs) {
		t.Fatalf("SetAudioParams: %v", err)
	}
	if _, err := rtms.NewClient(rtms.WithVideoParams(rtms.VideoParams{Codec: rtms.CodecJPG, FPS: 30})); !errors.Is(err, rtms.ErrInvalidArgs) {
		t.Fatalf("NewClient with bad video params: %v", err)
	}
}

// Two clients in two meetings at once each get their own meeting's media.
func TestTwoClientsAtOnce(t *testing.T) {
	sim := rtmstest.NewSimulator(t, rtmstest.WithMeetings(2), rtmstest.WithSpeed(4))
	var tallies [2]tally
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for i := range 2 {
		c := newClient(t, rtms.WithAudioParams(l16Multi))
		c.OnAudioData(func(f rtms.AudioFrame) { tallies[i].add(f.Data) })
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			errs <- c.Run(ctx, sim.JoinParams(i))
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	sum, err := sim.Wait(10 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range sum.Meetings {
		sent := m.MediaStats("audio")
		p, b, crc := tallies[i].get()
		if sent.Packets == 0 || p != sent.Packets || b != sent.Bytes || crc != sent.CRC32 {
			t.Errorf("meeting %d: received %d/%d/%08x, sent %+v", i, p, b, crc, sent)
		}
	}
}
