package dev.sedge.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sedge.dataplane.PooledInstance.State;
import org.junit.jupiter.api.Test;

class InstancePoolTest {

    @Test
    void anInstanceRetiredWhileStartingAndThenClearedIsClosedByItsStarter() {
        InstancePool pool = new InstancePool(1, 10);
        InstancePool.Changes up = pool.scaleTo(2);
        assertThat(up.toStart()).hasSize(2);
        PooledInstance newest = up.toStart().get(1);
        assertThat(pool.scaleTo(1).toClose())
                .as("a starting one is closed by its starter")
                .isEmpty();
        assertThat(newest.state).isEqualTo(State.DRAINING);
        pool.clear(); // the function is removed before the start returns
        assertThat(pool.started(newest)).as("its start must not bring it back").isFalse();
        assertThat(pool.started(up.toStart().get(0))).isFalse();
        assertThat(pool.alive()).isZero();
        assertThat(newest.state).isEqualTo(State.CLOSED);
    }

    @Test
    void neverMoreAliveThanTheMaximumDrainingOnesIncluded() {
        InstancePool pool = new InstancePool(1, 2);
        InstancePool.Changes up = pool.scaleTo(5);
        assertThat(up.toStart()).hasSize(2);
        up.toStart().forEach(pool::started);
        PooledInstance busy = pool.claim();
        assertThat(pool.retire(busy)).as("busy: closed when its event ends").isNull();
        assertThat(pool.refill().toStart()).as("the draining one still counts").isEmpty();
        assertThat(pool.release(busy)).isSameAs(busy);
        assertThat(pool.refill().toStart()).hasSize(1);
        assertThat(pool.peak()).isEqualTo(2);
    }
}
