package dev.sedge.bench.scale;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYItemRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws the scale scenario's runs as one PNG with three panels over a shared time axis: offered load
 * and completions per second, instances ready and desired, and each second's p99 latency, one colour per
 * target, the step shaded. Rendered headless: a benchmark machine has no display. Stateless.
 */
final class ScaleChart {

    static final int WIDTH = 1200;
    static final int HEIGHT = 1000;

    private static final Color[] TARGET_COLOURS = {new Color(31, 119, 180), new Color(230, 110, 0)};
    private static final Color OFFERED = new Color(120, 120, 120);
    private static final Color STEP = new Color(255, 240, 190);
    private static final BasicStroke SOLID = new BasicStroke(2f);
    private static final BasicStroke DASHED =
            new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);

    private ScaleChart() {}

    /** Writes the chart of {@code traces} (the first one's schedule is the offered load) to {@code file}. */
    static void write(Path file, String title, List<StepRun.Trace> traces) throws IOException {
        if (traces.isEmpty()) {
            throw new IllegalArgumentException("no run to draw");
        }
        // Before the first AWT class loads: rendering to an image needs no display, and there is none.
        System.setProperty("java.awt.headless", "true");
        NumberAxis time = new NumberAxis("seconds since the start");
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(time);
        plot.setGap(12);
        plot.add(loadPlot(traces), 3);
        plot.add(instancesPlot(traces), 2);
        plot.add(latencyPlot(traces), 3);
        StepRun.Trace first = traces.getFirst();
        for (XYPlot sub : plot.getSubplots()) {
            sub.addDomainMarker(new IntervalMarker(first.loadStart(), first.loadEnd(), STEP), Layer.BACKGROUND);
        }
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
    }

    private static XYPlot loadPlot(List<StepRun.Trace> traces) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        XYSeries offered = new XYSeries("offered");
        for (StepRun.Second s : traces.getFirst().seconds()) {
            offered.add(s.second() + 0.5, s.offeredPerSecond());
        }
        add(data, r, offered, OFFERED, DASHED);
        for (int t = 0; t < traces.size(); t++) {
            XYSeries completed = new XYSeries("completed, " + traces.get(t).target());
            for (StepRun.Second s : traces.get(t).seconds()) {
                completed.add(s.second() + 0.5, s.completed());
            }
            add(data, r, completed, colour(t), SOLID);
        }
        return plot(data, new NumberAxis("messages a second"), r);
    }

    private static XYPlot instancesPlot(List<StepRun.Trace> traces) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYStepRenderer r = new XYStepRenderer();
        for (int t = 0; t < traces.size(); t++) {
            StepRun.Trace trace = traces.get(t);
            XYSeries ready = new XYSeries("ready, " + trace.target());
            XYSeries desired = new XYSeries("desired, " + trace.target());
            for (StepRun.Instances i : trace.instances()) {
                ready.add(i.second(), i.ready());
                desired.add(i.second(), i.desired());
            }
            add(data, r, ready, colour(t), SOLID);
            add(data, r, desired, colour(t), DASHED);
        }
        NumberAxis axis = new NumberAxis("instances");
        axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        return plot(data, axis, r);
    }

    private static XYPlot latencyPlot(List<StepRun.Trace> traces) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        for (int t = 0; t < traces.size(); t++) {
            XYSeries p99 = new XYSeries("p99 of the second, " + traces.get(t).target());
            for (StepRun.Second s : traces.get(t).seconds()) {
                if (s.p99Micros() >= 0) {
                    // At least a microsecond, as a logarithmic axis has no zero.
                    p99.add(s.second() + 0.5, Math.max(1, s.p99Micros()) / 1000.0);
                }
            }
            add(data, r, p99, colour(t), SOLID);
        }
        LogAxis axis = new LogAxis("p99 latency, ms (log)");
        axis.setSmallestValue(0.01);
        axis.setTickUnit(new NumberTickUnit(1)); // one tick a decade: 0.1, 1, 10, 100 ms
        axis.setNumberFormatOverride(new DecimalFormat("#,##0.##", DecimalFormatSymbols.getInstance(Locale.ROOT)));
        return plot(data, axis, r);
    }

    private static void add(
            XYSeriesCollection data, XYItemRenderer r, XYSeries series, Color colour, BasicStroke stroke) {
        int i = data.getSeriesCount();
        data.addSeries(series);
        r.setSeriesPaint(i, colour);
        r.setSeriesStroke(i, stroke);
    }

    private static XYPlot plot(XYSeriesCollection data, ValueAxis range, XYItemRenderer r) {
        XYPlot p = new XYPlot(data, null, range, r);
        p.setBackgroundPaint(Color.WHITE);
        p.setDomainGridlinePaint(new Color(220, 220, 220));
        p.setRangeGridlinePaint(new Color(220, 220, 220));
        return p;
    }

    private static Color colour(int target) {
        return TARGET_COLOURS[target % TARGET_COLOURS.length];
    }
}
