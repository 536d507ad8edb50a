package io.picket.analyzer.http;

import io.picket.analyzer.testing.RecordingContext;

/** The HTTP tests' context: 10.0.0.1:40000 to 10.0.0.2:80 over TCP. */
final class FakeContext extends RecordingContext {
    FakeContext() {
        this("CtestUid0000000001", "10.0.0.1", 40000, "10.0.0.2", 80);
    }

    FakeContext(String uid, String origHost, int origPort, String respHost, int respPort) {
        super(uid, origHost, origPort, respHost, respPort, "tcp");
        now = 1_000_000_000.0;
        start = 0;
    }
}
