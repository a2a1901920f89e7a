package dev.clerksync.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP relay in front of a store, for fault injection: {@link #cut()} drops every open
 * connection and refuses new ones, as a crashed or unreachable server would; {@link #restore()}
 * accepts again on the same port. Works the same in front of PostgreSQL and MongoDB.
 */
public final class TcpProxy implements AutoCloseable {

    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket listener;

    private TcpProxy(String targetHost, int targetPort, int port) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.port = port;
    }

    public static TcpProxy start(String targetHost, int targetPort) throws IOException {
        TcpProxy proxy = new TcpProxy(targetHost, targetPort, 0);
        return proxy.listen(0);
    }

    private TcpProxy listen(int onPort) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort));
        TcpProxy proxy = onPort == 0 ? new TcpProxy(targetHost, targetPort, server.getLocalPort()) : this;
        proxy.listener = server;
        Thread acceptor = new Thread(() -> proxy.acceptLoop(server), "tcp-proxy-accept-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
        return proxy;
    }

    public int port() {
        return port;
    }

    /** Drops every connection and refuses new ones until {@link #restore()}. */
    public synchronized void cut() throws IOException {
        if (listener != null) {
            listener.close();
            listener = null;
        }
        for (Socket socket : sockets) {
            socket.close();
        }
        sockets.clear();
    }

    public synchronized void restore() {
        if (listener == null) {
            // The port may take a moment to be free again after cut(): keep trying for a while.
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).ignoreExceptions()
                    .until(() -> listen(port) != null);
        }
    }

    private void acceptLoop(ServerSocket server) {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(targetHost, targetPort);
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                // the listener was closed by cut() or close(), or the target refused: drop this one
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException e) {
                // one side closed: close the other below
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "tcp-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private void closeQuietly(Socket socket) {
        sockets.remove(socket);
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        cut();
    }
}
