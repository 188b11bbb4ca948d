package io.deja.analysis.ui;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.deja.analysis.AnalysisException;
import io.deja.analysis.Json;
import io.deja.analysis.diff.DiffFormat;
import io.deja.analysis.diff.Differ;
import io.deja.recorder.RecordingException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The HTTP server of {@code deja ui}: the page (bundled into the jar) and its
 * JSON endpoints, bound to 127.0.0.1 only.
 *
 * <pre>
 * GET  /                                 the page
 * GET  /api/runs                         the recordings served, and whether there is a diff
 * GET  /api/run/N/summary                header, stop reason, counts by kind, replay proof
 * GET  /api/run/N/lanes                  the timeline's rows
 * GET  /api/run/N/timeline?from=&amp;to=&amp;buckets=   what to draw of a window (virtual ns)
 * GET  /api/run/N/event?lane=&amp;index=     one event's details
 * GET  /api/run/N/console?offset=&amp;limit=
 * GET  /api/run/N/stages                 deja stages --format json
 * POST /api/run/N/sql                    body: one SQL statement; read-only, time-limited
 * POST /api/run/N/replay                 starts a replay on its own thread (the proof joins the summary)
 * GET  /api/run/N/replay                 how far it is: state, icount, end, seconds, proof or error
 * DELETE /api/run/N/replay               cancels it
 * GET  /api/diff                         deja diff --format json of runs 0 and 1
 * </pre>
 * Every failure is a JSON {"error": ...} with a 4xx/5xx status; the server
 * carries on. Requests whose Host is not this loopback address are refused
 * (a web page elsewhere cannot reach the server through DNS rebinding).
 */
public final class UiServer implements AutoCloseable {
    static final String WEB = "/io/deja/analysis/ui/web/";
    private static final int MAX_BODY = 64 * 1024;

    private final List<RunData> runs;
    private final List<SqlConsole> sql;
    private final Differ.Options diffOptions;
    private final HttpServer http;
    private final ExecutorService pool;
    private String diffJson;

    public UiServer(List<RunData> runs, Differ.Options diffOptions, int port, Duration sqlLimit, int maxRows) throws IOException {
        if (runs.isEmpty() || runs.size() > 2) throw new IllegalArgumentException("one or two recordings");
        this.runs = List.copyOf(runs);
        this.sql = runs.stream().map(r -> new SqlConsole(r.dir(), sqlLimit, maxRows)).toList();
        this.diffOptions = diffOptions;
        this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 32);
        this.pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "deja-ui-http");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(pool);
        http.createContext("/", this::handle);
        http.start();
    }

    public int port() {
        return http.getAddress().getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port() + "/";
    }

    private record Reply(int status, String type, byte[] body) {
        static Reply json(String s) {
            return new Reply(200, "application/json; charset=utf-8", s.getBytes(StandardCharsets.UTF_8));
        }

        static Reply error(int status, String message) {
            Json j = new Json();
            j.open('{').key("error").value(message).close('}');
            return new Reply(status, "application/json; charset=utf-8", j.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A request the server cannot answer: status and message. */
    static final class BadRequest extends RuntimeException {
        final int status;

        BadRequest(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    private void handle(HttpExchange ex) {
        Reply reply;
        try {
            reply = route(ex);
        } catch (BadRequest e) {
            reply = Reply.error(e.status, e.getMessage());
        } catch (SqlConsole.SqlError e) {
            reply = Reply.error(400, e.getMessage());
        } catch (IllegalArgumentException | AnalysisException | RecordingException e) {
            reply = Reply.error(400, String.valueOf(e.getMessage()));
        } catch (RuntimeException | IOException | Error e) {
            reply = Reply.error(500, "internal error: " + e);
        }
        try (ex) {
            ex.getResponseHeaders().set("Content-Type", reply.type());
            ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            ex.getResponseHeaders().set("Content-Security-Policy",
                    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'");
            ex.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
            if (reply.body().length > 0) {
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(reply.body());
                }
            }
        } catch (IOException ignored) {
            // the client went away: nothing to answer
        }
    }

    private Reply route(HttpExchange ex) throws IOException {
        String host = ex.getRequestHeaders().getFirst("Host");
        if (host == null || !(host.equals("127.0.0.1:" + port()) || host.equals("localhost:" + port()))) {
            throw new BadRequest(403, "this server answers requests for 127.0.0.1:" + port() + " only");
        }
        URI uri = ex.getRequestURI();
        String path = uri.getRawPath();
        String method = ex.getRequestMethod();
        Map<String, String> q = query(uri.getRawQuery());
        if (path.equals("/") || path.equals("/index.html")) return get(method, resource("index.html", "text/html; charset=utf-8"));
        if (path.equals("/app.js")) return get(method, resource("app.js", "text/javascript; charset=utf-8"));
        if (path.equals("/api/runs")) {
            Json j = new Json();
            j.open('{').key("runs").open('[');
            for (RunData r : runs) j.value(r.dir().toString());
            j.close(']').key("diff").value((Object) (runs.size() == 2)).close('}');
            return get(method, Reply.json(j.toString()));
        }
        if (path.equals("/api/diff")) {
            if (runs.size() < 2) throw new BadRequest(404, "a diff needs two recordings: deja ui DIR DIR2");
            return get(method, Reply.json(diff()));
        }
        String[] parts = path.split("/");
        // "", "api", "run", N, what
        if (parts.length != 5 || !parts[1].equals("api") || !parts[2].equals("run")) throw new BadRequest(404, "no such page: " + path);
        int n = intParam("run", parts[3], 0, runs.size() - 1);
        RunData run = runs.get(n);
        Json j = new Json();
        switch (parts[4]) {
            case "summary" -> {
                run.summaryJson(j);
                return get(method, Reply.json(j.toString()));
            }
            case "lanes" -> {
                run.timeline().lanesJson(j);
                return get(method, Reply.json(j.toString()));
            }
            case "timeline" -> {
                long from = longParam(q, "from", run.timeline().startNs());
                long to = longParam(q, "to", run.timeline().endNs());
                int buckets = (int) longParam(q, "buckets", 1000);
                run.timeline().view(from, to, buckets, j);
                return get(method, Reply.json(j.toString()));
            }
            case "event" -> {
                run.timeline().detailsJson((int) longParam(q, "lane", -1), (int) longParam(q, "index", -1), j);
                return get(method, Reply.json(j.toString()));
            }
            case "console" -> {
                run.consoleJson((int) longParam(q, "offset", 0), (int) Math.min(longParam(q, "limit", 5000), 50_000), j);
                return get(method, Reply.json(j.toString()));
            }
            case "stages" -> {
                return get(method, Reply.json(run.stagesJson()));
            }
            case "sql" -> {
                if (!method.equals("POST")) throw new BadRequest(405, "POST the SQL as the request body");
                return Reply.json(sql.get(n).run(body(ex)));
            }
            case "replay" -> {
                switch (method) {
                    case "POST" -> run.startReplay();
                    case "DELETE" -> run.cancelReplay();
                    case "GET", "HEAD" -> { }
                    default -> throw new BadRequest(405, method + " is not allowed here (GET the replay's state, POST to start it, DELETE to cancel it)");
                }
                run.replayJson(j);
                return Reply.json(j.toString());
            }
            default -> throw new BadRequest(404, "no such page: " + path);
        }
    }

    private synchronized String diff() {
        if (diffJson == null) diffJson = DiffFormat.json(Differ.diff(runs.get(0).dir(), runs.get(1).dir(), diffOptions)).strip();
        return diffJson;
    }

    private static Reply get(String method, Reply r) {
        if (!method.equals("GET") && !method.equals("HEAD")) throw new BadRequest(405, method + " is not allowed here (GET)");
        return r;
    }

    static byte[] resourceBytes(String name) throws IOException {
        try (InputStream in = UiServer.class.getResourceAsStream(WEB + name)) {
            if (in == null) throw new IOException("the page's " + name + " is missing from the jar (the web build did not run: cd analysis/src/main/web && npm ci && npm run build)");
            return in.readAllBytes();
        }
    }

    private static Reply resource(String name, String type) throws IOException {
        return new Reply(200, type, resourceBytes(name));
    }

    private static String body(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] b = in.readNBytes(MAX_BODY + 1);
            if (b.length > MAX_BODY) throw new BadRequest(413, "the query is longer than " + MAX_BODY + " bytes");
            return new String(b, StandardCharsets.UTF_8);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> m = new HashMap<>();
        if (raw == null || raw.isEmpty()) return m;
        for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            try {
                String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
                m.put(k, v);
            } catch (IllegalArgumentException e) {
                throw new BadRequest(400, "malformed query string");
            }
        }
        return m;
    }

    private static long longParam(Map<String, String> q, String name, long dflt) {
        String v = q.get(name);
        if (v == null) return dflt;
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw new BadRequest(400, name + "=" + v + ": not an integer");
        }
    }

    private static int intParam(String name, String v, int min, int max) {
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) throw new BadRequest(404, "no " + name + " " + n);
            return n;
        } catch (NumberFormatException e) {
            throw new BadRequest(400, name + " " + v + ": not an integer");
        }
    }

    @Override
    public void close() {
        for (RunData r : runs) r.cancelReplay();
        http.stop(0);
        pool.shutdownNow();
        for (SqlConsole s : sql) s.close();
    }
}
