package io.inlet.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP forwarder in front of a server, which a test can cut (the port refuses connections and open ones
 * drop, as when the server is stopped) and restore on the same port: an outage of a shared server, such as the
 * run's schema registry, for one test alone. Closing it stops it for good.
 */
public final class CuttableProxy implements AutoCloseable {

    private final int targetPort;
    private final int port;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile ServerSocket listener;
    /** Raised by every cut: a connection accepted before it forwards nothing more, whatever thread still runs. */
    private volatile int epoch;

    public CuttableProxy(int targetPort) {
        this.targetPort = targetPort;
        try {
            ServerSocket s = bind(0);
            this.port = s.getLocalPort();
            accept(s);
        } catch (IOException e) {
            throw new IllegalStateException("starting a proxy to port " + targetPort, e);
        }
    }

    public int port() {
        return port;
    }

    /** From now on connections are refused, and open ones are dropped. */
    public synchronized void cut() {
        epoch++;
        ServerSocket s = listener;
        listener = null;
        closeQuietly(s);
        open.forEach(CuttableProxy::closeQuietly);
        open.clear();
    }

    /** Accepts connections again, on the same port. */
    public synchronized void restore() {
        if (listener != null) {
            return;
        }
        try {
            accept(bind(port));
        } catch (IOException e) {
            throw new IllegalStateException("listening again on port " + port, e);
        }
    }

    private static ServerSocket bind(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return s;
    }

    private void accept(ServerSocket s) {
        listener = s;
        int since = epoch;
        Thread t = new Thread(() -> {
            while (!s.isClosed()) {
                try {
                    Socket client = s.accept();
                    if (epoch != since) {
                        closeQuietly(client);
                        continue;
                    }
                    Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                    open.add(client);
                    open.add(server);
                    pump(client, server, since);
                    pump(server, client, since);
                } catch (IOException e) {
                    // closed by cut() or close()
                }
            }
        }, "proxy-accept-" + port);
        t.setDaemon(true);
        t.start();
    }

    private void pump(Socket from, Socket to, int since) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0 && epoch == since) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "proxy-pump-" + port);
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing
            }
        }
    }

    @Override
    public void close() {
        cut();
    }
}
