package io.picket.sink.syslog;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;

/**
 * A syslog receiver on 127.0.0.1 for tests: RFC 6587 octet counting over TCP or TLS. Keeps every
 * message in arrival order across restarts. {@link #stop()} closes the listener and every
 * connection at once (unread data is lost, as when a real receiver goes away).
 */
final class SyslogReceiver implements AutoCloseable {
    final List<String> messages = Collections.synchronizedList(new ArrayList<>());
    private final SSLContext ssl;
    private final List<Socket> clients = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;
    private int port;
    volatile int connections;

    SyslogReceiver(SSLContext ssl) {
        this.ssl = ssl;
    }

    /** A copy of the messages so far. */
    List<String> snapshot() {
        synchronized (messages) {
            return new ArrayList<>(messages);
        }
    }

    /** Listens on {@code port} (0 = any free port, remembered for restarts). */
    SyslogReceiver start(int wanted) throws IOException {
        ServerSocket s = ssl == null ? new ServerSocket() : ssl.getServerSocketFactory().createServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), wanted));
        port = s.getLocalPort();
        server = s;
        Thread.ofVirtual().name("test-syslog-accept").start(() -> accept(s));
        return this;
    }

    int port() {
        return port;
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket c = s.accept();
                clients.add(c);
                connections++;
                Thread.ofVirtual().name("test-syslog-conn").start(() -> read(c));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void read(Socket c) {
        try (InputStream in = new BufferedInputStream(c.getInputStream())) {
            while (true) {
                int len = 0;
                int b;
                while ((b = in.read()) != ' ') {
                    if (b < 0) {
                        return;
                    }
                    if (b < '0' || b > '9') {
                        throw new IOException("bad octet count byte " + b);
                    }
                    len = len * 10 + (b - '0');
                }
                byte[] msg = in.readNBytes(len);
                if (msg.length < len) {
                    return; // cut by stop(): never handed on
                }
                messages.add(new String(msg, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // stop() or a framing error ends the connection
        } finally {
            clients.remove(c);
        }
    }

    void stop() throws IOException {
        server.close();
        for (Socket c : clients) {
            try {
                c.setSoLinger(true, 0); // reset: anything unread is gone
            } catch (java.net.SocketException e) {
                // the connection closed by itself meanwhile: nothing left to reset
            }
            c.close();
        }
        clients.clear();
    }

    void restart() throws IOException {
        start(port);
    }

    @Override
    public void close() throws IOException {
        stop();
    }
}
