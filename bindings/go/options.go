package rtms

// Option configures a [Client] in [NewClient].
type Option func(*Client) error

// WithMedia enables media types (e.g. MediaAudio | MediaTranscript). Types without explicit
// params get the official defaults.
func WithMedia(types MediaType) Option { return func(c *Client) error { return c.EnableMedia(types) } }

// WithAudioParams sets audio params and enables audio.
func WithAudioParams(p AudioParams) Option {
	return func(c *Client) error { return firstErr(c.SetAudioParams(p), c.EnableMedia(MediaAudio)) }
}

// WithVideoParams sets video params and enables video.
func WithVideoParams(p VideoParams) Option {
	return func(c *Client) error { return firstErr(c.SetVideoParams(p), c.EnableMedia(MediaVideo)) }
}

// WithDeskshareParams sets screen-share params and enables screen share.
func WithDeskshareParams(p DeskshareParams) Option {
	return func(c *Client) error { return firstErr(c.SetDeskshareParams(p), c.EnableMedia(MediaDeskshare)) }
}

// WithTranscriptParams sets transcript params and enables transcripts.
func WithTranscriptParams(p TranscriptParams) Option {
	return func(c *Client) error { return firstErr(c.SetTranscriptParams(p), c.EnableMedia(MediaTranscript)) }
}

// WithEvents subscribes to meeting event types.
func WithEvents(types ...EventType) Option {
	return func(c *Client) error { return c.SubscribeEvents(types...) }
}

// WithMediaLayout chooses split (default) or combined media connections.
func WithMediaLayout(l MediaLayout) Option {
	return func(c *Client) error { return c.SetMediaLayout(l) }
}

// WithChannelBuffer sets the capacity of the channels returned by Audio, Video, Events, ...
// (default 256). A full channel makes the dispatcher wait: nothing is dropped.
func WithChannelBuffer(n int) Option {
	return func(c *Client) error {
		if n < 0 {
			return &Error{Code: CodeInvalidArgs, Message: "channel buffer must not be negative"}
		}
		c.d.buffer = n
		return nil
	}
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
