package dev.sedge.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code sedge_function_instance_seconds_total}: ready instances integrated on a fake clock, read as scraped. */
class InstanceSecondsTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong now = new AtomicLong(5 * SECOND);
    private final NodeMetrics metrics = new NodeMetrics(now::get);

    private double scraped(String function) {
        Matcher m = Pattern.compile(
                        "(?m)^sedge_function_instance_seconds_total\\{function=\"" + function + "\"} (\\S+)$")
                .matcher(metrics.scrape());
        assertThat(m.find())
                .as("the counter of %s in%n%s", function, metrics.scrape())
                .isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void readyInstancesAreIntegratedBetweenChangesAndUpToTheScrape() {
        metrics.readyChanged("f", 1, 0);
        now.addAndGet(2 * SECOND); // one instance for 2 s
        metrics.readyChanged("f", 3, 1);
        now.addAndGet(SECOND / 2); // three for half a second, still open when scraped
        assertThat(scraped("f")).isEqualTo(3.5);
        now.addAndGet(SECOND / 2);
        metrics.readyChanged("f", 0, 3);
        now.addAndGet(100 * SECOND); // none: nothing more is counted
        assertThat(scraped("f")).isEqualTo(5.0);
    }

    @Test
    void twoDispatchersOfOneNameAddUpWhileTheReplacedOneDrains() {
        metrics.readyChanged("f", 1, 0); // the old one
        now.addAndGet(SECOND);
        metrics.readyChanged("f", 1, 0); // the new one, while the old one still has its instance
        now.addAndGet(SECOND);
        metrics.readyChanged("f", 0, 1); // the old one closes
        now.addAndGet(SECOND);
        assertThat(scraped("f")).isEqualTo(1 + 2 + 1);
    }

    @Test
    void eachFunctionHasItsOwnCounter() {
        metrics.readyChanged("a", 2, 0);
        metrics.readyChanged("b", 1, 0);
        now.addAndGet(4 * SECOND);
        assertThat(scraped("a")).isEqualTo(8.0);
        assertThat(scraped("b")).isEqualTo(4.0);
    }
}
