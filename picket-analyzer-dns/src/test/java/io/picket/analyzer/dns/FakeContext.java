package io.picket.analyzer.dns;

import io.picket.analyzer.testing.RecordingContext;

/** The DNS tests' context: a client on 10.0.0.1:40000 and a server on 10.0.0.53, clock at 1000. */
final class FakeContext extends RecordingContext {
    FakeContext(String uid, String origHost, int origPort, String respHost, int respPort, String transport) {
        super(uid, origHost, origPort, respHost, respPort, transport);
        at(1000.0);
        start = 0;
    }

    static FakeContext udp(int respPort) {
        return new FakeContext("CTest", "10.0.0.1", 40000, "10.0.0.53", respPort, "udp");
    }

    static FakeContext tcp() {
        return new FakeContext("CTest", "10.0.0.1", 40000, "10.0.0.53", 53, "tcp");
    }

    @Override
    public FakeContext at(double t) {
        super.at(t);
        return this;
    }
}
