package rtmstest

import "encoding/json"

// Summary is what the simulator sent and saw, per meeting (rtms-sim's summary JSON).
type Summary struct {
	Meetings []MeetingSummary `json:"meetings"`
}

// MeetingSummary describes one meeting.
type MeetingSummary struct {
	MeetingUUID string                `json:"meeting_uuid"`
	StreamID    string                `json:"rtms_stream_id"`
	Started     bool                  `json:"started"`
	Ended       bool                  `json:"ended"`
	StopReason  *int                  `json:"stop_reason"`
	Media       map[string]MediaStats `json:"media"`
	Users       []UserMediaStats      `json:"users"`
	Transcripts []string              `json:"transcripts"`
	Chats       []string              `json:"chats"`
	Events      []json.RawMessage     `json:"events"`
	States      []json.RawMessage     `json:"states"`
	Faults      []string              `json:"faults"`
	Observed    json.RawMessage       `json:"observed"`
}

// MediaStats counts one media type: packets, payload bytes and the CRC32 (IEEE) of the
// concatenated payloads in send order.
type MediaStats struct {
	Packets uint64 `json:"packets"`
	Bytes   uint64 `json:"bytes"`
	CRC32   uint32 `json:"crc32"`
}

// UserMediaStats is [MediaStats] of one user on one media type.
type UserMediaStats struct {
	Media    string `json:"media"`
	UserID   int64  `json:"user_id"`
	UserName string `json:"user_name"`
	Packets  uint64 `json:"packets"`
	Bytes    uint64 `json:"bytes"`
	CRC32    uint32 `json:"crc32"`
}

// MediaStats of one type ("audio", "video", "deskshare", "transcript", "chat"); zero if none.
func (m MeetingSummary) MediaStats(kind string) MediaStats { return m.Media[kind] }

// EventTypes are the event_type of every meeting event sent, in order.
func (m MeetingSummary) EventTypes() []int {
	out := make([]int, 0, len(m.Events))
	for _, raw := range m.Events {
		var e struct {
			Type int `json:"event_type"`
		}
		if json.Unmarshal(raw, &e) == nil {
			out = append(out, e.Type)
		}
	}
	return out
}
