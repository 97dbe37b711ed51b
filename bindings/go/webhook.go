package rtms

/*
#include <stdlib.h>
#include "rtms.h"
*/
import "C"

import (
	"encoding/json"
	"errors"
	"io"
	"log"
	"net/http"
	"unsafe"
)

// Webhook header names Zoom uses.
const (
	SignatureHeader = "x-zm-signature"
	TimestampHeader = "x-zm-request-timestamp"
)

// maxWebhookBody is the largest accepted webhook body (as the core's receiver).
const maxWebhookBody = 1 << 20

// WebhookKind classifies RTMS stream webhooks.
type WebhookKind int32

// Webhook kinds.
const (
	WebhookOther       WebhookKind = 0
	WebhookStarted     WebhookKind = 1
	WebhookStopped     WebhookKind = 2
	WebhookInterrupted WebhookKind = 3
)

// WebhookEvent is one verified webhook.
type WebhookEvent struct {
	// Event is the event name, e.g. "meeting.rtms_started".
	Event string
	// Payload is the normalised payload (payload.object fields lifted to the top).
	Payload json.RawMessage
	// Kind is set for RTMS stream events, with Stream.
	Kind   WebhookKind
	Stream *WebhookStream
}

// WebhookStream is the stream an rtms_started/stopped/interrupted webhook names.
type WebhookStream struct {
	Product    Product
	InstanceID string
	StreamID   string
	ServerURLs string
	// StopReason is -1 when absent.
	StopReason StopReason
}

// JoinParams are the params to join this stream with (add credentials or a signature).
func (s WebhookStream) JoinParams() JoinParams {
	return JoinParams{Product: s.Product, InstanceID: s.InstanceID, StreamID: s.StreamID, ServerURLs: s.ServerURLs}
}

// cstr allocates a C string ("" gives NULL); free with C.free.
func cstr(s string) *C.char {
	if s == "" {
		return nil
	}
	return C.CString(s)
}

func cbytes(b []byte) (*C.uint8_t, C.size_t, func()) {
	if len(b) == 0 {
		return nil, 0, func() {}
	}
	p := C.CBytes(b)
	return (*C.uint8_t)(p), C.size_t(len(b)), func() { C.free(p) }
}

// WebhookHandler answers Zoom webhooks the way every rtms binding does (the native core
// decides): it answers endpoint.url_validation, verifies x-zm-signature when secret is not
// empty (401 otherwise), and calls handle with every other event before answering 200. A
// panicking handle yields 500.
func WebhookHandler(secret string, handle func(WebhookEvent)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			writeJSON(w, http.StatusMethodNotAllowed, `{"error":"method not allowed: webhooks must be POSTed"}`)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxWebhookBody))
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				writeJSON(w, http.StatusRequestEntityTooLarge, `{"error":"body too large"}`)
				return
			}
			writeJSON(w, http.StatusBadRequest, `{"error":"could not read the body"}`)
			return
		}
		status, reply, event, err := answerWebhook(secret, r.Header.Get(TimestampHeader), r.Header.Get(SignatureHeader), body)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, `{"error":"bad request"}`)
			return
		}
		if event != nil && handle != nil && !callWebhookHandler(handle, *event) {
			writeJSON(w, http.StatusInternalServerError, `{"error":"webhook handler failed"}`)
			return
		}
		writeJSON(w, status, reply)
	})
}

func callWebhookHandler(handle func(WebhookEvent), ev WebhookEvent) (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("rtms: webhook handler panicked: %v", r)
			ok = false
		}
	}()
	handle(ev)
	return true
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// answerWebhook asks the core how to answer: status, JSON body, and the event to deliver.
func answerWebhook(secret, timestamp, signature string, body []byte) (int, string, *WebhookEvent, error) {
	cs, ct, sig := cstr(secret), cstr(timestamp), cstr(signature)
	defer C.free(unsafe.Pointer(cs))
	defer C.free(unsafe.Pointer(ct))
	defer C.free(unsafe.Pointer(sig))
	b, n, freeBody := cbytes(body)
	defer freeBody()
	var a C.rtms_webhook_answer_t
	var cerr *C.rtms_error_t
	if err := fromC(C.rtms_webhook_answer(cs, ct, sig, b, n, &a, &cerr), cerr); err != nil {
		return 0, "", nil, err
	}
	defer C.rtms_webhook_answer_free(&a)
	status, reply := int(a.status), goString(a.body)
	if !bool(a.deliver) {
		return status, reply, nil, nil
	}
	ev := &WebhookEvent{Event: goString(a.event), Payload: json.RawMessage(goString(a.payload_json)), Kind: WebhookKind(a.rtms_kind)}
	if ev.Kind != WebhookOther {
		ev.Stream = &WebhookStream{
			Product: Product(a.product), InstanceID: goString(a.instance_id), StreamID: goString(a.stream_id),
			ServerURLs: goString(a.server_urls), StopReason: StopReason(a.stop_reason),
		}
	}
	return status, reply, ev, nil
}

// VerifyWebhook checks x-zm-signature and x-zm-request-timestamp over the raw body (within
// 300 s of now); the error wraps [ErrWebhookRejected] and says why.
func VerifyWebhook(secret, timestamp, signature string, body []byte) error {
	cs, ct, sig := cstr(secret), cstr(timestamp), cstr(signature)
	defer C.free(unsafe.Pointer(cs))
	defer C.free(unsafe.Pointer(ct))
	defer C.free(unsafe.Pointer(sig))
	b, n, freeBody := cbytes(body)
	defer freeBody()
	var cerr *C.rtms_error_t
	return fromC(C.rtms_webhook_verify(cs, ct, sig, b, n, 0, 0, &cerr), cerr)
}
