package io.picket.analyzer.spi;

import io.picket.log.LogRecord;
import io.picket.log.LogSchema;

/**
 * What an analyzer may know and do about its connection, provided by the engine. Calls are
 * made on the shard thread that owns the connection.
 */
public interface AnalyzerContext {

    /** The connection's uid (conn.log {@code uid}). */
    String uid();

    /** Originator address in Zeek's text form. */
    String origHost();

    int origPort();

    String respHost();

    int respPort();

    /** {@code tcp} or {@code udp}. */
    String transport();

    /** Current network time (time of the packet being processed), seconds. */
    double networkTime();

    /** Start time of the connection (conn.log {@code ts}). */
    double connectionStart();

    /**
     * The schema this run writes for {@code base}: the base columns plus the connection-key
     * context columns ({@code id.ctx.vlan}, ...) when the run keys connections by VLAN. Cached.
     */
    LogSchema schema(LogSchema base);

    /** Sets {@code uid}, {@code id.orig_h} ... {@code id.resp_p} (and {@code id.ctx.*}) of a record. */
    void setConnectionId(LogRecord record);

    /** Writes a record to the tenant's log named by its schema's path. */
    void log(LogRecord record);

    /** Zeek's {@code AnalyzerConfirmation}: the protocol is spoken; adds the service to conn.log. */
    void confirm();

    /**
     * Zeek's {@code AnalyzerViolation}: the data is not this protocol; the analyzer is removed
     * from the connection (and its service, if the violation comes early).
     */
    void violation(String reason);

    /** A connection weird with Zeek's name (weird.log, counted); source = the analyzer's name. */
    void weird(String name, String addl);

    /**
     * A connection weird with an explicit weird.log {@code source}: e.g. {@code CONTENTLINE} for
     * Zeek's line splitter, or null for weirds Zeek raises from its scripts (logged as unset).
     */
    default void weird(String name, String addl, String source) {
        weird(name, addl);
    }

    /** A new file id ({@code F...}) for files.log/x509.log references. */
    String newFileId();

    /**
     * TCP: the connection was picked up mid-stream (no SYN from the originator, Zeek's
     * {@code TCP()->IsPartial()}); some analyzers (SSH) ignore such streams as Zeek does.
     */
    default boolean partial() {
        return false;
    }

    /**
     * Zeek's {@code Connection::FlipRoles}: the analyzer found that the responder spoke first
     * (e.g. a DNS reply without its query). Originator and responder swap, counters with them,
     * and the history gets '^'.
     */
    default void flipRoles() {
    }

    /**
     * Zeek's {@code Intel::seen}: the analyzer observed an indicator, e.g. a DNS query name
     * ({@code "Intel::DOMAIN"}, {@code "DNS::IN_REQUEST"}) or an HTTP Host header. The tenant's
     * intel decides whether it matters.
     */
    default void seen(String indicator, String indicatorType, String where) {
    }

    /**
     * {@link #seen} of an indicator found in a file of this connection (Zeek's {@code $fuid} or
     * {@code $f}): intel.log's {@code fuid}, {@code file_mime_type} and {@code file_desc} (each
     * null when unset).
     */
    default void seen(String indicator, String indicatorType, String where, String fuid, String fileMimeType,
            String fileDesc) {
        seen(indicator, indicatorType, where);
    }

    /**
     * Whether {@link #seen} can matter on this connection (the tenant has intel): analyzers test it
     * before building an indicator string, so tenants without intel pay nothing. Constant for the
     * connection; true when unknown.
     */
    default boolean wantsSeen() {
        return true;
    }

    /**
     * Where the HTTP analyzer hands request URIs, headers and decoded bodies for signature
     * matching, or null when no signature of the tenant inspects HTTP content (then nothing needs
     * to be handed over). The result does not change during the connection; callers may cache it.
     */
    default HttpContentObserver httpContent() {
        return null;
    }

    /**
     * Zeek's {@code AddChildAnalyzer}: starts the analyzer named {@code name} (e.g. {@code ssl})
     * on this connection as a child of the caller, for a protocol that takes over the rest of the
     * stream (TLS after SMTP {@code STARTTLS}, the tunnelled stream after a SOCKS or WebSocket
     * handshake). The caller then feeds the returned analyzer itself ({@code onStream},
     * {@code onGap}) with the bytes it no longer parses; the engine gives the child
     * {@code onEndOfStream} and {@code onConnectionDone} like any analyzer (the returned handle
     * ignores those calls, so a parent that forwards them too does no harm). The child has its own
     * context: its confirmation adds its service after the caller's ({@code smtp,ssl}), its
     * weirds carry its name. Calls into the returned analyzer never throw: a failing child is
     * removed and counted. Returns null when that analyzer is not loaded in this run, does not
     * parse this transport, or is left out by the connection's policy.
     */
    default Analyzer startChild(String name) {
        return null;
    }

    /** Time of the connection's last packet (Zeek's {@code Conn()->LastTime()}). */
    double lastPacketTime();

    /**
     * Runs {@code action} on the shard thread when network time reaches {@code time} (Zeek's
     * analyzer timers, e.g. the DNS session expiry); nothing runs once the connection is gone.
     */
    void schedule(double time, Runnable action);

    /** Removes the connection now (Zeek's {@code session_mgr->Remove}); it is logged as usual. */
    void removeConnection();

    /** The history letter rules of Zeek are the engine's; analyzers may mark a limit ('X'). */
    default void limitExceeded(String weirdName) {
        weird(weirdName, null);
    }

    /**
     * Zeek's child PIA: a new protocol detection over a stream this analyzer has decapsulated
     * (SOCKS after its handshake, WebSocket frame payload). The caller forwards the inner bytes to
     * the returned analyzer (and its gaps, ends and {@code onConnectionDone}); detectors of every
     * analyzer (not ports) decide what starts, on the same connection and uid. Null when the
     * engine offers no detection (then the caller drops the bytes).
     */
    default Analyzer childDetection() {
        return null;
    }

    /**
     * Zeek's {@code Tunnel::register} of this connection with its originator port set to 0 (as
     * the SOCKS script does): tunnel.log gets a DISCOVER line unless the same tunnel is already
     * active; {@code tunnelType} is e.g. {@code Tunnel::SOCKS}.
     */
    default void registerTunnel(String tunnelType) {
    }

    /**
     * Per-connection script-layer state shared by every analyzer of the connection, children
     * included (Zeek's connection record fields such as {@code c$http_state} or
     * {@code c$websocket}); keys are owned by the analyzer that defines them. Null when the
     * engine offers none.
     */
    default java.util.Map<String, Object> connectionState() {
        return null;
    }
}
