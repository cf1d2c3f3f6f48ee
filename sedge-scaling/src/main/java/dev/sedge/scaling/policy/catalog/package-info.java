/**
 * Every keep-alive and pre-warm policy by its name, for the simulator and a descriptor's {@code
 * scale.prewarm}. Apart from the policies so that they never depend on their own list.
 */
package dev.sedge.scaling.policy.catalog;
