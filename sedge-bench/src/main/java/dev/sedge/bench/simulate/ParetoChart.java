package dev.sedge.bench.simulate;

import dev.sedge.scaling.policy.OracleKeepAlive;
import dev.sedge.scaling.sim.PolicyResult;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.chart.util.ShapeUtils;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws a study as a trade-off: wasted memory (GiB-s, logarithmic) across, avoidable cold starts up, one
 * labelled point per policy. The fixed keep-alives are joined in order of their length, the frontier a
 * real policy has to beat; Sedge's point is large and red; the oracle is the grey bound. A policy that
 * wasted nothing is drawn at a floor a decade below the least waste, as a log axis has no zero, and its
 * label says so. Rendered headless. Stateless.
 */
final class ParetoChart {

    static final int WIDTH = 1000;
    static final int HEIGHT = 700;

    private static final Color FIXED = new Color(31, 119, 180);
    private static final Color OTHER = new Color(44, 160, 44);
    private static final Color ORACLE = new Color(110, 110, 110);
    private static final Color SEDGE = new Color(214, 39, 40);
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

    private ParetoChart() {}

    static void write(Path file, StudyResult study) throws IOException {
        // Before the first AWT class loads: rendering to an image needs no display, and there is none.
        System.setProperty("java.awt.headless", "true");
        double floor = floor(study.rows());
        XYSeriesCollection data = new XYSeriesCollection();
        List<List<String>> labels = new ArrayList<>();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);

        List<PolicyResult> fixed = study.fixedKeepAlives();
        List<PolicyResult> others = new ArrayList<>();
        for (PolicyResult row : study.rows()) {
            if (!fixed.contains(row)
                    && !row.policy().equals(OracleKeepAlive.NAME)
                    && !row.policy().equals(StudyCharts.SEDGE)) {
                others.add(row);
            }
        }
        int s = add(data, labels, "fixed keep-alives", fixed, floor);
        style(r, s, FIXED, new Ellipse2D.Double(-4, -4, 8, 8), LABEL);
        r.setSeriesLinesVisible(s, true);
        r.setSeriesStroke(s, new BasicStroke(1.5f));
        s = add(data, labels, "other policies", others, floor);
        style(r, s, OTHER, new Rectangle2D.Double(-4, -4, 8, 8), LABEL);
        s = add(data, labels, "oracle (knows the future)", rowsNamed(study, OracleKeepAlive.NAME), floor);
        style(r, s, ORACLE, ShapeUtils.createUpTriangle(6f), LABEL);
        s = add(data, labels, StudyCharts.SEDGE, rowsNamed(study, StudyCharts.SEDGE), floor);
        style(r, s, SEDGE, ShapeUtils.createDiamond(10f), LABEL.deriveFont(Font.BOLD, 14f));

        for (int i = 0; i < data.getSeriesCount(); i++) {
            r.setSeriesVisibleInLegend(i, data.getItemCount(i) > 0); // a policy that did not run: no entry
        }
        shareLabels(data, labels);
        r.setDefaultItemLabelGenerator(
                (dataset, series, item) -> labels.get(series).get(item));
        r.setDefaultItemLabelsVisible(true);
        r.setDefaultPositiveItemLabelPosition(
                new ItemLabelPosition(ItemLabelAnchor.OUTSIDE12, TextAnchor.BOTTOM_CENTER));

        LogAxis waste = new LogAxis("wasted memory, GiB-s (log)");
        waste.setSmallestValue(floor / 2); // below the floor: room for the label of a point on it
        waste.setLowerMargin(0.08);
        waste.setUpperMargin(0.15); // room for a shared label such as "fixed-30m = fixed-60m"
        waste.setTickUnit(new NumberTickUnit(1)); // one tick a decade
        waste.setNumberFormatOverride(new DecimalFormat("#,##0.####", DecimalFormatSymbols.getInstance(Locale.ROOT)));
        NumberAxis cold = new NumberAxis("avoidable cold starts");
        cold.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        cold.setAutoRangeIncludesZero(true);
        cold.setUpperMargin(0.12); // room for the top point's label

        XYPlot plot = new XYPlot(data, waste, cold, r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(220, 220, 220));
        plot.setRangeGridlinePaint(new Color(220, 220, 220));
        JFreeChart chart = new JFreeChart(title(study), new Font(Font.SANS_SERIF, Font.BOLD, 15), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        Files.createDirectories(file.toAbsolutePath().getParent());
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
    }

    private static String title(StudyResult s) {
        return String.format(
                Locale.ROOT,
                "%s: avoidable cold starts against idle memory (%,d function%s, %d MiB, %d ms cold start)",
                s.trace().name(),
                s.trace().functions().size(),
                s.trace().functions().size() == 1 ? "" : "s",
                s.context().memoryMib(),
                s.context().coldStartMillis());
    }

    /** Where zero waste is drawn: a decade below the least positive waste, or 0.001 GiB-s if none wasted any. */
    static double floor(List<PolicyResult> rows) {
        double least = rows.stream()
                .mapToDouble(PolicyResult::wastedGibSeconds)
                .filter(w -> w > 0)
                .min()
                .orElse(0.01);
        return least / 10;
    }

    private static int add(
            XYSeriesCollection data, List<List<String>> labels, String key, List<PolicyResult> rows, double floor) {
        XYSeries series = new XYSeries(key, false, true); // kept in the order given: the frontier's line
        List<String> names = new ArrayList<>();
        for (PolicyResult row : rows) {
            boolean none = row.wastedGibSeconds() < floor;
            series.add(none ? floor : row.wastedGibSeconds(), row.avoidableColdStarts());
            names.add(none ? row.policy() + " (no waste)" : row.policy());
        }
        data.addSeries(series);
        labels.add(names);
        return data.getSeriesCount() - 1;
    }

    /**
     * Policies that land on the same point (Knative's defaults and a one-minute keep-alive often do)
     * share one label, "a = b", on the first of them, instead of printing over each other.
     */
    private static void shareLabels(XYSeriesCollection data, List<List<String>> labels) {
        Map<String, List<String>> byPoint = new LinkedHashMap<>();
        for (int s = 0; s < data.getSeriesCount(); s++) {
            for (int i = 0; i < data.getItemCount(s); i++) {
                byPoint.computeIfAbsent(point(data, s, i), k -> new ArrayList<>())
                        .add(labels.get(s).get(i));
            }
        }
        for (int s = 0; s < data.getSeriesCount(); s++) {
            for (int i = 0; i < data.getItemCount(s); i++) {
                List<String> names = byPoint.get(point(data, s, i));
                boolean first = names.getFirst().equals(labels.get(s).get(i));
                labels.get(s).set(i, first ? String.join(" = ", names) : "");
            }
        }
    }

    private static String point(XYSeriesCollection data, int series, int item) {
        return data.getXValue(series, item) + "," + data.getYValue(series, item);
    }

    private static List<PolicyResult> rowsNamed(StudyResult study, String policy) {
        PolicyResult row = study.row(policy);
        return row == null ? List.of() : List.of(row);
    }

    private static void style(XYLineAndShapeRenderer r, int series, Color colour, Shape shape, Font label) {
        r.setSeriesPaint(series, colour);
        r.setSeriesShape(series, shape);
        r.setSeriesItemLabelFont(series, label);
        r.setSeriesItemLabelPaint(series, colour.darker());
    }
}
