package rtms

/*
#include "rtms.h"
*/
import "C"

import "fmt"

// Code is a stable error code: the official RTMS_SDK_* values, then rtms's own ranges
// (100s transport, 200s protocol, 300s handshake, 400s webhook, 500s I/O, 900s binding).
type Code int32

// Error codes, the same in every rtms language.
const (
	CodeOK                 Code = 0
	CodeFailure            Code = -1
	CodeTimeout            Code = 1
	CodeInvalidStatus      Code = 4
	CodeInvalidArgs        Code = 5
	CodeConnect            Code = 101
	CodeConnectionLost     Code = 102
	CodeTLS                Code = 103
	CodeProtocol           Code = 201
	CodeHandshakeRefused   Code = 301
	CodeMissingCredentials Code = 302
	CodeWebhookRejected    Code = 401
	CodeWebhookBadRequest  Code = 402
	CodeIO                 Code = 501
	CodeCancelled          Code = 901
	CodePanic              Code = 902
)

// String is the code's stable name ("TIMEOUT").
func (c Code) String() string { return C.GoString(C.rtms_code_name(C.rtms_code_t(c))) }

// Error is an rtms error: a code, Zoom's handshake status (for [CodeHandshakeRefused]) and
// the native message. Compare with errors.Is against the sentinels ([ErrTimeout], ...).
type Error struct {
	Code    Code
	Status  int64
	Message string
}

// Error implements error.
func (e *Error) Error() string {
	if e.Message == "" {
		return "rtms: " + e.Code.String()
	}
	return fmt.Sprintf("rtms: %s (%s)", e.Message, e.Code)
}

// Is reports whether target is an *Error with the same code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// Sentinels for errors.Is.
var (
	ErrFailure            = &Error{Code: CodeFailure}
	ErrTimeout            = &Error{Code: CodeTimeout}
	ErrInvalidStatus      = &Error{Code: CodeInvalidStatus}
	ErrInvalidArgs        = &Error{Code: CodeInvalidArgs}
	ErrConnect            = &Error{Code: CodeConnect}
	ErrConnectionLost     = &Error{Code: CodeConnectionLost}
	ErrTLS                = &Error{Code: CodeTLS}
	ErrProtocol           = &Error{Code: CodeProtocol}
	ErrRefused            = &Error{Code: CodeHandshakeRefused}
	ErrMissingCredentials = &Error{Code: CodeMissingCredentials}
	ErrWebhookRejected    = &Error{Code: CodeWebhookRejected}
	ErrWebhookBadRequest  = &Error{Code: CodeWebhookBadRequest}
	ErrIO                 = &Error{Code: CodeIO}
	ErrCancelled          = &Error{Code: CodeCancelled}
	ErrPanic              = &Error{Code: CodePanic}
	// ErrClosed is returned by calls on a closed Client.
	ErrClosed = &Error{Code: CodeInvalidStatus, Message: "client is closed"}
)

// fromC turns a native status and error into a Go error and frees the native error.
func fromC(code C.rtms_code_t, e *C.rtms_error_t) error {
	if e != nil {
		defer C.rtms_error_free(e)
	}
	if code == C.RTMS_OK {
		return nil
	}
	if e == nil {
		return &Error{Code: Code(code)}
	}
	return &Error{Code: Code(e.code), Status: int64(e.status), Message: C.GoString(e.message)}
}

// borrowedError copies an error the native side owns (callbacks).
func borrowedError(e *C.rtms_error_t) error {
	if e == nil {
		return nil
	}
	return &Error{Code: Code(e.code), Status: int64(e.status), Message: C.GoString(e.message)}
}
