package rtms

/*
#include <stdlib.h>
#include "rtms.h"
*/
import "C"

import "unsafe"

// takeString copies a native string and frees it.
func takeString(p *C.char) string {
	if p == nil {
		return ""
	}
	defer C.rtms_string_free(p)
	return C.GoString(p)
}

func withCStrings(f func(args []*C.char) *C.char, strs ...string) string {
	args := make([]*C.char, len(strs))
	for i, s := range strs {
		args[i] = C.CString(s)
		defer C.free(unsafe.Pointer(args[i]))
	}
	return takeString(f(args))
}

// GenerateSignature is the join signature hex(HMAC-SHA256(secret, "clientID,instanceID,streamID")).
func GenerateSignature(clientID, clientSecret, instanceID, streamID string) string {
	return withCStrings(func(a []*C.char) *C.char { return C.rtms_generate_signature(a[0], a[1], a[2], a[3]) },
		clientID, clientSecret, instanceID, streamID)
}

// URLValidationToken is the encryptedToken answering endpoint.url_validation.
func URLValidationToken(webhookSecret, plainToken string) string {
	return withCStrings(func(a []*C.char) *C.char { return C.rtms_url_validation_token(a[0], a[1]) }, webhookSecret, plainToken)
}

// WebhookSignature is the x-zm-signature value ("v0=<hex>") Zoom sends for a raw body.
func WebhookSignature(webhookSecret, timestamp string, body []byte) string {
	b, n, freeBody := cbytes(body)
	defer freeBody()
	return withCStrings(func(a []*C.char) *C.char { return C.rtms_webhook_signature(a[0], a[1], b, n) }, webhookSecret, timestamp)
}
