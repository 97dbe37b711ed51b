// The vtable of Go trampolines (callbacks.go) handed to rtms_client_set_callbacks. The casts
// only add `const` to pointer parameters, which cgo's exported prototypes lack.
#include <string.h>

#include "_cgo_export.h"

rtms_callbacks_t rtmsgo_callbacks(uintptr_t handle) {
    rtms_callbacks_t cb;
    memset(&cb, 0, sizeof cb);
    cb.user_data = (void *)handle;
    cb.free_user_data = rtmsgoFreeUserData;
    cb.on_join_confirm = rtmsgoOnJoinConfirm;
    cb.on_leave = (void (*)(void *, int32_t, const rtms_error_t *))rtmsgoOnLeave;
    cb.on_media = (void (*)(void *, const rtms_media_t *))rtmsgoOnMedia;
    cb.on_session_update = (void (*)(void *, int32_t, const rtms_session_t *))rtmsgoOnSessionUpdate;
    cb.on_stream_state = rtmsgoOnStreamState;
    cb.on_user_update = (void (*)(void *, int32_t, const rtms_participant_t *))rtmsgoOnUserUpdate;
    cb.on_participants = (void (*)(void *, bool, uint64_t, const rtms_participant_t *, size_t))rtmsgoOnParticipants;
    cb.on_active_speaker = (void (*)(void *, uint64_t, int64_t, const char *))rtmsgoOnActiveSpeaker;
    cb.on_sharing = (void (*)(void *, bool, uint64_t, int64_t, const char *))rtmsgoOnSharing;
    cb.on_media_interrupted = rtmsgoOnMediaInterrupted;
    cb.on_participant_video = (void (*)(void *, bool, uint64_t, const int64_t *, size_t))rtmsgoOnParticipantVideo;
    cb.on_video_subscribed = (void (*)(void *, int64_t, int64_t, const char *))rtmsgoOnVideoSubscribed;
    cb.on_event_ex = (void (*)(void *, int32_t, const char *))rtmsgoOnEventEx;
    cb.on_audio_metadata = (void (*)(void *, const char *))rtmsgoOnAudioMetadata;
    cb.on_state_response = rtmsgoOnStateResponse;
    return cb;
}
