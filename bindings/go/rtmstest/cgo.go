package rtmstest

// The same native library as package rtms (see ../lib/README.md).

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#cgo linux,amd64 LDFLAGS: -L${SRCDIR}/../lib/linux_amd64
#cgo linux,arm64 LDFLAGS: -L${SRCDIR}/../lib/linux_arm64
#cgo darwin,amd64 LDFLAGS: -L${SRCDIR}/../lib/darwin_amd64
#cgo darwin,arm64 LDFLAGS: -L${SRCDIR}/../lib/darwin_arm64
#cgo LDFLAGS: -lrtms_ffi
#cgo linux LDFLAGS: -lstdc++ -lgcc_s -lutil -lrt -lpthread -lm -ldl
#cgo darwin LDFLAGS: -lc++ -framework Security -framework CoreFoundation
*/
import "C"
