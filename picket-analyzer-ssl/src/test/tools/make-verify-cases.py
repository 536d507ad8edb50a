#!/usr/bin/env python3
"""Generates the certificate-validation test cases under src/test/resources/verify/.

Each case is a directory with roots.pem (the trust store), untrusted.pem (what the server sends
after its certificate; may be empty) and leaf.pem; cases.tsv lists the cases with the check time
and the status OpenSSL reports for them (the first error of `openssl verify -attime`, or "ok"),
which is what Zeek's x509_verify logs. The expected column is filled by running the openssl
command line (OpenSSL 3.0 here), so the Java verifier is compared with OpenSSL itself.

Usage: make-verify-cases.py <out-dir>   (needs python3-cryptography and openssl)
"""
import datetime
import os
import subprocess
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

OUT = sys.argv[1]
T0 = datetime.datetime(2023, 11, 14, 22, 13, 20, tzinfo=datetime.timezone.utc)  # 1700000000
CHECK = int(T0.timestamp())
DAY = datetime.timedelta(days=1)


def key(kind="ec"):
    if kind == "ec":
        return ec.generate_private_key(ec.SECP256R1())
    return rsa.generate_private_key(public_exponent=65537, key_size=int(kind[3:]))


def name(cn):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


class Cert:
    def __init__(self, cert, key):
        self.cert = cert
        self.key = key

    def pem(self):
        return self.cert.public_bytes(serialization.Encoding.PEM).decode()


def make(cn, issuer=None, k=None, ca=True, pathlen=None, bc=True, ku=None, before=-3650, after=3650,
         extra=(), skid=True, akid=True, hash_alg=None, serial=None):
    k = k or key()
    subject = name(cn)
    iss_name = issuer.cert.subject if issuer else subject
    sign_key = issuer.key if issuer else k
    b = (x509.CertificateBuilder().subject_name(subject).issuer_name(iss_name)
         .public_key(k.public_key()).serial_number(serial or x509.random_serial_number())
         .not_valid_before(T0 + before * DAY).not_valid_after(T0 + after * DAY))
    if bc:
        b = b.add_extension(x509.BasicConstraints(ca=ca, path_length=pathlen if ca else None), critical=True)
    if ku == "ca":
        b = b.add_extension(x509.KeyUsage(True, False, False, False, False, True, True, False, False), critical=True)
    elif ku == "nocertsign":
        b = b.add_extension(x509.KeyUsage(True, False, False, False, False, False, True, False, False), critical=True)
    if skid:
        b = b.add_extension(x509.SubjectKeyIdentifier.from_public_key(k.public_key()), critical=False)
    if akid and issuer is not None:
        b = b.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
                            critical=False)
    if not ca:
        b = b.add_extension(x509.SubjectAlternativeName([x509.DNSName(cn)]), critical=False)
    for ext, critical in extra:
        b = b.add_extension(ext, critical=critical)
    alg = hash_alg if hash_alg is not None else hashes.SHA256()
    return Cert(b.sign(sign_key, alg), k)


def corrupt(c):
    der = bytearray(c.cert.public_bytes(serialization.Encoding.DER))
    der[-5] ^= 0x01  # a bit of the signature value
    return Cert(x509.load_der_x509_certificate(bytes(der)), c.key)


cases = []


def case(cid, roots, chain, leaf, at=CHECK):
    cases.append((cid, roots, chain, leaf, at))


root = make("Test Root A")
inter = make("Test Intermediate A", root, pathlen=0)
leaf = make("leaf.example.com", inter, ca=False)
case("ok-three", [root], [inter], leaf)
case("ok-root-sent-too", [root], [inter, root], leaf)
case("missing-intermediate", [root], [], leaf)
case("leaf-expired", [root], [inter], make("expired.example.com", inter, ca=False, before=-30, after=-1))
case("leaf-not-yet-valid", [root], [inter], make("future.example.com", inter, ca=False, before=1, after=30))
old_inter = make("Test Intermediate Old", root, before=-100, after=-10)
case("intermediate-expired", [root], [old_inter], make("a.example.com", old_inter, ca=False))
old_root = make("Test Root Old", before=-100, after=-1)
oi = make("Test Intermediate Under Old", old_root)
case("root-expired", [old_root], [oi], make("b.example.com", oi, ca=False))
notca = make("Test Not A CA", root, ca=False)
case("intermediate-not-ca", [root], [notca], make("c.example.com", notca, ca=False))
nobc = make("Test No Basic Constraints", root, bc=False)
case("intermediate-without-basic-constraints", [root], [nobc], make("d.example.com", nobc, ca=False))
nocs = make("Test No Cert Sign", root, ku="nocertsign")
case("intermediate-key-usage-without-certsign", [root], [nocs], make("e.example.com", nocs, ca=False))
i0 = make("Test Path Len Zero", root, pathlen=0)
i1 = make("Test Below Path Len Zero", i0)
case("path-length-exceeded", [root], [i0, i1], make("f.example.com", i1, ca=False))
crit = x509.UnrecognizedExtension(x509.ObjectIdentifier("1.3.6.1.4.1.55555.1"), b"\x05\x00")
case("leaf-unknown-critical-extension", [root], [inter],
     make("g.example.com", inter, ca=False, extra=[(crit, True)]))
case("leaf-unknown-noncritical-extension", [root], [inter],
     make("h.example.com", inter, ca=False, extra=[(crit, False)]))
case("self-signed-leaf", [root], [], make("self.example.com", ca=False))
other_root = make("Test Root Unknown")
oi2 = make("Test Intermediate Unknown", other_root)
case("self-signed-in-chain", [root], [oi2, other_root], make("i.example.com", oi2, ca=False))
case("unknown-root-not-sent", [root], [oi2], make("j.example.com", oi2, ca=False))
case("store-holds-only-an-intermediate", [inter], [], make("k.example.com", inter, ca=False))
case("bad-leaf-signature", [root], [inter], corrupt(make("l.example.com", inter, ca=False)))
case("bad-intermediate-signature", [root], [corrupt(inter)], leaf)
case("leaf-in-store", [root, leaf], [], leaf)
self2 = make("self2.example.com", ca=False)
case("self-signed-leaf-in-store", [root, self2], [], self2)
case("self-signed-look-alike-of-a-root", [root], [], make("Test Root A"))
inter_expired_twin = make("Test Intermediate A", root, k=inter.key, before=-100, after=-10)
case("expired-twin-first", [root], [inter_expired_twin, inter], leaf)
case("only-expired-twin", [root], [inter_expired_twin], leaf)
cross_root = make("Test Root A", other_root, k=root.key)  # Test Root A cross-signed by the unknown root
case("cross-signed-root-sent", [root], [inter, cross_root, other_root], leaf)
case("cross-signed-only-other-root-trusted", [other_root], [inter, cross_root], leaf)
rsa_root = make("Test RSA Root", k=key("rsa2048"))
rsa_inter = make("Test RSA Intermediate", rsa_root, k=key("rsa2048"))


def openssl_leaf(issuer, cn, digest, bits=2048):
    """A leaf signed by the openssl command line with a digest cryptography refuses (valid from now, 30 days)."""
    import tempfile
    with tempfile.TemporaryDirectory() as t:
        ik, ic, lk, csr, lc = (os.path.join(t, n) for n in ("ik", "ic", "lk", "csr", "lc"))
        with open(ik, "wb") as f:
            f.write(issuer.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                             serialization.NoEncryption()))
        with open(ic, "w") as f:
            f.write(issuer.pem())
        subprocess.run(["openssl", "req", "-new", "-newkey", "rsa:%d" % bits, "-nodes", "-keyout", lk, "-subj",
                        "/CN=" + cn, "-out", csr], check=True, capture_output=True)
        subprocess.run(["openssl", "x509", "-req", "-" + digest, "-in", csr, "-CA", ic, "-CAkey", ik, "-set_serial",
                        "7", "-days", "30", "-out", lc], check=True, capture_output=True)
        with open(lc, "rb") as f:
            return Cert(x509.load_pem_x509_certificate(f.read()), None)


for digest, bits, cid in (("md5", 2048, "md5-signed-leaf"), ("sha1", 2048, "sha1-signed-leaf"),
                          ("sha256", 512, "rsa512-leaf-key")):
    lf = openssl_leaf(rsa_inter, cid + ".example.com", digest, bits)
    case(cid, [rsa_root], [rsa_inter], lf, int(lf.cert.not_valid_before_utc.timestamp()) + 86400)
nc = x509.NameConstraints(permitted_subtrees=[x509.DNSName("allowed.example")], excluded_subtrees=None)
nci = make("Test Constrained Intermediate", root, extra=[(nc, True)])
case("name-constraints-permitted", [root], [nci], make("www.allowed.example", nci, ca=False))
case("name-constraints-violated", [root], [nci], make("www.other.example", nci, ca=False))
ex = x509.NameConstraints(permitted_subtrees=None, excluded_subtrees=[x509.DNSName("bad.example")])
exi = make("Test Excluding Intermediate", root, extra=[(ex, True)])
case("name-constraints-excluded", [root], [exi], make("www.bad.example", exi, ca=False))
ncroot = make("Test Constrained Root", extra=[(ex, True)])
ncri = make("Test Intermediate Under Constrained Root", ncroot)
case("root-name-constraints-excluded", [ncroot], [ncri], make("www.bad.example", ncri, ca=False))
case("root-name-constraints-fine", [ncroot], [ncri], make("www.good.example", ncri, ca=False))
noakid_leaf = make("m.example.com", inter, ca=False, akid=False)
case("leaf-without-akid", [root], [inter], noakid_leaf)
wrong = make("Test Intermediate A", root)  # same name, other key
case("akid-selects-the-right-twin", [root], [wrong, inter], leaf)
case("expired-leaf-and-root", [old_root], [oi], make("n.example.com", oi, ca=False, before=-30, after=-2))

os.makedirs(OUT, exist_ok=True)
rows = []
for cid, roots, chain, lf, at in cases:
    d = os.path.join(OUT, cid)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "roots.pem"), "w") as f:
        f.write("".join(c.pem() for c in roots))
    with open(os.path.join(d, "untrusted.pem"), "w") as f:
        f.write("".join(c.pem() for c in chain))
    with open(os.path.join(d, "leaf.pem"), "w") as f:
        f.write(lf.pem())
    cmd = ["openssl", "verify", "-attime", str(at), "-CAfile", os.path.join(d, "roots.pem")]
    if chain:
        cmd += ["-untrusted", os.path.join(d, "untrusted.pem")]
    cmd.append(os.path.join(d, "leaf.pem"))
    out = subprocess.run(cmd, capture_output=True, text=True).stdout + subprocess.run(
        cmd, capture_output=True, text=True).stderr
    status = None
    for line in out.splitlines():
        if line.startswith("error ") and " lookup: " in line:
            status = line.split(" lookup: ", 1)[1]
            break
    if status is None and out.strip().endswith(": OK"):
        status = "ok"
    rows.append(f"{cid}\t{at}\t{status}")
version = subprocess.run(["openssl", "version"], capture_output=True, text=True).stdout.strip()
with open(os.path.join(OUT, "cases.tsv"), "w") as f:
    f.write(f"# case\tcheck time\tfirst error of `openssl verify -attime` ({version})\n")
    f.write("\n".join(rows) + "\n")
print("\n".join(rows))
