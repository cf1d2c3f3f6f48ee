/**
 * The IceBreaker keep-alive and pre-warm policy ({@link dev.sedge.scaling.policy.icebreaker.IceBreakerKeepAlive}):
 * per function, a forecast of the invocations per interval from a quadratic trend and the strongest
 * harmonics of a window of the past, renewed while the function has recent events. Everything but the
 * policy itself is package-private: the count per interval, the forecaster, the spectrum and the FFT.
 */
package dev.sedge.scaling.policy.icebreaker;
