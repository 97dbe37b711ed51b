package rtms

// Event is anything a joined client reports besides media: one of the types below. Use a
// type switch.
type Event interface{ isEvent() }

// JoinConfirm: the join finished; Reason is 0 on success, else the official join code.
type JoinConfirm struct{ Reason int64 }

// Leave: the stream ended. Err says what failed when the client (not the server) ended it.
type Leave struct {
	Reason StopReason
	Err    error
}

// SessionInfo describes the session of a [SessionUpdate].
type SessionInfo struct {
	SessionID string
	StreamID  string
	// MeetingID is the instance id the client joined with.
	MeetingID string
	// StatTime is the session start, Unix ms.
	StatTime uint64
	State    int32
	IsPaused bool
}

// SessionUpdate: a session was added, paused, resumed or stopped.
type SessionUpdate struct {
	Op      SessionOp
	Session SessionInfo
}

// StreamState: a stream state change other than the final one.
type StreamState struct {
	State     int32
	Reason    StopReason
	Timestamp uint64
}

// Participant is one meeting participant.
type Participant struct {
	UserID   int64
	UserName string
}

// UserUpdate: one participant joined or left.
type UserUpdate struct {
	Op          UserOp
	Participant Participant
}

// ParticipantsChanged: participants joined (Joined) or left, as one event.
type ParticipantsChanged struct {
	Joined       bool
	Timestamp    uint64
	Participants []Participant
}

// ActiveSpeaker: the active speaker changed.
type ActiveSpeaker struct {
	Timestamp uint64
	UserID    int64
	UserName  string
}

// Sharing: screen sharing started or stopped (UserID 0 when unknown).
type Sharing struct {
	Started   bool
	Timestamp uint64
	UserID    int64
	UserName  string
}

// MediaInterrupted: the media connection was interrupted.
type MediaInterrupted struct{ Timestamp uint64 }

// ParticipantVideo: participants turned their video on or off.
type ParticipantVideo struct {
	On        bool
	Timestamp uint64
	UserIDs   []int64
}

// VideoSubscribed answers [Client.SubscribeVideo].
type VideoSubscribed struct {
	UserID int64
	Status int64
	Reason string
}

// RawEvent is every meeting event, known or not, as compact JSON (the official onEventEx).
type RawEvent struct {
	Type EventType
	JSON string
}

// AudioMetadata is AI-interpreter metadata, as JSON.
type AudioMetadata struct{ JSON string }

// StateResponse answers a stream-state or session-state request.
type StateResponse struct {
	MsgType   int64
	State     int32
	Timestamp uint64
}

func (JoinConfirm) isEvent()         {}
func (Leave) isEvent()               {}
func (SessionUpdate) isEvent()       {}
func (StreamState) isEvent()         {}
func (UserUpdate) isEvent()          {}
func (ParticipantsChanged) isEvent() {}
func (ActiveSpeaker) isEvent()       {}
func (Sharing) isEvent()             {}
func (MediaInterrupted) isEvent()    {}
func (ParticipantVideo) isEvent()    {}
func (VideoSubscribed) isEvent()     {}
func (RawEvent) isEvent()            {}
func (AudioMetadata) isEvent()       {}
func (StateResponse) isEvent()       {}
