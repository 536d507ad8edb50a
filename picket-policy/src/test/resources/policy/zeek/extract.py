#!/usr/bin/env python3
"""Extracts the matcher inputs of the vendored Zeek cases from their trace.pcap files.

Run from this folder with tshark installed:
    python3 extract.py ../../../../../../picket-engine/src/test/resources/zeek
It writes signatures-udp-packetwise/datagrams.txt, signatures-http-body/feed.txt and
intel-whitelist-dns-http/seen.tsv. See README.md for the format and the delivery model.
"""
import subprocess, sys, zlib, os

ENGINE = sys.argv[1]

def tshark(pcap, fields, flt=None):
    cmd = ['tshark', '-r', pcap, '-T', 'fields', '-E', 'separator=\t']
    if flt:
        cmd += ['-Y', flt]
    for f in fields:
        cmd += ['-e', f]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return [l.split('\t') for l in out.splitlines() if l]

# --- UDP datagrams -------------------------------------------------------
rows = tshark(f'{ENGINE}/signatures-udp-packetwise/trace.pcap',
              ['ip.src', 'udp.srcport', 'ip.dst', 'udp.dstport', 'udp.payload'], 'udp')
os.makedirs('signatures-udp-packetwise', exist_ok=True)
with open('signatures-udp-packetwise/datagrams.txt', 'w') as f:
    f.write('# conn <orig_h> <orig_p> <resp_h> <resp_p>, then one line per datagram: orig|resp <payload hex>\n')
    first = rows[0]
    f.write(f'conn {first[0]} {first[1]} {first[2]} {first[3]}\n')
    for src, sp, dst, dp, payload in rows:
        d = 'orig' if (src, sp) == (first[0], first[1]) else 'resp'
        f.write(f'{d} {payload}\n')

# --- HTTP bodies ---------------------------------------------------------
rows = tshark(f'{ENGINE}/signatures-http-body/trace.pcap',
              ['frame.number', 'ip.src', 'tcp.srcport', 'ip.dst', 'tcp.dstport', 'tcp.seq_raw', 'tcp.payload'], 'tcp')
conns = {}
order = []
for num, src, sp, dst, dp, seq, payload in rows:
    if dp == '80':
        key = (src, sp, dst, dp); d = 'orig'
    else:
        key = (dst, dp, src, sp); d = 'resp'
    if key not in conns:
        conns[key] = []
        order.append(key)
    if payload:
        conns[key].append((int(num), d, int(seq), bytes.fromhex(payload)))

class Body:
    """Zeek's HTTP body delivery to the signature matcher (HTTP.cc / MIME.cc)."""
    def __init__(self, out, d):
        self.out, self.d = out, d
    def chunk(self, data, first):
        self.out.append(f'body {self.d} {"first" if first else "more"} {data.hex() or "-"}')
    def end(self):
        self.out.append(f'end {self.d}')

def parse_headers(block):
    lines = block.split(b'\r\n')
    hdrs = {}
    for l in lines[1:]:
        if b':' in l:
            k, v = l.split(b':', 1)
            hdrs[k.strip().lower().decode()] = v.strip().decode()
    return lines[0], hdrs

def deliver_message(out, d, hdrs, segments):
    """segments: body bytes as they arrived per TCP segment."""
    b = Body(out, d)
    gz = hdrs.get('content-encoding', '').lower() in ('gzip', 'x-gzip')
    ctype = hdrs.get('content-type', '')
    data_segments = []
    if hdrs.get('transfer-encoding', '').lower() == 'chunked':
        # de-chunk per segment: each segment holds size line + data (this trace is that simple)
        for seg in segments:
            size_line, rest = seg.split(b'\r\n', 1)
            n = int(size_line, 16)
            if n > 0:
                data_segments.append(rest[:n])
    else:
        data_segments = segments
    if ctype.startswith('multipart/'):
        boundary = ctype.split('boundary=')[1].encode()
        body = b''.join(data_segments)
        lines = body.split(b'\r\n')
        if lines and lines[-1] == b'':
            lines = lines[:-1]
        child = None  # None, or dict(state=headers|body, length=int)
        top_len = 0
        for line in lines:
            # top-level DeliverBodyClear: MIME delivery to the child first, then the top-level match
            if line == b'--' + boundary or line == b'--' + boundary + b'--':
                if child is not None:
                    b.end()  # child EndOfData
                child = None if line.endswith(b'--') else {'state': 'headers', 'length': 0}
            elif child is not None and child['state'] == 'headers':
                if line == b'':
                    child['state'] = 'body'
            elif child is not None:
                b.chunk(line, child['length'] == 0)
                child['length'] += len(line) + 2
            b.chunk(line, top_len == 0)
            top_len += len(line) + 2
        b.end()
        return
    if gz:
        z = zlib.decompressobj(31)
        first = True
        for seg in data_segments:
            outp = z.decompress(seg)
            if outp:
                b.chunk(outp, first); first = False
        rest = z.flush()
        if rest:
            b.chunk(rest, first)
        b.end()
        return
    first = True
    for seg in data_segments:
        b.chunk(seg, first); first = False
    b.end()

os.makedirs('signatures-http-body', exist_ok=True)
with open('signatures-http-body/feed.txt', 'w') as f:
    f.write('# conn <orig_h> <orig_p> <resp_h> <resp_p>, then the HTTP body deliveries of that connection in order:\n')
    f.write('#   body orig|resp first|more <hex or - for empty>  (first = first chunk of an entity body)\n')
    f.write('#   end orig|resp                                     (end of an entity body)\n')
    for key in order:
        out = []
        segs = conns[key]
        # split each direction into messages: header block then body bytes up to the length
        events = []  # (frame, direction, kind, payload)
        state = {'orig': None, 'resp': None}
        for num, d, seq, data in segs:
            st = state[d]
            if st is None or st['remaining'] == 0 and not st.get('chunked_open') and not st.get('multipart_open'):
                # a new message starts with this segment (headers arrive in one segment in this trace)
                head, _, rest = data.partition(b'\r\n\r\n')
                start, hdrs = parse_headers(head)
                st = {'hdrs': hdrs, 'segments': [], 'start': start}
                state[d] = st
                if start.startswith(b'HTTP/1.1 100'):
                    events.append((num, d, st))
                    st['remaining'] = 0
                    state[d] = None
                    continue
                if hdrs.get('transfer-encoding', '').lower() == 'chunked':
                    st['remaining'] = -1
                    st['chunked_open'] = True
                else:
                    st['remaining'] = int(hdrs.get('content-length', '0'))
                events.append((num, d, st))
                data = rest
                if not data:
                    if st['remaining'] == 0:
                        state[d] = None
                    continue
            st['segments'].append(data)
            if st.get('chunked_open'):
                if data.startswith(b'0\r\n'):
                    st['chunked_open'] = False
                    st['segments'].pop()
                    state[d] = None
            else:
                st['remaining'] -= len(data)
                if st['remaining'] <= 0:
                    state[d] = None
        for num, d, st in events:
            deliver_message(out, d, st['hdrs'], st['segments'])
        f.write(f'conn {key[0]} {key[1]} {key[2]} {key[3]}\n')
        for l in out:
            f.write(l + '\n')

# --- Intel: DNS queries and HTTP Host headers --------------------------------
os.makedirs('intel-whitelist-dns-http', exist_ok=True)
pcap = f'{ENGINE}/intel-whitelist-dns-http/trace.pcap'
seen = []
for num, ts, src, sp, dst, dp, name in tshark(pcap, ['frame.number', 'frame.time_epoch', 'ip.src', 'udp.srcport',
                                                   'ip.dst', 'udp.dstport', 'dns.qry.name'], 'dns.flags.response == 0'):
    seen.append((int(num), ts, src, sp, dst, dp, 'DNS::IN_REQUEST', name))
for num, ts, src, sp, dst, dp, host in tshark(pcap, ['frame.number', 'frame.time_epoch', 'ip.src', 'tcp.srcport',
                                                   'ip.dst', 'tcp.dstport', 'http.host'], 'http.request'):
    seen.append((int(num), ts, src, sp, dst, dp, 'HTTP::IN_HOST_HEADER', host))
seen.sort()
with open('intel-whitelist-dns-http/seen.tsv', 'w') as f:
    f.write('#ts\torig_h\torig_p\tresp_h\tresp_p\twhere\tindicator\n')
    for num, ts, src, sp, dst, dp, where, ind in seen:
        f.write(f'{float(ts):.6f}\t{src}\t{sp}\t{dst}\t{dp}\t{where}\t{ind}\n')
