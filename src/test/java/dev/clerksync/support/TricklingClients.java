package dev.clerksync.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many raw TCP connections to one port, each sending the same request head a byte at a time, all
 * paced by one scheduler thread; one selector thread notes when the server ends each (end of stream
 * or reset), and whether it sent anything first. Nothing here sleeps: every wait has a deadline.
 */
public final class TricklingClients implements AutoCloseable {

    /** One connection: when it opened, when it was seen closed (0 while open), bytes it received. */
    public static final class Connection {
        final SocketChannel channel;
        final long openedNanos;
        final AtomicLong closedNanos = new AtomicLong();
        final AtomicLong received = new AtomicLong();
        int sent;

        Connection(SocketChannel channel, long openedNanos) {
            this.channel = channel;
            this.openedNanos = openedNanos;
        }

        /** How long the connection lived, as the client saw it. */
        public Duration lifetime() {
            long closed = closedNanos.get();
            if (closed == 0) {
                throw new IllegalStateException("still open");
            }
            return Duration.ofNanos(closed - openedNanos);
        }

        public long bytesReceived() {
            return received.get();
        }
    }

    private final List<Connection> connections;
    private final byte[] head;
    private final Selector selector;
    private final CountDownLatch allClosed;
    private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
    private final Thread watcher;
    private volatile boolean closing;

    private TricklingClients(List<Connection> connections, byte[] head, Selector selector) {
        this.connections = connections;
        this.head = head;
        this.selector = selector;
        this.allClosed = new CountDownLatch(connections.size());
        this.watcher = new Thread(this::watch, "trickling-clients-watcher");
        this.watcher.setDaemon(true);
    }

    /**
     * Opens {@code count} connections to 127.0.0.1:{@code port}, taking their source addresses from
     * {@code sources} in turn, and starts sending {@code head}, one byte per connection every
     * {@code interval}.
     */
    public static TricklingClients open(int port, int count, List<InetAddress> sources, byte[] head, Duration interval)
            throws IOException {
        Selector selector = Selector.open();
        List<Connection> connections = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                SocketChannel channel = SocketChannel.open();
                channel.bind(new InetSocketAddress(sources.get(i % sources.size()), 0));
                // Before the connect: the server cannot have started its clock any earlier.
                long opening = System.nanoTime();
                channel.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                Connection connection = new Connection(channel, opening);
                channel.configureBlocking(false);
                channel.register(selector, SelectionKey.OP_READ, connection);
                connections.add(connection);
            }
        } catch (IOException | RuntimeException e) {
            for (Connection connection : connections) {
                connection.channel.close();
            }
            selector.close();
            throw e;
        }
        TricklingClients clients = new TricklingClients(connections, head, selector);
        clients.watcher.start();
        clients.pacer.scheduleAtFixedRate(clients::sendNextBytes, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return clients;
    }

    public List<Connection> connections() {
        return connections;
    }

    /** Connections seen closed so far. */
    public long closed() {
        return connections.size() - allClosed.getCount();
    }

    /** Waits until the server has ended every connection; false if some are still open at the deadline. */
    public boolean awaitAllClosed(Duration deadline) throws InterruptedException {
        return allClosed.await(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void sendNextBytes() {
        for (Connection connection : connections) {
            if (connection.closedNanos.get() != 0 || connection.sent >= head.length) {
                continue;
            }
            try {
                if (connection.channel.write(ByteBuffer.wrap(head, connection.sent, 1)) == 1) {
                    connection.sent++;
                }
            } catch (IOException e) {
                // a write after the server closed: broken pipe or reset
                closedNow(connection);
            }
        }
    }

    private void watch() {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        while (!closing && allClosed.getCount() > 0) {
            try {
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    Connection connection = (Connection) key.attachment();
                    buffer.clear();
                    int read;
                    try {
                        read = connection.channel.read(buffer);
                    } catch (IOException e) {
                        read = -1;
                    }
                    if (read > 0) {
                        connection.received.addAndGet(read);
                    } else if (read < 0) {
                        key.cancel();
                        closedNow(connection);
                    }
                }
                selector.selectedKeys().clear();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void closedNow(Connection connection) {
        if (connection.closedNanos.compareAndSet(0, System.nanoTime())) {
            allClosed.countDown();
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        closing = true;
        pacer.shutdownNow();
        watcher.join(TimeUnit.SECONDS.toMillis(5));
        for (Connection connection : connections) {
            connection.channel.close();
        }
        selector.close();
    }
}
