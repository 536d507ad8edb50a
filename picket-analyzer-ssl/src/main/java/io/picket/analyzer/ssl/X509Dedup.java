package io.picket.analyzer.ssl;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Zeek's x509.log deduplication ({@code X509::known_log_certs} in base/files/x509/main.zeek):
 * a certificate is logged once per (fingerprint, host_cert, client_cert) until
 * {@code relog_known_certificates_after} of network time has passed since it was first logged
 * ({@code &create_expire}); the set stops growing at its maximum size (further certificates are
 * then always logged). Thread-safe: shared by the shard threads of a scope.
 */
public final class X509Dedup {
    private record Key(Object scope, String fingerprint, boolean hostCert, boolean clientCert) {
    }

    private final double relogAfter;
    private final int maximum;
    private final Map<Key, Double> known = new ConcurrentHashMap<>();
    private final AtomicInteger sweeps = new AtomicInteger();

    public X509Dedup(double relogAfterSeconds, int maximumSize) {
        this.relogAfter = relogAfterSeconds;
        this.maximum = maximumSize;
    }

    /** True when the certificate must be logged now (and records it as logged). */
    public boolean shouldLog(Object scope, String fingerprint, boolean hostCert, boolean clientCert, double now) {
        if (relogAfter <= 0) {
            return true;
        }
        Key key = new Key(scope, fingerprint, hostCert, clientCert);
        Double created = known.get(key);
        if (created != null) {
            if (now - created < relogAfter) {
                return false;
            }
            known.remove(key, created);
        }
        if (known.size() >= maximum) {
            sweep(now);
        }
        if (known.size() < maximum) {
            Double prev = known.putIfAbsent(key, now);
            if (prev != null && now - prev < relogAfter) {
                return false;
            }
        }
        return true;
    }

    /** Number of certificates currently known. */
    public int size() {
        return known.size();
    }

    private void sweep(double now) {
        if ((sweeps.incrementAndGet() & 0xff) != 1) {
            return;
        }
        for (Iterator<Map.Entry<Key, Double>> it = known.entrySet().iterator(); it.hasNext(); ) {
            if (now - it.next().getValue() >= relogAfter) {
                it.remove();
            }
        }
    }
}
