package dev.sedge.bench.simulate;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.SimpleDateFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.chart.util.ShapeUtils;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws one function's instance (0 or 1) over a stretch of trace time as steps, one panel per policy over
 * a shared time axis, with the function's events marked above the step: red where the event found no
 * ready instance, grey where one was ready. Each panel says how many of the stretch's events waited and
 * how long the instance was up. Rendered headless. Stateless.
 */
final class InstancesChart {

    static final int WIDTH = 1200;

    private static final int PANEL_HEIGHT = 180;
    private static final int FRAME_HEIGHT = 150; // title, axis and legend
    private static final double EVENT_Y = 1.15;
    private static final Color[] POLICY_COLOURS = {
        new Color(214, 39, 40), new Color(31, 119, 180), new Color(44, 160, 44), new Color(148, 103, 189)
    };
    private static final Color WARM = new Color(120, 120, 120);
    private static final Color COLD = new Color(200, 0, 0);

    private InstancesChart() {}

    /** The image's height for {@code panels} policies. */
    static int height(int panels) {
        return FRAME_HEIGHT + PANEL_HEIGHT * Math.max(1, panels);
    }

    /**
     * @param timelines each policy's record of the function, in panel order
     * @param from the stretch's start, trace time in milliseconds
     * @param to its end, exclusive
     */
    static void write(Path file, String title, Map<String, DeviceTimeline> timelines, long from, long to)
            throws IOException {
        System.setProperty("java.awt.headless", "true"); // before the first AWT class loads
        TimeZone utc = TimeZone.getTimeZone("UTC");
        DateAxis time = new DateAxis("time of day, trace clock (UTC)", utc, Locale.ROOT);
        SimpleDateFormat hours = new SimpleDateFormat("HH:mm", Locale.ROOT);
        hours.setTimeZone(utc);
        time.setDateFormatOverride(hours);
        time.setRange(from, to);
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(time);
        plot.setGap(8);
        int panel = 0;
        for (Map.Entry<String, DeviceTimeline> e : timelines.entrySet()) {
            plot.add(panel(e.getKey(), e.getValue(), from, to, colour(e.getKey(), panel), panel == 0));
            panel++;
        }
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 15), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        Files.createDirectories(file.toAbsolutePath().getParent());
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, height(timelines.size()));
    }

    private static XYPlot panel(
            String policy, DeviceTimeline timeline, long from, long to, Color colour, boolean eventsInLegend) {
        XYSeries instance = new XYSeries("instance, " + policy, false, true);
        long upMillis = 0;
        List<DeviceTimeline.Change> steps = timeline.steps(from, to);
        for (int i = 0; i < steps.size(); i++) {
            DeviceTimeline.Change c = steps.get(i);
            instance.add(c.atMillis(), c.instances());
            if (i + 1 < steps.size() && c.instances() == 1) {
                upMillis += steps.get(i + 1).atMillis() - c.atMillis();
            }
        }
        XYSeries warm = new XYSeries("event, instance ready", false, true);
        XYSeries waited = new XYSeries("event, waited for a start", false, true);
        List<DeviceTimeline.Event> events = timeline.events(from, to);
        for (DeviceTimeline.Event ev : events) {
            (ev.waited() ? waited : warm).add(ev.atMillis(), EVENT_Y);
        }

        NumberAxis axis = new NumberAxis(policy);
        axis.setRange(-0.05, 1.45);
        axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        axis.setLabelFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        XYStepRenderer stepRenderer = new XYStepRenderer();
        stepRenderer.setSeriesPaint(0, colour);
        stepRenderer.setSeriesStroke(0, new BasicStroke(2f));
        XYPlot p = new XYPlot(new XYSeriesCollection(instance), null, axis, stepRenderer);

        XYSeriesCollection marks = new XYSeriesCollection();
        marks.addSeries(warm);
        marks.addSeries(waited);
        XYLineAndShapeRenderer markRenderer = new XYLineAndShapeRenderer(false, true);
        markRenderer.setSeriesPaint(0, WARM);
        markRenderer.setSeriesShape(0, new Rectangle2D.Double(-1, -5, 2, 10)); // a tick
        markRenderer.setSeriesPaint(1, COLD);
        markRenderer.setSeriesShape(1, ShapeUtils.createDownTriangle(5f));
        markRenderer.setSeriesVisibleInLegend(0, eventsInLegend);
        markRenderer.setSeriesVisibleInLegend(1, eventsInLegend);
        p.setDataset(1, marks);
        p.setRenderer(1, markRenderer);

        XYTextAnnotation note = new XYTextAnnotation(
                String.format(
                        Locale.ROOT,
                        "%d of %d events waited for a start; instance up %.1f h of these %.1f h",
                        waited.getItemCount(),
                        events.size(),
                        upMillis / 3_600_000.0,
                        (to - from) / 3_600_000.0),
                from + (to - from) * 0.005,
                1.38);
        note.setTextAnchor(TextAnchor.TOP_LEFT);
        note.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        p.addAnnotation(note);
        p.setBackgroundPaint(Color.WHITE);
        p.setDomainGridlinePaint(new Color(220, 220, 220));
        p.setRangeGridlinePaint(new Color(220, 220, 220));
        return p;
    }

    private static Color colour(String policy, int panel) {
        return policy.equals(StudyCharts.SEDGE) ? POLICY_COLOURS[0] : POLICY_COLOURS[1 + panel % 3];
    }
}
