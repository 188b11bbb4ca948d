package io.deja.analysis.query;

import io.deja.analysis.SyntheticTrace;
import io.deja.analysis.schema.TableDef;
import io.deja.analysis.schema.Tables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Parquet export and docs/deja.sql work in a released DuckDB without Deja:
 * DuckDB's Node.js client (@duckdb/node-api from npm, installed once into
 * ~/.cache/deja/duckdb-node) reads the library in the export directory, as
 * `duckdb -cmd ".read docs/deja.sql"` does, and every documented example and
 * every query of docs/queries gives the columns and row count it gives in
 * `deja query`. Needs node and npm (scripts/install-deps.sh) and, the first
 * time, the npm registry.
 */
@Timeout(600)
class ReleasedDuckDbTest {
    static final String NODE_API = "@duckdb/node-api@1.5.6-r.1";

    static final String CHECK = """
            import { DuckDBInstance } from '@duckdb/node-api';
            import fs from 'node:fs';
            const [lib, queries] = process.argv.slice(2);
            const instance = await DuckDBInstance.create(':memory:');
            const conn = await instance.connect();
            const version = (await conn.runAndReadAll('SELECT version()')).getRows()[0][0];
            console.log('VERSION ' + version);
            await conn.run(fs.readFileSync(lib, 'utf8'));
            for (const q of JSON.parse(fs.readFileSync(queries, 'utf8'))) {
              try {
                const r = await conn.runAndReadAll(q);
                console.log('OK ' + r.currentRowCount + ' ' + r.columnNames().join(','));
              } catch (e) {
                console.log('ERR ' + String(e.message).split('\\n')[0]);
              }
            }
            """;

    static Path repo() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("docs/deja.sql"))) return d;
        }
        throw new IllegalStateException("no docs/deja.sql above " + Path.of("").toAbsolutePath());
    }

    @Test
    void theLibraryLoadsIntoAReleasedDuckDbOverTheParquetExport(@TempDir Path tmp) throws Exception {
        Path rec = tmp.resolve("rec"), arrow = tmp.resolve("arrow");
        SyntheticTrace.write(rec);
        Query.ensureExported(rec, arrow);
        Parquet.write(arrow, arrow);

        List<String> queries = new ArrayList<>();
        for (Stdlib.Entry e : Stdlib.entries()) queries.add(e.example());
        try (var files = Files.list(repo().resolve("docs/queries"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".sql")).sorted().toList()) queries.add(Files.readString(f));
        }
        List<String> expected = new ArrayList<>();
        try (Database db = Database.open(arrow)) {
            for (String q : queries) {
                QueryResult r = Query.run(db, q);
                expected.add("OK " + r.rows().size() + " " + String.join(",", r.columns()));
            }
        }
        StringBuilder json = new StringBuilder("[");
        for (String q : queries) {
            if (json.length() > 1) json.append(',');
            ResultFormat.jsonString(json, q);
        }
        Files.writeString(tmp.resolve("queries.json"), json.append(']'));
        Path script = Files.writeString(arrow.resolve("check.mjs"), CHECK);

        Path modules = nodeApi();
        ProcessBuilder pb = new ProcessBuilder("node", script.toString(), repo().resolve("docs/deja.sql").toString(),
                tmp.resolve("queries.json").toString()).directory(arrow.toFile()).redirectErrorStream(true);
        pb.environment().put("NODE_PATH", modules.toString());
        // ESM imports ignore NODE_PATH: link the installed packages next to the script
        Files.createSymbolicLink(arrow.resolve("node_modules"), modules);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        List<String> lines = out.lines().toList();
        assertThat(lines.getFirst()).as(out).startsWith("VERSION v1.");
        List<String> got = lines.subList(1, lines.size());
        for (int i = 0; i < queries.size(); i++) {
            assertThat(got.get(i)).as("%s%nin a released DuckDB (%s)", queries.get(i), lines.getFirst()).isEqualTo(expected.get(i));
        }
        assertThat(got).hasSize(queries.size());
        for (TableDef t : Tables.ALL) assertThat(arrow.resolve(t.name() + ".parquet")).isRegularFile();
    }

    /** ~/.cache/deja/duckdb-node/node_modules with the client installed (npm install the first time). */
    static Path nodeApi() throws IOException, InterruptedException {
        Path dir = Path.of(System.getProperty("user.home"), ".cache", "deja", "duckdb-node");
        Path modules = dir.resolve("node_modules");
        if (Files.isRegularFile(modules.resolve("@duckdb/node-api/package.json"))) return modules;
        Files.createDirectories(dir);
        if (!Files.exists(dir.resolve("package.json"))) Files.writeString(dir.resolve("package.json"), "{\"name\": \"deja-duckdb-check\", \"private\": true}\n");
        Process p = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", NODE_API).directory(dir.toFile())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("npm install " + NODE_API + " in " + dir + " failed (node and npm: scripts/install-deps.sh):\n" + log);
        }
        return modules;
    }
}
