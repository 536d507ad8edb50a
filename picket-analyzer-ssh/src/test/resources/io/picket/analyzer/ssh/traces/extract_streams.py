#!/usr/bin/env python3
"""Extracts the TCP payload streams of every connection of a classic pcap (Ethernet, IPv4) into
the compact format read by StreamTrace (see README.md). Usage: extract_streams.py IN.pcap OUT.gz

Delivery follows the capture: in-order segments are emitted as they arrive, retransmitted bytes
are trimmed, out-of-order segments are held and emitted when the hole is filled. Per direction,
payload bytes are kept up to the end of the NEWKEYS packet (SSH2) or the first binary packet
(SSH1); later segments keep only their length.
"""
import struct, sys, gzip, collections
def packets(path):
    d=open(path,'rb').read()
    magic=struct.unpack('<I',d[:4])[0]
    e='<' if magic in (0xa1b2c3d4,0xa1b23c4d) else '>'
    nano = magic in (0xa1b23c4d,0x4d3cb2a1)
    lt=struct.unpack(e+'I',d[20:24])[0]
    off=24
    while off+16<=len(d):
        s,us,cap,ln=struct.unpack(e+'IIII',d[off:off+16]); off+=16
        pkt=d[off:off+cap]; off+=cap
        yield s+us/(1e9 if nano else 1e6), pkt
def ip_of(b): return '.'.join(map(str,b))
def tcp_segments(path):
    for ts,p in packets(path):
        eth=struct.unpack('>H',p[12:14])[0]; o=14
        while eth==0x8100:
            eth=struct.unpack('>H',p[o+2:o+4])[0]; o+=4
        if eth!=0x800: continue
        ihl=(p[o]&15)*4; proto=p[o+9]; tot=struct.unpack('>H',p[o+2:o+4])[0]
        src=ip_of(p[o+12:o+16]); dst=ip_of(p[o+16:o+20])
        if proto!=6: continue
        t=o+ihl
        sp,dp,seq,ack=struct.unpack('>HHII',p[t:t+12]); doff=(p[t+12]>>4)*4; fl=p[t+13]
        pay=p[t+doff:o+tot]
        yield ts,src,sp,dst,dp,seq,fl,pay
LIMIT=20000
def conns(path):
    C=collections.OrderedDict()
    for ts,src,sp,dst,dp,seq,fl,pay in tcp_segments(path):
        k=(src,sp,dst,dp); rk=(dst,dp,src,sp)
        if k in C: c=C[k]; orig=True
        elif rk in C: c=C[rk]; orig=False
        else:
            syn=(fl&0x12)==0x02
            synack=(fl&0x12)==0x12
            if synack:
                k,rk=rk,k; c={'next':{},'ev':[],'partial':False,'pend':{True:{},False:{}},'off':{True:0,False:0},'key':k}; C[k]=c; orig=False
            else:
                c={'next':{},'ev':[],'partial':not syn,'pend':{True:{},False:{}},'off':{True:0,False:0},'key':k}; C[k]=c; orig=True
        nx=c['next']
        if fl&2:
            nx[orig]=(seq+1)&0xffffffff
            continue
        if orig not in nx: nx[orig]=seq
        if pay:
            exp=nx[orig]; d=(seq-exp)&0xffffffff
            if d>=0x80000000:
                back=(exp-seq)&0xffffffff
                if back<len(pay):
                    pay=pay[back:]; seq=exp; d=0
                else: pay=b''
            if pay:
                if d!=0:
                    c['pend'][orig][seq]=(ts,pay)
                else:
                    deliver(c,orig,ts,pay)
                    pend=c['pend'][orig]
                    while True:
                        hit=None
                        for s,(t2,p2) in list(pend.items()):
                            dd=(s-nx[orig])&0xffffffff
                            if dd==0 or dd>=0x80000000:
                                hit=s;break
                        if hit is None: break
                        t2,p2=pend.pop(hit); back=(nx[orig]-hit)&0xffffffff
                        if back<len(p2): deliver(c,orig,ts,p2[back:])
        if fl&1:
            c['ev'].append(('F',orig,ts))
    return C
def deliver(c,orig,ts,pay):
    c['ev'].append(('S',orig,ts,c['off'][orig],pay))
    c['off'][orig]+=len(pay)
    c['next'][orig]=(c['next'][orig]+len(pay))&0xffffffff
def boundary(c,o):
    st=b''.join(e[4] for e in c['ev'] if e[0]=='S' and e[1]==o)
    i=-1
    for j,b in enumerate(st[:70000]):
        if b in (10,13): i=j; break
    if i<0: return LIMIT
    i+=1
    if i<len(st) and st[i-1]==13 and st[i]==10: i+=1
    ssh1 = b'SSH-1.' in st[:i] and b'SSH-1.99' not in st[:i]
    while i+6<=len(st):
        L=struct.unpack('>I',st[i:i+4])[0]
        if ssh1:
            return i+4+L+8-L%8
        if L>70000: return LIMIT
        t=st[i+5]
        i+=4+L
        if t==21: return i
    return LIMIT
def write(path,out,only=None):
    C=conns(path)
    f=gzip.open(out,'wb') if out else None
    for k,c in C.items():
        if only and not only(k): continue
        if not any(e[0]=='S' for e in c['ev']): continue
        print(k,'partial' if c['partial'] else '', len(c['ev']), 'pend', sum(len(v) for v in c['pend'].values()), file=sys.stderr)
        if not f: continue
        def s(x): b=x.encode(); return struct.pack('>H',len(b))+b
        f.write(b'C'+s(k[0])+struct.pack('>H',k[1])+s(k[2])+struct.pack('>H',k[3])+bytes([1 if c['partial'] else 0]))
        lim={True:boundary(c,True),False:boundary(c,False)}
        for e in c['ev']:
            if e[0]=='S':
                _,o,ts,off,pay=e
                keep= off<lim[o]
                f.write(b'S'+bytes([1 if o else 0])+struct.pack('>dI',ts,len(pay))+bytes([1 if keep else 0]))
                if keep: f.write(pay)
            else:
                f.write(b'F'+bytes([1 if e[1] else 0])+struct.pack('>d',e[2]))
    if f: f.write(b'E'); f.close()
if __name__=='__main__':
    write(sys.argv[1], sys.argv[2] if len(sys.argv)>2 else None)
