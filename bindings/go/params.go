package rtms

/*
#include "rtms.h"
*/
import "C"

import "time"

// AudioParams are the audio media params; the native core validates them with the official
// rules.
type AudioParams struct {
	ContentType ContentType
	SampleRate  SampleRate
	Channel     AudioChannel
	Codec       Codec
	DataOpt     DataOption
	// SendRate is the packet interval in ms (the official duration).
	SendRate int
}

// VideoParams are the video media params.
type VideoParams struct {
	ContentType ContentType
	Codec       Codec
	Resolution  Resolution
	DataOpt     DataOption
	FPS         int
}

// DeskshareParams are the screen-share media params.
type DeskshareParams struct {
	ContentType ContentType
	Codec       Codec
	Resolution  Resolution
	FPS         int
}

// TranscriptParams are the transcript media params.
type TranscriptParams struct {
	ContentType ContentType
	// SrcLanguage is a transcript language id; -1 lets Zoom detect it.
	SrcLanguage int
	// EnableLID turns language identification on.
	EnableLID bool
}

// DefaultAudioParams is the official SDK's default: OPUS, 48 kHz, stereo, per participant, 20 ms.
func DefaultAudioParams() AudioParams {
	p := C.rtms_audio_params_default()
	return AudioParams{ContentType(p.content_type), SampleRate(p.sample_rate), AudioChannel(p.channel), Codec(p.codec), DataOption(p.data_opt), int(p.send_rate)}
}

// DefaultVideoParams is the official SDK's default: H.264, HD, active speaker, 30 fps.
func DefaultVideoParams() VideoParams {
	p := C.rtms_video_params_default()
	return VideoParams{ContentType(p.content_type), Codec(p.codec), Resolution(p.resolution), DataOption(p.data_opt), int(p.fps)}
}

// DefaultDeskshareParams is the official SDK's default: H.264, HD, 30 fps.
func DefaultDeskshareParams() DeskshareParams {
	p := C.rtms_deskshare_params_default()
	return DeskshareParams{ContentType(p.content_type), Codec(p.codec), Resolution(p.resolution), int(p.fps)}
}

// DefaultTranscriptParams is text with the language detected by Zoom.
func DefaultTranscriptParams() TranscriptParams {
	p := C.rtms_transcript_params_default()
	return TranscriptParams{ContentType(p.content_type), int(p.src_language), bool(p.enable_lid)}
}

// JoinParams say what to join: the ids from the *.rtms_started webhook.
type JoinParams struct {
	Product Product
	// InstanceID is the meeting uuid, webinar uuid, session id or engagement id, as delivered.
	InstanceID string
	StreamID   string
	// ServerURLs are the signaling URL(s), comma-separated.
	ServerURLs string
	// Signature is a precomputed signature; empty computes it from the credentials.
	Signature string
	// ClientID and ClientSecret default to ZM_RTMS_CLIENT and ZM_RTMS_SECRET.
	ClientID     string
	ClientSecret string
	// Timeout bounds the join (default 10 s; a context deadline shortens it).
	Timeout time.Duration
}
