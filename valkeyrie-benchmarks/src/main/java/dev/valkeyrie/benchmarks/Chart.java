package dev.valkeyrie.benchmarks;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Throughput against concurrency, one panel per workload, one line per client: a PNG. */
public final class Chart {
  private static final int PANEL_WIDTH = 700;
  private static final int PANEL_HEIGHT = 460;
  private static final Map<String, Color> COLORS =
      Map.of(
          Wrk.NAME, new Color(0x55, 0x55, 0x55),
          ValkeyrieClient.NAME, new Color(0x1f, 0x77, 0xb4),
          Etcd4jClient.NAME, new Color(0xd6, 0x27, 0x28),
          dev.valkeyrie.benchmarks.v3.GoClientV3.NAME, new Color(0x55, 0x55, 0x55),
          dev.valkeyrie.benchmarks.v3.ValkeyrieV3Client.NAME, new Color(0x1f, 0x77, 0xb4),
          dev.valkeyrie.benchmarks.v3.JetcdLoadClient.NAME, new Color(0xd6, 0x27, 0x28));

  private Chart() {}

  public static void write(List<Measurement> results, String subtitle, Path png)
      throws IOException {
    write(
        results,
        "Throughput against concurrency: valkeyrie-java, etcd4j and wrk, one local etcd v2 member",
        subtitle,
        png);
  }

  /** As {@link #write(List, String, Path)}, under {@code title}. */
  public static void write(List<Measurement> results, String title, String subtitle, Path png)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    Map<LoadWorkload, List<Measurement>> byWorkload = new LinkedHashMap<>();
    for (Measurement m : results) {
      byWorkload.computeIfAbsent(m.workload(), w -> new ArrayList<>()).add(m);
    }
    List<BufferedImage> panels = new ArrayList<>();
    for (Map.Entry<LoadWorkload, List<Measurement>> entry : byWorkload.entrySet()) {
      panels.add(BitmapEncoder.getBufferedImage(panel(entry.getKey(), entry.getValue())));
    }
    int columns = panels.size() > 1 ? 2 : 1;
    int rows = (panels.size() + columns - 1) / columns;
    int titleHeight = 58;
    BufferedImage image =
        new BufferedImage(
            columns * PANEL_WIDTH, rows * PANEL_HEIGHT + titleHeight, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, image.getWidth(), image.getHeight());
      g.setColor(Color.BLACK);
      g.setFont(g.getFont().deriveFont(java.awt.Font.BOLD, 17f));
      g.drawString(title, 16, 24);
      g.setFont(g.getFont().deriveFont(java.awt.Font.PLAIN, 13f));
      g.drawString(subtitle, 16, 46);
      for (int i = 0; i < panels.size(); i++) {
        g.drawImage(
            panels.get(i),
            (i % columns) * PANEL_WIDTH,
            titleHeight + (i / columns) * PANEL_HEIGHT,
            null);
      }
    } finally {
      g.dispose();
    }
    ImageIO.write(image, "png", png.toFile());
  }

  private static CategoryChart panel(LoadWorkload workload, List<Measurement> results) {
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(PANEL_WIDTH)
            .height(PANEL_HEIGHT)
            .title(workload.label())
            .xAxisTitle("concurrency (requests in flight)")
            .yAxisTitle("requests per second")
            .build();
    Styler styler = chart.getStyler();
    chart.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
    chart.getStyler().setOverlapped(true); // all clients at the same x for a concurrency
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisDecimalPattern("#,###");
    chart.getStyler().setPlotGridLinesColor(new Color(0xdd, 0xdd, 0xdd));
    styler.setLegendPosition(Styler.LegendPosition.InsideNW);
    styler.setChartBackgroundColor(Color.WHITE);
    Map<String, List<Measurement>> byClient = new LinkedHashMap<>();
    for (Measurement m : results) {
      byClient.computeIfAbsent(m.client(), c -> new ArrayList<>()).add(m);
    }
    for (Map.Entry<String, List<Measurement>> entry : byClient.entrySet()) {
      List<Measurement> points = entry.getValue();
      List<String> x = points.stream().map(m -> Integer.toString(m.concurrency())).toList();
      List<Double> y = points.stream().map(Measurement::opsPerSecond).toList();
      CategorySeries series = chart.addSeries(entry.getKey(), x, y);
      series.setMarker(SeriesMarkers.CIRCLE);
      Color color = COLORS.get(entry.getKey());
      if (color != null) {
        series.setLineColor(color);
        series.setMarkerColor(color);
        series.setFillColor(color);
      }
    }
    return chart;
  }
}
