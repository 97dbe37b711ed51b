# The shape of the official rtms README's Python example, unchanged apart from printing
# flushes: webhook -> Client -> join(payload) -> transcripts, leave on rtms_stopped, rtms.run().
import rtms

clients = {}


@rtms.on_webhook_event
def handle_webhook(payload):
    event = payload.get("event")
    data = payload.get("payload", {})
    stream_id = data.get("rtms_stream_id")

    if event == "meeting.rtms_stopped":
        client = clients.pop(stream_id, None)
        if client:
            client.leave()
        return

    if event != "meeting.rtms_started":
        return

    client = rtms.Client()
    clients[stream_id] = client

    @client.onTranscriptData
    def on_transcript(data, size, timestamp, metadata):
        print(f"[{timestamp}] -- {metadata.userName}: {data.decode()}", flush=True)

    @client.onAudioData
    def on_audio(data, size, timestamp, metadata):
        print(f"audio {size}", flush=True)

    @client.onLeave
    def on_leave(reason):
        print(f"left {reason}", flush=True)

    client.join(data)


if __name__ == "__main__":
    rtms.run()
