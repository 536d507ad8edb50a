package io.picket.analyzer.ssl;

import io.picket.analyzer.testing.RecordingContext;

/** The TLS tests' context: 10.0.0.1:40000 to 10.0.0.2:443 over TCP, clock at 0. */
final class FakeContext extends RecordingContext {
    FakeContext(String uid, String origHost, int origPort, String respHost, int respPort) {
        super(uid, origHost, origPort, respHost, respPort, "tcp");
        start = 0;
    }

    FakeContext() {
        this("CFake1", "10.0.0.1", 40000, "10.0.0.2", 443);
    }
}
