package io.deja.analysis.ui;

import io.deja.analysis.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code deja report}: the page of {@code deja ui} as one static file, with
 * its script and the run's data inline (no server, no network): the summary,
 * the stages, the console and the whole run's timeline cut into
 * {@value #BUCKETS} buckets. Zooming in the report magnifies those buckets;
 * finer detail needs the server.
 */
public final class StaticReport {
    static final int BUCKETS = 4000;
    /** Console lines written into the report at most. */
    static final int MAX_CONSOLE_LINES = 20_000;

    private StaticReport() {}

    /** Writes the report of run to out; returns its size in bytes. */
    public static long write(RunData run, Path out) throws IOException {
        Json j = new Json();
        j.open('{').key("summary");
        run.summaryJson(j);
        j.key("lanes");
        run.timeline().lanesJson(j);
        j.key("view");
        run.timeline().view(run.timeline().startNs(), run.timeline().endNs(), BUCKETS, j);
        j.key("console");
        run.consoleJson(0, MAX_CONSOLE_LINES, j);
        j.key("stages").value((Object) Json.number(run.stagesJson()));
        j.close('}');
        String html = html(j.toString());
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
        Files.write(out, bytes);
        return bytes.length;
    }

    static String html(String dataJson) throws IOException {
        String page = new String(UiServer.resourceBytes("index.html"), StandardCharsets.UTF_8);
        String script = new String(UiServer.resourceBytes("app.js"), StandardCharsets.UTF_8);
        // Inside a <script> element only "</script" (any case) ends it; JSON never needs a raw '<'.
        if (script.toLowerCase(java.util.Locale.ROOT).contains("</script")) throw new IOException("the bundled script contains </script and cannot be inlined");
        String data = dataJson.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
        String tag = "<script src=\"app.js\"></script>";
        int at = page.indexOf(tag);
        if (at < 0) throw new IOException("index.html has no " + tag);
        return page.substring(0, at)
                + "<script>window.DEJA_REPORT = " + data + ";</script>\n<script>" + script + "</script>"
                + page.substring(at + tag.length());
    }
}
