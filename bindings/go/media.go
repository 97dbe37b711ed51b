package rtms

// AudioFrame is one audio packet. Data is a copy owned by the receiver.
type AudioFrame struct {
	Data []byte
	// UserID is the speaker; 0 for a mixed stream.
	UserID   int64
	UserName string
	// ChannelID identifies the source in Contact Center streams.
	ChannelID string
	// Timestamp is Unix ms.
	Timestamp uint64
	// Attributed is true when the client attributed mixed audio to the active speaker.
	Attributed bool
}

// VideoFrame is one video or screen-share frame (H.264 NAL units, JPG or PNG).
type VideoFrame struct {
	// Type is MediaVideo or MediaDeskshare.
	Type      MediaType
	Data      []byte
	UserID    int64
	UserName  string
	Timestamp uint64
}

// TranscriptSegment is one transcript line.
type TranscriptSegment struct {
	Text      string
	UserID    int64
	UserName  string
	Timestamp uint64
	// Start and End are Unix ms (0 when absent).
	Start, End uint64
	// Language, Attribute and SentenceID are -1 when absent.
	Language   int32
	Attribute  int32
	SentenceID int64
}

// ChatMessage is one chat message.
type ChatMessage struct {
	Text      string
	UserID    int64
	UserName  string
	Timestamp uint64
}
