package io.picket.engine;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Watches the policy folder ({@code DIR/<tenant>/...}, every file and sub-folder) and reloads the
 * bundle of a tenant whose folder changed, on its own thread ({@code picket-policy-watch}), never
 * on the packet path. File events are debounced (a tenant is reloaded once its folder has been
 * quiet for the debounce time, so an editor's several writes make one reload); a polling pass
 * compares each tenant folder's listing (paths, sizes, modification times) as a fallback for file
 * systems without events; a change at the top level that names no tenant (a mounted volume
 * swapping a link) brings that pass forward. Failures to watch degrade to polling; nothing here
 * stops the run.
 */
final class PolicyWatcher implements AutoCloseable {
    static final long DEBOUNCE_MILLIS = 300;
    static final long POLL_MILLIS = 2000;

    private final Path dir;
    private final TenantPolicies policies;
    private final long debounceNanos;
    private final long pollNanos;
    private final Thread thread;
    private final WatchService watch;
    private final Map<WatchKey, Path> keys = new HashMap<>();
    private final long[] dirtySince;
    private final String[] fingerprints;
    private volatile boolean closed;

    private PolicyWatcher(Path dir, TenantPolicies policies, long debounceMillis, long pollMillis) {
        this.dir = dir;
        this.policies = policies;
        this.debounceNanos = TimeUnit.MILLISECONDS.toNanos(debounceMillis);
        this.pollNanos = TimeUnit.MILLISECONDS.toNanos(pollMillis);
        String[] ids = policies.tenantIds();
        this.dirtySince = new long[ids.length];
        this.fingerprints = new String[ids.length];
        for (int t = 0; t < ids.length; t++) {
            dirtySince[t] = -1;
            fingerprints[t] = fingerprint(dir.resolve(ids[t]));
        }
        WatchService ws = null;
        try {
            ws = FileSystems.getDefault().newWatchService();
            registerTree(ws, dir);
        } catch (IOException | UnsupportedOperationException e) {
            policies.report().accept("policy watch: " + dir + ": no file events (" + e.getMessage()
                    + "); polling every " + pollMillis + " ms");
            closeQuietly(ws);
            ws = null;
        }
        this.watch = ws;
        this.thread = Thread.ofPlatform().daemon().name("picket-policy-watch").unstarted(this::loop);
    }

    /** Starts watching {@code dir} with the default debounce and polling interval. */
    static PolicyWatcher start(Path dir, TenantPolicies policies) {
        return start(dir, policies, DEBOUNCE_MILLIS, POLL_MILLIS);
    }

    static PolicyWatcher start(Path dir, TenantPolicies policies, long debounceMillis, long pollMillis) {
        PolicyWatcher w = new PolicyWatcher(dir, policies, debounceMillis, pollMillis);
        w.thread.start();
        return w;
    }

    private void registerTree(WatchService ws, Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isDirectory).toList()) {
                register(ws, p);
            }
        }
    }

    private void register(WatchService ws, Path p) throws IOException {
        WatchKey k = p.register(ws, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
                StandardWatchEventKinds.ENTRY_MODIFY);
        keys.put(k, p);
    }

    /** When the next polling pass runs (watcher thread only). */
    private long nextPoll;

    private void loop() {
        nextPoll = System.nanoTime() + pollNanos;
        while (!closed) {
            long now = System.nanoTime();
            long wait = nextPoll - now;
            for (long since : dirtySince) {
                if (since >= 0) {
                    wait = Math.min(wait, since + debounceNanos - now);
                }
            }
            wait = Math.max(wait, TimeUnit.MILLISECONDS.toNanos(5));
            try {
                if (watch != null) {
                    WatchKey key = watch.poll(wait, TimeUnit.NANOSECONDS);
                    while (key != null) {
                        onKey(key);
                        key = watch.poll();
                    }
                } else {
                    Thread.sleep(TimeUnit.NANOSECONDS.toMillis(wait) + 1);
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
            if (closed) {
                return;
            }
            now = System.nanoTime();
            for (int t = 0; t < dirtySince.length; t++) {
                if (dirtySince[t] >= 0 && now - dirtySince[t] >= debounceNanos) {
                    dirtySince[t] = -1;
                    reload(t);
                }
            }
            if (now - nextPoll >= 0) {
                nextPoll = now + pollNanos;
                String[] ids = policies.tenantIds();
                for (int t = 0; t < ids.length; t++) {
                    if (dirtySince[t] < 0 && !fingerprint(dir.resolve(ids[t])).equals(fingerprints[t])) {
                        reload(t);
                    }
                }
            }
        }
    }

    private void onKey(WatchKey key) {
        Path base = keys.get(key);
        for (WatchEvent<?> ev : key.pollEvents()) {
            if (ev.kind() == StandardWatchEventKinds.OVERFLOW || base == null) {
                java.util.Arrays.fill(dirtySince, System.nanoTime());
                continue;
            }
            Path changed = base.resolve((Path) ev.context());
            if (ev.kind() == StandardWatchEventKinds.ENTRY_CREATE
                    && Files.isDirectory(changed, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    registerTree(watch, changed);
                } catch (IOException e) {
                    // the polling pass still sees this folder
                }
            }
            Path rel = dir.relativize(changed);
            if (rel.getNameCount() == 0 || rel.toString().isEmpty()) {
                continue;
            }
            int t = policies.indexOf(rel.getName(0).toString());
            if (t >= 0) {
                dirtySince[t] = System.nanoTime();
            } else {
                // not a tenant folder (e.g. a mounted volume swapping its "..data" link): compare
                // every tenant's listing once things are quiet
                long soon = System.nanoTime() + debounceNanos;
                if (soon - nextPoll < 0) {
                    nextPoll = soon;
                }
            }
        }
        if (!key.reset()) {
            keys.remove(key);
        }
    }

    private void reload(int t) {
        fingerprints[t] = fingerprint(dir.resolve(policies.tenantIds()[t]));
        try {
            policies.reload(t);
        } catch (RuntimeException e) {
            policies.report().accept("policy reload: tenant " + policies.tenantIds()[t] + ": failed: " + e);
        }
    }

    /**
     * Paths, sizes and modification times of every file under {@code tenantDir}, links followed
     * ("" when absent).
     */
    static String fingerprint(Path tenantDir) {
        if (!Files.isDirectory(tenantDir)) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> s = Files.walk(tenantDir, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
            List<Path> all = s.sorted().toList();
            for (Path p : all) {
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    sb.append(tenantDir.relativize(p)).append('|').append(a.size()).append('|')
                            .append(a.lastModifiedTime().toMillis()).append('\n');
                } catch (IOException e) {
                    sb.append(p).append("|?\n");
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            return "?" + e.getMessage();
        }
        return sb.toString();
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(watch);
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(WatchService ws) {
        if (ws != null) {
            try {
                ws.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }
}
