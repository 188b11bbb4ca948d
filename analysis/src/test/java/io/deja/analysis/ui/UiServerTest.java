package io.deja.analysis.ui;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The UI server under bad requests: each gets a JSON error with a 4xx status
 * and the server keeps answering; SQL from the page is read-only and
 * time-limited.
 */
class UiServerTest {
    @TempDir
    static Path tmp;
    static Path rec;
    static UiServer server;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws IOException {
        rec = UiFixture.recordTimer(tmp.resolve("timer"));
        server = UiFixture.serve(rec, Duration.ofMillis(1500));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> sql(String query) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + "api/run/0/sql")).POST(HttpRequest.BodyPublishers.ofString(query)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The status line of a request sent as it is. */
    static String raw(String requestLine) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.getOutputStream().write((requestLine + "\r\nHost: 127.0.0.1:" + server.port() + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            return reply.lines().findFirst().orElse("");
        }
    }

    static void stillUp() throws Exception {
        HttpResponse<String> r = get("api/run/0/summary");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"stop\"");
    }

    @Test
    void servesThePageAndItsData() throws Exception {
        assertThat(get("").body()).contains("<script src=\"app.js\"></script>");
        assertThat(get("app.js").statusCode()).isEqualTo(200);
        assertThat(get("api/run/0/lanes").body()).contains("CPU 0 handlers");
        assertThat(get("api/run/0/timeline?buckets=100").body()).contains("\"IRQ 27\"");
        assertThat(get("api/run/0/console").body()).contains("tick 1");
        assertThat(get("api/run/0/stages").body()).contains("\"stages\"");
    }

    @Test
    void malformedRequestsGetErrorsAndTheServerStaysUp() throws Exception {
        HttpResponse<String> r = get("api/run/0/timeline?from=zebra");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("{\"error\": \"from=zebra: not an integer\"}");
        assertThat(get("api/run/0/timeline?from=100&to=50").statusCode()).isEqualTo(400);
        assertThat(get("api/run/0/timeline?buckets=999999999").statusCode()).isEqualTo(400);
        assertThat(get("api/run/7/summary").statusCode()).isEqualTo(404);
        assertThat(get("api/run/x/summary").statusCode()).isEqualTo(400);
        assertThat(get("api/run/0/event?lane=99999&index=0").statusCode()).isEqualTo(400);
        assertThat(get("api/nothing/here").statusCode()).isEqualTo(404);
        assertThat(get("api/diff").statusCode()).isEqualTo(404);
        assertThat(raw("GET /api/run/0/timeline?%zz=1 HTTP/1.1")).matches("HTTP/1.1 4\\d\\d.*");
        assertThat(get("api/run/0/sql").statusCode()).isEqualTo(405);
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(server.url() + "api/run/0/summary"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        // Not HTTP at all, then a request line cut short: the server drops them and carries on.
        for (String junk : new String[] {"\u0000\u0001garbage\r\n\r\n", "GET /api/run/0/summ"}) {
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                OutputStream os = s.getOutputStream();
                os.write(junk.getBytes(StandardCharsets.ISO_8859_1));
                os.flush();
                s.shutdownOutput();
                InputStream in = s.getInputStream();
                in.readAllBytes();
            }
        }
        stillUp();
    }

    @Test
    void aRequestForAnotherHostIsRefused() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.getOutputStream().write("GET /api/run/0/summary HTTP/1.1\r\nHost: evil.example:80\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(reply).startsWith("HTTP/1.1 403").contains("127.0.0.1:" + server.port() + " only");
        }
        stillUp();
    }

    @Test
    void sqlReturnsRowsAndReportsErrors() throws Exception {
        HttpResponse<String> ok = sql("SELECT count(*) AS n FROM interrupts");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("\"columns\": [\"n\"]").contains("\"rows\": [[5]]");
        HttpResponse<String> bad = sql("SELEC nonsense");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("Parser Error");
        assertThat(sql("  ").statusCode()).isEqualTo(400);
        stillUp();
    }

    @Test
    void writesAndFilesAreRefused() throws Exception {
        for (String write : new String[] {"CREATE TABLE t (a INTEGER)", "INSERT INTO exits SELECT * FROM exits", "DROP TABLE exits",
                "COPY (SELECT 1) TO '" + tmp.resolve("out.csv") + "'", "ATTACH '" + tmp.resolve("x.duckdb") + "' AS x",
                "SELECT * FROM read_csv('/etc/passwd')", "SET enable_external_access = true"}) {
            HttpResponse<String> r = sql(write);
            assertThat(r.statusCode()).as(write).isEqualTo(400);
            assertThat(r.body()).as(write).contains("\"error\"");
        }
        assertThat(tmp.resolve("out.csv")).doesNotExist();
        assertThat(tmp.resolve("x.duckdb")).doesNotExist();
        assertThat(sql("SELECT count(*) FROM exits").body()).doesNotContain("error");
    }

    @Test
    void aLongQueryStopsAtTheTimeLimit() throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> r = sql("SELECT count(*) FROM range(100000000) a, range(100000000) b WHERE a.range * b.range % 7 = 3");
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("time limit of 1.5 s");
        assertThat(seconds).isLessThan(30);
        stillUp();
        assertThat(sql("SELECT 42 AS answer").body()).contains("[[42]]");
    }

    static HttpResponse<String> send(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Polls the replay's state until it is no longer running. */
    static String replayEnded() throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        for (;;) {
            String body = get("api/run/0/replay").body();
            if (!body.contains("\"state\": \"running\"")) return body;
            assertThat(System.nanoTime()).as("the replay ends within two minutes").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void aReplayRunsInTheBackgroundAndCanBeCancelled() throws Exception {
        // Cancelled at once: the machine stops before it has run (or at its next instruction boundary) and nothing is proven.
        HttpResponse<String> started = send("POST", "api/run/0/replay");
        assertThat(started.statusCode()).isEqualTo(200);
        assertThat(started.body()).contains("\"state\": \"running\"");
        assertThat(send("DELETE", "api/run/0/replay").statusCode()).isEqualTo(200);
        assertThat(replayEnded()).contains("\"state\": \"cancelled\"").doesNotContain("bit-exact");
        assertThat(get("api/run/0/summary").body()).contains("\"replay\": null");
        // Run to its end, the server answering meanwhile: the proof joins the summary.
        send("POST", "api/run/0/replay");
        stillUp();
        String done = replayEnded();
        assertThat(done).contains("\"state\": \"done\"").contains("bit-exact");
        assertThat(done).matches("(?s).*\"icount\": (\\d+), \"end\": \\1,.*");
        assertThat(get("api/run/0/summary").body()).contains("bit-exact");
        assertThat(send("PUT", "api/run/0/replay").statusCode()).isEqualTo(405);
    }
}
