package io.inlet.source.kinesis;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Replaces the emulator's answer to chosen calls with an AWS error (HTTP 400 and its JSON error body), as Kinesis
 * would send it: {@code fail("GetRecords", Set.of(2, 3), "ProvisionedThroughputExceededException")} fails the
 * 2nd and 3rd GetRecords calls. The request still reaches the emulator; only its answer is lost, as on a real
 * network.
 */
final class FaultInjector implements ExecutionInterceptor {
    private static final ExecutionAttribute<String> FAULT = new ExecutionAttribute<>("inlet.injected-fault");

    private record Rule(Set<Integer> calls, String errorCode) {
    }

    private final Map<String, Rule> rules = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final AtomicInteger injected = new AtomicInteger();

    /** Fails the given calls (1 = the first) of {@code operation} (GetRecords, ListShards, ...) with the code. */
    FaultInjector fail(String operation, Set<Integer> callNumbers, String errorCode) {
        rules.put(operation, new Rule(callNumbers, errorCode));
        return this;
    }

    int injected() {
        return injected.get();
    }

    int calls(String operation) {
        return calls.getOrDefault(operation, new AtomicInteger()).get();
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String op = context.request().getClass().getSimpleName().replaceFirst("Request$", "");
        int n = calls.computeIfAbsent(op, k -> new AtomicInteger()).incrementAndGet();
        Rule rule = rules.get(op);
        if (rule != null && rule.calls().contains(n)) {
            attributes.putAttribute(FAULT, rule.errorCode());
            injected.incrementAndGet();
        }
    }

    @Override
    public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        String code = attributes.getAttribute(FAULT);
        if (code == null) {
            return context.httpResponse();
        }
        return context.httpResponse().toBuilder().statusCode(400).statusText("Bad Request")
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("x-amzn-ErrorType", code)
                .removeHeader("x-amz-crc32")
                .removeHeader("Content-Length")
                .build();
    }

    @Override
    public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context,
                                                           ExecutionAttributes attributes) {
        String code = attributes.getAttribute(FAULT);
        if (code == null) {
            return context.responseBody();
        }
        String body = "{\"__type\":\"" + code + "\",\"message\":\"injected by the test\"}";
        return Optional.of(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }
}
