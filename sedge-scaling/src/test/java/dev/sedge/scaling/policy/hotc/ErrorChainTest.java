package dev.sedge.scaling.policy.hotc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ErrorChainTest {

    @Test
    void theErrorIsRelativeToTheDemandAndAbsoluteBelowOneEvent() {
        assertThat(ErrorChain.relativeError(2, 5)).isCloseTo(0.6, within(1e-12));
        assertThat(ErrorChain.relativeError(5, 2)).isCloseTo(-0.6, within(1e-12));
        assertThat(ErrorChain.relativeError(0.3, 0)).isCloseTo(-0.3, within(1e-12));
        assertThat(ErrorChain.relativeError(0, 1)).isEqualTo(1);
        assertThat(ErrorChain.relativeError(0, 0)).isZero();
    }

    @Test
    void fiveStatesSplitTheErrorsAndTheMiddleOneIsWithinTwoTenths() {
        assertThat(ErrorChain.stateOf(-1)).isZero();
        assertThat(ErrorChain.stateOf(-0.5)).isEqualTo(1);
        assertThat(ErrorChain.stateOf(-0.19)).isEqualTo(ErrorChain.EXACT);
        assertThat(ErrorChain.stateOf(0.19)).isEqualTo(ErrorChain.EXACT);
        assertThat(ErrorChain.stateOf(0.5)).isEqualTo(3);
        assertThat(ErrorChain.stateOf(1)).isEqualTo(4);
    }

    @Test
    void correctingByAnErrorUndoesIt() {
        double[][] cases = {{2, 5}, {5, 2}, {0.3, 1}, {0.5, 0}, {0, 0}, {0.1, 3}, {4, 4}};
        for (double[] c : cases) {
            double error = ErrorChain.relativeError(c[0], (long) c[1]);
            assertThat(ErrorChain.corrected(c[0], error))
                    .as("forecast %s, events %s", c[0], c[1])
                    .isCloseTo(c[1], within(1e-9));
        }
    }

    @Test
    void theExpectedErrorWeighsTheStatesTheCurrentOneMovedTo() {
        ErrorChain chain = new ErrorChain();
        assertThat(chain.expectedError()).isZero();
        chain.observe(0);
        chain.observe(4);
        chain.observe(0);
        chain.observe(4);
        chain.observe(0);
        chain.observe(ErrorChain.EXACT);
        chain.observe(0);
        // From state 0: to 4 twice, to the middle once.
        assertThat(chain.expectedError()).isCloseTo((0.8 + 0.8 + 0) / 3, within(1e-9));
        chain.observe(ErrorChain.EXACT);
        chain.stay(97);
        // From the middle: to 0 once, to itself 97 times.
        assertThat(chain.expectedError()).isCloseTo(-0.8 / 98, within(1e-9));
    }
}
