package rtms

// The native library: lib/<os>_<arch>/librtms_ffi.a, built from crates/rtms-ffi (see
// lib/README.md), and the header include/rtms.h generated with it.

/*
#cgo CFLAGS: -I${SRCDIR}/include
#cgo linux,amd64 LDFLAGS: -L${SRCDIR}/lib/linux_amd64
#cgo linux,arm64 LDFLAGS: -L${SRCDIR}/lib/linux_arm64
#cgo darwin,amd64 LDFLAGS: -L${SRCDIR}/lib/darwin_amd64
#cgo darwin,arm64 LDFLAGS: -L${SRCDIR}/lib/darwin_arm64
#cgo LDFLAGS: -lrtms_ffi
#cgo linux LDFLAGS: -lstdc++ -lgcc_s -lutil -lrt -lpthread -lm -ldl
#cgo darwin LDFLAGS: -lc++ -framework Security -framework CoreFoundation
*/
import "C"
