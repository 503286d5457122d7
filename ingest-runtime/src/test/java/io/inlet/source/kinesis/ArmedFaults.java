package io.inlet.source.kinesis;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;

import java.io.InputStream;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link FaultInjector} for Kinesis clients a test cannot reach, such as a job's: the SDK adds this interceptor to
 * every Kinesis client of the test JVM (test resource {@code software/amazon/awssdk/services/kinesis/
 * execution.interceptors}); it passes every call through until a test arms it, and again once the test disarms it.
 */
public final class ArmedFaults implements ExecutionInterceptor {

    private static volatile FaultInjector armed;

    /** Fails the given calls (1 = the first after arming) of {@code operation} with the AWS error code. */
    public static void arm(String operation, Set<Integer> callNumbers, String errorCode) {
        armed = new FaultInjector().fail(operation, callNumbers, errorCode);
    }

    public static void disarm() {
        armed = null;
    }

    /** Faults injected since the last arming. */
    public static int injected() {
        FaultInjector f = armed;
        return f == null ? 0 : f.injected();
    }

    /** Calls of {@code operation} since the last arming. */
    public static int calls(String operation) {
        FaultInjector f = armed;
        return f == null ? 0 : f.calls(operation);
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        FaultInjector f = armed;
        if (f != null) {
            f.beforeTransmission(context, attributes);
        }
    }

    @Override
    public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        FaultInjector f = armed;
        return f == null ? context.httpResponse() : f.modifyHttpResponse(context, attributes);
    }

    @Override
    public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context,
                                                           ExecutionAttributes attributes) {
        FaultInjector f = armed;
        return f == null ? context.responseBody() : f.modifyHttpResponseContent(context, attributes);
    }
}
