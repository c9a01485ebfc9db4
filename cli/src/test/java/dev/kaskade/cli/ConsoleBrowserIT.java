package dev.kaskade.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real browser (headless Chromium driven by Selenium) against a real {@code
 * kaskade up}: every page loads and shows real data (iris ready, a request sent from the "try it"
 * form answered, traffic and drift charts drawn, the audit record of that request opened by its id,
 * a graph with per-step latency), and each page's screenshot is saved to docs/console/ for
 * docs/console.md. Skips when Chromium or chromedriver is absent.
 */
class ConsoleBrowserIT {
  private static final Path CHROMEDRIVER =
      Path.of(System.getenv().getOrDefault("KASKADE_CHROMEDRIVER", "/usr/bin/chromedriver"));
  private static final Path CHROMIUM =
      Path.of(System.getenv().getOrDefault("KASKADE_CHROMIUM", "/usr/bin/chromium"));
  private static final Path SCREENSHOTS = Path.of("..", "docs", "console");
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String FEATURES =
      "[\"sepal_length\", \"sepal_width\", \"petal_length\", \"petal_width\"]";
  private static final String REFERENCE =
      "[[5.1,3.5,1.4,0.2],[5.4,3.7,1.5,0.2],[5.4,3.4,1.7,0.2],[4.8,3.1,1.6,0.2],"
          + "[5.0,3.5,1.3,0.3],[7.0,3.2,4.7,1.4],[5.0,2.0,3.5,1.0],[5.9,3.2,4.8,1.8],"
          + "[5.5,2.4,3.8,1.1],[5.5,2.6,4.4,1.2],[6.3,3.3,6.0,2.5],[6.5,3.2,5.1,2.0],"
          + "[6.9,3.2,5.7,2.3],[7.4,2.8,6.1,1.9],[6.7,3.1,5.6,2.4]]";

  @TempDir static Path workDir;
  private static KaskadeProcess up;
  private static WebDriver browser;
  private static int httpPort;
  private static Path dataDir;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(
        Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM),
        "needs chromium and chromedriver (Debian: apt-get install chromium chromium-driver)");
    Path manifests = Files.createDirectories(workDir.resolve("manifests"));
    writeManifests(manifests);
    dataDir = workDir.resolve("data");
    httpPort = Ports.freePort();
    up =
        KaskadeProcess.start(
            workDir,
            "up",
            "--data-dir",
            dataDir.toString(),
            "--http-port",
            Integer.toString(httpPort),
            "--grpc-port",
            Integer.toString(Ports.freePort()),
            "--kafka-port",
            Integer.toString(Ports.freePort()),
            "--registry-port",
            Integer.toString(Ports.freePort()),
            "--manifests",
            manifests.toString());
    assertThat(up.awaitLine(UpCommand.READY_LINE, Duration.ofMinutes(5)))
        .as("output: %s", up.output())
        .isTrue();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1400,1000");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(service, options);
    Files.createDirectories(SCREENSHOTS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (up != null) {
      up.terminate(Duration.ofSeconds(15));
      up.close();
    }
  }

  private static void writeManifests(Path dir) throws Exception {
    String model =
        Path.of("..", "examples", "iris", "model.onnx").toAbsolutePath().normalize().toString();
    Files.writeString(
        dir.resolve("iris-watch.yaml"),
        """
        apiVersion: serving.kserve.io/v1beta1
        kind: InferenceService
        metadata:
          name: iris-watch
          annotations:
            kaskade.dev/monitor: '{"feature_names": %s, "drift": {"reference": %s, "window": 5},
              "outlier": {"reference": %s}}'
        spec:
          predictor:
            model:
              modelFormat: {name: onnx}
              storageUri: %s
        """
            .formatted(FEATURES, REFERENCE, REFERENCE, model));
    Files.writeString(
        dir.resolve("iris-graph.yaml"),
        """
        apiVersion: serving.kserve.io/v1alpha1
        kind: InferenceGraph
        metadata:
          name: iris-graph
        spec:
          nodes:
            root:
              routerType: Sequence
              steps:
                - name: classify
                  serviceName: iris
        """);
  }

  private static int post(String path, String body) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return r.statusCode();
  }

  private static void open(String path) {
    browser.get("http://127.0.0.1:" + httpPort + path);
  }

  private static <T> T await(Function<WebDriver, T> condition) {
    return new WebDriverWait(browser, WAIT, Duration.ofMillis(250)).until(condition);
  }

  /** Reloads the page until the condition holds (data that arrives after the page loaded). */
  private static <T> T awaitReloading(String path, Function<WebDriver, T> condition) {
    long end = System.nanoTime() + WAIT.toNanos();
    while (true) {
      open(path);
      await(d -> "true".equals(d.findElement(By.id("page")).getAttribute("data-loaded")));
      try {
        return new WebDriverWait(browser, Duration.ofSeconds(3), Duration.ofMillis(250))
            .until(condition);
      } catch (org.openqa.selenium.TimeoutException e) {
        if (System.nanoTime() > end) {
          throw e;
        }
      }
    }
  }

  private static int points(WebElement svg) {
    return Integer.parseInt(svg.getAttribute("data-points"));
  }

  private static void screenshot(String name) throws Exception {
    byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
    Files.write(SCREENSHOTS.resolve(name), png);
  }

  private static String awaitText(By by, String expected) {
    return await(
        d -> {
          List<WebElement> found = d.findElements(by);
          return found.isEmpty() || !found.get(0).getText().contains(expected)
              ? null
              : found.get(0).getText();
        });
  }

  @Test
  void everyPageShowsRealDataInABrowser() throws Exception {
    // Traffic for the charts: shifted petal sizes so that iris-watch's drift test fires.
    for (int i = 0; i < 15; i++) {
      assertThat(
              post(
                  "/v1/models/iris-watch:predict",
                  "{\"instances\": [[6.%d, 3.0, 9.%d, 4.0]]}".formatted(i % 10, i % 10)))
          .isEqualTo(200);
    }
    for (int i = 0; i < 3; i++) {
      assertThat(post("/v1/models/iris-graph:predict", "{\"instances\": [[6.8, 2.8, 4.8, 1.4]]}"))
          .isEqualTo(200);
    }

    // Models: iris listed as ready; a request sent from the form is answered.
    String irisRow = "tr[data-model='iris'] .ready-cell";
    awaitReloading(
        "/ui/models", d -> d.findElements(By.cssSelector(irisRow)).isEmpty() ? null : true);
    assertThat(browser.findElement(By.cssSelector(irisRow)).getText()).isEqualTo("Ready");
    browser.findElement(By.id("try-send")).click();
    await(d -> "200".equals(d.findElement(By.id("try-answer")).getAttribute("data-status")));
    assertThat(browser.findElement(By.id("try-answer")).getText())
        .contains("\"model_name\": \"iris\"")
        .contains("\"outputs\"");
    String link = browser.findElement(By.id("try-audit-link")).getText();
    String requestId = link.substring(link.lastIndexOf(' ') + 1);
    screenshot("models.png");

    // Live traffic: the charts are drawn from points.
    awaitReloading(
        "/ui/traffic",
        d -> {
          List<WebElement> charts = d.findElements(By.cssSelector("[data-model='iris'] svg.chart"));
          return !charts.isEmpty() && points(charts.get(0)) > 0 ? true : null;
        });
    screenshot("traffic.png");

    // Drift and outliers: p-values over windows and the outlier histogram of iris-watch.
    awaitReloading(
        "/ui/drift?model=default/iris-watch",
        d -> {
          List<WebElement> charts = d.findElements(By.cssSelector("[data-feature] svg.chart"));
          List<WebElement> bars = d.findElements(By.cssSelector("#outliers svg.chart"));
          return charts.size() == 4 && points(charts.get(0)) > 0 && !bars.isEmpty() ? true : null;
        });
    assertThat(browser.findElement(By.id("latest-alert")).getText()).contains("drift feature");
    screenshot("drift.png");

    // Audit: the record of the form's request opens by its id once the sink has stored it (it
    // flushes every 2 s); a replay of what is stored shows on the page; the chain verifies.
    awaitAuditRecord(requestId);
    replayIris();
    awaitAuditRecord(requestId);
    assertThat(browser.findElement(By.cssSelector(".audit-request")).getText()).contains("input");
    assertThat(browser.findElement(By.cssSelector(".audit-response")).getText()).contains("output");
    browser.findElement(By.id("verify-button")).click();
    awaitText(By.cssSelector("#audit-verify .result"), "verified");
    assertThat(browser.findElement(By.id("audit-replays")).getText()).contains("iris");
    screenshot("audit.png");

    // Graphs: the graph's node and step with the latency the graph router measured.
    awaitReloading(
        "/ui/graphs?name=iris-graph",
        d ->
            d.findElements(By.cssSelector(".step-latency")).stream()
                    .anyMatch(e -> e.getText().startsWith("mean"))
                ? true
                : null);
    assertThat(browser.findElement(By.cssSelector("svg.graph")).getText()).contains("classify");
    screenshot("graphs.png");
  }

  /** Reloads the audit page until it shows the record of {@code id}. */
  private static void awaitAuditRecord(String id) {
    awaitReloading(
        "/ui/audit?id=" + id,
        d ->
            d.findElements(By.cssSelector(".audit-record[data-id='" + id + "']")).isEmpty()
                ? null
                : true);
  }

  /** A replay report in the folder the console reads. */
  private static void replayIris() throws Exception {
    Path report = dataDir.resolve("replays").resolve("iris-vs-iris-watch.json");
    KaskadeProcess replay =
        KaskadeProcess.start(
            workDir,
            "audit",
            "replay",
            "--model",
            "iris",
            "--target",
            "iris-watch",
            "--report",
            report.toString(),
            "--data-dir",
            dataDir.toString());
    assertThat(replay.awaitExit(WAIT)).as("output: %s", replay.output()).isIn(0, 1);
    assertThat(report).exists();
  }
}
