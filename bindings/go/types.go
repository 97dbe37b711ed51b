package rtms

// Typed constants with the official SDK's values.

// MediaType is a bit set of media types.
type MediaType uint32

// Media types (the official MediaDataType).
const (
	MediaAudio      MediaType = 1
	MediaVideo      MediaType = 2
	MediaDeskshare  MediaType = 4
	MediaTranscript MediaType = 8
	MediaChat       MediaType = 16
	// MediaAll carries every media type on one connection.
	MediaAll MediaType = 32
)

// ContentType is a media content type (the official MediaContentType).
type ContentType int32

// Content types.
const (
	ContentRTP        ContentType = 1
	ContentRawAudio   ContentType = 2
	ContentRawVideo   ContentType = 3
	ContentFileStream ContentType = 4
	ContentText       ContentType = 5
)

// Codec is a media codec (the official MediaCodec).
type Codec int32

// Codecs.
const (
	CodecL16  Codec = 1
	CodecG711 Codec = 2
	CodecG722 Codec = 3
	CodecOpus Codec = 4
	CodecJPG  Codec = 5
	CodecPNG  Codec = 6
	CodecH264 Codec = 7
)

// SampleRate is an audio sample rate (the official AudioSampleRate).
type SampleRate int32

// Sample rates.
const (
	SampleRate8K  SampleRate = 0
	SampleRate16K SampleRate = 1
	SampleRate32K SampleRate = 2
	SampleRate48K SampleRate = 3
)

// AudioChannel is mono or stereo.
type AudioChannel int32

// Audio channels.
const (
	ChannelMono   AudioChannel = 1
	ChannelStereo AudioChannel = 2
)

// DataOption selects mixed or per-participant streams (the official AudioDataOption and
// VideoDataOption).
type DataOption int32

// Data options.
const (
	AudioMixedStream            DataOption = 1
	AudioMultiStreams           DataOption = 2
	VideoSingleActiveStream     DataOption = 3
	VideoSingleIndividualStream DataOption = 4
	VideoMixedGalleryView       DataOption = 5
)

// Resolution is a video resolution (the official MediaResolution).
type Resolution int32

// Resolutions.
const (
	ResolutionSD  Resolution = 1
	ResolutionHD  Resolution = 2
	ResolutionFHD Resolution = 3
	ResolutionQHD Resolution = 4
)

// Product is the Zoom product a stream belongs to.
type Product int32

// Products.
const (
	ProductMeeting       Product = 0
	ProductWebinar       Product = 1
	ProductSession       Product = 2
	ProductContactCenter Product = 3
)

// MediaLayout chooses one connection per media type (split, Zoom's default) or one for all.
type MediaLayout int32

// Media layouts.
const (
	LayoutSplit    MediaLayout = 0
	LayoutCombined MediaLayout = 1
)

// EventType is a meeting event type (the official EventType).
type EventType int32

// Event types.
const (
	EventUndefined                  EventType = 0
	EventFirstPacketTimestamp       EventType = 1
	EventActiveSpeakerChange        EventType = 2
	EventParticipantJoin            EventType = 3
	EventParticipantLeave           EventType = 4
	EventSharingStart               EventType = 5
	EventSharingStop                EventType = 6
	EventMediaConnectionInterrupted EventType = 7
	EventParticipantVideoOn         EventType = 8
	EventParticipantVideoOff        EventType = 9
)

// SessionOp is the op of a session update (the official SESSION_EVENT_*).
type SessionOp int32

// Session ops.
const (
	SessionAdd    SessionOp = 1
	SessionStop   SessionOp = 2
	SessionPause  SessionOp = 3
	SessionResume SessionOp = 4
)

// UserOp is the op of a user update.
type UserOp int32

// User ops.
const (
	UserJoin  UserOp = 0
	UserLeave UserOp = 1
)

// StopReason says why a stream stopped (the official StopReason).
type StopReason int32

// Stop reasons.
const (
	StopUndefined                        StopReason = 0
	StopHostTriggered                    StopReason = 1
	StopUserTriggered                    StopReason = 2
	StopUserLeft                         StopReason = 3
	StopUserEjected                      StopReason = 4
	StopHostDisabledApp                  StopReason = 5
	StopMeetingEnded                     StopReason = 6
	StopStreamCanceled                   StopReason = 7
	StopStreamRevoked                    StopReason = 8
	StopAllAppsDisabled                  StopReason = 9
	StopInternalException                StopReason = 10
	StopConnectionTimeout                StopReason = 11
	StopInstanceConnectionInterrupted    StopReason = 12
	StopSignalConnectionInterrupted      StopReason = 13
	StopDataConnectionInterrupted        StopReason = 14
	StopSignalConnectionClosedAbnormally StopReason = 15
	StopDataConnectionClosedAbnormally   StopReason = 16
	StopExitSignal                       StopReason = 17
	StopAuthenticationFailure            StopReason = 18
	StopAwaitReconnectionTimeout         StopReason = 19
	StopReceiverRequestClose             StopReason = 20
	StopCustomerDisconnected             StopReason = 21
	StopAgentDisconnected                StopReason = 22
	StopAdminDisabledApp                 StopReason = 23
	StopKeepAliveTimeout                 StopReason = 24
	StopManualAPITriggered               StopReason = 25
	StopStreamingNotSupported            StopReason = 26
)
