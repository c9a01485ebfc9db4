package dev.kaskade.loadtests.product;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

class ChartsTest {
  @TempDir Path dir;

  private static RunResults results() {
    RunResults r = new RunResults();
    for (int rate : List.of(100, 1000)) {
      r.add(new StepResult("kaskade", "v2", "open", rate, 2, 4, 9, 12, rate, rate * 10L, 0));
      r.add(new StepResult("floor", "kafka", "open", rate, 1, 2, 3, 4, rate, rate * 10L, 0));
    }
    r.add(new StepResult("kaskade", "v2", "closed", 64, 18, 31, 54, 80, 3180, 31800, 0));
    r.add(new StepResult("worker", "kafka", "prefilled", 50000, 0, 0, 0, 0, 21000, 50000, 0));
    return r;
  }

  private static Document parse(Path file) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    // JFreeSVG writes the SVG 1.1 DOCTYPE; well-formedness needs no DTD from the network
    factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    return factory
        .newDocumentBuilder()
        .parse(new InputSource(new StringReader(Files.readString(file))));
  }

  @Test
  void writesWellFormedSvgForEveryChart() throws Exception {
    List<Path> files = Charts.write(results(), dir);
    assertThat(files)
        .extracting(p -> p.getFileName().toString())
        .containsExactly("latency-p50.svg", "latency-p90.svg", "latency-p99.svg", "throughput.svg");
    for (Path file : files) {
      Document svg = parse(file);
      assertThat(svg.getDocumentElement().getLocalName()).isEqualTo("svg");
    }
  }

  @Test
  void chartsNameTheirSeriesAndBars() throws Exception {
    Charts.write(results(), dir);
    String latency = Files.readString(dir.resolve("latency-p99.svg"));
    assertThat(latency).contains("kaskade up, V2 REST").contains("Kafka floor (2 hops)");
    String throughput = Files.readString(dir.resolve("throughput.svg"));
    assertThat(throughput)
        .contains("kaskade up, V2 REST (64 conns)")
        .contains("worker alone, pre-filled topic");
  }
}
