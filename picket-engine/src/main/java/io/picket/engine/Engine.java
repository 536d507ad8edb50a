package io.picket.engine;

import io.picket.capture.CaptureException;
import io.picket.capture.CaptureFiles;
import io.picket.capture.PacketSource;
import io.picket.capture.RawPacket;
import io.picket.log.LogSink;
import io.picket.log.format.JsonFormat;
import io.picket.log.writer.FileLogSink;
import io.picket.tenant.TenantConfigException;
import io.picket.tenant.TenantsConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the pipeline over capture files or live sources:
 *
 * <pre>
 * capture (pcap/pcapng, memory-mapped)                         [every shard thread]
 *   -> route: symmetric hash of VLANs + address pair -> shard  [every shard thread; keeps its own]
 *   -> decode -> tenant select -> connections -> analyzers     [shard thread]
 *   -> log records -> log sink                                 [writer thread]
 * </pre>
 *
 * With one worker everything up to the sink runs on the calling thread. With N workers each
 * shard reads the input and owns the flows routed to it from lookup to log record; the logs are
 * the same records as with one worker (as a multiset; uids differ). Live input runs one shard per
 * socket ({@link #runSources}, Suricata's "workers") or capture threads feeding shard queues
 * ({@link #runAutofp}).
 */
public final class Engine {

    private Engine() {
    }

    /**
     * Runs {@code config} to completion, writing logs to files and to the network sinks the
     * tenants configured (spooled under {@code <logs>/.spool}).
     */
    public static RunSummary run(EngineConfig config, ProgressListener progress)
            throws CaptureException, TenantConfigException, IOException {
        return run(config, sinks(config), progress);
    }

    /** The file sink plus every tenant's configured network sinks, validated. */
    public static LogSink sinks(EngineConfig config) throws IOException {
        FileLogSink files = fileSink(config);
        List<java.util.function.DoubleConsumer> clocks = new ArrayList<>();
        if (config.logFiles().rotates() && !config.inputs().isEmpty()) {
            clocks.add(files::advanceNetworkTime);
        }
        try {
            LogSink sinks = TenantSinks.build(config, files, config.logDir().resolve(".spool"), clocks);
            if (clocks.size() == 1) {
                NETWORK_TIME.set(clocks.getFirst());
            } else if (!clocks.isEmpty()) {
                java.util.function.DoubleConsumer[] all = clocks.toArray(java.util.function.DoubleConsumer[]::new);
                NETWORK_TIME.set(t -> {
                    for (java.util.function.DoubleConsumer c : all) {
                        c.accept(t);
                    }
                });
            }
            return sinks;
        } catch (TenantSinks.Invalid e) {
            files.close();
            throw new InvalidSinks(e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            files.close();
            throw e;
        }
    }

    /** Runs {@code config} to completion, writing logs to {@code sink} (closed at the end). */
    public static RunSummary run(EngineConfig config, LogSink sink, ProgressListener progress)
            throws CaptureException, TenantConfigException, IOException {
        return run(config, sink, progress, null, 0);
    }

    /**
     * Runs live sources with a hand-off (Suricata's "autofp"): one capture thread per source
     * routes each frame by {@link FlowRouter} and copies it into the queue ({@link FrameRing} of
     * {@code queueBytes}) of its shard; {@code config.workers()} shard threads (plus the dedicated
     * tenants' shards) process them. Capture never waits: a frame that finds its shard's queue
     * full, or its tenant over {@code max_queue_slots} in that queue, is dropped and counted for
     * its tenant ({@link TenantStats#queueFullDrops}, {@link TenantStats#queueQuotaDrops}).
     * Capture threads run on the core plan's capture cores. Ends when every source has stopped.
     */
    public static RunSummary runAutofp(EngineConfig config, List<? extends PacketSource> sources, LogSink sink,
            ProgressListener progress, long queueBytes) throws CaptureException, TenantConfigException, IOException {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("no capture sources");
        }
        return run(config, sink, progress, sources, queueBytes);
    }

    private static RunSummary run(EngineConfig config, LogSink sink, ProgressListener progress,
            List<? extends PacketSource> liveSources, long queueBytes)
            throws CaptureException, TenantConfigException, IOException {
        TenantPolicies running = null;
        LiveRun live = null;
        try {
            TenantsConfig tenants = config.tenantsFile() == null ? TenantsConfig.singleDefault()
                    : TenantsConfig.load(config.tenantsFile());
            TenantPolicies policies = loadPolicies(config, tenants);
            // one registry for all shards: providers may hold run-wide state (e.g. x509 dedup)
            io.picket.analyzer.AnalyzerRegistry registry = loadAnalyzers(config);
            running = policies.start(registry);
            io.picket.flow.TenantQuotas quotas = io.picket.flow.TenantQuotas.of(tenants.tenants());
            io.picket.affinity.CorePlan plan = corePlan(tenants);
            int pool = Math.max(1, config.workers());
            int[] groupStart = new int[tenants.size()];
            int[] groupSize = new int[tenants.size()];
            List<io.picket.affinity.CpuSet> pins = new ArrayList<>();
            List<String> roles = new ArrayList<>();
            for (int i = 0; i < pool; i++) {
                pins.add(plan == null ? null : plan.sharedPool());
                roles.add("pool");
            }
            int next = pool;
            for (int t = 0; t < tenants.size(); t++) {
                io.picket.affinity.CpuSet cores = tenants.tenant(t).dedicatedCores();
                if (plan != null && !cores.isEmpty()) {
                    groupStart[t] = next;
                    groupSize[t] = cores.size();
                    for (int k = 0; k < cores.size(); k++) {
                        pins.add(plan.forShard(tenants.tenant(t).id(), k));
                        roles.add("tenant " + tenants.tenant(t).id());
                        next++;
                    }
                }
            }
            List<Shard> shards = new ArrayList<>();
            for (int i = 0; i < next; i++) {
                shards.add(new Shard(config, tenants, sink, i, policies, registry, quotas));
            }
            long start = System.nanoTime();
            List<String> placement = new java.util.concurrent.CopyOnWriteArrayList<>();
            Map<String, Double> cpu = new java.util.concurrent.ConcurrentHashMap<>();
            live = LiveRun.start(config, shards, sink, start, placement);
            ReadResult counts;
            if (liveSources != null) {
                List<FlowRouter> routers = new ArrayList<>();
                for (int i = 0; i < liveSources.size(); i++) {
                    routers.add(new FlowRouter(shards.get(0).selector(), config.vlanKey(), pool,
                            plan == null ? null : groupStart, plan == null ? null : groupSize));
                }
                counts = autofp(tenants, shards, liveSources, routers, queueBytes, pins, roles, placement,
                        plan == null ? null : plan.capture(), cpu);
            } else if (next == 1) {
                long cpu0 = cpuNow();
                counts = single(config, shards.get(0), progress);
                recordCpu(cpu, "picket-shard-0", cpu0);
            } else {
                List<FlowRouter> routers = new ArrayList<>();
                for (Shard s : shards) {
                    routers.add(new FlowRouter(s.selector(), config.vlanKey(), pool,
                            plan == null ? null : groupStart, plan == null ? null : groupSize));
                }
                counts = readingShards(config, shards, progress, routers, pins, roles, placement, cpu);
            }
            LiveRun.end(live);
            running.stop();
            sink.close();
            return summary(config, shards, sink, counts, start, placement, cpu);
        } finally {
            LiveRun.end(live);
            if (running != null) {
                running.stop();
            }
            sink.close();
        }
    }

    private static ReadResult single(EngineConfig config, Shard shard, ProgressListener progress)
            throws CaptureException {
        long packets = 0;
        long bytes = 0;
        RawPacket raw = new RawPacket();
        List<String> warnings;
        try (PacketSource source = CaptureFiles.openAll(config.inputs())) {
            java.util.function.DoubleConsumer clock = NETWORK_TIME.get();
            NETWORK_TIME.remove();
            while (source.next(raw)) {
                packets++;
                bytes += raw.capturedLength;
                if (clock != null) {
                    clock.accept(raw.time());
                }
                shard.onPacket(raw);
                if ((packets & 0x3FFF) == 0) {
                    progress.onProgress(packets, bytes, 0, 0);
                }
            }
            warnings = source.warnings();
            shard.finish();
        }
        progress.onProgress(packets, bytes, 0, 0);
        return new ReadResult(packets, bytes, List.copyOf(warnings));
    }

    /**
     * File input on several shards, each shard reading the whole (memory-mapped, page-cached)
     * input itself and processing only the frames the router gives it: no capture thread and no
     * hand-off, so N shards are N busy threads on N cores. The light per-frame routing parse is
     * done by every shard; the frame bytes each shard decodes are read by that shard's core only.
     * Every shard's network time follows every frame of the input, so timers fire when they
     * would with one worker, and every shard ends at the last frame's time. The first
     * shard reports progress, counts and warnings (the others read the same records).
     */
    private static ReadResult readingShards(EngineConfig config, List<Shard> shards, ProgressListener progress,
            List<FlowRouter> routers, List<io.picket.affinity.CpuSet> pins, List<String> roles,
            List<String> placement, Map<String, Double> cpu) throws CaptureException {
        int n = shards.size();
        Thread[] threads = new Thread[n];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        ReadResult[] results = new ReadResult[n];
        java.util.function.DoubleConsumer clock = NETWORK_TIME.get();
        NETWORK_TIME.remove();
        // mapped once: the shards fault each page in once and share it
        io.picket.capture.SharedCapture input = io.picket.capture.SharedCapture.map(config.inputs());
        Lockstep lockstep = new Lockstep(roles);
        for (int i = 0; i < n; i++) {
            Shard shard = shards.get(i);
            FlowRouter router = routers.get(i);
            io.picket.affinity.CpuSet pin = pins.get(i);
            String role = roles.get(i);
            int index = i;
            threads[i] = Thread.ofPlatform().name("picket-shard-" + i).start(() -> {
                placement.add(pin(index, role, pin));
                boolean first = index == 0;
                long read = 0;
                long bytes = 0;
                double last = Double.NEGATIVE_INFINITY;
                RawPacket raw = new RawPacket();
                try (PacketSource source = input.open(index, n)) {
                    while (source.next(raw)) {
                        last = raw.time();
                        bytes += raw.capturedLength;
                        if ((++read & (Lockstep.STRIDE - 1)) == 0) {
                            lockstep.at(index, read);
                        }
                        if (first) {
                            if (clock != null) {
                                clock.accept(last);
                            }
                            if ((read & 0x3FFF) == 0) {
                                progress.onProgress(read, bytes, 0, 0);
                            }
                        }
                        if (router.shardOf(raw) == index) {
                            shard.onPacket(raw);
                        } else {
                            // one clock for all shards, as with one worker: timers fire at the same times
                            shard.idle(last);
                        }
                    }
                    shard.finish(last);
                    results[index] = new ReadResult(read, bytes, List.copyOf(source.warnings()));
                    recordCpu(cpu, 0);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    lockstep.done(index);
                }
            });
        }
        for (Thread t : threads) {
            joinUninterruptibly(t);
        }
        input.close();
        rethrow(failure.get(), "shard");
        progress.onProgress(results[0].packets(), results[0].bytes(), 0, 0);
        return results[0];
    }

    /**
     * Keeps the shards that read the same input within {@link #SKEW} frames of each other, as a
     * reading thread's rings did: state shared across shards (a tenant's flow and reassembly quotas,
     * notice watermarks, policy swaps) then sees roughly one clock, so a shard racing ahead cannot
     * use up a tenant's quota with flows "from the future" of the others. Only shards that share
     * tenants are held together: the shared pool, and each dedicated tenant's shards (a tenant's
     * flows never leave its group), so a dedicated tenant with a slow policy never holds back the
     * others. Each shard publishes how many frames it has read every {@link #STRIDE} frames (its
     * own padded slot) and waits while it is more than {@link #SKEW} ahead of the slowest shard of
     * its group still reading.
     */
    static final class Lockstep {
        static final int STRIDE = 64;
        static final long SKEW = 1024;
        private static final long DONE = Long.MAX_VALUE;
        private final java.util.concurrent.atomic.AtomicLongArray read;
        /** Per shard, the shards of its group. */
        private final int[][] group;

        /** {@code roles}: per shard, its group's name (the pool, or the dedicated tenant). */
        Lockstep(List<String> roles) {
            int n = roles.size();
            this.read = new java.util.concurrent.atomic.AtomicLongArray(n * 16);
            this.group = new int[n][];
            for (int i = 0; i < n; i++) {
                String role = roles.get(i);
                group[i] = java.util.stream.IntStream.range(0, n).filter(j -> roles.get(j).equals(role)).toArray();
            }
        }

        void at(int shard, long frames) {
            read.setRelease(shard * 16, frames);
            int spins = 0;
            while (frames - slowest(shard) > SKEW) {
                if (++spins < 100) {
                    Thread.onSpinWait();
                } else {
                    java.util.concurrent.locks.LockSupport.parkNanos(20_000);
                }
            }
        }

        void done(int shard) {
            read.setRelease(shard * 16, DONE);
        }

        /** Frames {@code shard} has published (Long.MAX_VALUE once done). */
        long published(int shard) {
            return read.getAcquire(shard * 16);
        }

        private long slowest(int shard) {
            long min = DONE;
            for (int i : group[shard]) {
                min = Math.min(min, read.getAcquire(i * 16));
            }
            return min;
        }
    }

    /** Shard thread of {@link #runAutofp}: drains its queues until every capture thread has closed its own. */
    private static void drain(Shard shard, FrameRing[] queues) {
        RawPacket raw = new RawPacket();
        long quietSince = System.nanoTime();
        int spins = 0;
        while (true) {
            boolean any = false;
            for (FrameRing q : queues) {
                for (int k = 0; k < 256 && q.poll(raw); k++) {
                    shard.onPacket(raw);
                    q.release();
                    any = true;
                }
            }
            if (any) {
                spins = 0;
                quietSince = System.nanoTime();
                continue;
            }
            boolean closed = true;
            for (FrameRing q : queues) {
                closed &= q.closed();
            }
            if (closed) {
                // closed is written after the last frame: one more pass sees everything
                boolean more = false;
                for (FrameRing q : queues) {
                    while (q.poll(raw)) {
                        shard.onPacket(raw);
                        q.release();
                        more = true;
                    }
                }
                if (!more) {
                    return;
                }
                continue;
            }
            if (++spins < 200) {
                Thread.onSpinWait();
                continue;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(50_000);
            if (System.nanoTime() - quietSince > 100_000_000L) {
                // a quiet link: network time follows the wall clock, so timeouts fire
                shard.idle(System.currentTimeMillis() / 1000.0);
                quietSince = System.nanoTime();
            }
        }
    }

    private static ReadResult autofp(TenantsConfig tenants, List<Shard> shards, List<? extends PacketSource> sources,
            List<FlowRouter> routers, long queueBytes, List<io.picket.affinity.CpuSet> pins, List<String> roles,
            List<String> placement, io.picket.affinity.CpuSet captureCores, Map<String, Double> cpu)
            throws CaptureException {
        int n = shards.size();
        int m = sources.size();
        int tenantCount = tenants.size();
        long[] quota = new long[tenantCount];
        for (int t = 0; t < tenantCount; t++) {
            quota[t] = tenants.tenant(t).limits().maxQueueSlots();
        }
        FrameRing[][] queues = new FrameRing[n][m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                queues[i][j] = new FrameRing(queueBytes, tenantCount);
            }
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> shardThreads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Shard shard = shards.get(i);
            io.picket.affinity.CpuSet pin = pins.get(i);
            String role = roles.get(i);
            int index = i;
            shardThreads.add(Thread.ofPlatform().name("picket-shard-" + i).start(() -> {
                placement.add(pin(index, role, pin));
                try {
                    drain(shard, queues[index]);
                    shard.finish();
                    recordCpu(cpu, 0);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                    for (PacketSource src : sources) {
                        src.stop();
                    }
                    // keep draining so capture keeps its queues moving until the sources stop
                    RawPacket sink = new RawPacket();
                    while (true) {
                        boolean closed = true;
                        for (FrameRing q : queues[index]) {
                            while (q.poll(sink)) {
                                q.release();
                            }
                            closed &= q.closed();
                        }
                        if (closed) {
                            break;
                        }
                        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                    }
                }
            }));
        }
        // per capture thread: packets, bytes, then per tenant slot (tenants + none) full and over-quota drops
        long[][] counts = new long[m][2 + 2 * (tenantCount + 1)];
        List<Thread> captureThreads = new ArrayList<>();
        for (int j = 0; j < m; j++) {
            PacketSource src = sources.get(j);
            FlowRouter router = routers.get(j);
            long[] c = counts[j];
            int jj = j;
            captureThreads.add(Thread.ofPlatform().name("picket-capture-" + src.name() + "-" + j).start(() -> {
                placement.add(pin(-1, "capture " + src.name(), captureCores));
                RawPacket raw = new RawPacket();
                try {
                    while (true) {
                        int r = src.poll(raw, 100);
                        if (r == PacketSource.STOPPED) {
                            break;
                        }
                        if (r == PacketSource.TIMEOUT) {
                            continue;
                        }
                        c[0]++;
                        c[1] += raw.capturedLength;
                        int s = router.route(raw);
                        int t = router.lastTenant();
                        int slot = t >= 0 && t < tenantCount ? t : tenantCount;
                        int res = queues[s][jj].offer(raw, t, slot < tenantCount ? quota[slot] : -1);
                        if (res == FrameRing.FULL) {
                            c[2 + 2 * slot]++;
                        } else if (res == FrameRing.OVER_QUOTA) {
                            c[3 + 2 * slot]++;
                        }
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                    for (PacketSource other : sources) {
                        other.stop();
                    }
                } finally {
                    for (int i = 0; i < n; i++) {
                        queues[i][jj].close();
                    }
                    recordCpu(cpu, 0);
                }
            }));
        }
        for (Thread t : captureThreads) {
            joinUninterruptibly(t);
        }
        for (Thread t : shardThreads) {
            joinUninterruptibly(t);
        }
        long packets = 0;
        long bytes = 0;
        long unassignedDrops = 0;
        TenantStats[] first = shards.get(0).stats();
        for (long[] c : counts) {
            packets += c[0];
            bytes += c[1];
            for (int t = 0; t < tenantCount; t++) {
                first[t].queueFullDrops += c[2 + 2 * t];
                first[t].queueQuotaDrops += c[3 + 2 * t];
            }
            unassignedDrops += c[2 + 2 * tenantCount];
        }
        List<String> warnings = new ArrayList<>();
        for (PacketSource src : sources) {
            warnings.addAll(src.warnings());
        }
        if (unassignedDrops > 0) {
            warnings.add(unassignedDrops + " frames of no tenant dropped: shard queue full");
        }
        rethrow(failure.get(), "capture");
        return new ReadResult(packets, bytes, warnings);
    }

    /**
     * Runs live sources until every one of them stops: one thread per source, each with its own
     * shard (spread flows over several sources of one interface with kernel fanout, which hashes
     * both directions alike). While a source is quiet its shard's network time follows the wall
     * clock, so timeouts fire. Logs go to {@code sink}, which is closed at the end.
     */
    public static RunSummary runSources(EngineConfig config, List<? extends PacketSource> sources, LogSink sink,
            ProgressListener progress) throws TenantConfigException, IOException, CaptureException {
        TenantPolicies running = null;
        LiveRun live = null;
        try {
            TenantsConfig tenants = config.tenantsFile() == null ? TenantsConfig.singleDefault()
                    : TenantsConfig.load(config.tenantsFile());
            TenantPolicies policies = loadPolicies(config, tenants);
            // one registry for all shards: providers may hold run-wide state (e.g. x509 dedup)
            io.picket.analyzer.AnalyzerRegistry registry = loadAnalyzers(config);
            running = policies.start(registry);
            io.picket.flow.TenantQuotas quotas = io.picket.flow.TenantQuotas.of(tenants.tenants());
            List<Shard> shards = new ArrayList<>();
            for (int i = 0; i < sources.size(); i++) {
                shards.add(new Shard(config, tenants, sink, i, policies, registry, quotas));
            }
            io.picket.affinity.CorePlan plan = corePlan(tenants);
            List<io.picket.affinity.CpuSet> pins = livePins(plan, tenants, sources);
            List<String> placement = new java.util.concurrent.CopyOnWriteArrayList<>();
            Map<String, Double> cpu = new java.util.concurrent.ConcurrentHashMap<>();
            long start = System.nanoTime();
            live = LiveRun.start(config, shards, sink, start, placement);
            // per-thread totals, a cache line (8 longs) apart: no shared write per packet
            long[] counts = new long[sources.size() * 16];
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < sources.size(); i++) {
                PacketSource src = sources.get(i);
                Shard shard = shards.get(i);
                io.picket.affinity.CpuSet pin = pins.get(i);
                int index = i;
                threads.add(Thread.ofPlatform().name("picket-capture-" + src.name() + "-" + i).start(() -> {
                    placement.add(pin(index, "capture " + src.name(), pin));
                    RawPacket raw = new RawPacket();
                    long packets = 0;
                    long bytes = 0;
                    try {
                        while (true) {
                            int r = src.poll(raw, 100);
                            if (r == PacketSource.STOPPED) {
                                break;
                            }
                            if (r == PacketSource.TIMEOUT) {
                                shard.idle(System.currentTimeMillis() / 1000.0);
                                continue;
                            }
                            packets++;
                            bytes += raw.capturedLength;
                            shard.onPacket(raw);
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                        for (PacketSource other : sources) {
                            other.stop();
                        }
                    } finally {
                        counts[index * 16] = packets;
                        counts[index * 16 + 8] = bytes;
                        shard.finish();
                        recordCpu(cpu, 0);
                    }
                }));
            }
            for (Thread t : threads) {
                joinUninterruptibly(t);
            }
            long packets = 0;
            long bytes = 0;
            for (int i = 0; i < sources.size(); i++) {
                packets += counts[i * 16];
                bytes += counts[i * 16 + 8];
            }
            List<String> warnings = new ArrayList<>();
            for (PacketSource s : sources) {
                warnings.addAll(s.warnings());
            }
            rethrow(failure.get(), "capture");
            progress.onProgress(packets, bytes, 0, 0);
            LiveRun.end(live);
            running.stop();
            sink.close();
            return summary(config, shards, sink, new ReadResult(packets, bytes, warnings), start, placement, cpu);
        } finally {
            LiveRun.end(live);
            if (running != null) {
                running.stop();
            }
            sink.close();
        }
    }

    /**
     * A file sink for {@code config} (Zeek TSV or JSON under its log folder, rotated as configured:
     * on network time for file input, wall-clock time for live capture).
     */
    public static FileLogSink fileSink(EngineConfig config) {
        FileLogSink.Options opts = FileLogSink.Options.defaults()
                .withFormat(config.json() ? FileLogSink.Format.JSON : FileLogSink.Format.TSV)
                .withJsonTimestamps(config.jsonIsoTimestamps() ? JsonFormat.Timestamps.ISO8601
                        : JsonFormat.Timestamps.EPOCH);
        LogFiles lf = config.logFiles();
        if (lf.rotates()) {
            FileLogSink.Rotation r = FileLogSink.Rotation.NONE.withInterval(lf.rotateInterval())
                    .withMaxBytes(lf.rotateBytes())
                    .withCompression(switch (lf.compression()) {
                        case "gzip" -> FileLogSink.Compression.GZIP;
                        case "zstd" -> FileLogSink.Compression.ZSTD;
                        default -> FileLogSink.Compression.NONE;
                    })
                    .withClock(config.inputs().isEmpty() ? FileLogSink.RotationClock.WALL_CLOCK
                            : FileLogSink.RotationClock.NETWORK_TIME);
            opts = opts.withRotation(r);
        }
        return new FileLogSink(config.logDir(), opts);
    }

    /** Thrown when a tenant's {@code sinks:} configuration is invalid; lists every problem. */
    public static final class InvalidSinks extends IOException {
        private static final long serialVersionUID = 1L;

        InvalidSinks(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Thrown when a tenant's policy bundle is invalid; the message lists every problem. */
    public static final class PolicyLoadException extends IOException {
        private static final long serialVersionUID = 1L;

        PolicyLoadException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Reloads every tenant's policy bundle of the runs in progress in this JVM, on the calling
     * thread: each valid bundle is swapped in for new connections, an invalid one is rejected
     * and the running bundle stays. Returns one outcome per tenant (empty when nothing runs).
     */
    public static List<PolicyReload> reloadPolicies() {
        List<PolicyReload> out = new ArrayList<>();
        for (TenantPolicies p : TenantPolicies.RUNNING) {
            for (int t = 0; t < p.tenantIds().length; t++) {
                out.add(p.reload(t));
            }
        }
        return out;
    }

    /** As {@link #reloadPolicies()} for one tenant. */
    public static List<PolicyReload> reloadPolicies(String tenant) {
        List<PolicyReload> out = new ArrayList<>();
        for (TenantPolicies p : TenantPolicies.RUNNING) {
            int t = p.indexOf(tenant);
            if (t >= 0) {
                out.add(p.reload(t));
            }
        }
        return out;
    }

    private static TenantPolicies loadPolicies(EngineConfig config, TenantsConfig tenants) throws IOException {
        try {
            return TenantPolicies.load(config.policy(), tenants,
                    config.policy().policyDir() == null ? java.util.Map.of() : LogCatalog.of(config));
        } catch (io.picket.policy.PolicyException e) {
            throw new PolicyLoadException(e.getMessage(), e);
        }
    }

    private static void joinUninterruptibly(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private record ReadResult(long packets, long bytes, List<String> warnings) {
    }

    /**
     * Rethrows what a packet thread failed with, if anything: a capture error as it is (its
     * message names the file and offset), anything else as "{@code what} failed".
     */
    private static void rethrow(Throwable f, String what) throws CaptureException {
        if (f instanceof CaptureException e) {
            throw e;
        }
        if (f != null) {
            throw new IllegalStateException(what + " failed: " + f, f);
        }
    }

    /** Records the calling thread's CPU time since {@code startNanos} (its CPU time at its start). */
    private static void recordCpu(Map<String, Double> into, long startNanos) {
        recordCpu(into, Thread.currentThread().getName(), startNanos);
    }

    private static void recordCpu(Map<String, Double> into, String name, long startNanos) {
        long now = cpuNow();
        if (now >= 0 && startNanos >= 0) {
            into.put(name, (now - startNanos) / 1e9);
        }
    }

    private static long cpuNow() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    /** Network-time feed of a rotating file sink of the run being set up on this thread. */
    private static final ThreadLocal<java.util.function.DoubleConsumer> NETWORK_TIME = new ThreadLocal<>();

    /** Pins the calling thread (when {@code cpus} is given) and describes where it runs. */
    private static String pin(int shard, String role, io.picket.affinity.CpuSet cpus) {
        String who = shard < 0 ? role : "shard " + shard + " (" + role + ")";
        if (cpus != null) {
            try {
                io.picket.affinity.Affinity.pinCurrentThread(cpus);
            } catch (io.picket.affinity.AffinityException e) {
                return who + ": not pinned: " + e.getMessage();
            }
        }
        String allowed = "?";
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/thread-self/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    allowed = line.substring(18).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return who + ": cpus " + allowed;
    }

    /**
     * Where each live source's thread (capture and shard in one) runs: with no dedicated tenant,
     * anywhere (null); a source on an interface that belongs to one tenant with dedicated cores
     * (an SR-IOV VF mapped in tenants.yaml) on that tenant's cores, the k-th socket of the
     * interface on its k-th core (round robin); every other source on the shared pool.
     */
    static List<io.picket.affinity.CpuSet> livePins(io.picket.affinity.CorePlan plan, TenantsConfig tenants,
            List<? extends PacketSource> sources) {
        List<io.picket.affinity.CpuSet> pins = new ArrayList<>();
        java.util.Map<String, Integer> nth = new java.util.HashMap<>();
        for (PacketSource src : sources) {
            if (plan == null) {
                pins.add(null);
                continue;
            }
            String owner = null;
            int owners = 0;
            for (int t = 0; t < tenants.size(); t++) {
                if (tenants.tenant(t).interfaces().contains(src.name())) {
                    owner = tenants.tenant(t).id();
                    owners++;
                }
            }
            int k = nth.merge(src.name(), 1, Integer::sum) - 1;
            boolean dedicated = owners == 1
                    && !tenants.tenant(tenants.indexOf(owner)).dedicatedCores().isEmpty();
            pins.add(dedicated ? plan.forShard(owner, k) : plan.sharedPool());
        }
        return pins;
    }

    /** The core plan of the tenants, or null when no tenant has dedicated cores. */
    private static io.picket.affinity.CorePlan corePlan(TenantsConfig tenants) throws IOException {
        List<io.picket.affinity.TenantPlacement> placements = new ArrayList<>();
        boolean any = false;
        for (int t = 0; t < tenants.size(); t++) {
            var tenant = tenants.tenant(t);
            if (tenant.dedicatedCores().isEmpty()) {
                placements.add(io.picket.affinity.TenantPlacement.shared(tenant.id()));
            } else {
                placements.add(io.picket.affinity.TenantPlacement.dedicated(tenant.id(), tenant.dedicatedCores()));
                any = true;
            }
        }
        if (!any && tenants.captureCores().isEmpty()) {
            return null;
        }
        try {
            return io.picket.affinity.CorePlan.of(placements, tenants.captureCores());
        } catch (io.picket.affinity.CorePlanException e) {
            throw new InvalidCores(e.getMessage(), e);
        }
    }

    /** Thrown for a bad {@code --analyzer-option}. */
    public static final class InvalidAnalyzerOption extends IOException {
        private static final long serialVersionUID = 1L;

        InvalidAnalyzerOption(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static io.picket.analyzer.AnalyzerRegistry loadAnalyzers(EngineConfig config)
            throws InvalidAnalyzerOption {
        try {
            return io.picket.analyzer.AnalyzerRegistry.load(config.analyzers(), config.analyzerOptions());
        } catch (IllegalArgumentException e) {
            throw new InvalidAnalyzerOption(e.getMessage(), e);
        }
    }

    /** Thrown when the tenants' core placement cannot be satisfied; lists every problem. */
    public static final class InvalidCores extends IOException {
        private static final long serialVersionUID = 1L;

        InvalidCores(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static RunSummary summary(EngineConfig config, List<Shard> shards, LogSink sink, ReadResult counts,
            long start, List<String> placement, Map<String, Double> cpu) {
        String[] ids = shards.get(0).tenantIds();
        List<TenantStats> total = new ArrayList<>();
        for (int t = 0; t < ids.length; t++) {
            TenantStats sum = new TenantStats(ids[t]);
            for (Shard s : shards) {
                TenantStats x = s.stats()[t];
                sum.packets += x.packets;
                sum.bytes += x.bytes;
                sum.ipPackets += x.ipPackets;
                sum.nonIpPackets += x.nonIpPackets;
                sum.droppedPackets += x.droppedPackets;
                sum.connections += x.connections;
                sum.weirds += x.weirds;
                sum.analyzerFailures += x.analyzerFailures;
                sum.filters.add(x.filters);
                sum.policyBytes += x.policyBytes;
                sum.policyNanos += x.policyNanos;
                sum.flowQuotaDrops += x.flowQuotaDrops;
                sum.reassemblyQuotaDrops += x.reassemblyQuotaDrops;
                sum.reassemblyQuotaBytes += x.reassemblyQuotaBytes;
                sum.queueFullDrops += x.queueFullDrops;
                sum.queueQuotaDrops += x.queueQuotaDrops;
                sum.peakFlows = Math.max(sum.peakFlows, x.peakFlows);
                sum.peakReassemblyBytes = Math.max(sum.peakReassemblyBytes, x.peakReassemblyBytes);
            }
            shards.get(0).policies().addTo(t, sum);
            sum.filters.add(shards.get(0).notices().filterCounts(t));
            total.add(sum);
        }
        long unassignedPackets = 0;
        long unassignedBytes = 0;
        for (Shard s : shards) {
            unassignedPackets += s.unassignedPackets();
            unassignedBytes += s.unassignedBytes();
        }
        Map<String, Long> lines = new LinkedHashMap<>();
        for (String id : ids) {
            lines.put(id, sink.recordsWritten(id));
        }
        return new RunSummary(counts.packets(), counts.bytes(), unassignedPackets, unassignedBytes, total, lines,
                counts.warnings(), config.logDir(), (System.nanoTime() - start) / 1e9, placement, cpu);
    }


    /**
     * Counters of the runs in progress in this JVM so far, one summary each (empty when nothing
     * runs), taken on the calling thread without stopping the shards: per-tenant counters are read
     * while shard threads write them, so they may lag by a few packets; {@code packets} and
     * {@code bytes} count what the shards have processed (assigned plus unassigned), warnings are
     * empty and {@code wallSeconds} is the time since the run started.
     */
    public static List<RunSummary> liveStatus() {
        List<RunSummary> out = new ArrayList<>();
        for (LiveRun r : LiveRun.RUNS) {
            RunSummary s = r.snapshot();
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    /** A run in progress, for {@link #liveStatus()}; ended before the run's own summary is taken. */
    private static final class LiveRun {
        static final java.util.Set<LiveRun> RUNS = new java.util.concurrent.CopyOnWriteArraySet<>();
        private final EngineConfig config;
        private final List<Shard> shards;
        private final LogSink sink;
        private final long start;
        private final List<String> placement;
        private boolean ended;

        private LiveRun(EngineConfig config, List<Shard> shards, LogSink sink, long start, List<String> placement) {
            this.config = config;
            this.shards = List.copyOf(shards);
            this.sink = sink;
            this.start = start;
            this.placement = placement;
        }

        static LiveRun start(EngineConfig config, List<Shard> shards, LogSink sink, long start,
                List<String> placement) {
            LiveRun r = new LiveRun(config, shards, sink, start, placement);
            RUNS.add(r);
            return r;
        }

        /** The run is over: no snapshot is in progress once this returns, and none starts. */
        static void end(LiveRun r) {
            if (r != null) {
                synchronized (r) {
                    r.ended = true;
                }
                RUNS.remove(r);
            }
        }

        synchronized RunSummary snapshot() {
            if (ended || shards.isEmpty()) {
                return null;
            }
            RunSummary s = summary(config, shards, sink, new ReadResult(0, 0, List.of()), start, placement, Map.of());
            long packets = s.unassignedPackets();
            long bytes = s.unassignedBytes();
            for (TenantStats t : s.tenants()) {
                packets += t.packets;
                bytes += t.bytes;
            }
            return new RunSummary(packets, bytes, s.unassignedPackets(), s.unassignedBytes(), s.tenants(),
                    s.logLines(), List.of(), s.logDir(), s.wallSeconds(), s.placement(), Map.of());
        }
    }
}
