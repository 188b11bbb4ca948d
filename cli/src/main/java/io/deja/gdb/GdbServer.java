package io.deja.gdb;

import java.io.Closeable;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;

/**
 * A GDB Remote Serial Protocol server for one {@link GdbTarget}: one client
 * at a time; a client that goes away leaves the target stopped and the
 * server waiting for the next one. Serving ends when a client detaches,
 * kills the target, or the target can run no more.
 */
public final class GdbServer implements Closeable {
    private final ServerSocket socket;

    private GdbServer(ServerSocket socket) {
        this.socket = socket;
    }

    /**
     * Listens on [HOST:]PORT (HOST defaults to the loopback interface; PORT 0
     * picks a free one).
     *
     * @throws IllegalArgumentException if the address does not parse, cannot be resolved or bound (the message says why)
     */
    public static GdbServer bind(String spec) {
        String host = null;
        String port = spec.trim();
        int colon = port.lastIndexOf(':');
        if (colon >= 0) {
            host = port.substring(0, colon);
            port = port.substring(colon + 1);
            if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
            if (host.isEmpty()) host = null;
        }
        int number;
        try {
            number = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + spec + "' is not [HOST:]PORT (examples: 1234, :1234, 0.0.0.0:1234)");
        }
        if (number < 0 || number > 65535) throw new IllegalArgumentException("port " + number + " is outside 0-65535");
        try {
            InetAddress address = host == null ? InetAddress.getLoopbackAddress() : InetAddress.getByName(host);
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            try {
                s.bind(new InetSocketAddress(address, number), 1);
            } catch (IOException e) {
                s.close();
                throw new IllegalArgumentException("cannot listen on " + address.getHostAddress() + ":" + number + " (" + e.getMessage() + ")");
            }
            return new GdbServer(s);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown host '" + host + "'");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot open a socket (" + e.getMessage() + ")");
        }
    }

    /** Where the server listens, as HOST:PORT. */
    public String address() {
        return socket.getInetAddress().getHostAddress() + ":" + socket.getLocalPort();
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** How serving ended. */
    public enum Outcome {
        /** The client detached: the target runs on without a debugger. */
        DETACHED,
        /** The client killed the target. */
        KILLED,
        /** The target can run no more (gdb was told it exited). */
        EXITED
    }

    /** Serves clients one after the other until one detaches or kills the target, or the target exits. */
    public Outcome serve(GdbTarget target, PrintWriter log) throws IOException {
        for (;;) {
            Socket client = socket.accept();
            client.setTcpNoDelay(true);
            log.printf("gdb: client connected from %s%n", client.getRemoteSocketAddress());
            log.flush();
            GdbSession[] session = new GdbSession[1];
            Connection conn = new Connection(client.getInputStream(), client.getOutputStream(), client, () -> {
                GdbSession s = session[0];
                if (s != null) s.interrupt();
            }, () -> {
                GdbSession s = session[0];
                if (s != null) s.clientGone();
            }, "gdb-reader");
            session[0] = new GdbSession(target, conn, log);
            GdbSession.End end;
            try (conn) {
                end = session[0].serve();
            } catch (IOException e) {
                end = GdbSession.End.DISCONNECTED; // the client went away mid-reply
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while serving gdb", e);
            }
            switch (end) {
                case DETACHED -> {
                    log.println("gdb: client detached; the guest runs on");
                    log.flush();
                    return Outcome.DETACHED;
                }
                case KILLED -> {
                    log.println("gdb: client killed the guest");
                    log.flush();
                    return Outcome.KILLED;
                }
                case EXITED -> {
                    return Outcome.EXITED;
                }
                case DISCONNECTED -> {
                    log.printf("gdb: client disconnected; the guest stays stopped, waiting for gdb on %s%n", address());
                    log.flush();
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
