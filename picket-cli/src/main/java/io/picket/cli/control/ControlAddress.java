package io.picket.cli.control;

import java.net.InetSocketAddress;

/**
 * Where the control API listens, from {@code --control}: {@code PORT} (loopback, 127.0.0.1),
 * {@code HOST:PORT} or {@code [IPv6]:PORT}; port 0 picks a free port. Immutable.
 *
 * @param host the host or address to bind (never empty)
 * @param port 0..65535
 */
public record ControlAddress(String host, int port) {
    /** The host a bare port binds to: loopback only. */
    public static final String LOOPBACK = "127.0.0.1";

    public ControlAddress {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("--control: empty host");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--control: port must be 0..65535, not " + port);
        }
    }

    /**
     * Parses {@code [HOST:]PORT}; throws IllegalArgumentException with a message naming the
     * option and the problem.
     */
    public static ControlAddress parse(String text) {
        String s = text == null ? "" : text.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("--control: expected [HOST:]PORT, got nothing");
        }
        String host;
        String port;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("--control: expected [IPV6]:PORT, not '" + text + "'");
            }
            host = s.substring(1, close);
            port = s.substring(close + 2);
        } else {
            int colon = s.lastIndexOf(':');
            if (colon < 0) {
                host = LOOPBACK;
                port = s;
            } else if (s.indexOf(':') != colon) {
                throw new IllegalArgumentException("--control: write an IPv6 address as [ADDR]:PORT, not '"
                        + text + "'");
            } else {
                host = s.substring(0, colon);
                port = s.substring(colon + 1);
            }
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("--control: empty host in '" + text + "'");
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--control: port must be a number 0..65535, not '" + port + "'", e);
        }
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException("--control: port must be 0..65535, not " + p);
        }
        return new ControlAddress(host, p);
    }

    /** The socket address to bind (resolves the host). */
    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(host, port);
    }
}
