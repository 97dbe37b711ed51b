package rtms_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	rtms "github.com/rtms-rs/rtms/bindings/go"
	"github.com/rtms-rs/rtms/bindings/go/rtmstest"
)

const secret = "webhook-secret"

func post(t *testing.T, url, body string, sign func(ts string) string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req.Header.Set(rtms.TimestampHeader, ts)
	if sign != nil {
		req.Header.Set(rtms.SignatureHeader, sign(ts))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestWebhookHandler(t *testing.T) {
	got := make(chan rtms.WebhookEvent, 4)
	srv := httptest.NewServer(rtms.WebhookHandler(secret, func(e rtms.WebhookEvent) { got <- e }))
	defer srv.Close()
	signed := func(body string) func(string) string {
		return func(ts string) string { return rtms.WebhookSignature(secret, ts, []byte(body)) }
	}

	validation := `{"event":"endpoint.url_validation","payload":{"plainToken":"abc123"}}`
	status, body := post(t, srv.URL, validation, signed(validation))
	var v struct{ PlainToken, EncryptedToken string }
	_ = json.Unmarshal([]byte(body), &v)
	if status != 200 || v.PlainToken != "abc123" || v.EncryptedToken != rtms.URLValidationToken(secret, "abc123") {
		t.Fatalf("url validation: %d %s", status, body)
	}

	started := `{"event":"meeting.rtms_started","payload":{"meeting_uuid":"m==","rtms_stream_id":"s1","server_urls":"wss://x"}}`
	if status, body := post(t, srv.URL, started, func(string) string { return "v0=deadbeef" }); status != 401 || strings.Contains(body, "deadbeef") {
		t.Fatalf("bad signature: %d %s", status, body)
	}
	if status, _ := post(t, srv.URL, started, nil); status != 401 {
		t.Fatalf("missing signature: %d", status)
	}
	select {
	case e := <-got:
		t.Fatalf("a rejected webhook reached the handler: %+v", e)
	default:
	}
	if status, body := post(t, srv.URL, started, signed(started)); status != 200 || body != `{"status":"ok"}` {
		t.Fatalf("signed webhook: %d %s", status, body)
	}
	e := <-got
	if e.Kind != rtms.WebhookStarted || e.Stream == nil || e.Stream.InstanceID != "m==" || e.Stream.StreamID != "s1" || e.Stream.ServerURLs != "wss://x" {
		t.Fatalf("event %+v stream %+v", e, e.Stream)
	}
	if status, _ := post(t, srv.URL, "not json", nil); status != 400 {
		t.Fatalf("bad body: %d", status)
	}
	if resp, err := http.Get(srv.URL); err != nil || resp.StatusCode != 405 {
		t.Fatalf("GET: %v %v", resp, err)
	}
}

// The simulator announces its meeting by webhook; the handler verifies it and the client
// joins from the webhook's params.
func TestWebhookToJoin(t *testing.T) {
	got := make(chan rtms.WebhookEvent, 4)
	srv := httptest.NewServer(rtms.WebhookHandler(secret, func(e rtms.WebhookEvent) { got <- e }))
	defer srv.Close()
	sim := rtmstest.NewSimulator(t, rtmstest.WithWebhook(srv.URL, secret), rtmstest.WithSpeed(4))
	var e rtms.WebhookEvent
	select {
	case e = <-got:
	case <-time.After(10 * time.Second):
		t.Fatal("no webhook")
	}
	if e.Kind != rtms.WebhookStarted || e.Stream == nil {
		t.Fatalf("webhook %+v", e)
	}
	p := e.Stream.JoinParams()
	simParams := sim.JoinParams(0)
	p.ClientID, p.ClientSecret = simParams.ClientID, simParams.ClientSecret
	c := newClient(t, rtms.WithMedia(rtms.MediaTranscript))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.Run(ctx, p); err != nil {
		t.Fatal(err)
	}
}

func TestSignaturesAndVerify(t *testing.T) {
	if s := rtms.GenerateSignature("id", "secret", "m", "s"); len(s) != 64 {
		t.Fatalf("signature %q", s)
	}
	body := []byte(`{"event":"x"}`)
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	if err := rtms.VerifyWebhook(secret, ts, rtms.WebhookSignature(secret, ts, body), body); err != nil {
		t.Fatal(err)
	}
	err := rtms.VerifyWebhook(secret, ts, rtms.WebhookSignature("other", ts, body), body)
	var e *rtms.Error
	if !errors.Is(err, rtms.ErrWebhookRejected) || !errors.As(err, &e) || e.Message == "" {
		t.Fatalf("wrong secret: %v", err)
	}
	if rtms.CodeTimeout.String() != "TIMEOUT" || rtms.Code(12345).String() != "UNKNOWN" {
		t.Fatal("code names")
	}
}
