package io.deja.analysis.ui;

import io.deja.analysis.perfetto.TimelineIndex;
import io.deja.analysis.stages.StageFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page of deja ui and deja report in headless Chromium (Debian's
 * chromium and chromium-driver, scripts/install-deps.sh): it loads without
 * console errors, the timeline draws, a SQL query shows its rows, a click on
 * a console line moves the timeline there; screenshots go to target/.
 */
class UiBrowserTest {
    @TempDir
    static Path tmp;
    static Path rec;
    static UiServer server;
    static RunData run;
    static ChromeDriver driver;

    @BeforeAll
    static void start() throws IOException {
        rec = UiFixture.recordTimer(tmp.resolve("timer"));
        run = RunData.load(rec, StageFile.builtin());
        server = new UiServer(List.of(run), io.deja.analysis.diff.Differ.Options.defaults(), 0, Duration.ofSeconds(20), 1000);
        File chromedriver = new File("/usr/bin/chromedriver");
        assertThat(chromedriver).as("chromium-driver is not installed (scripts/install-deps.sh installs it)").exists();
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1700");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        driver = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(chromedriver).build(), options);
    }

    @AfterAll
    static void stop() {
        if (driver != null) driver.quit();
        if (server != null) server.close();
    }

    static WebDriverWait waiting() {
        return new WebDriverWait(driver, Duration.ofSeconds(60));
    }

    static String data(String key) {
        return driver.findElement(By.tagName("body")).getDomAttribute("data-" + key);
    }

    /** Loads url and waits until the page has drawn its timeline; fails on any console error on the way. */
    static void open(String url) {
        driver.get(url);
        waiting().until(d -> data("ready") != null || data("error") != null);
        assertThat(data("error")).isNull();
        waiting().until(d -> data("timeline-draws") != null);
        assertNoConsoleErrors();
    }

    static void assertNoConsoleErrors() {
        List<LogEntry> severe = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue()).toList();
        assertThat(severe).as("console errors and warnings").isEmpty();
    }

    /** Pixels of the timeline's canvas that are not background. */
    static long inkedPixels() {
        Object n = ((JavascriptExecutor) driver).executeScript("""
                const c = document.querySelector('#timeline canvas');
                const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                let n = 0;
                for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (d[i] < 200 || d[i + 1] < 200)) n++;
                return n;""");
        return ((Number) n).longValue();
    }

    @Test
    void thePageLoadsAndTheTimelineDraws() throws IOException {
        open(server.url());
        assertThat(Long.parseLong(data("timeline-items"))).isPositive();
        assertThat(inkedPixels()).isGreaterThan(2000);
        assertThat(driver.findElement(By.id("summary")).getText()).contains("shutdown").contains("IRQ 27");
        assertThat(driver.findElements(By.cssSelector("#console .line"))).hasSize(run.timeline().console().size());
        Path png = Path.of("target", "ui-screenshot.png");
        Files.write(png, driver.getScreenshotAs(OutputType.BYTES));
        assertThat(Files.readAllBytes(png)).startsWith(0x89, 'P', 'N', 'G');
        assertThat(Files.size(png)).isGreaterThan(20_000);
    }

    @Test
    void aSqlQueryShowsItsRowsAndAChart() {
        open(server.url());
        WebElement text = driver.findElement(By.id("sql-text"));
        text.clear();
        text.sendKeys("SELECT intid, count(*) AS n FROM interrupts GROUP BY intid ORDER BY intid");
        driver.findElement(By.id("sql-run")).click();
        waiting().until(d -> data("sql-rows") != null || data("sql-error") != null);
        assertThat(data("sql-error")).isNull();
        List<String> cells = driver.findElements(By.cssSelector("#sql-result td")).stream().map(WebElement::getText).toList();
        // the timeline read the events directly; SQL read the Arrow export: both count the same interrupts
        assertThat(cells).containsExactly("27", String.valueOf(run.timeline().sliceCounts("handlers").get("IRQ 27")));
        driver.findElement(By.id("sql-hist")).click();
        waiting().until(d -> !d.findElements(By.cssSelector("#sql-chart canvas")).isEmpty());
        assertNoConsoleErrors();
        text.clear();
        text.sendKeys("SELEC 1");
        driver.findElement(By.id("sql-run")).click();
        waiting().until(d -> !d.findElement(By.id("sql-error")).getText().isEmpty());
        assertThat(driver.findElement(By.id("sql-error")).getText()).contains("Parser Error");
        // The one thing the browser logs: the 400 that answered the bad query.
        assertThat(driver.manage().logs().get(LogType.BROWSER).getAll()).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains("/api/run/0/sql").contains("400"));
    }

    @Test
    void clickingAConsoleLineMovesTheTimelineThere() {
        open(server.url());
        String wholeFrom = data("timeline-from"), wholeTo = data("timeline-to");
        List<WebElement> lines = driver.findElements(By.cssSelector("#console .line"));
        WebElement last = lines.getLast();
        long ns = Long.parseLong(last.getDomAttribute("data-ns"));
        last.click();
        waiting().until(d -> !wholeTo.equals(data("timeline-to")) || !wholeFrom.equals(data("timeline-from")));
        long from = Long.parseLong(data("timeline-from")), to = Long.parseLong(data("timeline-to"));
        assertThat(ns).isBetween(from, to);
        assertThat(to - from).isLessThan(Long.parseLong(wholeTo) - Long.parseLong(wholeFrom));
        assertNoConsoleErrors();
    }

    @Test
    void twoRunsShowTheirDiffAndEitherTimeline() throws IOException {
        Path again = UiFixture.recordTimer(tmp.resolve("timer-again"));
        try (UiServer two = new UiServer(List.of(run, RunData.load(again, StageFile.builtin())), io.deja.analysis.diff.Differ.Options.defaults(),
                0, Duration.ofSeconds(20), 1000)) {
            open(two.url());
            waiting().until(d -> d.findElement(By.id("diff")).getText().contains("events by kind"));
            String diff = driver.findElement(By.id("diff")).getText();
            // the same kernel recorded twice: one event stream
            assertThat(diff).startsWith("equivalent: A " + rec).contains("none: the event streams are identical").contains("IRQ INTID 27");
            List<WebElement> runs = driver.findElements(By.cssSelector("#runs button"));
            assertThat(runs).hasSize(2);
            String draws = data("timeline-draws");
            runs.get(1).click();
            waiting().until(d -> driver.findElement(By.id("run-title")).getText().equals(again.toString()));
            waiting().until(d -> !draws.equals(data("timeline-draws")));
            assertThat(driver.findElements(By.cssSelector("#console .line"))).hasSize(run.timeline().console().size());
            assertNoConsoleErrors();
        }
    }

    @Test
    void theReportOpensWithoutAServer() throws IOException {
        Path report = tmp.resolve("report.html");
        StaticReport.write(run, report);
        String html = Files.readString(report);
        assertThat(html).doesNotContain("src=\"http").doesNotContain("src=\"app.js\"");
        open(report.toUri().toString());
        assertThat(inkedPixels()).isGreaterThan(2000);
        assertThat(driver.findElements(By.cssSelector("#console .line"))).hasSize(run.timeline().console().size());
        assertThat(driver.findElement(By.id("sql-section")).isDisplayed()).isFalse();
        String wholeFrom = data("timeline-from"), wholeTo = data("timeline-to");
        WebElement last = driver.findElements(By.cssSelector("#console .line")).getLast();
        long ns = Long.parseLong(last.getDomAttribute("data-ns"));
        last.click();
        waiting().until(d -> !wholeTo.equals(data("timeline-to")) || !wholeFrom.equals(data("timeline-from")));
        assertThat(ns).isBetween(Long.parseLong(data("timeline-from")), Long.parseLong(data("timeline-to")));
        assertNoConsoleErrors();
        Files.write(Path.of("target", "report-screenshot.png"), driver.getScreenshotAs(OutputType.BYTES));
    }

    static TimelineIndex.Lane lane(RunData run, String label) {
        return run.timeline().lanes().stream().filter(l -> l.label().equals(label)).findFirst().orElseThrow();
    }

    /** The time of the one instant of that name in a lane. */
    static long instant(RunData run, TimelineIndex.Lane lane, String name) {
        List<Long> at = java.util.stream.IntStream.range(0, lane.size()).filter(i -> run.timeline().nameAt(lane, i).equals(name))
                .mapToObj(lane::start).toList();
        assertThat(at).as("%s on %s", name, lane.label()).hasSize(1);
        return at.getFirst();
    }

    /** What the page draws on a lane (by its label, at depth 0 unless the label says another): name@start of each item. */
    static List<String> drawnLane(RunData run, String label) {
        List<?> drawn = (List<?>) ((JavascriptExecutor) driver).executeScript("""
                const s = window.deja;
                const items = s.view.lanes[s.lanes.findIndex((l) => l.label === arguments[0])];
                return items.map((it) => s.names.get(it[2]) + '@' + it[0]);""", label);
        return drawn.stream().map(String::valueOf).toList();
    }

    /**
     * kernels/smp_psci on two CPUs: CPU 1 is off, on, off, on again, and the page draws its two
     * CPU_SUSPENDs as "suspended" slices inside EL1, the last to the end of the run.
     */
    @Test
    void aSuspendedCpuIsDrawnSuspendedAndAnOffOneOff() throws IOException {
        Path image = io.deja.core.testing.Kernels.virtBin("smp_psci");
        Path psci = tmp.resolve("smp_psci");
        io.deja.recorder.Recorder.create(psci, io.deja.core.board.MachineConfig.of(io.deja.core.board.Board.VIRT, Files.readAllBytes(image)).withCpus(2),
                image, new java.io.ByteArrayOutputStream(), io.deja.recorder.Recorder.Options.defaults(io.deja.core.trace.TraceLevel.EVENTS)
                        .withMaxInstructions(10_000_000)).run();
        RunData two = RunData.load(psci, StageFile.builtin());
        try (UiServer s = new UiServer(List.of(two), io.deja.analysis.diff.Differ.Options.defaults(), 0, Duration.ofSeconds(20), 1000)) {
            open(s.url());
            assertThat(data("track-groups")).startsWith("CPU 0|CPU 1|Deja run");
            TimelineIndex.Lane el = lane(two, "CPU 1 exception level");
            assertThat(java.util.stream.IntStream.range(0, el.size()).mapToObj(i -> two.timeline().nameAt(el, i)).toList())
                    .containsExactly("off", "EL1", "off", "EL1");
            // its first run is a few hundred cycles: the page may merge it with its neighbours, the rest is drawn as itself
            List<String> levels = drawnLane(two, "CPU 1 exception level");
            assertThat(levels.getFirst()).isEqualTo("off@" + el.start(0));
            assertThat(levels.getLast()).isEqualTo("EL1@" + el.start(3));
            TimelineIndex.Lane sleeps = two.timeline().lanes().stream()
                    .filter(l -> l.label().startsWith("CPU 1 exception level") && l != el).findFirst().orElseThrow();
            List<String> drawn = drawnLane(two, sleeps.label());
            assertThat(drawn).containsExactly("suspended@" + sleeps.start(0), "suspended@" + sleeps.start(1));
            assertThat(sleeps.end(1)).as("the last suspend lasts to the end of the run").isEqualTo(two.timeline().endNs());
            Files.write(Path.of("target", "ui-psci-screenshot.png"), driver.getScreenshotAs(OutputType.BYTES));
            assertNoConsoleErrors();
        }
    }

    @Test
    void anSmpRunShowsOneTrackGroupPerCpuAndOneConsole() throws IOException {
        Path image = io.deja.core.testing.Kernels.virtBin("smp");
        Path smp = tmp.resolve("smp");
        io.deja.recorder.Recorder.create(smp, io.deja.core.board.MachineConfig.of(io.deja.core.board.Board.VIRT, Files.readAllBytes(image)).withCpus(4),
                image, new java.io.ByteArrayOutputStream(), io.deja.recorder.Recorder.Options.defaults(io.deja.core.trace.TraceLevel.EVENTS)
                        .withMaxInstructions(50_000_000)).run();
        RunData four = RunData.load(smp, StageFile.builtin());
        try (UiServer s = new UiServer(List.of(four), io.deja.analysis.diff.Differ.Options.defaults(), 0, Duration.ofSeconds(20), 1000)) {
            open(s.url());
            assertThat(data("cpus")).isEqualTo("4");
            // as deja export --perfetto groups them: a group per CPU, then the run's tracks
            assertThat(data("track-groups")).startsWith("CPU 0|CPU 1|CPU 2|CPU 3|Deja run");
            Object consoles = ((JavascriptExecutor) driver).executeScript("return window.deja.lanes.filter((l) => l.label === 'console').length");
            assertThat(((Number) consoles).intValue()).isEqualTo(1);
            assertThat(driver.findElements(By.cssSelector("#console .line"))).hasSize(four.timeline().console().size()).isNotEmpty();
            assertThat(driver.findElement(By.id("summary")).getText()).contains("4 (quantum");
            assertThat(driver.findElement(By.id("sql-cpus")).getText()).startsWith("4 CPUs");
            // every CPU ran, and its tracks show it
            for (int cpu = 0; cpu < 4; cpu++) {
                int c = cpu;
                assertThat(four.timeline().lanes().stream().filter(l -> l.label().equals("CPU " + c + " exception level")).findFirst().orElseThrow().size())
                        .as("CPU %d's EL track", cpu).isPositive();
            }
            // CPUs 1-3 are "off" until CPU 0 powers them on (marked "power on" on their exits track), in EL1 until
            // their CPU_OFF ("power off"), then "off" again to the end of the run
            for (int cpu = 1; cpu < 4; cpu++) {
                TimelineIndex.Lane el = lane(four, "CPU " + cpu + " exception level"), exits = lane(four, "CPU " + cpu + " exits");
                long on = instant(four, exits, "power on"), off = instant(four, exits, "power off");
                assertThat(on).as("CPU %d powered on after the start", cpu).isGreaterThan(four.timeline().startNs());
                assertThat(java.util.stream.IntStream.range(0, el.size()).mapToObj(i -> four.timeline().nameAt(el, i)).toList())
                        .containsExactly("off", "EL1", "off");
                assertThat(el.start(0)).isEqualTo(four.timeline().startNs());
                assertThat(el.start(1)).isEqualTo(on);
                assertThat(el.start(2)).isEqualTo(off);
                List<String> drawn = drawnLane(four, "CPU " + cpu + " exception level");
                assertThat(drawn).as("CPU %d's exception level as the page draws it", cpu).containsExactly("off@" + el.start(0), "EL1@" + on, "off@" + off);
                assertThat(drawnLane(four, "CPU " + cpu + " exits").stream().map(d -> d.toString().split("@")[0]).toList())
                        .as("CPU %d's exits as the page draws them", cpu).contains("power on");
            }
            WebElement text = driver.findElement(By.id("sql-text"));
            text.clear();
            text.sendKeys("SELECT DISTINCT cpu FROM mmio ORDER BY cpu");
            driver.findElement(By.id("sql-run")).click();
            waiting().until(d -> data("sql-rows") != null || data("sql-error") != null);
            assertThat(data("sql-error")).isNull();
            assertThat(driver.findElements(By.cssSelector("#sql-result td")).stream().map(WebElement::getText).toList()).containsExactly("0", "1", "2", "3");
            // a click on a stage moves the timeline there
            List<WebElement> stages = driver.findElements(By.cssSelector("#stages tr"));
            assertThat(stages.size()).as("stages reached, and the header row").isGreaterThan(2);
            String wholeFrom = data("timeline-from"), wholeTo = data("timeline-to");
            stages.getLast().click();
            waiting().until(d -> !wholeTo.equals(data("timeline-to")) || !wholeFrom.equals(data("timeline-from")));
            assertThat(Long.parseLong(data("timeline-to")) - Long.parseLong(data("timeline-from")))
                    .isLessThan(Long.parseLong(wholeTo) - Long.parseLong(wholeFrom));
            assertThat(inkedPixels()).isGreaterThan(2000);
            Files.write(Path.of("target", "ui-smp-screenshot.png"), driver.getScreenshotAs(OutputType.BYTES));
            // replay from the page: progress, then the proof, the page answering meanwhile
            driver.findElement(By.id("replay")).click();
            waiting().until(d -> "done".equals(data("replay-state")) && driver.findElement(By.id("summary")).getText().contains("bit-exact"));
            assertNoConsoleErrors();
        }
    }
}
