/*
 * join.c: joins a simulated RTMS meeting through the C ABI (rtms.h) and checks that every
 * audio packet and transcript line arrived as the simulator sent them (counts and CRC32).
 *
 * Build: see Makefile (links target/<profile>/librtms_ffi.a). Run: ./join [scenario] [speed]
 * Exit status 0 when everything matched.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rtms.h"

/* What the callbacks saw. They run on the client's dispatcher thread: guard with a mutex. */
typedef struct {
    pthread_mutex_t lock;
    pthread_cond_t left;
    int joined;
    int leaves;
    int leave_reason;
    unsigned long audio_packets, audio_bytes, transcripts;
    uint32_t audio_crc; /* running CRC32 (pre/post inverted) */
} counts_t;

static uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t n) {
    crc = ~crc;
    while (n--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

static void on_join_confirm(void *user_data, int64_t reason) {
    counts_t *c = user_data;
    pthread_mutex_lock(&c->lock);
    c->joined = reason == 0;
    pthread_mutex_unlock(&c->lock);
}

static void on_media(void *user_data, const rtms_media_t *m) {
    counts_t *c = user_data;
    pthread_mutex_lock(&c->lock);
    if (m->media_type == RTMS_MEDIA_AUDIO) {
        c->audio_packets++;
        c->audio_bytes += m->len;
        c->audio_crc = crc32_update(c->audio_crc, m->data, m->len);
    } else if (m->media_type == RTMS_MEDIA_TRANSCRIPT) {
        c->transcripts++;
    }
    pthread_mutex_unlock(&c->lock);
}

static void on_leave(void *user_data, int32_t reason, const rtms_error_t *error) {
    counts_t *c = user_data;
    if (error) fprintf(stderr, "left with error %d: %s\n", error->code, error->message);
    pthread_mutex_lock(&c->lock);
    c->leaves++;
    c->leave_reason = reason;
    pthread_cond_signal(&c->left);
    pthread_mutex_unlock(&c->lock);
}

static int fail(const char *what, rtms_error_t *err) {
    fprintf(stderr, "%s failed: [%s] %s\n", what, err ? rtms_code_name(err->code) : "?", err ? err->message : "");
    rtms_error_free(err);
    return 1;
}

/* The number after `"<media>":{"<field>":` in the summary JSON (its `media` map). */
static unsigned long summary_field(const char *json, const char *media, const char *field) {
    char key[64];
    snprintf(key, sizeof key, "\"%s\":{", media);
    const char *at = strstr(json, key);
    if (!at) return 0;
    snprintf(key, sizeof key, "\"%s\":", field);
    at = strstr(at, key);
    return at ? strtoul(at + strlen(key), NULL, 10) : 0;
}

int main(int argc, char **argv) {
    printf("rtms %s (ABI %u)\n", rtms_version(), rtms_abi_version());
    rtms_error_t *err = NULL;
    rtms_sim_options_t options = {0};
    options.scenario = argc > 1 ? argv[1] : "minimal";
    options.speed = argc > 2 ? atof(argv[2]) : 4.0;
    rtms_sim_t *sim = NULL;
    if (rtms_sim_start(&options, &sim, &err) != RTMS_OK) return fail("rtms_sim_start", err);

    counts_t counts = {.lock = PTHREAD_MUTEX_INITIALIZER, .left = PTHREAD_COND_INITIALIZER};
    rtms_client_t *client = NULL;
    if (rtms_client_new(&client, &err) != RTMS_OK) return fail("rtms_client_new", err);
    rtms_callbacks_t callbacks = {0};
    callbacks.user_data = &counts;
    callbacks.on_join_confirm = on_join_confirm;
    callbacks.on_media = on_media;
    callbacks.on_leave = on_leave;
    int status = 1;
    if (rtms_client_set_callbacks(client, &callbacks, &err) != RTMS_OK) {
        fail("rtms_client_set_callbacks", err);
        goto out;
    }
    /* L16, 16 kHz, mono, one stream per participant, 20 ms packets. */
    rtms_audio_params_t audio = {.content_type = 2, .sample_rate = 1, .channel = 1, .codec = 1, .data_opt = 2, .send_rate = 20};
    if (rtms_client_set_audio_params(client, &audio, &err) != RTMS_OK ||
        rtms_client_enable_media(client, RTMS_MEDIA_AUDIO | RTMS_MEDIA_TRANSCRIPT, &err) != RTMS_OK) {
        fail("media setup", err);
        goto out;
    }
    rtms_join_params_t join = {
        .product = RTMS_PRODUCT_MEETING,
        .instance_id = rtms_sim_meeting_uuid(sim, 0),
        .stream_id = rtms_sim_meeting_stream_id(sim, 0),
        .server_urls = rtms_sim_meeting_server_urls(sim, 0),
        .client_id = rtms_sim_client_id(sim),
        .client_secret = rtms_sim_client_secret(sim),
        .timeout_ms = 20000,
    };
    if (rtms_client_join(client, &join, &err) != RTMS_OK) {
        fail("rtms_client_join", err);
        goto out;
    }
    char *summary = NULL;
    if (rtms_sim_wait_json(sim, 120000, &summary, &err) != RTMS_OK) {
        fail("rtms_sim_wait_json", err);
        goto out;
    }
    /* The meeting ended on the server; wait for the client's leave. */
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 60;
    pthread_mutex_lock(&counts.lock);
    while (counts.leaves == 0 && pthread_cond_timedwait(&counts.left, &counts.lock, &deadline) == 0) {
    }
    unsigned long sent_audio = summary_field(summary, "audio", "packets");
    unsigned long sent_bytes = summary_field(summary, "audio", "bytes");
    unsigned long sent_crc = summary_field(summary, "audio", "crc32");
    unsigned long sent_text = summary_field(summary, "transcript", "packets");
    printf("joined=%d audio %lu/%lu packets %lu/%lu bytes crc32 %08x/%08lx, transcripts %lu/%lu, leave reason %d\n",
           counts.joined, counts.audio_packets, sent_audio, counts.audio_bytes, sent_bytes, counts.audio_crc, sent_crc,
           counts.transcripts, sent_text, counts.leave_reason);
    int ok = counts.joined && counts.leaves == 1 && sent_audio > 0 && counts.audio_packets == sent_audio &&
             counts.audio_bytes == sent_bytes && counts.audio_crc == (uint32_t)sent_crc && sent_text > 0 &&
             counts.transcripts == sent_text;
    pthread_mutex_unlock(&counts.lock);
    rtms_string_free(summary);
    status = ok ? 0 : 1;
    printf("%s\n", ok ? "OK" : "MISMATCH");
out:
    rtms_client_free(client);
    rtms_sim_free(sim);
    rtms_shutdown(2000);
    return status;
}
