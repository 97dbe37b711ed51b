package rtms

/*
#include "rtms.h"
*/
import "C"

// ABIVersion is the C ABI version this package was written against; [NativeABIVersion]
// must match it.
const ABIVersion = 1

// Version is the version of the native rtms library ("0.1.0").
func Version() string { return C.GoString(C.rtms_version()) }

// NativeABIVersion is the ABI version of the linked native library.
func NativeABIVersion() int { return int(C.rtms_abi_version()) }
