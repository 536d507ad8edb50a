package io.picket.flow.tcp;

/** Zeek's TCP timing defaults ({@code init-bare.zeek}), in seconds of network time. */
public final class TcpConfig {
    public static final double SYN_TIMEOUT = 5.0;
    public static final double SESSION_TIMER = 6.0;
    public static final double CONNECTION_LINGER = 5.0;
    public static final double ATTEMPT_DELAY = 5.0;
    public static final double CLOSE_DELAY = 5.0;
    public static final double INACTIVITY_TIMEOUT = 300.0;

    private TcpConfig() {
    }
}
