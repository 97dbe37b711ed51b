package rtms

/*
#include "rtms.h"
*/
import "C"

// LogLevel is a native log level (the official LogLevel numbers).
type LogLevel int32

// Log levels.
const (
	// LogFromEnv reads ZM_RTMS_LOG_ENABLED, ZM_RTMS_LOG_LEVEL and ZM_RTMS_LOG_FORMAT.
	LogFromEnv LogLevel = -1
	LogError   LogLevel = 0
	LogWarn    LogLevel = 1
	LogInfo    LogLevel = 2
	LogDebug   LogLevel = 3
	LogTrace   LogLevel = 4
)

// InitLogging turns on the native library's logs on stderr (JSON lines when json is true).
// Idempotent: later calls change the level. Reports whether rtms's logger is installed.
func InitLogging(level LogLevel, json bool) bool {
	return bool(C.rtms_logging_init(C.int32_t(level), C.bool(json)))
}
