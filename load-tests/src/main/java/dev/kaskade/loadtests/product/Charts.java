package dev.kaskade.loadtests.product;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Rectangle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/**
 * The benchmark's pictures, drawn with JFreeChart and written as SVG by JFreeSVG: one latency
 * versus offered rate chart per percentile (p50, p90, p99; a line per target and protocol) and a
 * bar chart of closed-loop throughput.
 */
public final class Charts {
  static final int WIDTH = 760;
  static final int HEIGHT = 420;

  private Charts() {}

  /**
   * Writes {@code latency-p50.svg}, {@code latency-p90.svg}, {@code latency-p99.svg} and {@code
   * throughput.svg} into {@code dir}; returns the files written.
   */
  public static List<Path> write(RunResults results, Path dir) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();
    for (int percentile : new int[] {50, 90, 99}) {
      Path file = dir.resolve("latency-p" + percentile + ".svg");
      Files.writeString(file, svg(latencyChart(results, percentile)));
      written.add(file);
    }
    Path throughput = dir.resolve("throughput.svg");
    Files.writeString(throughput, svg(throughputChart(results)));
    written.add(throughput);
    return written;
  }

  static JFreeChart latencyChart(RunResults results, int percentile) {
    Map<String, XYSeries> series = new LinkedHashMap<>();
    for (StepResult step : results.steps()) {
      if (!step.open()) {
        continue;
      }
      String name = seriesName(step);
      series.computeIfAbsent(name, XYSeries::new).add(step.load(), value(step, percentile));
    }
    XYSeriesCollection dataset = new XYSeriesCollection();
    series.values().forEach(dataset::addSeries);
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            "p" + percentile + " latency versus offered rate (open loop)",
            "offered rate (req/s, log scale)",
            "p" + percentile + " latency (ms)",
            dataset,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    XYPlot plot = chart.getXYPlot();
    LogAxis rate = new LogAxis("offered rate (req/s, log scale)");
    rate.setSmallestValue(1);
    // ticks at whole powers of ten, labelled as plain numbers (100, 1,000) instead of 10^2.1
    rate.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1));
    rate.setNumberFormatOverride(new java.text.DecimalFormat("#,##0"));
    plot.setDomainAxis(rate);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    for (int i = 0; i < dataset.getSeriesCount(); i++) {
      renderer.setSeriesStroke(i, new BasicStroke(2f));
    }
    plot.setRenderer(renderer);
    style(chart);
    return chart;
  }

  static JFreeChart throughputChart(RunResults results) {
    DefaultCategoryDataset dataset = new DefaultCategoryDataset();
    for (StepResult step : results.steps()) {
      if (!step.open()) {
        dataset.addValue(step.perSecond(), "completions/s", barName(step));
      }
    }
    JFreeChart chart =
        ChartFactory.createBarChart(
            "Throughput (closed loop; worker: pre-filled topic)",
            null,
            "completions per second",
            dataset,
            PlotOrientation.HORIZONTAL,
            false,
            false,
            false);
    // long labels such as "kaskade up, V2 binary (64 conns)" must not be cut to "…"
    chart.getCategoryPlot().getDomainAxis().setMaximumCategoryLabelWidthRatio(0.45f);
    style(chart);
    return chart;
  }

  static String svg(JFreeChart chart) {
    SVGGraphics2D g2 = new SVGGraphics2D(WIDTH, HEIGHT);
    chart.draw(g2, new Rectangle(0, 0, WIDTH, HEIGHT));
    return g2.getSVGDocument();
  }

  private static void style(JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    chart.getPlot().setBackgroundPaint(Color.WHITE);
  }

  static String seriesName(StepResult step) {
    return switch (step.target()) {
      case "kaskade" -> "kaskade up, " + Goals.label(step.protocol());
      case "floor" -> "Kafka floor (2 hops)";
      case "direct" -> "direct server (Vert.x + ORT), " + Goals.label(step.protocol());
      default -> step.target() + ", " + Goals.label(step.protocol());
    };
  }

  static String barName(StepResult step) {
    String unit =
        step.protocol().equals("async")
            ? " outstanding"
            : step.target().equals("floor") ? " in flight" : " conns";
    return switch (step.target()) {
      case "worker" -> "worker alone, pre-filled topic";
      default ->
          seriesName(step)
              + " ("
              + step.load()
              + unit
              + (step.mode().equals(HeyLoad.MODE) ? ", hey" : "")
              + ")";
    };
  }

  private static double value(StepResult step, int percentile) {
    return switch (percentile) {
      case 50 -> step.p50();
      case 90 -> step.p90();
      default -> step.p99();
    };
  }
}
