"""run(), run_async(), stop(), EventLoop and EventLoopPool keep the program alive while
clients stream; the seed-era manual loop keeps working."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any, List

import rtms
from rtms.testing import Simulator


def test_run_returns_on_stop_and_when_clients_are_done() -> None:
    with Simulator("minimal", speed=8) as sim:
        packets: List[int] = []

        def start() -> None:
            client = rtms.Client()
            client.on_audio_data(lambda data, size, ts, md: packets.append(size))
            client.join(**sim.join_params())

        threading.Timer(0.1, start).start()
        t0 = time.monotonic()
        stopper = threading.Timer(0.3, rtms.stop)
        stopper.start()
        rtms.run()
        assert time.monotonic() - t0 < 5
        # stop_on_empty: returns once the joined client has left (the meeting ended).
        rtms.run(stop_on_empty=True)
        summary = sim.wait(10)
        assert summary is not None and len(packets) == summary["meetings"][0]["media"]["audio"]["packets"]
        assert not rtms._registry.clients


def test_run_async_beside_an_asyncio_server() -> None:
    async def main() -> List[Any]:
        hits: List[Any] = []

        async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            hits.append(await reader.readline())
            writer.close()

        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        with Simulator("minimal", speed=8) as sim:
            client = rtms.Client()
            done: List[int] = []
            client.on_leave(done.append)

            async def poke() -> None:
                _, w = await asyncio.open_connection("127.0.0.1", port)
                w.write(b"ping\n")
                await w.drain()
                w.close()

            client.join(**sim.join_params())
            await asyncio.gather(rtms.run_async(stop_on_empty=True), poke())
            assert done
        server.close()
        return hits

    assert asyncio.run(main()) == [b"ping\n"]


def test_event_loop_pool_with_four_clients() -> None:
    with Simulator("minimal", speed=8, meetings=4) as sim:
        pool = rtms.EventLoopPool(threads=2, strategy="round_robin")
        counts = [0, 0, 0, 0]
        for i in range(4):
            client = rtms.Client()

            def on_audio(data: bytes, size: int, ts: int, md: Any, i: int = i) -> None:
                counts[i] += 1

            client.on_audio_data(on_audio)
            loop = pool.add(client)
            assert loop is pool.loops[i % 2]
            client.join(**sim.join_params(i))
        assert pool.client_count == 4
        pool.run(stop_on_empty=True)
        summary = sim.wait(10)
        assert summary is not None
        assert counts == [m["media"]["audio"]["packets"] for m in summary["meetings"]]
        assert pool.client_count == 0


def test_seed_era_manual_loop_still_works() -> None:
    with Simulator("minimal", speed=8) as sim:
        client = rtms.Client()
        packets: List[int] = []
        client.on_audio_data(lambda data, size, ts, md: packets.append(size))
        client.join(**sim.join_params())
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not client.wait(0):
            client._process_join_queue()
            client._poll_if_needed()
            time.sleep(0.01)
        summary = sim.wait(5)
        assert summary is not None and len(packets) == summary["meetings"][0]["media"]["audio"]["packets"]
