// Package rtms receives Zoom Realtime Media Streams (RTMS): join a stream announced by a
// webhook, then get audio, video, screen share, transcripts, chat and meeting events, as
// callbacks or as channels.
//
// The protocol is implemented once, in Rust (rtms-core); this package calls it through the C
// ABI of crates/rtms-ffi (cgo, statically linked). Its types mirror the official SDK's names
// and values.
//
//	client, err := rtms.NewClient(rtms.WithMedia(rtms.MediaAudio | rtms.MediaTranscript))
//	if err != nil { ... }
//	defer client.Close()
//	client.OnTranscriptData(func(t rtms.TranscriptSegment) { fmt.Println(t.UserName, t.Text) })
//	err = client.Run(ctx, stream.JoinParams()) // until the stream ends or ctx is cancelled
//
// Webhooks: [WebhookHandler] is an [net/http.Handler] that answers Zoom's URL validation and
// verifies signatures with the same core code as every other rtms binding.
//
// Tests: package rtmstest starts the rtms simulator in-process.
//
// Callbacks run on one native dispatcher thread per client, one at a time, in arrival order;
// they must return quickly. Media bytes are copied into Go memory before a callback sees them.
package rtms
