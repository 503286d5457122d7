package io.inlet.infra.context;

/**
 * Consumer-lag thresholds: alarms on MSK's {@code MaxOffsetLag} and {@code EstimatedMaxTimeLag}, and the step scaling
 * of the service on {@code SumOffsetLag} (out above {@code scaleOutOffsetLag}, in below {@code scaleInOffsetLag}).
 */
public record LagThresholds(long maxOffsetLag, int maxTimeLagSeconds, long scaleOutOffsetLag, long scaleInOffsetLag) {
}
