package rtms

// The //export trampolines the native dispatcher thread calls (one client's callbacks run one
// at a time, in arrival order). user_data carries a cgo.Handle to the client's *dispatch; no
// Go pointer is kept in C. Everything a callback gets is copied into Go memory first.

/*
#include "rtms.h"
*/
import "C"

import (
	"log"
	"runtime/cgo"
	"unsafe"
)

func lookup(ud unsafe.Pointer) *dispatch {
	d, _ := cgo.Handle(uintptr(ud)).Value().(*dispatch)
	return d
}

// guard keeps a panicking callback from unwinding into native code.
func guard(what string) {
	if r := recover(); r != nil {
		log.Printf("rtms: %s callback panicked: %v", what, r)
	}
}

func goBytes(p *C.uint8_t, n C.size_t) []byte {
	if p == nil || n == 0 {
		return []byte{}
	}
	src := unsafe.Slice((*byte)(unsafe.Pointer(p)), int(n))
	return append([]byte(nil), src...)
}

func goString(p *C.char) string {
	if p == nil {
		return ""
	}
	return C.GoString(p)
}

//export rtmsgoFreeUserData
func rtmsgoFreeUserData(ud unsafe.Pointer) {
	cgo.Handle(uintptr(ud)).Delete()
}

//export rtmsgoOnJoinConfirm
func rtmsgoOnJoinConfirm(ud unsafe.Pointer, reason C.int64_t) {
	if d := lookup(ud); d != nil {
		defer guard("join confirm")
		d.event(JoinConfirm{Reason: int64(reason)})
	}
}

//export rtmsgoOnLeave
func rtmsgoOnLeave(ud unsafe.Pointer, reason C.int32_t, e *C.rtms_error_t) {
	if d := lookup(ud); d != nil {
		defer guard("leave")
		d.leave(Leave{Reason: StopReason(reason), Err: borrowedError(e)})
	}
}

//export rtmsgoOnMedia
func rtmsgoOnMedia(ud unsafe.Pointer, m *C.rtms_media_t) {
	d := lookup(ud)
	if d == nil {
		return
	}
	defer guard("media")
	data := goBytes(m.data, m.len)
	name := goString(m.user_name)
	switch kind := MediaType(m.media_type); kind {
	case MediaAudio:
		d.audioFrame(AudioFrame{Data: data, UserID: int64(m.user_id), UserName: name, ChannelID: goString(m.channel_id), Timestamp: uint64(m.timestamp), Attributed: bool(m.attributed)})
	case MediaVideo, MediaDeskshare:
		d.videoFrame(VideoFrame{Type: kind, Data: data, UserID: int64(m.user_id), UserName: name, Timestamp: uint64(m.timestamp)})
	case MediaTranscript:
		d.transcript(TranscriptSegment{
			Text: string(data), UserID: int64(m.user_id), UserName: name, Timestamp: uint64(m.timestamp),
			Start: uint64(m.start_time), End: uint64(m.end_time), Language: int32(m.language), Attribute: int32(m.attribute), SentenceID: int64(m.sentence_id),
		})
	case MediaChat:
		d.chat(ChatMessage{Text: string(data), UserID: int64(m.user_id), UserName: name, Timestamp: uint64(m.timestamp)})
	}
}

//export rtmsgoOnSessionUpdate
func rtmsgoOnSessionUpdate(ud unsafe.Pointer, op C.int32_t, s *C.rtms_session_t) {
	if d := lookup(ud); d != nil {
		defer guard("session update")
		d.event(SessionUpdate{Op: SessionOp(op), Session: SessionInfo{
			SessionID: goString(s.session_id), StreamID: goString(s.stream_id), MeetingID: goString(s.meeting_id),
			StatTime: uint64(s.stat_time), State: int32(s.state), IsPaused: bool(s.is_paused),
		}})
	}
}

//export rtmsgoOnStreamState
func rtmsgoOnStreamState(ud unsafe.Pointer, state C.int32_t, reason C.int32_t, ts C.uint64_t) {
	if d := lookup(ud); d != nil {
		defer guard("stream state")
		d.event(StreamState{State: int32(state), Reason: StopReason(reason), Timestamp: uint64(ts)})
	}
}

//export rtmsgoOnUserUpdate
func rtmsgoOnUserUpdate(ud unsafe.Pointer, op C.int32_t, p *C.rtms_participant_t) {
	if d := lookup(ud); d != nil {
		defer guard("user update")
		d.event(UserUpdate{Op: UserOp(op), Participant: Participant{UserID: int64(p.user_id), UserName: goString(p.user_name)}})
	}
}

//export rtmsgoOnParticipants
func rtmsgoOnParticipants(ud unsafe.Pointer, joined C.bool, ts C.uint64_t, list *C.rtms_participant_t, n C.size_t) {
	d := lookup(ud)
	if d == nil {
		return
	}
	defer guard("participants")
	people := make([]Participant, 0, int(n))
	if list != nil {
		for _, p := range unsafe.Slice(list, int(n)) {
			people = append(people, Participant{UserID: int64(p.user_id), UserName: goString(p.user_name)})
		}
	}
	d.event(ParticipantsChanged{Joined: bool(joined), Timestamp: uint64(ts), Participants: people})
}

//export rtmsgoOnActiveSpeaker
func rtmsgoOnActiveSpeaker(ud unsafe.Pointer, ts C.uint64_t, userID C.int64_t, name *C.char) {
	if d := lookup(ud); d != nil {
		defer guard("active speaker")
		d.event(ActiveSpeaker{Timestamp: uint64(ts), UserID: int64(userID), UserName: goString(name)})
	}
}

//export rtmsgoOnSharing
func rtmsgoOnSharing(ud unsafe.Pointer, started C.bool, ts C.uint64_t, userID C.int64_t, name *C.char) {
	if d := lookup(ud); d != nil {
		defer guard("sharing")
		d.event(Sharing{Started: bool(started), Timestamp: uint64(ts), UserID: int64(userID), UserName: goString(name)})
	}
}

//export rtmsgoOnMediaInterrupted
func rtmsgoOnMediaInterrupted(ud unsafe.Pointer, ts C.uint64_t) {
	if d := lookup(ud); d != nil {
		defer guard("media interrupted")
		d.event(MediaInterrupted{Timestamp: uint64(ts)})
	}
}

//export rtmsgoOnParticipantVideo
func rtmsgoOnParticipantVideo(ud unsafe.Pointer, on C.bool, ts C.uint64_t, ids *C.int64_t, n C.size_t) {
	d := lookup(ud)
	if d == nil {
		return
	}
	defer guard("participant video")
	users := make([]int64, 0, int(n))
	if ids != nil {
		for _, id := range unsafe.Slice(ids, int(n)) {
			users = append(users, int64(id))
		}
	}
	d.event(ParticipantVideo{On: bool(on), Timestamp: uint64(ts), UserIDs: users})
}

//export rtmsgoOnVideoSubscribed
func rtmsgoOnVideoSubscribed(ud unsafe.Pointer, userID C.int64_t, status C.int64_t, reason *C.char) {
	if d := lookup(ud); d != nil {
		defer guard("video subscribed")
		d.event(VideoSubscribed{UserID: int64(userID), Status: int64(status), Reason: goString(reason)})
	}
}

//export rtmsgoOnEventEx
func rtmsgoOnEventEx(ud unsafe.Pointer, eventType C.int32_t, json *C.char) {
	if d := lookup(ud); d != nil {
		defer guard("event")
		d.event(RawEvent{Type: EventType(eventType), JSON: goString(json)})
	}
}

//export rtmsgoOnAudioMetadata
func rtmsgoOnAudioMetadata(ud unsafe.Pointer, json *C.char) {
	if d := lookup(ud); d != nil {
		defer guard("audio metadata")
		d.event(AudioMetadata{JSON: goString(json)})
	}
}

//export rtmsgoOnStateResponse
func rtmsgoOnStateResponse(ud unsafe.Pointer, msgType C.int64_t, state C.int32_t, ts C.uint64_t) {
	if d := lookup(ud); d != nil {
		defer guard("state response")
		d.event(StateResponse{MsgType: int64(msgType), State: int32(state), Timestamp: uint64(ts)})
	}
}
