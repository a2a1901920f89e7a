#!/usr/bin/env python3
"""A TCP relay between clerk-sync and a MongoDB-wire server that writes, for every OP_MSG command
the client sends, one line: the command's name and the writeConcern it carries (or "-" for none).

    wire-tap.py LISTEN_PORT TARGET_PORT LOG_FILE

Listens on 127.0.0.1 only; forwards bytes unchanged in both directions.
"""
import socket
import struct
import sys
import threading

listen_port, target_port, log_path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
log = open(log_path, "a", buffering=1)
OP_MSG = 2013


def cstring(buf, at):
    end = buf.index(b"\x00", at)
    return buf[at:end].decode(), end + 1


def write_concern(doc):
    """The writeConcern sub-document of a BSON command, as text, or '-'."""
    key = b"\x03writeConcern\x00"
    at = doc.find(key)
    if at < 0:
        return "-"
    sub = doc[at + len(key):]
    length = struct.unpack_from("<i", sub)[0]
    sub, fields, pos = sub[:length], [], 4
    while pos < length - 1:
        kind = sub[pos]
        name, pos = cstring(sub, pos + 1)
        if kind == 0x02:  # string
            n = struct.unpack_from("<i", sub, pos)[0]
            fields.append(f"{name}={sub[pos + 4:pos + 3 + n].decode()}")
            pos += 4 + n
        elif kind == 0x10:  # int32
            fields.append(f"{name}={struct.unpack_from('<i', sub, pos)[0]}")
            pos += 4
        elif kind == 0x08:  # boolean
            fields.append(f"{name}={bool(sub[pos])}")
            pos += 1
        elif kind == 0x12:  # int64
            fields.append(f"{name}={struct.unpack_from('<q', sub, pos)[0]}")
            pos += 8
        else:
            fields.append(f"{name}=(type {kind})")
            break
    return "{" + ", ".join(fields) + "}"


def client_to_server(src, dst):
    buf = b""
    while True:
        data = src.recv(65536)
        if not data:
            break
        dst.sendall(data)
        buf += data
        while len(buf) >= 16:
            length, _, _, opcode = struct.unpack_from("<iiii", buf)
            if len(buf) < length:
                break
            message, buf = buf[:length], buf[length:]
            if opcode == OP_MSG and message[20] == 0:  # flagBits, then a body section
                doc = message[21:]
                name, _ = cstring(doc, 5)
                if name not in ("hello", "isMaster", "ismaster", "ping", "endSessions"):
                    log.write(f"{name} writeConcern={write_concern(doc)}\n")
    dst.close()


def server_to_client(src, dst):
    while True:
        data = src.recv(65536)
        if not data:
            break
        dst.sendall(data)
    dst.close()


server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", listen_port))
server.listen(64)
while True:
    client, _ = server.accept()
    upstream = socket.create_connection(("127.0.0.1", target_port))
    threading.Thread(target=client_to_server, args=(client, upstream), daemon=True).start()
    threading.Thread(target=server_to_client, args=(upstream, client), daemon=True).start()
