package io.picket.sink.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The spool against a model queue: every appended record is read, in order, until acknowledged. */
class SpoolPropertiesTest {
    private static final SpoolOptions OPTIONS = new SpoolOptions(64L << 20, 64L << 10, 8192,
            SpoolOptions.Overflow.DROP_OLDEST, SpoolOptions.Fsync.NEVER, Duration.ofSeconds(1));

    /** An operation: 0 append n records, 1 flush, 2 read up to n, 3 ack, 4 close and reopen. */
    record Op(int kind, int n) {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        return Arbitraries.integers().between(0, 4).flatMap(k -> Arbitraries.integers().between(1, 300).map(n -> new Op(k, n)))
                .list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 25)
    void shouldReadEveryRecordInOrderWhenOperationsInterleave(@ForAll("ops") List<Op> ops) throws IOException {
        Path dir = SinkTestSupport.tempDir("spool-prop");
        List<Integer> appended = new ArrayList<>(); // model: everything appended (published or not)
        int published = 0; // appended records made readable
        int acked = 0; // model cursor
        int read = 0; // model read position
        Spool s = Spool.open(dir, OPTIONS);
        try {
            for (Op op : ops) {
                switch (op.kind()) {
                    case 0 -> {
                        for (int i = 0; i < op.n(); i++) {
                            int v = appended.size();
                            byte[] r = new byte[4 + (v % 700)];
                            ByteBuffer.wrap(r).putInt(v);
                            assertThat(s.append(r)).isEqualTo(v);
                            appended.add(v);
                        }
                    }
                    case 1 -> {
                        s.flush();
                        published = appended.size();
                    }
                    case 2 -> {
                        List<byte[]> out = new ArrayList<>();
                        int got = s.read(out, op.n(), 1L << 30);
                        // Records become readable at flush, or earlier when the write buffer fills.
                        assertThat(got).isLessThanOrEqualTo(Math.min(op.n(), appended.size() - read));
                        if (published > read) {
                            assertThat(got).isGreaterThanOrEqualTo(Math.min(op.n(), published - read));
                        }
                        for (byte[] r : out) {
                            assertThat(ByteBuffer.wrap(r).getInt()).isEqualTo(read++);
                        }
                        published = Math.max(published, read);
                    }
                    case 3 -> {
                        s.ack();
                        acked = read;
                    }
                    default -> {
                        s.close(); // close writes buffered records
                        published = appended.size();
                        s = Spool.open(dir, OPTIONS);
                        read = acked;
                        assertThat(s.pendingRecords()).isEqualTo(appended.size() - acked);
                    }
                }
            }
            s.flush();
            List<byte[]> rest = new ArrayList<>();
            while (s.read(rest, 1000, 1L << 30) > 0) {
                // drain
            }
            assertThat(rest).hasSize(appended.size() - read);
            for (byte[] r : rest) {
                assertThat(ByteBuffer.wrap(r).getInt()).isEqualTo(read++);
            }
        } finally {
            s.close();
        }
    }
}
