# clnrm latency proxy: run by chaos_engine inside the target's network namespace as
#   python3 -c <this file> clnrm-latency-proxy LISTEN_PORT DELAY_MS JITTER_MS
# iptables REDIRECTs new incoming TCP connections of the target's ports here; the original
# port comes from SO_ORIGINAL_DST, and the proxy connects to 127.0.0.1:<that port> (locally
# generated, so it skips PREROUTING: no loop). Like Toxiproxy's latency toxic, the data going
# back to the client is held DELAY_MS +- JITTER_MS, in order.
import asyncio, random, socket, struct, sys, time

# sys.argv[0] is "-c", sys.argv[1] the marker that pkill -f finds.
LISTEN, DELAY, JITTER = int(sys.argv[2]), int(sys.argv[3]) / 1000.0, int(sys.argv[4]) / 1000.0
SO_ORIGINAL_DST = 80


def original_port(sock):
    raw = sock.getsockopt(socket.SOL_IP, SO_ORIGINAL_DST, 16)
    return struct.unpack_from("!H", raw, 2)[0]


async def pipe(reader, writer, delayed):
    last = 0.0
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            if delayed:
                release = max(last, time.monotonic() + max(0.0, DELAY + random.uniform(-JITTER, JITTER)))
                last = release
                await asyncio.sleep(max(0.0, release - time.monotonic()))
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        try:
            if writer.can_write_eof():
                writer.write_eof()
        except (ConnectionError, OSError):
            writer.close()


async def handle(client_reader, client_writer):
    try:
        port = original_port(client_writer.get_extra_info("socket"))
        server_reader, server_writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        client_writer.close()
        return
    await asyncio.gather(pipe(client_reader, server_writer, False), pipe(server_reader, client_writer, True))
    server_writer.close()
    client_writer.close()


async def main():
    server = await asyncio.start_server(handle, "0.0.0.0", LISTEN, reuse_address=True)
    async with server:
        await server.serve_forever()


asyncio.run(main())
