#!/usr/bin/env python3
"""Cuts a classic libpcap capture into per-connection TCP byte streams for analyzer tests.

Each TCP connection becomes one file <prefix>-<n>.tcps holding the in-order payload of both
directions as the analyzer would see it: a chunk is emitted (with the time of the packet that
made it contiguous) whenever a direction's next expected byte arrives. Retransmitted bytes are
dropped, out-of-order segments are held until the hole is filled, and a FIN is recorded once
all data before it was delivered.

File layout (big-endian):
  magic 'TCPS' u16 version=2
  u16 len + utf8 orig_h, u16 orig_p, u16 len + utf8 resp_h, u16 resp_p, f64 start_ts,
  u8 partial (1 when the first packet seen was not a SYN: Zeek's IsPartial())
  then records: u8 kind ('D' data, 'F' fin), u8 is_orig, f64 ts, u32 len, bytes[len]

Usage: pcap2streams.py [--cap BYTES] CAPTURE OUTPUT_PREFIX [PORT ...]
  ports filter on either side; --cap keeps only the first BYTES of each direction
Standard library only.
"""
import ipaddress
import struct
import sys


def packets(path):
    with open(path, 'rb') as f:
        head = f.read(24)
        magic = struct.unpack('<I', head[:4])[0]
        if magic in (0xa1b2c3d4, 0xa1b23c4d):
            endian = '<'
        else:
            endian = '>'
        nano = struct.unpack(endian + 'I', head[:4])[0] == 0xa1b23c4d
        linktype = struct.unpack(endian + 'I', head[20:24])[0]
        while True:
            rh = f.read(16)
            if len(rh) < 16:
                return
            sec, frac, incl, _orig = struct.unpack(endian + 'IIII', rh)
            data = f.read(incl)
            ts = sec + frac / (1e9 if nano else 1e6)
            yield ts, linktype, data


def ip_payload(linktype, data):
    if linktype == 1:  # Ethernet
        off = 12
        etype = struct.unpack('>H', data[off:off + 2])[0]
        off += 2
        while etype in (0x8100, 0x88a8, 0x9100):
            etype = struct.unpack('>H', data[off + 2:off + 4])[0]
            off += 4
        return etype, data[off:]
    if linktype == 113:  # Linux cooked
        return struct.unpack('>H', data[14:16])[0], data[16:]
    if linktype in (101, 12, 14):  # raw IP
        v = data[0] >> 4
        return (0x0800 if v == 4 else 0x86dd), data
    if linktype == 0:  # BSD loopback
        fam = struct.unpack('<I', data[:4])[0]
        return (0x0800 if fam == 2 else 0x86dd), data[4:]
    return None, None


def tcp_segment(etype, ip):
    if etype == 0x0800 and len(ip) >= 20:
        ihl = (ip[0] & 0x0f) * 4
        total = struct.unpack('>H', ip[2:4])[0]
        if ip[9] != 6:
            return None
        src = str(ipaddress.IPv4Address(ip[12:16]))
        dst = str(ipaddress.IPv4Address(ip[16:20]))
        tcp = ip[ihl:total]
    elif etype == 0x86dd and len(ip) >= 40:
        plen = struct.unpack('>H', ip[4:6])[0]
        nxt = ip[6]
        src = str(ipaddress.IPv6Address(ip[8:24]))
        dst = str(ipaddress.IPv6Address(ip[24:40]))
        if nxt != 6:
            return None
        tcp = ip[40:40 + plen]
    else:
        return None
    if len(tcp) < 20:
        return None
    sport, dport, seq, _ack, off_flags = struct.unpack('>HHIIH', tcp[:14])
    doff = (off_flags >> 12) * 4
    flags = off_flags & 0x3f
    return src, sport, dst, dport, seq, flags, tcp[doff:]


class Direction:
    def __init__(self):
        self.next = None
        self.pending = {}
        self.fin_seq = None
        self.fin_sent = False


class Conn:
    def __init__(self, orig, resp, ts):
        self.orig = orig
        self.resp = resp
        self.start = ts
        self.dirs = {True: Direction(), False: Direction()}
        self.records = []
        self.closed = False
        self.partial = None

    def add(self, is_orig, ts, seq, flags, payload):
        d = self.dirs[is_orig]
        syn = flags & 0x02
        fin = flags & 0x01
        if d.next is None:
            d.next = (seq + 1) & 0xffffffff if syn else seq
            if syn:
                seq = (seq + 1) & 0xffffffff
        elif syn:
            seq = (seq + 1) & 0xffffffff
        if fin:
            d.fin_seq = (seq + len(payload)) & 0xffffffff
        if payload:
            d.pending.setdefault(seq, payload)
        self.flush(is_orig, ts)

    def flush(self, is_orig, ts):
        d = self.dirs[is_orig]
        progressed = True
        while progressed:
            progressed = False
            for s in list(d.pending):
                data = d.pending[s]
                rel = (d.next - s) & 0xffffffff
                if rel < 0x80000000:  # s <= next
                    del d.pending[s]
                    if rel < len(data):
                        chunk = data[rel:]
                        self.records.append((b'D', is_orig, ts, chunk))
                        d.next = (d.next + len(chunk)) & 0xffffffff
                    progressed = True
        if d.fin_seq is not None and not d.fin_sent and d.fin_seq == d.next:
            d.fin_sent = True
            self.records.append((b'F', is_orig, ts, b''))


def main():
    args = sys.argv[1:]
    cap = None
    if args and args[0] == '--cap':
        cap = int(args[1])
        args = args[2:]
    path, prefix = args[0], args[1]
    ports = {int(p) for p in args[2:]}
    conns = {}
    order = []
    for ts, lt, data in packets(path):
        etype, ip = ip_payload(lt, data)
        if etype is None:
            continue
        seg = tcp_segment(etype, ip)
        if seg is None:
            continue
        src, sport, dst, dport, seq, flags, payload = seg
        if ports and sport not in ports and dport not in ports:
            continue
        key = frozenset(((src, sport), (dst, dport)))
        c = conns.get(key)
        if c is not None and c.closed and flags & 0x12 == 0x02:  # new SYN after a reset: port reuse
            c = None
        if c is None:
            if flags & 0x12 == 0x12:  # SYN-ACK first: responder sent it
                c = Conn((dst, dport), (src, sport), ts)
            else:
                c = Conn((src, sport), (dst, dport), ts)
            conns[key] = c
            order.append(c)
        if c.partial is None:
            c.partial = not (flags & 0x02)
        c.add((src, sport) == c.orig, ts, seq, flags, payload)
        if flags & 0x04:
            c.closed = True
    n = 0
    for c in order:
        if not any(r[0] == b'D' for r in c.records):
            continue
        n += 1
        with open('%s-%d.tcps' % (prefix, n), 'wb') as out:
            out.write(b'TCPS' + struct.pack('>H', 2))
            for (h, p) in (c.orig, c.resp):
                hb = h.encode()
                out.write(struct.pack('>H', len(hb)) + hb + struct.pack('>H', p))
            out.write(struct.pack('>dB', c.start, 1 if c.partial else 0))
            sent = {True: 0, False: 0}
            for kind, is_orig, ts, data in c.records:
                if cap is not None and kind == b'D':
                    room = cap - sent[is_orig]
                    if room <= 0:
                        continue
                    data = data[:room]
                    sent[is_orig] += len(data)
                out.write(kind + struct.pack('>BdI', 1 if is_orig else 0, ts, len(data)) + data)
    print('%s: %d connections' % (path, n))


if __name__ == '__main__':
    main()
