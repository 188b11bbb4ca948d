package io.deja.analysis.perfetto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a Chrome JSON trace (with Jackson, a strict parser) into normalized events. */
final class JsonTrace {
    private JsonTrace() {}

    static List<TraceEvent> read(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        Map<String, String> threads = new HashMap<>();
        List<TraceEvent> out = new ArrayList<>();
        for (JsonNode e : root.get("traceEvents")) {
            String ph = e.get("ph").asText();
            String key = e.get("pid").asInt() + "/" + (e.has("tid") ? e.get("tid").asInt() : 0);
            if (ph.equals("M")) {
                if (e.get("name").asText().equals("thread_name")) threads.put(key, e.get("args").get("name").asText());
                continue;
            }
            // Timestamps are microseconds with three decimals: back to exact nanoseconds.
            long ns = new java.math.BigDecimal(e.get("ts").asText()).movePointRight(3).longValueExact();
            Map<String, String> args = new LinkedHashMap<>();
            if (e.has("args")) {
                for (Iterator<Map.Entry<String, JsonNode>> it = e.get("args").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> a = it.next();
                    args.put(a.getKey(), a.getValue().asText());
                }
            }
            switch (ph) {
                case "B", "i" -> out.add(new TraceEvent(ph, threads.get(key), ns, e.get("name").asText(), args));
                case "E" -> out.add(new TraceEvent(ph, threads.get(key), ns, null, Map.of()));
                case "C" -> out.add(new TraceEvent(ph, e.get("name").asText(), ns, null, args));
                default -> throw new AssertionError("phase " + ph);
            }
        }
        return out;
    }
}
