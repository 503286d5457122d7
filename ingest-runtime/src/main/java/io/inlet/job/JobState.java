package io.inlet.job;

/** Routine Load job states, with StarRocks' names. */
public enum JobState {
    NEED_SCHEDULE, RUNNING, PAUSED, STOPPED, CANCELLED, UNSTABLE;

    /** Scheduled to load: waiting for tasks, loading, or loading while its lag grows. */
    public boolean isActive() {
        return this == NEED_SCHEDULE || this == RUNNING || this == UNSTABLE;
    }

    public boolean isFinal() {
        return this == STOPPED || this == CANCELLED;
    }
}
