package io.inlet.job;

/** Routine Load job states, with StarRocks' names. */
public enum JobState {
    NEED_SCHEDULE, RUNNING, PAUSED, STOPPED, CANCELLED, UNSTABLE;

    public boolean isFinal() {
        return this == STOPPED || this == CANCELLED;
    }
}
