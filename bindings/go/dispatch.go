package rtms

import "sync"

// dispatch is what a client's native callbacks reach (through a cgo.Handle): the registered
// funcs, the channels, and the current session.
type dispatch struct {
	mu      sync.Mutex
	buffer  int
	closing chan struct{} // closed by Close: channel sends stop blocking
	closed  bool          // channels closed

	onJoinConfirm func(reason int64)
	onLeave       func(reason StopReason, err error)
	onAudio       func(AudioFrame)
	onVideo       func(VideoFrame)
	onDeskshare   func(VideoFrame)
	onTranscript  func(TranscriptSegment)
	onChat        func(ChatMessage)
	onEvent       func(Event)

	audio       chan AudioFrame
	video       chan VideoFrame
	deskshare   chan VideoFrame
	transcripts chan TranscriptSegment
	chats       chan ChatMessage
	events      chan Event

	session *session
}

// session is one join: done closes after its leave was delivered (or the join failed).
type session struct {
	done chan struct{}
	once sync.Once
}

func newSession() *session { return &session{done: make(chan struct{})} }

func (s *session) end() { s.once.Do(func() { close(s.done) }) }

// send blocks until the channel takes v or the client is closing (lossless, bounded by the
// reader). A nil channel (never asked for) takes nothing.
func send[T any](ch chan T, v T, closing <-chan struct{}) {
	if ch == nil {
		return
	}
	select {
	case ch <- v:
	case <-closing:
	}
}

// lazyChan returns *ch, making it on first use (closed at once after Close).
func lazyChan[T any](d *dispatch, ch *chan T) chan T {
	d.mu.Lock()
	defer d.mu.Unlock()
	if *ch == nil {
		*ch = make(chan T, d.buffer)
		if d.closed {
			close(*ch)
		}
	}
	return *ch
}

func (d *dispatch) snapshot() dispatch {
	d.mu.Lock()
	defer d.mu.Unlock()
	return dispatch{
		closing: d.closing, onJoinConfirm: d.onJoinConfirm, onLeave: d.onLeave, onAudio: d.onAudio, onVideo: d.onVideo,
		onDeskshare: d.onDeskshare, onTranscript: d.onTranscript, onChat: d.onChat, onEvent: d.onEvent,
		audio: d.audio, video: d.video, deskshare: d.deskshare, transcripts: d.transcripts, chats: d.chats, events: d.events,
		session: d.session,
	}
}

func (d *dispatch) audioFrame(f AudioFrame) {
	s := d.snapshot()
	if s.onAudio != nil {
		s.onAudio(f)
	}
	send(s.audio, f, s.closing)
}

func (d *dispatch) videoFrame(f VideoFrame) {
	s := d.snapshot()
	if f.Type == MediaDeskshare {
		if s.onDeskshare != nil {
			s.onDeskshare(f)
		}
		send(s.deskshare, f, s.closing)
		return
	}
	if s.onVideo != nil {
		s.onVideo(f)
	}
	send(s.video, f, s.closing)
}

func (d *dispatch) transcript(t TranscriptSegment) {
	s := d.snapshot()
	if s.onTranscript != nil {
		s.onTranscript(t)
	}
	send(s.transcripts, t, s.closing)
}

func (d *dispatch) chat(m ChatMessage) {
	s := d.snapshot()
	if s.onChat != nil {
		s.onChat(m)
	}
	send(s.chats, m, s.closing)
}

func (d *dispatch) event(e Event) {
	s := d.snapshot()
	if j, ok := e.(JoinConfirm); ok && s.onJoinConfirm != nil {
		s.onJoinConfirm(j.Reason)
	}
	if s.onEvent != nil {
		s.onEvent(e)
	}
	send(s.events, e, s.closing)
}

func (d *dispatch) leave(l Leave) {
	s := d.snapshot()
	defer func() {
		if s.session != nil {
			s.session.end()
		}
	}()
	if s.onLeave != nil {
		s.onLeave(l.Reason, l.Err)
	}
	d.event(l)
}

// closeChannels closes every channel; called once no callback can run any more.
func (d *dispatch) closeChannels() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.closed = true
	for _, c := range []func(){
		closer(d.audio), closer(d.video), closer(d.deskshare), closer(d.transcripts), closer(d.chats), closer(d.events),
	} {
		c()
	}
}

func closer[T any](ch chan T) func() {
	return func() {
		if ch != nil {
			close(ch)
		}
	}
}
